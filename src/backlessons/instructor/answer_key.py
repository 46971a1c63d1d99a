"""Answer keys for instructors: every question of one or more banks with its right answer.

``render_answer_key(banks, fmt)`` returns Markdown (plain, readable, printable) or
one self-contained HTML page. For every question: its type, prompt, the right
answer in the form that type needs (option(s), true/false, value ± tolerance with
unit, pairs, order, each part of a case), the feedback a learner sees for each
choice, the explanation and the sources written out from references.csv.

Safety: in HTML every text taken from a bank goes through ``backlessons.markup``
(Markdown with raw HTML switched off) or is escaped, so a ``<script>`` in an
instructor's bank is printed as text, never run.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence, Union

from backlessons import markup

if TYPE_CHECKING:
    import pandas as pd

    from backlessons.quiz import Bank, Question

__all__ = ["render_answer_key", "key_entries", "format_reference", "resolve_banks", "Md", "KeyEntry"]


class Md(str):
    """Text written by a bank's author (Markdown); everything else in a key is our own text."""


Fragment = Union[str, Md]
Line = tuple[Fragment, ...]


@dataclass
class KeyEntry:
    """One question of a key, in a form both renderers read; text from the bank is ``Md``."""

    number: str
    id: str
    type: str
    prompt: Md
    difficulty: str = ""
    claim: str = ""
    objective: Md = Md("")
    vignette: Md = Md("")
    answer: list[Line] = field(default_factory=list)  # the right answer, one line each
    feedback: list[tuple[Line, Md]] = field(default_factory=list)  # (what was chosen, feedback)
    explanation: Md = Md("")
    sources: list[str] = field(default_factory=list)  # formatted references
    parts: list[KeyEntry] = field(default_factory=list)


TYPE_NAMES = {
    "single": "single choice",
    "multiple": "multiple choice, select all that apply",
    "true_false": "true or false",
    "numeric": "numeric answer",
    "matching": "matching",
    "ordering": "ordering",
    "case": "clinical case",
}


def _number(value: float) -> str:
    """A number as an author would write it: 2.5, 10, 0.05 (no 10.0, no 2.5000000001)."""
    return f"{value:.10g}"


# -- references ------------------------------------------------------------------------


def format_reference(key: str, references: pd.DataFrame | None) -> str:
    """``Authors (year). Title. Journal volume:pages. Note.``; fields left empty are left out."""
    if references is None or key not in references.index:
        return key
    row = references.loc[key]

    def text(name: str) -> str:
        value = row.get(name, "")
        return "" if value is None or str(value) in ("", "nan", "<NA>") else str(value).strip()

    authors, year, title, journal = text("authors"), text("year"), text("title"), text("journal")
    volume, pages, note = text("volume"), text("pages"), text("note")
    head = " ".join(part for part in (authors, f"({year})" if year else "") if part)
    where = journal
    if volume:
        where = f"{where} {volume}".strip()
    if pages:
        where = f"{where}:{pages}" if volume else f"{where} {pages}".strip()
    pieces = [piece.rstrip(".") for piece in (head, title, where, note) if piece]
    return ". ".join(pieces) + f". [{key}]" if pieces else key


def _references() -> pd.DataFrame | None:
    from backlessons import content
    from backlessons.errors import ContentError

    try:
        return content.references()
    except ContentError:  # a key still renders (as its bare key) when references.csv is broken
        return None


# -- turning questions into key entries ------------------------------------------------------


def _options_entry(entry: KeyEntry, options: Sequence[object]) -> None:
    right = [i for i, option in enumerate(options) if getattr(option, "correct")]
    label = "Right option: " if len(right) == 1 else "Right options: "
    entry.answer.append((label + ", ".join(markup.letter(i) for i in right),))
    for i in right:
        entry.answer.append((f"{markup.letter(i)}. ", Md(getattr(options[i], "text"))))
    for i, option in enumerate(options):
        mark = "right" if getattr(option, "correct") else "wrong"
        entry.feedback.append(((f"{markup.letter(i)} ({mark}): ", Md(getattr(option, "text")), " — "),
                               Md(getattr(option, "feedback"))))


