"""Drive a real JupyterLab in headless Chromium: start the server, open notebooks, run them.

Shared by the browser tests (tests/browser/) and benchmarks/browser_latency.py, so both
measure the same thing. Selectors are JupyterLab 4 / ipywidgets 8 DOM classes.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

__all__ = [
    "CHROMIUM_ARGS",
    "REPO_ROOT",
    "ARTIFACTS",
    "WIDGET_CALL",
    "LabServer",
    "NotebookRun",
    "chromium_path",
    "chromium_missing_message",
    "run_lab",
    "launch_browser",
    "write_notebook",
    "open_notebook",
    "reload_notebook",
    "run_all",
    "clear_all_outputs",
    "wait_idle",
    "wait_widgets",
    "WIDGET_VIEW_MIME",
    "error_outputs",
    "widget_problems",
    "top_level_widget_views",
    "expected_widget_views",
    "screenshot_notebook",
    "run_notebook",
    "shutdown_kernels",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"

# Flags that keep headless Chromium quiet and quick in containers and on CI runners.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# A top-level widget in a notebook is one of these calls; course_map/references/table
# return plain HTML and are not widgets.
WIDGET_CALL = re.compile(
    r"\bbl\.(?:Quiz|EvidenceCard|ExerciseCard|RedFlagCase|NiceExplorer|ProgressDashboard|figures\.[A-Za-z_]\w*)\s*\("
)

# Settings every test session starts from: all cells stay in the DOM (no virtual
# scrolling, so screenshots and selectors see everything) and no news / update toasts.
LAB_OVERRIDES: dict[str, dict[str, Any]] = {
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none", "scrollPastEnd": False},
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/extensionmanager-extension:plugin": {"enabled": False},
}


def chromium_path() -> str | None:
    """The Chromium to drive: $BACKLESSONS_CHROMIUM, else `chromium` on PATH."""
    return os.environ.get("BACKLESSONS_CHROMIUM") or shutil.which("chromium")


def chromium_missing_message() -> str:
    return (
        "Chromium not found: the browser tests drive a system Chromium "
        "(Playwright's own browser download is not used). Install it "
        "(Debian/Ubuntu: `apt-get install chromium`) or point BACKLESSONS_CHROMIUM "
        "at a Chromium/Chrome binary."
    )


@dataclass
class LabServer:
    """A running `jupyter lab` and where its files live."""

    base_url: str
    token: str
    root_dir: Path
    home: Path
    log_path: Path
    proc: subprocess.Popen[bytes]

    def url(self, path: str, **query: str) -> str:
        query = {"token": self.token, **query}
        qs = "&".join(f"{k}={v}" for k, v in query.items())
        return f"{self.base_url}{path.lstrip('/')}?{qs}"

    def api(self, method: str, path: str, body: Any = None) -> Any:
        req = urllib.request.Request(
            self.base_url + path.lstrip("/"),
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
            data=None if body is None else json.dumps(body).encode(),
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children() -> dict[int, list[int]]:
    """Map pid -> child pids from /proc (Linux); empty elsewhere."""
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # The command name may contain spaces and parentheses; ppid follows the last ')'.
        ppid = int(text.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(stat.parent.name))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie has exited; it only waits for its parent to reap it.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state != "Z"


def _lab_env(tmp: Path, home: Path) -> dict[str, str]:
    env = dict(os.environ)
    # The tester's own Jupyter/IPython configuration must not leak in. sys.prefix stays
    # on the data path (jupyter_core always adds it), so the venv's ipywidgets
    # labextension is still found.
    for var in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTER_PREFER_ENV_PATH"):
        env.pop(var, None)
    env.update(
        BACKLESSONS_HOME=str(home),
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_DATA_DIR=str(tmp / "data"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "config" / "lab" / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        IPYTHONDIR=str(tmp / "ipython"),
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    return env


@contextlib.contextmanager
def run_lab(root_dir: Path, tmp: Path, *, startup_timeout: float = 60.0) -> Iterator[LabServer]:
    """Start `jupyter lab` serving root_dir; stop it and every process it started on exit."""
    home = tmp / "home"
    settings = tmp / "app-settings"
    for folder in (home, settings, tmp / "config", tmp / "data", tmp / "runtime"):
        folder.mkdir(parents=True, exist_ok=True)
    (settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=2))
    port, token = _free_port(), secrets.token_hex(24)
    cmd = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        f"--LabApp.app_settings_dir={settings}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = tmp / "jupyter-lab.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        cmd, cwd=root_dir, env=_lab_env(tmp, home), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    server = LabServer(f"http://127.0.0.1:{port}/", token, root_dir, home, log_path, proc)
    seen: set[int] = set()
    try:
        _wait_started(server, startup_timeout)
        yield server
    finally:
        seen = _descendants(proc.pid)
        with contextlib.suppress(Exception):
            shutdown_kernels(server)
        seen |= _descendants(proc.pid)
        _stop(proc, seen)
        log.close()
    leftovers = sorted(pid for pid in seen | {proc.pid} if _alive(pid))
    if leftovers:
        raise RuntimeError(f"jupyter lab left processes running: {leftovers}")


def _wait_started(server: LabServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last_error = ""
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(
                f"jupyter lab exited with code {server.proc.returncode}:\n{server.log_tail()}"
            )
        try:
            server.api("GET", "api/status")
            return
        except (urllib.error.URLError, OSError) as err:
            last_error = str(err)
        time.sleep(0.25)
    raise RuntimeError(
        f"jupyter lab did not answer /api/status within {timeout:.0f} s ({last_error}):\n"
        f"{server.log_tail()}"
    )


def _stop(proc: subprocess.Popen[bytes], others: set[int]) -> None:
    # SIGTERM lets the server shut its kernels down; kernels run in their own sessions,
    # so anything still alive afterwards is killed by pid, never by name.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in others):
        time.sleep(0.2)
    for pid in others:
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)


def shutdown_kernels(server: LabServer) -> None:
    """Shut down every running kernel (each test's notebook starts its own)."""
    for session in server.api("GET", "api/sessions") or []:
        with contextlib.suppress(urllib.error.HTTPError):
            server.api("DELETE", f"api/sessions/{session['id']}")
    for kernel in server.api("GET", "api/kernels") or []:
        with contextlib.suppress(urllib.error.HTTPError):
            server.api("DELETE", f"api/kernels/{kernel['id']}")


def launch_browser(playwright: Playwright) -> Browser:
    """Launch the system Chromium headless (raises FileNotFoundError when it is missing)."""
    exe = chromium_path()
    if not exe:
        raise FileNotFoundError(chromium_missing_message())
    args = list(CHROMIUM_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.insert(0, "--no-sandbox")
    return playwright.chromium.launch(executable_path=exe, headless=True, args=args)


_SHARED: dict[str, Any] = {}


def shared_browser() -> Browser:
    """The test session's one Chromium, started on first use.

    Playwright's sync API allows one running instance per thread, so the browser tests and
    the JupyterHub test share this one; :func:`close_shared_browser` ends it.
    """
    if "browser" not in _SHARED:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        try:
            _SHARED["browser"] = launch_browser(playwright)
        except BaseException:
            playwright.stop()
            raise
        _SHARED["playwright"] = playwright
        atexit.register(close_shared_browser)
    return _SHARED["browser"]


def close_shared_browser() -> None:
    """Close the shared Chromium and stop Playwright (nothing happens if neither is running)."""
    browser, playwright = _SHARED.pop("browser", None), _SHARED.pop("playwright", None)
    with contextlib.suppress(Exception):
        if browser is not None:
            browser.close()
    with contextlib.suppress(Exception):
        if playwright is not None:
            playwright.stop()


# ---------------------------------------------------------------------------------------
# Page helpers

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"


def write_notebook(path: Path, *sources: str) -> None:
    """Write a notebook of unexecuted code cells, one per source, to *path*."""
    cells = [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"cell-{n}",
            "metadata": {},
            "outputs": [],
            "source": source,
        }
        for n, source in enumerate(sources)
    ]
    notebook = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")


def open_notebook(page: Page, server: LabServer, name: str, *, timeout: float = 60.0) -> None:
    """Open notebooks/<name> in a fresh workspace and wait for its kernel to be idle."""
    # A fresh workspace per page, so earlier tests' open tabs are not restored.
    workspace = f"t{uuid.uuid4().hex[:12]}"
    # Start the kernel now, while the page loads; JupyterLab joins this session.
    server.api(
        "POST",
        "api/sessions",
        {"path": name, "name": Path(name).name, "type": "notebook", "kernel": {"name": "python3"}},
    )
    page.goto(server.url(f"lab/workspaces/{workspace}/tree/{name}"), wait_until="domcontentloaded")
    _wait_ready(page, server, name, timeout)


def reload_notebook(page: Page, server: LabServer, name: str, *, timeout: float = 60.0) -> None:
    """Reload the page (the kernel keeps running) and wait until the notebook is usable."""
    page.reload(wait_until="domcontentloaded")
    _wait_ready(page, server, name, timeout)


def _wait_ready(page: Page, server: LabServer, name: str, timeout: float) -> None:
    page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for(timeout=timeout * 1000)
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=timeout * 1000)
    # The toolbar indicator reads "idle" before the kernel even exists, and a Run All
    # sent then is lost; so also wait for the server to see this page's kernel
    # connected and idle.
    deadline = time.monotonic() + timeout
    while not _kernel_ready(page, server, name):
        if time.monotonic() > deadline:
            raise TimeoutError(f"kernel for {name} not ready after {timeout:.0f} s")
        time.sleep(0.2)


