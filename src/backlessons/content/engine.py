"""The machinery every content file goes through: roots, CSV rows with editor line
numbers, column converters, table declarations turned into checked records, and the
problem helpers for YAML files.

Nothing here knows a particular file; :mod:`backlessons.content.tables` declares them.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import os
import re
from collections import namedtuple
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Union

from backlessons.errors import ContentError, Problem

if TYPE_CHECKING:
    import pandas as pd

try:  # Python >= 3.11
    from importlib.resources.abc import Traversable
except ImportError:  # pragma: no cover - Python 3.10
    from importlib.abc import Traversable

Root = Union[str, "os.PathLike[str]", Traversable, None]


# --------------------------------------------------------------------------- roots


def data_root() -> Traversable:
    """The shipped data folder (inside the installed package or the checkout)."""
    return files("backlessons") / "data"


def resolve_root(root: Root) -> Traversable:
    if root is None:
        return data_root()
    if isinstance(root, (str, os.PathLike)):
        return Path(root)
    return root


def child(root: Traversable, relpath: str) -> Traversable:
    node = root
    for part in relpath.split("/"):
        node = node / part
    return node


def read_text(root: Traversable, relpath: str) -> str:
    node = child(root, relpath)
    if not node.is_file():
        raise ContentError([Problem(relpath, "", "", "file not found")])
    try:
        return node.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(relpath, "", "", f"is not valid UTF-8 ({exc.reason})")]) from None


# --------------------------------------------------------------------------- CSV parsing


@dataclass(frozen=True)
class Row:
    line: int  # line of the file where the record starts; the header is line 1
    cells: dict[str, str]


def read_csv(root: Traversable, relpath: str) -> tuple[list[str], list[Row]]:
    """Header and rows with their editor line numbers; structural problems raise."""
    text = read_text(root, relpath)
    if text.startswith("\ufeff"):  # spreadsheet programs like to add a byte-order mark
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    header: list[str] | None = None
    rows: list[Row] = []
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
            rows.append(Row(start, dict(zip(header, (cell.strip() for cell in record)))))
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
# Bad(message). "Required" means the cell must not be empty.


class Bad(Exception):
    pass


@dataclass(frozen=True)
class Col:
    name: str
    convert: Callable[[str], Any]
    required: bool = True
    empty: Any = ""  # value of an empty optional cell: "", NaN for numbers, () for lists


def as_text(value: str) -> str:
    return value


def as_int(lo: int | None = None, hi: int | None = None) -> Callable[[str], int]:
    def convert(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise Bad(f"'{value}' is not a whole number") from None
        _check_range(number, lo, hi)
        return number

    return convert


def as_float(lo: float | None = None, hi: float | None = None) -> Callable[[str], float]:
    def convert(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise Bad(f"'{value}' is not a number") from None
        if not math.isfinite(number):
            raise Bad(f"'{value}' is not a finite number")
        _check_range(number, lo, hi)
        return number

    return convert


def _check_range(number: float, lo: float | None, hi: float | None) -> None:
    if lo is not None and number < lo:
        raise Bad(f"{number:g} is below the minimum {lo:g}")
    if hi is not None and number > hi:
        raise Bad(f"{number:g} is above the maximum {hi:g}")


def choice(*allowed: str) -> Callable[[str], str]:
    def convert(value: str) -> str:
        if value not in allowed:
            raise Bad(f"'{value}' is not one of {', '.join(allowed)}")
        return value

    return convert


def as_bool(value: str) -> bool:
    if value not in ("true", "false"):
        raise Bad(f"'{value}' is not one of true, false")
    return value == "true"


def pattern(regex: str, what: str) -> Callable[[str], str]:
    compiled = re.compile(regex)

    def convert(value: str) -> str:
        if not compiled.fullmatch(value):
            raise Bad(f"'{value}' is not a valid {what}")
        return value

    return convert


def split_list(value: str, sep: str = ";") -> tuple[str, ...]:
    if not value:
        return ()
    items = tuple(item.strip() for item in value.split(sep))
    if any(not item for item in items):
        raise Bad(f"'{value}' has an empty item (check the '{sep.strip()}' separators)")
    return items


def as_keys(value: str) -> tuple[str, ...]:
    return split_list(value, ";")


def as_objectives(value: str) -> tuple[str, ...]:
    items = split_list(value, " | ")
    if not 3 <= len(items) <= 5:
        raise Bad(f"has {len(items)} objectives, expected 3 to 5 separated by ' | '")
    return items


@dataclass(frozen=True)
class Table:
    path: str
    columns: tuple[Col, ...]
    id_column: str | None = None  # unique, and shown in "row N (ID)"
    unique: tuple[str, ...] = ()  # further columns whose values must be unique
    key_columns: tuple[str, ...] = ()  # cells that list keys of references.csv


def where_of(row: Row, table: Table) -> str:
    ident = row.cells.get(table.id_column, "") if table.id_column else ""
    return f"row {row.line} ({ident})" if ident else f"row {row.line}"


def parse_table(
    table: Table, header: list[str], rows: list[Row], ref_keys: frozenset[str] | None
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
        where = where_of(row, table)
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
            except Bad as bad:
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


def row_order(problem: Problem) -> int:
    """Sort key listing problems in file order: file-level first, then by row."""
    match = re.match(r"row (\d+)", problem.where)
    return int(match.group(1)) if match else 0


@functools.cache
def _row_type(names: tuple[str, ...]) -> type:
    # rename=True: a dataset without a schema may have a header that is not a Python name.
    return namedtuple("Row", names, rename=True)


class Rows:
    """A table's checked rows, in order, each a namedtuple of the declared columns.

    The package's own readers (figures, cards, reference lists) iterate these: pandas is
    imported only when a DataFrame is asked for (:meth:`frame`), so a lesson that shows no
    DataFrame never waits for it. *index* names the column a DataFrame is indexed by.
    The loaders cache their Rows, so a reader must not change ``records``.
    """

    __slots__ = ("table", "records", "index", "_tuples", "_by_index")

    def __init__(self, table: Table, records: Iterable[dict[str, Any]], index: str | None = None) -> None:
        names = [col.name for col in table.columns]
        self.table = table
        self.records = tuple({name: rec[name] for name in names} for rec in records)
        self.index = index
        self._tuples: tuple[Any, ...] | None = None
        self._by_index: Mapping[Any, Any] | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(col.name for col in self.table.columns)

    @property
    def tuples(self) -> tuple[Any, ...]:
        if self._tuples is None:
            make = _row_type(self.columns)
            self._tuples = tuple(make(*rec.values()) for rec in self.records)
        return self._tuples

    def __iter__(self) -> Iterator[Any]:
        return iter(self.tuples)

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, column: str) -> list[Any]:
        """The values of one column, in row order."""
        if column not in self.columns:
            raise KeyError(column)
        return [rec[column] for rec in self.records]

    def where(self, column: str, value: Any) -> list[Any]:
        """The rows whose *column* equals *value*, in order."""
        position = self.columns.index(column)
        return [row for row in self.tuples if row[position] == value]

    def by_index(self) -> Mapping[Any, Any]:
        """The rows by their index column (the DataFrame's index), read-only and made once."""
        if self.index is None:
            raise TypeError(f"{self.table.path} has no index column")
        if self._by_index is None:
            position = self.columns.index(self.index)
            self._by_index = MappingProxyType({row[position]: row for row in self.tuples})
        return self._by_index

    def frame(self) -> pd.DataFrame:
        """A new DataFrame of the rows (indexed by *index* when there is one)."""
        import pandas as pd

        frame = pd.DataFrame(list(self.records), columns=list(self.columns))
        return frame.set_index(self.index) if self.index else frame


# --------------------------------------------------------------------------- schemas
Check = Callable[[list[dict[str, Any]]], list[Problem]]


def load_table(
    root: Traversable, table: Table, ref_keys: frozenset[str] | None, extra: Check | None = None,
    index: str | None = None,
) -> Rows:
    header, rows = read_csv(root, table.path)
    records, problems = parse_table(table, header, rows, ref_keys)
    if extra is not None:
        problems.extend(extra(records))
    if problems:
        raise ContentError(sorted(problems, key=row_order))
    return Rows(table, records, index)

def ids_of(root: Traversable, path: str, column: str) -> frozenset[str] | None:
    """The id column of another file, for cross-file checks without a loading cycle.

    None when that file cannot be read: its own loader reports why, and the check is skipped
    so this file's problems are still listed.
    """
    try:
        header, rows = read_csv(root, path)
    except ContentError:
        return None
    if column not in header:
        return None
    return frozenset(row.cells[column] for row in rows if row.cells[column])

def yaml_problem(path: str, err: Any) -> Problem:
    """A yamlfile.YamlFileError as one Problem at the line where the parser gave up."""
    if not err.syntax:
        return Problem(path, "", "", err.message, line=err.line)
    message, context = err.message, getattr(err, "context", None)
    if context and getattr(err, "context_line", None) is not None:
        # e.g. "while parsing a flow sequence (opened on line 39)": points at the unclosed "["
        message = f"{context} (opened on line {err.context_line}), {message}"
    return Problem(path, "", "", f"is not valid YAML: {message}", line=err.line)


def load_yaml(root: Traversable, path: str, *, key_lines: bool = False) -> Any:
    """A YAML file of the data folder through the course's one loader (:mod:`backlessons.yamlfile`).

    Returns its ``Loaded`` (data, line of each collection and key); bad YAML raises ContentError.
    """
    from backlessons import yamlfile

    text = read_text(root, path)
    try:
        return yamlfile.load(text, path, key_lines=key_lines)
    except yamlfile.YamlFileError as err:
        raise ContentError([yaml_problem(path, err)]) from None


class Fields:
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
