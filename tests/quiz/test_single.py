"""Single choice: one right option, per-option feedback, malformed responses."""

from __future__ import annotations

import pytest

from backlessons.quiz import Grade, SingleQuestion, grade


@pytest.fixture
def question(every_type) -> SingleQuestion:
    return every_type.question("posture-evidence")


def test_right_option_scores_full_marks(question) -> None:
    """Does the right option score 1 and show its own feedback?"""
    assert question.answer_index == 1
    assert grade(question, 1) == Grade(1.0, True, True, ("Right: reviews do not find a consistent link.",))


def test_wrong_option_scores_zero_with_its_feedback(question) -> None:
    """Does a wrong option score 0 and show that option's feedback, not another's?"""
    result = grade(question, 2)
    assert (result.score, result.correct, result.valid) == (0.0, False, True)
    assert result.feedback == ("Nothing supports a claim this strong.",)


def test_option_without_feedback_gives_empty_feedback(make_question) -> None:
    """Is an option with no feedback graded with an empty feedback tuple (no blank line)?"""
    question = make_question("""
        - id: q
          type: single
          prompt: "p"
          explanation: "e"
          sources: [swain2020]
          options:
            - {text: "a", correct: true}
            - {text: "b"}
    """)
    assert grade(question, 0).feedback == ()


def test_numpy_style_integer_is_accepted(question) -> None:
    """Is any integral index accepted, not only a Python int?"""
    import numpy as np

    assert grade(question, np.int64(1)).correct


@pytest.mark.parametrize("response", [None, "1", 1.0, True, False, -1, 3, [1], {1: 1}])
def test_malformed_response_is_not_an_attempt(question, response) -> None:
    """Is a response that is not an option index graded invalid, with a hint and no score?"""
    result = grade(question, response)
    assert (result.valid, result.score, result.correct) == (False, 0.0, False)
    assert len(result.feedback) == 1 and result.feedback[0]


def test_out_of_range_hint_names_the_count(question) -> None:
    """Does the hint for an index past the end say how many options there are?"""
    assert grade(question, 7).feedback == ("There is no option 7; pick one of the 3 options.",)


def test_single_has_no_partial_credit(question) -> None:
    """Are the only possible scores 0 and 1?"""
    assert {grade(question, i).score for i in range(3)} == {0.0, 1.0}
