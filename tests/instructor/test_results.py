"""Tests for backlessons.instructor.results: merging learners' exported CSV files."""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path

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
    "missing-question-id-column.csv": ":1: not a backlessons export: missing column(s) question_id",
    "format-2-export.csv": ":2: posture-as-cause: format: '2' is not a supported export format (expected 1)",
    "score-not-a-number.csv": ":3: core-weakness-risk-factor: score: 'lots' is not a number between 0 and 1",
    "too-many-fields-in-a-row.csv": ":2: not a valid CSV file (Expected 12 fields in line 2, saw 13)",
    "unclosed-quote.csv": ":2: not a valid CSV file",
    "row-cut-short.csv": ":3: core-weakness-risk-factor: time: '' is empty",
    "png-image-named-csv.csv": "not a CSV text file (binary data)",
    "latin1-not-utf8.csv": ":2: not a CSV text file (not UTF-8)",
}
SHIPPED = ("01_causes", "02_running_and_the_spine")


def merge(inputs, **kwargs):
    """merge_results with the test lessons known, as (frame, problem lines, note lines)."""
    kwargs.setdefault("lessons", SHIPPED)
    result = merge_results(inputs, **kwargs)
    return result.frame, [str(p) for p in result.problems], [str(n) for n in result.notes]


def _good(write_export, name="ana.csv", learner="ana"):
    return write_export(name, export_rows(learner, [
        ("01_causes", "posture-as-cause", False, 1, 0, "B. wrong"),
        ("01_causes", "posture-as-cause", True, 2, 1),
        ("01_causes", "core-weakness-risk-factor", True, 1, 2),
    ]))


def test_a_real_export_merges_with_typed_columns(real_export):
    """Does a file written by ProgressStore.export_csv merge, with bool, float and int columns?"""
    path = real_export("ana.csv", "Ana")
    merged, problems, notes = merge([path])
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
    merged, problems, notes = merge([good, bad])
    # One line per bad file; the csv module's own wording follows "not a valid CSV file".
    assert len(problems) == 1 and problems[0].startswith(f"{bad}{message}" if message.startswith(":")
                                                         else f"{bad}: {message}")
    assert set(merged["learner"]) == {"ana"} and len(merged) == 3


def test_bad_files_in_a_folder_do_not_stop_the_merge(tmp_path, write_export):
    """With every defect in one folder, are all reported and the good files merged in sorted order?"""
    folder = tmp_path / "class"
    folder.mkdir()
    for name in DEFECTS:
        shutil.copy(FIXTURES / name, folder / name)
    _good(write_export, "class/zoe.csv", "zoe")
    _good(write_export, "class/sub/bea.csv", "bea")
    merged, problems, notes = merge([folder])
    assert len(problems) == len(DEFECTS)
    assert merged["learner"].unique().tolist() == ["bea", "zoe"]  # class/sub/bea.csv sorts before class/zoe.csv


def test_an_empty_folder_is_reported(tmp_path):
    """Is an empty folder reported, giving an empty table with the export columns?"""
    empty = tmp_path / "nothing"
    empty.mkdir()
    merged, problems, notes = merge([empty])
    assert problems == [f"{empty}: no CSV files in this folder"]
    assert merged.empty and list(merged.columns) == list(EXPORT_COLUMNS)


def test_a_missing_path_is_reported(tmp_path):
    """Is a path that does not exist reported by name?"""
    merged, problems, notes = merge([tmp_path / "gone.csv"])
    assert problems[0] == f"{tmp_path / 'gone.csv'}: no such file or folder"
    assert merged.empty


def test_a_file_sent_twice_counts_once(tmp_path, write_export):
    """Are identical re-submitted files de-duplicated, with one note saying so?"""
    first = _good(write_export, "ana.csv")
    second = tmp_path / "ana (1).csv"
    shutil.copy(first, second)
    merged, problems, notes = merge([first, second])
    assert len(merged) == 3
    assert problems == []
    assert notes[-1] == "removed 3 duplicate answer(s) (files submitted more than once)"
    assert any("learner 'ana' is in 2 files" in note for note in notes)


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
    merged, _, _ = merge([early, later])
    assert len(merged) == 4
    assert not merged.duplicated(["learner", "lesson", "question_id", "attempt", "time"]).any()


