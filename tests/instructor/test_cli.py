"""End-to-end tests of the instructor commands, run as a learner's instructor would run them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .conftest import PYTHON, export_rows

pytestmark = pytest.mark.slow


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(PYTHON), "-m", "backlessons", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_answer_key_command_writes_md_and_html(tmp_path):
    """Do `answer-key` runs write a Markdown and an HTML key of the chosen lesson?"""
    done = run("answer-key", "01_causes", "--format", "md", "--out", "key.md", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "posture-as-cause" in (tmp_path / "key.md").read_text(encoding="utf-8")
    done = run("answer-key", "--format", "html", "--out", "key.html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "key.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "posture-as-cause" in page


def test_answer_key_of_a_missing_bank_fails_with_its_name(tmp_path):
    """Does the command exit 1 and name a bank it cannot find?"""
    done = run("answer-key", "nowhere.yaml", cwd=tmp_path)
    assert done.returncode == 1 and "nowhere.yaml" in done.stderr


def test_bank_new_then_validate(tmp_path):
    """Does `bank new` create a bank that `validate` accepts (exit 0), and refuse a second time?"""
    done = run("bank", "new", "week3", "--dir", "banks", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = run("validate", "banks/week3.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    again = run("bank", "new", "week3", "--dir", "banks", cwd=tmp_path)
    assert again.returncode == 1 and "refusing to overwrite" in again.stderr


def test_results_merge_then_report(tmp_path, write_export):
    """Do `results merge --anonymize` and `results report` turn a folder of exports into a report?"""
    for name in ("Ana", "Ben"):
        write_export(f"inbox/{name}.csv", export_rows(name, [("01_causes", "posture-as-cause", name == "Ana", 1, 0),
                                                             ("01_causes", "posture-as-cause", True, 2, 1)]))
    (tmp_path / "inbox" / "notes.csv").write_text("just,some\nnotes,here\n", encoding="utf-8")
    done = run("results", "merge", "inbox", "--out", "class.csv", "--anonymize", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "notes.csv: not a backlessons export" in done.stderr
    assert "Merged 4 answer(s) into class.csv" in done.stderr
    merged = (tmp_path / "class.csv").read_text(encoding="utf-8")
    assert "Ana" not in merged and "Ben" not in merged and "learner-" in merged

    done = run("results", "report", "class.csv", "--out", "report.html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "posture-as-cause" in page


def test_results_report_of_a_foreign_file_fails(tmp_path):
    """Does `results report` exit 1 with the file's name when the file is not results?"""
    (tmp_path / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    done = run("results", "report", "other.csv", "--out", "r.html", cwd=tmp_path)
    assert done.returncode == 1 and "other.csv" in done.stderr
    assert not (tmp_path / "r.html").exists()
