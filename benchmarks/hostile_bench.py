"""Hostile-input benchmarks (issue 13): a billion-laughs bank, and Quiz() against validate on big banks.

``rows()`` follows the contract in benchmarks/run.py; run this file directly for a
quick look.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

__all__ = ["ALIAS_BOMB", "bench_alias_bomb", "bench_quiz_vs_validate", "bench_quiz_memory", "big_bank", "huge_bank", "rows"]

# Nine levels of nine aliases: 387 million strings once expanded, in under 400 bytes.
ALIAS_BOMB = "".join(
    [
        "format: 1\nlesson: bomb\ntitle: t\n",
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
        *(f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi")),
        "questions: *i\n",
    ]
)
EVERY_TYPE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "banks" / "every_type.yaml"
TARGET_ALIAS_S = 1.0
TARGET_QUIZ_RATIO = 2.0
# 300 copies of every_type's 7 questions: big enough that the ratio shows how Quiz() grows
# with the bank, not the fixed cost of its first page (25 views, about 35 ms). It was 210
# until validate became five times faster (libyaml): then that fixed cost alone made 2.8x.
BIG_BANK_QUESTIONS = 2_100
HUGE_BANK_QUESTIONS = 20_000  # issue 13's bank: Quiz() took two minutes when every view was built up front
TARGET_QUIZ_MEMORY_RATIO = 2.0


def bench_alias_bomb(folder: Path, repeats: int = 5) -> tuple[float, int]:
    """(median seconds to validate the alias-bomb bank, peak bytes allocated while doing it)."""
    from backlessons.quiz import validate_bank

    path = folder / "bomb.yaml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    validate_bank(path)  # warm-up: imports
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        problems = validate_bank(path)
        times.append(time.perf_counter() - start)
        assert problems and "aliases" in problems[0].message, problems
    tracemalloc.start()
    validate_bank(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak


def big_bank(folder: Path, questions: int = BIG_BANK_QUESTIONS) -> Path:
    """every_type.yaml repeated with fresh ids until it holds *questions* questions."""
    head, _, body = EVERY_TYPE.read_text(encoding="utf-8").partition("questions:\n")
    blocks = [block for block in re.split(r"(?m)^(?=  - id: )", body) if block.startswith("  - id:")]
    out = [head, "questions:\n"]
    for n in range(questions):
        block = blocks[n % len(blocks)]
        out.append(re.sub(r"(?m)^(  - id: )(\S+)", lambda m, n=n: f"{m.group(1)}{m.group(2)}-{n}", block, count=1))
    path = folder / "big.yaml"
    path.write_text("".join(out), encoding="utf-8")
    return path


def huge_bank(folder: Path, questions: int = HUGE_BANK_QUESTIONS) -> Path:
    """*questions* short single-choice and true/false questions: many, yet under the bank size limit."""
    out = ["format: 1\nlesson: huge\ntitle: A very long bank\nquestions:\n"]
    for n in range(questions):
        if n % 2:
            out.append(
                f'  - {{id: tf-{n}, type: true_false, prompt: "Statement {n} is true.", explanation: "Because {n}.", '
                'sources: [swain2020], answer: true, feedback_true: "Yes.", feedback_false: "No."}\n'
            )
        else:
            out.append(
                f'  - {{id: one-{n}, type: single, prompt: "Question {n}: pick one.", explanation: "A is right.", '
                f'sources: [swain2020], options: [{{text: "A {n}", correct: true, feedback: "Right."}}, '
                f'{{text: "B {n}", feedback: "Wrong."}}, {{text: "C {n}", feedback: "Wrong."}}]}}\n'
            )
    path = folder / "huge.yaml"
    path.write_text("".join(out), encoding="utf-8")
    return path


def bench_quiz_vs_validate(path: Path) -> tuple[float, float]:
    """(seconds for validate, seconds for Quiz()) on the bank *path*; one run each after a warm-up."""
    import backlessons
    from backlessons.quiz import validate_bank

    validate_bank(EVERY_TYPE)
    backlessons.Quiz(EVERY_TYPE)  # warm-up: widget imports
    start = time.perf_counter()
    assert validate_bank(path) == []
    validate_s = time.perf_counter() - start
    start = time.perf_counter()
    backlessons.Quiz(path)
    quiz_s = time.perf_counter() - start
    return validate_s, quiz_s


def bench_quiz_memory(path: Path) -> tuple[int, int, int]:
    """(peak bytes allocated by validate, by Quiz(), bytes the Quiz still holds) on the bank *path*."""
    import backlessons
    from backlessons.quiz import validate_bank

    backlessons.Quiz(EVERY_TYPE)  # warm-up: imports and caches are not the quiz's memory
    peaks = []
    for build in (validate_bank, backlessons.Quiz):
        tracemalloc.start()
        result = build(path)
        held, peak = tracemalloc.get_traced_memory()
        peaks.append(peak)
        tracemalloc.stop()
        del result
    return peaks[0], peaks[1], held


def rows() -> list[tuple[str, str, str, str]]:
    """(benchmark, result, target, status) rows for benchmarks/run.py."""
    with tempfile.TemporaryDirectory(prefix="backlessons-hostile-bench-") as tmp:
        folder = Path(tmp)
        seconds, peak = bench_alias_bomb(folder)
        big = big_bank(folder)
        validate_s, quiz_s = bench_quiz_vs_validate(big)
        validate_peak, quiz_peak, quiz_held = bench_quiz_memory(big)
        huge_validate_s, huge_quiz_s = bench_quiz_vs_validate(huge_bank(folder))
    ratio = quiz_s / validate_s
    memory_ratio = quiz_peak / validate_peak
    huge_ratio = huge_quiz_s / huge_validate_s
    return [
        (
            f"hostile: validate a {len(ALIAS_BOMB.encode())}-byte alias-bomb bank",
            f"{seconds:.3f} s (peak {peak / 1e6:.1f} MB)",
            f"< {TARGET_ALIAS_S:g} s",
            "ok" if seconds < TARGET_ALIAS_S else "MISS",
        ),
        (
            f"hostile: Quiz() / validate on a {BIG_BANK_QUESTIONS}-question bank",
            f"{ratio:.1f}x ({quiz_s:.2f} s / {validate_s:.2f} s)",
            f"<= {TARGET_QUIZ_RATIO:g}x",
            "ok" if ratio <= TARGET_QUIZ_RATIO else "MISS",
        ),
        (
            f"hostile: Quiz() / validate peak memory on a {BIG_BANK_QUESTIONS}-question bank",
            f"{memory_ratio:.1f}x ({quiz_peak / 1e6:.1f} MB / {validate_peak / 1e6:.1f} MB; the Quiz holds {quiz_held / 1e6:.1f} MB)",
            f"<= {TARGET_QUIZ_MEMORY_RATIO:g}x",
            "ok" if memory_ratio <= TARGET_QUIZ_MEMORY_RATIO else "MISS",
        ),
        (
            f"hostile: Quiz() / validate on a {HUGE_BANK_QUESTIONS:,}-question bank",
            f"{huge_ratio:.1f}x ({huge_quiz_s:.2f} s / {huge_validate_s:.2f} s)",
            f"<= {TARGET_QUIZ_RATIO:g}x",
            "ok" if huge_ratio <= TARGET_QUIZ_RATIO else "MISS",
        ),
    ]


if __name__ == "__main__":
    from run import markdown_table  # type: ignore[import-not-found]

    sys.stdout.write(markdown_table(rows()))