def test_same_question_and_attempt_at_other_times_are_both_kept(write_export):
    """Are two answers that differ only in time (a reset and a retry) both kept?"""
    rows = export_rows("ana", [("01_causes", "posture-as-cause", True, 1, 0), ("01_causes", "posture-as-cause", True, 1, 9)])
    merged, problems, notes = merge([write_export("ana.csv", rows)])
    assert len(merged) == 2 and problems == []


def test_mixed_versions_are_merged_with_one_note(write_export):
    """Are files from different backlessons versions merged, with one line naming the versions?"""
    a = write_export("a.csv", export_rows("ana", [("01_causes", "q1", True, 1, 0)], version="0.1.0"))
    b = write_export("b.csv", export_rows("ben", [("01_causes", "q1", False, 1, 0)], version="0.2.0"))
    merged, problems, notes = merge([a, b])
    assert len(merged) == 2
    assert problems == []
    assert notes == ["answers come from 2 backlessons versions (0.1.0, 0.2.0); merged as they are"]
    assert sorted(merged["backlessons_version"]) == ["0.1.0", "0.2.0"]


def test_reordered_and_extra_columns_are_accepted(write_export):
    """Does a file whose columns a spreadsheet reordered (plus an extra column) still merge?"""
    header = list(reversed(EXPORT_COLUMNS)) + ["comment"]
    rows = [list(reversed(row)) + ["re-saved"] for row in export_rows("ana", [("01_causes", "q1", True, 1, 0)])]
    merged, problems, notes = merge([write_export("ana.csv", rows, header=header)])
    assert problems == []
    assert merged.loc[0, "question_id"] == "q1" and merged.loc[0, "learner"] == "ana"
    assert bool(merged.loc[0, "correct"]) is True


def test_a_header_with_spaces_and_a_bom_still_merges(tmp_path, write_export):
    """Does a file re-saved with a BOM, spaces around column names and CRLF line ends merge?"""
    text = _good(write_export).read_text(encoding="utf-8").replace(",", ", ", 3).replace("\n", "\r\n")
    path = tmp_path / "resaved.csv"
    path.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    merged, problems, _ = merge([path, _good(write_export, "ben.csv", "ben")])
    assert problems == [] and len(merged) == 6


def test_a_file_without_learner_name_is_named_after_the_file(write_export):
    """Does an export made without --learner get the file name as learner, with a note?"""
    path = write_export("carl.csv", export_rows("", [("01_causes", "q1", True, 1, 0)]))
    merged, problems, notes = merge([path])
    assert merged["learner"].tolist() == ["carl"]
    assert problems == [] and notes == [f"{path}: no learner name in the file; using 'carl'"]


def test_merged_output_merges_again_unchanged(tmp_path, write_export, real_export):
    """Is a merged CSV itself a valid input, giving the same table (so merges can be chained)?"""
    merged, _, _ = merge([_good(write_export), real_export("x/bo.csv", "Bo")])
    out = tmp_path / "class.csv"
    out.write_text(results.merged_csv_text(merged), encoding="utf-8")
    again, problems, notes = merge([out])
    assert problems == []
    pd.testing.assert_frame_equal(again, merged)


def test_anonymize_is_stable_and_distinct(write_export):
    """Do pseudonyms stay the same across calls, differ between names, and hide the names?"""
    a = write_export("a.csv", export_rows("Ana Silva", [("01_causes", "q1", True, 1, 0)]))
    b = write_export("b.csv", export_rows("Ben Okafor", [("01_causes", "q1", True, 1, 0)]))
    first, _, _ = merge([a, b], anonymize=True)
    second, _, _ = merge([b, a], anonymize=True)
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
    merged, problems, notes = merge([path])
    assert len(merged) == 2
    assert problems == [] and notes == ["removed 1 duplicate answer(s) (files submitted more than once)"]


