"""The right answer of a question as lines, in a form every answer-key renderer reads.

A question type's ``answer_key(question)`` returns :class:`AnswerKey`: lines of the
right answer, the feedback a learner sees for each choice, and for a case its vignette
and parts. Each line mixes our own words (``str``) with text a bank's author wrote
(:class:`Md`, Markdown), so an HTML renderer escapes the one and renders the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence, Union

__all__ = ["Md", "Fragment", "Line", "AnswerKey", "number", "join"]


class Md(str):
    """Text written by a bank's author (Markdown); everything else in a key is our own text."""


Fragment = Union[str, Md]
Line = tuple[Fragment, ...]


@dataclass
class AnswerKey:
    """One question's key: ``answer`` lines, ``feedback`` (what was chosen, its feedback),
    and for a question made of parts its ``vignette`` and ``parts`` (each keyed on its own)."""

    answer: list[Line] = field(default_factory=list)
    feedback: list[tuple[Line, Md]] = field(default_factory=list)
    vignette: Md = Md("")
    parts: tuple[Any, ...] = ()


def number(value: float) -> str:
    """A number as an author would write it: 2.5, 10, 0.05 (no 10.0, no 2.5000000001)."""
    return f"{value:.10g}"


def join(items: Sequence[Fragment], separator: str) -> list[Fragment]:
    """*items* with *separator* between them, each item kept as it is (``Md`` stays ``Md``)."""
    out: list[Fragment] = []
    for index, item in enumerate(items):
        if index:
            out.append(separator)
        out.append(item)
    return out
