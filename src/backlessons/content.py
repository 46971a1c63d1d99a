"""Typed loaders for the course content in ``data/``, each validated on load.

Every loader reads from :func:`data_root` (``importlib.resources.files("backlessons") /
"data"``), so the same code works from a checkout, an editable install and a wheel.
The public loaders are cached; DataFrames are returned as copies so a caller cannot
change what the next caller sees.

Each loader also accepts ``root``: a folder laid out like ``data/``. Tests point it at a
temporary copy holding one defect; results for an explicit root are not cached.

Errors. Bad content raises :class:`backlessons.errors.ContentError` listing every problem,
never a bare KeyError, pandas or YAML traceback. CSV problems read
``claims.csv: row 7 (C7): verdict: 'maybe' is not one of ...`` where **row N is the line
number in the file as an editor shows it, the header being line 1** (for a quoted cell
that spans lines, the line the record starts on). YAML problems carry the line as
``exercises.yaml:12: exercise bridge: dose.sets: ...``.

Parsed values. Cells holding reference keys or claim ids (``sources``, ``source``,
``claims``) become tuples of strings; ``objectives`` becomes a tuple of strings (split on
``" | "``); empty optional numbers become NaN; empty optional text stays ``""``.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Callable, Iterable, Union

import pandas as pd

from backlessons.errors import ContentError, Problem

try:  # Python >= 3.11
    from importlib.resources.abc import Traversable
except ImportError:  # pragma: no cover - Python 3.10
    from importlib.abc import Traversable

__all__ = [
    "VERDICTS",
    "URGENCIES",
    "NICE_GROUPS",
    "Claim",
    "Dose",
    "StopSign",
    "Exercise",
    "data_root",
    "lessons",
    "claims",
    "claim",
    "references",
    "reference_keys",
    "causes_treatments",
    "red_flags",
    "urgency_levels",
    "certainty_levels",
    "nice_ng59",
    "natural_history_facts",
    "red_flag_cases",
    "safety_net_card",
    "exercises",
    "exercise",
    "diagram_svg",
    "dataset",
    "dataset_names",
    "validate_data",
]

VERDICTS: tuple[str, ...] = ("supported", "mixed", "weak", "contradicted", "unsupported")
# The one urgency scale of the course, most urgent first; urgency_levels.csv labels them.
URGENCIES: tuple[str, ...] = ("emergency", "same_day", "within_week", "routine")
NICE_GROUPS: tuple[str, ...] = ("do", "consider", "do_not_offer")
CERTAINTIES: tuple[str, ...] = ("high", "moderate", "low", "very_low")
# Claims the brief found no evidence for may have no source; all others must cite one.
_VERDICTS_WITHOUT_SOURCES = ("weak", "unsupported")

Root = Union[str, "os.PathLike[str]", Traversable, None]


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class Claim:
    """One of the article's claims with its verdict, as in ``claims.csv``."""

    id: str
    topic: str
    claim: str
    verdict: str
    verdict_note: str
    why: str
    sources: tuple[str, ...]
    certainty: tuple[str, ...] = ()
    certainty_note: str = ""


@dataclass(frozen=True)
class StopSign:
    """A "when to stop" line of an exercise and what to do next."""

    sign: str
    next_step: str


@dataclass(frozen=True)
class Dose:
    """A starting dose. 0 means "not applicable" (a walk-run plan has no hold time)."""

    sets: int
    reps: int
    hold_seconds: int
    note: str

    def describe(self) -> str:
        """Short plain text such as ``"1 set × 10 reps, hold 5 s"``; "" if nothing applies."""
        parts = []
        if self.sets and self.reps:
            parts.append(f"{self.sets} set{'s' if self.sets != 1 else ''} × {self.reps} reps")
        elif self.reps:
            parts.append(f"{self.reps} reps")
        if self.hold_seconds:
            parts.append(f"hold {self.hold_seconds} s")
        return ", ".join(parts)


@dataclass(frozen=True)
class Exercise:
    """One exercise from ``exercises.yaml``; ``diagram`` is a file name in ``diagrams/``."""

    name: str
    title: str
    from_article: bool
    purpose: str
    starting_position: str
    steps: tuple[str, ...]
    dose: Dose
    common_faults: tuple[str, ...]
    easier: str
    harder: str
    when_to_stop: tuple[StopSign, ...]
    diagram: str
    sources: tuple[str, ...]
    frequency: str = ""
    progression: tuple[str, ...] = ()


# --------------------------------------------------------------------------- roots


def data_root() -> Traversable:
    """The shipped data folder (inside the installed package or the checkout)."""
    return files("backlessons") / "data"


def _root(root: Root) -> Traversable:
    if root is None:
        return data_root()
    if isinstance(root, (str, os.PathLike)):
        return Path(root)
    return root


def _child(root: Traversable, relpath: str) -> Traversable:
    node = root
    for part in relpath.split("/"):
        node = node / part
    return node


def _read_text(root: Traversable, relpath: str) -> str:
    node = _child(root, relpath)
    if not node.is_file():
        raise ContentError([Problem(relpath, "", "", "file not found")])
    try:
        return node.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(relpath, "", "", f"is not valid UTF-8 ({exc.reason})")]) from None


# --------------------------------------------------------------------------- CSV parsing


@dataclass(frozen=True)
class _Row:
    line: int  # line of the file where the record starts; the header is line 1
    cells: dict[str, str]


