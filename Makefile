# backlessons — the README's two commands are `make lab` and `make test`.
# Both create .venv on first use and reinstall only when pyproject.toml changes.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
JUPYTER := $(VENV)/bin/jupyter
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb notebooks/instructor/*.ipynb))
# Jupyter refuses to run as root unless told; containers and CI often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
LAB_ARGS ?=

.PHONY: lab test execute frames validate bench site clean hub-tools

$(PY):
	$(PYTHON) -m venv $(VENV)

# JupyterLab reads overrides.json from the environment's own lab settings folder: this
# silences the "get notified about Jupyter news" prompt without touching user settings.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

$(LAB_OVERRIDES): etc/lab-overrides.json | $(PY)
	mkdir -p $(dir $@)
	cp etc/lab-overrides.json $@

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

# The tests build the website and start a JupyterHub too, so they install those extras.
$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,site,hub]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-site

$(VENV)/.installed-site: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[site]'
	touch $@ $(VENV)/.installed

lab: $(VENV)/.installed $(LAB_OVERRIDES)
	$(JUPYTER) lab $(ALLOW_ROOT) $(LAB_ARGS) notebooks/00_start_here.ipynb

test: $(VENV)/.installed-test $(LAB_OVERRIDES)
	$(PY) -m pytest

# The JupyterHub test's proxy (npm, into the project): without it that test skips
# locally and fails on CI.
hub-tools:
	npm install --silent --no-audit --no-fund --prefix .hub-tools configurable-http-proxy@5

# Draw each course figure's first frame into src/backlessons/widgets/frames (only files that
# change are written): a figure opens on it without loading matplotlib. The tests say when to.
frames: $(VENV)/.installed
	$(PY) -c 'from backlessons.widgets.figures import write_course_frames as w; print("frames written:", ", ".join(w()) or "none, all current")'

# Re-execute every notebook in place, after drawing the frames they show: fresh kernel each,
# progress in a throwaway folder, no timing metadata or widget state, so re-running gives
# the same file.
execute: frames
	home=$$(mktemp -d) && BACKLESSONS_HOME=$$home $(JUPYTER) nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.record_timing=False \
	  --ExecutePreprocessor.store_widget_state=False \
	  --ExecutePreprocessor.timeout=600 \
	  $(NOTEBOOKS); status=$$?; rm -rf "$$home"; exit $$status

validate: $(VENV)/.installed
	$(VENV)/bin/backlessons validate

# The course as a static website in _build/site, from the committed notebooks (nothing is
# executed, nothing fetched). Set BACKLESSONS_REPO_URL for "open on Binder" links.
site: $(VENV)/.installed-site
	$(VENV)/bin/backlessons site --out _build/site

bench: $(VENV)/.installed-test
	$(PY) benchmarks/run.py

clean:
	rm -rf build dist _build test-artifacts .hub-tools benchmarks/results .pytest_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
