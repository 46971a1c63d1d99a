"""Does every question type have all its parts, and is everything built from the types current?

A question type is declared once, by its module's ``TYPE`` (backlessons.quiz.registry).
These tests fail when a registered type lacks a part (parser, grader, answer-key lines,
display name, a template example that validates, a view, what the instructor tools need:
a wrong answer and response text for the demo class, a random-guess score, its options
for the distractor analysis), when a view has no type, or when the docs' table of types
or the bank template has fallen behind the registry.
"""

from __future__ import annotations

import math
import random
import tempfile
import textwrap
from pathlib import Path

import pytest

from backlessons.quiz import QUESTION_TYPES, Grade, Question, load_bank, validate_text
from backlessons.quiz.bank import parse_bank
from backlessons.quiz.keys import AnswerKey
from backlessons.quiz.registry import (
    QuestionType,
    answer_key,
    answer_text,
    choice_options,
    grade,
    random_guess,
    response_text,
    right_response,
    template_examples,
    wrong_response,
)
from backlessons.quiz.typetable import TABLE_END, TABLE_START, type_table, with_type_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "question-bank.md"
HEADER = "format: 1\nlesson: parity\ntitle: One example\nquestions:\n"


def _example_bank_text(qtype: QuestionType) -> str:
    return HEADER + textwrap.indent(qtype.example.strip("\n"), "  ") + "\n"


def _example_question(qtype: QuestionType) -> Question:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "example.yaml"
        path.write_text(_example_bank_text(qtype), encoding="utf-8")
        return load_bank(path).questions[0]


TYPES = list(QUESTION_TYPES.values())


def test_there_are_types_to_check() -> None:
    """Is the registry filled (a parity test over nothing would pass vacuously)?"""
    assert len(QUESTION_TYPES) >= 7


@pytest.mark.parametrize("qtype", TYPES, ids=lambda t: t.name)
def test_type_declares_every_part(qtype: QuestionType) -> None:
    """Does this type declare a dataclass, parser, grader, key lines, reveal text, name, response and fields?"""
    assert issubclass(qtype.cls, Question)
    for part in (qtype.parse, qtype.grade, qtype.answer_key, qtype.answer_text, qtype.right_response):
        assert callable(part)
    assert qtype.label.strip() and qtype.label[0].isupper()
    assert qtype.response.strip()
    assert qtype.fields and all(isinstance(f, str) for f in qtype.fields)


@pytest.mark.parametrize("qtype", TYPES, ids=lambda t: t.name)
def test_template_example_validates_and_is_of_its_type(qtype: QuestionType) -> None:
    """Is the type's template example a valid question of that very type, with a teaching comment?"""
    assert qtype.example.startswith(f"# {qtype.name}:")
    assert validate_text(_example_bank_text(qtype), f"{qtype.name}-example.yaml") == []
    assert _example_question(qtype).type == qtype.name


@pytest.mark.parametrize("qtype", TYPES, ids=lambda t: t.name)
def test_example_is_parsed_graded_and_keyed_by_its_type(qtype: QuestionType) -> None:
    """Do the type's grader, right response, answer-key lines and reveal text work on its own example?"""
    question = _example_question(qtype)
    assert isinstance(question, qtype.cls)
    bad = qtype.grade(question, object())  # a response of no known shape: not an attempt
    assert isinstance(bad, Grade) and not bad.valid
    right = grade(question, right_response(question))  # the grader and the declared key agree
    assert right.valid and right.correct and right.score == 1.0
    key = answer_key(question)
    assert isinstance(key, AnswerKey) and key.answer
    assert isinstance(answer_text(question), str)
    for part in key.parts:  # a question made of parts: each part is keyed by its own type
        assert answer_key(part).answer


@pytest.mark.parametrize("qtype", TYPES, ids=lambda t: t.name)
def test_type_gives_the_demo_class_wrong_answers_and_response_texts(qtype: QuestionType) -> None:
    """Is the type's wrong response (for the demo class) a valid attempt short of full marks, and is any response shown as text?"""
    question = _example_question(qtype)
    assert callable(qtype.wrong_response) and callable(qtype.response_text)
    right_text = response_text(question, right_response(question))
    assert isinstance(right_text, str) and right_text.strip()
    for seed in range(20):
        wrong = wrong_response(question, random.Random(seed))
        result = grade(question, wrong)
        assert result.valid and not result.correct and result.score < 1.0, (seed, wrong)
        text = response_text(question, wrong)
        assert isinstance(text, str) and text.strip() and text != right_text


