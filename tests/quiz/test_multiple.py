"""Multiple choice: partial credit max(0, (right - wrong) / number right), feedback for each pick."""

from __future__ import annotations

import pytest

from backlessons.quiz import MultipleQuestion, grade


@pytest.fixture
def question(make_question) -> MultipleQuestion:
    # Options 0, 1, 2 are right; 3 and 4 are wrong.
    return make_question("""
        - id: q
          type: multiple
          prompt: "Which of these are red flags?"
          explanation: "e"
          sources: [nice_ng59]
          options:
            - {text: "Saddle numbness", correct: true, feedback: "Yes: cauda equina."}
            - {text: "Unexplained weight loss", correct: true, feedback: "Yes: possible cancer."}
            - {text: "Fever", correct: true}
            - {text: "Stiffness after a long run", feedback: "Common and harmless."}
            - {text: "Pain that eases with movement", feedback: "Reassuring."}
    """)


@pytest.mark.parametrize(
    ("picks", "score"),
    [
        ([0, 1, 2], 1.0),
        ([0, 1], 2 / 3),
        ([0], 1 / 3),
        ([0, 1, 2, 3], 2 / 3),
        ([0, 3], 0.0),
        ([0, 3, 4], 0.0),
        ([3, 4], 0.0),
        ({2, 1, 0}, 1.0),
        ((2, 0), 2 / 3),
    ],
)
def test_partial_credit(question, picks, score) -> None:
    """Is the score max(0, (right picks - wrong picks) / number of right options)?"""
    result = grade(question, picks)
    assert result.score == pytest.approx(score)
    assert result.correct is (score == 1.0)
    assert result.valid


def test_feedback_of_each_pick_then_missed_right_options(question) -> None:
    """Does feedback show each chosen option's feedback, then name the right options missed?"""
    result = grade(question, [3, 0])
    assert result.feedback == (
        "Yes: cauda equina.",
        "Common and harmless.",
        "Also right: Unexplained weight loss. Yes: possible cancer.",
        "Also right: Fever.",
    )


def test_full_marks_mentions_nothing_missed(every_type) -> None:
    """When every right option is picked, is nothing reported as missed?"""
    result = grade(every_type.question("nice-first-line"), [0, 1])
    assert result.correct
    assert not any(text.startswith("Also right") for text in result.feedback)


def test_answer_indexes(question) -> None:
    """Does answer_indexes list the right options in file order?"""
    assert question.answer_indexes == frozenset({0, 1, 2})


@pytest.mark.parametrize("response", [[], 0, "01", {0: True}, [0, 0], [0, 5], [-1], [True], [0.0], None, b"\x00"])
def test_malformed_response_is_not_an_attempt(question, response) -> None:
    """Is an empty, repeated, out-of-range or non-list response graded invalid with a hint?"""
    result = grade(question, response)
    assert (result.valid, result.score, result.correct) == (False, 0.0, False)
    assert len(result.feedback) == 1


def test_a_generator_is_accepted(question) -> None:
    """Can picks come as any iterable, such as a generator?"""
    assert grade(question, (i for i in (0, 1, 2))).correct


def test_missed_option_ending_in_a_full_stop_gets_no_second_one(make_question) -> None:
    """Is a missed option whose text already ends in '.' quoted without a doubled full stop?"""
    question = make_question("""
        - id: q
          type: multiple
          prompt: "p"
          explanation: "e"
          sources: [swain2020]
          options:
            - {text: "Stay active.", correct: true}
            - {text: "Rest in bed", correct: true}
    """)
    assert grade(question, [1]).feedback == ("Also right: Stay active.",)
    assert grade(question, [0]).feedback == ("Also right: Rest in bed.",)
