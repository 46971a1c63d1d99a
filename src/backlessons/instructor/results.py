"""Merge the CSV files learners export (``backlessons progress export``) into one class table.

One path for every file: read it, check it, parse it with pandas, check the values
(vectorised over each batch of files), concatenate. :func:`merge_results` returns a
:class:`MergeResult` with three separate fields: the merged ``frame``, the ``problems``
(files not merged, each naming the file and, where there is one, the row, question id
and field) and the ``notes`` (things merged but worth knowing, each naming its file).

Reading. Files are read in order and those with the same header line are parsed
together, a batch of about ``_BATCH_BYTES`` per ``pandas.read_csv`` call (each file keeps
its header line, which marks where it starts). Batches are parsed on a few threads while
the next files are read. Text columns are parsed as text; ``format``, ``score`` and
``attempt`` are left to pandas, which reads them as numbers when every value in the batch
is one, and as text otherwise; both are checked the same way, and a bad value is quoted
as the file has it. A batch that does not split cleanly into its files (say an unclosed
quote swallowing the next file) is parsed file by file to find the damaged ones, then
the rest together again, so the damaged file is named and the others merge. Memory
stays linear in the rows, the same with or without a bad file.

Speed (``benchmarks/merge_bench.py``, a shared 2-core machine): a class of 1,000
learners × 100 answers merges in 55–70 ms, against 30–39 ms for pandas reading the same
rows from one file with its own reader threads (1.73–1.94× over ten runs). Most of the
rest is Python's lock: pandas holds it while it makes the text cells into strings, and
so does reading a thousand files and checking them.

Problems (the file is skipped): unreadable, empty, binary, UTF-16 (with a hint to save
as UTF-8), not UTF-8, semicolon-separated (with a hint), missing or repeated columns, a
parse error, no answers, another export format, a value that is not valid (reported at
its first bad row). Every file in a folder is accounted for: ``*.csv`` files are merged
or reported; half-written temporary files (``.*.tmp``, an interrupted hand-in) and other
files are reported by name too.

Notes (the rows are merged): duplicates removed (a file sent twice); answers from several
backlessons versions; a file without a learner name (named after the file); a learner in
several files, or a file holding several learners, or a file named after another learner
when the folder follows the hand-in naming (``<learner>.csv``, or the cleaned name and hash
``backlessons hand-in`` gives a name like 'Ann Smith'); a lesson that is not one of
the shipped lessons (or of ``lessons=``).

Re-submitted work is common, so rows are de-duplicated on ``DEDUP_KEY``; the first copy
wins.

Pseudonyms (``anonymize=True``): ``"learner-"`` + the first 8 hex digits of
``sha256(PSEUDONYM_SALT + name)``. The salt is fixed and public, so the same name
always gets the same pseudonym, in every run and on every machine; that keeps
files merged on different days joinable. It hides names from a casual reader, not
from someone who guesses names and hashes them: keep the original files private.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Collection, Iterable, Iterator, Sequence

from backlessons.progress import EXPORT_COLUMNS, EXPORT_FORMAT
from backlessons.csvfile import may_hold_neutralised, restore

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "PSEUDONYM_SALT", "DEDUP_KEY", "MAX_ATTEMPT", "Finding", "MergeResult", "merge_results", "pseudonym",
    "collect_files", "merged_csv_text",
]

PSEUDONYM_SALT = "backlessons-class-results-v1:"
DEDUP_KEY: tuple[str, ...] = ("learner", "lesson", "question_id", "attempt", "time")
# Exports write true/false; a merged file written by pandas has True/False.
_TRUE = ("true", "True", "TRUE", "1")
_FALSE = ("false", "False", "FALSE", "0")
# Far above any real count, and small enough that no attempt overflows an int64.
MAX_ATTEMPT = 1_000_000
# Bytes of CSV per read_csv call: large enough that the per-call cost vanishes, small
# enough that re-reading a batch after a parse error costs little.
_BATCH_BYTES = 4 * 2**20
_EXPORT_HEADER = ",".join(EXPORT_COLUMNS).encode("ascii")
# Left to pandas to read as numbers (text when a value in the batch is not a number).
_NUMBER_COLUMNS = frozenset({"format", "score", "attempt"})
_TEXT_COLUMNS = ("learner", "lesson", "question_id", "question_type", "response", "response_text", "time",
                 "backlessons_version")


@dataclass(frozen=True)
class Finding:
    """One problem or note: ``file:row: question id: field: message`` (empty parts left out)."""

    file: str
    message: str
    row: int | None = None  # CSV record number, the header being row 1
    question_id: str = ""
    field: str = ""

    def __str__(self) -> str:
        where = self.file + (f":{self.row}" if self.row is not None else "")
        parts = [where, *(part for part in (self.question_id, self.field) if part), self.message]
        return ": ".join(part for part in parts if part)


@dataclass
class MergeResult:
    """What ``merge_results`` found: the merged rows, the files not merged, and notes."""

    frame: Any  # pandas DataFrame in EXPORT_COLUMNS
    problems: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    merged_files: dict[str, int] = field(default_factory=dict)  # path -> answers merged from it

    @property
    def ok(self) -> bool:
        """True when there is something merged and no file was skipped."""
        return not self.problems and len(self.frame) > 0

    def summary(self) -> list[str]:
        """One line per file (merged, with its answer count, or skipped, with why), then the notes."""
        lines = [f"merged {path} ({rows} answer(s))" for path, rows in self.merged_files.items()]
        lines += [f"skipped {problem}" for problem in self.problems]
        lines += [f"note: {note}" for note in self.notes]
        return lines


def pseudonym(name: str) -> str:
    """The stable pseudonym for *name*: same name, same pseudonym, in every run."""
    digest = hashlib.sha256((PSEUDONYM_SALT + name).encode("utf-8")).hexdigest()
    return f"learner-{digest[:8]}"


# -- finding the files ---------------------------------------------------------------------------


def _walk(folder: str) -> list[str]:
    """Every file under *folder*, each folder's entries sorted by name (the order of sorted paths)."""
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda entry: os.path.normcase(entry.name))
    found: list[str] = []
    for entry in entries:
        if entry.is_dir():
            found.extend(_walk(entry.path))
        elif entry.is_file():
            found.append(entry.path)
    return found


