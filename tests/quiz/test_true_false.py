"""True/false: a bool response, feedback for the answer given."""

from __future__ import annotations

import pytest

from backlessons.quiz import TrueFalseQuestion, grade


@pytest.fixture
def question(every_type) -> TrueFalseQuestion:
    return every_type.question("runners-discs")


def test_right_answer(question) -> None:
    """Does the right answer (false) score 1 with the feedback written for false?"""
    result = grade(question, False)
    assert (result.score, result.correct, result.valid) == (1.0, True, True)
    assert result.feedback == ("Right: the discs of runners looked, if anything, healthier.",)


def test_wrong_answer(question) -> None:
    """Does the wrong answer score 0 with the feedback written for true?"""
    result = grade(question, True)
    assert (result.score, result.correct, result.valid) == (0.0, False, True)
    assert result.feedback == ("Not so: runners showed better disc hydration and height.",)


def test_statement_that_is_true(make_question) -> None:
    """Is a statement whose answer is true graded right when the learner says true?"""
    question = make_question("""
        - id: q
          type: true_false
          prompt: "Exercise helps chronic low back pain."
          explanation: "e"
          sources: [hayden2021]
          answer: true
          feedback_true: "Right."
          feedback_false: "It does help."
    """)
    assert question.answer is True
    assert grade(question, True).correct and not grade(question, False).correct


@pytest.mark.parametrize("response", [None, 0, 1, "true", "False", [], [True]])
def test_malformed_response_is_not_an_attempt(question, response) -> None:
    """Is anything but a real bool graded invalid (so 1 or 'true' never count by accident)?"""
    result = grade(question, response)
    assert (result.valid, result.score, result.correct) == (False, 0.0, False)
    assert result.feedback == ("Choose true or false.",)
