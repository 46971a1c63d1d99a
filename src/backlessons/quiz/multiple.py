"""Multiple choice: pick every right option. Response: an iterable of option indexes.

Partial credit: max(0, (right picks - wrong picks) / number of right options).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Mapping

from backlessons.errors import Problem
from backlessons.quiz.guessing import mean_score
from backlessons.quiz.model import Grade, ParseContext, Question, as_list, invalid, is_index, parse_common, scored
from backlessons.quiz.registry import QuestionType
from backlessons.quiz.single import Option, choice_options, options_key, parse_options

__all__ = ["MultipleQuestion", "FIELDS", "parse", "grade", "answer_text", "EXAMPLE", "wrong_response",
           "response_text", "random_guess", "TYPE"]

FIELDS = ("options",)


@dataclass(frozen=True, kw_only=True)
class MultipleQuestion(Question):
    options: tuple[Option, ...]

    @property
    def answer_indexes(self) -> frozenset[int]:
        """Indexes of the right options (the key: never send it to the page before Check)."""
        return frozenset(i for i, option in enumerate(self.options) if option.correct)


def parse(raw: Mapping[str, Any], ctx: ParseContext) -> tuple[MultipleQuestion | None, list[Problem]]:
    common = parse_common(raw, ctx, FIELDS)
    options = parse_options(raw, ctx)
    if options is not None and not any(option.correct for option in options):
        ctx.problem("options", "a multiple question needs at least one correct option, found none")
    if ctx.problems:
        return None, list(ctx.problems)
    return MultipleQuestion(**common, options=options), []


def grade(question: MultipleQuestion, response: object) -> Grade:
    picks = as_list(response, Iterable)
    if picks is None:
        return invalid("Pick the options you think are right.")
    if not picks:
        return invalid("Pick at least one option.")
    count = len(question.options)
    if not all(is_index(pick) and 0 <= int(pick) < count for pick in picks):
        return invalid(f"Options are numbered 0 to {count - 1}.")
    chosen = sorted({int(pick) for pick in picks})
    if len(chosen) != len(picks):
        return invalid("Each option can be picked only once.")
    right = question.answer_indexes
    right_picks = sum(1 for i in chosen if i in right)
    wrong_picks = len(chosen) - right_picks
    feedback = [question.options[i].feedback for i in chosen]
    missed_lines = []
    for i in sorted(right - set(chosen)):
        missed = question.options[i]
        text = missed.text.strip()
        end = "" if text.endswith((".", "!", "?")) else "."
        note = f" {missed.feedback}" if missed.feedback else ""
        missed_lines.append(f"Also right: {text}{end}{note}")
    return scored(max(0.0, (right_picks - wrong_picks) / len(right)), feedback + missed_lines,
                  reveals=missed_lines)


def wrong_response(question: MultipleQuestion, rng: random.Random) -> list[int]:
    """The right set with one option too many or too few (partial credit)."""
    count = len(question.options)
    chosen = set(question.answer_indexes) ^ {rng.randrange(count)}
    if not chosen:
        chosen = {rng.randrange(count)}
    return sorted(chosen)


def response_text(question: MultipleQuestion, response: Iterable[int]) -> str:
    from backlessons.markup import letter

    return "; ".join(f"{letter(i)}. {question.options[i].text}" for i in response)


def _random_picks(count: int, rng: random.Random) -> list[int]:
    picks: list[int] = []
    while not picks:  # every non-empty set equally likely
        picks = [i for i in range(count) if rng.random() < 0.5]
    return picks


def random_guess(question: MultipleQuestion) -> float:
    count = len(question.options)
    return mean_score(question, 2 ** count - 1,
                      lambda: (list(s) for r in range(1, count + 1) for s in itertools.combinations(range(count), r)),
                      lambda rng: _random_picks(count, rng))


def answer_text(question: MultipleQuestion) -> str:
    right = [option.text.strip() for option in question.options if option.correct]
    return "The right options: " + "; ".join(right)


EXAMPLE = """\
# multiple: one or more options are correct. Partial credit:
# (right picks - wrong picks) / number of right options, never below 0.
- id: nice-first-line
  type: multiple
  prompt: "Which of these does NICE NG59 recommend for low back pain? Pick every one that applies."
  explanation: "NICE puts exercise, with or without psychological approaches, first; it advises against spinal injections for low back pain."
  sources: [nice_ng59, foster2018]
  claim: C6
  hint: "NICE sorts treatments into do, consider and do not offer: which group is each one in?"
  options:
    - text: "Group or individual exercise"
      correct: true
      feedback: "Yes: exercise comes first."
    - text: "Exercise combined with psychological approaches"
      correct: true
      feedback: "Yes: a combined programme is recommended for some people."
    - text: "Spinal injections to settle the painful disc"
      feedback: "This assumes the disc is the cause; NICE says do not offer spinal injections for low back pain."
"""

TYPE = QuestionType(
    name="multiple", label="Multiple choice, select all that apply", cls=MultipleQuestion, parse=parse, grade=grade,
    fields=FIELDS, answer_key=lambda question: options_key(question.options), answer_text=answer_text,
    right_response=lambda question: sorted(question.answer_indexes),
    response="option indexes, `[0, 2]`", example=EXAMPLE,
    wrong_response=wrong_response, response_text=response_text, random_guess=random_guess,
    choice_options=lambda question: choice_options(question.options),
)
