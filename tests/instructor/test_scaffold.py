"""Tests for backlessons.instructor.scaffold: new banks that validate as written."""

from __future__ import annotations

import pytest
import yaml

from backlessons.errors import ContentError
from backlessons.instructor.scaffold import new_bank, template_text
from backlessons.quiz import QUESTION_TYPES, load_bank, validate_bank, validate_text


def _types(bank) -> set[str]:
    found = set()
    for question in bank.questions:
        found.add(question.type)
        found.update(part.type for part in getattr(question, "parts", ()))
    return found


def test_new_bank_validates_and_has_every_question_type(tmp_path):
    """Does a new bank pass validation as is, with one example of every question type?"""
    path = new_bank("week3", directory=tmp_path)
    assert path == tmp_path / "week3.yaml"
    assert validate_bank(path) == []
    bank = load_bank(path)
    assert bank.lesson == "week3"
    assert _types(bank) == set(QUESTION_TYPES)
    assert len([q for q in bank.questions if q.type != "case"]) == len(QUESTION_TYPES) - 1


def test_new_bank_keeps_the_teaching_comments(tmp_path):
    """Does the new file explain its fields in comments and name itself in the validate hint?"""
    text = new_bank("week3", directory=tmp_path).read_text(encoding="utf-8")
    assert "backlessons validate week3.yaml" in text
    for type_name in QUESTION_TYPES:
        assert f"# {type_name}:" in text, type_name


def test_shipped_template_is_itself_a_valid_bank():
    """Is the template in the package a valid bank, so a broken install is caught here?"""
    assert validate_text(template_text(), "bank_template.yaml") == []
    assert yaml.safe_load(template_text())["lesson"] == "my_bank"


def test_existing_file_is_never_overwritten(tmp_path):
    """Is a clear error raised, and the file left alone, when the bank already exists?"""
    path = tmp_path / "week3.yaml"
    path.write_text("my work\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match="refusing to overwrite"):
        new_bank("week3", directory=tmp_path)
    assert path.read_text(encoding="utf-8") == "my work\n"


@pytest.mark.parametrize("name", ["Week 3", "../escape", "", "wk/3", "ÄÖ"])
def test_unusable_names_are_refused(tmp_path, name):
    """Is a name that cannot be a lesson id refused with a ContentError naming the field?"""
    with pytest.raises(ContentError, match="name"):
        new_bank(name, directory=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_created(tmp_path):
    """Is the target folder created when it does not exist yet?"""
    path = new_bank("w1", directory=tmp_path / "banks" / "spring")
    assert path.is_file()
