"""Tests for backlessons.progress: the learner's saved answers."""

from __future__ import annotations

import csv
import math
import os
import random
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

import platformdirs
import pytest

import backlessons
from backlessons import progress
from backlessons.progress import (
    EVENT_COLUMNS,
    EXPORT_COLUMNS,
    ProgressStore,
    ProgressWarning,
    default_path,
    encode_response,
)

REPO = Path(__file__).resolve().parents[1]
FIXED = datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=timezone.utc)


def fixed_clock() -> datetime:
    return FIXED


@pytest.fixture
def store(tmp_path: Path):
    with ProgressStore(tmp_path / "progress.sqlite3", clock=fixed_clock) as opened:
        yield opened


def answer(store: ProgressStore, lesson: str, qid: str, score: float, attempt: int, response=0) -> None:
    store.record(lesson, qid, "single", response, f"option {response}", score == 1.0, score, attempt)


def progress_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, ProgressWarning)]


# -- paths ---------------------------------------------------------------------


def test_default_path_honours_backlessons_home(tmp_path, monkeypatch):
    """Does the default store live in $BACKLESSONS_HOME when it is set?"""
    monkeypatch.setenv("BACKLESSONS_HOME", str(tmp_path / "home"))
    assert default_path() == tmp_path / "home" / "progress.sqlite3"
    with ProgressStore() as opened:
        answer(opened, "01_causes", "q1", 1.0, 1)
        assert opened.persistent
        assert opened.path == tmp_path / "home" / "progress.sqlite3"
    assert (tmp_path / "home" / "progress.sqlite3").is_file()


def test_default_path_without_home_is_the_user_data_dir(monkeypatch):
    """Without BACKLESSONS_HOME, is the store in the platform's user data folder, outside the repository?"""
    monkeypatch.delenv("BACKLESSONS_HOME", raising=False)
    path = default_path()
    assert path == Path(platformdirs.user_data_dir("backlessons", appauthor=False)) / "progress.sqlite3"
    assert REPO not in path.parents


def test_relative_home_is_fixed_when_read(tmp_path, monkeypatch):
    """Does a relative BACKLESSONS_HOME stay put when the working folder changes later?"""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BACKLESSONS_HOME", "rel")
    path = default_path()
    monkeypatch.chdir(REPO)
    assert path == tmp_path / "rel" / "progress.sqlite3"


# -- recording and reading -------------------------------------------------------


def test_record_then_events_round_trip(store):
    """Does events() return exactly what record() stored, with the injected clock's time?"""
    store.record("01_causes", "posture-cause", "single", 2, "Sitting posture", False, 0.0, 1)
    store.record("01_causes", "posture-cause", "single", 1, "Deconditioning", True, 1.0, 2)
    frame = store.events()
    assert list(frame.columns) == list(EVENT_COLUMNS)
    assert frame.to_dict("records") == [
        {
            "lesson": "01_causes",
            "question_id": "posture-cause",
            "question_type": "single",
            "response": "2",
            "response_text": "Sitting posture",
            "correct": False,
            "score": 0.0,
            "attempt": 1,
            "time": "2026-03-01T09:30:00+00:00",
        },
        {
            "lesson": "01_causes",
            "question_id": "posture-cause",
            "question_type": "single",
            "response": "1",
            "response_text": "Deconditioning",
            "correct": True,
            "score": 1.0,
            "attempt": 2,
            "time": "2026-03-01T09:30:00+00:00",
        },
    ]
    assert frame["correct"].dtype == bool


def test_events_of_an_empty_store_have_the_columns(store):
    """Does an empty store give an empty table that still has every column?"""
    frame = store.events()
    assert frame.empty
    assert list(frame.columns) == list(EVENT_COLUMNS)


