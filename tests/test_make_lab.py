"""Does `make lab` start a working JupyterLab on the start-here notebook?"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_make_lab_serves_jupyterlab_and_the_start_notebook(tmp_path):
    """Does `make lab` answer /api/status, serve 00_start_here.ipynb from the notebooks folder, and switch the
    "get notified about Jupyter news" prompt off in the settings it serves?"""
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), BROWSER="true")
    lab_args = f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token}"
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "lab", f"LAB_ARGS={lab_args}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        status = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as resp:
                    status = json.load(resp)
                break
            except OSError:
                time.sleep(0.5)
        assert status is not None, "JupyterLab did not answer /api/status within 90 s"
        assert "started" in status
        url = f"{base}/api/contents/00_start_here.ipynb?content=0&token={token}"
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert json.load(resp)["type"] == "notebook"
        # The news prompt: the server `make lab` started serves the environment's overrides as
        # the notification settings' defaults, so JupyterLab neither asks nor fetches news.
        url = f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={token}"
        with urllib.request.urlopen(url, timeout=10) as resp:
            defaults = json.load(resp)["schema"]["properties"]
        assert defaults["fetchNews"]["default"] == "false" and defaults["checkForUpdates"]["default"] is False
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
