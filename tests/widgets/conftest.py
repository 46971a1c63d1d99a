"""Fixtures for the widget tests: a throwaway progress store and the fixture banks."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from backlessons.progress import ProgressStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "widgets"
EVERY_TYPE = FIXTURES / "every-question-type.yaml"
PAYLOADS = FIXTURES / "html-payloads-in-every-field.yaml"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProgressStore]:
    with ProgressStore(tmp_path / "progress.sqlite3") as s:
        yield s
