"""Take class results and question banks to a learning management system (Moodle, Canvas).

Gradebook (``backlessons results gradebook class.csv --format moodle|canvas``): one row per
learner, one column per lesson holding the lesson score in percent: 100 × the mean, over
the lesson's questions, of the learner's best score on each (a question not answered
counts 0). A lesson's questions are its shipped bank's; for a lesson without one, every
question of that lesson anyone in the file answered.

* ``moodle``: Moodle's CSV grade import (Grades → Import → CSV file). First column
  ``Username`` (the learner name from the results; on a hub that is the hub login), then
  one column per lesson named ``backlessons: <lesson title>``. On import, map from
  "Username" to "username" (or to "useridnumber" when your learner names are ID numbers),
  and map each lesson column to a grade item or to "new grade item" (out of 100).
* ``canvas``: Canvas's Gradebook import (Grades → Import). The columns Canvas's own export
  starts with, ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section``; the
  learner name goes in ``Student`` and ``SIS Login ID`` (Canvas matches a row on any of
  the IDs; fill ``ID`` or ``SIS User ID`` yourself if your logins differ), then one
  column per lesson, and a second row ``Points Possible`` (100 each) so Canvas creates a
  new assignment for a lesson column it does not know.

Every cell goes through :mod:`backlessons.csvfile` (formula-looking text gets a ``'``) and
the file is replaced atomically.

Bank export (``backlessons bank export BANK --format moodle-xml|gift``): text stays
Markdown (Moodle XML ``format="markdown"``, GIFT ``[markdown]``); the explanation becomes
the general feedback. What each format can hold:

========== ======================================= ======================================
type       Moodle XML                              GIFT
========== ======================================= ======================================
single     multichoice, single answer              ``{=right ~wrong}``
multiple   multichoice, several answers: each      ``{~%50%right ~%-50%wrong}``, same
           right option +100/k %, each wrong        weights
           −100/(n−k) %
true_false truefalse, feedback per choice          ``{T#…#…}``
numeric    numerical: answer ± tolerance (a        ``{#answer:tolerance}``; **no unit**
           relative tolerance as its margin),       (GIFT has none: learners type the
           unit; each closed feedback range as a    number only); closed ranges as 0 %
           0 % answer with its feedback             answers
matching   matching; distractors as extra          ``{=left -> right}``; **no distractors
           answers; **no per-pair feedback**        and no per-pair feedback**
ordering   **not exported** (ordering is the       **not exported** (GIFT has no
           qtype_ordering plugin, not a core        ordering type)
           type; its XML is not targeted)
case       each part as its own question, the vignette above the part's prompt, named
           ``<case id>/<part id>`` (neither format links questions into one case)
========== ======================================= ======================================

An open feedback range (only ``min`` or only ``max``) cannot be written as answer ±
tolerance and is left out. Everything left out is returned as a note naming the bank,
question id and field, and printed by the command.
"""

from __future__ import annotations

import csv
import os
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from backlessons.csvfile import neutralise, rows_to_csv, write_atomic
from backlessons.display import lesson_titles

__all__ = [
    "GRADEBOOK_FORMATS",
    "BANK_FORMATS",
    "CANVAS_FIXED_COLUMNS",
    "POINTS_POSSIBLE",
    "GradebookError",
    "lesson_scores",
    "gradebook_csv",
    "write_gradebook",
    "bank_to_moodle_xml",
    "bank_to_gift",
    "export_bank",
    "gift_escape",
]

GRADEBOOK_FORMATS = ("moodle", "canvas")
BANK_FORMATS = ("moodle-xml", "gift")
CANVAS_FIXED_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
# Canvas's own exports label the points row with leading spaces; its importer reads it so.
CANVAS_POINTS_LABEL = "    Points Possible"
POINTS_POSSIBLE = 100
_NEEDED = ("learner", "lesson", "question_id", "score")


class GradebookError(ValueError):
    """The class results file cannot be turned into a gradebook; the message names file, line and field."""


