"""Tests for `backlessons progress export|reset`, run as a learner would: a real process."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

import backlessons
from backlessons.progress import EXPORT_COLUMNS, ProgressStore


def run_cli(
    home: Path, *args: str, stdin: str | None = None, timeout: float = 60, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BACKLESSONS_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "backlessons", "progress", *args],
        cwd=cwd,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A learner's home with three saved answers in two lessons."""
    folder = tmp_path / "home"
    with ProgressStore(folder / "progress.sqlite3") as store:
        store.record("01_causes", "q1", "single", 0, "Posture", False, 0.0, 1)
        store.record("01_causes", "q1", "single", 2, "Deconditioning", True, 1.0, 2)
        store.record("04_prevention", "p1", "numeric", "10 %", "10 %", True, 1.0, 1)
    return folder


def saved_lessons(home: Path) -> list[str]:
    with ProgressStore(home / "progress.sqlite3") as store:
        return store.events()["lesson"].tolist()


def test_export_writes_every_answer_with_the_learner(home, tmp_path):
    """Does `progress export` write every saved answer, with the contract columns and the learner's name?"""
    out = tmp_path / "ana.csv"
    result = run_cli(home, "export", "--out", str(out), "--learner", "Ana")
    assert result.returncode == 0, result.stderr
    assert "Wrote 3 answer(s)" in result.stderr
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    assert [(r["lesson"], r["question_id"], r["attempt"], r["correct"]) for r in rows] == [
        ("01_causes", "q1", "1", "false"),
        ("01_causes", "q1", "2", "true"),
        ("04_prevention", "p1", "1", "true"),
    ]
    assert {(r["format"], r["learner"], r["backlessons_version"]) for r in rows} == {
        ("1", "Ana", backlessons.__version__)
    }


def test_export_to_a_missing_folder_fails_cleanly(home, tmp_path):
    """Is a missing output folder reported in one line with exit status 1, not a traceback?"""
    result = run_cli(home, "export", "--out", str(tmp_path / "no" / "such" / "dir.csv"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "dir.csv" in result.stderr


def test_export_requires_out(home):
    """Is `progress export` without --out refused by argument parsing (exit 2)?"""
    result = run_cli(home, "export")
    assert result.returncode == 2
    assert "--out" in result.stderr


def test_reset_without_yes_and_without_terminal_refuses(home):
    """Does `progress reset` without --yes refuse with exit 2 when input is not a terminal, deleting nothing?"""
    result = run_cli(home, "reset")
    assert result.returncode == 2
    assert "--yes" in result.stderr
    assert len(saved_lessons(home)) == 3


def test_reset_with_piped_yes_still_refuses(home):
    """Is a piped 'y' not taken as confirmation (only a terminal or --yes counts)?"""
    result = run_cli(home, "reset", stdin="y\n")
    assert result.returncode == 2
    assert len(saved_lessons(home)) == 3


def test_reset_one_lesson_with_yes(home):
    """Does `progress reset --lesson L --yes` delete only that lesson and say how many?"""
    result = run_cli(home, "reset", "--lesson", "01_causes", "--yes")
    assert result.returncode == 0, result.stderr
    assert "Deleted 2 answer(s) for lesson 01_causes" in result.stderr
    assert saved_lessons(home) == ["04_prevention"]


def test_reset_everything_with_yes(home):
    """Does `progress reset --yes` delete every saved answer?"""
    result = run_cli(home, "reset", "--yes")
    assert result.returncode == 0, result.stderr
    assert "Deleted 3 answer(s) for every lesson" in result.stderr
    assert saved_lessons(home) == []


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX only")
@pytest.mark.parametrize(("reply", "status", "left"), [("n\n", 1, 3), ("y\n", 0, 0)])
def test_reset_at_a_terminal_asks_first(home, reply, status, left):
    """At a terminal, does `progress reset` ask, keep everything on 'n' and delete on 'y'?"""
    import pty

    controller, terminal = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "backlessons", "progress", "reset"],
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "BACKLESSONS_HOME": str(home)},
        )
        os.write(controller, reply.encode())
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(terminal)
        os.close(controller)
    assert proc.returncode == status, err
    assert "Delete your saved answers for every lesson?" in out
    assert len(saved_lessons(home)) == left


def test_progress_commands_use_backlessons_home_only(home, tmp_path):
    """Do the commands read the store in BACKLESSONS_HOME and create nothing in the working folder?"""
    work = tmp_path / "work"
    work.mkdir()
    result = run_cli(home, "export", "--out", "mine.csv", cwd=work)
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(work)) == ["mine.csv"]


def review_lessons(home: Path) -> list[str]:
    from backlessons import review

    with ProgressStore(home / "progress.sqlite3") as store:
        review.refresh(store)
        return [row[0] for row in store.review_states()]


def test_export_with_review_out_writes_the_review_schedule(home, tmp_path):
    """Does `progress export --review-out` also write one schedule row per answered question, apart from the answers?"""
    from backlessons.progress import REVIEW_EXPORT_COLUMNS

    out, schedule = tmp_path / "ana.csv", tmp_path / "ana-review.csv"
    result = run_cli(home, "export", "--out", str(out), "--learner", "Ana", "--review-out", str(schedule))
    assert result.returncode == 0, result.stderr
    assert "review schedule of 2 question(s)" in result.stderr
    with open(schedule, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(REVIEW_EXPORT_COLUMNS)
    assert sorted((r["lesson"], r["question_id"], r["learner"]) for r in rows) == [
        ("01_causes", "q1", "Ana"), ("04_prevention", "p1", "Ana")
    ]
    with open(out, newline="", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(EXPORT_COLUMNS)  # the answers file keeps its contract


def test_reset_one_lesson_clears_its_review_schedule(home):
    """Does `progress reset --lesson L --yes` drop that lesson's review schedule and keep the others'?"""
    assert sorted(review_lessons(home)) == ["01_causes", "04_prevention"]
    result = run_cli(home, "reset", "--lesson", "01_causes", "--yes")
    assert result.returncode == 0, result.stderr
    assert "review schedule" in result.stderr
    with ProgressStore(home / "progress.sqlite3") as store:
        assert [row[0] for row in store.review_states()] == ["04_prevention"]