@pytest.mark.parametrize("qtype", TYPES, ids=lambda t: t.name)
def test_type_gives_a_random_guess_score(qtype: QuestionType) -> None:
    """Is the type's random-guess score a number from 0 to 1 (or NaN: not computed), below full marks?"""
    assert callable(qtype.random_guess)
    guess = random_guess(_example_question(qtype))
    assert isinstance(guess, float)
    assert math.isnan(guess) or 0.0 <= guess < 1.0


@pytest.mark.parametrize("qtype", TYPES, ids=lambda t: t.name)
def test_type_options_are_read_back_from_its_right_response(qtype: QuestionType) -> None:
    """Does a type with options give (text, is right) for each, and does the option analysis read its right response as the right options?"""
    from backlessons.instructor.stats import option_statistics
    from backlessons.progress import encode_response

    question = _example_question(qtype)
    assert isinstance(qtype.option_names, tuple) and all(isinstance(n, str) for n in qtype.option_names)
    if qtype.choice_options is None:  # declared without options: then it has no fixed option names either
        assert choice_options(question) is None and qtype.option_names == ()
        return
    options = choice_options(question)
    assert options and all(isinstance(text, str) and isinstance(right, bool) for text, right in options)
    assert any(right for _, right in options)
    if qtype.option_names:
        assert [text for text, _ in options] == list(qtype.option_names)
    table = option_statistics([encode_response(right_response(question))], [1.0], [0.0], options,
                              option_names=qtype.option_names)
    assert table["chosen"].tolist() == [int(right) for _, right in options]


@pytest.mark.parametrize("qtype", TYPES, ids=lambda t: t.name)
def test_every_type_has_a_view(qtype: QuestionType) -> None:
    """Is there a widget view registered for this type, which builds for the type's example?"""
    from backlessons.widgets.questions import VIEW_TYPES, view_for

    assert qtype.name in VIEW_TYPES
    view = view_for(_example_question(qtype), seed=0)
    assert type(view) is VIEW_TYPES[qtype.name]


def test_every_view_is_of_a_registered_type() -> None:
    """Is every registered view for a question type the package knows (no orphan views)?"""
    from backlessons.widgets.questions import VIEW_TYPES

    assert sorted(set(VIEW_TYPES) - set(QUESTION_TYPES)) == []


def test_docs_type_table_is_current() -> None:
    """Does docs/question-bank.md hold the table generated from the registry (regenerate: see its comment)?"""
    text = DOC.read_text(encoding="utf-8")
    assert TABLE_START in text and TABLE_END in text
    assert with_type_table(text) == text, "run: python -m backlessons.quiz.typetable docs/question-bank.md"
    for qtype in TYPES:
        assert f"| `{qtype.name}` | {qtype.label} |" in type_table()


def test_bank_template_holds_every_example_in_order() -> None:
    """Does a new bank carry every registered type's example, in registration order?"""
    from backlessons.instructor.scaffold import template_text

    text = template_text()
    positions = [text.index(textwrap.indent(t.example.strip("\n"), "  ")) for t in TYPES]
    assert positions == sorted(positions)
    assert text.endswith(template_examples())
    assert " | ".join(QUESTION_TYPES) in text  # the rules in its head name every type


def test_registering_a_second_type_of_the_same_name_is_refused() -> None:
    """Does the registry refuse a different type under a name already taken?"""
    from dataclasses import replace

    from backlessons.quiz.registry import register

    single = QUESTION_TYPES["single"]
    assert register(single) is single  # registering the same declaration again is harmless
    with pytest.raises(ValueError, match="already registered"):
        register(replace(single, label="Another single"))


def test_unknown_type_names_every_registered_type() -> None:
    """Does a bank with an unknown type list every registered type in its message?"""
    bank, problems = parse_bank({"format": 1, "lesson": "x", "title": "X", "questions": [
        {"id": "q", "type": "essay", "prompt": "P", "explanation": "E", "sources": ["nice_ng59"]}]}, "x.yaml")
    assert bank is None
    assert ", ".join(QUESTION_TYPES) in str(problems[0])