# --------------------------------------------------------------------------------------
# Gradebook


@dataclass(frozen=True)
class _Answer:
    learner: str
    lesson: str
    question_id: str
    score: float


def _read_answers(path: Path) -> list[_Answer]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as err:
        raise GradebookError(f"{path}: cannot read ({err.strerror or err})") from err
    answers: list[_Answer] = []
    with handle:
        try:
            reader = csv.DictReader(handle)
            missing = [c for c in _NEEDED if c not in (reader.fieldnames or [])]
            if missing:
                raise GradebookError(
                    f"{path}:1: header: missing column(s) {', '.join(missing)}; "
                    "give the file `backlessons results merge` wrote"
                )
            for row in reader:
                line = reader.line_num
                qid = (row.get("question_id") or "").strip()
                for name in ("learner", "lesson", "question_id"):
                    if not (row.get(name) or "").strip():
                        raise GradebookError(f"{path}:{line}: question {qid or '?'}: {name}: is empty")
                try:
                    score = float(row["score"])
                except (TypeError, ValueError):
                    raise GradebookError(
                        f"{path}:{line}: question {qid}: score: {row['score']!r} is not a number"
                    ) from None
                if not (0.0 <= score <= 1.0):
                    raise GradebookError(f"{path}:{line}: question {qid}: score: {score:g} is not between 0 and 1")
                answers.append(_Answer(row["learner"].strip(), row["lesson"].strip(), qid, score))
        except UnicodeDecodeError as err:
            raise GradebookError(f"{path}: not UTF-8 text ({err.reason})") from err
        except csv.Error as err:
            raise GradebookError(f"{path}:{reader.line_num}: not valid CSV ({err})") from err
    if not answers:
        raise GradebookError(f"{path}: no answers in this file")
    return answers


def _bank_question_ids(lesson: str) -> tuple[str, ...] | None:
    """The shipped bank's top-level question ids, or None when the lesson ships no bank."""
    from backlessons.quiz import load_bank, shipped_banks

    if lesson not in shipped_banks():
        return None
    return load_bank(lesson).ids


def lesson_scores(answers: Iterable[_Answer]) -> tuple[list[str], list[str], dict[tuple[str, str], float]]:
    """(learners, lessons, {(learner, lesson): percent}) — see the module doc for the definition."""
    best: dict[tuple[str, str, str], float] = {}
    answered: dict[str, set[str]] = defaultdict(set)
    for a in answers:
        key = (a.learner, a.lesson, a.question_id)
        best[key] = max(best.get(key, 0.0), a.score)
        answered[a.lesson].add(a.question_id)
    learners = sorted({k[0] for k in best})
    lessons = sorted(answered)
    percent: dict[tuple[str, str], float] = {}
    for lesson in lessons:
        questions = _bank_question_ids(lesson) or tuple(sorted(answered[lesson]))
        for learner in learners:
            total = sum(best.get((learner, lesson, q), 0.0) for q in questions)
            percent[(learner, lesson)] = round(100.0 * total / len(questions), 2)
    return learners, lessons, percent


def gradebook_csv(results: str | os.PathLike[str], fmt: str) -> str:
    """The grade-import CSV text for *fmt* (``moodle`` or ``canvas``) from a merged class file."""
    if fmt not in GRADEBOOK_FORMATS:
        raise GradebookError(f"unknown gradebook format {fmt!r}; choose one of {', '.join(GRADEBOOK_FORMATS)}")
    learners, lessons, percent = lesson_scores(_read_answers(Path(results)))
    titles = lesson_titles()
    columns = [neutralise(f"backlessons: {titles.get(lesson, lesson)}") for lesson in lessons]
    scores = [[percent[(learner, lesson)] for lesson in lessons] for learner in learners]
    if fmt == "moodle":
        return rows_to_csv(["Username", *columns], ([learner, *row] for learner, row in zip(learners, scores)))
    points = [CANVAS_POINTS_LABEL, "", "", "", "", *([POINTS_POSSIBLE] * len(lessons))]
    rows = [[learner, "", "", learner, "", *row] for learner, row in zip(learners, scores)]
    return rows_to_csv([*CANVAS_FIXED_COLUMNS, *columns], [points, *rows])


