"""Can a lesson be added with no Python: a lessons.csv row, a bank and a notebook?

A copy of the package and its data gets a new lesson; not one ``.py`` file changes. The
new notebook calls existing functions, is executed in a fresh kernel that imports the
copy, and passes strict nbval there.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSON = "11_hill_running"

BANK = f"""\
format: 1
lesson: {LESSON}
title: "Hill running"
questions:
  - id: hills-and-back-pain
    type: true_false
    prompt: "True or false: this course's data show that running uphill causes low back pain."
    hint: Look for a claim or dataset about hills.
    explanation: |
      Nothing in the course's data links hills to low back pain; a claim needs evidence before it is taught.
    sources: [maselli2020]
    objective: "Say what the course's data do and do not show"
    difficulty: easy
    answer: false
    feedback_true: "No data in the course support this."
    feedback_false: "Right: nothing in the course's data links hills to low back pain."
"""

OBJECTIVES = " | ".join([
    "Say what the course's data do and do not show",
    "Find the prevalence of low back pain in runners",
    "Coach the bird dog",
])


def _add_row(lessons_csv: Path) -> None:
    text = lessons_csv.read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(text)))
    row = {name: "" for name in header}
    row.update(id=LESSON, number="11", title="Hill running", summary="A lesson added with no Python.",
               objectives=OBJECTIVES, datasets="prevalence", exercises="bird_dog", tables="red_flags")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([row[name] for name in header])
    lessons_csv.write_text(text + out.getvalue(), encoding="utf-8")


def _notebook(path: Path) -> None:
    import nbformat

    cells = [
        nbformat.v4.new_markdown_cell("# 11 · Hill running\n\n> **Education, not medical advice.**"),
        nbformat.v4.new_code_cell("import backlessons as bl"),
        nbformat.v4.new_code_cell("bl.figures.prevalence()"),
        nbformat.v4.new_code_cell('bl.ExerciseCard("bird_dog")'),
        nbformat.v4.new_code_cell(f'bl.Quiz("{LESSON}")'),
        nbformat.v4.new_code_cell(f'bl.references("{LESSON}")'),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)


def _python_files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*.py"))}


@pytest.mark.slow
def test_a_lesson_added_without_python_runs_under_nbval(tmp_path):
    """Does a new lessons.csv row + bank + notebook (no .py edited) validate, execute and pass strict nbval?"""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "src", project / "src", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(ROOT / "data", project / "data")
    before = _python_files(project / "src")

    _add_row(project / "data" / "lessons.csv")
    (project / "data" / "quizzes" / f"{LESSON}.yaml").write_text(BANK, encoding="utf-8")
    notebook = project / "notebooks" / f"{LESSON}.ipynb"
    notebook.parent.mkdir()
    _notebook(notebook)
    assert _python_files(project / "src") == before

    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "PYTHONPATH": str(project / "src"), "BACKLESSONS_HOME": str(home)}

    def run(*args: str, cwd: Path = project) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)

    check = run("-c", "import backlessons, sys; print(backlessons.__file__); "
                      "from backlessons import display; print(sorted(display.lesson_reference_keys(sys.argv[1])))", LESSON)
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith(str(project / "src")), "the kernel must import the copy, not the checkout"
    keys = check.stdout
    # The new row's columns feed its reference list: prevalence data, the bird dog, the red flags table.
    from backlessons import content, display

    for name in ("maselli2020", *display.table_sources("red_flags"), *content.exercise("bird_dog").sources):
        assert f"'{name}'" in keys

    validate = run("-m", "backlessons", "validate")
    assert validate.returncode == 0, validate.stdout + validate.stderr

    executed = run("-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
                   "--ExecutePreprocessor.record_timing=False", "--ExecutePreprocessor.store_widget_state=False",
                   str(notebook))
    assert executed.returncode == 0, executed.stderr[-2000:]
    # An empty ini of its own: pytest 9 refuses "-c /dev/null" (no .ini/.cfg/.toml suffix).
    empty_ini = tmp_path / "empty.ini"
    empty_ini.write_text("[pytest]\n", encoding="utf-8")
    nbval = run("-m", "pytest", "-q", "-c", str(empty_ini), "--rootdir", str(project), "-p", "no:cacheprovider",
                "--nbval", "--nbval-sanitize-with", str(ROOT / "notebooks" / "sanitize.cfg"), str(notebook))
    assert nbval.returncode == 0, nbval.stdout[-3000:]