def test_rows_out_of_time_order_are_all_kept(write_export):
    """Are distinct answers kept when a file lists them out of time order?"""
    rows = export_rows("ana", [("01_causes", "q1", True, 1, 9), ("01_causes", "q2", True, 1, 0),
                               ("01_causes", "q3", True, 1, 9)])
    merged, problems, notes = merge([write_export("ana.csv", rows)])
    assert len(merged) == 3 and problems == []


# Values as `progress export` (or a spreadsheet re-save) writes them, and odd values a
# file could also hold. Files merged together share one pandas parse, where a column of
# numbers is read as numbers unless some value in the batch is not one; merged alone,
# each file gets its own parse. The results must not depend on that.
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




def _write_files(folder: Path, rows_per_file: list[list[dict[str, str]]]) -> list[Path]:
    paths = []
    for index, answers in enumerate(rows_per_file):
        path = folder / f"learner-{index}.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(EXPORT_COLUMNS)
            writer.writerows([row[name] for name in EXPORT_COLUMNS] for row in answers)
        paths.append(path)
    return paths


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_FILE, min_size=1, max_size=4), _DAMAGE)
def test_files_merged_together_give_what_each_gives_alone(files, damage):
    """For any files, is the batched merge the same as merging each file on its own and concatenating?"""
    rows = [[{**row, "learner": learner} for row in answers] for learner, answers in files]
    flat = [row for answers in rows for row in answers]
    for at, (column, value) in damage:
        flat[at % len(flat)][column] = value
    with tempfile.TemporaryDirectory() as tmp:
        paths = _write_files(Path(tmp), rows)
        together = merge_results(paths, lessons=())
        alone = [merge_results([path], lessons=()) for path in paths]
    assert [str(p) for p in together.problems] == [str(p) for one in alone for p in one.problems]
    frames = [one.frame for one in alone if len(one.frame)]
    expected = pd.concat(frames, ignore_index=True) if frames else together.frame
    expected = expected.drop_duplicates(list(results.DEDUP_KEY)).reset_index(drop=True)
    pd.testing.assert_frame_equal(together.frame.reset_index(drop=True), expected, check_dtype=False)


# Whether each odd value is one the merge accepts (the rest make the file's problem).
_ACCEPTED = {("format", "1.0"), ("format", " 1"), ("learner", ""), ("correct", "1"), ("correct", "0"),
             ("correct", "TRUE"), ("score", " 0.5"), ("score", "1e-1"), ("attempt", "1.0"), ("attempt", " 2")}
# The order the merge checks fields in: a file's problem is its first failing check, at the first row failing it.
_CHECK_ORDER = ("format", "correct", "score", "attempt", "lesson", "question_id", "time")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_FILE, min_size=1, max_size=5), _DAMAGE)
def test_damaged_fields_are_named_by_file_row_and_field_and_no_clean_row_is_lost(files, damage):
    """For any class with damaged fields, is each damaged file named at its first bad row and field, and every answer of the other files merged?"""
    rows = [[{**row, "learner": learner} for row in answers] for learner, answers in files]
    where = [(index, number) for index, answers in enumerate(rows) for number in range(len(answers))]
    for at, (column, value) in damage:
        index, number = where[at % len(where)]
        rows[index][number][column] = value
    with tempfile.TemporaryDirectory() as tmp:
        paths = _write_files(Path(tmp), rows)
        result = merge_results([tmp], lessons=())
    expected_problems, kept = [], set()
    for path, answers in zip(paths, rows):
        if any("\x00" in row["response_text"] for row in answers):
            expected_problems.append((str(path), None, "", "not a CSV text file (binary data)"))
            continue
        bad = [(_CHECK_ORDER.index(column), number, column) for number, row in enumerate(answers)
               for column, value in row.items() if (column, value) not in _ACCEPTED
               and column in _ODD and value in _ODD[column] and column in _CHECK_ORDER]
        if bad:
            _, number, column = min(bad)
            row = answers[number]
            expected_problems.append((str(path), number + 2, column, repr(row[column]), row["question_id"]))
            continue
        kept |= {(row["learner"] or path.stem, row["lesson"], row["question_id"], int(float(row["attempt"])),
                  row["time"]) for row in answers}
    problems = sorted(result.problems, key=lambda p: p.file)
    assert len(problems) == len(expected_problems)
    for problem, expected in zip(problems, expected_problems):
        assert (problem.file, problem.row, problem.field) == expected[:3]
        if expected[1] is None:
            assert problem.message == expected[3]
        else:
            assert problem.message.startswith(f"{expected[3]} ") and problem.question_id == expected[4]
    frame = result.frame
    merged = set(zip(frame["learner"], frame["lesson"], frame["question_id"], frame["attempt"].astype(int), frame["time"]))
    assert merged == kept and len(frame) == len(kept)
    assert set(result.merged_files) == {str(path) for path in paths} - {p.file for p in result.problems}


