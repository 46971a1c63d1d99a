"""Benchmark: choosing the questions due for spaced review (backlessons.review), in a temporary folder.

A store of 10,000 answers over 136 questions (the shipped course's size), spread over
90 days as a learner who comes back now and then would leave it:

* **choose due questions** (what ``bl.Review()`` and the dashboard do on every run):
  check that every question's review state is up to date, then pick the 10 most
  overdue; target <= 50 ms (issue 17);
* the same after one new answer (one question's card rebuilt from its history);
* the first look after an upgrade from a version-1 file (every card built from all
  10,000 answers through FSRS): measured, no target; it happens once per file.

``rows()`` follows the contract in benchmarks/run.py; run this file to print them.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

__all__ = ["rows", "build_store"]

ANSWERS = 10_000
QUESTIONS = 136
DAYS = 90
TARGET_S = 0.050
REPEATS = 7
START = datetime(2026, 1, 1, 8, 0, tzinfo=timezone.utc)


def build_store(path: Path, answers: int = ANSWERS, questions: int = QUESTIONS) -> datetime:
    """Write *answers* answers over *questions* questions in ten lessons; return the time just after the last."""
    from backlessons.progress import ProgressStore

    rng = random.Random(17)
    moments = sorted(START + timedelta(seconds=rng.randrange(DAYS * 86_400)) for _ in range(answers))
    clock = iter(moments)
    attempts: dict[tuple[str, str], int] = {}
    with ProgressStore(path, clock=lambda: next(clock)) as store:
        for i in range(answers):
            q = rng.randrange(questions)
            key = (f"{q % 10:02d}_lesson", f"q{q}")
            attempts[key] = attempts.get(key, 0) + 1
            correct = rng.random() < 0.7
            store.record(key[0], key[1], "single", 0, "A", correct, 1.0 if correct else 0.0, attempts[key])
    return moments[-1] + timedelta(minutes=5)


def _median_s(work: Callable[[], object], setup: Callable[[], object] = lambda: None) -> float:
    times = []
    for _ in range(REPEATS):
        setup()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _status(ok: bool) -> str:
    return "ok" if ok else "MISS"


def rows() -> list[tuple[str, str, str, str]]:
    """(benchmark, result, target, status) rows for benchmarks/run.py."""
    from backlessons import review
    from backlessons.progress import ProgressStore

    with tempfile.TemporaryDirectory(prefix="backlessons-review-bench-") as tmp:
        path = Path(tmp) / "progress.sqlite3"
        now = build_store(path)
        with ProgressStore(path) as store:
            cold = _median_s(lambda: review.due_questions(store, n=10, now=now), setup=store.reset_review)
            due = review.due_questions(store, n=10, now=now)
            warm = _median_s(lambda: review.due_questions(store, n=10, now=now))
            # Floor, same run and data: the dashboard's one-query summary of every answer.
            floor = _median_s(store.summary)
            counter = iter(range(10**6))

            def one_more_answer() -> None:
                store.record("00_lesson", "q0", "single", 0, "A", True, 1.0, 10_000 + next(counter))

            after_one = _median_s(lambda: review.due_questions(store, n=10, now=now), setup=one_more_answer)
    label = f"{ANSWERS:,} answers over {QUESTIONS} questions"
    return [
        (
            f"review: choose the 10 most overdue questions ({label}; {len(due)} shown)",
            f"{warm * 1000:.1f} ms ({warm / floor:.2f}x summary() at {floor * 1000:.1f} ms)",
            f"<= {TARGET_S * 1000:.0f} ms",
            _status(warm <= TARGET_S and len(due) == 10),
        ),
        (
            f"review: the same right after a new answer ({label})",
            f"{after_one * 1000:.1f} ms",
            f"<= {TARGET_S * 1000:.0f} ms",
            _status(after_one <= TARGET_S),
        ),
        (
            f"review: first look after an upgrade, every card built by FSRS ({label})",
            f"{cold * 1000:.0f} ms",
            "-",
            "info",
        ),
    ]


if __name__ == "__main__":
    for row in rows():
        print(" | ".join(row))