def collect_files(inputs: Iterable[str | os.PathLike[str]]) -> tuple[list[str], list[Finding]]:
    """Expand files and folders into the CSV files to merge, plus a problem for every other input.

    A file named on the command line is read whatever its name; in a folder, ``*.csv``
    files are read and every other file is reported (a half-written ``.*.tmp`` hand-in,
    a stray document), so nothing in a class folder is left out silently.
    """
    files: list[str] = []
    problems: list[Finding] = []
    seen: set[str] = set()
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = []
            for file in _walk(str(path)):
                name = os.path.basename(file)
                if name.lower().endswith(".csv"):
                    found.append(file)
                elif name.startswith(".") and name.endswith(".tmp"):
                    problems.append(Finding(file, "a half-written temporary file (a hand-in still being written, "
                                                  "or one that was interrupted); not merged: ask the learner to "
                                                  "hand in again"))
                else:
                    problems.append(Finding(file, "not a CSV file (the name does not end in .csv); not merged"))
            if not found:
                problems.append(Finding(str(path), "no CSV files in this folder"))
        elif path.is_file():
            found = [str(path)]
        else:
            problems.append(Finding(str(path), "no such file or folder"))
            found = []
        for file in found:
            key = os.path.normcase(os.path.abspath(file))
            if key not in seen:  # the same file named twice (a folder and a file in it) counts once
                seen.add(key)
                files.append(file)
    return files, problems


# -- checking one file before parsing ---------------------------------------------------------------


@dataclass
class _File:
    path: str
    raw: bytes  # UTF-8, without a BOM, ending in a newline
    header: tuple[str, ...]  # column names, stripped
    cells: tuple[str, ...] = ()  # the header line's cells as written (what marks the file's start)
    neutralised: bool = False  # holds a '-prefixed formula cell (csvfile.neutralise) to read back

    def __post_init__(self) -> None:
        self.neutralised = may_hold_neutralised(self.raw)


