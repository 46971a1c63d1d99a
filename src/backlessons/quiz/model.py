"""The shared question model: Grade, the Question base dataclass, Bank, and parsing helpers.

Each question type (single.py … case.py) builds on these: it declares its own
fields, parses them with the helpers below, and grades into a ``Grade``. Parsing
never raises; it returns the problems it found so a bank reports all of them.
"""

from __future__ import annotations

import math
import numbers
import re
import reprlib
import unicodedata
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from backlessons.errors import Problem

__all__ = [
    "Grade",
    "Question",
    "Bank",
    "Reveal",
    "DEFAULT_REVEAL",
    "REVEAL_AFTER",
    "MAX_TRIES",
    "Reference",
    "REFERENCE_FIELDS",
    "parse_reveal",
    "ParseContext",
    "COMMON_FIELDS",
    "DIFFICULTIES",
    "ID_PATTERN",
    "CLAIM_PATTERN",
    "invalid",
    "scored",
    "parse_common",
    "parse_list",
    "parse_bool",
    "parse_texts",
    "check_keys",
    "find_duplicates",
    "comparable",
    "ID_MAX_LENGTH",
    "as_list",
    "BROKEN_CONTAINER",
    "is_index",
    "is_number",
    "is_text",
    "text_field",
    "describe",
    "type_name",
]

ID_PATTERN = re.compile(r"[a-z0-9_-]+")
ID_MAX_LENGTH = 64  # ids go into file names, progress rows and messages
CLAIM_PATTERN = re.compile(r"C(?:[1-9]|1[0-8])")
DIFFICULTIES = ("easy", "medium", "hard")
# Fields every question may carry; each type adds its own (see its FIELDS).
COMMON_FIELDS = ("id", "type", "prompt", "explanation", "sources", "claim", "objective", "difficulty", "tags",
                 "hint", "reveal")
# When the explanation and the right answer appear: after a correct answer only, after a
# correct answer or the N-th try (whichever comes first), or after every Check.
REVEAL_AFTER = ("correct", "tries", "always")
REVEAL_FIELDS = ("after", "tries")
MAX_TRIES = 20
# The columns of data/references.csv, which a bank's own `references:` entries share.
REFERENCE_FIELDS = ("key", "authors", "year", "title", "journal", "volume", "pages", "note")
# Scores are fractions of small integers; this keeps 1/3 + 2/3 from missing full marks.
_FULL = 1.0 - 1e-9


@dataclass(frozen=True)
class Grade:
    """The result of grading one response.

    ``valid`` is False for a malformed response (wrong shape, not a number, an
    index out of range): that is not an attempt, and ``feedback`` holds a hint.
    ``parts`` is ``(part_id, Grade)`` pairs for a case question, else empty.
    ``reveals`` are the lines of ``feedback`` that name the right answer (a missed
    option, the right partner): held back until the answer is revealed.
    """

    score: float
    correct: bool
    valid: bool = True
    feedback: tuple[str, ...] = ()
    parts: tuple[tuple[str, "Grade"], ...] = ()
    reveals: tuple[str, ...] = ()


def invalid(hint: str) -> Grade:
    """A Grade for a response that cannot be graded: not an attempt, score 0, one hint."""
    return Grade(score=0.0, correct=False, valid=False, feedback=(hint,))


def scored(score: float, feedback: Sequence[str] = (), parts: Sequence[tuple[str, Grade]] = (),
           reveals: Sequence[str] = ()) -> Grade:
    """A Grade for a gradable response; clamps *score* to 0..1, ``correct`` only at full marks.

    *reveals*: those of *feedback* that give the right answer away."""
    score = min(1.0, max(0.0, float(score)))
    if score >= _FULL:
        score = 1.0
    return Grade(
        score=score,
        correct=score == 1.0,
        valid=True,
        feedback=tuple(text for text in feedback if text),
        parts=tuple(parts),
        reveals=tuple(text for text in reveals if text),
    )


@dataclass(frozen=True)
class Reveal:
    """When a question's explanation and right answer are shown (see ``quiz.reveal``).

    ``after`` is ``"correct"``, ``"tries"`` (after a correct answer or the
    ``tries``-th try, whichever comes first) or ``"always"`` (after every Check).
    """

    after: str = "tries"
    tries: int = 2

    def describe(self) -> str:
        """The rule in words, for answer keys: 'after a correct answer or the 2nd try'."""
        if self.after == "always":
            return "after every Check"
        if self.after == "correct":
            return "only after a correct answer"
        return f"after a correct answer or the {_ordinal(self.tries)} try"


