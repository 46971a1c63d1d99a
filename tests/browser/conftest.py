"""Fixtures for the browser tests: one JupyterLab and one Chromium per session, a page per test.

JupyterLab serves a temporary copy of notebooks/ (tests may add their own notebooks to
it) with its own config, data, runtime and BACKLESSONS_HOME folders, so neither the
repository nor the tester's settings or progress are touched.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import lab

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

NOTEBOOKS = lab.REPO_ROOT / "notebooks"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _require_chromium() -> str:
    exe = lab.chromium_path()
    if exe and Path(exe).exists():
        return exe
    message = lab.chromium_missing_message()
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        # On CI a missing browser is a broken runner, never a reason to skip.
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[lab.LabServer]:
    """A running JupyterLab serving a temporary copy of notebooks/."""
    _require_chromium()
    tmp = tmp_path_factory.mktemp("jupyterlab")
    root = tmp / "notebooks"
    shutil.copytree(
        NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    )
    with lab.run_lab(root, tmp) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session (shared with the JupyterHub test)."""
    _require_chromium()
    from playwright.sync_api import expect

    # Every click waits for a kernel round trip; give slow CI runners room.
    expect.set_options(timeout=15_000)
    try:
        yield lab.shared_browser()
    finally:
        lab.close_shared_browser()


class PageLog:
    """Console errors, uncaught page errors and dialogs seen by one page."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser: Browser, lab_server: lab.LabServer, page_log: PageLog) -> Iterator[Page]:
    """A new browser context and page; its kernels are shut down afterwards."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    new_page = context.new_page()
    new_page.on(
        "console",
        lambda msg: page_log.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    new_page.on("pageerror", lambda err: page_log.page_errors.append(str(err)))

    def on_dialog(dialog: Any) -> None:
        if dialog.type == "beforeunload":
            # JupyterLab asks before leaving a notebook with unsaved outputs; leave.
            dialog.accept()
            return
        page_log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    new_page.on("dialog", on_dialog)
    try:
        yield new_page
    finally:
        context.close()
        lab.shutdown_kernels(lab_server)


@pytest.fixture
def write_notebook(lab_server: lab.LabServer) -> Callable[..., str]:
    """Write a notebook of code cells into the served folder; returns its name."""

    def write(name: str, *sources: str) -> str:
        lab.write_notebook(lab_server.root_dir / name, *sources)
        return name

    return write