def _read_bytes(path: str) -> bytes:
    """The whole file, read with plain system calls (a class is a thousand small files)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(descriptor).st_size
        raw = os.read(descriptor, size + 1)  # one byte more: a file that grew is read to its end
        if len(raw) <= size:
            return raw
        pieces = [raw]
        while piece := os.read(descriptor, 1 << 20):
            pieces.append(piece)
        return b"".join(pieces)
    finally:
        os.close(descriptor)


def _not_utf8(path: str, raw: bytes) -> Finding:
    """The problem for a file that is not UTF-8, at its first bad row (row None: the file is UTF-8 after all)."""
    try:
        raw.decode("utf-8")
        row = None
    except UnicodeDecodeError as err:
        row = raw.count(b"\n", 0, err.start) + 1
    return Finding(path, "not a CSV text file (not UTF-8); save it as UTF-8, or export it again", row=row)


def _open(path: str) -> tuple[_File | None, Finding | None]:
    """Read a file and check what can be checked before parsing: encoding, delimiter, header."""
    try:
        raw = _read_bytes(path)
    except OSError as err:
        return None, Finding(path, f"cannot read ({err.strerror or err})")
    if not raw or raw.isspace():
        return None, Finding(path, "empty file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 3 and (raw[1:4:2] == b"\0\0" or raw[0:3:2] == b"\0\0")):
        return None, Finding(path, "saved as UTF-16 text, not UTF-8; save it again as 'CSV UTF-8 (comma delimited)', "
                                   "or export it again with backlessons progress export")
    if b"\x00" in raw:
        return None, Finding(path, "not a CSV text file (binary data)")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    # The rest of the file is decoded by pandas; a file that is not UTF-8 fails its batch, and
    # the file-by-file parse then names it (``_not_utf8``).
    end = raw.find(b"\n")
    first_bytes = (raw if end < 0 else raw[:end]).rstrip(b"\r")
    if first_bytes == _EXPORT_HEADER:  # as progress export writes it: nothing to split
        return _File(path, raw if raw.endswith(b"\n") else raw + b"\n", EXPORT_COLUMNS, EXPORT_COLUMNS), None
    try:
        first = first_bytes.decode("utf-8")
    except UnicodeDecodeError:
        return None, _not_utf8(path, raw)
    cells = tuple(next(csv.reader([first]), []))
    header = tuple(name.strip() for name in cells)
    missing = [name for name in EXPORT_COLUMNS if name not in header]
    if missing:
        not_utf8 = _not_utf8(path, raw)
        if not_utf8.row is not None:
            return None, not_utf8
        by_semicolon = [name.strip() for name in first.split(";")]
        if len(missing) > 1 and all(name in by_semicolon for name in EXPORT_COLUMNS):
            return None, Finding(path, "fields are separated by semicolons, not commas (a spreadsheet set to a "
                                       "language with decimal commas saves CSV like this); export it again with "
                                       "backlessons progress export, or save it as CSV with commas", row=1)
        return None, Finding(path, f"not a backlessons export: missing column(s) {', '.join(missing)}", row=1)
    if len(set(header)) != len(header):
        return None, Finding(path, "not a backlessons export: repeated column names", row=1)
    if not raw.endswith(b"\n"):
        raw += b"\n"
    return _File(path, raw, header, cells), None


# -- parsing ------------------------------------------------------------------------------------------


class _Pieces:
    """A read-only binary stream over byte strings, so pandas never needs them joined into one copy."""

    def __init__(self, pieces: Sequence[bytes]) -> None:
        self._pieces = iter(pieces)
        self._current = memoryview(b"")

    def read(self, size: int = -1) -> bytes:
        wanted = size if size is not None and size >= 0 else 1 << 62
        out: list[memoryview] = []
        while wanted > 0:
            if not self._current:
                piece = next(self._pieces, None)
                if piece is None:
                    break
                self._current = memoryview(piece)
                continue
            taken = self._current[:wanted]
            out.append(taken)
            wanted -= len(taken)
            self._current = self._current[len(taken):]
        return b"".join(out)


def _parse(files: Sequence[_File]) -> pd.DataFrame:
    """The rows of *files* (same header), header lines included as marker rows (``_mark``).

    Text columns are parsed as text; ``_NUMBER_COLUMNS`` are left to pandas, which gives
    numbers when every value in the batch is one (each header cell read as NaN) and text
    otherwise; ``_checked`` checks both the same way.

    Raises ParserError when pandas cannot parse, ValueError when the batch does not split
    into exactly one part per file.
    """
    import numpy as np
    import pandas as pd

    header, cells = files[0].header, files[0].cells
    numbers = {name: [cell] for name, cell in zip(header, cells) if name in _NUMBER_COLUMNS}
    frame = pd.read_csv(_Pieces([file.raw for file in files]), header=None, names=list(header),
                        dtype={name: object for name in header if name not in numbers}, na_values=numbers,
                        keep_default_na=False, skip_blank_lines=True, encoding="utf-8", engine="c",
                        low_memory=False)
    # A header line is a row holding the header's own cells; three text columns tell it apart.
    marks = None
    for name, cell in [(name, cell) for name, cell in zip(header, cells) if name not in numbers][:3]:
        if marks is None:
            marks = frame[name].to_numpy() == cell
            candidates = np.flatnonzero(marks)
        else:
            marks[candidates] &= frame[name].to_numpy()[candidates] == cell
    if marks is None or int(marks.sum()) != len(files) or not marks[:1].all():
        raise ValueError("the files did not split where they should")
    frame["_mark"] = marks
    return frame


def _opened_batches(paths: list[str], problems: dict[str, Finding]) -> Iterator[list[_File]]:
    """Open the files in order, a batch of files with the same header line at a time.

    A batch is given out once it holds ``_BATCH_BYTES`` (so pandas can parse it while the
    next files are read), then the part-filled batches, one per header line, in the order
    their first files came. Files that cannot be merged go into *problems*.
    """
    filling: dict[tuple[str, ...], tuple[list[_File], int]] = {}
    for path in paths:
        file, problem = _open(path)
        if file is None:
            if problem is not None:
                problems[path] = problem
            continue
        batch, size = filling.pop(file.cells, ([], 0))
        batch.append(file)
        size += len(file.raw)
        if size >= _BATCH_BYTES:
            yield batch
        else:
            filling[file.cells] = (batch, size)
    for batch, _ in filling.values():
        yield batch


def _workers() -> int:
    """Threads to parse with: pandas' own ``mode.max_threads`` when set, else the CPUs this process may use (at most 4)."""
    import pandas as pd

    try:
        setting = pd.get_option("mode.max_threads")
    except (KeyError, pd.errors.OptionError):  # pandas before 3.1
        setting = None
    if setting:
        return max(1, int(setting))
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(available, 4))