def _numeric_entry(entry: KeyEntry, q: object) -> None:
    answer = float(getattr(q, "answer"))
    unit = getattr(q, "unit")
    tolerance = getattr(q, "tolerance")
    suffix = f" {unit}" if unit else ""
    if tolerance.value == 0:
        entry.answer.append((f"Answer: {_number(answer)}{suffix} (exact)",))
    else:
        allowed = tolerance.margin(answer)
        how = f"{_number(tolerance.value * 100)}% of the answer" if tolerance.kind == "relative" else "absolute"
        entry.answer.append((f"Answer: {_number(answer)}{suffix} ± {_number(allowed)}{suffix} ({how}); "
                             f"accepted {_number(answer - allowed)} to {_number(answer + allowed)}{suffix}",))
    if getattr(q, "unit_aliases"):
        entry.answer.append(("Unit also accepted as: " + ", ".join(getattr(q, "unit_aliases")),))
    for numeric_range in getattr(q, "ranges"):
        low = "…" if numeric_range.low is None else _number(numeric_range.low)
        high = "…" if numeric_range.high is None else _number(numeric_range.high)
        entry.feedback.append(((f"Answers from {low} to {high}{suffix}: ",), Md(numeric_range.feedback)))


def _entry(question: Question, number: str, references: pd.DataFrame | None) -> KeyEntry:
    from backlessons.quiz import (
        CaseQuestion,
        MatchingQuestion,
        MultipleQuestion,
        NumericQuestion,
        OrderingQuestion,
        SingleQuestion,
        TrueFalseQuestion,
    )

    entry = KeyEntry(
        number=number,
        id=question.id,
        type=question.type,
        prompt=Md(question.prompt),
        difficulty=question.difficulty,
        claim=question.claim or "",
        objective=Md(question.objective),
        explanation=Md(question.explanation),
        sources=[format_reference(key, references) for key in question.sources],
    )
    if isinstance(question, (SingleQuestion, MultipleQuestion)):
        _options_entry(entry, question.options)
    elif isinstance(question, TrueFalseQuestion):
        entry.answer.append((f"Answer: {'True' if question.answer else 'False'}",))
        entry.feedback.append((("If the learner answers True: ",), Md(question.feedback_true)))
        entry.feedback.append((("If the learner answers False: ",), Md(question.feedback_false)))
    elif isinstance(question, NumericQuestion):
        _numeric_entry(entry, question)
    elif isinstance(question, MatchingQuestion):
        entry.answer.append(("Right pairs:",))
        for pair in question.pairs:
            entry.answer.append((Md(pair.left), " → ", Md(pair.right)))
            if pair.feedback:
                entry.feedback.append(((Md(pair.left), " matched wrongly: "), Md(pair.feedback)))
        if question.distractors:
            entry.answer.append(("Distractors (match nothing): ",
                                 *_join([Md(text) for text in question.distractors], "; ")))
    elif isinstance(question, OrderingQuestion):
        entry.answer.append(("Right order:",))
        for position, item in enumerate(question.items, start=1):
            entry.answer.append((f"{position}. ", Md(item)))
    elif isinstance(question, CaseQuestion):
        entry.vignette = Md(question.vignette)
        entry.answer.append((f"{len(question.parts)} part(s), each answered below.",))
        for index, part in enumerate(question.parts):
            child = _entry(part, f"{number}{string.ascii_lowercase[index % 26]}", references)
            if child.sources == entry.sources:  # inherited: say it once, on the case
                child.sources = []
            entry.parts.append(child)
    else:  # a question type added later: still list it, with what we can say
        entry.answer.append((f"(no answer-key layout for type {question.type!r} yet)",))
    return entry


def _join(items: Sequence[Fragment], separator: str) -> list[Fragment]:
    out: list[Fragment] = []
    for index, item in enumerate(items):
        if index:
            out.append(separator)
        out.append(item)
    return out


