"""Every course notebook, run top to bottom in JupyterLab in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

import lab

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(
    p.relative_to(lab.REPO_ROOT / "notebooks").as_posix()
    for p in (lab.REPO_ROOT / "notebooks").rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)


def test_there_are_notebooks_to_run() -> None:
    """Does the parametrized run below have any course notebooks to cover?"""
    assert any(Path(name).name[:2].isdigit() for name in NOTEBOOKS), NOTEBOOKS


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_clean_in_jupyterlab(
    name: str, page: Page, lab_server: lab.LabServer, page_log: Any
) -> None:
    """Does Run All finish without errors, with every widget rendered in the browser?"""
    run = lab.run_notebook(page, lab_server, name)
    assert run.errors == [], f"{name}: error output after Run All:\n" + "\n---\n".join(run.errors)
    assert run.widget_problems == [], f"{name}: widgets that did not render: {run.widget_problems}"
    assert run.views == run.expected_views, (
        f"{name}: {run.views} widget views rendered, expected {run.expected_views} "
        f"(one per bl.Quiz/EvidenceCard/ExerciseCard/ProgressDashboard/figures call); "
        f"cells without a view: {run.missing_views}; page errors: {page_log.page_errors}; "
        f"screenshot: {run.screenshot}"
    )
    assert page_log.page_errors == [], f"{name}: uncaught errors in the page: {page_log.page_errors}"
    # A widget view that fails to render logs "Could not create a view…" here.
    assert page_log.console_errors == [], f"{name}: console errors: {page_log.console_errors}"


def test_a_missing_view_is_named_by_its_cell(page: Page, lab_server: lab.LabServer) -> None:
    """When views are missing, does the check name each widget cell that lacks one?"""
    name = "08_red_flags_and_clinical_reasoning.ipynb"
    lab.open_notebook(page, lab_server, name)
    lab.clear_all_outputs(page)
    missing = lab.cells_without_view(page)
    assert len(missing) == lab.expected_widget_views(lab_server.root_dir / name), missing
    assert any('bl.RedFlagCase("groin_pain_runner")' in entry for entry in missing), missing
    assert all(entry.endswith("no output at all") for entry in missing), missing