def test_events_filter_by_lesson(store):
    """Does events(lesson) return only that lesson's answers?"""
    answer(store, "01_causes", "a", 1.0, 1)
    answer(store, "04_prevention", "b", 0.5, 1)
    assert store.events("04_prevention")["question_id"].tolist() == ["b"]
    assert len(store.events()) == 2


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 3, 1, 10, 30, 5, 999999, tzinfo=timezone(timedelta(hours=1))), "2026-03-01T09:30:05+00:00"),
        (datetime(2026, 3, 1, 9, 30, 5), "2026-03-01T09:30:05+00:00"),  # naive is taken as UTC
    ],
)
def test_time_is_utc_with_seconds(tmp_path, moment, expected):
    """Is the stored time UTC ISO 8601 cut to whole seconds, whatever zone the clock gives?"""
    with ProgressStore(tmp_path / "p.sqlite3", clock=lambda: moment) as opened:
        answer(opened, "01_causes", "q", 1.0, 1)
        assert opened.events()["time"].tolist() == [expected]
        assert datetime.fromisoformat(expected).utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("2,5 BW", "2,5 BW"),  # text stays as typed
        (True, "true"),
        (3, "3"),
        (2.5, "2.5"),
        ((2, 0, 1), "[2,0,1]"),  # ordering: order kept
        ([2, 0, 1], "[2,0,1]"),
        ({2, 0}, "[0,2]"),  # multiple: a set, sorted
        (frozenset({"b", "a"}), '["a","b"]'),
        ({1: 2, 0: 1}, '{"0":1,"1":2}'),  # matching: keys sorted
        ({"part-b": (1, 0), "part-a": {3, 1}}, '{"part-a":[1,3],"part-b":[1,0]}'),  # case
        ({"x": "é"}, '{"x":"é"}'),
    ],
)
def test_responses_are_encoded_canonically(response, expected):
    """Is each kind of response stored as the same canonical text every time?"""
    assert encode_response(response) == expected


def test_unstorable_response_is_refused(store):
    """Is an error raised when a response cannot be written as JSON?"""
    with pytest.raises(TypeError, match="object"):
        store.record("01_causes", "q", "single", object(), "?", False, 0.0, 1)
    assert store.events().empty


@pytest.mark.parametrize(
    ("score", "attempt", "message"),
    [
        (1.5, 1, "score"),
        (-0.1, 1, "score"),
        (math.nan, 1, "score"),
        (0.5, 0, "attempt"),
        (0.5, 1.5, "attempt"),
        (0.5, True, "attempt"),
    ],
)
def test_bad_score_or_attempt_is_refused(store, score, attempt, message):
    """Is an error raised for a score outside 0..1 or an attempt that is not a whole number >= 1?"""
    with pytest.raises(ValueError, match=message):
        store.record("01_causes", "q", "single", 0, "a", False, score, attempt)
    assert store.events().empty


def test_attempts_counts_per_question(store):
    """Does attempts() count the saved answers of one question in one lesson only?"""
    for attempt in (1, 2, 3):
        answer(store, "01_causes", "q1", 0.0, attempt)
    answer(store, "01_causes", "q2", 1.0, 1)
    answer(store, "02_running_and_the_spine", "q1", 1.0, 1)
    assert store.attempts("01_causes", "q1") == 3
    assert store.attempts("01_causes", "q2") == 1
    assert store.attempts("01_causes", "never") == 0


def test_summary_uses_best_score_per_question(store):
    """Does summary() average each question's best score and count the questions got right?"""
    answer(store, "01_causes", "q1", 0.0, 1)
    answer(store, "01_causes", "q1", 1.0, 2)
    answer(store, "01_causes", "q2", 0.5, 1)
    answer(store, "01_causes", "q2", 0.25, 2)
    answer(store, "04_prevention", "q9", 0.0, 1)
    frame = store.summary()
    assert list(frame.columns) == [
        "lesson",
        "questions_answered",
        "attempts",
        "mean_best_score",
        "correct_questions",
    ]
    assert frame.to_dict("records") == [
        {"lesson": "01_causes", "questions_answered": 2, "attempts": 4, "mean_best_score": 0.75, "correct_questions": 1},
        {"lesson": "04_prevention", "questions_answered": 1, "attempts": 1, "mean_best_score": 0.0, "correct_questions": 0},
    ]


def test_summary_of_an_empty_store_is_empty(store):
    """Does summary() of a store with no answers give an empty table with its columns?"""
    frame = store.summary()
    assert frame.empty
    assert "mean_best_score" in frame.columns