def _read_csv(root: Traversable, relpath: str) -> tuple[list[str], list[_Row]]:
    """Header and rows with their editor line numbers; structural problems raise."""
    text = _read_text(root, relpath)
    if text.startswith("\ufeff"):  # spreadsheet programs like to add a byte-order mark
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    header: list[str] | None = None
    rows: list[_Row] = []
    last_line = 0
    try:
        for record in reader:
            start = last_line + 1
            last_line = reader.line_num
            if not record or all(not cell.strip() for cell in record):
                continue  # blank line
            if header is None:
                header = [cell.strip() for cell in record]
                continue
            if len(record) != len(header):
                problems.append(
                    Problem(relpath, f"row {start}", "", f"has {len(record)} cells, the header has {len(header)}")
                )
                continue
            rows.append(_Row(start, dict(zip(header, (cell.strip() for cell in record)))))
    except csv.Error as exc:
        problems.append(Problem(relpath, f"row {last_line + 1}", "", f"is not valid CSV ({exc})"))
    if header is None:
        problems.append(Problem(relpath, "", "", "is empty (no header line)"))
    else:
        seen: set[str] = set()
        for name in header:
            if not name:
                problems.append(Problem(relpath, "", "", "the header has an empty column name"))
            elif name in seen:
                problems.append(Problem(relpath, "", name, "column appears twice in the header"))
            seen.add(name)
    if problems:
        raise ContentError(problems)
    assert header is not None
    return header, rows


# Column converters: each takes the stripped cell text and returns a value or raises
# _Bad(message). "Required" means the cell must not be empty.


class _Bad(Exception):
    pass


@dataclass(frozen=True)
class _Col:
    name: str
    convert: Callable[[str], Any]
    required: bool = True
    empty: Any = ""  # value of an empty optional cell: "", NaN for numbers, () for lists


def _text(value: str) -> str:
    return value


