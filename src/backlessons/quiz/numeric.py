"""Numeric answer. Response: the text as typed ("2,5 BW", " 2.5bw ", "−1") or a number.

A decimal comma, a unicode minus, spaces and the question's unit (or one of its
aliases, any case) are accepted. A different unit or a non-number is not an
attempt: the grade is invalid with a hint. ``ranges`` give targeted feedback
for typical mistakes; the first range containing the value wins.

``direction`` says whether the sign counts. With ``ignored`` a response is given
the answer's sign before it is graded (so "-14" and "14" grade the same, and
ranges keep the author's sign); with ``matters`` (the default) a response of
the wrong sign that would otherwise be right is wrong, and the feedback says
the direction matters.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from typing import Any, Mapping

from backlessons.errors import Problem
from backlessons.quiz.keys import AnswerKey, Md, number
from backlessons.quiz.model import (
    Grade,
    ParseContext,
    Question,
    check_keys,
    describe,
    invalid,
    is_number,
    parse_common,
    parse_texts,
    scored,
    text_field,
)
from backlessons.quiz.registry import QuestionType

__all__ = ["Tolerance", "NumericRange", "NumericQuestion", "FIELDS", "DIRECTIONS", "WRONG_DIRECTION", "parse",
           "grade", "parse_number", "answer_key", "answer_text", "right_response", "EXAMPLE", "wrong_response",
           "TYPE"]

FIELDS = ("answer", "tolerance", "unit", "unit_aliases", "ranges", "direction")
DIRECTIONS = ("matters", "ignored")
WRONG_DIRECTION = ("The size is right, but the direction is not: this question asks which way "
                   "the value changes, so the sign matters.")
RANGE_FIELDS = ("min", "max", "feedback")
TOLERANCE_KINDS = ("absolute", "relative")
# Exact answers still compare floats: 0.1 + 0.2 should equal 0.3.
_EXACT = 1e-9

_MINUSES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-", "\ufe63": "-", "\uff0d": "-"})
_NUMBER = re.compile(
    r"""^(?P<number>[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?)\s*(?P<unit>.*?)$""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Tolerance:
    """How far a response may be from the answer: ``absolute`` units or a ``relative`` fraction."""

    kind: str
    value: float

    def margin(self, answer: float) -> float:
        """How far from *answer* a response may be (before float rounding is forgiven)."""
        return abs(answer) * self.value if self.kind == "relative" else self.value

    def accepts(self, answer: float, value: float) -> bool:
        return abs(value - answer) <= self.margin(answer) + _EXACT * max(1.0, abs(answer))


@dataclass(frozen=True)
class NumericRange:
    """Feedback for responses between ``low`` and ``high`` (inclusive; None = unbounded)."""

    low: float | None
    high: float | None
    feedback: str

    def contains(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True, kw_only=True)
class NumericQuestion(Question):
    answer: float
    tolerance: Tolerance = Tolerance("absolute", 0.0)
    unit: str = ""
    unit_aliases: tuple[str, ...] = ()
    ranges: tuple[NumericRange, ...] = ()
    direction: str = "matters"

    @property
    def accepted_units(self) -> tuple[str, ...]:
        return (self.unit, *self.unit_aliases) if self.unit else ()


def parse_number(text: str) -> tuple[float, str] | None:
    """Split typed text into (value, unit text); None if it does not start with a number."""
    cleaned = text.translate(_MINUSES).strip()
    match = _NUMBER.match(cleaned)
    if not match:
        return None
    number = match.group("number").replace(",", ".")
    try:
        value = float(number)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return value, match.group("unit").strip()


def _unit_key(unit: str) -> str:
    return " ".join(unit.split()).casefold()


def parse(raw: Mapping[str, Any], ctx: ParseContext) -> tuple[NumericQuestion | None, list[Problem]]:
    common = parse_common(raw, ctx, FIELDS)
    answer = raw.get("answer")
    if answer is None:
        ctx.problem("answer", "is required: a number")
    elif not is_number(answer):
        ctx.problem("answer", f"must be a number, not {describe(answer)}")
    tolerance = _parse_tolerance(raw, ctx)
    unit = text_field(raw, "unit", ctx, required=False).strip()
    aliases = parse_texts(raw, "unit_aliases", ctx, "must be a list of unit spellings")
    if aliases and not unit:
        ctx.problem("unit_aliases", "lists other spellings of the unit, so it needs a unit")
    for name, spelling in [("unit", raw.get("unit")), *((f"unit_aliases[{i}]", a) for i, a in enumerate(aliases))]:
        if spelling is not None and (message := _unit_problem(spelling)):
            ctx.problem(name, message)
    ranges = _parse_ranges(raw, ctx)
    if is_number(answer):
        _check_ranges_miss_answer(ranges, float(answer), ctx)
    direction = raw.get("direction")
    if direction is None:
        direction = "matters"
    elif direction not in DIRECTIONS:
        ctx.problem("direction", f"{describe(direction)} is not one of {', '.join(DIRECTIONS)}")
    if ctx.problems:
        return None, list(ctx.problems)
    return NumericQuestion(**common, answer=float(answer), tolerance=tolerance, unit=unit,
                           unit_aliases=tuple(a.strip() for a in aliases), ranges=ranges,
                           direction=direction), []


# A unit may not start like a number: "-kg" or "5 s" after "2" would be read as part of it.
_NUMBER_START = re.compile(r"[\d+.,\-\u2212\u2013\u2012\ufe63\uff0d]")
UNIT_MAX_LENGTH = 80


def _unit_problem(unit: object) -> str:
    """Why *unit* cannot be a unit learners type after a number ("" if it can)."""
    if not isinstance(unit, str):
        return f"must be a unit such as BW or %, not the number {describe(unit)}" if is_number(unit) else ""
    text = unit.strip()
    if not text:
        return ""
    if len(text) > UNIT_MAX_LENGTH or "\n" in text:
        return f"{describe(text)} is not a unit: keep it to one line of at most {UNIT_MAX_LENGTH} characters"
    if _NUMBER_START.match(text):
        return (f"{describe(text)} is not a unit: it starts with a sign, digit or decimal mark, which "
                "would be read as part of the number (write the unit alone, e.g. kg or %)")
    return ""


def _check_ranges_miss_answer(ranges: tuple[NumericRange, ...], answer: float, ctx: ParseContext) -> None:
    """A feedback range that holds the right answer would tell a right learner they are wrong."""
    for index, entry in enumerate(ranges):
        if entry.contains(answer):
            ctx.problem(f"ranges[{index}]", f"contains the right answer {answer:g}, so a learner who is right "
                        f"would also see {describe(entry.feedback)}; ranges are for wrong answers")


def _parse_tolerance(raw: Mapping[str, Any], ctx: ParseContext) -> Tolerance:
    if raw.get("tolerance") is None:
        return Tolerance("absolute", 0.0)
    spec = raw["tolerance"]
    if not isinstance(spec, dict) or len(spec) != 1 or next(iter(spec)) not in TOLERANCE_KINDS:
        ctx.problem("tolerance", "must be exactly one of {absolute: NUMBER} or {relative: NUMBER}")
        return Tolerance("absolute", 0.0)
    kind, value = next(iter(spec.items()))
    if not is_number(value) or value <= 0:
        ctx.problem(f"tolerance.{kind}", f"must be a number above 0, not {describe(value)}")
        return Tolerance("absolute", 0.0)
    if kind == "relative" and value >= 1:
        ctx.problem("tolerance.relative", f"is a fraction (0.05 = 5%), so must be below 1, not {describe(value)}")
    return Tolerance(kind, float(value))


def _parse_ranges(raw: Mapping[str, Any], ctx: ParseContext) -> tuple[NumericRange, ...]:
    entries = raw.get("ranges", [])
    if entries is None:
        return ()
    if not isinstance(entries, list):
        ctx.problem("ranges", "must be a list of {min, max, feedback}")
        return ()
    ranges = []
    for index, entry in enumerate(entries):
        prefix = f"ranges[{index}]."
        if not isinstance(entry, dict):
            ctx.problem(f"ranges[{index}]", "must be a mapping with min, max and feedback")
            continue
        check_keys(entry, RANGE_FIELDS, ctx, prefix)
        bounds = []
        for name in ("min", "max"):
            value = entry.get(name)
            if value is not None and not is_number(value):
                ctx.problem(prefix + name, f"must be a number, not {describe(value)}")
                value = None
            bounds.append(None if value is None else float(value))
        low, high = bounds
        if entry.get("min") is None and entry.get("max") is None:
            ctx.problem(f"ranges[{index}]", "needs min, max or both")
        elif low is not None and high is not None and low > high:
            ctx.problem(f"ranges[{index}]", f"min {entry['min']} is above max {entry['max']}")
        feedback = text_field(entry, "feedback", ctx, prefix=prefix)
        ranges.append(NumericRange(low, high, feedback))
    return tuple(ranges)


def grade(question: NumericQuestion, response: object) -> Grade:
    unit_hint = f" in {question.unit}" if question.unit else ""
    if is_number(response):
        value = float(response)  # type: ignore[arg-type]
    elif isinstance(response, str):
        parsed = parse_number(response)
        if parsed is None:
            return invalid(f"Type a number{unit_hint}, for example 2.5.")
        value, unit = parsed
        if unit and _unit_key(unit) not in {_unit_key(u) for u in question.accepted_units}:
            if question.unit:
                return invalid(f"Give the answer in {question.unit}, not {unit!r}.")
            return invalid("Type just the number, without a unit.")
    else:
        return invalid(f"Type a number{unit_hint}.")
    if question.direction == "ignored":
        value = math.copysign(abs(value), question.answer) if question.answer else abs(value)
    right = question.tolerance.accepts(question.answer, value)
    feedback = [next((r.feedback for r in question.ranges if r.contains(value)), "")]
    if not right and value and question.answer and question.tolerance.accepts(question.answer, -value):
        feedback.insert(0, WRONG_DIRECTION)
    return scored(1.0 if right else 0.0, feedback)


def answer_key(question: NumericQuestion) -> AnswerKey:
    """The value with its tolerance and unit, the accepted interval, whether the sign counts, the ranges."""
    key = AnswerKey()
    answer = float(question.answer)
    tolerance = question.tolerance
    suffix = f" {question.unit}" if question.unit else ""
    if tolerance.value == 0:
        key.answer.append((f"Answer: {number(answer)}{suffix} (exact)",))
    else:
        allowed = tolerance.margin(answer)
        how = f"{number(tolerance.value * 100)}% of the answer" if tolerance.kind == "relative" else "absolute"
        key.answer.append((f"Answer: {number(answer)}{suffix} ± {number(allowed)}{suffix} ({how}); "
                           f"accepted {number(answer - allowed)} to {number(answer + allowed)}{suffix}",))
    if question.unit_aliases:
        key.answer.append(("Unit also accepted as: " + ", ".join(question.unit_aliases),))
    if question.direction == "ignored":
        key.answer.append((f"Direction ignored: {number(-answer)} and {number(answer)} both count",))
    elif answer:
        key.answer.append((f"Direction matters: {number(-answer)} is wrong, and its feedback says so",))
    for numeric_range in question.ranges:
        low = "…" if numeric_range.low is None else number(numeric_range.low)
        high = "…" if numeric_range.high is None else number(numeric_range.high)
        key.feedback.append(((f"Answers from {low} to {high}{suffix}: ",), Md(numeric_range.feedback)))
    return key


def answer_text(question: NumericQuestion) -> str:
    unit = f" {question.unit}" if question.unit else ""
    sign = " (either sign counts)" if question.direction == "ignored" and question.answer else ""
    return f"The answer: {question.answer:.10g}{unit}{sign}"


def right_response(question: NumericQuestion) -> str:
    """The answer as a learner would type it, with the unit if there is one."""
    return number(float(question.answer)) + (f" {question.unit}" if question.unit else "")


def wrong_response(question: NumericQuestion, rng: random.Random) -> str:
    """The answer off by a factor (or a round number when the answer is 0), typed with its unit."""
    factor = rng.choice((0.5, 2.0, 1.5, 0.75))
    value = question.answer * factor if question.answer else rng.choice((1.0, 10.0))
    return f"{value:g}" + (f" {question.unit}" if question.unit else "")


EXAMPLE = """\
# numeric: `answer` is a number; `tolerance` is {absolute: 0.01} or {relative: 0.05}
# (5%). Add `unit: "%"` and `unit_aliases: [percent]` when the answer has a unit.
# `ranges` give feedback for typical wrong answers; the first range that fits wins.
# For a change, say whether the sign counts: `direction: matters` (the default) or
# `direction: ignored` (then -14 and 14 grade the same).
- id: exercise-education-rr
  type: numeric
  prompt: "In Steffens 2016, exercise plus education lowered the risk of a low back pain episode. What was the risk ratio?"
  explanation: "The pooled risk ratio was 0.55 (95% CI 0.41 to 0.74): about 45% fewer episodes."
  sources: [steffens2016]
  claim: C9
  hint: "A risk ratio compares the risk with exercise to the risk without it."
  answer: 0.55
  tolerance: {absolute: 0.01}
  ranges:
    - {min: 1.0, feedback: "A ratio of 1 or more would mean no benefit or harm."}
    - {min: 0.6, max: 0.7, feedback: "That is closer to exercise on its own (0.65)."}
"""

TYPE = QuestionType(
    name="numeric", label="Numeric answer", cls=NumericQuestion, parse=parse, grade=grade, fields=FIELDS,
    answer_key=answer_key, answer_text=answer_text, right_response=right_response,
    response='the text as typed, `"2,5 BW"`, or a number', example=EXAMPLE,
    wrong_response=wrong_response, response_text=lambda question, response: str(response),
    random_guess=lambda question: 0.0,  # a number cannot be guessed
    choice_options=None,
)
