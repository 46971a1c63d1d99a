"""What the statistics need from the question banks and their types: question order, options, random-guess scores.

Kept apart from ``stats`` so the statistics stay pure (no banks, no files). Everything
that depends on a question's type comes from the type's registration
(:mod:`backlessons.quiz.registry`), never from its name here.

Random-guess score of a question: the mean score of every possible response, each
equally likely, graded by the package's own grader (so partial credit counts exactly as
learners get it); each type says what its possible responses are
(:mod:`backlessons.quiz.guessing`). Single choice: the share of right options;
true/false: 0.5; multiple choice: every non-empty set of options; matching: every
assignment of a right-hand choice to each item; ordering: every order. When there are
more than ``ENUMERATION_LIMIT`` responses, a fixed-seed sample of that many stands in.
Numeric questions: 0 (a number cannot be guessed). Case questions: not computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from backlessons.quiz.guessing import ENUMERATION_LIMIT

__all__ = ["ENUMERATION_LIMIT", "BankDetails", "bank_details", "choice_types", "random_guess_score"]


def choice_types() -> dict[str, tuple[str, ...]]:
    """Type name → the fixed names of its options (empty: lettered), for every type with options to analyse.

    Results rows carry the type as text; this is how ``stats`` knows which rows to read
    as option picks, and how their options are called.
    """
    from backlessons.quiz import QUESTION_TYPES

    return {name: qtype.option_names for name, qtype in QUESTION_TYPES.items() if qtype.choice_options is not None}


@dataclass
class BankDetails:
    """Per (lesson, question id): position in its bank, option (text, is_key) pairs, random-guess score;
    and, per type name, the types with options (:func:`choice_types`)."""

    order: dict[tuple[str, str], int] = field(default_factory=dict)
    options: dict[tuple[str, str], list[tuple[str, bool]]] = field(default_factory=dict)
    guess_scores: dict[tuple[str, str], float] = field(default_factory=dict)
    choice_types: dict[str, tuple[str, ...]] = field(default_factory=choice_types)


def random_guess_score(question: Any) -> float:
    """The expected score of a response picked at random (see the module docstring); NaN for case questions."""
    from backlessons.quiz.registry import random_guess

    return random_guess(question)


def bank_details(lessons: Iterable[str] | None = None) -> BankDetails:
    """Details of the shipped banks (or of *lessons*: ids or bank paths); a bank that fails to load is left out."""
    from backlessons.errors import ContentError
    from backlessons.quiz import load_bank, shipped_banks
    from backlessons.quiz.registry import choice_options

    details = BankDetails()
    for lesson in (shipped_banks() if lessons is None else lessons):
        try:
            bank = load_bank(lesson)
        except (ContentError, OSError, KeyError):
            continue
        for position, question in enumerate(bank.questions):
            key = (bank.lesson, question.id)
            details.order[key] = position
            options = choice_options(question)
            if options is not None:
                details.options[key] = options
            details.guess_scores[key] = random_guess_score(question)
    return details
