"""Feedback that teaches before it tells: what a learner sees after each Check.

A wrong try shows the feedback of what the learner chose and the question's
``hint``; the explanation and the right answer wait for the question's reveal
rule (:class:`~backlessons.quiz.model.Reveal`): after a correct answer, after
the N-th try, or always. :func:`after_check` makes that decision; it is pure (no
widgets, no state), so the rule is tested without a kernel and any front end
can follow it.
"""

from __future__ import annotations

from dataclasses import dataclass

from backlessons.quiz import registry
from backlessons.quiz.model import Grade, Question

__all__ = ["Shown", "after_check", "is_revealed", "answer_text"]


@dataclass(frozen=True)
class Shown:
    """What to show after one Check.

    ``feedback``: the grade's feedback lines to show (lines naming the right answer
    are held back until ``reveal``); ``hint``: the question's hint, or "" when it
    is not due; ``answer``: the right answer in Markdown when it is revealed after
    a wrong or partly right try, else ""; ``reveal``: show the explanation (and
    the sources behind it); ``tries_left``: tries before the reveal when a number
    of tries brings it, else None; ``parts``: (part id, Shown) for a case.
    """

    feedback: tuple[str, ...]
    hint: str
    answer: str
    reveal: bool
    tries_left: int | None = None
    parts: tuple[tuple[str, "Shown"], ...] = ()


def is_revealed(question: Question, correct: bool, tries: int) -> bool:
    """Is the explanation due after *tries* valid tries (this one included), the last one *correct* or not?"""
    rule = question.reveal
    if rule.after == "always" or correct:
        return True
    return rule.after == "tries" and tries >= rule.tries


def after_check(question: Question, grade: Grade, tries: int) -> Shown:
    """What to show for *grade*, the *tries*-th valid try at *question* (counting from 1)."""
    if not grade.valid:
        raise ValueError("an invalid response is not a try: show its hint instead")
    if tries < 1:
        raise ValueError(f"tries counts this try too, so it is at least 1, not {tries}")
    reveal = is_revealed(question, grade.correct, tries)
    rule = question.reveal
    tries_left = rule.tries - tries if not reveal and rule.after == "tries" else None
    parts = tuple((part_id, _part_shown(question, part_id, part_grade, reveal))
                  for part_id, part_grade in grade.parts)
    return Shown(
        feedback=_visible(grade, reveal),
        hint="" if reveal or grade.correct else question.hint,
        answer=answer_text(question) if reveal and not grade.correct else "",
        reveal=reveal,
        tries_left=tries_left,
        parts=parts,
    )


def _part_shown(case: Question, part_id: str, grade: Grade, reveal: bool) -> Shown:
    part = case.part(part_id)  # type: ignore[attr-defined]
    return Shown(
        feedback=_visible(grade, reveal),
        hint="" if reveal or grade.correct else part.hint,
        answer=answer_text(part) if reveal and not grade.correct else "",
        reveal=reveal,
    )


def _visible(grade: Grade, reveal: bool) -> tuple[str, ...]:
    if reveal:
        return grade.feedback
    return tuple(text for text in grade.feedback if text not in grade.reveals)


def answer_text(question: Question) -> str:
    """The right answer as one line of Markdown (bank text kept as written); "" for a case.

    Each question type declares its own (``TYPE.answer_text`` in its module)."""
    return registry.answer_text(question)
