"""Answer keys for instructors: every question of one or more banks with its right answer.

``render_answer_key(banks, fmt)`` returns Markdown (plain, readable, printable) or
one self-contained HTML page (the Jinja2 template ``templates/answer_key.html.j2``,
autoescaped). For every question: its type, prompt, the right answer in the form
that type needs (option(s), true/false, value ± tolerance with unit and whether
the sign counts, pairs, order, each part of a case), the feedback a learner sees
for each choice, the hint, when the explanation is revealed, the explanation and
the sources written out from references.csv or the bank's own ``references:``
(which are also listed under the bank's title).

Safety: in HTML every text taken from a bank goes through ``backlessons.markup``
(Markdown with raw HTML switched off) or is escaped by the template's autoescape,
so a ``<script>`` in an instructor's bank is printed as text, never run.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence, Union

from backlessons import markup

if TYPE_CHECKING:
    import pandas as pd

    from backlessons.quiz import Bank, Question

__all__ = ["render_answer_key", "key_entries", "own_references", "format_reference", "resolve_banks", "Md", "KeyEntry",
           "TEMPLATE"]


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
    hint: Md = Md("")
    reveal: str = ""  # when the explanation and answer appear; "" for a case part (it follows its case)


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


def _with_own_references(references: pd.DataFrame | None, bank: Bank) -> pd.DataFrame | None:
    """*references* plus the bank's own ``references:`` (their keys never clash with shipped ones)."""
    if not bank.references:
        return references
    import pandas as pd

    own = pd.DataFrame([{"key": ref.key, **ref.fields()} for ref in bank.references]).set_index("key")
    return own if references is None else pd.concat([references, own])


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
    if getattr(q, "direction", "matters") == "ignored":
        entry.answer.append((f"Direction ignored: {_number(-answer)} and {_number(answer)} both count",))
    elif answer:
        entry.answer.append((f"Direction matters: {_number(-answer)} is wrong, and its feedback says so",))
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
        hint=Md(question.hint),
        reveal=question.reveal.describe(),
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
            child.reveal = ""  # parts follow the case's rule, stated on the case
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
    """Every question of *bank* as a ``KeyEntry``, numbered from 1 (its own references resolved too)."""
    references = _with_own_references(references, bank)
    return [_entry(question, str(i), references) for i, question in enumerate(bank.questions, start=1)]


def own_references(bank: Bank, references: pd.DataFrame | None = None) -> list[str]:
    """The bank's own ``references:``, formatted like every other source."""
    merged = _with_own_references(references, bank)
    return [format_reference(ref.key, merged) for ref in bank.references]


def _reveal_note(bank: Bank) -> str:
    return f"Unless a question says otherwise, the explanation and the right answer appear {bank.reveal.describe()}."


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
    if entry.hint.strip():
        out += ["**Hint** (after a wrong try):", "", entry.hint.strip(), ""]
    if entry.reveal:
        out += [f"**Explanation and answer shown:** {entry.reveal}.", ""]
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
        out += [f"## {bank.title}", "", f"Bank `{bank.lesson}` ({bank.path}), {count} question(s).", "",
                _reveal_note(bank), ""]
        own = own_references(bank, references)
        if own:
            out += ["This bank's own references:", ""] + [f"- {text}" for text in own] + [""]
        for entry in key_entries(bank, references):
            out += _md_entry(entry, 3)
    return "\n".join(out).rstrip() + "\n"


# -- HTML (templates/answer_key.html.j2) -------------------------------------------------------

TEMPLATE = "answer_key.html.j2"


def _html_line(line: Line) -> str:
    return "".join(markup.inline_markdown(part) if isinstance(part, Md) else markup.escape(part) for part in line)


def _environment() -> Any:
    """The Jinja2 environment: templates from this package, autoescape on, undefined names an error."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("backlessons.instructor", "templates"),
        autoescape=True,  # every value is escaped unless a filter below made it safe HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Bank text is Markdown: markup renders it with raw HTML switched off, so its output is safe.
    env.filters["markdown"] = lambda text: Markup(markup.markdown(text))
    env.filters["inline"] = lambda text: Markup(markup.inline_markdown(" ".join(str(text).split())))
    env.filters["line"] = lambda line: Markup(_html_line(line))
    return env


def _html(banks: Sequence[Bank], references: pd.DataFrame | None) -> str:
    sections = [
        {
            "bank": bank,
            "reveal_note": _reveal_note(bank),
            "own_references": own_references(bank, references),
            "entries": key_entries(bank, references),
        }
        for bank in banks
    ]
    page = _environment().get_template(TEMPLATE).render(
        sections=sections, letters_note=_LETTERS_NOTE, type_names=TYPE_NAMES, meta=_meta,
    )
    return page.rstrip("\n") + "\n"


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