def test_review_next_lists_weakest_questions_first(store):
    """Does review_next() leave out questions got right and put the lowest best score first?"""
    answer(store, "01_causes", "mastered", 0.0, 1)
    answer(store, "01_causes", "mastered", 1.0, 2)
    answer(store, "01_causes", "half", 0.5, 1)
    answer(store, "03_common_injuries_and_treatments", "zero", 0.0, 1)
    answer(store, "03_common_injuries_and_treatments", "zero", 0.0, 2)
    answer(store, "04_prevention", "zero-once", 0.0, 1)
    answer(store, "04_prevention", "most", 0.75, 1)
    frame = store.review_next()
    assert frame["question_id"].tolist() == ["zero", "zero-once", "half", "most"]
    assert frame.iloc[0].to_dict() == {
        "lesson": "03_common_injuries_and_treatments",
        "question_id": "zero",
        "question_type": "single",
        "best_score": 0.0,
        "attempts": 2,
        "last_time": "2026-03-01T09:30:00+00:00",
    }
    assert store.review_next(limit=2)["question_id"].tolist() == ["zero", "zero-once"]


def test_plain_rows_hold_what_the_frames_hold(store):
    """Do lesson_summaries() and review_items() (the dashboard's pandas-free rows) match summary() and review_next()?"""
    answer(store, "01_causes", "q1", 0.0, 1)
    answer(store, "01_causes", "q1", 1.0, 2)
    answer(store, "01_causes", "q2", 0.5, 1)
    answer(store, "04_prevention", "q9", 0.0, 1)
    assert [row._asdict() for row in store.lesson_summaries()] == store.summary().to_dict("records")
    assert [row._asdict() for row in store.review_items(limit=1)] == store.review_next(limit=1).to_dict("records")
    assert store.review_items()[0].question_id == "q9" and store.lesson_summaries()[0].attempts == 3


def test_reset_one_lesson_then_all(store):
    """Does reset(lesson) delete only that lesson's answers and reset() the rest, returning counts?"""
    answer(store, "01_causes", "a", 1.0, 1)
    answer(store, "01_causes", "b", 1.0, 1)
    answer(store, "04_prevention", "c", 1.0, 1)
    assert store.reset("01_causes") == 2
    assert store.events()["lesson"].tolist() == ["04_prevention"]
    assert store.reset("01_causes") == 0
    assert store.reset() == 1
    assert store.events().empty


