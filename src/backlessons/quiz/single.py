"""Single choice: pick the one right option. Response: the option's index in the file."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from backlessons.errors import Problem
from backlessons.quiz.guessing import mean_score
from backlessons.quiz.keys import AnswerKey, Md
from backlessons.quiz.model import (
    Grade,
    ParseContext,
    Question,
    describe,
    find_duplicates,
    invalid,
    is_index,
    parse_bool,
    parse_common,
    parse_list,
    scored,
    text_field,
    check_keys,
)
from backlessons.quiz.registry import QuestionType

__all__ = ["Option", "SingleQuestion", "FIELDS", "OPTION_FIELDS", "parse", "grade", "parse_options", "options_key",
           "answer_text", "EXAMPLE", "wrong_response", "response_text", "choice_options", "random_guess", "TYPE"]

FIELDS = ("options",)
OPTION_FIELDS = ("text", "correct", "feedback")


@dataclass(frozen=True)
class Option:
    """One answer option; ``feedback`` explains why it is right or wrong (Markdown)."""

    text: str
    correct: bool = False
    feedback: str = ""


@dataclass(frozen=True, kw_only=True)
class SingleQuestion(Question):
    options: tuple[Option, ...]

    @property
    def answer_index(self) -> int:
        """Index of the right option (the key: never send it to the page before Check)."""
        return next(i for i, option in enumerate(self.options) if option.correct)


def parse_options(raw: Mapping[str, Any], ctx: ParseContext) -> tuple[Option, ...] | None:
    """Parse ``options`` (shared with multiple): >= 2 mappings, unique non-empty text."""
    entries = parse_list(raw, "options", ctx, 2, "options")
    if entries is None:
        return None
    options: list[Option] = []
    start = len(ctx.problems)
    for index, entry in enumerate(entries):
        prefix = f"options[{index}]."
        if isinstance(entry, str):
            ctx.problem(f"options[{index}]", "must be a mapping like {text: ..., correct: true, feedback: ...}")
            continue
        if not isinstance(entry, dict):
            ctx.problem(f"options[{index}]", f"must be a mapping with text, correct and feedback, not {describe(entry)}")
            continue
        check_keys(entry, OPTION_FIELDS, ctx, prefix)
        text = text_field(entry, "text", ctx, prefix=prefix)
        correct = parse_bool(entry, "correct", ctx, False, label=f"{prefix}correct")
        feedback = text_field(entry, "feedback", ctx, required=False, prefix=prefix)
        options.append(Option(text=text, correct=correct, feedback=feedback))
    for index, text in find_duplicates([option.text for option in options]):
        ctx.problem(f"options[{index}].text", f"{text!r} repeats an earlier option")
    return tuple(options) if len(ctx.problems) == start else None


def parse(raw: Mapping[str, Any], ctx: ParseContext) -> tuple[SingleQuestion | None, list[Problem]]:
    common = parse_common(raw, ctx, FIELDS)
    options = parse_options(raw, ctx)
    if options is not None:
        right = [i for i, option in enumerate(options) if option.correct]
        if len(right) != 1:
            listed = ", ".join(f"options[{i}]" for i in right)
            found = f"found {len(right)} ({listed})" if right else "found none"
            ctx.problem("options", f"a single question needs exactly one correct option, {found}")
    if ctx.problems:
        return None, list(ctx.problems)
    return SingleQuestion(**common, options=options), []


def grade(question: SingleQuestion, response: object) -> Grade:
    if not is_index(response):
        return invalid("Pick one option.")
    index = int(response)  # type: ignore[call-overload]
    if not 0 <= index < len(question.options):
        return invalid(f"There is no option {index}; pick one of the {len(question.options)} options.")
    chosen = question.options[index]
    return scored(1.0 if chosen.correct else 0.0, (chosen.feedback,))


def options_key(options: Sequence[Option]) -> AnswerKey:
    """The key of a question with options (shared with multiple): the right letter(s) and text(s),
    then every option's feedback, marked right or wrong."""
    from backlessons.markup import letter  # imported late: markup loads markdown-it

    key = AnswerKey()
    right = [i for i, option in enumerate(options) if option.correct]
    label = "Right option: " if len(right) == 1 else "Right options: "
    key.answer.append((label + ", ".join(letter(i) for i in right),))
    for i in right:
        key.answer.append((f"{letter(i)}. ", Md(options[i].text)))
    for i, option in enumerate(options):
        mark = "right" if option.correct else "wrong"
        key.feedback.append(((f"{letter(i)} ({mark}): ", Md(option.text), " — "), Md(option.feedback)))
    return key


def wrong_response(question: SingleQuestion, rng: random.Random) -> int:
    wrong = [i for i, option in enumerate(question.options) if not option.correct]
    weights = [len(wrong) - k for k in range(len(wrong))]  # earlier wrong options attract more
    return rng.choices(wrong, weights)[0]


def response_text(question: SingleQuestion, response: int) -> str:
    from backlessons.markup import letter

    return f"{letter(response)}. {question.options[response].text}"


def choice_options(options: Sequence[Option]) -> list[tuple[str, bool]]:
    """(text, is right) of each option, in file order (shared with multiple)."""
    return [(option.text, bool(option.correct)) for option in options]


def random_guess(question: SingleQuestion) -> float:
    count = len(question.options)
    return mean_score(question, count, lambda: range(count), lambda rng: rng.randrange(count))


def answer_text(question: SingleQuestion) -> str:
    return f"The right answer: {question.options[question.answer_index].text.strip()}"


EXAMPLE = """\
# single: exactly one option has `correct: true`; every option may carry feedback.
# The learner's options can be shuffled; feedback stays with its option.
- id: posture-evidence
  type: single
  prompt: "What does the best current evidence say about running posture and low back pain?"
  explanation: "An umbrella review of 41 reviews found no consistent evidence that posture causes low back pain, and running posture itself has not been studied."
  sources: [swain2020]
  claim: C1
  objective: "Judge how strong the evidence on posture is"
  difficulty: easy
  tags: [posture, evidence]
  hint: "Think about what a review of many reviews found, not what sounds plausible."
  options:
    - text: "Poor posture is a proven cause of pain in runners"
      feedback: "A common belief, but no study shows it: reviews find no consistent link."
    - text: "No consistent evidence links posture to back pain"
      correct: true
      feedback: "Right: reviews do not find a consistent link, and running posture itself has not been studied."
    - text: "Running tall protects runners from back pain"
      feedback: "An appealing idea, but running posture has not been studied, so there is no evidence for it."
"""

TYPE = QuestionType(
    name="single", label="Single choice", cls=SingleQuestion, parse=parse, grade=grade, fields=FIELDS,
    answer_key=lambda question: options_key(question.options), answer_text=answer_text,
    right_response=lambda question: question.answer_index, response="an option index, `1`", example=EXAMPLE,
    wrong_response=wrong_response, response_text=response_text, random_guess=random_guess,
    choice_options=lambda question: choice_options(question.options),
)
