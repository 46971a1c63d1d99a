"""`make lab` must open JupyterLab without the "get notified about Jupyter news" prompt,
through the project environment's own settings (never the user's)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OVERRIDES = ROOT / "etc" / "lab-overrides.json"


def test_overrides_turn_off_news_with_keys_jupyterlab_knows():
    """Does etc/lab-overrides.json switch news and update checks off, using keys of JupyterLab's own schema?"""
    from jupyterlab.commands import get_app_dir

    settings = json.loads(OVERRIDES.read_text(encoding="utf-8"))
    notification = settings["@jupyterlab/apputils-extension:notification"]
    assert notification["fetchNews"] == "false" and notification["checkForUpdates"] is False
    schema_file = Path(get_app_dir()) / "schemas" / "@jupyterlab" / "apputils-extension" / "notification.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert set(notification) <= set(schema["properties"])
    assert "false" in json.dumps(schema["properties"]["fetchNews"])


def test_make_lab_installs_the_overrides_into_the_environment(tmp_path):
    """Does `make lab` copy the overrides into <venv>/share/jupyter/lab/settings (where JupyterLab reads them),
    and nowhere in the user's home?"""
    venv = tmp_path / "venv"
    dry = subprocess.run(["make", "-n", "lab", f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True, check=True)
    target = f"{venv}/share/jupyter/lab/settings/overrides.json"
    assert f"cp etc/lab-overrides.json {target}" in dry.stdout
    assert "~" not in dry.stdout and str(Path.home() / ".jupyter") not in dry.stdout


def test_jupyterlab_reads_settings_overrides_from_the_environment():
    """Is the environment's share/jupyter/lab/settings JupyterLab's default app settings folder?"""
    import sys

    from jupyterlab.commands import get_app_dir

    assert Path(get_app_dir()).resolve() == (Path(sys.prefix) / "share" / "jupyter" / "lab").resolve()
