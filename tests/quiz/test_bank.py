"""Loading banks: shipped lesson ids and paths, the Bank object, the type registry, grade()."""

from __future__ import annotations

from pathlib import Path

import pytest

from backlessons.errors import ContentError
from backlessons.quiz import (
    QUESTION_TYPES,
    Bank,
    CaseQuestion,
    Grade,
    MatchingQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderingQuestion,
    Question,
    SingleQuestion,
    TrueFalseQuestion,
    grade,
    load_bank,
    shipped_banks,
)

from .conftest import EVERY_TYPE


def test_load_by_str_and_path_give_the_same_bank() -> None:
    """Does load_bank accept a str or a Path and keep the path as given?"""
    by_str, by_path = load_bank(str(EVERY_TYPE)), load_bank(EVERY_TYPE)
    assert by_str == by_path
    assert by_str.path == str(EVERY_TYPE)
    assert (by_str.lesson, by_str.title) == ("every_type", "One question of every type")


def test_every_type_bank_holds_one_question_of_each_type(every_type: Bank) -> None:
    """Does the every-type fixture parse into one dataclass of each registered type, in file order?"""
    assert [type(q) for q in every_type.questions] == [
        SingleQuestion, MultipleQuestion, TrueFalseQuestion, NumericQuestion,
        MatchingQuestion, OrderingQuestion, CaseQuestion,
    ]
    assert [q.type for q in every_type.questions] == list(QUESTION_TYPES)
    assert all(isinstance(q, Question) for q in every_type.questions)


def test_common_fields_and_defaults(every_type: Bank) -> None:
    """Are the shared fields read, with difficulty defaulting to medium and claim to None?"""
    first = every_type.question("posture-evidence")
    assert first.sources == ("swain2020",)
    assert (first.claim, first.difficulty, first.tags) == ("C1", "easy", ("posture", "evidence"))
    assert first.objective == "Judge how strong the evidence on posture is"
    ordering = every_type.question("return-to-running")
    assert (ordering.claim, ordering.objective, ordering.tags) == (None, "", ())
    assert every_type.question("nice-first-line").difficulty == "medium"


def test_questions_are_frozen(every_type: Bank) -> None:
    """Are questions and grades immutable, so a widget cannot change the key by accident?"""
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        every_type.questions[0].prompt = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Grade(1.0, True).score = 0.0  # type: ignore[misc]


def test_bank_question_lookup(every_type: Bank) -> None:
    """Does Bank.question find by id and raise KeyError naming the bank otherwise?"""
    assert every_type.question("runners-discs").type == "true_false"
    assert every_type.ids[0] == "posture-evidence"
    with pytest.raises(KeyError, match="every_type.yaml"):
        every_type.question("missing")


def test_missing_file_raises_content_error(tmp_path: Path) -> None:
    """Is a missing bank file one ContentError naming the path?"""
    with pytest.raises(ContentError) as info:
        load_bank(tmp_path / "nope.yaml")
    assert str(info.value) == f"{tmp_path / 'nope.yaml'}: file not found"


def test_unknown_lesson_id_raises_content_error() -> None:
    """Is an unknown lesson id one ContentError that lists the shipped banks?"""
    with pytest.raises(ContentError) as info:
        load_bank("99_nothing")
    message = str(info.value)
    assert message.startswith("quizzes/99_nothing.yaml: no shipped bank for lesson '99_nothing' (shipped: ")
    for lesson in shipped_banks():
        assert lesson in message


def test_folder_is_not_a_bank(tmp_path: Path) -> None:
    """Is passing a folder to load_bank a ContentError rather than an OSError?"""
    with pytest.raises(ContentError, match="is a folder, not a bank file"):
        load_bank(tmp_path)


def test_not_a_path_raises_content_error() -> None:
    """Is a value that is neither a str nor a Path one ContentError?"""
    with pytest.raises(ContentError, match="neither a lesson id nor a path"):
        load_bank(42)  # type: ignore[arg-type]


def test_shipped_banks_are_the_yaml_files_in_data_quizzes() -> None:
    """Does shipped_banks list exactly the .yaml files of data/quizzes, sorted, by lesson id?"""
    from importlib.resources import files

    folder = files("backlessons") / "data" / "quizzes"
    expected = sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))
    assert list(shipped_banks()) == expected


@pytest.mark.parametrize("lesson", shipped_banks())
def test_shipped_bank_loads_by_lesson_id(lesson: str) -> None:
    """Does every shipped bank load by its lesson id, with the matching lesson and label?"""
    bank = load_bank(lesson)
    assert bank.lesson == lesson
    assert bank.path == f"quizzes/{lesson}.yaml"
    assert bank.questions


def test_grade_dispatches_on_type(every_type: Bank) -> None:
    """Does quiz.grade call the grader of each question's own type?"""
    single = every_type.question("posture-evidence")
    assert grade(single, 1).correct and not grade(single, 0).correct
    assert grade(every_type.question("runners-discs"), False).correct


def test_grade_rejects_something_that_is_not_a_question() -> None:
    """Is grading a non-question a TypeError (a programming error, unlike a bad response)?"""
    with pytest.raises(TypeError):
        grade("posture-evidence", 1)  # type: ignore[arg-type]


def test_registry_entries_are_consistent() -> None:
    """Does every registered type name its own dataclass, parser and grader module?"""
    for name, qtype in QUESTION_TYPES.items():
        assert qtype.name == name
        assert issubclass(qtype.cls, Question)
        assert qtype.parse.__module__ == qtype.grade.__module__ == qtype.cls.__module__


def test_quiz_package_does_not_import_widgets() -> None:
    """Does importing the quiz engine leave ipywidgets unimported (pure Python)?"""
    import subprocess
    import sys

    code = "import sys, backlessons.quiz, backlessons.markup; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_type_parser_can_be_called_directly() -> None:
    """Does a type module's parse(raw, ctx) return (question, []) or (None, problems) without raising?"""
    from backlessons.quiz import ordering
    from backlessons.quiz.model import ParseContext

    raw = {"id": "o", "type": "ordering", "prompt": "p", "explanation": "e", "sources": ["swain2020"],
           "items": ["a", "b", "c"]}
    question, problems = ordering.parse(raw, ParseContext(path="mine.yaml", where="question o", line=3,
                                                          reference_keys=frozenset({"swain2020"})))
    assert problems == [] and question is not None and question.items == ("a", "b", "c")
    question, problems = ordering.parse(dict(raw, items=["a", "b"]), ParseContext("mine.yaml", "question o", 3))
    assert question is None
    assert [str(p) for p in problems] == ["mine.yaml:3: question o: items: needs at least 3 items, found 2"]


def test_yml_files_in_a_folder_are_validated_too(tmp_path: Path) -> None:
    """Are .yml files in a folder checked along with .yaml files?"""
    from backlessons.quiz import validate_paths

    (tmp_path / "a.yml").write_text("format: 1\n", encoding="utf-8")
    assert [p.field for p in validate_paths([tmp_path])] == ["lesson", "title", "questions"]
