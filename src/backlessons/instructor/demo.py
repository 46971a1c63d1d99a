"""The synthetic demo class (``data/demo/class_results.csv``): made, not collected, and made the same every time.

``generate_demo_class()`` simulates a class answering the shipped banks and returns the
merged CSV text; ``backlessons results demo --out data/demo/class_results.csv`` writes
it. Regenerate after any bank change (question ids, options, keys): a test checks that
the committed file equals a fresh generation.

The model, kept simple on purpose:

* Each learner has an ability drawn from a normal distribution; each question a
  difficulty from its bank ``difficulty`` (easy, medium, hard) plus a small fixed jitter.
  The chance of a right answer is logistic in ability minus difficulty.
* A wrong answer is plausible: for choice questions a wrong option (earlier wrong options
  a little more attractive, so distractor analysis has something to show), a set of
  options with one too many or too few (partial credit), a matching with two answers
  swapped, an ordering with two neighbours swapped, a number off by a factor.
* After a wrong answer a learner tries again with some chance, and is likelier to be right
  the next time; at most three attempts.
* Some learners stop before the last lessons.

Every response is graded by the package's own quiz engine and saved through
``ProgressStore``/``progress export``, then merged by ``merge_results``: the file is
exactly what an instructor would get. Names are pseudonyms (``pseudonym``) of made-up
labels; no real person's answers are in it. Times are fixed (March 2026).
"""

from __future__ import annotations

import json
import math
import random
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

__all__ = ["DEMO_LEARNERS", "DEMO_SEED", "generate_demo_class", "write_demo_class"]

DEMO_LEARNERS = 24
DEMO_SEED = 20260302
_DIFFICULTY = {"easy": -1.0, "medium": 0.0, "hard": 1.0}
_START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
_MAX_ATTEMPTS = 3


def _letter(index: int) -> str:
    return chr(ord("A") + index)


def _right_response(question: Any) -> Any:
    from backlessons.quiz.registry import right_response  # each type knows its own

    return right_response(question)


def _wrong_response(question: Any, rng: random.Random) -> Any:
    kind = question.type
    if kind == "single":
        wrong = [i for i, option in enumerate(question.options) if not option.correct]
        weights = [len(wrong) - k for k in range(len(wrong))]  # earlier wrong options attract more
        return rng.choices(wrong, weights)[0]
    if kind == "multiple":
        chosen = set(_right_response(question))
        flip = rng.randrange(len(question.options))
        chosen ^= {flip}
        if not chosen:
            chosen = {rng.randrange(len(question.options))}
        return sorted(chosen)
    if kind == "true_false":
        return not question.answer
    if kind == "numeric":
        factor = rng.choice((0.5, 2.0, 1.5, 0.75))
        value = question.answer * factor if question.answer else rng.choice((1.0, 10.0))
        return f"{value:g}" + (f" {question.unit}" if question.unit else "")
    if kind == "matching":
        pairs = len(question.pairs)
        mapping = {i: i for i in range(pairs)}
        i = rng.randrange(pairs)
        if question.distractors and rng.random() < 0.4:
            mapping[i] = pairs + rng.randrange(len(question.distractors))
        else:
            j = (i + 1 + rng.randrange(pairs - 1)) % pairs
            mapping[i], mapping[j] = mapping[j], mapping[i]
        return mapping
    if kind == "ordering":
        order = list(range(len(question.items)))
        i = rng.randrange(len(order) - 1)
        order[i], order[i + 1] = order[i + 1], order[i]
        return order
    if kind == "case":
        parts = {part.id: _right_response(part) for part in question.parts}
        missed = rng.choice(question.parts)
        parts[missed.id] = _wrong_response(missed, rng)
        return parts
    return _right_response(question)  # a type the demo cannot get wrong yet: its learners get it right


def _response_text(question: Any, response: Any) -> str:
    """What the learner saw they answered, as the question views write it."""
    kind = question.type
    if kind == "single":
        return f"{_letter(response)}. {question.options[response].text}"
    if kind == "multiple":
        return "; ".join(f"{_letter(i)}. {question.options[i].text}" for i in response)
    if kind == "true_false":
        return "True" if response else "False"
    if kind == "numeric":
        return str(response)
    if kind == "matching":
        rights = question.right_options
        return "; ".join(f"{question.pairs[i].left} → {rights[j]}" for i, j in sorted(response.items()))
    if kind == "ordering":
        return " | ".join(question.items[i] for i in response)
    if kind == "case":
        return "; ".join(f"{part.id}: {_response_text(part, response[part.id])}" for part in question.parts)
    return json.dumps(response)


def _jitter(question_id: str) -> float:
    return random.Random(f"difficulty:{question_id}").uniform(-0.6, 0.6)


def generate_demo_class(learners: int = DEMO_LEARNERS, seed: int = DEMO_SEED) -> str:
    """The demo class as merged CSV text (formula cells neutralised, as ``results merge`` writes it)."""
    from backlessons.instructor.results import merge_results, merged_csv_text, pseudonym
    from backlessons.progress import ProgressStore
    from backlessons.quiz import grade, load_bank, shipped_banks

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
                            response = _right_response(question) if rng.random() < chance else _wrong_response(
                                question, rng)
                            result = grade(question, response)
                            moment += timedelta(seconds=rng.randrange(30, 150))
                            clock_times.append(moment)
                            store.record(bank.lesson, question.id, question.type, response,
                                         _response_text(question, response), result.correct, result.score, attempt)
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