def _int(lo: int | None = None, hi: int | None = None) -> Callable[[str], int]:
    def convert(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise _Bad(f"'{value}' is not a whole number") from None
        _check_range(number, lo, hi)
        return number

    return convert


def _float(lo: float | None = None, hi: float | None = None) -> Callable[[str], float]:
    def convert(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise _Bad(f"'{value}' is not a number") from None
        if not math.isfinite(number):
            raise _Bad(f"'{value}' is not a finite number")
        _check_range(number, lo, hi)
        return number

    return convert


def _check_range(number: float, lo: float | None, hi: float | None) -> None:
    if lo is not None and number < lo:
        raise _Bad(f"{number:g} is below the minimum {lo:g}")
    if hi is not None and number > hi:
        raise _Bad(f"{number:g} is above the maximum {hi:g}")


def _choice(*allowed: str) -> Callable[[str], str]:
    def convert(value: str) -> str:
        if value not in allowed:
            raise _Bad(f"'{value}' is not one of {', '.join(allowed)}")
        return value

    return convert


def _bool(value: str) -> bool:
    if value not in ("true", "false"):
        raise _Bad(f"'{value}' is not one of true, false")
    return value == "true"


def _pattern(regex: str, what: str) -> Callable[[str], str]:
    compiled = re.compile(regex)

    def convert(value: str) -> str:
        if not compiled.fullmatch(value):
            raise _Bad(f"'{value}' is not a valid {what}")
        return value

    return convert


def _split_list(value: str, sep: str = ";") -> tuple[str, ...]:
    if not value:
        return ()
    items = tuple(item.strip() for item in value.split(sep))
    if any(not item for item in items):
        raise _Bad(f"'{value}' has an empty item (check the '{sep.strip()}' separators)")
    return items


def _keys(value: str) -> tuple[str, ...]:
    return _split_list(value, ";")


def _objectives(value: str) -> tuple[str, ...]:
    items = _split_list(value, " | ")
    if not 3 <= len(items) <= 5:
        raise _Bad(f"has {len(items)} objectives, expected 3 to 5 separated by ' | '")
    return items


@dataclass(frozen=True)
class _Table:
    path: str
    columns: tuple[_Col, ...]
    id_column: str | None = None  # unique, and shown in "row N (ID)"
    unique: tuple[str, ...] = ()  # further columns whose values must be unique
    key_columns: tuple[str, ...] = ()  # cells that list keys of references.csv


def _where(row: _Row, table: _Table) -> str:
    ident = row.cells.get(table.id_column, "") if table.id_column else ""
    return f"row {row.line} ({ident})" if ident else f"row {row.line}"


def _parse_table(
    table: _Table, header: list[str], rows: list[_Row], ref_keys: frozenset[str] | None
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Convert every cell; return (records, problems). Records hold converted values."""
    problems: list[Problem] = []
    names = [col.name for col in table.columns]
    missing = [name for name in names if name not in header]
    for name in missing:
        problems.append(Problem(table.path, "", name, "required column is missing"))
    for name in header:
        if name not in names:
            problems.append(Problem(table.path, "", name, f"unknown column (expected {', '.join(names)})"))
    if missing:
        return [], problems
    records: list[dict[str, Any]] = []
    first_seen: dict[str, dict[str, int]] = {name: {} for name in (table.id_column, *table.unique) if name}
    for row in rows:
        where = _where(row, table)
        record: dict[str, Any] = {}
        for col in table.columns:
            raw = row.cells[col.name]
            if not raw:
                if col.required:
                    problems.append(Problem(table.path, where, col.name, "must not be empty"))
                    record[col.name] = None
                else:
                    record[col.name] = col.empty
                continue
            try:
                record[col.name] = col.convert(raw)
            except _Bad as bad:
                problems.append(Problem(table.path, where, col.name, str(bad)))
                record[col.name] = None
        for name, seen in first_seen.items():
            value = row.cells[name]
            if not value:
                continue
            if value in seen:
                problems.append(Problem(table.path, where, name, f"'{value}' is a duplicate of row {seen[value]}"))
            else:
                seen[value] = row.line
        if ref_keys is not None:
            for name in table.key_columns:
                for key in record.get(name) or ():
                    if key not in ref_keys:
                        problems.append(Problem(table.path, where, name, f"'{key}' is not a key in references.csv"))
        record["_line"] = row.line
        record["_where"] = where
        records.append(record)
    return records, problems


def _row_order(problem: Problem) -> int:
    """Sort key listing problems in file order: file-level first, then by row."""
    match = re.match(r"row (\d+)", problem.where)
    return int(match.group(1)) if match else 0


def _frame(records: list[dict[str, Any]], table: _Table) -> pd.DataFrame:
    names = [col.name for col in table.columns]
    frame = pd.DataFrame([{name: rec[name] for name in names} for rec in records], columns=names)
    return frame


# --------------------------------------------------------------------------- schemas

_LESSON_ID = r"\d\d_[a-z0-9_]+"
_CLAIM_ID = r"C\d+"
_KEY = r"[a-z0-9_]+"

_LESSONS = _Table(
    "lessons.csv",
    (
        _Col("id", _pattern(_LESSON_ID, "lesson id (two digits, underscore, lowercase words)")),
        _Col("number", _int(0, 99)),
        _Col("title", _text),
        _Col("summary", _text),
        _Col("claims", _keys, required=False, empty=()),
        _Col("objectives", _objectives),
    ),
    id_column="id",
    unique=("number",),
)
_CLAIMS = _Table(
    "claims.csv",
    (
        _Col("id", _pattern(_CLAIM_ID, "claim id (C and a number)")),
        _Col("topic", _text),
        _Col("claim", _text),
        _Col("verdict", _choice(*VERDICTS)),
        _Col("verdict_note", _text, required=False),
        _Col("why", _text),
        _Col("sources", _keys, required=False, empty=()),
        _Col("certainty", _keys, required=False, empty=()),
        _Col("certainty_note", _text, required=False),
    ),
    id_column="id",
    key_columns=("sources",),
)
_REFERENCES = _Table(
    "references.csv",
    (
        _Col("key", _pattern(_KEY, "reference key (lowercase letters, digits, underscore)")),
        _Col("authors", _text, required=False),
        _Col("year", _int(1800, 2100)),
        _Col("title", _text, required=False),
        _Col("journal", _text, required=False),
        _Col("volume", _text, required=False),
        _Col("pages", _text, required=False),
        _Col("note", _text, required=False),
    ),
    id_column="key",
)
_CAUSES = _Table(
    "causes_treatments.csv",
    (
        _Col("cause", _text),
        _Col("article_treatment", _text),
        _Col("evidence", _text),
        _Col("nice_ng59", _text, required=False),
        _Col("sources", _keys),
    ),
    id_column="cause",
    key_columns=("sources",),
)
_RED_FLAGS = _Table(
    "red_flags.csv",
    (
        _Col("condition", _text),
        _Col("features", _text),
        _Col("urgency", _choice(*URGENCIES)),
        _Col("action", _text),
        _Col("source", _keys),
    ),
    id_column="condition",
    key_columns=("source",),
)
_NATURAL_HISTORY_FACTS = _Table(
    "natural_history_facts.csv",
    (
        _Col("id", _pattern(_KEY, "id (lowercase letters, digits, underscore)")),
        _Col("topic", _choice("low back pain", "sciatica")),
        _Col("fact", _text),
        _Col("sources", _keys),
    ),
    id_column="id",
    key_columns=("sources",),
)
_URGENCY_LEVELS = _Table(
    "urgency_levels.csv",
    (
        _Col("id", _choice(*URGENCIES)),
        _Col("label", _text),
        _Col("action", _text),
        _Col("order", _int(1, len(URGENCIES))),
    ),
    id_column="id",
    unique=("order", "label"),
)
_CERTAINTY_LEVELS = _Table(
    "certainty_levels.csv",
    (
        _Col("id", _choice(*CERTAINTIES)),
        _Col("label", _text),
        _Col("meaning", _text),
        _Col("order", _int(1, len(CERTAINTIES))),
    ),
    id_column="id",
    unique=("order", "label"),
)
_NICE = _Table(
    "nice_ng59.csv",
    (
        _Col("id", _pattern(_KEY, "id (lowercase letters, digits, underscore)")),
        _Col("topic", _text),
        _Col("group", _choice(*NICE_GROUPS)),
        _Col("recommendation", _text),
        _Col("notes", _text, required=False),
        _Col("section", _pattern(r"\d+(\.\d+)*", "section number such as 1.1.4"), required=False),
        _Col("sources", _keys),
    ),
    id_column="id",
    key_columns=("sources",),
)


def _dataset_table(name: str, columns: Iterable[_Col], id_column: str | None = None) -> _Table:
    return _Table(
        f"datasets/{name}.csv",
        (*columns, _Col("source", _keys)),
        id_column=id_column,
        key_columns=("source",),
    )


_DATASETS: dict[str, _Table] = {
    "ground_reaction_force": _dataset_table(
        "ground_reaction_force",
        (
            _Col("measure", _text),
            _Col("speed_m_s", _float(0, 15)),
            _Col("force_bw", _float(0, 20)),
            _Col("gait", _text),
            _Col("note", _text, required=False),
        ),
    ),
    "imaging_findings": _dataset_table(
        "imaging_findings",
        (_Col("finding", _text), _Col("age", _int(0, 120)), _Col("percent", _float(0, 100))),
    ),
    "step_rate": _dataset_table(
        "step_rate",
        (
            _Col("variable", _choice("step rate", "stride length")),
            _Col("change_percent", _float(-100, 100)),
            _Col("joint", _text),
            _Col("outcome", _text),
            _Col("per", _choice("per step", "per mile"), required=False),
            _Col("effect_percent", _float(0, 1000), required=False, empty=math.nan),
            _Col("direction", _choice("decrease", "increase")),
            _Col("method", _choice("model estimate", "measured")),
        ),
    ),
    "training_spikes": _dataset_table(
        "training_spikes",
        (
            _Col("spike", _text),
            _Col("lower_percent", _float(-100, None)),
            _Col("upper_percent", _float(-100, None), required=False, empty=math.nan),
            _Col("hazard_ratio", _float(0, None)),
            _Col("ci_low", _float(0, None), required=False, empty=math.nan),
            _Col("ci_high", _float(0, None), required=False, empty=math.nan),
            _Col("is_reference", _bool),
        ),
        id_column="spike",
    ),
    "intradiscal_pressure": _dataset_table(
        "intradiscal_pressure",
        (
            _Col("posture", _text),
            _Col("group", _choice("lying", "standing", "sitting", "lifting")),
            _Col("pressure_mpa", _float(0, 10)),
        ),
        id_column="posture",
    ),
    "prevention": _dataset_table(
        "prevention",
        (
            _Col("intervention", _text),
            _Col("outcome", _text),
            _Col("risk_ratio", _float(0, None), required=False, empty=math.nan),
            _Col("ci_low", _float(0, None), required=False, empty=math.nan),
            _Col("ci_high", _float(0, None), required=False, empty=math.nan),
            _Col("effect", _choice("reduced risk", "no effect", "increased risk")),
        ),
        id_column="intervention",
    ),
    "natural_history": _dataset_table(
        "natural_history",
        (
            _Col("course", _choice("acute", "persistent")),
            _Col("week", _int(0, 104)),
            _Col("mean_pain", _float(0, 100)),
        ),
    ),
    "prevalence": _dataset_table(
        "prevalence",
        (
            _Col("measure", _text),
            _Col("population", _text),
            _Col("value", _float(0, None)),
            _Col("unit", _text),
        ),
    ),
}


# --------------------------------------------------------------------------- loading


_Check = Callable[[list[dict[str, Any]]], list[Problem]]


def _load_table(
    root: Traversable, table: _Table, ref_keys: frozenset[str] | None, extra: _Check | None = None
) -> pd.DataFrame:
    header, rows = _read_csv(root, table.path)
    records, problems = _parse_table(table, header, rows, ref_keys)
    if extra is not None:
        problems.extend(extra(records))
    if problems:
        raise ContentError(sorted(problems, key=_row_order))
    return _frame(records, table)


def _load_references(root: Traversable) -> pd.DataFrame:
    def extra(records: list[dict[str, Any]]) -> list[Problem]:
        # A citation needs somewhere to find it: a journal, or a note such as a guideline number.
        return [
            Problem(_REFERENCES.path, rec["_where"], "journal", "journal and note are both empty")
            for rec in records
            if rec["journal"] == "" and rec["note"] == ""
        ]

    return _load_table(root, _REFERENCES, None, extra).set_index("key")


def _ids(root: Traversable, path: str, column: str) -> frozenset[str] | None:
    """The id column of another file, for cross-file checks without a loading cycle.

    None when that file cannot be read: its own loader reports why, and the check is skipped
    so this file's problems are still listed.
    """
    try:
        header, rows = _read_csv(root, path)
    except ContentError:
        return None
    if column not in header:
        return None
    return frozenset(row.cells[column] for row in rows if row.cells[column])


def _load_lessons(root: Traversable) -> pd.DataFrame:
    claim_ids = _ids(root, _CLAIMS.path, "id")

    def extra(records: list[dict[str, Any]]) -> list[Problem]:
        problems = []
        for rec in records:
            if rec["id"] is not None and rec["number"] is not None and int(rec["id"][:2]) != rec["number"]:
                problems.append(
                    Problem(_LESSONS.path, rec["_where"], "number", f"{rec['number']} does not match the id's prefix")
                )
            for cid in rec["claims"] or ():
                if claim_ids is not None and cid not in claim_ids:
                    message = f"'{cid}' is not an id in claims.csv"
                    problems.append(Problem(_LESSONS.path, rec["_where"], "claims", message))
        return problems

    return _load_table(root, _LESSONS, None, extra)


def _check_level_ids(path: str, column: str, levels_path: str, levels: frozenset[str] | None) -> _Check:
    """Every id in *column* (a cell or a tuple of ids) must be an id of the levels file."""

    def extra(records: list[dict[str, Any]]) -> list[Problem]:
        if levels is None:
            return []
        problems = []
        for rec in records:
            value = rec.get(column)
            for level in (value,) if isinstance(value, str) else value or ():
                if level not in levels:
                    problems.append(Problem(path, rec["_where"], column, f"'{level}' is not an id in {levels_path}"))
        return problems

    return extra


def _check_complete_scale(path: str, expected: tuple[str, ...]) -> _Check:
    """A levels file lists every level of its scale exactly once (duplicates are caught per row)."""

    def extra(records: list[dict[str, Any]]) -> list[Problem]:
        found = {rec["id"] for rec in records}
        return [Problem(path, "", "id", f"level '{level}' is missing") for level in expected if level not in found]

    return extra


def _load_levels(root: Traversable, table: _Table, expected: tuple[str, ...]) -> pd.DataFrame:
    frame = _load_table(root, table, None, _check_complete_scale(table.path, expected))
    return frame.sort_values("order").set_index("id")


def _load_red_flags(root: Traversable) -> pd.DataFrame:
    levels = _ids(root, _URGENCY_LEVELS.path, "id")
    check = _check_level_ids(_RED_FLAGS.path, "urgency", _URGENCY_LEVELS.path, levels)
    return _load_table(root, _RED_FLAGS, _reference_keys(root), check)


def _load_claims(root: Traversable) -> pd.DataFrame:
    keys = _reference_keys(root)
    lesson_ids = _ids(root, _LESSONS.path, "id")
    certainty_check = _check_level_ids(
        _CLAIMS.path, "certainty", _CERTAINTY_LEVELS.path, _ids(root, _CERTAINTY_LEVELS.path, "id")
    )

    def extra(records: list[dict[str, Any]]) -> list[Problem]:
        problems = certainty_check(records)
        for rec in records:
            if lesson_ids is not None and rec["topic"] is not None and rec["topic"] not in lesson_ids:
                problems.append(
                    Problem(_CLAIMS.path, rec["_where"], "topic", f"'{rec['topic']}' is not a lesson id in lessons.csv")
                )
            if rec["sources"] == () and rec["verdict"] not in (*_VERDICTS_WITHOUT_SOURCES, None):
                problems.append(
                    Problem(
                        _CLAIMS.path,
                        rec["_where"],
                        "sources",
                        f"must not be empty unless the verdict is {' or '.join(_VERDICTS_WITHOUT_SOURCES)}",
                    )
                )
        return problems

    return _load_table(root, _CLAIMS, keys, extra).set_index("id")


def _check_intervals(path: str, value_col: str) -> _Check:
    """A confidence interval must contain its estimate, and comes with both ends or none."""

    def extra(records: list[dict[str, Any]]) -> list[Problem]:
        problems = []
        for rec in records:
            low, high, value = rec["ci_low"], rec["ci_high"], rec[value_col]
            if low is None or high is None or value is None:
                continue  # already reported as unreadable
            if math.isnan(low) != math.isnan(high):
                problems.append(Problem(path, rec["_where"], "ci_low", "give both ci_low and ci_high, or neither"))
            elif not math.isnan(low):
                if math.isnan(value):
                    message = "is empty but a confidence interval is given"
                    problems.append(Problem(path, rec["_where"], value_col, message))
                elif not low <= value <= high:
                    problems.append(
                        Problem(path, rec["_where"], value_col, f"{value:g} is outside its interval {low:g}–{high:g}")
                    )
        return problems

    return extra


_DATASET_CHECKS: dict[str, _Check] = {
    "training_spikes": _check_intervals("datasets/training_spikes.csv", "hazard_ratio"),
    "prevention": _check_intervals("datasets/prevention.csv", "risk_ratio"),
}


def _load_dataset(root: Traversable, name: str) -> pd.DataFrame:
    if not re.fullmatch(r"[a-z0-9_]+", name) or not _child(root, f"datasets/{name}.csv").is_file():
        available = ", ".join(_dataset_names(root)) or "none"
        raise ContentError([Problem(f"datasets/{name}.csv", "", "", f"no such dataset (available: {available})")])
    table = _DATASETS.get(name)
    keys = _reference_keys(root)
    if table is None:
        # A dataset without a schema here: only the source column is checked.
        header, rows = _read_csv(root, f"datasets/{name}.csv")
        columns = tuple(_Col(h, _text, required=False) for h in header if h != "source")
        table = _dataset_table(name, columns)
        records, problems = _parse_table(table, header, rows, keys)
        if problems:
            raise ContentError(problems)
        return _frame(records, table)
    return _load_table(root, table, keys, _DATASET_CHECKS.get(name))


def _dataset_names(root: Traversable) -> tuple[str, ...]:
    folder = _child(root, "datasets")
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.name[: -len(".csv")] for p in folder.iterdir() if p.name.endswith(".csv") and p.is_file()))


def _reference_keys(root: Traversable) -> frozenset[str]:
    return frozenset(_load_references(root).index)


# --------------------------------------------------------------------------- exercises (YAML)

_EXERCISE_FIELDS = (
    "title",
    "from_article",
    "purpose",
    "starting_position",
    "steps",
    "dose",
    "common_faults",
    "easier",
    "harder",
    "when_to_stop",
    "frequency",
    "progression",
    "diagram",
    "sources",
)
_STOP_FIELDS = ("sign", "next_step")
_DOSE_FIELDS = ("sets", "reps", "hold_seconds", "note")
_EXERCISES_PATH = "exercises.yaml"
_DIAGRAM_FILE = r"[a-z0-9_]+\.svg"


def _yaml_problem(path: str, err: Any) -> Problem:
    """A yamlfile.YamlFileError as one Problem at the line where the parser gave up."""
    if not err.syntax:
        return Problem(path, "", "", err.message, line=err.line)
    message, context = err.message, getattr(err, "context", None)
    if context and getattr(err, "context_line", None) is not None:
        # e.g. "while parsing a flow sequence (opened on line 39)": points at the unclosed "["
        message = f"{context} (opened on line {err.context_line}), {message}"
    return Problem(path, "", "", f"is not valid YAML: {message}", line=err.line)


def _load_exercises(root: Traversable) -> dict[str, Exercise]:
    from backlessons import yamlfile

    text = _read_text(root, _EXERCISES_PATH)
    try:
        loaded = yamlfile.load(text, _EXERCISES_PATH, key_lines=True)
    except yamlfile.YamlFileError as err:
        raise ContentError([_yaml_problem(_EXERCISES_PATH, err)]) from None
    raw = loaded.data
    if not isinstance(raw, dict) or not raw:
        raise ContentError([Problem(_EXERCISES_PATH, "", "", "must be a mapping of exercise name to exercise")])
    lines = loaded.key_lines
    problems = [
        Problem(
            _EXERCISES_PATH,
            f"exercise {issue.keys[0]}" if issue.keys else "",
            ".".join(issue.keys[1:]),
            f"{'name' if len(issue.keys) == 1 else 'field'} appears twice (YAML would silently keep only the last)"
            if issue.kind == "duplicate"
            else f"contains the bidirectional control character {issue.detail}; remove it",
            line=issue.line,
        )
        for issue in loaded.issues
    ]
    keys = _reference_keys(root)
    result: dict[str, Exercise] = {}
    for name, body in raw.items():
        name = str(name)
        where = f"exercise {name}"

        def bad(field: str, message: str, name: str = name, where: str = where) -> None:
            path = (name, *field.split(".")) if field else (name,)
            line = lines.get(path) or lines.get(path[:-1]) or lines.get((name,))
            problems.append(Problem(_EXERCISES_PATH, where, field, message, line=line))

        if not re.fullmatch(r"[a-z0-9_]+", name):
            bad("", "name must use lowercase letters, digits and underscores")
        if not isinstance(body, dict):
            bad("", "must be a mapping of fields")
            continue
        before = len(problems)
        for field in body:
            if field not in _EXERCISE_FIELDS:
                bad(str(field), f"unknown field (expected {', '.join(_EXERCISE_FIELDS)})")
        missing = {field for field in _EXERCISE_FIELDS if field not in body}
        for field in _EXERCISE_FIELDS:
            if field in missing:
                bad(field, "is missing")

        def text(field: str, value: Any) -> str:
            if field in missing:
                return ""
            if not isinstance(value, str) or not value.strip():
                bad(field, "must be non-empty text")
                return ""
            return value.strip()

        def texts(field: str, value: Any) -> tuple[str, ...]:
            if field in missing:
                return ()
            if not isinstance(value, list) or not value:
                bad(field, "must be a non-empty list of text")
                return ()
            items = []
            for i, item in enumerate(value):
                if not isinstance(item, str) or not item.strip():
                    bad(field, f"item {i + 1} must be non-empty text")
                else:
                    items.append(item.strip())
            return tuple(items)

        def whole(field: str, value: Any) -> int:
            # bool is an int in Python; "true" is never a dose.
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                bad(field, f"{value!r} is not a whole number of 0 or more")
                return 0
            return value

        title = text("title", body.get("title"))
        from_article = body.get("from_article")
        if "from_article" not in missing and not isinstance(from_article, bool):
            bad("from_article", f"{from_article!r} is not one of true, false")
        dose_raw = body.get("dose")
        dose = Dose(0, 0, 0, "")
        if "dose" in missing:
            pass
        elif not isinstance(dose_raw, dict):
            bad("dose", "must be a mapping with sets, reps, hold_seconds and note")
        else:
            for field in dose_raw:
                if field not in _DOSE_FIELDS:
                    bad(f"dose.{field}", f"unknown field (expected {', '.join(_DOSE_FIELDS)})")
            for field in _DOSE_FIELDS:
                if field not in dose_raw:
                    bad(f"dose.{field}", "is missing")
            dose = Dose(
                sets=whole("dose.sets", dose_raw.get("sets", 0)),
                reps=whole("dose.reps", dose_raw.get("reps", 0)),
                hold_seconds=whole("dose.hold_seconds", dose_raw.get("hold_seconds", 0)),
                note=text("dose.note", dose_raw.get("note")) if "note" in dose_raw else "",
            )
        when_to_stop: list[StopSign] = []
        stops = body.get("when_to_stop")
        if "when_to_stop" in missing:
            pass
        elif not isinstance(stops, list) or not stops:
            bad("when_to_stop", "must be a non-empty list of {sign, next_step}")
        else:
            for i, item in enumerate(stops, start=1):
                # Every stop line says what to do next: stopping alone leaves a learner stranded.
                if not isinstance(item, dict) or set(item) != set(_STOP_FIELDS) or not all(
                    isinstance(item[f], str) and item[f].strip() for f in _STOP_FIELDS
                ):
                    bad("when_to_stop", f"item {i} must have non-empty sign and next_step (and nothing else)")
                else:
                    when_to_stop.append(StopSign(item["sign"].strip(), item["next_step"].strip()))
        diagram = text("diagram", body.get("diagram"))
        if diagram:
            if not re.fullmatch(_DIAGRAM_FILE, diagram):
                bad("diagram", f"'{diagram}' is not a file name like {name}.svg")
            elif not _child(root, f"diagrams/{diagram}").is_file():
                bad("diagram", f"'diagrams/{diagram}' does not exist")
        sources = texts("sources", body.get("sources"))
        for key in sources:
            if key not in keys:
                bad("sources", f"'{key}' is not a key in references.csv")
        exercise = Exercise(
            name=name,
            title=title,
            from_article=bool(from_article),
            purpose=text("purpose", body.get("purpose")),
            starting_position=text("starting_position", body.get("starting_position")),
            steps=texts("steps", body.get("steps")),
            dose=dose,
            common_faults=texts("common_faults", body.get("common_faults")),
            easier=text("easier", body.get("easier")),
            harder=text("harder", body.get("harder")),
            when_to_stop=tuple(when_to_stop),
            diagram=diagram,
            sources=sources,
            frequency=text("frequency", body.get("frequency")),
            progression=texts("progression", body.get("progression")),
        )
        if len(problems) == before:
            result[name] = exercise
    if problems:
        raise ContentError(problems)
    return result


# --------------------------------------------------------------------------- clinical YAML files

_CASES_PATH = "red_flag_cases.yaml"
_CASE_TEXT_FIELDS = ("title", "sex", "training", "findings", "suspect", "next_step", "reasoning")
_CARD_PATH = "safety_net_card.yaml"


@dataclass(frozen=True)
class RedFlagCase:
    """A lesson-08 vignette: the learner picks an urgency level and a next step, then reveals."""

    id: str
    title: str
    age: int
    sex: str
    training: str
    findings: str
    urgency: str
    suspect: str
    next_step: str
    reasoning: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SafetyNetCard:
    """The printable cauda equina warning card."""

    title: str
    intro: str
    warning_signs: tuple[str, ...]
    what_to_do: tuple[str, ...]
    note: str
    sources: tuple[str, ...]


def _load_yaml(root: Traversable, path: str) -> tuple[Any, Any]:
    import yaml

    text = _read_text(root, path)
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader), yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ContentError([_yaml_problem(path, exc)]) from None


class _Fields:
    """Checks the fields of one YAML mapping, collecting problems with their lines."""

    def __init__(self, path: str, where: str, body: dict[str, Any], line: int | None, problems: list[Problem]):
        self.path, self.where, self.body, self.line, self.problems = path, where, body, line, problems

    def bad(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.path, self.where, field, message, line=self.line))

    def text(self, field: str) -> str:
        value = self.body.get(field)
        if not isinstance(value, str) or not value.strip():
            self.bad(field, "must be non-empty text")
            return ""
        return value.strip()

    def texts(self, field: str) -> tuple[str, ...]:
        value = self.body.get(field)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            self.bad(field, "must be a non-empty list of text")
            return ()
        return tuple(v.strip() for v in value)

    def keys(self, field: str, known: frozenset[str]) -> tuple[str, ...]:
        found = self.texts(field)
        for key in found:
            if key not in known:
                self.bad(field, f"'{key}' is not a key in references.csv")
        return found

    def only(self, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        for field in self.body:
            if field not in allowed:
                self.bad(str(field), f"unknown field (expected {', '.join(allowed)})")


def _load_red_flag_cases(root: Traversable) -> dict[str, RedFlagCase]:
    node, raw = _load_yaml(root, _CASES_PATH)
    if not isinstance(raw, list) or not raw:
        raise ContentError([Problem(_CASES_PATH, "", "", "must be a list of cases")])
    keys = _reference_keys(root)
    levels = _ids(root, _URGENCY_LEVELS.path, "id") or frozenset(URGENCIES)
    problems: list[Problem] = []
    cases: dict[str, RedFlagCase] = {}
    for index, body in enumerate(raw):
        line = node.value[index].start_mark.line + 1
        if not isinstance(body, dict):
            problems.append(Problem(_CASES_PATH, f"case {index + 1}", "", "must be a mapping", line=line))
            continue
        case_id = str(body.get("id", ""))
        fields = _Fields(_CASES_PATH, f"case {case_id or index + 1}", body, line, problems)
        before = len(problems)
        fields.only(("id", "age", "urgency", "sources", *_CASE_TEXT_FIELDS))
        if not re.fullmatch(_KEY, case_id):
            fields.bad("id", f"'{case_id}' is not an id (lowercase letters, digits, underscore)")
        elif case_id in cases:
            fields.bad("id", f"'{case_id}' is a duplicate")
        age = body.get("age")
        if isinstance(age, bool) or not isinstance(age, int) or not 0 < age < 120:
            fields.bad("age", f"{age!r} is not an age in years")
        urgency = body.get("urgency")
        if urgency not in levels:
            fields.bad("urgency", f"{urgency!r} is not an id in {_URGENCY_LEVELS.path}")
        texts = {name: fields.text(name) for name in _CASE_TEXT_FIELDS}
        sources = fields.keys("sources", keys)
        if len(problems) == before:
            cases[case_id] = RedFlagCase(id=case_id, age=age, urgency=urgency, sources=sources, **texts)
    if problems:
        raise ContentError(problems)
    return cases


def _load_safety_net_card(root: Traversable) -> SafetyNetCard:
    node, raw = _load_yaml(root, _CARD_PATH)
    if not isinstance(raw, dict):
        raise ContentError([Problem(_CARD_PATH, "", "", "must be a mapping of the card's fields")])
    problems: list[Problem] = []
    fields = _Fields(_CARD_PATH, "card", raw, None, problems)
    names = ("title", "intro", "warning_signs", "what_to_do", "note", "sources")
    fields.only(names)
    card = SafetyNetCard(
        title=fields.text("title"),
        intro=fields.text("intro"),
        warning_signs=fields.texts("warning_signs"),
        what_to_do=fields.texts("what_to_do"),
        note=fields.text("note"),
        sources=fields.keys("sources", _reference_keys(root)),
    )
    if problems:
        raise ContentError(problems)
    return card


# --------------------------------------------------------------------------- diagrams


def _check_diagram(root: Traversable, filename: str) -> list[Problem]:
    """A diagram must be well-formed SVG with a <title>, no script and no external links."""
    path = f"diagrams/{filename}"
    try:
        text = _read_text(root, path)
    except ContentError as err:
        return list(err.problems)
    try:
        tree = ET.fromstring(text)
    except ET.ParseError as exc:
        return [Problem(path, "", "", f"is not well-formed SVG ({exc})", line=exc.position[0])]
    problems = []
    svg_ns = "{http://www.w3.org/2000/svg}"
    if tree.tag != f"{svg_ns}svg":
        problems.append(Problem(path, "", "", "root element is not <svg> in the SVG namespace"))
    if tree.find(f"{svg_ns}title") is None:
        problems.append(Problem(path, "", "title", "has no <title> element (needed by screen readers)"))
    for element in tree.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("script", "foreignObject"):
            problems.append(Problem(path, "", tag, f"<{tag}> is not allowed"))
        for attr, value in element.attrib.items():
            local = attr.rsplit("}", 1)[-1]
            if local.startswith("on"):
                problems.append(Problem(path, "", local, "event-handler attributes are not allowed"))
            if local == "href" and not value.startswith("#"):
                problems.append(Problem(path, "", local, f"external reference '{value}' is not allowed"))
    return problems


def diagram_svg(name: str, root: Root = None) -> str:
    """The SVG text of a diagram, by exercise name (``"glute_bridge"``) or file name."""
    r = _root(root)
    filename = name if name.endswith(".svg") else exercise(name, root).diagram
    if not re.fullmatch(_DIAGRAM_FILE, filename):
        raise ContentError([Problem(f"diagrams/{filename}", "", "", "not a diagram file name")])
    problems = _check_diagram(r, filename)
    if problems:
        raise ContentError(problems)
    return _read_text(r, f"diagrams/{filename}")


# --------------------------------------------------------------------------- public API


@functools.cache
def _shipped(kind: str, name: str = "") -> Any:
    return _LOADERS[kind](data_root(), name)


_LOADERS: dict[str, Callable[[Traversable, str], Any]] = {
    "lessons": lambda r, _: _load_lessons(r),
    "claims": lambda r, _: _load_claims(r),
    "references": lambda r, _: _load_references(r),
    "causes_treatments": lambda r, _: _load_table(r, _CAUSES, _reference_keys(r)),
    "red_flags": lambda r, _: _load_red_flags(r),
    "urgency_levels": lambda r, _: _load_levels(r, _URGENCY_LEVELS, URGENCIES),
    "certainty_levels": lambda r, _: _load_levels(r, _CERTAINTY_LEVELS, CERTAINTIES),
    "nice_ng59": lambda r, _: _load_table(r, _NICE, _reference_keys(r)),
    "natural_history_facts": lambda r, _: _load_table(r, _NATURAL_HISTORY_FACTS, _reference_keys(r)),
    "red_flag_cases": lambda r, _: _load_red_flag_cases(r),
    "safety_net_card": lambda r, _: _load_safety_net_card(r),
    "exercises": lambda r, _: _load_exercises(r),
    "dataset": _load_dataset,
}


def _get(kind: str, root: Root, name: str = "") -> Any:
    if root is None:
        return _shipped(kind, name)
    return _LOADERS[kind](_root(root), name)


def lessons(root: Root = None) -> pd.DataFrame:
    """The course map: id, number, title, summary, claims (tuple of ids), objectives (tuple)."""
    return _get("lessons", root).copy()


def claims(root: Root = None) -> pd.DataFrame:
    """The article's claims, indexed by id: topic, claim, verdict, verdict_note, why, sources (tuple)."""
    return _get("claims", root).copy()


def claim(claim_id: str, root: Root = None) -> Claim:
    """One claim as a :class:`Claim`; ContentError if there is no such id."""
    table = _get("claims", root)
    if claim_id not in table.index:
        message = f"no claim '{claim_id}' (ids are {', '.join(table.index)})"
        raise ContentError([Problem("claims.csv", "", "id", message)])
    row = table.loc[claim_id]
    return Claim(
        id=claim_id,
        topic=row["topic"],
        claim=row["claim"],
        verdict=row["verdict"],
        verdict_note=row["verdict_note"],
        why=row["why"],
        sources=tuple(row["sources"]),
        certainty=tuple(row["certainty"]),
        certainty_note=row["certainty_note"],
    )


def references(root: Root = None) -> pd.DataFrame:
    """Every source, indexed by key: authors, year, title, journal, volume, pages, note."""
    return _get("references", root).copy()


def reference_keys(root: Root = None) -> frozenset[str]:
    """The keys of references.csv."""
    return frozenset(_get("references", root).index)


def causes_treatments(root: Root = None) -> pd.DataFrame:
    """The article's cause → treatment table: cause, article_treatment, evidence, nice_ng59, sources."""
    return _get("causes_treatments", root).copy()


def red_flags(root: Root = None) -> pd.DataFrame:
    """Serious-pathology red flags: condition, features, urgency, action, source (tuple)."""
    return _get("red_flags", root).copy()


def urgency_levels(root: Root = None) -> pd.DataFrame:
    """The urgency scale, indexed by id, most urgent first: label, action, order."""
    return _get("urgency_levels", root).copy()


def certainty_levels(root: Root = None) -> pd.DataFrame:
    """GRADE certainty levels, indexed by id, highest first: label, meaning, order."""
    return _get("certainty_levels", root).copy()


def nice_ng59(root: Root = None) -> pd.DataFrame:
    """NICE NG59 recommendations: id, topic, group (do/consider/do_not_offer), recommendation, notes, section, sources."""
    return _get("nice_ng59", root).copy()


def natural_history_facts(root: Root = None) -> pd.DataFrame:
    """Recurrence and sciatica facts for lesson 00: id, topic, fact, sources."""
    return _get("natural_history_facts", root).copy()


def red_flag_cases(root: Root = None) -> dict[str, RedFlagCase]:
    """The lesson-08 case vignettes by id, in file order."""
    return dict(_get("red_flag_cases", root))


def safety_net_card(root: Root = None) -> SafetyNetCard:
    """The cauda equina safety-net card's text."""
    return _get("safety_net_card", root)


def _exercises_for(root: Root) -> dict[str, Exercise]:
    return _get("exercises", root)


def exercises(root: Root = None) -> dict[str, Exercise]:
    """Every exercise by name, in file order."""
    return dict(_exercises_for(root))


def exercise(name: str, root: Root = None) -> Exercise:
    """One exercise; ContentError if there is no such name."""
    table = _exercises_for(root)
    if name not in table:
        message = f"no such exercise (known: {', '.join(table)})"
        raise ContentError([Problem(_EXERCISES_PATH, f"exercise {name}", "", message)])
    return table[name]


def dataset(name: str, root: Root = None) -> pd.DataFrame:
    """``data/datasets/<name>.csv`` with typed columns; ``source`` is a tuple of keys."""
    return _get("dataset", root, name).copy()


def dataset_names(root: Root = None) -> tuple[str, ...]:
    """Names of the files in ``data/datasets/``, sorted, without ``.csv``."""
    return _dataset_names(_root(root))


def validate_data(root: Root = None) -> list[Problem]:
    """Every problem in every data file except the quiz banks; [] when all is well.

    Nothing is cached, so an edited file is re-read.
    """
    r = _root(root)
    problems: list[Problem] = []

    def collect(load: Callable[[], Any]) -> None:
        try:
            load()
        except ContentError as err:
            problems.extend(p for p in err.problems if p not in problems)

    # The public loaders' own wiring, so a check added to one is never missed here.
    kinds = ("references", "lessons", "claims", "causes_treatments", "red_flags", "exercises", "urgency_levels",
             "certainty_levels", "nice_ng59", "natural_history_facts", "red_flag_cases", "safety_net_card")
    for kind in kinds:
        collect(lambda kind=kind: _LOADERS[kind](r, ""))
    for name in _dataset_names(r):
        collect(lambda name=name: _LOADERS["dataset"](r, name))
    folder = _child(r, "diagrams")
    if folder.is_dir():
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if entry.name.endswith(".svg"):
                problems.extend(_check_diagram(r, entry.name))
    return problems