def write_gradebook(results: str | os.PathLike[str], fmt: str, out: str | os.PathLike[str]) -> Path:
    """Write :func:`gradebook_csv` to *out*, atomically."""
    return write_atomic(out, gradebook_csv(results, fmt))


# --------------------------------------------------------------------------------------
# Banks


def _number(value: float) -> str:
    """A float as short text, without binary rounding noise (0.1, 2.5, 619)."""
    return f"{float(value):.12g}"


def _percent(value: float) -> str:
    """A Moodle/GIFT fraction in percent, 5 decimals as Moodle writes them (33.33333)."""
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _flatten(bank: Any) -> tuple[list[tuple[str, str, Any]], list[str]]:
    """(name, prompt, question) for every exportable question (case parts separate), plus notes."""
    from backlessons.quiz import QUESTION_TYPES

    items: list[tuple[str, str, Any]] = []
    notes: list[str] = []

    def add(name: str, prompt: str, question: Any) -> None:
        if question.type not in EXPORTS:
            notes.append(f"{bank.path}: question {name}: type: {question.type} has no Moodle XML/GIFT core type; "
                         "left out")
            return
        items.append((name, prompt, question))

    for question in bank.questions:
        if QUESTION_TYPES[question.type].has_parts:  # a case: each part is a question of its own
            for part in question.parts:
                add(f"{question.id}/{part.id}", f"{question.vignette}\n\n{part.prompt}", part)
        else:
            add(question.id, question.prompt, question)
    return items, notes


def _closed_ranges(name: str, question: Any, bank: Any, notes: list[str]) -> list[tuple[float, float, str]]:
    """(middle, half width, feedback) of each closed feedback range; open ranges become notes."""
    closed = []
    for n, r in enumerate(question.ranges, start=1):
        if r.low is None or r.high is None:
            notes.append(f"{bank.path}: question {name}: ranges[{n}]: an open range cannot be written as answer ± tolerance; left out")
            continue
        closed.append(((r.low + r.high) / 2, (r.high - r.low) / 2, r.feedback))
    return closed


def _multiple_weights(question: Any) -> list[float]:
    right = sum(1 for o in question.options if o.correct)
    wrong = len(question.options) - right
    return [100.0 / right if o.correct else (-100.0 / wrong if wrong else 0.0) for o in question.options]


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "markdown") -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = text
    return element


def _xml_answer(parent: ET.Element, fraction: float | str, text: str, feedback: str) -> None:
    answer = ET.SubElement(parent, "answer", {"fraction": fraction if isinstance(fraction, str) else _percent(fraction), "format": "markdown"})
    ET.SubElement(answer, "text").text = text
    _text(answer, "feedback", feedback)


def _xml_options(element: ET.Element, q: Any, weights: list[float], single: bool) -> None:
    ET.SubElement(element, "single").text = "true" if single else "false"
    ET.SubElement(element, "shuffleanswers").text = "true"
    ET.SubElement(element, "answernumbering").text = "abc"
    for option, weight in zip(q.options, weights):
        _xml_answer(element, weight, option.text, option.feedback)


def _xml_single(element: ET.Element, name: str, q: Any, bank: Any, notes: list[str]) -> None:
    _xml_options(element, q, [100.0 if o.correct else 0.0 for o in q.options], single=True)


def _xml_multiple(element: ET.Element, name: str, q: Any, bank: Any, notes: list[str]) -> None:
    _xml_options(element, q, _multiple_weights(q), single=False)


def _xml_true_false(element: ET.Element, name: str, q: Any, bank: Any, notes: list[str]) -> None:
    _xml_answer(element, 100.0 if q.answer else 0.0, "true", q.feedback_true)
    _xml_answer(element, 0.0 if q.answer else 100.0, "false", q.feedback_false)