def resolve_banks(banks: Iterable[str] | None) -> list[str]:
    """The banks asked for (a folder means its ``*.yaml`` files); none → every shipped bank, in lessons.csv order."""
    chosen: list[str] = []
    for bank in banks or ():
        folder = Path(bank)
        if folder.is_dir():  # a folder of banks: every .yaml in it, sorted
            chosen += [str(path) for path in sorted(folder.glob("*.yaml"))] or [str(bank)]
        else:
            chosen.append(str(bank))
    if chosen:
        return chosen
    from backlessons.quiz import shipped_banks

    shipped = list(shipped_banks())
    try:
        from backlessons import content

        order = {lesson: i for i, lesson in enumerate(content.lessons()["id"])}
    except Exception:  # lessons.csv broken: fall back to the banks' own (numbered) names
        order = {}
    return sorted(shipped, key=lambda lesson: (order.get(lesson, len(order)), lesson))


def key_entries(bank: Bank, references: pd.DataFrame | None = None) -> list[KeyEntry]:
    """Every question of *bank* as a ``KeyEntry``, numbered from 1."""
    return [_entry(question, str(i), references) for i, question in enumerate(bank.questions, start=1)]


def _meta(entry: KeyEntry) -> list[Line]:
    """The entry's difficulty, claim and objective (those set), as lines both renderers read."""
    fields = (("difficulty: ", entry.difficulty), ("claim: ", entry.claim), ("objective: ", entry.objective))
    return [(label, value) for label, value in fields if value]


_LETTERS_NOTE = ("Option letters (A, B, …) and item numbers follow the order in the bank file; "
                 "learners may see options and items shuffled.")


# -- Markdown --------------------------------------------------------------------------------


def _md_line(line: Line) -> str:
    return "".join(line)


def _md_indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + row if row.strip() else prefix.rstrip() for row in text.strip().splitlines())


def _md_entry(entry: KeyEntry, level: int) -> list[str]:
    out = [f"{'#' * level} {entry.number}. `{entry.id}` ({TYPE_NAMES.get(entry.type, entry.type)})", ""]
    meta = [_md_line(line) for line in _meta(entry)]
    if meta:
        out += ["*" + " · ".join(meta) + "*", ""]
    if entry.vignette:
        out += ["**Case:**", "", _md_indent(entry.vignette, "> "), ""]
    out += ["**Question:**", "", entry.prompt.strip(), ""]
    out += ["**Answer:**", ""] + [f"- {_md_line(line)}" for line in entry.answer] + [""]
    if entry.feedback:
        out += ["**Feedback:**", ""]
        for label, text in entry.feedback:
            body = " ".join(text.split()) if text else "(none)"
            out.append(f"- {_md_line(label)}{body}")
        out.append("")
    if entry.explanation.strip():
        out += ["**Explanation:**", "", entry.explanation.strip(), ""]
    if entry.sources:
        out += ["**Sources:**", ""] + [f"- {source}" for source in entry.sources] + [""]
    for part in entry.parts:
        out += _md_entry(part, level + 1)
    return out


def _markdown(banks: Sequence[Bank], references: pd.DataFrame | None) -> str:
    out = ["# backlessons answer key", "",
           "For instructors: keep this away from learners until they have tried the quizzes.", "",
           _LETTERS_NOTE, "",
           "Education, not medical advice.", ""]
    for bank in banks:
        count = len(bank.questions)
        out += [f"## {bank.title}", "", f"Bank `{bank.lesson}` ({bank.path}), {count} question(s).", ""]
        for entry in key_entries(bank, references):
            out += _md_entry(entry, 3)
    return "\n".join(out).rstrip() + "\n"


