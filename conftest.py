"""Test-session setup shared by unit tests, nbval and browser tests."""

import os
import tempfile


def pytest_configure(config):
    # Progress and any other user data go to a throwaway folder, never the repo or the
    # tester's real data dir; nbval and browser-test kernels inherit this environment.
    os.environ["BACKLESSONS_HOME"] = tempfile.mkdtemp(prefix="backlessons-test-home-")
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