def _parse_or_none(batch: list[_File]) -> pd.DataFrame | None:
    import pandas as pd

    try:
        return _parse(batch)
    except (pd.errors.ParserError, ValueError):  # UnicodeDecodeError is a ValueError
        return None


def _parse_batches(batches: Iterable[list[_File]], problems: dict[str, Finding]) -> Iterator[tuple[pd.DataFrame, list[_File]]]:
    """Parse batches of files; a batch that fails is parsed file by file, naming the bad ones.

    Batches are parsed on a few threads (pandas parses much of a CSV without holding
    Python's lock) while the next files are read, at most one batch per thread ahead of the
    caller. A generator; the caller lets each batch's bytes go once it is checked, so memory
    stays linear in the rows, the same with or without a bad file.
    """
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    workers = _workers()
    with ThreadPoolExecutor(workers, thread_name_prefix="backlessons-merge") as pool:
        pending: deque[tuple[list[_File], Any]] = deque()
        for batch in batches:
            pending.append((batch, pool.submit(_parse_or_none, batch)))
            if len(pending) > workers:
                yield from _parsed(*pending.popleft(), problems)
        while pending:
            yield from _parsed(*pending.popleft(), problems)


def _parsed(batch: list[_File], parsing: Any, problems: dict[str, Finding]) -> Iterator[tuple[pd.DataFrame, list[_File]]]:
    """The parsed batch, or when it failed, its good files parsed again together."""
    import pandas as pd

    frame = parsing.result()
    if frame is not None:
        yield frame, batch
        return
    # Find the bad files with the same parse, one file at a time (each frame let go at
    # once), then parse the good ones together: memory stays as for a clean batch.
    good: list[_File] = []
    for file in batch:
        try:
            _parse([file])
            good.append(file)
        except UnicodeDecodeError:
            problems[file.path] = _not_utf8(file.path, file.raw)
        except pd.errors.ParserError as err:
            message, row = _pandas_message(err)
            problems[file.path] = Finding(file.path, f"not a valid CSV file ({message})", row=row)
        except ValueError:
            problems[file.path] = Finding(file.path, "not a valid CSV file (a row repeats the header "
                                                     "or a quote is not closed)")
    for file in batch:
        if file.path in problems:
            _release([file])
    if good:
        yield _parse(good), good  # each file parsed on its own, so together they split cleanly


