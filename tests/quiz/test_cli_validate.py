"""`backlessons validate`: one line per problem, exit 1 if any, 0 if none."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from backlessons.errors import Problem
from backlessons.quiz import validate_paths

from .conftest import EVERY_TYPE, INVALID

REPO = Path(__file__).resolve().parents[2]
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PYTHON, "-m", "backlessons", "validate", *map(str, args)],
                          capture_output=True, text=True, timeout=120, cwd=REPO)


def test_bad_bank_prints_each_problem_and_exits_1() -> None:
    """Does validating a bad bank print each problem on its own line and exit with 1?"""
    bad = INVALID / "misspelled-options-field.yaml"
    result = run(bad)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{bad}:5: question q1: optoins: unknown field (did you mean 'options'?)",
        f"{bad}:5: question q1: options: is required: a list of at least 2 options",
    ]
    assert "2 problem(s) found." in result.stderr


def test_good_bank_exits_0() -> None:
    """Does validating a valid bank print nothing on stdout and exit with 0?"""
    result = run(EVERY_TYPE)
    assert (result.returncode, result.stdout) == (0, "")
    assert "valid" in result.stderr


def test_several_paths_report_all_problems() -> None:
    """With a good and two bad banks, are the bad ones' problems all printed, in order?"""
    first, second = INVALID / "missing-title.yaml", INVALID / "duplicate-ids.yaml"
    result = run(first, EVERY_TYPE, second)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{first}: title: is required",
        f"{second}:13: question q1: id: 'q1' is already used by an earlier question (line 5)",
    ]


def test_cli_main_can_be_called_in_process(capsys) -> None:
    """Does cli.main return 1 and print the problem when called from Python?"""
    from backlessons.cli import main

    bad = INVALID / "single-two-correct.yaml"
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{bad}:5: question q1: options: a single question needs exactly one correct option")
    assert main(["validate", str(EVERY_TYPE)]) == 0


def test_no_paths_checks_every_shipped_bank_and_the_data(tmp_path: Path, monkeypatch) -> None:
    """With no paths, are every shipped bank and content.validate_data() both checked?"""
    from backlessons import content
    from backlessons.quiz import bank

    (tmp_path / "01_causes.yaml").write_text(
        (INVALID / "missing-title.yaml").read_text(encoding="utf-8").replace("invalid_demo", "01_causes"),
        encoding="utf-8")
    (tmp_path / "02_running_and_the_spine.yaml").write_text(
        EVERY_TYPE.read_text(encoding="utf-8").replace("every_type", "02_running_and_the_spine"), encoding="utf-8")
    data_problem = Problem("claims.csv", "row 7 (C7)", "verdict", "'maybe' is not a verdict")
    monkeypatch.setattr(bank, "_quizzes_dir", lambda: tmp_path)
    monkeypatch.setattr(content, "validate_data", lambda: [data_problem])
    assert validate_paths() == [Problem("quizzes/01_causes.yaml", "", "title", "is required"), data_problem]
    assert validate_paths([]) == validate_paths(None)


def test_everything_shipped_validates() -> None:
    """Does `backlessons validate` with no paths pass on the shipped banks and data?"""
    result = run()
    assert result.stdout == ""
    assert result.returncode == 0
