"""Matching: pair each left item with its right item; distractors are extra rights.

Response: ``dict[int, int]``, left index → index into ``question.right_options``
(the rights in file order, then the distractors). Every left must be matched.
Partial credit: the fraction of lefts matched right.
"""

from __future__ import annotations

import random
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from typing import Any, Mapping

from backlessons.errors import Problem
from backlessons.quiz.keys import AnswerKey, Md, join
from backlessons.quiz.model import (
    BROKEN_CONTAINER,
    Grade,
    ParseContext,
    Question,
    check_keys,
    describe,
    find_duplicates,
    invalid,
    is_index,
    parse_common,
    parse_list,
    parse_texts,
    scored,
    text_field,
)
from backlessons.quiz.registry import QuestionType

__all__ = ["Pair", "MatchingQuestion", "FIELDS", "parse", "grade", "answer_key", "answer_text", "EXAMPLE",
           "wrong_response", "response_text", "random_guess", "TYPE"]

FIELDS = ("pairs", "distractors")
PAIR_FIELDS = ("left", "right", "feedback")


@dataclass(frozen=True)
class Pair:
    left: str
    right: str
    feedback: str = ""


@dataclass(frozen=True, kw_only=True)
class MatchingQuestion(Question):
    pairs: tuple[Pair, ...]
    distractors: tuple[str, ...] = ()

    @property
    def lefts(self) -> tuple[str, ...]:
        return tuple(pair.left for pair in self.pairs)

    @property
    def right_options(self) -> tuple[str, ...]:
        """Every right-hand choice: the pairs' rights in file order, then the distractors."""
        return tuple(pair.right for pair in self.pairs) + self.distractors


def parse(raw: Mapping[str, Any], ctx: ParseContext) -> tuple[MatchingQuestion | None, list[Problem]]:
    common = parse_common(raw, ctx, FIELDS)
    pairs: list[Pair] = []
    entries = parse_list(raw, "pairs", ctx, 2, "pairs")
    for index, entry in enumerate(entries or []):
        prefix = f"pairs[{index}]."
        if not isinstance(entry, dict):
            ctx.problem(f"pairs[{index}]", f"must be a mapping with left, right and feedback, not {describe(entry)}")
            continue
        check_keys(entry, PAIR_FIELDS, ctx, prefix)
        pairs.append(Pair(
            left=text_field(entry, "left", ctx, prefix=prefix),
            right=text_field(entry, "right", ctx, prefix=prefix),
            feedback=text_field(entry, "feedback", ctx, required=False, prefix=prefix),
        ))
    distractors = parse_texts(raw, "distractors", ctx, "must be a list of texts", numbers=True)
    for index, text in find_duplicates([pair.left for pair in pairs]):
        ctx.problem(f"pairs[{index}].left", f"{text!r} repeats an earlier left item")
    rights = [pair.right for pair in pairs] + distractors
    for index, text in find_duplicates(rights):
        if index < len(pairs):
            ctx.problem(f"pairs[{index}].right", f"{text!r} repeats an earlier right item")
        else:
            ctx.problem(f"distractors[{index - len(pairs)}]", f"{text!r} repeats a right item")
    if ctx.problems:
        return None, list(ctx.problems)
    return MatchingQuestion(**common, pairs=tuple(pairs), distractors=tuple(distractors)), []


def grade(question: MatchingQuestion, response: object) -> Grade:
    if not isinstance(response, MappingABC):
        return invalid("Match each item on the left with one on the right.")
    lefts, rights = len(question.pairs), len(question.right_options)
    try:
        items = list(response.items())
    except BROKEN_CONTAINER:  # a broken mapping is still just a bad response
        return invalid("Match each item on the left with one on the right.")
    if not all(is_index(k) and 0 <= int(k) < lefts and is_index(v) and 0 <= int(v) < rights for k, v in items):
        return invalid("That match refers to an item that is not in this question.")
    matches = {int(k): int(v) for k, v in items}
    if len(matches) < lefts:
        return invalid(f"Match all {lefts} items; {lefts - len(matches)} still open.")
    # Pair i's right answer is right_options[i], because rights keep file order.
    right = [i for i in range(lefts) if matches[i] == i]
    feedback = []
    named = []  # "A goes with B" names the answer; a pair's own feedback need not
    for i, pair in enumerate(question.pairs):
        if matches[i] != i:
            feedback.append(pair.feedback or f"{pair.left} goes with {pair.right}.")
            if not pair.feedback:
                named.append(feedback[-1])
    return scored(len(right) / lefts, feedback, reveals=named)