def _release(files: Sequence[_File]) -> None:
    for file in files:
        file.raw = b""


def _pandas_message(err: Exception) -> tuple[str, int | None]:
    """pandas' parse error, and the row it names (pandas' "line N" counts from 1, its "row N" from 0)."""
    text = re.sub(r"\s+", " ", str(err).strip().replace("Error tokenizing data. C error: ", ""))
    line = re.search(r"\bline (\d+)", text)
    row = re.search(r"\brow (\d+)", text)
    return text, int(line.group(1)) if line else int(row.group(1)) + 1 if row else None


# -- checking values ---------------------------------------------------------------------------------


def _numbers(column: pd.Series) -> np.ndarray:
    """A column as float: as pandas read it when it read numbers, else the text converted (NaN: not a number)."""
    import pandas as pd

    if column.dtype.kind in "iuf":
        return column.to_numpy(dtype=float)
    codes, uniques = pd.factorize(column, use_na_sentinel=False)  # converted once per distinct value
    values = pd.to_numeric(pd.Series(uniques, dtype=object).astype(str).str.strip(), errors="coerce")
    return values.to_numpy(dtype=float)[codes]


def _cell_text(file: _File, row: int, column: str) -> str:
    """The cell of *file* at *row* (the header being row 1) as written: what a problem quotes."""
    import pandas as pd

    frame = pd.read_csv(_Pieces([file.raw]), header=None, names=list(file.header), dtype=object,
                        keep_default_na=False, na_filter=False, skip_blank_lines=True, encoding="utf-8", engine="c")
    return frame[column].iat[row - 1]


