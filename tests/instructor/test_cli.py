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
    assert done.returncode == 1 and "notes.csv:1: not a backlessons export" in done.stderr
    assert not (tmp_path / "class.csv").exists()
    done = run("results", "merge", "inbox", "--out", "class.csv", "--anonymize", "--skip-bad", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "skipped inbox/notes.csv:1: not a backlessons export" in done.stderr
    assert "Merged 4 answer(s) from 2 file(s) into class.csv, skipped 1 input(s)" in done.stderr
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


def _class_file(tmp_path: Path) -> bytes:
    (tmp_path / "class.csv").write_text("format,learner\nprecious,work\n", encoding="utf-8")
    return (tmp_path / "class.csv").read_bytes()


def test_issue13_typo_never_empties_the_class_file(tmp_path, write_export):
    """Does a misspelt folder exit 1, saying so, and leave the existing class file byte for byte?"""
    write_export("submissions/ana.csv", export_rows("ana", [("01_causes", "q1", True, 1, 0)]))
    before = _class_file(tmp_path)
    done = run("results", "merge", "submisions/", "--out", "class.csv", cwd=tmp_path)
    assert done.returncode == 1
    assert "submisions: no such file or folder" in done.stderr and "class.csv left as it was" in done.stderr
    assert (tmp_path / "class.csv").read_bytes() == before


def test_issue13_an_empty_folder_exits_non_zero_and_keeps_the_class_file(tmp_path):
    """Does merging an empty folder exit 1 without touching --out?"""
    (tmp_path / "empty").mkdir()
    before = _class_file(tmp_path)
    done = run("results", "merge", "empty", "--out", "class.csv", cwd=tmp_path)
    assert done.returncode == 1 and "empty: no CSV files in this folder" in done.stderr
    assert (tmp_path / "class.csv").read_bytes() == before


def test_issue13_a_skipped_file_exits_non_zero_unless_skip_bad(tmp_path, write_export):
    """Does one bad file of three fail the merge (class file kept), and with --skip-bad list every file?"""
    for name in ("ana", "ben"):
        write_export(f"inbox/{name}.csv", export_rows(name, [("01_causes", "q1", True, 1, 0)]))
    (tmp_path / "inbox" / "cy.csv").write_text("format;learner;lesson\n", encoding="utf-8")
    before = _class_file(tmp_path)
    done = run("results", "merge", "inbox", "--out", "class.csv", cwd=tmp_path)
    assert done.returncode == 1 and "1 input(s) could not be merged" in done.stderr
    assert (tmp_path / "class.csv").read_bytes() == before
    done = run("results", "merge", "inbox", "--out", "class.csv", "--skip-bad", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert "merged inbox/ana.csv (1 answer(s))" in lines and "merged inbox/ben.csv (1 answer(s))" in lines
    assert any(line.startswith("skipped inbox/cy.csv") for line in lines)
    assert (tmp_path / "class.csv").read_text(encoding="utf-8").count("\n") == 3
    assert not list(tmp_path.glob(".class.csv.*.tmp"))  # written atomically: no temp file left behind


def test_issue13_merge_output_has_no_spreadsheet_formulas(tmp_path, write_export):
    """Does `results merge --anonymize` write formula-leading cells with a leading quote?"""
    write_export("inbox/x.csv", export_rows("=HYPERLINK(1)", [("01_causes", "+q1", True, 1, 0, "@SUM(1)")]))
    done = run("results", "merge", "inbox", "--out", "class.csv", "--anonymize", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "class.csv").read_text(encoding="utf-8")
    assert ",'+q1," in text and ",'@SUM(1)," in text and "HYPERLINK" not in text


def test_results_demo_writes_the_committed_demo_class(tmp_path):
    """Does `results demo --out` write exactly the committed data/demo/class_results.csv?"""
    done = run("results", "demo", "--out", "demo.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    committed = Path(__file__).resolve().parents[2] / "data" / "demo" / "class_results.csv"
    assert (tmp_path / "demo.csv").read_bytes() == committed.read_bytes(), (
        "regenerate with: backlessons results demo --out data/demo/class_results.csv")


def test_results_report_thresholds_can_be_set_on_the_command_line(tmp_path):
    """Does `results report --threshold too_easy=0.5` change the flags, and a wrong name exit 2 naming the choices?"""
    demo = Path(__file__).resolve().parents[2] / "data" / "demo" / "class_results.csv"
    plain = run("results", "report", str(demo), "--out", "plain.html", cwd=tmp_path)
    strict = run("results", "report", str(demo), "--out", "strict.html", "--threshold", "too_easy=0.5", cwd=tmp_path)
    assert plain.returncode == 0 and strict.returncode == 0, plain.stderr + strict.stderr
    count = [(tmp_path / name).read_text(encoding="utf-8").count("too easy: facility") for name in ("plain.html",
                                                                                                 "strict.html")]
    assert count[1] > count[0]
    wrong = run("results", "report", str(demo), "--out", "x.html", "--threshold", "nope=1", cwd=tmp_path)
    assert wrong.returncode == 2 and "too_easy" in wrong.stderr and not (tmp_path / "x.html").exists()
