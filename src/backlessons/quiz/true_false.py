"""True or false. Response: a bool. Feedback for each answer is required in the bank."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from backlessons.errors import Problem
from backlessons.quiz.guessing import mean_score
from backlessons.quiz.keys import AnswerKey, Md
from backlessons.quiz.model import Grade, ParseContext, Question, invalid, parse_bool, parse_common, scored, text_field
from backlessons.quiz.registry import QuestionType

__all__ = ["TrueFalseQuestion", "FIELDS", "parse", "grade", "answer_key", "answer_text", "EXAMPLE", "OPTION_NAMES",
           "choice_options", "TYPE"]

FIELDS = ("answer", "feedback_true", "feedback_false")
OPTION_NAMES = ("True", "False")  # the options, as the results name them


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


def answer_key(question: TrueFalseQuestion) -> AnswerKey:
    key = AnswerKey(answer=[(f"Answer: {'True' if question.answer else 'False'}",)])
    key.feedback.append((("If the learner answers True: ",), Md(question.feedback_true)))
    key.feedback.append((("If the learner answers False: ",), Md(question.feedback_false)))
    return key


def choice_options(question: TrueFalseQuestion) -> list[tuple[str, bool]]:
    return [(OPTION_NAMES[0], bool(question.answer)), (OPTION_NAMES[1], not question.answer)]


def answer_text(question: TrueFalseQuestion) -> str:
    return f"The statement is {'true' if question.answer else 'false'}."


EXAMPLE = """\
# true_false: `answer` is true or false; both feedbacks are required.
- id: runners-discs
  type: true_false
  prompt: "True or false: runners' lumbar discs look *worse* on MRI than non-runners' discs."
  explanation: "In a cross-sectional MRI study, runners had better disc hydration and height than non-runners."
  sources: [belavy2017]
  claim: C4
  hint: "Think about what regular loading does to living tissue over time."
  answer: false
  feedback_true: "Not so: runners showed better disc hydration and height."
  feedback_false: "Right: the discs of runners looked, if anything, healthier."
"""

TYPE = QuestionType(
    name="true_false", label="True or false", cls=TrueFalseQuestion, parse=parse, grade=grade, fields=FIELDS,
    answer_key=answer_key, answer_text=answer_text, right_response=lambda question: bool(question.answer),
    response="`True` or `False`", example=EXAMPLE,
    wrong_response=lambda question, rng: not question.answer,
    response_text=lambda question, response: OPTION_NAMES[0] if response else OPTION_NAMES[1],
    random_guess=lambda question: mean_score(question, 2, lambda: (True, False), lambda rng: rng.random() < 0.5),
    choice_options=choice_options, option_names=OPTION_NAMES,
)