def _checked(frame: pd.DataFrame, files: list[_File], problems: dict[str, Finding]) -> tuple[dict[str, Any], np.ndarray, list[_File]]:
    """Typed columns of the good files of one parsed batch, each row's file, and those files.

    Each check is one vectorised pass over the batch; a message is built only for the
    first failing row of a file.
    """
    import numpy as np

    marks = frame["_mark"].to_numpy()
    source = np.cumsum(marks) - 1
    data = ~marks
    header_row = np.flatnonzero(marks)
    counts = np.bincount(source, minlength=len(files)) - 1
    bad: dict[int, Finding] = {}
    for index in np.flatnonzero(counts == 0):
        bad[int(index)] = Finding(files[index].path, "no answers (only a header)")
    qids = frame["question_id"].to_numpy()

    def flag(mask: np.ndarray, column: str, what: str) -> None:
        rows = np.flatnonzero(mask & data)
        _, first = np.unique(source[rows], return_index=True)
        for row in rows[first]:
            index = int(source[row])
            if index not in bad:
                number = int(row - header_row[index]) + 1
                value = _cell_text(files[index], number, column) if column in _NUMBER_COLUMNS else frame[column].iat[row]
                bad[index] = Finding(files[index].path, f"{value!r} {what}", row=number, question_id=str(qids[row]),
                                     field=column)

    flag(_numbers(frame["format"]) != EXPORT_FORMAT, "format",
         f"is not a supported export format (expected {EXPORT_FORMAT})")
    # The usual spellings are checked with one comparison each; anything else is looked up.
    correct = frame["correct"].to_numpy()
    is_true = correct == "true"
    if not (is_true | (correct == "false"))[data].all():
        import pandas as pd

        codes, spellings = pd.factorize(correct, use_na_sentinel=False)
        is_true = np.isin(spellings, _TRUE)[codes]
        flag(~(is_true | np.isin(spellings, _FALSE)[codes]), "correct", "is not true or false")
    score = _numbers(frame["score"])
    flag(~((score >= 0) & (score <= 1)), "score", "is not a number between 0 and 1")
    attempt = _numbers(frame["attempt"])
    flag(~((attempt >= 1) & (attempt <= MAX_ATTEMPT) & (np.floor(attempt) == attempt)), "attempt",
         f"is not a whole number from 1 to {MAX_ATTEMPT:,}")
    # A row cut short leaves its last fields empty, so this also catches missing fields.
    for column in ("lesson", "question_id", "time"):
        flag(frame[column].to_numpy() == "", column, "is empty")
    for index, finding in bad.items():
        problems[files[index].path] = finding
    keep = data
    if bad:
        keep = data & ~np.isin(source, np.fromiter(bad, dtype=np.int64))
    columns: dict[str, Any] = {"format": np.full(int(keep.sum()), EXPORT_FORMAT, dtype=np.int64),
                               "correct": is_true[keep], "score": score[keep],
                               "attempt": attempt[keep].astype(np.int64)}
    # Exports neutralise formula-leading cells ('=...); read them back as the learner typed them.
    neutralised = np.array([file.neutralised for file in files])[source[keep]]
    restore_rows = np.flatnonzero(neutralised) if neutralised.any() else None
    for name in _TEXT_COLUMNS:
        values = frame[name].to_numpy(dtype=object)[keep]  # a copy: the batch's frame is let go
        if restore_rows is not None:
            values[restore_rows] = [restore(value) for value in values[restore_rows]]
        columns[name] = values
    return columns, source[keep], files


def _empty_frame() -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame({column: pd.Series(dtype=object) for column in EXPORT_COLUMNS})
    return frame.astype({"format": "int64", "correct": bool, "score": float, "attempt": "int64"})


# -- the whole merge -------------------------------------------------------------------------------


def merge_results(
    inputs: Sequence[str | os.PathLike[str]],
    anonymize: bool = False,
    lessons: Collection[str] | None = None,
) -> MergeResult:
    """Merge exported results from CSV files and folders into a ``MergeResult``.

    The frame keeps ``EXPORT_COLUMNS`` with ``correct`` bool, ``score`` float and
    ``attempt`` int. *lessons* are the lesson ids to expect (None: the shipped lessons);
    answers for other lessons are merged, with a note naming the file.
    """
    import numpy as np
    import pandas as pd

    paths, found = collect_files(inputs)
    problems: dict[str, Finding] = {}

    pieces: list[dict[str, Any]] = []
    sources: list[np.ndarray] = []
    order: list[_File] = []  # file of each source number
    for frame, batch in _parse_batches(_opened_batches(paths, problems), problems):
        columns, source, files = _checked(frame, batch, problems)
        del frame
        _release(batch)  # kept until now to quote a bad number as written
        pieces.append(columns)
        sources.append(source + len(order))
        order.extend(files)
    notes: list[Finding] = []
    if pieces and sum(len(p["score"]) for p in pieces):
        # Text columns stay object arrays of the parsed strings: no copy, no conversion.
        columns = {name: (pieces[0][name] if len(pieces) == 1 else np.concatenate([p[name] for p in pieces]))
                   for name in EXPORT_COLUMNS}
        source = np.concatenate(sources)
        del pieces
        frame = pd.DataFrame({name: pd.Series(values, dtype=values.dtype, copy=False)
                              for name, values in columns.items()}, copy=False)
        del columns
    else:
        frame, source = _empty_frame(), np.zeros(0, dtype=np.int64)

    if len(frame):
        _name_nameless(frame, source, order, notes)
        _learner_notes(frame, source, order, notes)
        _lesson_notes(frame, source, order, notes, lessons)
        duplicated = _duplicates(frame, source)
        removed = int(duplicated.sum())
        if removed:
            frame = frame.loc[~duplicated].reset_index(drop=True)
            source = source[~duplicated]
            notes.append(Finding("", f"removed {removed} duplicate answer(s) (files submitted more than once)"))
        version = frame["backlessons_version"].to_numpy()
        versions = [] if (version == version[0]).all() else sorted(set(pd.unique(version)) - {""})
        if len(versions) > 1:
            notes.append(Finding("", f"answers come from {len(versions)} backlessons versions "
                                     f"({', '.join(versions)}); merged as they are"))
    elif not paths and not found:
        found.append(Finding("", "no CSV files to merge"))
    counts = np.bincount(source, minlength=len(order)) if len(order) else []
    merged_files = {file.path: int(count) for file, count in zip(order, counts) if file.path not in problems}
    if anonymize and len(frame):
        mapping = {name: pseudonym(name) for name in frame["learner"].unique()}
        frame["learner"] = frame["learner"].map(mapping)
    in_order = found + [problems[path] for path in paths if path in problems]
    return MergeResult(frame, in_order, notes, merged_files)