DEFAULT_REVEAL = Reveal()


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class Reference:
    """One reference, with the fields of data/references.csv (a bank's own ``references:``)."""

    key: str
    year: int
    authors: str = ""
    title: str = ""
    journal: str = ""
    volume: str = ""
    pages: str = ""
    note: str = ""

    def fields(self) -> dict[str, str]:
        """Every field but the key, as text (the form the reference formatters read)."""
        return {name: str(getattr(self, name)) for name in REFERENCE_FIELDS if name != "key"}


@dataclass(frozen=True, kw_only=True)
class Question:
    """Fields every question type shares. Text fields are Markdown.

    ``hint`` is shown after a wrong try, before the explanation is revealed;
    ``reveal`` is the rule in force (the question's own, else its bank's);
    ``references`` holds the bank's own references among ``sources``, so the
    question can be cited without the bank at hand.
    """

    id: str
    type: str
    prompt: str
    explanation: str
    sources: tuple[str, ...]
    claim: str | None = None
    objective: str = ""
    difficulty: str = "medium"
    tags: tuple[str, ...] = ()
    hint: str = ""
    reveal: Reveal = DEFAULT_REVEAL
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class Bank:
    """One question bank: a lesson's quiz or an instructor's own file.

    ``reveal`` is the bank's default rule; ``references`` its own references
    (those not in the shipped references.csv).
    """

    lesson: str
    title: str
    path: str
    questions: tuple[Question, ...]
    reveal: Reveal = DEFAULT_REVEAL
    references: tuple[Reference, ...] = ()

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError naming the bank if there is none."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(f"{self.path}: no question {question_id!r}")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(question.id for question in self.questions)


@dataclass
class ParseContext:
    """Where a question sits (for messages) and what it may refer to.

    ``reference_keys`` None means references.csv could not be read, so source
    keys are checked for shape only. ``in_case`` marks a case part: parts may
    leave out explanation and sources (they inherit the case's) and may not be cases.
    ``own_references`` are the bank's ``references:`` (valid source keys too);
    ``reveal`` is the rule a question without its own ``reveal`` follows.
    """

    path: str
    where: str
    line: int | None = None
    reference_keys: frozenset[str] | None = None
    in_case: bool = False
    inherited_sources: tuple[str, ...] = ()
    lines: Mapping[int, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    own_references: Mapping[str, Reference] = field(default_factory=dict)
    reveal: Reveal = DEFAULT_REVEAL

    def problem(self, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.path, self.where, field_name, message, self.line))

    def line_of(self, node: object, default: int | None = None) -> int | None:
        return self.lines.get(id(node), default)


_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = _SHORT_REPR.maxlong = 60
_SHORT_REPR.maxlist = _SHORT_REPR.maxdict = _SHORT_REPR.maxtuple = _SHORT_REPR.maxset = 4
_SHORT_REPR.maxlevel = 2


def describe(value: object) -> str:
    """A short, safe rendering of a bad value for a message.

    Bounded work whatever the value: a list that aliases expand to millions of items
    is never turned into text whole (reprlib stops after a few items and levels).
    """
    text = _SHORT_REPR.repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def type_name(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "text", list: "a list",
             dict: "a mapping", type(None): "empty"}
    return names.get(type(value), type(value).__name__)


def is_index(value: object) -> bool:
    """Is *value* an integer index (not a bool, which Python counts as an int)?"""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


# What reading a broken or half-built container raises (a generator that fails, a mapping
# whose items() raises, a dict changed while read): a bad response, not a grading error.
# Anything else (MemoryError, KeyboardInterrupt, a bug in our own code) is not caught.
BROKEN_CONTAINER = (TypeError, ValueError, LookupError, AttributeError, RuntimeError)


def as_list(response: object, kind: type) -> list[Any] | None:
    """*response* as a list when it is a *kind* (``Iterable`` or ``Sequence``) of items;
    ``None`` for text, a mapping, anything else, or an iterable that breaks."""
    if isinstance(response, (str, bytes, MappingABC)) or not isinstance(response, kind):
        return None
    try:
        return list(response)  # type: ignore[call-overload]
    except BROKEN_CONTAINER:  # a broken iterable is still just a bad response
        return None