def test_export_csv_has_the_contract_columns(store, tmp_path):
    """Does the export have exactly EXPORT_COLUMNS, format 1, the learner and the package version in every row?"""
    store.record("01_causes", "q1", "multiple", {2, 0}, "A; C", False, 0.5, 1)
    store.record("01_causes", "q1", "multiple", [0, 1], "A; B", True, 1.0, 2)
    out = tmp_path / "answers.csv"
    assert store.export_csv(out, learner="Ana, group 3") == 2
    with open(out, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [dict(zip(header, row)) for row in reader]
    assert tuple(header) == EXPORT_COLUMNS
    assert rows[0] == {
        "format": "1",
        "learner": "Ana, group 3",
        "lesson": "01_causes",
        "question_id": "q1",
        "question_type": "multiple",
        "response": "[0,2]",
        "response_text": "A; C",
        "correct": "false",
        "score": "0.5",
        "attempt": "1",
        "time": "2026-03-01T09:30:00+00:00",
        "backlessons_version": backlessons.__version__,
    }
    assert (rows[1]["correct"], rows[1]["attempt"]) == ("true", "2")


def test_export_of_an_empty_store_writes_only_the_header(store, tmp_path):
    """Does exporting with no answers write the header and report zero rows?"""
    out = tmp_path / "empty.csv"
    assert store.export_csv(out) == 0
    assert out.read_text(encoding="utf-8").splitlines() == [",".join(EXPORT_COLUMNS)]


def test_answers_survive_reopening(tmp_path):
    """Are answers still there after the store is closed and opened again?"""
    path = tmp_path / "p.sqlite3"
    with ProgressStore(path) as first:
        answer(first, "01_causes", "q", 1.0, 1)
    with ProgressStore(path) as second:
        assert second.attempts("01_causes", "q") == 1


def test_closed_store_refuses_use(tmp_path):
    """Is a clear error raised when a closed store is used, and is closing twice harmless?"""
    opened = ProgressStore(tmp_path / "p.sqlite3")
    opened.close()
    opened.close()
    with pytest.raises(ValueError, match="closed"):
        answer(opened, "01_causes", "q", 1.0, 1)


def test_schema_version_is_recorded(tmp_path):
    """Is the schema version stored in PRAGMA user_version and the file in WAL mode?"""
    path = tmp_path / "p.sqlite3"
    ProgressStore(path).close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == progress.SCHEMA_VERSION == 2
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_memory_store_saves_nothing_and_does_not_warn(tmp_path):
    """Does ":memory:" give a working, non-persistent store without a warning?"""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with ProgressStore(":memory:") as opened:
            answer(opened, "01_causes", "q", 1.0, 1)
            assert not opened.persistent
            assert opened.attempts("01_causes", "q") == 1
    assert progress_warnings(caught) == []


# -- concurrency -----------------------------------------------------------------


def test_threads_sharing_one_store_lose_nothing(store):
    """Do answers recorded from several threads at once (widget callbacks) all arrive?"""
    def work(lesson: str) -> None:
        for attempt in range(1, 201):
            answer(store, lesson, "q", 0.0, attempt)

    threads = [threading.Thread(target=work, args=(f"lesson{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.events().groupby("lesson").size().to_dict() == {f"lesson{i}": 200 for i in range(4)}


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from backlessons.progress import ProgressStore

    db, name, go, ready = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
    store = ProgressStore(db)
    assert store.persistent
    ready.touch()
    while not go.exists():  # both kernels start writing at the same moment
        time.sleep(0.001)
    for attempt in range(1, 1001):
        store.record(name, "q" + str(attempt % 10), "single", attempt, "t", False, 0.0, attempt)
    store.close()
    """
)


def run_together(script: str, argvs: list[list[str]], ready: list[Path], go: Path) -> list[tuple[int, str, str]]:
    """Start one ``python -c script`` per argv, wait until each has touched its ready flag,
    then touch *go* so they all proceed at once; return (returncode, stdout, stderr) of each."""
    procs = [
        subprocess.Popen([sys.executable, "-c", script, *argv],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for argv in argvs
    ]
    try:
        deadline = time.monotonic() + 120
        while not all(flag.exists() for flag in ready):
            crashed = [proc for proc in procs if proc.poll() is not None]
            assert not crashed, crashed[0].communicate()
            assert time.monotonic() < deadline, "writers did not start"
            time.sleep(0.005)
        go.touch()
        outcomes = [proc.communicate(timeout=300) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    return [(proc.returncode, out, err) for proc, (out, err) in zip(procs, outcomes)]


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    """When two kernels each save 1,000 answers at the same time, are all 2,000 kept?"""
    db = tmp_path / "progress.sqlite3"
    go = tmp_path / "go"
    ready = [tmp_path / "ready-a", tmp_path / "ready-b"]
    names = ("kernel-a", "kernel-b")
    results = run_together(WRITER, [[str(db), name, str(go), str(flag)] for name, flag in zip(names, ready)], ready, go)
    assert [code for code, _, _ in results] == [0, 0], results
    with ProgressStore(db) as merged:
        frame = merged.events()
    assert len(frame) == 2000
    for name in ("kernel-a", "kernel-b"):
        assert sorted(frame.loc[frame["lesson"] == name, "attempt"]) == list(range(1, 1001))



OPENER = textwrap.dedent(
    """
    import sys, time, warnings
    from pathlib import Path
    from backlessons.progress import ProgressStore

    warnings.simplefilter("always")  # every ProgressWarning reaches stderr, none is folded away
    db, name, go, ready, count = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5])
    ready.touch()
    while not go.exists():  # all kernels open the new file at the same moment
        time.sleep(0.0005)
    store = ProgressStore(db)
    for attempt in range(1, count + 1):
        store.record(name, "q", "single", attempt, "t", False, 0.0, attempt)
    print("persistent" if store.persistent else "memory")
    store.close()
    """
)


def test_four_processes_opening_a_new_file_at_once_lose_nothing(tmp_path):
    """When four kernels open the same new file at the same moment and each saves answers, are all kept, with no warning?

    Setting up a new file (the switch to WAL, the schema) collides here, and SQLite may
    answer "database is locked" at once; that must be waited out, never taken for an
    unwritable folder. Repeated on fresh files, since the collision depends on timing.
    """
    count, kernels = 50, 4
    for round_ in range(4):
        folder = tmp_path / f"round{round_}"
        folder.mkdir()
        db, go = folder / "progress.sqlite3", folder / "go"
        ready = [folder / f"ready-{k}" for k in range(kernels)]
        argvs = [[str(db), f"kernel-{k}", str(go), str(flag), str(count)] for k, flag in enumerate(ready)]
        results = run_together(OPENER, argvs, ready, go)
        assert [code for code, _, _ in results] == [0] * kernels, results
        assert [out.strip() for _, out, _ in results] == ["persistent"] * kernels, results
        assert not [err for _, _, err in results if "ProgressWarning" in err], results
        with ProgressStore(db) as merged:
            frame = merged.events()
        assert frame.groupby("lesson").size().to_dict() == {f"kernel-{k}": count for k in range(kernels)}
        assert not any(".corrupt-" in name for name in os.listdir(folder))  # nothing healthy moved aside


def locked_the_first_time(monkeypatch, times: int) -> list[int]:
    """Make ``_prepare`` fail with "database is locked" *times* times, then work; return the call count."""
    calls = [0]
    real = ProgressStore._prepare.__func__

    def flaky(cls, conn, *, wal):
        calls[0] += 1
        if wal and calls[0] <= times:
            raise sqlite3.OperationalError("database is locked")
        return real(cls, conn, wal=wal)

    monkeypatch.setattr(ProgressStore, "_prepare", classmethod(flaky))
    return calls


def test_locked_while_opening_is_retried_not_moved_to_memory(tmp_path, monkeypatch):
    """Is a "database is locked" while opening retried, giving a saved store and no warning, instead of the memory fallback?"""
    path = tmp_path / "progress.sqlite3"
    calls = locked_the_first_time(monkeypatch, times=2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opened = ProgressStore(path)
    with opened:
        assert opened.persistent
        answer(opened, "01_causes", "q", 1.0, 1)
    assert calls[0] == 3
    assert progress_warnings(caught) == []
    assert sorted(name for name in os.listdir(tmp_path) if ".corrupt-" in name) == []
    monkeypatch.undo()
    with ProgressStore(path) as reopened:
        assert reopened.attempts("01_causes", "q") == 1


def test_lock_that_outlasts_the_busy_timeout_is_raised_not_hidden(tmp_path, monkeypatch):
    """When the file stays locked for the whole busy timeout, is the error raised, with no memory fallback and no file moved?"""
    monkeypatch.setattr(progress, "BUSY_TIMEOUT_S", 0.2)
    calls = locked_the_first_time(monkeypatch, times=10**6)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            ProgressStore(tmp_path / "progress.sqlite3")
    assert calls[0] > 1  # it was retried before giving up
    assert progress_warnings(caught) == []
    assert not any(".corrupt-" in name for name in os.listdir(tmp_path))


# -- damaged files and unwritable homes -------------------------------------------


def make_random_bytes_file(path: Path) -> bytes:
    data = random.Random(7).randbytes(8192)
    path.write_bytes(data)
    return data


def make_truncated_database(path: Path) -> bytes:
    with ProgressStore(path) as full:
        for attempt in range(1, 801):
            full.record("01_causes", f"q{attempt % 40}", "ordering", [2, 0, 1], "long answer text " * 5, False, 0.5, attempt)
    data = path.read_bytes()
    assert len(data) > 8 * 4096  # several pages, so cutting in half loses real data
    half = data[: len(data) // 2]
    path.write_bytes(half)
    return half


@pytest.mark.parametrize("damage", [make_random_bytes_file, make_truncated_database], ids=["random-bytes", "truncated"])
def test_damaged_file_is_moved_aside_once(tmp_path, damage):
    """Is a damaged progress file moved to .corrupt-1 with its bytes intact, one warning naming both paths, and a fresh store started?"""
    path = tmp_path / "progress.sqlite3"
    old_bytes = damage(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fresh = ProgressStore(path)
    moved = tmp_path / "progress.sqlite3.corrupt-1"
    messages = progress_warnings(caught)
    assert len(messages) == 1
    assert str(path) in messages[0] and str(moved) in messages[0]
    assert moved.read_bytes() == old_bytes
    with fresh:
        assert fresh.persistent
        assert fresh.events().empty
        answer(fresh, "01_causes", "q", 1.0, 1)
    with ProgressStore(path) as reopened:
        assert reopened.attempts("01_causes", "q") == 1


def test_second_damage_goes_to_the_next_free_number(tmp_path):
    """Does a second damaged file go to .corrupt-2, leaving .corrupt-1 untouched?"""
    path = tmp_path / "progress.sqlite3"
    first = make_random_bytes_file(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)
        ProgressStore(path).close()
    path.write_bytes(b"not a database at all, just notes" * 10)
    with pytest.warns(ProgressWarning, match="corrupt-2"):
        ProgressStore(path).close()
    assert (tmp_path / "progress.sqlite3.corrupt-1").read_bytes() == first
    assert (tmp_path / "progress.sqlite3.corrupt-2").read_bytes().startswith(b"not a database")


def test_empty_file_is_a_new_store_not_damage(tmp_path):
    """Is an empty file (a fresh SQLite database) used as is, without a warning?"""
    path = tmp_path / "progress.sqlite3"
    path.touch()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with ProgressStore(path) as opened:
            assert opened.persistent
    assert progress_warnings(caught) == []
    assert not (tmp_path / "progress.sqlite3.corrupt-1").exists()


@pytest.mark.parametrize("layout", ["home-is-a-file", "home-below-a-file", "store-is-a-folder"])
def test_unwritable_home_falls_back_to_memory(tmp_path, monkeypatch, layout):
    """When the home folder cannot be created, does the store keep answers in memory with one warning?

    Tests may run as root, where chmod does not stop writes, so the folder is made
    impossible to create by putting a regular file where it (or its parent) should be.
    """
    blocker = tmp_path / "blocker"
    if layout == "store-is-a-folder":  # the home exists, but the store's name is taken by a folder
        (blocker / "progress.sqlite3").mkdir(parents=True)
        home = blocker
    else:
        blocker.write_text("a file, not a folder")
        home = blocker if layout == "home-is-a-file" else blocker / "home"
    monkeypatch.setenv("BACKLESSONS_HOME", str(home))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opened = ProgressStore()
    messages = progress_warnings(caught)
    assert len(messages) == 1
    assert str(home / "progress.sqlite3") in messages[0]
    with opened:
        assert not opened.persistent
        answer(opened, "01_causes", "q", 0.5, 1)
        assert opened.attempts("01_causes", "q") == 1
        assert opened.summary()["attempts"].tolist() == [1]
    if layout == "store-is-a-folder":
        assert sorted(os.listdir(blocker)) == ["progress.sqlite3"]  # nothing moved aside or created
    else:
        assert blocker.read_text() == "a file, not a folder"
    assert sorted(os.listdir(tmp_path)) == ["blocker"]


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0,
    reason="permission bits do not stop root (or Windows ACLs); the layouts above cover those runs",
)
def test_read_only_home_falls_back_to_memory(tmp_path, monkeypatch):
    """When the home folder exists but is read-only, does the store keep answers in memory with one warning?"""
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o500)
    monkeypatch.setenv("BACKLESSONS_HOME", str(home))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            opened = ProgressStore()
        with opened:
            assert not opened.persistent
            answer(opened, "01_causes", "q", 1.0, 1)
            assert opened.attempts("01_causes", "q") == 1
        assert len(progress_warnings(caught)) == 1
        assert os.listdir(home) == []
    finally:
        home.chmod(0o700)
