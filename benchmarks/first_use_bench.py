"""Benchmark: what a learner waits for on first use (issue 12, point 6).

Two ratios, each against a floor measured in the same run:

* **first quiz and figure**: a fresh ``python`` that imports backlessons, builds
  ``Quiz("01_causes")`` and lesson 01's first figure, against a fresh ``python`` that
  imports ipywidgets + pandas and saves one matplotlib PNG. Target <= 1.15x. Wall clock
  of the whole process and the statements alone; medians of REPEATS alternating runs
  after one discarded warm-up each. The quiz and figure read content as
  ``content.Rows`` and never import pandas, and the figure opens on its shipped first
  frame (``widgets/first_frames.py``) without matplotlib, so the ratio is below 1. A
  third row adds the figure's first control change, which loads matplotlib and draws
  (in a kernel that import usually happens while the learner reads): the same target,
  so deferring the drawing does not hide a slower figure.
* **the whole course under strict nbval** (``pytest --nbval`` on every notebook the
  Makefile executes) against the same number of executed one-cell notebooks under the
  same command: the floor is a kernel start and a trivial cell per notebook; medians of
  NBVAL_REPEATS alternating runs. Target <= 2.0x. About a minute and a half; it is its
  own group, ``nbval``, which ``make bench`` runs (``benchmarks/run.py --only nbval``
  runs it alone).

``rows()`` follows the contract in benchmarks/run.py; run this file to print them
(``python benchmarks/first_use_bench.py --nbval`` includes the nbval row).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["REPEATS", "NBVAL_REPEATS", "TARGET", "NBVAL_TARGET", "rows", "nbval_rows", "course_notebooks"]

REPEATS = 5
NBVAL_REPEATS = 3
TARGET = 1.15
NBVAL_TARGET = 2.0
ROOT = Path(__file__).resolve().parents[1]

FLOOR = """\
import io
import ipywidgets, pandas
from matplotlib.figure import Figure
fig = Figure(figsize=(6, 3.5))
fig.add_subplot().plot([0, 1, 2], [1, 0, 2])
buffer = io.BytesIO()
fig.savefig(buffer, format="png")
assert buffer.getvalue()
"""
FIRST_USE = """\
import backlessons as bl
quiz = bl.Quiz("01_causes")
figure = bl.figures.imaging_findings_by_age()
assert figure.image.value
"""
FIRST_CHANGE = FIRST_USE + """\
import sys
figure.controls["age"].value = 65
assert "matplotlib" in sys.modules and "Age 65" in figure.readout.value
"""
_TIMED = "import time as _t\n_s = _t.perf_counter()\n{code}print(_t.perf_counter() - _s)\n"


def _with_bytecode(env: dict[str, str]) -> dict[str, str]:
    """*env* without PYTHONDONTWRITEBYTECODE: a learner's install runs from compiled modules.

    pip compiles an installed package and a checkout keeps ``__pycache__`` after its first
    run; with the variable set (some CI and sandboxes set it), every fresh process
    would compile the package's modules again, which no learner waits for, while the
    floor's libraries run from the bytecode pip wrote. The discarded warm-up run
    writes the package's bytecode (``__pycache__`` is ignored by git).
    """
    return {name: value for name, value in env.items() if name != "PYTHONDONTWRITEBYTECODE"}


def _env(home: str) -> dict[str, str]:
    # A throwaway progress store and matplotlib cache: nothing touches the user's files.
    return _with_bytecode({**os.environ, "BACKLESSONS_HOME": home, "MPLCONFIGDIR": os.path.join(home, "mpl")})


def _one(code: str, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds of the whole process, seconds of the statements inside it)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _TIMED.format(code=code)], capture_output=True, text=True, env=env,
                          cwd=env["BACKLESSONS_HOME"], check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"
        raise RuntimeError(f"first-use script failed: {last}")
    return wall, float(done.stdout.strip().splitlines()[-1])


def _medians(codes: list[str], env: dict[str, str]) -> list[tuple[float, float]]:
    for code in codes:
        _one(code, env)  # warm-up, discarded (file cache, .pyc files, matplotlib font cache)
    samples: list[list[tuple[float, float]]] = [[] for _ in codes]
    for _ in range(REPEATS):
        for index, code in enumerate(codes):  # alternate, so drift in load hits both alike
            samples[index].append(_one(code, env))
    return [(statistics.median(w for w, _ in runs), statistics.median(s for _, s in runs)) for runs in samples]


def _row(label: str, measured: float, floor: float, target: float) -> tuple[str, str, str, str]:
    ratio = measured / floor
    return (
        label,
        f"{ratio:.2f}x ({measured * 1000:.0f} ms vs {floor * 1000:.0f} ms)",
        f"<= {target}x",
        "ok" if ratio <= target else "MISS",
    )


def course_notebooks() -> list[Path]:
    """The notebooks the Makefile executes and tests: notebooks/*.ipynb and notebooks/instructor/*.ipynb."""
    return sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("notebooks/instructor/*.ipynb")])


def _one_cell_notebooks(folder: Path, count: int) -> list[Path]:
    import nbformat

    paths = []
    for index in range(count):
        cell = nbformat.v4.new_code_cell("1 + 1", execution_count=1)
        cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
        notebook = nbformat.v4.new_notebook(cells=[cell])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        path = folder / f"floor_{index:02d}.ipynb"
        nbformat.write(notebook, path)
        paths.append(path)
    return paths


def _nbval_seconds(paths: list[Path], home: str) -> float:
    """Wall seconds of one strict nbval run over *paths*, with the project's nbval options.

    The options are given explicitly (``-c`` an empty ini; pytest 9 refuses ``/dev/null``)
    so the course and the floor, which lives in a temporary folder outside the project,
    run under the same command.
    """
    # The user's matplotlib cache: a fresh one would print "building the font cache"
    # and fail strict nbval.
    env = _with_bytecode({**os.environ, "BACKLESSONS_HOME": home})
    empty_ini = Path(home) / "empty.ini"
    empty_ini.write_text("[pytest]\n", encoding="utf-8")
    command = [sys.executable, "-m", "pytest", "-q", "-c", str(empty_ini), "--rootdir", home, "-p", "no:cacheprovider",
               "--nbval", "--nbval-sanitize-with", str(ROOT / "notebooks" / "sanitize.cfg"), *map(str, paths)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=home, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else f"exit {done.returncode}"
        raise RuntimeError(f"nbval run failed: {tail}")
    return seconds


NBVAL_LABEL = "whole course under strict nbval / as many one-cell notebooks"


def nbval_rows() -> list[tuple[str, str, str, str]]:
    """The nbval ratio (minutes of work): course notebooks against one-cell notebooks.

    Medians of NBVAL_REPEATS runs each, floor and course alternating: one run of each
    swung by one to two seconds on an idle two-core machine, a tenth of the ratio.
    """
    notebooks = course_notebooks()
    floors, courses = [], []
    with tempfile.TemporaryDirectory(prefix="backlessons-first-use-") as home:
        floor_folder = Path(home) / "floor"
        floor_folder.mkdir()
        floor_notebooks = _one_cell_notebooks(floor_folder, len(notebooks))
        for _ in range(NBVAL_REPEATS):
            floors.append(_nbval_seconds(floor_notebooks, home))
            courses.append(_nbval_seconds(notebooks, home))
    return [_row(f"{NBVAL_LABEL} ({len(notebooks)} notebooks), wall clock, median of {NBVAL_REPEATS}",
                 statistics.median(courses), statistics.median(floors), NBVAL_TARGET)]


def rows(include_nbval: bool = False) -> list[tuple[str, str, str, str]]:
    """(benchmark, result, target, status) rows for benchmarks/run.py."""
    with tempfile.TemporaryDirectory(prefix="backlessons-first-use-") as home:
        (floor_wall, floor_code), (used_wall, used_code), (change_wall, _) = _medians(
            [FLOOR, FIRST_USE, FIRST_CHANGE], _env(home))
    table = [
        _row(f'first Quiz("01_causes") + first figure / ipywidgets + pandas + one PNG, fresh process, median of {REPEATS}',
             used_wall, floor_wall, TARGET),
        _row("same, statements only (no interpreter start-up)", used_code, floor_code, TARGET),
        _row("same + the figure's first control change (loads matplotlib, draws), wall clock", change_wall, floor_wall,
             TARGET),
    ]
    if include_nbval:
        table += nbval_rows()
    return table


if __name__ == "__main__":
    for row in rows(include_nbval="--nbval" in sys.argv):
        print(" | ".join(row))