def is_number(value: object) -> bool:
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def is_text(value: object) -> bool:
    """Can *value* stand for text: a str, or a number YAML read from unquoted text (never a bool)?"""
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def text_field(raw: Mapping[str, Any], name: str, ctx: ParseContext, *, required: bool = True,
               prefix: str = "") -> str:
    """Read a Markdown text field; report a problem if it is missing, empty or not text."""
    label = f"{prefix}{name}"
    if name not in raw or raw[name] is None:
        if required:
            ctx.problem(label, "is required")
        return ""
    value = raw[name]
    if not is_text(value):
        ctx.problem(label, f"must be text, not {type_name(value)}")
        return ""
    text = str(value)
    if required and not text.strip():
        ctx.problem(label, "must not be empty")
    return text


def check_keys(raw: Mapping[Any, Any], allowed: Sequence[str], ctx: ParseContext, prefix: str = "") -> None:
    """Report keys nobody reads: usually a typo (``optoins``) that would silently drop content."""
    for key in raw:
        if key not in allowed:
            hint = _close_match(str(key), allowed)
            extra = f" (did you mean {hint!r}?)" if hint else ""
            ctx.problem(f"{prefix}{key}", f"unknown field{extra}")


def _close_match(word: str, choices: Sequence[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return found[0] if found else None


def parse_common(raw: Mapping[str, Any], ctx: ParseContext, type_fields: Sequence[str]) -> dict[str, Any]:
    """Parse the fields every question shares and flag unknown keys; problems go to *ctx*."""
    check_keys(raw, (*COMMON_FIELDS, *type_fields), ctx)
    common: dict[str, Any] = {}
    qid = raw.get("id")
    if qid is None:
        ctx.problem("id", "is required")
    elif not isinstance(qid, str) or not ID_PATTERN.fullmatch(qid):
        ctx.problem("id", f"{describe(qid)} must use only a-z, 0-9, '_' and '-'")
    elif len(qid) > ID_MAX_LENGTH:
        ctx.problem("id", f"{describe(qid)} is {len(qid):,} characters long; keep ids to {ID_MAX_LENGTH}")
    common["id"] = qid if isinstance(qid, str) else ""
    common["type"] = raw.get("type")
    common["prompt"] = text_field(raw, "prompt", ctx)
    common["explanation"] = text_field(raw, "explanation", ctx, required=not ctx.in_case)
    common["sources"] = _parse_sources(raw, ctx)
    claim = raw.get("claim")
    if claim is not None and (not isinstance(claim, str) or not CLAIM_PATTERN.fullmatch(claim)):
        ctx.problem("claim", f"{describe(claim)} is not a claim id C1–C18")
        claim = None
    common["claim"] = claim
    common["objective"] = text_field(raw, "objective", ctx, required=False)
    difficulty = raw.get("difficulty", "medium")
    if difficulty not in DIFFICULTIES:
        ctx.problem("difficulty", f"{describe(difficulty)} is not one of {', '.join(DIFFICULTIES)}")
        difficulty = "medium"
    common["difficulty"] = difficulty
    common["tags"] = tuple(parse_texts(raw, "tags", ctx, "must be a list of words"))
    common["hint"] = text_field(raw, "hint", ctx, required=False)
    if ctx.in_case and raw.get("reveal") is not None:
        ctx.problem("reveal", "a case part follows its case's reveal rule; set reveal on the case")
        common["reveal"] = ctx.reveal
    else:
        common["reveal"] = parse_reveal(raw.get("reveal"), ctx.problem, ctx.reveal)
    common["references"] = tuple(ctx.own_references[key] for key in dict.fromkeys(common["sources"])
                                 if key in ctx.own_references)
    return common


def parse_reveal(spec: object, report: Callable[[str, str], None], default: Reveal = DEFAULT_REVEAL,
                 label: str = "reveal") -> Reveal:
    """Read a ``reveal`` mapping ``{after: correct | tries | always, tries: N}``; None gives *default*.

    ``after`` may be left out when ``tries`` is given (it is then ``tries``). Problems go to
    *report(field, message)*; a bad rule falls back to *default*.
    """
    if spec is None:
        return default
    example = "{after: tries, tries: 2}"
    if not isinstance(spec, MappingABC):
        hint = f" (did you mean {{after: {spec}}}?)" if spec in REVEAL_AFTER else ""
        report(label, f"must be a mapping like {example}, not {describe(spec)}{hint}")
        return default
    ok = True
    for key in spec:
        if key not in REVEAL_FIELDS:
            near = _close_match(str(key), REVEAL_FIELDS)
            report(f"{label}.{key}", "unknown field" + (f" (did you mean {near!r}?)" if near else "")
                   + "; reveal has after and tries")
            ok = False
    after = spec.get("after", "tries")
    if after not in REVEAL_AFTER:
        report(f"{label}.after", f"{describe(after)} is not one of {', '.join(REVEAL_AFTER)}")
        return default
    tries = spec.get("tries")
    if tries is not None and after != "tries":
        report(f"{label}.tries", f"counts only with after: tries, and after is {after!r}")
        ok = False
    elif tries is not None and not (is_index(tries) and 1 <= int(tries) <= MAX_TRIES):
        report(f"{label}.tries", f"must be a whole number from 1 to {MAX_TRIES}, not {describe(tries)}")
        ok = False
    if not ok:
        return default
    return Reveal(after, int(tries) if tries is not None else DEFAULT_REVEAL.tries)


def _parse_sources(raw: Mapping[str, Any], ctx: ParseContext) -> tuple[str, ...]:
    if "sources" not in raw or raw["sources"] is None:
        if ctx.in_case and ctx.inherited_sources:
            return ctx.inherited_sources
        ctx.problem("sources", "is required: a list of keys from references.csv")
        return ()
    sources = raw["sources"]
    if isinstance(sources, str):
        # [swain2020] is easy to write as plain swain2020; accept one key, as the CSVs do.
        sources = [sources]
    if not isinstance(sources, list) or not sources:
        ctx.problem("sources", "must be a non-empty list of keys from references.csv")
        return ()
    keys: list[str] = []
    for index, key in enumerate(sources):
        if not isinstance(key, str) or not key.strip():
            ctx.problem(f"sources[{index}]", f"{describe(key)} is not a reference key")
        elif ctx.reference_keys is not None and key not in ctx.reference_keys and key not in ctx.own_references:
            where = "references.csv or the bank's references" if ctx.own_references else "references.csv"
            ctx.problem(f"sources[{index}]", f"{key!r} is not a key in {where}")
        else:
            keys.append(key)
    return tuple(keys)


def parse_list(raw: Mapping[str, Any], name: str, ctx: ParseContext, minimum: int,
               what: str) -> list[Any] | None:
    """Read a list field that must hold at least *minimum* entries, else report and return None."""
    if name not in raw or raw[name] is None:
        ctx.problem(name, f"is required: a list of at least {minimum} {what}")
        return None
    value = raw[name]
    if not isinstance(value, list):
        ctx.problem(name, f"must be a list of {what}, not {type_name(value)}")
        return None
    if len(value) < minimum:
        ctx.problem(name, f"needs at least {minimum} {what}, found {len(value)}")
        return None
    return value


def parse_texts(raw: Mapping[str, Any], name: str, ctx: ParseContext, message: str, *,
                numbers: bool = False) -> list[str]:
    """Read an optional list of non-blank texts (with *numbers*, unquoted numbers count too);
    report *message* and return [] if it is anything else."""
    values = raw.get(name)
    if values is None:
        return []
    accept = is_text if numbers else (lambda value: isinstance(value, str))
    if not isinstance(values, list) or not all(accept(value) and str(value).strip() for value in values):
        ctx.problem(name, message)
        return []
    return [str(value) for value in values]


def parse_bool(raw: Mapping[str, Any], name: str, ctx: ParseContext, default: bool | None,
               label: str | None = None) -> bool:
    label = label or name
    if name not in raw or raw[name] is None:
        if default is None:
            ctx.problem(label, "is required: true or false")
            return False
        return default
    value = raw[name]
    if not isinstance(value, bool):
        ctx.problem(label, f"must be true or false, not {describe(value)}")
        return False if default is None else default
    return value


def find_duplicates(texts: Sequence[str]) -> list[tuple[int, str]]:
    """(index, text) of every entry equal to an earlier one as a reader sees it (see :func:`comparable`).

    Blank entries are skipped: they are already reported as missing text.
    """
    seen: set[str] = set()
    duplicates = []
    for index, text in enumerate(texts):
        key = comparable(text)
        if not key:
            continue
        if key in seen:
            duplicates.append((index, text))
        seen.add(key)
    return duplicates



def comparable(text: str) -> str:
    """*text* as a reader sees it: NFKC-normalised, without invisible format characters
    (zero-width space, joiners, soft hyphen, direction marks), spaces collapsed, case folded."""
    visible = "".join(char for char in unicodedata.normalize("NFKC", text) if unicodedata.category(char) != "Cf")
    return " ".join(visible.split()).casefold()