@pytest.mark.parametrize("batch_bytes", [1, 700])
def test_small_batches_parsed_on_threads_give_the_same_merge(tmp_path, write_export, monkeypatch, batch_bytes):
    """Cut into many batches (parsed side by side on threads, two header lines, a bad file), is the merge the same as in one batch?"""
    for i in range(7):
        _good(write_export, f"class/l{i}.csv", f"l{i}")
    header = list(reversed(EXPORT_COLUMNS))
    write_export("class/m-reordered.csv", [list(reversed(row)) for row in export_rows("m", [("01_causes", "q1", True, 1, 0)])],
                 header=header)
    shutil.copy(FIXTURES / "score-not-a-number.csv", tmp_path / "class" / "n-score.csv")
    shutil.copy(FIXTURES / "unclosed-quote.csv", tmp_path / "class" / "o-quote.csv")
    _good(write_export, "class/p.csv", "p")
    whole = merge_results([tmp_path / "class"], lessons=SHIPPED)
    monkeypatch.setattr(results, "_BATCH_BYTES", batch_bytes)
    monkeypatch.setattr(results, "_workers", lambda: 3)
    cut = merge_results([tmp_path / "class"], lessons=SHIPPED)
    assert [str(p) for p in cut.problems] == [str(p) for p in whole.problems] and len(whole.problems) == 2
    assert [str(n) for n in cut.notes] == [str(n) for n in whole.notes]
    assert sorted(cut.merged_files.items()) == sorted(whole.merged_files.items())
    key = list(results.DEDUP_KEY)
    pd.testing.assert_frame_equal(cut.frame.sort_values(key).reset_index(drop=True),
                                  whole.frame.sort_values(key).reset_index(drop=True))


def test_an_attempt_too_large_for_a_count_is_reported(write_export):
    """Is an absurd attempt number reported by row and field, rather than overflowing the int column?"""
    rows = export_rows("ana", [("01_causes", "q1", True, 1, 0), ("01_causes", "q2", True, 1, 1)])
    rows[1][EXPORT_COLUMNS.index("attempt")] = "99999999999999999999"
    path = write_export("ana.csv", rows)
    merged, problems, _ = merge([path])
    assert merged.empty
    assert problems == [f"{path}:3: q2: attempt: '99999999999999999999' is not a whole number from 1 to 1,000,000"]


def test_the_result_keeps_frame_problems_and_notes_apart(tmp_path, write_export):
    """Does merge_results return the frame, the problems (file and row) and the notes as separate fields?"""
    good = _good(write_export)
    bad = tmp_path / "score.csv"
    shutil.copy(FIXTURES / "score-not-a-number.csv", bad)
    nameless = write_export("carl.csv", export_rows("", [("01_causes", "q1", True, 1, 0)]))
    result = merge_results([good, bad, nameless], lessons=SHIPPED)
    assert len(result.frame) == 4
    assert [(p.file, p.row, p.field) for p in result.problems] == [(str(bad), 3, "score")]
    assert [n.file for n in result.notes] == [str(nameless)]
    assert result.merged_files == {str(good): 3, str(nameless): 1}
    assert not result.ok
    assert result.summary()[-2].startswith(f"skipped {bad}:3:")