def _kernel_ready(page: Page, server: LabServer, name: str) -> bool:
    status = page.evaluate(
        """() => document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator')
              ?.getAttribute('data-status')"""
    )
    if status != "idle":
        return False
    for session in server.api("GET", "api/sessions") or []:
        kernel = session.get("kernel") or {}
        if (
            session.get("path") == name
            and kernel.get("execution_state") == "idle"
            and kernel.get("connections", 0) >= 1
        ):
            return True
    return False


def _menu(page: Page, menu: str, *commands: str) -> None:
    page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{menu}$")).click()
    page.locator(",".join(f'.lm-Menu-item[data-command="{c}"]' for c in commands)).first.click()


def clear_all_outputs(page: Page) -> None:
    """Edit → Clear Outputs of All Cells; execution counts go back to [ ]."""
    _menu(page, "Edit", "editmenu:clear-all", "notebook:clear-all-cell-outputs")
    page.wait_for_function(
        r"""() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                 .every(p => !/\[\d+\]/.test(p.textContent))"""
    )


def run_all(page: Page) -> None:
    """Clear every output, then Run → Run All Cells, through the menus as a user would.

    Clearing first matters: a notebook saved with outputs already shows [1], [2]…
    and its old outputs, which would look like a finished run.
    """
    clear_all_outputs(page)
    for _ in range(3):
        # The Run menu wraps the notebook's command as `runmenu:run-all` in JupyterLab 4.
        _menu(page, "Run", "runmenu:run-all", "notebook:run-all-cells")
        # Queued cells show [*] at once; if none does, the click was lost (a kernel
        # reconnect drops queued requests), so try again.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            state = page.evaluate(_CELLS_STATE_JS)
            if state["pending"] or not state["unrun"] or state["errors"]:
                return
            time.sleep(0.05)
    raise RuntimeError("Run All Cells did not start any cell")


