"""Case: a clinical vignette followed by parts, each a question of another type.

Parts share the vignette; they need id, type and prompt, may leave out
explanation, and inherit the case's sources unless they name their own. A case
cannot contain a case. Response: ``dict`` part id → that part's response; every
part must be answered. Score: the mean of the parts' scores.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from typing import Any, Mapping

from backlessons.errors import Problem
from backlessons.quiz.keys import AnswerKey, Md
from backlessons.quiz.model import BROKEN_CONTAINER, Grade, ParseContext, Question, describe, invalid, parse_common, parse_list, scored, text_field
from backlessons.quiz.registry import QuestionType, parse_question, right_response
from backlessons.quiz.registry import response_text as part_text
from backlessons.quiz.registry import wrong_response as wrong_part
from backlessons.quiz.registry import grade as grade_any

__all__ = ["CaseQuestion", "FIELDS", "parse", "grade", "answer_key", "answer_text", "EXAMPLE", "wrong_response",
           "response_text", "TYPE"]

FIELDS = ("vignette", "parts")


@dataclass(frozen=True, kw_only=True)
class CaseQuestion(Question):
    vignette: str
    parts: tuple[Question, ...]

    def part(self, part_id: str) -> Question:
        for part in self.parts:
            if part.id == part_id:
                return part
        raise KeyError(f"question {self.id}: no part {part_id!r}")


def parse(raw: Mapping[str, Any], ctx: ParseContext) -> tuple[CaseQuestion | None, list[Problem]]:
    if ctx.in_case:
        ctx.problem("type", "a case part cannot itself be a case")
        return None, list(ctx.problems)
    common = parse_common(raw, ctx, FIELDS)
    vignette = text_field(raw, "vignette", ctx)
    entries = parse_list(raw, "parts", ctx, 1, "parts") or []
    parts: list[Question] = []
    seen: dict[str, int] = {}
    case_id = common["id"] or ctx.where.removeprefix("question ")
    for index, entry in enumerate(entries):
        part_ctx = ParseContext(
            path=ctx.path,
            where=f"question {case_id}/parts[{index}]",
            line=ctx.line_of(entry, ctx.line),
            reference_keys=ctx.reference_keys,
            in_case=True,
            inherited_sources=common["sources"],
            lines=ctx.lines,
            own_references=ctx.own_references,
            reveal=common["reveal"],
        )
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"]:
            part_ctx.where = f"question {case_id}/{entry['id']}"
            if entry["id"] in seen:
                part_ctx.problem("id", f"{entry['id']!r} is already used by parts[{seen[entry['id']]}]")
            seen.setdefault(entry["id"], index)
        part, problems = parse_question(entry, part_ctx)
        ctx.problems.extend(problems)
        if part is not None:
            parts.append(part)
    if ctx.problems:
        return None, list(ctx.problems)
    return CaseQuestion(**common, vignette=vignette, parts=tuple(parts)), []


def grade(question: CaseQuestion, response: object) -> Grade:
    if not isinstance(response, MappingABC):
        return invalid("Answer each part of the case.")
    try:
        answers = dict(response.items())
    except BROKEN_CONTAINER:  # a broken mapping is still just a bad response
        return invalid("Answer each part of the case.")
    ids = {part.id for part in question.parts}
    unknown = [key for key in answers if key not in ids]
    if unknown:
        return invalid(f"This case has no part {describe(unknown[0])}.")
    graded: list[tuple[str, Grade]] = []
    for part in question.parts:
        if part.id in answers:
            graded.append((part.id, grade_any(part, answers[part.id])))
        else:
            graded.append((part.id, invalid("Answer this part.")))
    bad = [(part_id, g) for part_id, g in graded if not g.valid]
    if bad:
        # One unanswered or malformed part makes the whole Check not an attempt.
        part_id, g = bad[0]
        hint = g.feedback[0] if g.feedback else "Answer this part."
        return Grade(score=0.0, correct=False, valid=False,
                     feedback=(f"Part {part_id}: {hint}",), parts=tuple(graded))
    right = sum(1 for _, g in graded if g.correct)
    summary = f"{right} of {len(graded)} parts right."
    return scored(sum(g.score for _, g in graded) / len(graded), (summary,), graded)


def answer_key(question: CaseQuestion) -> AnswerKey:
    """The vignette and the number of parts; each part is keyed on its own, by its own type."""
    return AnswerKey(answer=[(f"{len(question.parts)} part(s), each answered below.",)],
                     vignette=Md(question.vignette), parts=question.parts)


def wrong_response(question: CaseQuestion, rng: random.Random) -> dict[str, Any]:
    """Every part right but one, answered wrongly by its own type."""
    parts = {part.id: right_response(part) for part in question.parts}
    missed = rng.choice(question.parts)
    parts[missed.id] = wrong_part(missed, rng)
    return parts


def response_text(question: CaseQuestion, response: Mapping[str, Any]) -> str:
    return "; ".join(f"{part.id}: {part_text(part, response[part.id])}" for part in question.parts)


def answer_text(question: CaseQuestion) -> str:
    return ""  # each part shows its own right answer


EXAMPLE = """\
# case: a vignette and parts; each part is a question of another type with its own
# id. Parts inherit the case's sources and may leave out the explanation.
- id: runner-with-pain
  type: case
  prompt: "Read the case, then answer each part."
  explanation: "Without red flags, staying active with adjusted load is the usual advice."
  sources: [nice_ng59, dahm2010]
  claim: C17
  hint: "Start from what she can still do, not from what might be wrong."
  vignette: |
    A 34-year-old recreational runner has had low back pain for five days after a
    long race. There are no red flags. She asks whether she should stop running.
  parts:
    - id: stay-active
      type: true_false
      prompt: "Should she rest from running until the pain has gone?"
      hint: "What do guidelines advise about staying active?"
      answer: false
      feedback_true: "Resting until pain-free is a common belief, but guidelines advise staying active and adjusting load."
      feedback_false: "Right: stay active and reduce load rather than stop."
    - id: first-step
      type: single
      prompt: "What is a reasonable first step?"
      hint: "There are no red flags: what can she do this week?"
      options:
        - text: "Shorter, easier runs guided by symptoms"
          correct: true
          feedback: "Right: lower the load and let her symptoms guide each increase."
        - text: "An MRI scan before running again"
          feedback: "Imaging is not advised without red flags: findings are common in people without pain."
        - text: "Core stability work before running again"
          feedback: "A common belief, but core exercise has not proved better than other exercise; she can keep running."
"""

TYPE = QuestionType(
    name="case", label="Clinical case", cls=CaseQuestion, parse=parse, grade=grade, fields=FIELDS,
    answer_key=answer_key, answer_text=answer_text,
    right_response=lambda question: {part.id: right_response(part) for part in question.parts},
    response='part id → that part\'s response, `{"stay-active": False, "first-step": 0}`', example=EXAMPLE,
    wrong_response=wrong_response, response_text=response_text,
    random_guess=lambda question: math.nan,  # not computed: the parts are scored together
    choice_options=None, has_parts=True,
)
