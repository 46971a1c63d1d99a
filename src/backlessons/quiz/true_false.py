"""True or false. Response: a bool. Feedback for each answer is required in the bank."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from backlessons.errors import Problem
from backlessons.quiz.model import Grade, ParseContext, Question, invalid, parse_bool, parse_common, scored, text_field

__all__ = ["TrueFalseQuestion", "FIELDS", "parse", "grade"]

FIELDS = ("answer", "feedback_true", "feedback_false")


@dataclass(frozen=True, kw_only=True)
class TrueFalseQuestion(Question):
    answer: bool
    feedback_true: str
    feedback_false: str


def parse(raw: Mapping[str, Any], ctx: ParseContext) -> tuple[TrueFalseQuestion | None, list[Problem]]:
    common = parse_common(raw, ctx, FIELDS)
    answer = parse_bool(raw, "answer", ctx, None)
    feedback_true = text_field(raw, "feedback_true", ctx)
    feedback_false = text_field(raw, "feedback_false", ctx)
    if ctx.problems:
        return None, list(ctx.problems)
    return TrueFalseQuestion(**common, answer=answer, feedback_true=feedback_true,
                             feedback_false=feedback_false), []


def grade(question: TrueFalseQuestion, response: object) -> Grade:
    # Only a real bool: 1 or "yes" from a buggy caller should not count as an answer.
    if not isinstance(response, bool):
        return invalid("Choose true or false.")
    feedback = question.feedback_true if response else question.feedback_false
    return scored(1.0 if response == question.answer else 0.0, (feedback,))
