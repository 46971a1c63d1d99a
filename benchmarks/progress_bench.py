"""Benchmark: the progress store (backlessons.progress.ProgressStore), in a temporary folder.

What a learner feels:

* each **Check** click saves one answer: writes per second, and so milliseconds per
  click, in one kernel (target >= 100/s, i.e. <= 10 ms a click; chosen here, not by
  the architecture page);
* two kernels saving at once: answers per second across both, and that none is lost
  (nor sent to memory: a ``ProgressWarning`` from either writer counts as a miss);
* opening a store that already holds 10,000 answers (the integrity check reads every
  page) and refreshing the dashboard (``summary()`` + ``review_next()``) over them:
  target <= 100 ms each, so a notebook start or a dashboard refresh has no visible lag.

``rows()`` follows the contract in benchmarks/run.py; run this file to print them.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Callable

__all__ = ["rows", "writes_per_second", "two_process_writes", "timed_reads"]

WRITES = 2_000
REPEATS = 3
BIG = 10_000
TARGET_WRITES = 100.0
TARGET_READ_S = 0.100


def _answer(store: object, i: int, lesson: str = "01_causes") -> None:
    store.record(lesson, f"q{i % 25}", "multiple", [i % 4, (i + 1) % 4], "A; B", i % 3 == 0, (i % 5) / 4, 1 + i // 25)  # type: ignore[attr-defined]


def writes_per_second(folder: Path, count: int = WRITES) -> float:
    """Median answers saved per second by one store, each in its own transaction."""
    from backlessons.progress import ProgressStore

    rates = []
    for run in range(REPEATS):
        with ProgressStore(folder / f"writes-{run}.sqlite3") as store:
            start = time.perf_counter()
            for i in range(count):
                _answer(store, i)
            rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates)


_WRITER = textwrap.dedent(
    """
    import sys, time, warnings
    from pathlib import Path
    from backlessons.progress import ProgressStore
    warnings.simplefilter("always")  # a fallback to memory must show up in stderr
    db, name, go, ready, count = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5])
    store = ProgressStore(db)
    ready.touch()
    while not go.exists():
        time.sleep(0.0005)
    for attempt in range(1, count + 1):
        store.record(name, "q", "single", attempt, "t", False, 0.0, attempt)
    store.close()
    """
)


def two_process_writes(folder: Path, count: int = 1_000) -> tuple[float, int, list[str]]:
    """(answers per second across two processes writing at once, rows found afterwards,
    ProgressWarning lines the writers printed)."""
    from backlessons.progress import ProgressStore

    db, go = folder / "two.sqlite3", folder / "go"
    flags = [folder / "ready-a", folder / "ready-b"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(db), name, str(go), str(flag), str(count)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, flag in zip(("a", "b"), flags)
    ]
    try:
        while not all(flag.exists() for flag in flags):
            exited = [proc for proc in procs if proc.poll() is not None]
            if exited:
                raise RuntimeError(f"a writer process exited before starting: {exited[0].communicate()[1].strip()}")
            time.sleep(0.005)
        start = time.perf_counter()
        go.touch()
        errors = [proc.communicate(timeout=600)[1] for proc in procs]
        elapsed = time.perf_counter() - start
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    with ProgressStore(db) as store:
        found = len(store.events())
    warned = [line for text in errors for line in text.splitlines() if "ProgressWarning" in line]
    for line in warned:  # stderr is allowed by the runner's contract, and says why rows are missing
        print(line, file=sys.stderr)
    return 2 * count / elapsed, found, warned


def _median_s(work: Callable[[], object]) -> float:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed_reads(folder: Path, count: int = BIG) -> tuple[float, float]:
    """(seconds to open a store of *count* answers, seconds for summary() + review_next())."""
    from backlessons.progress import ProgressStore

    path = folder / "big.sqlite3"
    with ProgressStore(path) as store:
        for i in range(count):
            _answer(store, i, lesson=f"lesson{i % 10}")

    def open_close() -> None:
        ProgressStore(path).close()

    with ProgressStore(path) as store:
        dashboard = _median_s(lambda: (store.summary(), store.review_next()))
    return _median_s(open_close), dashboard


def _status(ok: bool) -> str:
    return "ok" if ok else "MISS"


def rows() -> list[tuple[str, str, str, str]]:
    """(benchmark, result, target, status) rows for benchmarks/run.py."""
    with tempfile.TemporaryDirectory(prefix="backlessons-progress-bench-") as tmp:
        folder = Path(tmp)
        rate = writes_per_second(folder)
        pair_rate, found, warned = two_process_writes(folder)
        open_s, dashboard_s = timed_reads(folder)
    return [
        (
            f"progress writes, one kernel ({WRITES:,} answers, median of {REPEATS})",
            f"{rate:,.0f} writes/s ({1000 / rate:.2f} ms each)",
            f">= {TARGET_WRITES:.0f}/s",
            _status(rate >= TARGET_WRITES),
        ),
        (
            "progress writes, two kernels at once (2 x 1,000 answers)",
            f"{pair_rate:,.0f} writes/s, {found:,} of 2,000 rows kept"
            + (f", {len(warned)} writer warning(s)" if warned else ""),
            "2,000 rows, no warning",
            _status(found == 2000 and not warned),
        ),
        (
            f"open a store of {BIG:,} answers (with integrity check)",
            f"{open_s * 1000:.1f} ms",
            f"<= {TARGET_READ_S * 1000:.0f} ms",
            _status(open_s <= TARGET_READ_S),
        ),
        (
            f"dashboard refresh: summary() + review_next() over {BIG:,} answers",
            f"{dashboard_s * 1000:.1f} ms",
            f"<= {TARGET_READ_S * 1000:.0f} ms",
            _status(dashboard_s <= TARGET_READ_S),
        ),
    ]


if __name__ == "__main__":
    for row in rows():
        print(" | ".join(row))
