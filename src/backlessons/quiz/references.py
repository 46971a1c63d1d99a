"""A bank's own ``references:``: sources an instructor cites that the course does not ship.

Each entry has the columns of ``data/references.csv`` (``key``, ``authors``,
``year``, ``title``, ``journal``, ``volume``, ``pages``, ``note``) under the same
rules: a key of a-z, 0-9 and ``_``, a year from 1800 to 2100, and a journal or a
note to find it by. A key may not repeat a shipped key (a citation must mean one
thing) nor another entry of the same bank.
"""

from __future__ import annotations

import re
from typing import Mapping

from backlessons.errors import Problem
from backlessons.quiz.model import REFERENCE_FIELDS, Reference, describe, is_index, is_text, type_name

__all__ = ["parse_references", "as_mapping", "KEY_PATTERN", "YEARS"]

KEY_PATTERN = re.compile(r"[a-z0-9_]+")
YEARS = (1800, 2100)


def parse_references(value: object, path: str, lines: Mapping[int, int], shipped_keys: frozenset[str] | None,
                     section_line: int | None = None) -> tuple[tuple[Reference, ...], list[Problem], frozenset[str]]:
    """Parse the bank's ``references:`` list; every problem names the entry and the field.

    Returns (the valid references, problems, every key declared): a question citing an
    entry that has a problem is not reported a second time for an unknown key.
    """
    if value is None:
        return (), [], frozenset()
    if not isinstance(value, list):
        return (), [Problem(path, "", "references",
                            f"must be a list of references (key, authors, year, title, journal, ...), "
                            f"not {type_name(value)}", section_line)], frozenset()
    problems: list[Problem] = []
    references: list[Reference] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(value):
        line = lines.get(id(entry), section_line)
        key = entry.get("key") if isinstance(entry, dict) else None
        where = f"reference {key}" if isinstance(key, str) and key else f"references[{index}]"

        def problem(field_name: str, message: str) -> None:
            problems.append(Problem(path, where, field_name, message, line))

        if not isinstance(entry, dict):
            problem("", f"must be a mapping with key, authors, year, title, journal, ..., not {describe(entry)}")
            continue
        start = len(problems)
        for name in entry:
            if name not in REFERENCE_FIELDS:
                problem(str(name), f"unknown field; a reference has {', '.join(REFERENCE_FIELDS)}")
        if key is None:
            problem("key", "is required: a short name to cite it by, e.g. smith2024")
        elif not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
            problem("key", f"{describe(key)} must use only a-z, 0-9 and '_'")
        elif shipped_keys is not None and key in shipped_keys:
            problem("key", f"{key!r} is already a key of the course's references.csv; pick another key")
        elif key in seen:
            problem("key", f"{key!r} is already used by references[{seen[key]}]")
        else:
            seen[key] = index
        year = entry.get("year")
        if year is None:
            problem("year", "is required: the year of publication")
        elif not is_index(year) or not YEARS[0] <= int(year) <= YEARS[1]:
            problem("year", f"must be a year from {YEARS[0]} to {YEARS[1]}, not {describe(year)}")
        texts: dict[str, str] = {}
        for name in ("title", "journal", "volume", "pages", "note"):
            raw = entry.get(name)
            if raw is None:
                texts[name] = ""
            elif not is_text(raw):
                problem(name, f"must be text, not {type_name(raw)}")
            else:
                texts[name] = str(raw).strip()
        authors = entry.get("authors")
        if authors is not None and not is_text(authors):
            problem("authors", f"must be text, not {type_name(authors)}")
        if not texts.get("journal") and not texts.get("note"):
            problem("journal", "journal and note are both empty: give one, so a reader can find the source")
        if len(problems) == start:
            references.append(Reference(key=key, year=int(year), authors=str(authors or "").strip(), **texts))
    declared = frozenset(entry["key"] for entry in value
                         if isinstance(entry, dict) and isinstance(entry.get("key"), str))
    return tuple(references), problems, declared


def as_mapping(references: tuple[Reference, ...]) -> dict[str, Reference]:
    """Key → reference."""
    return {reference.key: reference for reference in references}
