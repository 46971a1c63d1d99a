"""What a lesson shows is course data (lessons.csv columns), checked on load and used by display."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backlessons import content, display
from backlessons.errors import ContentError

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("quizzes", "demo"))
    return root


def _replace(root: Path, old: str, new: str) -> None:
    path = root / "lessons.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in lessons.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_lesson_columns_are_tuples_of_names():
    """Does lessons() give each lesson's datasets, exercises and tables as tuples of names?"""
    lessons = content.lessons().set_index("id")
    assert lessons.loc["02_running_and_the_spine", "datasets"] == ("ground_reaction_force", "intradiscal_pressure")
    assert "side_plank" in lessons.loc["07_rehab_exercises", "exercises"]
    assert lessons.loc["01_causes", "tables"] == ()


def test_every_named_thing_exists_in_the_shipped_data():
    """Does every dataset, exercise and table a lesson names exist (so display never fails on a name)?"""
    datasets, exercises = set(content.dataset_names()), set(content.exercises())
    for _, row in content.lessons().iterrows():
        assert set(row["datasets"]) <= datasets, row["id"]
        assert set(row["exercises"]) <= exercises, row["id"]
        assert set(row["tables"]) <= set(content.tables.TABLE_NAMES), row["id"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "step_rate,,",
            "step_rates,,",
            "lessons.csv: row 7 (05_running_technique): datasets: 'step_rates' is not a dataset in datasets/",
        ),
        (
            ";superman;",
            ";supermen;",
            "lessons.csv: row 9 (07_rehab_exercises): exercises: 'supermen' is not an exercise in exercises.yaml",
        ),
        (
            "nice_ng59\n",
            "nice_ng60\n",
            "lessons.csv: row 5 (03_common_injuries_and_treatments): tables: 'nice_ng60' is not a table (",
        ),
    ],
)
def test_a_name_that_does_not_exist_is_reported_with_row_and_column(data_copy, old, new, message):
    """Is a misspelt dataset, exercise or table in lessons.csv reported by file, row, lesson and column?"""
    _replace(data_copy, old, new)
    with pytest.raises(ContentError) as caught:
        content.lessons(data_copy)
    assert message in str(caught.value)
    assert any(message in str(p) for p in content.validate_data(data_copy))


def test_lesson_contents_follow_the_csv_not_code(data_copy, monkeypatch):
    """Does display read which datasets a lesson shows from lessons.csv (edit the row, the answer changes)?"""
    assert display.lesson_contents("04_prevention")["datasets"] == ("prevention",)
    _replace(data_copy, "04_prevention,4,", "04_prevention,4,")  # the copy validates unchanged
    text = (data_copy / "lessons.csv").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("04_prevention,"))
    (data_copy / "lessons.csv").write_text(
        text.replace(row, row.replace(",prevention,,", ",prevention;step_rate,,")), encoding="utf-8"
    )
    edited = content.lessons(data_copy).set_index("id")
    assert edited.loc["04_prevention", "datasets"] == ("prevention", "step_rate")
    shipped = content.rows
    monkeypatch.setattr(content, "rows", lambda kind, name="", root=None: shipped(kind, name, data_copy if kind == "lessons" else root))
    assert display.lesson_contents("04_prevention")["datasets"] == ("prevention", "step_rate")
    assert display.LESSON_DATASETS["04_prevention"] == ("prevention", "step_rate")


def test_old_maps_still_read_the_same():
    """Do display.LESSON_DATASETS, LESSON_EXERCISES and TABLES (now derived from the CSV) keep their shape?"""
    assert display.LESSON_DATASETS["00_start_here"] == ("prevalence", "natural_history")
    assert set(display.LESSON_EXERCISES) == {"07_rehab_exercises"}
    assert display.TABLES == {
        "causes_treatments": "03_common_injuries_and_treatments",
        "red_flags": "08_red_flags_and_clinical_reasoning",
        "claims": "",
    }


def test_unknown_lesson_is_a_content_error():
    """Does asking for a lesson that lessons.csv lacks raise a ContentError naming the lesson?"""
    with pytest.raises(ContentError, match="no_such_lesson"):
        display.lesson_contents("no_such_lesson")