def _xml_numeric(element: ET.Element, name: str, q: Any, bank: Any, notes: list[str]) -> None:
    answer = ET.SubElement(element, "answer", {"fraction": "100", "format": "moodle_auto_format"})
    ET.SubElement(answer, "text").text = _number(q.answer)
    ET.SubElement(answer, "tolerance").text = _number(q.tolerance.margin(q.answer))
    _text(answer, "feedback", "")
    for middle, half, feedback in _closed_ranges(name, q, bank, notes):
        extra = ET.SubElement(element, "answer", {"fraction": "0", "format": "moodle_auto_format"})
        ET.SubElement(extra, "text").text = _number(middle)
        ET.SubElement(extra, "tolerance").text = _number(half)
        _text(extra, "feedback", feedback)
    if q.unit:
        units = ET.SubElement(element, "units")
        unit = ET.SubElement(units, "unit")
        ET.SubElement(unit, "multiplier").text = "1"
        ET.SubElement(unit, "unit_name").text = q.unit
        ET.SubElement(element, "unitgradingtype").text = "0"  # the unit is optional, not graded
        ET.SubElement(element, "showunits").text = "0"  # a text box for the unit (UNITINPUT)
        ET.SubElement(element, "unitsleft").text = "0"


def _xml_matching(element: ET.Element, name: str, q: Any, bank: Any, notes: list[str]) -> None:
    ET.SubElement(element, "shuffleanswers").text = "true"
    for pair in q.pairs:
        sub = ET.SubElement(element, "subquestion", {"format": "markdown"})
        ET.SubElement(sub, "text").text = pair.left
        ET.SubElement(ET.SubElement(sub, "answer"), "text").text = pair.right
        if pair.feedback:
            notes.append(f"{bank.path}: question {name}: pairs: Moodle matching has no per-pair feedback; left out")
    for distractor in q.distractors:
        sub = ET.SubElement(element, "subquestion", {"format": "markdown"})
        ET.SubElement(sub, "text").text = ""
        ET.SubElement(ET.SubElement(sub, "answer"), "text").text = distractor


def bank_to_moodle_xml(bank: Any) -> tuple[str, list[str]]:
    """The bank as Moodle XML (``<quiz>``), and notes on what was left out."""
    items, notes = _flatten(bank)
    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", {"type": "category"})
    _text(category, "category", f"$course$/backlessons/{bank.lesson}", None)
    for name, prompt, q in items:
        export = EXPORTS[q.type]
        element = ET.SubElement(quiz, "question", {"type": export.moodle_type})
        name_el = ET.SubElement(element, "name")
        ET.SubElement(name_el, "text").text = name
        _text(element, "questiontext", prompt)
        _text(element, "generalfeedback", q.explanation or "")
        ET.SubElement(element, "defaultgrade").text = "1"
        ET.SubElement(element, "idnumber").text = f"{bank.lesson}:{name}"
        export.moodle_xml(element, name, q, bank, notes)
    ET.indent(quiz)
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"
    return text, sorted(set(notes), key=notes.index)


_GIFT_SPECIAL = "\\~=#{}:"


def gift_escape(text: str) -> str:
    """Text safe inside GIFT: ``\\ ~ = # { } :`` backslash-escaped, line breaks as ``\\n``."""
    out = "".join("\\" + ch if ch in _GIFT_SPECIAL else ch for ch in str(text))
    return out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _gift_feedback(text: str) -> str:
    return f"#{gift_escape(text)}" if text else ""


def _gift_single(name: str, q: Any, bank: Any, notes: list[str]) -> list[str]:
    return [f"{'=' if o.correct else '~'}{gift_escape(o.text)}{_gift_feedback(o.feedback)}" for o in q.options]


def _gift_multiple(name: str, q: Any, bank: Any, notes: list[str]) -> list[str]:
    return [f"~%{_percent(w)}%{gift_escape(o.text)}{_gift_feedback(o.feedback)}"
            for o, w in zip(q.options, _multiple_weights(q))]