# -- issue 13 (hostile input) and issue 16 (class folders) -------------------------------------------


def test_issue13_a_utf16_file_is_reported_as_utf16_with_a_hint(tmp_path, write_export):
    """Is a file saved as UTF-16 (Excel's 'Unicode text') named as UTF-16, with how to save it instead?"""
    text = _good(write_export).read_text(encoding="utf-8")
    path = tmp_path / "utf16.csv"
    path.write_text(text, encoding="utf-16")
    _, problems, _ = merge([path])
    assert problems == [f"{path}: saved as UTF-16 text, not UTF-8; save it again as 'CSV UTF-8 (comma delimited)', "
                        "or export it again with backlessons progress export"]


def test_issue13_a_semicolon_file_is_reported_with_a_delimiter_hint(tmp_path, write_export):
    """Is a semicolon-separated file reported as such (not as 12 missing columns), with a hint?"""
    rows = list(csv.reader(_good(write_export).read_text(encoding="utf-8").splitlines()))
    path = tmp_path / "semicolons.csv"
    path.write_text("\n".join(";".join(row) for row in rows) + "\n", encoding="utf-8")
    _, problems, _ = merge([path])
    assert len(problems) == 1 and problems[0].startswith(f"{path}:1: fields are separated by semicolons")
    assert "missing column" not in problems[0]


def test_issue13_one_bad_file_keeps_the_merge_on_one_path(tmp_path, write_export, monkeypatch):
    """With a damaged file among good ones, are the good files still parsed together in one call?"""
    good = [_good(write_export, f"class/l{i}.csv", f"l{i}") for i in range(5)]
    damaged = tmp_path / "class" / "l2-damaged.csv"
    shutil.copy(FIXTURES / "unclosed-quote.csv", damaged)
    calls = []
    real = results._parse
    monkeypatch.setattr(results, "_parse", lambda files: calls.append(len(files)) or real(files))
    merged, problems, _ = merge([tmp_path / "class"])
    assert [p.split(":")[0] for p in problems] == [str(damaged)]
    assert set(merged["learner"]) == {f"l{i}" for i in range(5)}
    # The batch of 6, then each file alone (to find the bad one), then the 5 good ones together.
    assert calls == [6, 1, 1, 1, 1, 1, 1, 5]
    assert len(good) == 5


def test_issue13_formula_cells_are_neutralised_in_the_merged_csv(write_export):
    """Are learner, lesson, question and response cells that start with =, +, -, @ or a tab written with a quote?"""
    rows = export_rows('=HYPERLINK("http://x","Grade")', [("+01_causes", "@q1", True, 1, 0, "-2+3")])
    rows[0][EXPORT_COLUMNS.index("response")] = "\tcmd"
    merged, _, _ = merge([write_export("evil.csv", rows)])
    out = results.merged_csv_text(merged)
    row = next(csv.DictReader(out.splitlines()))
    assert row["learner"] == "\'=HYPERLINK(\"http://x\",\"Grade\")"
    assert row["lesson"] == "'+01_causes" and row["question_id"] == "'@q1"
    assert row["response_text"] == "'-2+3" and row["response"] == "'\tcmd"
    assert row["score"] == "1.0"  # numbers stay numbers


def test_issue13_formula_cells_are_neutralised_even_when_anonymized(write_export):
    """With --anonymize, are the other text columns still neutralised?"""
    rows = export_rows("ana", [("=cmd", "q1", True, 1, 0, "@SUM(A1)")])
    merged, _, _ = merge([write_export("ana.csv", rows)], anonymize=True)
    row = next(csv.DictReader(results.merged_csv_text(merged).splitlines()))
    assert row["learner"].startswith("learner-")
    assert row["lesson"] == "'=cmd" and row["response_text"] == "'@SUM(A1)"


