"""Tests for backlessons.instructor.results: merging learners' exported CSV files."""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backlessons.instructor import results
from backlessons.instructor.results import PSEUDONYM_SALT, merge_results, pseudonym
from backlessons.progress import EXPORT_COLUMNS

from .conftest import FIXTURES, export_rows

DEFECTS = {
    "empty-file.csv": "empty file",
    "header-only-no-answers.csv": "no answers (only a header)",
    "missing-question-id-column.csv": "not a backlessons export: missing column(s) question_id",
    "format-2-export.csv": "row 2: format: '2' is not a supported export format (expected 1)",
    "score-not-a-number.csv": "row 3: score: 'lots' is not a number between 0 and 1",
    "too-many-fields-in-a-row.csv": "row 2: 13 fields, but the header has 12",
    "unclosed-quote.csv": "not a valid CSV file",
    "row-cut-short.csv": "row 3: time: '' is empty",
    "png-image-named-csv.csv": "not a CSV text file (binary data)",
    "latin1-not-utf8.csv": "not a CSV text file (not UTF-8)",
}


def _good(write_export, name="ana.csv", learner="ana"):
    return write_export(name, export_rows(learner, [
        ("01_causes", "posture-as-cause", False, 1, 0, "B. wrong"),
        ("01_causes", "posture-as-cause", True, 2, 1),
        ("01_causes", "core-weakness-risk-factor", True, 1, 2),
    ]))


def test_a_real_export_merges_with_typed_columns(real_export):
    """Does a file written by ProgressStore.export_csv merge, with bool, float and int columns?"""
    path = real_export("ana.csv", "Ana")
    merged, problems = merge_results([path])
    assert problems == []
    assert list(merged.columns) == list(EXPORT_COLUMNS)
    assert len(merged) == 3
    assert merged["correct"].tolist() == [False, True, True]
    assert merged["score"].tolist() == [0.0, 1.0, 1.0]
    assert merged["attempt"].tolist() == [1, 2, 1]
    assert merged["response"].tolist()[2] == "[0,1]"
    assert set(merged["learner"]) == {"Ana"}


@pytest.mark.parametrize("name, message", sorted(DEFECTS.items()))
def test_each_bad_file_is_reported_in_one_line_and_skipped(tmp_path, write_export, name, message):
    """Is each unusable file skipped with one 'PATH: problem' line, while good files still merge?"""
    good = _good(write_export)
    bad = tmp_path / name
    shutil.copy(FIXTURES / name, bad)
    merged, problems = merge_results([good, bad])
    # One line per bad file; the csv module's own wording follows "not a valid CSV file".
    assert len(problems) == 1 and problems[0].startswith(f"{bad}: {message}")
    assert set(merged["learner"]) == {"ana"} and len(merged) == 3


def test_bad_files_in_a_folder_do_not_stop_the_merge(tmp_path, write_export):
    """With every defect in one folder, are all reported and the good files merged in sorted order?"""
    folder = tmp_path / "class"
    folder.mkdir()
    for name in DEFECTS:
        shutil.copy(FIXTURES / name, folder / name)
    _good(write_export, "class/zoe.csv", "zoe")
    _good(write_export, "class/sub/bea.csv", "bea")
    merged, problems = merge_results([folder])
    assert len([p for p in problems if not p.startswith("note:")]) == len(DEFECTS)
    assert merged["learner"].unique().tolist() == ["bea", "zoe"]  # class/sub/bea.csv sorts before class/zoe.csv


def test_an_empty_folder_is_reported(tmp_path):
    """Is an empty folder reported, giving an empty table with the export columns?"""
    empty = tmp_path / "nothing"
    empty.mkdir()
    merged, problems = merge_results([empty])
    assert problems == [f"{empty}: no CSV files in this folder", "no CSV files to merge"]
    assert merged.empty and list(merged.columns) == list(EXPORT_COLUMNS)