# -- HTML ------------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.45; color: #1d1d1f; }
h1 { border-bottom: 2px solid #3b6e8f; padding-bottom: .3rem; }
h2 { margin-top: 2.5rem; color: #3b6e8f; }
section.question { border: 1px solid #d0d7de; border-radius: 6px; padding: .2rem 1rem 1rem;
                   margin: 1rem 0; page-break-inside: avoid; }
section.part { border-left: 3px solid #d0d7de; padding-left: 1rem; margin: 1rem 0; }
.meta { color: #57606a; font-size: .9rem; }
.answer { background: #eef6ee; border-radius: 4px; padding: .4rem .8rem; }
.vignette { background: #f6f8fa; border-left: 3px solid #8c959f; padding: .2rem .8rem; }
code { background: #f6f8fa; padding: 0 .2rem; }
"""


def _html_line(line: Line) -> str:
    return "".join(markup.inline_markdown(part) if isinstance(part, Md) else markup.escape(part) for part in line)


def _html_entry(entry: KeyEntry, level: int) -> list[str]:
    e = markup.escape
    css = "question" if level == 3 else "part"
    out = [f'<section class="{css}" id="q-{e(entry.id)}">',
           f"<h{level}>{e(entry.number)}. <code>{e(entry.id)}</code> "
           f"({e(TYPE_NAMES.get(entry.type, entry.type))})</h{level}>"]
    meta = [_html_line(line) for line in _meta(entry)]
    if meta:
        out.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if entry.vignette:
        out.append(f'<div class="vignette"><strong>Case:</strong>{markup.markdown(entry.vignette)}</div>')
    out.append(f"<div><strong>Question:</strong>{markup.markdown(entry.prompt)}</div>")
    out.append('<div class="answer"><strong>Answer:</strong><ul>'
               + "".join(f"<li>{_html_line(line)}</li>" for line in entry.answer) + "</ul></div>")
    if entry.feedback:
        out.append("<div><strong>Feedback:</strong><ul>" + "".join(
            f"<li>{_html_line(label)}{markup.inline_markdown(' '.join(text.split())) if text else '(none)'}</li>"
            for label, text in entry.feedback) + "</ul></div>")
    if entry.explanation.strip():
        out.append(f"<div><strong>Explanation:</strong>{markup.markdown(entry.explanation)}</div>")
    if entry.sources:
        out.append("<div><strong>Sources:</strong><ul>"
                   + "".join(f"<li>{e(source)}</li>" for source in entry.sources) + "</ul></div>")
    for part in entry.parts:
        out += _html_entry(part, min(level + 1, 6))
    out.append("</section>")
    return out


def _html(banks: Sequence[Bank], references: pd.DataFrame | None) -> str:
    e = markup.escape
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           "<title>backlessons answer key</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           "<h1>backlessons answer key</h1>",
           "<p>For instructors: keep this away from learners until they have tried the quizzes. "
           "Education, not medical advice.</p>",
           f"<p>{markup.escape(_LETTERS_NOTE)}</p>"]
    if len(banks) > 1:
        out.append("<nav><ul>" + "".join(f'<li><a href="#bank-{e(bank.lesson)}">{e(bank.title)}</a></li>'
                                         for bank in banks) + "</ul></nav>")
    for bank in banks:
        out.append(f'<h2 id="bank-{e(bank.lesson)}">{e(bank.title)}</h2>')
        out.append(f'<p class="meta">Bank <code>{e(bank.lesson)}</code> ({e(bank.path)}), '
                   f"{len(bank.questions)} question(s).</p>")
        for entry in key_entries(bank, references):
            out += _html_entry(entry, 3)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


_RENDERERS: dict[str, Callable[[Sequence[Bank], "pd.DataFrame | None"], str]] = {"md": _markdown, "html": _html}


def render_answer_key(banks: Sequence[str] | None = None, fmt: str = "md") -> str:
    """The answer key of *banks* (lesson ids or bank paths; none → every shipped bank) as md or html.

    Raises ``ContentError`` (naming the bank) if a bank does not load, and
    ``ValueError`` for an unknown *fmt*.
    """
    if fmt not in _RENDERERS:
        raise ValueError(f"unknown answer-key format {fmt!r}; use one of {', '.join(_RENDERERS)}")
    from backlessons.errors import ContentError
    from backlessons.quiz import load_bank

    loaded: list[Bank] = []
    problems = []
    for name in resolve_banks(banks):
        try:
            loaded.append(load_bank(name))
        except ContentError as err:  # report every broken bank, not only the first
            problems.extend(err.problems)
    if problems:
        raise ContentError(problems)
    return _RENDERERS[fmt](loaded, _references())
