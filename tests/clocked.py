"""A clock tests move by hand, and a progress store that reads it (spaced-review tests)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from backlessons.progress import ProgressStore

__all__ = ["TODAY", "TOMORROW", "Clock", "clock", "store"]

TODAY = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)  # a Monday
TOMORROW = TODAY + timedelta(days=1)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(TODAY)


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[ProgressStore]:
    with ProgressStore(tmp_path / "progress.sqlite3", clock=clock) as opened:
        yield opened
