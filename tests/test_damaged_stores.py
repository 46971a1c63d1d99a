"""Damaged and hostile progress stores (issue 13): the learner always continues, nothing readable is lost.

Each damage is made the way a failing disk, another program or a careless copy would
make it. The checks: no traceback, one warning naming the file and where the damaged
copy went, the answers that could be read still there, and the command line answering
with one line and exit status 1 when the store cannot be used at all.
"""

from __future__ import annotations

import csv
import os
import random
import sqlite3
import subprocess
import sys
import textwrap
import tracemalloc
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backlessons import csvfile
from backlessons.cli import main
from backlessons.progress import ProgressStore, ProgressWarning

LESSON = "01_causes"
EVERY_TYPE = Path(__file__).parent / "fixtures" / "banks" / "every_type.yaml"


def fill(path: Path, answers: int = 5) -> None:
    with ProgressStore(path) as store:
        for n in range(1, answers + 1):
            store.record(LESSON, f"q{n}", "single", n % 3, f"typed {n}", n % 2 == 0, 1.0 if n % 2 == 0 else 0.0, 1)


def open_recording(path: Path) -> tuple[ProgressStore, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        store = ProgressStore(path)
    return store, [str(w.message) for w in caught if issubclass(w.category, ProgressWarning)]


def corrupt_utf8(path: Path, row_id: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE events SET response_text = CAST(X'74797065ff64' AS TEXT) WHERE id = ?", (row_id,))
    conn.commit()
    conn.close()


def foreign_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('someone else''s data')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


# --- point 4: unreadable stores are moved aside, the learner continues ------------------------


def test_issue13_point4_invalid_utf8_row_is_recovered_with_every_answer(tmp_path):
    """Is a store with a non-UTF-8 row moved aside, with every answer copied over and export working?"""
    path = tmp_path / "progress.sqlite3"
    fill(path, answers=5)
    corrupt_utf8(path, 3)
    store, messages = open_recording(path)
    moved = tmp_path / "progress.sqlite3.corrupt-1"
    assert len(messages) == 1 and str(path) in messages[0] and str(moved) in messages[0]
    assert "5 answer(s) that could still be read were copied" in messages[0]
    with store:
        events = store.events()
        assert list(events["question_id"]) == [f"q{n}" for n in range(1, 6)]
        assert events["response_text"].iloc[2] == "type\ufffdd"
        assert store.export_csv(tmp_path / "out.csv") == 5
        assert store.record_next(LESSON, "q1", "single", 0, "again", False, 0.0) == 2
    assert moved.exists()


def test_issue13_point4_foreign_sqlite_with_our_version_is_moved_aside(tmp_path):
    """Is another program's SQLite file with our user_version kept intact aside, and saving works again?"""
    path = tmp_path / "progress.sqlite3"
    foreign_database(path)
    before = path.read_bytes()
    store, messages = open_recording(path)
    assert len(messages) == 1 and "another program" in messages[0]
    with store:
        store.record_next(LESSON, "q1", "single", 0, "typed", True, 1.0)
        assert len(store.events()) == 1
    assert (tmp_path / "progress.sqlite3.corrupt-1").read_bytes() == before


def random_pages(path: Path, seed: int) -> None:
    """Overwrite a few whole pages (not the first) with random bytes, as a failing disk would."""
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    rng = random.Random(seed)
    for page in rng.sample(range(1, pages), k=min(2, pages - 1)):
        data[page * 4096 : (page + 1) * 4096] = rng.randbytes(4096)
    path.write_bytes(bytes(data))


def truncate(path: Path, seed: int) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: random.Random(seed).randrange(100, len(data) - 1)])


def header_garbage(path: Path, seed: int) -> None:
    data = bytearray(path.read_bytes())
    data[16:100] = random.Random(seed).randbytes(84)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("damage", [random_pages, truncate, header_garbage])