def test_a_missing_path_is_reported(tmp_path):
    """Is a path that does not exist reported by name?"""
    merged, problems = merge_results([tmp_path / "gone.csv"])
    assert problems[0] == f"{tmp_path / 'gone.csv'}: no such file or folder"
    assert merged.empty


def test_a_file_sent_twice_counts_once(tmp_path, write_export):
    """Are identical re-submitted files de-duplicated, with one note saying so?"""
    first = _good(write_export, "ana.csv")
    second = tmp_path / "ana (1).csv"
    shutil.copy(first, second)
    merged, problems = merge_results([first, second])
    assert len(merged) == 3
    assert problems == ["note: removed 3 duplicate answer(s) (files submitted more than once)"]


def test_repeated_rows_of_one_learner_in_a_later_export_count_once(write_export):
    """When a learner exports again after more work, are the old rows kept once and the new ones added?"""
    early = _good(write_export, "ana-monday.csv")
    later_rows = export_rows("ana", [
        ("01_causes", "posture-as-cause", False, 1, 0, "B. wrong"),
        ("01_causes", "posture-as-cause", True, 2, 1),
        ("01_causes", "core-weakness-risk-factor", True, 1, 2),
        ("02_running_and_the_spine", "grf-running", True, 1, 3),
    ])
    later = write_export("ana-friday.csv", later_rows)
    merged, _ = merge_results([early, later])
    assert len(merged) == 4
    assert not merged.duplicated(["learner", "lesson", "question_id", "attempt", "time"]).any()


def test_same_question_and_attempt_at_other_times_are_both_kept(write_export):
    """Are two answers that differ only in time (a reset and a retry) both kept?"""
    rows = export_rows("ana", [("01_causes", "posture-as-cause", True, 1, 0), ("01_causes", "posture-as-cause", True, 1, 9)])
    merged, problems = merge_results([write_export("ana.csv", rows)])
    assert len(merged) == 2 and problems == []


def test_mixed_versions_are_merged_with_one_note(write_export):
    """Are files from different backlessons versions merged, with one line naming the versions?"""
    a = write_export("a.csv", export_rows("ana", [("01_causes", "q1", True, 1, 0)], version="0.1.0"))
    b = write_export("b.csv", export_rows("ben", [("01_causes", "q1", False, 1, 0)], version="0.2.0"))
    merged, problems = merge_results([a, b])
    assert len(merged) == 2
    assert problems == ["note: answers come from 2 backlessons versions (0.1.0, 0.2.0); merged as they are"]
    assert sorted(merged["backlessons_version"]) == ["0.1.0", "0.2.0"]


def test_reordered_and_extra_columns_are_accepted(write_export):
    """Does a file whose columns a spreadsheet reordered (plus an extra column) still merge?"""
    header = list(reversed(EXPORT_COLUMNS)) + ["comment"]
    rows = [list(reversed(row)) + ["re-saved"] for row in export_rows("ana", [("01_causes", "q1", True, 1, 0)])]
    merged, problems = merge_results([write_export("ana.csv", rows, header=header)])
    assert problems == []
    assert merged.loc[0, "question_id"] == "q1" and merged.loc[0, "learner"] == "ana"
    assert bool(merged.loc[0, "correct"]) is True


def test_a_file_without_learner_name_is_named_after_the_file(write_export):
    """Does an export made without --learner get the file name as learner, with a note?"""
    path = write_export("carl.csv", export_rows("", [("01_causes", "q1", True, 1, 0)]))
    merged, problems = merge_results([path])
    assert merged["learner"].tolist() == ["carl"]
    assert problems == [f"{path}: no learner name in the file; using 'carl'"]


def test_merged_output_merges_again_unchanged(tmp_path, write_export, real_export):
    """Is a merged CSV itself a valid input, giving the same table (so merges can be chained)?"""
    merged, _ = merge_results([_good(write_export), real_export("x/bo.csv", "Bo")])
    out = tmp_path / "class.csv"
    merged.to_csv(out, index=False)
    again, problems = merge_results([out])
    assert problems == []
    pd.testing.assert_frame_equal(again, merged)


