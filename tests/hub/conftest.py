"""The hub tests drive Chromium with the browser tests' helpers (tests/browser/lab.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BROWSER_TESTS = Path(__file__).resolve().parents[1] / "browser"
if str(BROWSER_TESTS) not in sys.path:
    sys.path.insert(0, str(BROWSER_TESTS))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            # "browser" too: Playwright tests run last (see the root conftest).
            item.add_marker(pytest.mark.hub)
            item.add_marker(pytest.mark.browser)