def _name_nameless(frame: pd.DataFrame, source: np.ndarray, order: list[_File], notes: list[Finding]) -> None:
    """A learner who exported without --learner: name the rows after the file, or all would merge into one."""
    import numpy as np

    nameless = frame["learner"].to_numpy() == ""
    if not nameless.any():
        return
    stems = np.array([Path(file.path).stem for file in order], dtype=object)
    learner = frame["learner"].to_numpy(dtype=object).copy()
    learner[nameless] = stems[source[nameless]]
    frame["learner"] = learner
    for index in np.unique(source[nameless]):
        path = order[int(index)].path
        notes.append(Finding(path, f"no learner name in the file; using {Path(path).stem!r}"))


_NOT_ALPHANUMERIC_OR_NUL = re.compile(r"[^0-9a-z\0]")


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def _handin_keys(names: list[str]) -> list[str]:
    """Each name reduced to lower-case letters and digits, to compare a file name with the learner in it.

    One regex pass over the names joined by NUL, which no name holds (files with NUL bytes are
    not merged, and paths cannot hold one).
    """
    return _NOT_ALPHANUMERIC_OR_NUL.sub("", "\0".join(names).lower()).split("\0")


def _handed_in_as(path: str, learner: str) -> bool:
    """Is *path* the file ``backlessons hand-in`` writes for *learner* (``ann_smith-1a2b3c4d.csv`` for 'Ann Smith')?"""
    from backlessons.classroom import is_hand_in_file_of

    return is_hand_in_file_of(os.path.basename(path), learner)