def test_issue13_point4_damaged_file_never_stops_the_learner(tmp_path, damage, seed):
    """Whatever the damage, does opening warn at most once, keep the damaged bytes aside, keep
    only genuine answers, and let the learner save again?"""
    path = tmp_path / "progress.sqlite3"
    fill(path, answers=300)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    damage(path, seed)
    damaged = path.read_bytes()
    tracemalloc.start()
    try:
        store, messages = open_recording(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024  # bytes; generous: the file is about 100 kB
    with store:
        assert store.persistent
        events = store.events()
        assert set(events["lesson"]) <= {LESSON}
        assert len(events) <= 300
        store.record_next(LESSON, "after", "single", 0, "typed", True, 1.0)
    if messages:  # some damage (a page of unused space) leaves the data readable
        moved = tmp_path / "progress.sqlite3.corrupt-1"
        assert len(messages) == 1 and str(moved) in messages[0]
        assert moved.read_bytes() == damaged


def test_issue13_point4_pages_damaged_in_the_middle_keep_the_answers_around_them(tmp_path):
    """When one page in the middle is damaged, are answers before and after it still copied?"""
    path = tmp_path / "progress.sqlite3"
    with ProgressStore(path) as store:
        for n in range(1, 401):
            store.record(LESSON, f"q{n}", "ordering", [2, 0, 1], "long answer text " * 5, False, 0.5, 1)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
    data = bytearray(path.read_bytes())
    middle = pages // 2
    data[middle * 4096 : (middle + 1) * 4096] = b"\xff" * 4096
    path.write_bytes(bytes(data))
    store, messages = open_recording(path)
    with store:
        ids = list(store.events()["question_id"])
    assert len(messages) == 1 and "could still be read were copied" in messages[0]
    assert "q1" in ids and "q400" in ids  # both ends survive, whichever page was hit


def test_issue13_point4_read_only_store_keeps_its_answers(tmp_path, monkeypatch, capsys):
    """When the progress file can only be read, does saving fail with a clear error, the file stay
    byte for byte, and the command line say so in one line?"""
    path = tmp_path / "progress.sqlite3"
    fill(path, answers=3)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = path.read_bytes()
    connect = sqlite3.connect

    def read_only(target, **kwargs):  # root ignores file modes, so ask SQLite for read-only
        return connect(f"{Path(target).as_uri()}?mode=ro", uri=True, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only)
    store, messages = open_recording(path)
    with store:
        assert len(store.events()) == 3
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.record_next(LESSON, "q9", "single", 0, "typed", True, 1.0)
    monkeypatch.setenv("BACKLESSONS_HOME", str(tmp_path))
    assert main(["progress", "reset", "--yes"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "readonly" in err and str(path) in err
    monkeypatch.setattr(sqlite3, "connect", connect)
    assert messages == []
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_issue13_point4_full_disk_loses_no_earlier_answer(tmp_path):
    """When the disk fills up, does saving fail with a clear database error while every earlier answer stays?"""
    path = tmp_path / "progress.sqlite3"
    fill(path, answers=3)
    with ProgressStore(path) as store:
        conn = store._db()
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        conn.execute(f"PRAGMA max_page_count = {pages}")  # no room to grow: a full disk
        with pytest.raises(sqlite3.OperationalError, match="full"):
            for n in range(1000):
                store.record_next(LESSON, "big", "single", 0, "x" * 4000, False, 0.0)
    with ProgressStore(path) as reopened:
        events = reopened.events()
        assert list(events["question_id"][:3]) == ["q1", "q2", "q3"]
        attempts = list(events.loc[events["question_id"] == "big", "attempt"])
        assert attempts == list(range(1, len(attempts) + 1))


def test_issue13_point4_quiz_reports_a_full_disk_and_still_grades(tmp_path):
    """Does a Quiz whose store is full still grade the answer and say that saving failed?"""
    import backlessons

    path = tmp_path / "progress.sqlite3"
    fill(path, answers=1)
    store = ProgressStore(path)
    (pages,) = store._db().execute("PRAGMA page_count").fetchone()
    store._db().execute(f"PRAGMA max_page_count = {pages}")
    quiz = backlessons.Quiz(EVERY_TYPE, store=store, shuffle=False)
    question = quiz.views[0]  # a single-choice question
    for _ in range(300):
        question.select(1)
        question.check_button.click()
        if "saving your progress" in quiz.status.value:
            break
        question.try_again_button.click()
    assert "saving your progress" in quiz.status.value and "full" in quiz.status.value
    assert question.feedback.value  # graded all the same
    store.close()
    with ProgressStore(path) as reopened:
        assert "q1" in set(reopened.events()["question_id"])


# --- point 4 at the command line: one line, exit 1 --------------------------------------------


def test_issue13_point4_cli_turns_database_errors_into_one_line(tmp_path, monkeypatch, capsys):
    """Does a database error during a command give one line naming the progress file and exit status 1?"""
    monkeypatch.setenv("BACKLESSONS_HOME", str(tmp_path))

    def locked(self, *args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(ProgressStore, "export_csv", locked)
    assert main(["progress", "export", "--out", str(tmp_path / "out.csv")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "database is locked" in err and str(tmp_path) in err


def test_issue13_point4_cli_export_of_a_damaged_store_recovers(tmp_path):
    """Does `progress export` on a store with a non-UTF-8 row warn, move it aside and export every answer?"""
    home = tmp_path / "home"
    fill(home / "progress.sqlite3", answers=4)
    corrupt_utf8(home / "progress.sqlite3", 2)
    out = tmp_path / "out.csv"
    result = subprocess.run(
        [sys.executable, "-m", "backlessons", "progress", "export", "--out", str(out)],
        capture_output=True, text=True, env={**os.environ, "BACKLESSONS_HOME": str(home)}, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "progress.sqlite3.corrupt-1" in result.stderr
    with open(out, encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 4


# --- point 3: progress export is formula-safe and atomic --------------------------------------


def test_issue13_point3_progress_export_neutralises_formulas(tmp_path):
    """Are a learner name and responses that start like formulas written with a leading ' and numbers left alone?"""
    path = tmp_path / "progress.sqlite3"
    with ProgressStore(path) as store:
        store.record(LESSON, "n1", "numeric", "-1+2", "-1+2", False, 0.0, 1)
        store.record(LESSON, "n2", "numeric", "@SUM(A1)", "\tcmd", True, 1.0, 1)
        out = tmp_path / "out.csv"
        store.export_csv(out, learner='=HYPERLINK("http://example.com","Grade")')
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["learner"] for row in rows} == {'\'=HYPERLINK("http://example.com","Grade")'}
    assert [row["response"] for row in rows] == ["'-1+2", "'@SUM(A1)"]
    assert [row["response_text"] for row in rows] == ["'-1+2", "'\tcmd"]
    assert [row["score"] for row in rows] == ["0.0", "1.0"]
    for row in rows:
        for name, cell in row.items():
            assert not cell.startswith(csvfile.FORMULA_PREFIXES), (name, cell)


def test_issue13_point3_failed_export_leaves_the_old_file(tmp_path, monkeypatch):
    """If writing the export fails part way (disk full), is the previous export left whole and no temporary file left?"""
    path = tmp_path / "progress.sqlite3"
    fill(path, answers=2)
    out = tmp_path / "out.csv"
    out.write_text("the previous export\n", encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with ProgressStore(path) as store, pytest.raises(OSError, match="No space"):
        store.export_csv(out)
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []


# --- point 6: Ctrl-D at the reset prompt, attempt numbers under two kernels -------------------


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX only")
def test_issue13_point6_reset_prompt_with_ctrl_d_exits_cleanly(tmp_path):
    """At a terminal, does Ctrl-D at the reset prompt delete nothing and exit 1 without a traceback?"""
    import pty

    home = tmp_path / "home"
    fill(home / "progress.sqlite3", answers=3)
    controller, terminal = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "backlessons", "progress", "reset"],
            stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "BACKLESSONS_HOME": str(home)},
        )
        os.write(controller, b"\x04")  # Ctrl-D: end of input
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(terminal)
        os.close(controller)
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "Nothing deleted." in err
    with ProgressStore(home / "progress.sqlite3") as store:
        assert len(store.events()) == 3


KERNEL = textwrap.dedent(
    """
    import sys
    from backlessons.progress import ProgressStore
    with ProgressStore(sys.argv[1]) as store:
        sys.stdin.readline()  # start together
        for _ in range(int(sys.argv[2])):
            store.record_next("01_causes", "q1", "single", 0, "typed", False, 0.0)
    """
)


def test_issue13_point6_two_kernels_never_store_the_same_attempt_number(tmp_path):
    """When two kernels answer the same question at the same moments, is every attempt number stored once?"""
    path = tmp_path / "progress.sqlite3"
    ProgressStore(path).close()
    each = 60
    kernels = [
        subprocess.Popen([sys.executable, "-c", KERNEL, str(path), str(each)], stdin=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for kernel in kernels:
        kernel.stdin.write("go\n")
        kernel.stdin.flush()
    for kernel in kernels:
        kernel.stdin.close()
        assert kernel.wait(timeout=120) == 0
    with ProgressStore(path) as store:
        attempts = sorted(store.events()["attempt"])
    assert attempts == list(range(1, 2 * each + 1))


@settings(max_examples=25, deadline=None)
@given(st.binary(min_size=1, max_size=3000))
def test_issue13_fuzz_any_bytes_as_a_progress_file(tmp_path_factory, data):
    """Whatever bytes the progress file holds, does the learner get a working store and the bytes kept aside?"""
    path = tmp_path_factory.mktemp("store") / "progress.sqlite3"
    path.write_bytes(data)
    store, messages = open_recording(path)
    with store:
        assert store.persistent
        store.record_next(LESSON, "q1", "single", 0, "typed", True, 1.0)
    assert len(messages) == 1
    assert (path.parent / "progress.sqlite3.corrupt-1").read_bytes() == data
