"""The synthetic demo class (``data/demo/class_results.csv``): made, not collected, and made the same every time.

``generate_demo_class()`` simulates a class answering the shipped banks and returns the
merged CSV text; ``backlessons results demo --out data/demo/class_results.csv`` writes
it. Regenerate after any bank change (question ids, options, keys): a test checks that
the committed file equals a fresh generation.

The model, kept simple on purpose:

* Each learner has an ability drawn from a normal distribution; each question a
  difficulty from its bank ``difficulty`` (easy, medium, hard) plus a small fixed jitter.
  The chance of a right answer is logistic in ability minus difficulty.
* A wrong answer is plausible, and each question type makes its own (its
  ``wrong_response``, :mod:`backlessons.quiz.registry`): for choice questions a wrong
  option (earlier wrong options a little more attractive, so distractor analysis has
  something to show), a set of options with one too many or too few (partial credit), a
  matching with two answers swapped, an ordering with two neighbours swapped, a number
  off by a factor, a case with one part wrong. The text saved with a response is the
  type's ``response_text``, as its view writes it.
* After a wrong answer a learner tries again with some chance, and is likelier to be right
  the next time; at most three attempts.
* Some learners stop before the last lessons.

Every response is graded by the package's own quiz engine and saved through
``ProgressStore``/``progress export``, then merged by ``merge_results``: the file is
exactly what an instructor would get. Names are pseudonyms (``pseudonym``) of made-up
labels; no real person's answers are in it. Times are fixed (March 2026).
"""

from __future__ import annotations

import math
import random
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

__all__ = ["DEMO_LEARNERS", "DEMO_SEED", "generate_demo_class", "write_demo_class"]

DEMO_LEARNERS = 24
DEMO_SEED = 20260302
_DIFFICULTY = {"easy": -1.0, "medium": 0.0, "hard": 1.0}
_START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
_MAX_ATTEMPTS = 3


def _jitter(question_id: str) -> float:
    return random.Random(f"difficulty:{question_id}").uniform(-0.6, 0.6)


def generate_demo_class(learners: int = DEMO_LEARNERS, seed: int = DEMO_SEED) -> str:
    """The demo class as merged CSV text (formula cells neutralised, as ``results merge`` writes it)."""
    from backlessons.instructor.results import merge_results, merged_csv_text, pseudonym
    from backlessons.progress import ProgressStore
    from backlessons.quiz import grade, load_bank, shipped_banks
    from backlessons.quiz.registry import response_text, right_response, wrong_response

    banks = [load_bank(lesson) for lesson in shipped_banks()]
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="backlessons-demo-") as tmp:
        for number in range(learners):
            ability = rng.gauss(0.2, 1.2)
            # About a third stop early, after somewhere between half and nearly all lessons.
            last = len(banks) if rng.random() < 0.65 else rng.randrange(len(banks) // 2, len(banks))
            moment = _START + timedelta(days=number % 3, minutes=7 * number)
            clock_times: list[datetime] = []

            def clock() -> datetime:
                return clock_times.pop(0)

            with ProgressStore(":memory:", clock=clock) as store:
                for bank in banks[:last]:
                    for question in bank.questions:
                        difficulty = _DIFFICULTY.get(question.difficulty, 0.0) + _jitter(question.id)
                        for attempt in range(1, _MAX_ATTEMPTS + 1):
                            chance = 1 / (1 + math.exp(-(1.6 * (ability - difficulty) + 0.4 + 0.9 * (attempt - 1))))
                            response = right_response(question) if rng.random() < chance else wrong_response(
                                question, rng)
                            result = grade(question, response)
                            moment += timedelta(seconds=rng.randrange(30, 150))
                            clock_times.append(moment)
                            store.record(bank.lesson, question.id, question.type, response,
                                         response_text(question, response), result.correct, result.score, attempt)
                            if result.correct or rng.random() < 0.45:
                                break
                store.export_csv(Path(tmp) / f"learner-{number:02d}.csv", learner=pseudonym(f"demo learner {number:02d}"))
        merged = merge_results([tmp])
        if merged.problems:
            raise RuntimeError(f"the demo class did not merge cleanly: {merged.problems[0]}")
        frame = merged.frame.sort_values(["learner", "time"], kind="mergesort").reset_index(drop=True)
        frame["backlessons_version"] = "0.1.0"  # fixed, so a version bump does not change the file
        return merged_csv_text(frame)


def write_demo_class(path: str | Path, learners: int = DEMO_LEARNERS, seed: int = DEMO_SEED) -> Path:
    """Write the demo class to *path* atomically; returns the path."""
    from backlessons.csvfile import write_atomic

    return write_atomic(path, generate_demo_class(learners, seed))
