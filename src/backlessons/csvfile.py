"""Writing CSV files an instructor can open in a spreadsheet safely, and without losing the old file.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (CSV injection). Every CSV the package writes goes through
:func:`neutralise` (the OWASP convention: such a text cell gets a leading ``'``), and is
written with :func:`write_atomic`, so an interrupted or failed write never leaves a half
file where a good one was.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "FORMULA_PREFIXES",
    "may_hold_neutralised",
    "neutralise",
    "neutralise_frame",
    "restore",
    "rows_to_csv",
    "write_atomic",
]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Return ``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula.

    Numbers (int, float, bool) are returned unchanged: ``-14`` is a number, not a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """Undo :func:`neutralise` for a cell read back from one of our CSV files.

    Only a ``'`` followed by a formula character is dropped, so ``'quoted'`` text stays.
    """
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


_NEUTRALISED = re.compile(b"'[" + re.escape("".join(FORMULA_PREFIXES).encode()) + b"]")


def may_hold_neutralised(raw: bytes) -> bool:
    """Might some cell of this CSV file's bytes need :func:`restore`? (False means certainly not.)"""
    return b"'" in raw and _NEUTRALISED.search(raw) is not None


def neutralise_frame(frame: "Any", columns: Iterable[str] | None = None) -> "Any":
    """A copy of a pandas frame whose text cells (in ``columns``, default every non-numeric column) are neutralised."""
    from pandas.api.types import is_numeric_dtype

    out = frame.copy()
    names = list(columns) if columns is not None else [c for c in out.columns if not is_numeric_dtype(out[c])]
    for name in names:
        if name in out.columns:
            out[name] = out[name].map(neutralise)
    return out


def rows_to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text (``\\n`` line ends) of ``header`` and ``rows``, every cell neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def write_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename.

    Either the whole new file is there afterwards, or the old one is untouched.
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target