def test_anonymize_is_stable_and_distinct(write_export):
    """Do pseudonyms stay the same across calls, differ between names, and hide the names?"""
    a = write_export("a.csv", export_rows("Ana Silva", [("01_causes", "q1", True, 1, 0)]))
    b = write_export("b.csv", export_rows("Ben Okafor", [("01_causes", "q1", True, 1, 0)]))
    first, _ = merge_results([a, b], anonymize=True)
    second, _ = merge_results([b, a], anonymize=True)
    assert set(first["learner"]) == set(second["learner"])
    names = first["learner"].tolist()
    assert len(set(names)) == 2
    assert all(name.startswith("learner-") and len(name) == len("learner-") + 8 for name in names)
    assert "Ana Silva" not in first.to_csv() and "Ben Okafor" not in first.to_csv()
    assert pseudonym("Ana Silva") == names[0]


def test_pseudonym_matches_the_documented_formula():
    """Is the pseudonym 'learner-' plus the first 8 hex digits of sha256(salt + name)?"""
    import hashlib

    digest = hashlib.sha256(f"{PSEUDONYM_SALT}Ana".encode()).hexdigest()
    assert pseudonym("Ana") == "learner-" + digest[:8]
    assert pseudonym("Ana") != pseudonym("ana")


def test_a_row_repeated_inside_one_file_counts_once(write_export):
    """Is a row repeated within a single file (same learner, question, attempt, time) kept once?"""
    rows = export_rows("ana", [("01_causes", "q1", False, 1, 0), ("01_causes", "q2", True, 1, 5)])
    path = write_export("ana.csv", [rows[0], rows[1], rows[0]])
    merged, problems = merge_results([path])
    assert len(merged) == 2
    assert problems == ["note: removed 1 duplicate answer(s) (files submitted more than once)"]


def test_rows_out_of_time_order_are_all_kept(write_export):
    """Are distinct answers kept when a file lists them out of time order?"""
    rows = export_rows("ana", [("01_causes", "q1", True, 1, 9), ("01_causes", "q2", True, 1, 0),
                               ("01_causes", "q3", True, 1, 9)])
    merged, problems = merge_results([write_export("ana.csv", rows)])
    assert len(merged) == 3 and problems == []


def test_clean_exports_take_the_typed_parse(tmp_path, real_export):
    """Do files as `progress export` writes them go through the fast typed parse, not the row checks?"""
    files = [real_export(f"{name}.csv", name) for name in ("Ana", "Bo", "Cy")]
    # A file whose last line has no line break (say, saved by an editor) is still clean.
    files[0].write_bytes(files[0].read_bytes().rstrip(b"\r\n"))
    parsed = results._parse_clean(path.read_bytes() for path in files)
    assert parsed is not None
    frame, source = parsed
    assert frame["learner"].tolist() == ["Ana"] * 3 + ["Bo"] * 3 + ["Cy"] * 3
    assert source.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert frame["format"].tolist() == [1] * 9


