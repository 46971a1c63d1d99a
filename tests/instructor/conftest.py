"""Shared paths and helpers for the instructor-kit tests."""

from __future__ import annotations

import csv
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable

import pytest

from backlessons.progress import EXPORT_COLUMNS, ProgressStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "instructor"
PAYLOAD_BANK = FIXTURES / "html-payload-in-every-field.yaml"
# The interpreter running the tests (the project venv under `make test`), so the CLI runs the same install.
PYTHON = Path(sys.executable)


def export_rows(learner: str, answers: Iterable[tuple], version: str = "0.1.0") -> list[list[str]]:
    """Rows in export format from (lesson, question_id, correct, attempt, minute[, response_text])."""
    rows = []
    for lesson, qid, correct, attempt, minute, *text in answers:
        stamp = (datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc) + timedelta(minutes=minute)).isoformat()
        rows.append(["1", learner, lesson, qid, "single", "0", text[0] if text else "A. x",
                     "true" if correct else "false", "1" if correct else "0", str(attempt), stamp, version])
    return rows


@pytest.fixture
def write_export(tmp_path: Path) -> Callable[..., Path]:
    """Write an export CSV (header + rows) under tmp_path and return its path."""

    def write(name: str, rows: list[list[str]], header: Iterable[str] = EXPORT_COLUMNS) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(list(header))
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def real_export(tmp_path: Path) -> Callable[[str, str], Path]:
    """A file written by ProgressStore.export_csv itself, with a fixed clock."""

    def make(name: str, learner: str) -> Path:
        moments = iter(datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc) + timedelta(minutes=i) for i in range(100))
        with ProgressStore(":memory:", clock=lambda: next(moments)) as store:
            store.record("01_causes", "posture-as-cause", "single", 1, "B. wrong", False, 0.0, 1)
            store.record("01_causes", "posture-as-cause", "single", 0, "A. right", True, 1.0, 2)
            store.record("01_causes", "motor-control-exercise", "multiple", {0, 1}, "A; B", True, 1.0, 1)
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            store.export_csv(path, learner=learner)
        return path

    return make
