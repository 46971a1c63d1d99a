"""Ordering: put the items in the right order. ``items`` lists them in that order.

Response: a sequence of item indexes (file order) in the learner's order, using
every item once. Partial credit: the fraction of item pairs in the right
relative order, so one item out of place costs little and a reversal scores 0.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence as SequenceABC
from dataclasses import dataclass
from itertools import combinations, permutations
from typing import Any, Mapping

from backlessons.errors import Problem
from backlessons.quiz.guessing import mean_score
from backlessons.quiz.keys import AnswerKey, Md
from backlessons.quiz.model import (
    Grade,
    ParseContext,
    Question,
    as_list,
    describe,
    find_duplicates,
    invalid,
    is_index,
    is_text,
    parse_common,
    parse_list,
    scored,
)
from backlessons.quiz.registry import QuestionType

__all__ = ["OrderingQuestion", "FIELDS", "parse", "grade", "answer_key", "answer_text", "EXAMPLE", "wrong_response",
           "random_guess", "TYPE"]

FIELDS = ("items",)


@dataclass(frozen=True, kw_only=True)
class OrderingQuestion(Question):
    items: tuple[str, ...]


def parse(raw: Mapping[str, Any], ctx: ParseContext) -> tuple[OrderingQuestion | None, list[Problem]]:
    common = parse_common(raw, ctx, FIELDS)
    items: list[str] = []
    entries = parse_list(raw, "items", ctx, 3, "items")
    for index, entry in enumerate(entries or []):
        if not is_text(entry) or not str(entry).strip():
            ctx.problem(f"items[{index}]", f"must be non-empty text, not {describe(entry)}")
            continue
        items.append(str(entry))
    for index, text in find_duplicates(items):
        ctx.problem(f"items[{index}]", f"{text!r} repeats an earlier item")
    if ctx.problems:
        return None, list(ctx.problems)
    return OrderingQuestion(**common, items=tuple(items)), []


def grade(question: OrderingQuestion, response: object) -> Grade:
    count = len(question.items)
    order = as_list(response, SequenceABC)
    if order is None:
        return invalid("Put the items in order.")
    if not all(is_index(i) and 0 <= int(i) < count for i in order):
        return invalid(f"Items are numbered 0 to {count - 1}.")
    order = [int(i) for i in order]
    if len(set(order)) != len(order):
        return invalid("Use each item once.")
    if len(order) != count:
        return invalid(f"Place all {count} items.")
    pairs = list(combinations(order, 2))
    in_order = sum(1 for earlier, later in pairs if earlier < later)
    feedback = () if in_order == len(pairs) else (f"{in_order} of {len(pairs)} pairs of items are in the right order.",)
    return scored(in_order / len(pairs), feedback)


def answer_key(question: OrderingQuestion) -> AnswerKey:
    key = AnswerKey(answer=[("Right order:",)])
    for position, item in enumerate(question.items, start=1):
        key.answer.append((f"{position}. ", Md(item)))
    return key


def wrong_response(question: OrderingQuestion, rng: random.Random) -> list[int]:
    """The right order with two neighbours swapped."""
    order = list(range(len(question.items)))
    i = rng.randrange(len(order) - 1)
    order[i], order[i + 1] = order[i + 1], order[i]
    return order


def _shuffled(count: int, rng: random.Random) -> list[int]:
    order = list(range(count))
    rng.shuffle(order)
    return order


def random_guess(question: OrderingQuestion) -> float:
    count = len(question.items)
    return mean_score(question, math.factorial(count),
                      lambda: (list(p) for p in permutations(range(count))),
                      lambda rng: _shuffled(count, rng))


def answer_text(question: OrderingQuestion) -> str:
    return "The right order: " + "; ".join(f"{n}. {item}" for n, item in enumerate(question.items, start=1))


EXAMPLE = """\
# ordering: at least three items, listed in the RIGHT order; learners see them shuffled.
- id: return-to-running
  type: ordering
  prompt: "Put these steps of a graded return to running in a sensible order."
  explanation: "Load goes up step by step, checking how the back responds before each increase."
  sources: [nice_ng59, buist2008]
  difficulty: hard
  hint: "Each step should add a little load to the one before it."
  items:
    - "Walk briskly on most days"
    - "Alternate walking and easy running"
    - "Run easily without walking breaks"
    - "Add longer or faster runs"
"""

TYPE = QuestionType(
    name="ordering", label="Ordering", cls=OrderingQuestion, parse=parse, grade=grade, fields=FIELDS,
    answer_key=answer_key, answer_text=answer_text,
    right_response=lambda question: list(range(len(question.items))),  # items are listed in the right order
    response="item indexes in the learner's order, `[1, 0, 2, 3]`", example=EXAMPLE,
    wrong_response=wrong_response,
    response_text=lambda question, response: " | ".join(question.items[i] for i in response),
    random_guess=random_guess, choice_options=None,
)