def _learner_notes(frame: pd.DataFrame, source: np.ndarray, order: list[_File], notes: list[Finding]) -> None:
    """Notes on files holding another learner's answers: a learner in several files, several in one file,
    or (when a folder follows the hand-in naming ``<learner>.csv``) a file named after someone else."""
    import numpy as np

    learner = frame["learner"].to_numpy(dtype=object)
    starts = np.flatnonzero(np.r_[True, source[1:] != source[:-1]])
    changes_inside = (learner[1:] != learner[:-1]) & (source[1:] == source[:-1])
    mixed = set(source[1:][changes_inside].tolist())
    for index in sorted(mixed):
        names = sorted(set(learner[source == index]))
        notes.append(Finding(order[index].path, f"holds the answers of {len(names)} learners "
                                                f"({', '.join(map(repr, names[:5]))}); merged"))
    first = dict(zip(source[starts].tolist(), learner[starts].tolist()))
    files_of: dict[str, list[int]] = {}
    for index, name in first.items():
        files_of.setdefault(name, []).append(index)
    for name, indexes in files_of.items():
        if len(indexes) > 1:
            listed = ", ".join(order[i].path for i in indexes)
            notes.append(Finding(order[indexes[0]].path, f"learner {name!r} is in {len(indexes)} files ({listed}); "
                                                         f"their answers are merged, repeats removed"))
    # Each file's name and learner compared as hand-in keys, a thousand at a time with one regex pass each.
    indexes_in_order = list(first)
    file_keys = _handin_keys([_stem(order[i].path) for i in indexes_in_order])
    learner_keys = _handin_keys([first[i] for i in indexes_in_order])
    named_after = {i: file_key == learner_key or _handed_in_as(order[i].path, first[i])
                   for i, file_key, learner_key in zip(indexes_in_order, file_keys, learner_keys)}
    folders: dict[str, list[int]] = {}
    for index in first:
        folders.setdefault(os.path.dirname(order[index].path), []).append(index)
    for indexes in folders.values():
        matches = [named_after[i] for i in indexes]
        if len(indexes) < 2 or sum(matches) * 2 < len(indexes):
            continue  # this folder does not follow the <learner>.csv naming
        for i, match in zip(indexes, matches):
            if not match and i not in mixed:
                notes.append(Finding(order[i].path, f"named {Path(order[i].path).stem!r} but holds the answers of "
                                                    f"{first[i]!r} (another learner's file?); merged under "
                                                    f"{first[i]!r}"))


def _lesson_notes(frame: pd.DataFrame, source: np.ndarray, order: list[_File], notes: list[Finding],
                  lessons: Collection[str] | None) -> None:
    import numpy as np

    if lessons is None:
        from backlessons.quiz import shipped_banks

        lessons = shipped_banks()
    import pandas as pd

    known = set(lessons)
    if known.issuperset(pd.unique(frame["lesson"])):  # the usual case, found without codes for every row
        return
    codes, names = pd.factorize(frame["lesson"])
    unknown_codes = [code for code, name in enumerate(names) if name not in known]
    if not unknown_codes:
        return
    unknown = np.isin(codes, unknown_codes)
    # One (file, lesson) pair per file and unknown lesson, in file order: vectorised, as a class has 100k rows.
    pairs_code = np.unique(source[unknown].astype(np.int64) * len(names) + codes[unknown])
    pairs = [(int(pair // len(names)), names[int(pair % len(names))]) for pair in pairs_code]
    for index, lesson in pairs:
        notes.append(Finding(order[index].path, f"lesson {lesson!r} is not a shipped lesson (an own bank, or a file "
                                                f"from another course?); merged"))


def _duplicates(frame: pd.DataFrame, source: np.ndarray) -> np.ndarray:
    """Rows repeating an earlier row's ``DEDUP_KEY``.

    The full check hashes five text columns. It is skipped when duplicates are
    impossible, the usual case: each file holds one learner, no learner is in two files,
    and within each file times never go back and no two neighbouring rows share a time.
    """
    import numpy as np

    def full() -> np.ndarray:
        return frame.duplicated(subset=list(DEDUP_KEY), keep="first").to_numpy()

    if len(frame) < 2:
        return np.zeros(len(frame), dtype=bool)
    same_file = source[1:] == source[:-1]
    learner = frame["learner"].to_numpy(dtype=object)
    firsts = learner[np.flatnonzero(np.r_[True, ~same_file])]
    if len(set(firsts)) != len(firsts) or ((learner[1:] != learner[:-1]) & same_file).any():
        return full()
    times = frame["time"].to_numpy(dtype=object)
    if ((times[1:] <= times[:-1]) & same_file).any():
        return full()
    return np.zeros(len(frame), dtype=bool)


def merged_csv_text(frame: pd.DataFrame) -> str:
    """The merged table as CSV text, formula-leading text cells neutralised (``backlessons.csvfile``)."""
    from backlessons.csvfile import neutralise_frame

    return neutralise_frame(frame, _TEXT_COLUMNS).to_csv(index=False, lineterminator="\n")