# Values as `progress export` (or a spreadsheet re-save) writes them, and odd values a
# file could also hold. Most generated files are clean, so the typed parse gets real
# use; a few damaged fields send it back to the row checks. Both must give the same.
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=8)
_CLEAN = {
    "format": st.just("1"),
    "lesson": st.sampled_from(["01_causes", "02_running", "a,b"]),
    "question_id": st.sampled_from(["q1", "q2", 'q"3"']),
    "question_type": st.just("single"),
    "response": _TEXT,
    "response_text": _TEXT,
    "correct": st.sampled_from(["true", "false", "True", "False"]),
    "score": st.one_of(st.sampled_from(["1", "0", "0.5", "1.0"]), st.floats(0, 1).map(repr)),
    "attempt": st.sampled_from(["1", "2", "10"]),
    "time": st.sampled_from([f"2026-03-01T09:0{minute}:00+00:00" for minute in range(4)]),
    "backlessons_version": st.sampled_from(["0.1.0", "0.2.0"]),
}
_ODD = {
    "format": ["1.0", " 1", "2", "0", "-1", "x", ""],
    "learner": [""],
    "lesson": [""],
    "question_id": [""],
    "correct": ["1", "0", " true", "yes", "TRUE", ""],
    "score": [" 0.5", "1e-1", "nan", "inf", "-0.1", "2", "abc", ""],
    "attempt": ["1.0", " 2", "0", "-1", "1.5", "x", "99999999999999999999", ""],
    "time": [""],
    "response_text": ["a\x00b"],  # binary data
}
_NAMES = st.sampled_from(["ana", "Ben O'Neil", 'zoë, "z"'])
_FILE = st.tuples(_NAMES, st.lists(st.fixed_dictionaries(_CLEAN), min_size=1, max_size=4))
_DAMAGE = st.lists(st.tuples(st.integers(0, 15), st.sampled_from([(column, value) for column, values in _ODD.items()
                                                                  for value in values])), max_size=3)


def _merge_both_ways(rows_per_file: list[list[dict[str, str]]]):
    """Write one export per learner; merge with the typed parse and with the row checks alone."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for index, answers in enumerate(rows_per_file):
            path = Path(tmp) / f"learner-{index}.csv"
            with open(path, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(EXPORT_COLUMNS)
                writer.writerows([row[name] for name in EXPORT_COLUMNS] for row in answers)
            paths.append(path)
        fast = merge_results(paths)
        with mock.patch.object(results, "_parse_clean", lambda chunks: None):
            slow = merge_results(paths)
    return fast, slow


def _assert_same(fast, slow):
    assert fast[1] == slow[1]
    pd.testing.assert_frame_equal(fast[0], slow[0])


@pytest.mark.parametrize("column, value", [(column, value) for column, values in _ODD.items() for value in values])
@pytest.mark.parametrize("row", [0, 1], ids=["first-row", "later-row"])
def test_each_odd_value_gets_the_same_verdict_from_both_parses(column, value, row):
    """Is a file with one odd value merged or rejected alike by the typed parse and the row checks?"""
    def answers(learner):
        return [{"format": "1", "learner": learner, "lesson": "01_causes",
                 "question_id": f"q{i}", "question_type": "single", "response": "0", "response_text": "A. x",
                 "correct": "true", "score": "1", "attempt": "1", "time": f"2026-03-01T09:0{i}:00+00:00",
                 "backlessons_version": "0.1.0"} for i in range(3)]
    files = [answers("ana"), answers("ben")]
    files[1][row][column] = value
    _assert_same(*_merge_both_ways(files))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_FILE, min_size=1, max_size=4), _DAMAGE)
def test_the_typed_parse_and_the_row_checks_agree(files, damage):
    """For any files, is the merge the same with the fast typed parse as with the row checks alone?"""
    rows = [[{**row, "learner": learner} for row in answers] for learner, answers in files]
    flat = [row for answers in rows for row in answers]
    for at, (column, value) in damage:
        flat[at % len(flat)][column] = value
    _assert_same(*_merge_both_ways(rows))


def test_an_attempt_too_large_for_a_count_is_reported(write_export):
    """Is an absurd attempt number reported by row and field, rather than overflowing the int column?"""
    rows = export_rows("ana", [("01_causes", "q1", True, 1, 0), ("01_causes", "q2", True, 1, 1)])
    rows[1][EXPORT_COLUMNS.index("attempt")] = "99999999999999999999"
    path = write_export("ana.csv", rows)
    merged, problems = merge_results([path])
    assert merged.empty
    assert problems == [f"{path}: row 3: attempt: '99999999999999999999' is not a whole number from 1 to 1,000,000"]
