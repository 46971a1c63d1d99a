"""What the statistics need from the question banks: question order, option texts, random-guess scores.

Kept apart from ``stats`` so the statistics stay pure (no banks, no files).

Random-guess score of a question: the mean score of every possible response, each
equally likely, graded by the package's own grader (so partial credit counts exactly as
learners get it). Single choice: the share of right options; true/false: 0.5; multiple
choice: every non-empty set of options; matching: every assignment of a right-hand choice
to each item; ordering: every order. When there are more than ``ENUMERATION_LIMIT``
responses, a fixed-seed sample of that many stands in. Numeric questions: 0 (a number
cannot be guessed). Case questions: not computed.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

__all__ = ["ENUMERATION_LIMIT", "BankDetails", "bank_details", "random_guess_score"]

ENUMERATION_LIMIT = 20_000


@dataclass
class BankDetails:
    """Per (lesson, question id): position in its bank, option (text, is_key) pairs, random-guess score."""

    order: dict[tuple[str, str], int] = field(default_factory=dict)
    options: dict[tuple[str, str], list[tuple[str, bool]]] = field(default_factory=dict)
    guess_scores: dict[tuple[str, str], float] = field(default_factory=dict)


def _responses(question: Any) -> Iterator[Any] | None:
    kind = question.type
    if kind == "single":
        return iter(range(len(question.options)))
    if kind == "true_false":
        return iter((True, False))
    if kind == "multiple":
        count = len(question.options)
        return (list(s) for r in range(1, count + 1) for s in itertools.combinations(range(count), r))
    if kind == "ordering":
        return (list(p) for p in itertools.permutations(range(len(question.items))))
    if kind == "matching":
        lefts, rights = len(question.pairs), len(question.right_options)
        return ({i: c for i, c in enumerate(choice)} for choice in itertools.product(range(rights), repeat=lefts))
    return None


def _count(question: Any) -> int:
    kind = question.type
    if kind == "multiple":
        return 2 ** len(question.options) - 1
    if kind == "ordering":
        return math.factorial(len(question.items))
    if kind == "matching":
        return len(question.right_options) ** len(question.pairs)
    return 2 if kind == "true_false" else len(getattr(question, "options", ()))


def _sample(question: Any, rng: random.Random) -> Iterable[Any]:
    kind = question.type
    for _ in range(ENUMERATION_LIMIT):
        if kind == "multiple":
            count = len(question.options)
            picks: list[int] = []
            while not picks:
                picks = [i for i in range(count) if rng.random() < 0.5]
            yield picks
        elif kind == "ordering":
            order = list(range(len(question.items)))
            rng.shuffle(order)
            yield order
        else:  # matching
            yield {i: rng.randrange(len(question.right_options)) for i in range(len(question.pairs))}


def random_guess_score(question: Any) -> float:
    """The expected score of a response picked at random (see the module docstring); NaN for case questions."""
    from backlessons.quiz import grade

    if question.type == "numeric":
        return 0.0
    responses = _responses(question)
    if responses is None:
        return math.nan
    if _count(question) > ENUMERATION_LIMIT:
        responses = iter(_sample(question, random.Random(f"{question.id}")))
    total = count = 0
    for response in responses:
        result = grade(question, response)
        if result.valid:
            total += result.score
            count += 1
    return total / count if count else math.nan


def bank_details(lessons: Iterable[str] | None = None) -> BankDetails:
    """Details of the shipped banks (or of *lessons*: ids or bank paths); a bank that fails to load is left out."""
    from backlessons.errors import ContentError
    from backlessons.quiz import load_bank, shipped_banks

    details = BankDetails()
    for lesson in (shipped_banks() if lessons is None else lessons):
        try:
            bank = load_bank(lesson)
        except (ContentError, OSError, KeyError):
            continue
        for position, question in enumerate(bank.questions):
            key = (bank.lesson, question.id)
            details.order[key] = position
            if question.type in ("single", "multiple"):
                details.options[key] = [(option.text, bool(option.correct)) for option in question.options]
            elif question.type == "true_false":
                details.options[key] = [("True", bool(question.answer)), ("False", not question.answer)]
            details.guess_scores[key] = random_guess_score(question)
    return details