def _gift_true_false(name: str, q: Any, bank: Any, notes: list[str]) -> list[str]:
    # GIFT: {T#feedback when the learner is wrong#feedback when right}
    right, wrong = (q.feedback_true, q.feedback_false) if q.answer else (q.feedback_false, q.feedback_true)
    return [f"{'TRUE' if q.answer else 'FALSE'}#{gift_escape(wrong)}#{gift_escape(right)}"]


def _gift_numeric(name: str, q: Any, bank: Any, notes: list[str]) -> list[str]:
    answers = [f"#={_number(q.answer)}:{_number(q.tolerance.margin(q.answer))}"]
    answers += [f"=%0%{_number(m)}:{_number(h)}{_gift_feedback(f)}" for m, h, f in _closed_ranges(name, q, bank, notes)]
    if q.unit:
        notes.append(f"{bank.path}: question {name}: unit: GIFT has no units ({q.unit!r}); learners type the number only")
    return answers


def _gift_matching(name: str, q: Any, bank: Any, notes: list[str]) -> list[str]:
    answers = [f"={gift_escape(p.left)} -> {gift_escape(p.right)}" for p in q.pairs]
    if q.distractors:
        notes.append(f"{bank.path}: question {name}: distractors: not written to GIFT; left out")
    if any(p.feedback for p in q.pairs):
        notes.append(f"{bank.path}: question {name}: pairs: GIFT matching has no per-pair feedback; left out")
    return answers


def bank_to_gift(bank: Any) -> tuple[str, list[str]]:
    """The bank in GIFT, and notes on what was left out."""
    items, notes = _flatten(bank)
    blocks = [f"// backlessons bank {gift_escape(bank.lesson)}: {gift_escape(bank.title)}", f"$CATEGORY: $course$/backlessons/{bank.lesson}"]
    for name, prompt, q in items:
        answers = EXPORTS[q.type].gift(name, q, bank, notes)
        general = f"####{gift_escape(q.explanation)}" if q.explanation else ""
        body = "\n".join(f"    {a}" for a in answers)
        blocks.append(f"::{gift_escape(name)}::[markdown]{gift_escape(prompt)} {{\n{body}\n    {general}\n}}".replace("\n    \n}", "\n}"))
    return "\n\n".join(blocks) + "\n", sorted(set(notes), key=notes.index)


@dataclass(frozen=True)
class _Export:
    """How one question type is written for an LMS: its Moodle core type, Moodle XML body, GIFT answers."""

    moodle_type: str
    moodle_xml: Callable[[ET.Element, str, Any, Any, list[str]], None]
    gift: Callable[[str, Any, Any, list[str]], list[str]]


# Question type → how it is exported. A type not listed (ordering has no Moodle core
# type; a type added later) is left out with a note; a case is exported part by part.
EXPORTS: dict[str, _Export] = {
    "single": _Export("multichoice", _xml_single, _gift_single),
    "multiple": _Export("multichoice", _xml_multiple, _gift_multiple),
    "true_false": _Export("truefalse", _xml_true_false, _gift_true_false),
    "numeric": _Export("numerical", _xml_numeric, _gift_numeric),
    "matching": _Export("matching", _xml_matching, _gift_matching),
}


def export_bank(bank_ref: str | os.PathLike[str], fmt: str, out: str | os.PathLike[str] | None = None) -> tuple[str, list[str]]:
    """Export a lesson id or bank file as *fmt*; write it to *out* atomically when given. Returns (text, notes)."""
    from backlessons.quiz import load_bank

    if fmt not in BANK_FORMATS:
        raise ValueError(f"unknown bank format {fmt!r}; choose one of {', '.join(BANK_FORMATS)}")
    bank = load_bank(bank_ref)
    text, notes = bank_to_moodle_xml(bank) if fmt == "moodle-xml" else bank_to_gift(bank)
    if out not in (None, "-"):
        write_atomic(out, text)  # type: ignore[arg-type]
    return text, notes
