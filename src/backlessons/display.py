"""Course map, data tables and reference lists, rendered as escaped HTML.

Each function returns a small :class:`Rendered` object rather than an
``IPython.display.HTML``: it carries a deterministic ``text/plain`` too (nbval
compares it) and keeps the data it was built from, so tests can check both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from backlessons.errors import ContentError, Problem
from backlessons.markup import escape

if TYPE_CHECKING:
    from backlessons.content import Rows

__all__ = [
    "Rendered",
    "course_map",
    "references",
    "table",
    "lesson_reference_keys",
    "format_reference",
    "format_reference_html",
    "LESSON_DATASETS",
    "LESSON_EXERCISES",
    "TABLES",
    "TABLE_VIEWS",
    "lesson_contents",
    "lesson_titles",
    "table_sources",
    "cell_text",
    "split_keys",
    "frame_sources",
    "frame_html",
    "short_citation",
    "LEFT_ALIGN",
]

#: Tables besides datasets that :func:`table` renders. Which lesson shows what (datasets,
#: exercises, tables) is course data: the columns of ``data/lessons.csv``.
TABLE_VIEWS: tuple[str, ...] = ("causes_treatments", "red_flags", "claims")


def lesson_contents(lesson: str) -> dict[str, tuple[str, ...]]:
    """The datasets, exercises and tables a lesson shows, from its row of lessons.csv."""
    row = _lesson_row(lesson)
    return {column: tuple(getattr(row, column)) for column in ("datasets", "exercises", "tables")}


def _lesson_row(lesson: str) -> Any:
    from backlessons import content

    rows = content.rows("lessons").where("id", lesson)
    if not rows:
        raise ContentError([Problem("lessons.csv", f"lesson {lesson}", "id", "no such lesson")])
    return rows[0]


def lesson_titles() -> dict[str, str]:
    """Each lesson's title by id; {} when lessons.csv has problems (titles are a nicety, ids still say where)."""
    from backlessons import content

    try:
        return {str(row.id): str(row.title) for row in content.rows("lessons")}
    except ContentError:
        return {}


def _by_lesson(column: str) -> dict[str, tuple[str, ...]]:
    from backlessons import content

    return {row.id: tuple(getattr(row, column)) for row in content.rows("lessons")}


def __getattr__(name: str) -> Any:
    # The maps that used to be typed here, still readable under their old names.
    if name == "LESSON_DATASETS":
        return _by_lesson("datasets")
    if name == "LESSON_EXERCISES":
        return {lesson: names for lesson, names in _by_lesson("exercises").items() if names}
    if name == "TABLES":
        shown = {table: lesson for lesson, tables in reversed(_by_lesson("tables").items()) for table in tables}
        return {table: shown.get(table, "") for table in TABLE_VIEWS}
    raise AttributeError(f"module 'backlessons.display' has no attribute {name!r}")


@dataclass(frozen=True)
class Rendered:
    """Something to display: deterministic plain text plus escaped HTML."""

    plain: str
    html: str
    keys: tuple[str, ...] = field(default=())
    sources: tuple[str, ...] = field(default=())  # reference keys the shown content cites

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.plain, "text/html": self.html}

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.plain


# --- references -------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as text (see ``content.citations.cell_text``); a sequence joined with "; "."""
    if isinstance(value, (tuple, list, frozenset, set)):
        return "; ".join(cell_text(v) for v in value)
    from backlessons.content.citations import cell_text as field_text  # late: content loads its table declarations

    return field_text(value)


def _reference_fields(key: str) -> dict[str, str] | None:
    from backlessons.content.citations import reference_fields

    return reference_fields(key)


def _format(fields: dict[str, str], journal: str) -> str:
    from backlessons.content.citations import citation  # the one reference formatter

    return citation(fields, journal)


def format_reference(key: str) -> str:
    """Plain-text reference for *key*; an unknown key comes back as ``[key]``."""
    from backlessons import content

    return content.format_reference(key)


