"""Bank validation: every defect gets one exact line naming file, line, question and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from backlessons.errors import ContentError, Problem
from backlessons.quiz import load_bank, validate_bank, validate_paths, validate_text

from .conftest import EVERY_TYPE, INVALID

# Worded by ruamel.yaml's parser, which backlessons.yamlfile always uses.
FLOW_ERROR = "expected ',' or ']', but got '}'"
TYPES = "single, multiple, true_false, numeric, matching, ordering, case"

# (fixture named after its defect, the exact lines validation prints; BANK stands for the path)
CASES = [
    ("yaml-syntax-error.yaml", [f"BANK:13: not valid YAML: {FLOW_ERROR}"]),
    ("control-character.yaml", ["BANK:3: not valid YAML: character 0x0007 is not allowed"]),
    ("empty-file.yaml", ["BANK: is empty"]),
    ("top-level-list.yaml", ["BANK: must be a mapping with format, lesson, title and questions"]),
    ("missing-format.yaml", ["BANK: format: is required: 1"]),
    ("wrong-format-version.yaml", ["BANK: format: 2 is not a supported format (use 1)"]),
    ("missing-title.yaml", ["BANK: title: is required"]),
    ("lesson-not-a-slug.yaml", ["BANK: lesson: 'Week 3 quiz' must use only a-z, 0-9, '_' and '-'"]),
    ("empty-questions.yaml", ["BANK: questions: must be a non-empty list of questions"]),
    ("unknown-top-level-field.yaml", ["BANK: author: unknown field"]),
    ("duplicate-ids.yaml", ["BANK:13: question q1: id: 'q1' is already used by an earlier question (line 5)"]),
    ("id-with-spaces.yaml",
     ["BANK:5: question Posture cause: id: 'Posture cause' must use only a-z, 0-9, '_' and '-'"]),
    ("missing-id.yaml", ["BANK:5: question #1: id: is required"]),
    ("unknown-type.yaml", [f"BANK:5: question q1: type: 'essay' is not one of {TYPES}"]),
    ("missing-type.yaml", [f"BANK:5: question q1: type: is required: one of {TYPES}"]),
    ("missing-prompt.yaml", ["BANK:5: question q1: prompt: is required"]),
    ("empty-explanation.yaml", ["BANK:5: question q1: explanation: must not be empty"]),
    ("missing-sources.yaml", ["BANK:5: question q1: sources: is required: a list of keys from references.csv"]),
    ("unknown-reference.yaml", ["BANK:5: question q1: sources[1]: 'smith1999' is not a key in references.csv"]),
    ("claim-out-of-range.yaml", ["BANK:5: question q1: claim: 'C19' is not a claim id C1–C18"]),
    ("unknown-difficulty.yaml", ["BANK:5: question q1: difficulty: 'extreme' is not one of easy, medium, hard"]),
    ("tags-not-a-list.yaml", ["BANK:5: question q1: tags: must be a list of words"]),
    ("misspelled-options-field.yaml", [
        "BANK:5: question q1: optoins: unknown field (did you mean 'options'?)",
        "BANK:5: question q1: options: is required: a list of at least 2 options",
    ]),
    ("single-two-correct.yaml", [
        "BANK:5: question q1: options: a single question needs exactly one correct option,"
        " found 2 (options[0], options[1])"
    ]),
    ("single-no-correct.yaml",
     ["BANK:5: question q1: options: a single question needs exactly one correct option, found none"]),
    ("single-one-option.yaml", ["BANK:5: question q1: options: needs at least 2 options, found 1"]),
    ("option-correct-not-boolean.yaml", ["BANK:5: question q1: options[1].correct: must be true or false, not 'yes'"]),
    ("option-without-text.yaml", ["BANK:5: question q1: options[0].text: is required"]),
    ("duplicate-option-text.yaml", ["BANK:5: question q1: options[1].text: 'No' repeats an earlier option"]),
    ("multiple-no-correct.yaml",
     ["BANK:5: question q1: options: a multiple question needs at least one correct option, found none"]),
    ("true-false-missing-feedback.yaml", ["BANK:5: question q1: feedback_false: is required"]),
    ("true-false-answer-not-boolean.yaml", ["BANK:5: question q1: answer: must be true or false, not 'maybe'"]),
    ("numeric-negative-tolerance.yaml",
     ["BANK:5: question q1: tolerance.absolute: must be a number above 0, not -0.1"]),
    ("numeric-two-tolerances.yaml",
     ["BANK:5: question q1: tolerance: must be exactly one of {absolute: NUMBER} or {relative: NUMBER}"]),
    ("numeric-answer-not-a-number.yaml", ["BANK:5: question q1: answer: must be a number, not 'about 2.5'"]),
    ("numeric-range-min-above-max.yaml", ["BANK:5: question q1: ranges[0]: min 3 is above max 1"]),
    ("numeric-aliases-without-unit.yaml",
     ["BANK:5: question q1: unit_aliases: lists other spellings of the unit, so it needs a unit"]),
    ("matching-one-pair.yaml", ["BANK:5: question q1: pairs: needs at least 2 pairs, found 1"]),
    ("matching-duplicate-right.yaml", ["BANK:5: question q1: pairs[1].right: 'helps' repeats an earlier right item"]),
    ("ordering-two-items.yaml", ["BANK:5: question q1: items: needs at least 3 items, found 2"]),
    ("ordering-duplicate-items.yaml", ["BANK:5: question q1: items[2]: 'walk' repeats an earlier item"]),
    ("case-nested-case.yaml", ["BANK:12: question c1/inner: type: a case part cannot itself be a case"]),
    ("case-part-missing-type.yaml", [f"BANK:12: question c1/p1: type: is required: one of {TYPES}"]),
    ("case-duplicate-part-ids.yaml", ["BANK:18: question c1/p1: id: 'p1' is already used by parts[0]"]),
    ("duplicate-yaml-key.yaml", ["BANK:10: question q1: prompt: appears twice in one mapping; YAML would keep only the last"]),
    ("question-not-a-mapping.yaml",
     ["BANK: question #1: must be a mapping with id, type, prompt and the type's fields, not 'just a sentence'"]),
]


@pytest.mark.parametrize(("name", "expected"), CASES, ids=[name for name, _ in CASES])
def test_invalid_bank_message(name: str, expected: list[str]) -> None:
    """Does validation report exactly these lines for a bank with this defect?"""
    path = INVALID / name
    lines = [str(problem) for problem in validate_bank(path)]
    assert lines == [line.replace("BANK", str(path)) for line in expected]


@pytest.mark.parametrize(("name", "expected"), CASES, ids=[name for name, _ in CASES])
def test_load_bank_raises_content_error_with_the_same_lines(name: str, expected: list[str]) -> None:
    """Does load_bank raise one ContentError whose text is exactly the validation lines?"""
    path = INVALID / name
    with pytest.raises(ContentError) as info:
        load_bank(path)
    assert str(info.value) == "\n".join(line.replace("BANK", str(path)) for line in expected)
    assert all(isinstance(problem, Problem) for problem in info.value.problems)


def test_every_fixture_file_is_in_the_table() -> None:
    """Is every file in fixtures/banks/invalid checked by the table above (none forgotten)?"""
    assert sorted(p.name for p in INVALID.glob("*.yaml")) == sorted(name for name, _ in CASES)
    assert len(CASES) >= 25


def test_three_defects_are_all_reported(write_bank) -> None:
    """Are all three defects of one bank reported, not only the first?"""
    path = write_bank("""
        - id: first
          type: single
          prompt: "Which is right?"
          explanation: "Because."
          sources: [nobody2000]
          options:
            - {text: "A", correct: true}
            - {text: "B", correct: true}
        - id: second
          type: numeric
          prompt: "How many?"
          explanation: "Three."
          sources: [swain2020]
          answer: 3
          tolerance: {relative: 0}
    """)
    lines = [str(problem) for problem in validate_bank(path)]
    assert lines == [
        f"{path}:5: question first: sources[0]: 'nobody2000' is not a key in references.csv",
        f"{path}:5: question first: options: a single question needs exactly one correct option,"
        " found 2 (options[0], options[1])",
        f"{path}:13: question second: tolerance.relative: must be a number above 0, not 0",
    ]


def test_problem_lines_point_at_each_question(write_bank) -> None:
    """Does each problem carry the line where its own question starts?"""
    path = write_bank("""
        - id: ok
          type: true_false
          prompt: "p"
          explanation: "e"
          sources: [swain2020]
          answer: true
          feedback_true: "t"
          feedback_false: "f"
        - id: broken
          type: true_false
          prompt: "p"
          explanation: "e"
          sources: [swain2020]
          answer: true
          feedback_true: "t"
    """)
    (problem,) = validate_bank(path)
    assert (problem.line, problem.where, problem.field) == (13, "question broken", "feedback_false")


def test_case_part_problem_names_case_and_part(write_bank) -> None:
    """Does a problem inside a case part name it as question CASE/PART?"""
    path = write_bank("""
        - id: visit
          type: case
          prompt: "Read the case."
          explanation: "e"
          sources: [nice_ng59]
          vignette: "A runner."
          parts:
            - id: dose
              type: numeric
              prompt: "How many seconds?"
              answer: 5
              tolerance: {absolute: -1}
    """)
    (problem,) = validate_bank(path)
    assert str(problem) == f"{path}:12: question visit/dose: tolerance.absolute: must be a number above 0, not -1"


def test_valid_bank_has_no_problems() -> None:
    """Does the bank with one question of every type validate cleanly?"""
    assert validate_bank(EVERY_TYPE) == []


def test_validate_text_labels_problems_with_the_given_path() -> None:
    """Does validate_text report problems under the path it is given?"""
    (problem,) = validate_text("format: 1\nlesson: x\ntitle: t\n", path="mine.yaml")
    assert str(problem) == "mine.yaml: questions: is required: a list of questions"


def test_validate_paths_walks_a_folder(tmp_path: Path) -> None:
    """Does validate_paths check every .yaml file in a folder, in name order?"""
    for name in ("b-missing-title.yaml", "a-missing-format.yaml"):
        (tmp_path / name).write_text((INVALID / name.split("-", 1)[1]).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a bank", encoding="utf-8")
    lines = [str(problem) for problem in validate_paths([tmp_path])]
    assert lines == [
        f"{tmp_path / 'a-missing-format.yaml'}: format: is required: 1",
        f"{tmp_path / 'b-missing-title.yaml'}: title: is required",
    ]


def test_validate_paths_reports_missing_and_empty(tmp_path: Path) -> None:
    """Are a missing file and a folder without banks reported rather than ignored?"""
    missing = tmp_path / "nope.yaml"
    empty = tmp_path / "empty"
    empty.mkdir()
    lines = [str(problem) for problem in validate_paths([missing, str(empty), EVERY_TYPE])]
    assert lines == [f"{missing}: file not found", f"{empty}: folder holds no .yaml banks"]


def test_validate_paths_accepts_a_shipped_lesson_id() -> None:
    """Can a shipped lesson id be validated by name, with messages under quizzes/<id>.yaml?"""
    from backlessons.quiz import shipped_banks

    problems = validate_paths(["no_such_lesson"])
    assert [str(p) for p in problems][0].startswith("quizzes/no_such_lesson.yaml: no shipped bank for lesson")
    for lesson in shipped_banks():
        assert all(p.path == f"quizzes/{lesson}.yaml" for p in validate_paths([lesson]))


def test_shipped_bank_lesson_must_match_file_name(tmp_path: Path, monkeypatch) -> None:
    """Is a shipped bank whose lesson differs from its file name reported?"""
    from backlessons.quiz import bank

    (tmp_path / "01_causes.yaml").write_text(
        EVERY_TYPE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(bank, "_quizzes_dir", lambda: tmp_path)
    (problem,) = validate_bank("01_causes")
    assert str(problem) == "quizzes/01_causes.yaml: lesson: 'every_type' does not match the file name 01_causes.yaml"


def test_not_utf8_is_reported(tmp_path: Path) -> None:
    """Is a bank saved in another encoding reported as one clear problem?"""
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: café".encode("latin-1"))
    assert [str(p) for p in validate_bank(path)] == [f"{path}: is not UTF-8 text"]


def test_references_are_checked_against_references_csv() -> None:
    """Are source keys checked against the real references.csv (all its keys accepted)?"""
    import csv
    from importlib.resources import files

    from backlessons.quiz import reference_keys

    with (files("backlessons") / "data" / "references.csv").open(encoding="utf-8") as handle:
        keys = {row["key"] for row in csv.DictReader(handle)}
    assert reference_keys() == keys
    assert "swain2020" in keys


def test_duplicate_key_outside_questions_names_no_question(tmp_path: Path) -> None:
    """Is a key repeated at the top level, after the questions, reported without a question name?"""
    path = tmp_path / "dup.yaml"
    path.write_text(EVERY_TYPE.read_text(encoding="utf-8") + "title: Again\n", encoding="utf-8")
    lines = [str(p) for p in validate_bank(path)]
    last = len(EVERY_TYPE.read_text(encoding="utf-8").splitlines()) + 1
    assert lines == [f"{path}:{last}: title: appears twice in one mapping; YAML would keep only the last"]
