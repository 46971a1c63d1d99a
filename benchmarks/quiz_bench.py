"""Quiz engine benchmarks: validation time for the shipped banks, grading throughput.

``rows()`` follows the contract in benchmarks/run.py; run this file directly for a
quick look.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

__all__ = ["bench_validate", "bench_lint", "bench_grading", "rows"]

EVERY_TYPE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "banks" / "every_type.yaml"
TARGET_VALIDATE_S = 0.5
# Lint validates each bank, then runs its rules: it may cost a few validations, not more.
TARGET_LINT_RATIO = 4.0


def bench_validate(repeats: int = 5) -> float:
    """Seconds to validate every shipped bank (median of *repeats* runs)."""
    from backlessons.quiz import shipped_banks, validate_bank

    lessons = shipped_banks()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for lesson in lessons:
            validate_bank(lesson)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_lint(repeats: int = 5) -> float:
    """Seconds to lint every shipped bank (median of *repeats* runs)."""
    from backlessons.quiz.lint import lint_paths

    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        lint_paths()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _mix() -> list[tuple[object, object]]:
    """(question, response) pairs over every type: right, wrong, partial and malformed answers."""
    from backlessons.quiz import load_bank

    bank = load_bank(EVERY_TYPE)
    q = bank.question
    return [
        (q("posture-evidence"), 1), (q("posture-evidence"), 0), (q("posture-evidence"), "x"),
        (q("nice-first-line"), [0, 1]), (q("nice-first-line"), [0, 2]), (q("nice-first-line"), []),
        (q("runners-discs"), False), (q("runners-discs"), True),
        (q("exercise-education-rr"), "0,55"), (q("exercise-education-rr"), "1.2"), (q("exercise-education-rr"), "abc"),
        (q("claim-verdicts"), {0: 0, 1: 1, 2: 2}), (q("claim-verdicts"), {0: 1, 1: 0, 2: 3}),
        (q("return-to-running"), [0, 1, 2, 3]), (q("return-to-running"), [1, 0, 3, 2]),
        (q("runner-with-pain"), {"stay-active": False, "first-step": 0}),
        (q("runner-with-pain"), {"stay-active": True}),
    ]


def bench_grading(seconds: float = 0.5) -> float:
    """Grades per second over a mix of every type and kind of response."""
    from backlessons.quiz import grade

    mix = _mix()
    count = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for question, response in mix:
            grade(question, response)  # type: ignore[arg-type]
        count += len(mix)
    return count / elapsed


def rows() -> list[tuple[str, str, str, str]]:
    """(benchmark, result, target, status) rows for benchmarks/run.py."""
    seconds = bench_validate()
    lint_seconds = bench_lint()
    ratio = lint_seconds / seconds if seconds else float("inf")
    rate = bench_grading()
    return [
        (
            "quiz: validate every shipped bank",
            f"{seconds:.3f} s",
            f"<= {TARGET_VALIDATE_S} s",
            "ok" if seconds <= TARGET_VALIDATE_S else "MISS",
        ),
        (
            "quiz: lint every shipped bank, against validating them",
            f"{ratio:.2f}x ({lint_seconds * 1000:.0f} ms)",
            f"<= {TARGET_LINT_RATIO:g}x",
            "ok" if ratio <= TARGET_LINT_RATIO else "MISS",
        ),
        ("quiz: grading, mix of every question type", f"{rate:,.0f} grades/s", "-", "info"),
    ]


if __name__ == "__main__":
    print(f"validate shipped banks: {bench_validate() * 1000:.1f} ms (median)")
    print(f"lint shipped banks: {bench_lint() * 1000:.1f} ms (median)")
    print(f"grading: {bench_grading():,.0f} grades/s")
