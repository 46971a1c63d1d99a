"""Single choice: pick the one right option. Response: the option's index in the file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from backlessons.errors import Problem
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

__all__ = ["Option", "SingleQuestion", "FIELDS", "OPTION_FIELDS", "parse", "grade", "parse_options"]

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