def format_own_reference_html(reference: Any) -> str:
    """Escaped HTML for a bank's own reference (a ``backlessons.quiz.model.Reference``)."""
    escaped = {name: escape(cell_text(value)) for name, value in reference.fields().items()}
    journal = f"<em>{escaped['journal']}</em>" if escaped["journal"] else ""
    return _format(escaped, journal)


def format_reference_html(key: str) -> str:
    """Escaped HTML reference for *key*, the journal in italics."""
    fields = _reference_fields(key)
    if fields is None:
        return f'<span class="bl-unknown-reference">[{escape(key)}]</span>'
    escaped = {name: escape(value) for name, value in fields.items()}
    journal = f"<em>{escaped['journal']}</em>" if escaped["journal"] else ""
    return _format(escaped, journal)


def short_citation(value: Any) -> str:
    """'Lenhart 2014' for a source cell: first author's surname and year, from references.csv."""
    cites = []
    for key in split_keys(value):
        fields = _reference_fields(key)
        if fields is None:
            cites.append(key)
        else:
            surname = fields["authors"].split(" ")[0] or key
            cites.append(f"{surname} {fields['year']}".strip())
    return "; ".join(cites)


def split_keys(value: Any) -> list[str]:
    """Reference keys of a cell: a tuple of keys or a "key1; key2" text."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return [k for v in value for k in split_keys(v)]
    text = cell_text(value)
    return [k.strip() for k in text.split(";") if k.strip()]


def _question_sources(questions: Iterable[Any]) -> list[str]:
    keys: list[str] = []
    for q in questions:
        keys += split_keys(getattr(q, "sources", ()))
        keys += _question_sources(getattr(q, "parts", ()) or ())
    return keys


def frame_sources(frame: Any) -> list[str]:
    """The reference keys in the ``source`` (or ``sources``) column of a DataFrame or content Rows, in row order."""
    for column in ("source", "sources"):
        if column in getattr(frame, "columns", ()):
            return [k for v in frame[column] for k in split_keys(v)]
    return []


def lesson_reference_keys(lesson: str) -> tuple[str, ...]:
    """Every reference key a lesson cites: its claims, quiz bank, datasets (and their figures' facts), exercises and tables."""
    from backlessons import content
    from backlessons.quiz import load_bank

    keys: list[str] = []
    claims = content.rows("claims").by_index()
    claim_ids = {claim.id for claim in claims.values() if claim.topic == lesson}
    claim_ids.update(split_keys(_lesson_row(lesson).claims))
    for claim_id in sorted(claim_ids):
        if claim_id in claims:
            keys += split_keys(claims[claim_id].sources)
    keys += _question_sources(load_bank(lesson).questions)
    shown = lesson_contents(lesson)
    facts = content.rows("figure_facts")
    for name in shown["datasets"]:
        keys += frame_sources(content.rows("dataset", name))
        # what the dataset's figure states besides
        keys += [k for fact in facts.where("figure", name) for k in split_keys(fact.source)]
    for name in shown["exercises"]:
        keys += split_keys(getattr(content.exercise(name), "sources", ()))
    for name in shown["tables"]:
        keys += table_sources(name)
    return tuple(dict.fromkeys(keys))


def table_sources(name: str) -> list[str]:
    """Reference keys cited by one of content's tables (a name in ``content.TABLE_NAMES``)."""
    from backlessons import content

    if name in content.TABLE_KINDS:
        return frame_sources(content.rows(name))
    loaded = getattr(content, name)()
    if isinstance(loaded, dict):  # red_flag_cases: one object per case
        return [k for item in loaded.values() for k in split_keys(item.sources)]
    return list(split_keys(loaded.sources))  # safety_net_card


def references(lesson_id_or_keys: str | Sequence[str]) -> Rendered:
    """The reference list for a lesson id, or for an explicit list of reference keys.

    Sorted alphabetically by the formatted text (authors first), as in a paper's list.
    """
    if isinstance(lesson_id_or_keys, str):
        keys = lesson_reference_keys(lesson_id_or_keys)
        heading = f"References for {lesson_id_or_keys}"
    else:
        keys = tuple(dict.fromkeys(lesson_id_or_keys))
        heading = "References"
    entries = sorted(((format_reference(k), format_reference_html(k), k) for k in keys), key=lambda e: (e[0].casefold(), e[2]))
    plain = "\n".join([f"{heading} ({len(entries)})"] + [f"- {text}" for text, _, _ in entries])
    items = "".join(f'<li data-key="{escape(key)}">{html}</li>' for _, html, key in entries)
    html = f'<div class="bl-references"><h4>{escape(heading)}</h4><ol>{items}</ol></div>'
    return Rendered(plain=plain, html=html, keys=tuple(k for _, _, k in entries))


# --- tables -----------------------------------------------------------------------------


# JupyterLab right-aligns table cells by default; prose columns read better left-aligned.
LEFT_ALIGN = ' style="text-align: left"'


def frame_html(rows: Rows, css_class: str, index_name: str | None = None) -> str:
    """A table's content Rows as an escaped HTML table; with *index_name*, the index column comes first, so named."""
    shown = [str(c) for c in rows.columns if not (index_name and c == rows.index)]
    head = "".join(f'<th scope="col"{LEFT_ALIGN}>{escape(c)}</th>' for c in ([index_name] if index_name else []) + shown)
    body = []
    for record in rows.records:
        cells = [f'<th scope="row"{LEFT_ALIGN}>{escape(cell_text(record[rows.index]))}</th>'] if index_name else []
        cells += [f"<td{LEFT_ALIGN}>{escape(cell_text(record[c]))}</td>" for c in shown]
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<table class="bl-table {escape(css_class)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def table(name: str) -> Rendered:
    """A data table (``causes_treatments``, ``red_flags``, ``claims`` or a dataset) as escaped HTML."""
    from backlessons import content

    if name in TABLE_VIEWS:
        rows = content.rows(name)
    elif name in content.dataset_names():
        rows = content.rows("dataset", name)
    else:
        known = ", ".join([*TABLE_VIEWS, *content.dataset_names()])
        raise ContentError([Problem(f"{name}", "", "name", f"no such table; choose one of {known}")])
    # claims is indexed by claim id: show the id as the first column.
    index_name = rows.index if name == "claims" else None
    html = frame_html(rows, f"bl-table-{name}", index_name)
    columns = len(rows.columns) - (index_name is not None)
    plain = f"Table: {name} ({len(rows)} rows × {columns} columns)"
    return Rendered(plain=plain, html=f'<div class="bl-table-wrap">{html}</div>')


def course_map() -> Rendered:
    """The course map: one row per notebook, linking to it, with its summary."""
    from backlessons import content

    lines = ["Course map"]
    rows = []
    for row in content.rows("lessons"):
        lesson_id, title = cell_text(row.id), cell_text(row.title)
        summary, number = cell_text(row.summary), cell_text(row.number)
        lines.append(f"{number:>2}. {title} ({lesson_id}.ipynb)")
        rows.append(
            f'<tr><td{LEFT_ALIGN}>{escape(number)}</td><td{LEFT_ALIGN}><a href="{escape(lesson_id)}.ipynb">{escape(title)}</a></td>'
            f"<td{LEFT_ALIGN}>{escape(summary)}</td></tr>"
        )
    html = (
        f'<table class="bl-table bl-course-map"><thead><tr><th scope="col"{LEFT_ALIGN}>#</th>'
        f'<th scope="col"{LEFT_ALIGN}>Lesson</th><th scope="col"{LEFT_ALIGN}>What it covers</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return Rendered(plain="\n".join(lines), html=html)
