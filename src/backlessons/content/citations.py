"""The one reference formatter: ``Authors (year). Title. Journal volume:pages. Note.``

Every place that writes a reference out (the lessons' reference lists, evidence
cards, the clinical tables, the answer key) formats it here, so the same source
reads the same everywhere. :func:`citation` turns the fields of a reference
(a row of ``references.csv`` or a bank's own ``references:`` entry) into text; a
caller writing HTML passes the fields escaped and the journal in italics. The
answer key adds the key (``… [steffens2016]``) where an instructor needs it.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

__all__ = ["REFERENCE_TEXT_FIELDS", "cell_text", "citation", "reference_fields", "format_reference"]

#: The fields of a reference that its text is made of (references.csv without its key).
REFERENCE_TEXT_FIELDS = ("authors", "year", "title", "journal", "volume", "pages", "note")


def cell_text(value: Any) -> str:
    """A field as text: '' for a missing value (None, NaN), a whole float without its '.0'."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def citation(fields: Mapping[str, str], journal: str | None = None) -> str:
    """``Authors (year). Title. Journal volume:pages. Note.`` from *fields*, empty fields left out.

    *journal* replaces ``fields["journal"]`` (HTML callers pass it in ``<em>``). The
    note, which says what a bare entry is (a guideline number, a reproduced table),
    starts with a capital.
    """
    journal = fields.get("journal", "") if journal is None else journal
    head = fields.get("authors", "")
    year = fields.get("year", "")
    if year:
        head = f"{head} ({year})" if head else f"({year})"
    parts = [p for p in (head, fields.get("title", "")) if p]
    where = ":".join(p for p in (fields.get("volume", ""), fields.get("pages", "")) if p)
    tail = " ".join(p for p in (journal, where) if p)
    if tail:
        parts.append(tail)
    note = fields.get("note", "")
    if note:
        parts.append(note[:1].upper() + note[1:])
    text = ". ".join(p.rstrip(".") for p in parts)
    return f"{text}." if text else ""


def reference_fields(key: str, references: Any = None) -> dict[str, str] | None:
    """The text fields of *key* in *references* (a DataFrame indexed by key; default: references.csv).

    None when the key is not there."""
    if references is None:
        from backlessons.content.api import rows

        row = rows("references").by_index().get(key)
        if row is None:
            return None
        values = row._asdict()
    else:
        if key not in references.index:
            return None
        values = references.loc[key]  # a Series: .get() by column name, as a dict
    return {name: cell_text(values.get(name)) for name in REFERENCE_TEXT_FIELDS}


def format_reference(key: str, references: Any = None) -> str:
    """The plain-text reference for *key* (see :func:`reference_fields`); an unknown key is ``[key]``."""
    fields = reference_fields(key, references)
    return f"[{key}]" if fields is None else citation(fields)
