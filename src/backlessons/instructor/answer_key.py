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
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from backlessons import markup
from backlessons.quiz.keys import Line, Md

if TYPE_CHECKING:
    import pandas as pd

    from backlessons.quiz import Bank, Question, Reference

__all__ = ["render_answer_key", "key_entries", "own_references", "format_reference", "resolve_banks", "type_label",
           "Md", "KeyEntry", "TEMPLATE"]


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


def type_label(type_name: str) -> str:
    """How the key names a question type: its registered display name, from a small letter."""
    from backlessons.quiz import QUESTION_TYPES

    qtype = QUESTION_TYPES.get(type_name)
    label = qtype.label if qtype is not None else type_name
    return label[:1].lower() + label[1:]


# -- references ------------------------------------------------------------------------


def format_reference(key: str, references: pd.DataFrame | None,
                     own: Mapping[str, Reference] | None = None) -> str:
    """The reference as the course writes it everywhere (``content.citations``), then ``[key]``.

    *own*: a bank's own references by key, looked up first. An unknown key is ``[key]``.
    """
    from backlessons.content.citations import citation, reference_fields

    if own and key in own:
        fields: dict[str, str] | None = own[key].fields()
    else:
        fields = reference_fields(key, references) if references is not None else None
    text = citation(fields) if fields else ""
    return f"{text} [{key}]" if text else f"[{key}]"


def _references() -> pd.DataFrame | None:
    from backlessons import content
    from backlessons.errors import ContentError

    try:
        return content.references()
    except ContentError:  # a key still renders (as [key]) when references.csv is broken
        return None


# -- turning questions into key entries ------------------------------------------------------


def _entry(question: Question, number: str, references: pd.DataFrame | None,
           own: Mapping[str, Reference]) -> KeyEntry:
    from backlessons.quiz.registry import answer_key

    key = answer_key(question)  # the lines this question's type declares
    entry = KeyEntry(
        number=number,
        id=question.id,
        type=question.type,
        prompt=Md(question.prompt),
        difficulty=question.difficulty,
        claim=question.claim or "",
        objective=Md(question.objective),
        vignette=key.vignette,
        answer=list(key.answer),
        feedback=list(key.feedback),
        explanation=Md(question.explanation),
        sources=[format_reference(source, references, own) for source in question.sources],
        hint=Md(question.hint),
        reveal=question.reveal.describe(),
    )
    for index, part in enumerate(key.parts):
        child = _entry(part, f"{number}{string.ascii_lowercase[index % 26]}", references, own)
        if child.sources == entry.sources:  # inherited: say it once, on the case
            child.sources = []
        child.reveal = ""  # parts follow the case's rule, stated on the case
        entry.parts.append(child)
    return entry


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
    from backlessons import content
    from backlessons.errors import ContentError

    try:
        order = {lesson: i for i, lesson in enumerate(content.lessons()["id"])}
    except ContentError:  # lessons.csv broken: fall back to the banks' own (numbered) names
        order = {}
    return sorted(shipped, key=lambda lesson: (order.get(lesson, len(order)), lesson))


def key_entries(bank: Bank, references: pd.DataFrame | None = None) -> list[KeyEntry]:
    """Every question of *bank* as a ``KeyEntry``, numbered from 1 (its own references resolved too)."""
    own = {reference.key: reference for reference in bank.references}
    return [_entry(question, str(i), references, own) for i, question in enumerate(bank.questions, start=1)]


def own_references(bank: Bank, references: pd.DataFrame | None = None) -> list[str]:
    """The bank's own ``references:``, formatted like every other source."""
    own = {reference.key: reference for reference in bank.references}
    return [format_reference(reference.key, references, own) for reference in bank.references]


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
    out = [f"{'#' * level} {entry.number}. `{entry.id}` ({type_label(entry.type)})", ""]
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
        sections=sections, letters_note=_LETTERS_NOTE, type_label=type_label, meta=_meta,
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
