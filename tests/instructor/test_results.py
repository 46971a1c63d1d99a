"""Tests for backlessons.instructor.results: merging learners' exported CSV files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

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