_CELLS_STATE_JS = """
() => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
  let pending = 0, unrun = 0;
  for (const cell of cells) {
    const prompt = (cell.querySelector('.jp-InputPrompt')?.textContent || '').trim();
    const source = (cell.querySelector('.cm-content')?.textContent || '').trim();
    if (prompt.includes('*')) pending += 1;
    else if (source && !/\\[\\d+\\]/.test(prompt)) unrun += 1;
  }
  const status = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator')
    ?.getAttribute('data-status');
  const errors = document.querySelectorAll(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length;
  return {pending, unrun, status, errors, cells: cells.length};
}
"""


def wait_idle(page: Page, *, timeout: float = 180.0, settle: float = 0.4) -> dict[str, Any]:
    """Wait until the kernel is idle and no cell is queued or running.

    Done means: every non-empty code cell has an execution count, or an error stopped
    Run All (the remaining cells never run). The state must hold for `settle` seconds,
    because the kernel is briefly idle between cells.
    """
    deadline = time.monotonic() + timeout
    stable_since: float | None = None
    state: dict[str, Any] = {}
    while time.monotonic() < deadline:
        state = page.evaluate(_CELLS_STATE_JS)
        done = (
            state["status"] == "idle"
            and state["pending"] == 0
            and (state["unrun"] == 0 or state["errors"] > 0)
        )
        if done:
            stable_since = stable_since or time.monotonic()
            if time.monotonic() - stable_since >= settle:
                state["done_at"] = stable_since  # when it finished, without the settle wait
                return state
        else:
            stable_since = None
        time.sleep(0.1)
    raise TimeoutError(f"notebook still running after {timeout:.0f} s: {state}")


