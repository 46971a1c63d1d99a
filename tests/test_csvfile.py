"""Does every CSV the package writes neutralise spreadsheet formulas and replace files atomically?"""

from __future__ import annotations

import csv
import io
import os

import pandas as pd
import pytest

from backlessons.csvfile import neutralise, neutralise_frame, rows_to_csv, write_atomic


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","Grade")', '\'=HYPERLINK("http://x","Grade")'),
        ("+1", "'+1"),
        ("-14", "'-14"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Ana", "Ana"),
        ("", ""),
        (-14, -14),
        (0.5, 0.5),
        (None, None),
    ],
)
def test_neutralise_prefixes_formula_text_only(value, expected):
    """Is text that a spreadsheet would run prefixed with ', and everything else left alone?"""
    assert neutralise(value) == expected


def test_rows_to_csv_neutralises_every_text_cell():
    """Does a formula in any column come back from the CSV with its leading quote?"""
    text = rows_to_csv(["learner", "score"], [["=1+1", 1.0], ["Bo", -1]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["learner", "score"], ["'=1+1", "1.0"], ["Bo", "-1"]]


def test_neutralise_frame_touches_text_columns_only():
    """Are object columns neutralised while numeric columns keep their values?"""
    frame = pd.DataFrame({"learner": ["=cmd", "Ana"], "score": [-1.0, 0.5]})
    out = neutralise_frame(frame)
    assert list(out["learner"]) == ["'=cmd", "Ana"]
    assert list(out["score"]) == [-1.0, 0.5]
    assert list(frame["learner"]) == ["=cmd", "Ana"]  # the input is not changed


def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    """If the write fails half way, is the old file untouched and no temp file left behind?"""
    target = tmp_path / "class.csv"
    target.write_text("old\n", encoding="utf-8")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["class.csv"]


def test_write_atomic_replaces_the_file(tmp_path):
    """Does a successful write leave exactly the new text?"""
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"


@pytest.mark.parametrize("value", ["=1+1", "-14", "+x", "@a", "\tcmd", "'quoted'", "Ann", "", "'"])
def test_restore_undoes_neutralise(value):
    """Does reading a neutralised cell back give what was written, and leave other quotes alone?"""
    from backlessons.csvfile import restore

    assert restore(neutralise(value)) == value
    assert restore("'quoted'") == "'quoted'"


def test_may_hold_neutralised_finds_only_quote_then_formula_character():
    """Is a file flagged exactly when a ' is followed by a formula character?"""
    from backlessons.csvfile import may_hold_neutralised

    assert may_hold_neutralised(b"a,'-14\n") and may_hold_neutralised(b"a,'\tx\n")
    assert not may_hold_neutralised(b"a,it's fine\n") and not may_hold_neutralised(b"a,-14\n")
