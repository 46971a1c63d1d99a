"""Test-session setup shared by unit tests, nbval and browser tests."""

import os
import tempfile

import pytest

# The session's throwaway home, set once; each notebook under nbval gets its own.
_SESSION_HOME = ""
_notebook_with_home = None


def pytest_configure(config):
    # Progress and any other user data go to a throwaway folder, never the repo or the
    # tester's real data dir; nbval and browser-test kernels inherit this environment.
    global _SESSION_HOME
    _SESSION_HOME = tempfile.mkdtemp(prefix="backlessons-test-home-")
    os.environ["BACKLESSONS_HOME"] = _SESSION_HOME
    # Hypothesis keeps its example database in ./.hypothesis by default: not in the repo.
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(tempfile.mkdtemp(prefix="backlessons-hypothesis-"))
    # Build matplotlib's font cache here: on a fresh machine the first kernel would
    # otherwise print "building the font cache" to stderr and fail strict nbval.
    import matplotlib.font_manager  # noqa: F401


def pytest_collection_modifyitems(session, config, items):
    # Browser tests last: Playwright's sync API leaves an asyncio loop marked as running
    # in this thread until the session ends, which unit tests must not inherit.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def _is_notebook_cell(item):
    return type(item.parent).__name__ == "IPyNbFile"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # nbval starts a notebook's kernel when its first cell is set up, and the kernel
    # inherits this environment. A home of its own means a unit test that saved progress
    # to the session home earlier cannot change what a notebook's dashboard shows.
    global _notebook_with_home
    if _is_notebook_cell(item) and item.parent is not _notebook_with_home:
        _notebook_with_home = item.parent
        os.environ["BACKLESSONS_HOME"] = tempfile.mkdtemp(prefix="backlessons-nbval-home-")


def pytest_runtest_teardown(item, nextitem):
    if _is_notebook_cell(item) and (nextitem is None or nextitem.parent is not item.parent):
        os.environ["BACKLESSONS_HOME"] = _SESSION_HOME
