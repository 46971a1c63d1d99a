"""Question types: what one type declares, the registry of them, and what is built from it.

Each type module (``single.py`` … ``case.py``) ends with one declaration,
``TYPE = QuestionType(...)``: its dataclass, parser, grader, display name, answer-key
lines, the right answer shown to learners, the response it grades, the example
question of the bank template, and what the instructor tools need (its options for the
distractor analysis, its random-guess score, a plausible wrong answer and the text of a
response, for the synthetic demo class). :mod:`backlessons.quiz.bank` registers them in order;
everything that depends on the type (parsing, grading, the answer key, the reveal
text, the bank template, the type table of ``docs/question-bank.md``) looks it up
here instead of naming types.

This module imports no type module, so a type (a case, whose parts are questions)
can use :func:`parse_question` and :func:`grade` without an import cycle.

The table of types in ``docs/question-bank.md`` is generated too
(:mod:`backlessons.quiz.typetable`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Mapping

from backlessons.errors import Problem
from backlessons.quiz.keys import AnswerKey
from backlessons.quiz.model import Grade, ParseContext, Question, describe, parse_common

__all__ = [
    "QuestionType",
    "QUESTION_TYPES",
    "register",
    "question_type",
    "parse_question",
    "grade",
    "answer_text",
    "answer_key",
    "right_response",
    "wrong_response",
    "response_text",
    "choice_options",
    "random_guess",
    "template_examples",
]


@dataclass(frozen=True)
class QuestionType:
    """Everything the package knows about one question type, declared in the type's module.

    ``label``: its display name ("Single choice"); ``answer_key(question)`` →
    :class:`~backlessons.quiz.keys.AnswerKey`, the instructor's key; ``answer_text(question)``
    → the right answer in one line of Markdown, shown to a learner at the reveal ("" if
    the type shows none, like a case whose parts show theirs); ``right_response(question)``
    → a response that :func:`grade` scores 1 (file indexes, as a learner's); ``response``: the
    response :func:`grade` takes, in Markdown, for the docs; ``example``: one question
    in YAML with its teaching comment, for the bank template (unindented, starting
    with ``# <name>:``); ``has_parts``: its questions hold questions of other types (a
    case), so it cannot be a part itself.

    For the instructor tools: ``wrong_response(question, rng)`` → a plausible wrong (or
    partly right) response drawn with the :class:`random.Random` *rng*, for the synthetic
    demo class; ``response_text(question, response)`` → the response as readable text,
    saved with it in the results (``"B. Keep running"``, options lettered in file order);
    ``random_guess(question)`` → the expected score of a response picked at random
    (:mod:`backlessons.quiz.guessing`; 0 where an answer cannot be guessed, NaN where it
    is not computed);
    ``choice_options(question)`` → (text, is right) of each option a learner picks among,
    in file order, for the distractor analysis, or ``None`` for a type without options;
    ``option_names``: the fixed names of those options when the type has them ("True",
    "False"), in which a response names its pick; empty: options are lettered A, B, …
    and a response gives option indexes.
    """

    name: str
    label: str
    cls: type[Question]
    parse: Callable[[Mapping[str, Any], ParseContext], tuple[Question | None, list[Problem]]]
    grade: Callable[[Any, Any], Grade]
    fields: tuple[str, ...]
    answer_key: Callable[[Any], AnswerKey]
    answer_text: Callable[[Any], str]
    right_response: Callable[[Any], Any]
    response: str
    example: str
    wrong_response: Callable[[Any, random.Random], Any]
    response_text: Callable[[Any, Any], str]
    random_guess: Callable[[Any], float]
    choice_options: Callable[[Any], list[tuple[str, bool]]] | None
    option_names: tuple[str, ...] = ()
    has_parts: bool = False


_TYPES: dict[str, QuestionType] = {}
#: name → QuestionType, in registration order (the order of every list of types).
QUESTION_TYPES: Mapping[str, QuestionType] = MappingProxyType(_TYPES)


def register(qtype: QuestionType) -> QuestionType:
    """Add *qtype* to :data:`QUESTION_TYPES`; a second, different type of the same name is an error."""
    known = _TYPES.get(qtype.name)
    if known is not None and known is not qtype:
        raise ValueError(f"question type {qtype.name!r} is already registered")
    _TYPES[qtype.name] = qtype
    return qtype


def question_type(question: Question) -> QuestionType:
    """The registered type of a parsed *question*; TypeError for anything else."""
    qtype = _TYPES.get(getattr(question, "type", None))  # type: ignore[arg-type]
    if qtype is None or not isinstance(question, qtype.cls):
        raise TypeError(f"needs a question from a loaded bank, not {describe(question)}")
    return qtype


def grade(question: Question, response: object) -> Grade:
    """Grade *response* to *question*. Malformed responses give ``Grade(valid=False)``, never an error."""
    try:
        qtype = question_type(question)
    except TypeError as err:
        raise TypeError(f"grade() {err}") from None
    return qtype.grade(question, response)


def answer_text(question: Question) -> str:
    """The right answer as one line of Markdown (bank text kept as written), from the question's type."""
    return question_type(question).answer_text(question)


def answer_key(question: Question) -> AnswerKey:
    """The instructor's key lines for *question*, from its type."""
    return question_type(question).answer_key(question)


def right_response(question: Question) -> Any:
    """A response to *question* that scores full marks, from its type (for demo data and tests)."""
    return question_type(question).right_response(question)


def wrong_response(question: Question, rng: random.Random) -> Any:
    """A plausible wrong (or partly right) response to *question*, drawn with *rng*, from its type (demo data)."""
    return question_type(question).wrong_response(question, rng)


def response_text(question: Question, response: Any) -> str:
    """*response* as readable text for the results (options in file order), from the question's type."""
    return question_type(question).response_text(question, response)


def choice_options(question: Question) -> list[tuple[str, bool]] | None:
    """(text, is right) of each option of *question*, in file order; None if its type has no options."""
    options = question_type(question).choice_options
    return None if options is None else options(question)


def random_guess(question: Question) -> float:
    """The expected score of a response to *question* picked at random, from its type."""
    return question_type(question).random_guess(question)


def _all_fields() -> tuple[str, ...]:
    return tuple(dict.fromkeys(f for qtype in _TYPES.values() for f in qtype.fields))


def parse_question(raw: object, ctx: ParseContext) -> tuple[Question | None, list[Problem]]:
    """Parse one question (or case part) mapping with the parser its ``type`` names."""
    if not isinstance(raw, dict):
        ctx.problem("", f"must be a mapping with id, type, prompt and the type's fields, not {describe(raw)}")
        return None, list(ctx.problems)
    kind = raw.get("type")
    qtype = _TYPES.get(kind) if isinstance(kind, str) else None
    if qtype is None or (ctx.in_case and qtype.has_parts):
        if kind is None:
            ctx.problem("type", f"is required: one of {', '.join(_TYPES)}")
        elif qtype is None:
            ctx.problem("type", f"{describe(kind)} is not one of {', '.join(_TYPES)}")
        else:
            ctx.problem("type", f"a case part cannot itself be a {kind}")
        # Still check the shared fields, so one pass reports everything.
        parse_common(raw, ctx, _all_fields())
        return None, list(ctx.problems)
    return qtype.parse(raw, ctx)


# --- built from the registry: the bank template's examples (the docs' table: typetable.py) -----


def template_examples(indent: str = "  ") -> str:
    """Every type's example question, in registration order, indented for a bank's ``questions:``."""
    blocks = []
    for qtype in _TYPES.values():
        lines = qtype.example.strip("\n").splitlines()
        blocks.append("\n".join(f"{indent}{line}" if line else "" for line in lines))
    return "\n\n".join(blocks) + "\n"