def test_issue16_another_learners_file_is_reported_by_name(tmp_path, write_export):
    """In a hand-in folder (<learner>.csv), are a second file for one learner and a misnamed file reported?"""
    for name in ("ana", "ben", "cy"):
        _good(write_export, f"class/{name}.csv", name)
    twice = _good(write_export, "class/ana-again.csv", "ana")
    misnamed = _good(write_export, "class/dora.csv", "ben")
    merged, problems, notes = merge([tmp_path / "class"])
    assert problems == []
    assert set(merged["learner"]) == {"ana", "ben", "cy"}
    assert any(f"learner 'ana' is in 2 files" in note and str(twice) in note for note in notes)
    assert any(note.startswith(f"{misnamed}: named 'dora' but holds the answers of 'ben'") for note in notes)


def test_issue16_a_file_with_several_learners_is_reported(write_export):
    """Is a file holding two learners' answers named in a note?"""
    rows = export_rows("ana", [("01_causes", "q1", True, 1, 0)]) + export_rows("ben", [("01_causes", "q1", True, 1, 1)])
    path = write_export("mixed.csv", rows)
    _, _, notes = merge([path])
    assert notes == [f"{path}: holds the answers of 2 learners ('ana', 'ben'); merged"]


def test_issue16_half_written_temp_and_non_csv_files_are_reported(tmp_path, write_export):
    """Are a half-written hand-in (.*.tmp) and a non-CSV file in the class folder each reported by name?"""
    _good(write_export, "class/ana.csv", "ana")
    temp = tmp_path / "class" / ".ben.csv.x1y2.tmp"
    temp.write_text("format,learner\n1,ben", encoding="utf-8")
    other = tmp_path / "class" / "README.txt"
    other.write_text("hand in here", encoding="utf-8")
    merged, problems, _ = merge([tmp_path / "class"])
    assert set(merged["learner"]) == {"ana"}
    assert problems == [f"{temp}: a half-written temporary file (a hand-in still being written, or one that was "
                        "interrupted); not merged: ask the learner to hand in again",
                        f"{other}: not a CSV file (the name does not end in .csv); not merged"]


def test_issue16_a_file_for_an_unknown_lesson_is_reported(write_export):
    """Is a file with answers for a lesson that is not shipped named in a note, its rows kept?"""
    path = write_export("ana.csv", export_rows("ana", [("99_other_course", "q1", True, 1, 0)]))
    result = merge_results([path])  # the shipped lessons
    assert len(result.frame) == 1
    assert [str(n) for n in result.notes] == [f"{path}: lesson '99_other_course' is not a shipped lesson (an own "
                                              "bank, or a file from another course?); merged"]


def test_merge_reads_neutralised_cells_back_as_typed(tmp_path):
    """Does a learner's '-14 (neutralised by progress export) merge as -14, and go out neutralised again?"""
    from backlessons.csvfile import rows_to_csv
    from backlessons.instructor.results import merged_csv_text
    from backlessons.progress import EXPORT_COLUMNS

    row = {c: "" for c in EXPORT_COLUMNS}
    row.update(format="1", learner="-Ann", lesson="01_causes", question_id="q1", question_type="numeric",
               response="-14", response_text="-14", correct="false", score="0", attempt="1",
               time="2026-03-01T09:30:00+00:00")
    (tmp_path / "ann.csv").write_text(rows_to_csv(EXPORT_COLUMNS, [[row[c] for c in EXPORT_COLUMNS]]), encoding="utf-8")
    result = merge_results([tmp_path])
    assert not result.problems
    assert list(result.frame["learner"]) == ["-Ann"] and list(result.frame["response_text"]) == ["-14"]
    assert "'-Ann" in merged_csv_text(result.frame)