def error_outputs(page: Page) -> list[str]:
    """Text of every stderr / traceback output in the notebook."""
    return page.eval_on_selector_all(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"],'
        '.jp-OutputArea-output[data-mime-type*="error"],'
        '.jp-RenderedText[data-mime-type*="error"]',
        "els => els.map(e => e.innerText.slice(0, 2000))",
    )


def widget_problems(page: Page) -> list[str]:
    """Widgets that failed to render, and placeholders that never turned into views.

    A view that throws while rendering shows ipywidgets' error widget (an icon and
    "Click to show javascript error."), possibly deep inside a box that otherwise
    rendered; clicking it reveals the JavaScript error, which is reported here.
    """
    problems: list[str] = []
    errors = page.locator(".jp-Notebook .jupyter-widgets-error-widget")
    for n in range(errors.count()):
        error = errors.nth(n)
        with contextlib.suppress(Exception):
            error.click(timeout=2000)
        text = error.inner_text(timeout=2000).strip()
        problems.append("widget view failed: " + " ".join(text.split())[:600])
    problems += page.evaluate(
        """() => {
          const found = [];
          for (const el of document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')) {
            const text = el.innerText || '';
            for (const bad of ['Error displaying widget', 'Loading widget', 'Error rendering']) {
              if (text.includes(bad)) found.push(text.slice(0, 300));
            }
          }
          return found;
        }"""
    )
    return problems


def top_level_widget_views(page: Page) -> int:
    """Code-cell outputs that hold a rendered widget view.

    ipywidgets 8 renders a widget output as `.jp-OutputArea-output` whose child is the
    view's `.jupyter-widgets` element (no data-mime-type attribute). Outputs nested in
    another widget (an Output widget showing a plot inside a figure) do not count.
    """
    return page.evaluate(
        """() => [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')]
            .filter(el => !el.parentElement.closest('.jupyter-widgets'))
            .filter(el => [...el.children].some(c => c.classList.contains('jupyter-widgets')))
            .length"""
    )


def cells_without_view(page: Page) -> list[str]:
    """Code cells whose source makes a widget but whose outputs hold no rendered view.

    Each entry names the cell (number, first source line, prompt) and what its output
    area shows instead, so a failure says which widget went missing and how.
    """
    return page.evaluate(
        """(pattern) => {
          const call = new RegExp(pattern);
          const found = [];
          const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
          cells.forEach((cell, n) => {
            const source = (cell.querySelector('.cm-content')?.innerText || '')
              .split('\\n').map(line => line.split('#')[0]).join('\\n');
            if (!call.test(source)) return;
            const outputs = [...cell.querySelectorAll('.jp-OutputArea-output')]
              .filter(el => !el.parentElement.closest('.jupyter-widgets'));
            const hasView = outputs.some(
              el => [...el.children].some(c => c.classList.contains('jupyter-widgets')));
            if (hasView) return;
            const prompt = (cell.querySelector('.jp-InputPrompt')?.textContent || '').trim();
            const shown = outputs.map(el =>
              (el.getAttribute('data-mime-type') || 'no mime type') + ': ' +
              (el.innerHTML || '').slice(0, 300)).join(' | ') || 'no output at all';
            found.push(`cell ${n} ${prompt} ${source.trim().split('\\n')[0]} -> ${shown}`);
          });
          return found;
        }""",
        WIDGET_CALL.pattern,
    )


