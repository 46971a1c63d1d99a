"""The quiz engine: question banks, their validation, and grading. Pure Python, no widgets.

    from backlessons.quiz import load_bank, grade
    bank = load_bank("01_causes")
    grade(bank.questions[0], 1)   # -> Grade(score=..., correct=..., valid=..., feedback=...)
"""

from __future__ import annotations

from backlessons.quiz.bank import (
    QUESTION_TYPES,
    QuestionType,
    grade,
    load_bank,
    reference_keys,
    shipped_banks,
    validate_bank,
    validate_paths,
    validate_text,
)
from backlessons.quiz.case import CaseQuestion
from backlessons.quiz.matching import MatchingQuestion, Pair
from backlessons.quiz.model import Bank, Grade, Question, Reference, Reveal
from backlessons.quiz.multiple import MultipleQuestion
from backlessons.quiz.numeric import NumericQuestion, NumericRange, Tolerance
from backlessons.quiz.ordering import OrderingQuestion
from backlessons.quiz.single import Option, SingleQuestion
from backlessons.quiz.true_false import TrueFalseQuestion

__all__ = [
    "load_bank",
    "grade",
    "validate_paths",
    "validate_bank",
    "validate_text",
    "shipped_banks",
    "reference_keys",
    "Bank",
    "Grade",
    "Question",
    "Reveal",
    "Reference",
    "QUESTION_TYPES",
    "QuestionType",
    "SingleQuestion",
    "MultipleQuestion",
    "TrueFalseQuestion",
    "NumericQuestion",
    "MatchingQuestion",
    "OrderingQuestion",
    "CaseQuestion",
    "Option",
    "Pair",
    "Tolerance",
    "NumericRange",
]