def answer_key(question: MatchingQuestion) -> AnswerKey:
    key = AnswerKey(answer=[("Right pairs:",)])
    for pair in question.pairs:
        key.answer.append((Md(pair.left), " → ", Md(pair.right)))
        if pair.feedback:
            key.feedback.append(((Md(pair.left), " matched wrongly: "), Md(pair.feedback)))
    if question.distractors:
        key.answer.append(("Distractors (match nothing): ", *join([Md(text) for text in question.distractors], "; ")))
    return key


def wrong_response(question: MatchingQuestion, rng: random.Random) -> dict[int, int]:
    """The right matches with one item matched to a distractor, or two items' answers swapped."""
    pairs = len(question.pairs)
    mapping = {i: i for i in range(pairs)}
    i = rng.randrange(pairs)
    if question.distractors and rng.random() < 0.4:
        mapping[i] = pairs + rng.randrange(len(question.distractors))
    else:
        j = (i + 1 + rng.randrange(pairs - 1)) % pairs
        mapping[i], mapping[j] = mapping[j], mapping[i]
    return mapping


def response_text(question: MatchingQuestion, response: Mapping[int, int]) -> str:
    rights = question.right_options
    return "; ".join(f"{question.pairs[i].left} → {rights[j]}" for i, j in sorted(response.items()))


def random_guess(question: MatchingQuestion) -> float:
    """The mean score of every assignment of a right-hand choice to each left item: 1 / choices.

    Every assignment is a valid response scored as the fraction of lefts matched right, and
    each left's choice is right in one assignment of every *choices*; so the mean is exact
    without grading the choices ** lefts assignments one by one (46,656 for six pairs of a
    lesson, a sampled 20,000 once). tests/quiz/test_guessing.py grades every assignment to check.
    """
    return 1 / len(question.right_options)


def answer_text(question: MatchingQuestion) -> str:
    return "The right pairs: " + "; ".join(f"{pair.left} → {pair.right}" for pair in question.pairs)


EXAMPLE = """\
# matching: at least two pairs, each with its own feedback; `distractors` are extra
# right-hand choices that match nothing.
- id: claim-verdicts
  type: matching
  prompt: "Match each claim from the article with how strong its evidence is."
  explanation: "The grades come from the course's evidence brief."
  sources: [steffens2016, belavy2017, lin2006]
  hint: "Ask of each claim: was it tested in a trial, contradicted by a study, or never studied?"
  pairs:
    - {left: "Exercise prevents low back pain episodes", right: "supported", feedback: "Exercise with education cut episodes in trials."}
    - {left: "Running wears out the discs", right: "contradicted", feedback: "Runners' discs look healthier on MRI."}
    - {left: "Good running posture increases lung capacity", right: "unsupported", feedback: "Only slumped *sitting* has been studied."}
  distractors: ["proven beyond doubt"]
"""

TYPE = QuestionType(
    name="matching", label="Matching", cls=MatchingQuestion, parse=parse, grade=grade, fields=FIELDS,
    answer_key=answer_key, answer_text=answer_text,
    right_response=lambda question: {i: i for i in range(len(question.pairs))},  # rights keep file order
    response="left index → index into `question.right_options` (the rights in file order, then the "
             "distractors), `{0: 1, 1: 0, 2: 2}`",
    example=EXAMPLE, wrong_response=wrong_response, response_text=response_text, random_guess=random_guess,
    choice_options=None,
)