def wait_widgets(page: Page, expected: int, *, timeout: float = 30.0) -> tuple[int, bool]:
    """Wait until `expected` top-level widget views rendered.

    Returns the count seen and whether they were all there at the first look.
    """
    deadline = time.monotonic() + timeout
    count = top_level_widget_views(page)
    at_once = count >= expected
    while count < expected and time.monotonic() < deadline:
        time.sleep(0.1)
        count = top_level_widget_views(page)
    return count, at_once


def expected_widget_views(notebook: Path) -> int:
    """Widget views Run All must render in this notebook.

    The larger of: the `bl.` widget calls in its code cells (one view each), and the
    widget outputs saved in the file (nbval keeps outputs in the notebooks, and they
    also cover widgets not made through `bl.`, such as the instructor's explorer).
    """
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    calls = saved = 0
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        # Comments do not call anything.
        source = "\n".join(line.split("#", 1)[0] for line in source.splitlines())
        calls += len(WIDGET_CALL.findall(source))
        saved += sum(
            1 for out in cell.get("outputs", []) if WIDGET_VIEW_MIME in out.get("data", {})
        )
    return max(calls, saved)


def screenshot_notebook(page: Page, name: str, *, max_height: int = 32000) -> Path:
    """Screenshot the whole notebook: hide the file browser, grow the viewport to the
    notebook's full height and scroll it to the top. Saved as test-artifacts/browser/<stem>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{Path(name).stem}.png"
    open_tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if open_tab.count():
        open_tab.first.click()  # clicking the open tab collapses the left sidebar
    scroller_js = """() => document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')
                       || document.querySelector('.jp-NotebookPanel .jp-Notebook')"""
    extra = page.evaluate(f"() => {{ const s = ({scroller_js})(); "
                          "return s ? s.scrollHeight - s.clientHeight : 0; }")
    size = page.viewport_size or {"width": 1280, "height": 900}
    if extra > 0:
        height = min(size["height"] + extra + 40, max_height)
        page.set_viewport_size({"width": size["width"], "height": height})
    page.evaluate(f"() => {{ const s = ({scroller_js})(); if (s) s.scrollTop = 0; }}")
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


@dataclass
class NotebookRun:
    """What Run All left on the page."""

    name: str
    seconds: float
    expected_views: int
    views: int
    errors: list[str] = field(default_factory=list)
    widget_problems: list[str] = field(default_factory=list)
    screenshot: Path | None = None
    #: For each widget-making cell without a rendered view: its source and what it shows.
    missing_views: list[str] = field(default_factory=list)


def run_notebook(
    page: Page, server: LabServer, name: str, *, screenshot: bool = True, timeout: float = 240.0,
    retry: bool = True,
) -> NotebookRun:
    """Open, Run All, wait for idle and for the widgets; collect what a test checks."""
    open_notebook(page, server, name)
    expected = expected_widget_views(server.root_dir / name)
    start = time.monotonic()
    run_all(page)
    done_at = wait_idle(page, timeout=timeout)["done_at"]
    views, at_once = wait_widgets(page, expected)
    if views < expected:
        # Under load a view can still be settling; bring each cell that lacks one into
        # view and count again before calling it missing.
        for cell in range(len(cells_without_view(page))):
            page.locator(".jp-Notebook .jp-CodeCell").nth(cell).scroll_into_view_if_needed()
        views, _ = wait_widgets(page, expected, timeout=15.0)
    # Widgets usually render before the kernel goes idle; if not, count until they did.
    seconds = (done_at if at_once else time.monotonic()) - start
    result = NotebookRun(
        name, seconds, expected, views, error_outputs(page), widget_problems(page)
    )
    if views < expected:
        result.missing_views = cells_without_view(page)
    # ipywidgets' front end drops its models when the kernel connection blips, and an
    # output drawn meanwhile shows "model not found" (ipywidgets#3231; seen on a loaded
    # 2-core CI runner, never when run alone), as a missing view or a failed child.
    # Run All once more; a widget that fails twice still fails.
    lost = [m for m in result.missing_views + result.widget_problems if "model not found" in m]
    if retry and lost:
        return run_notebook(page, server, name, screenshot=screenshot, timeout=timeout, retry=False)
    if screenshot:
        result.screenshot = screenshot_notebook(page, name)
    return result
