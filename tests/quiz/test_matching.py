"""Matching: lefts to rights plus distractors; score = fraction of lefts matched right."""

from __future__ import annotations

import pytest

from backlessons.quiz import MatchingQuestion, grade


@pytest.fixture
def question(every_type) -> MatchingQuestion:
    return every_type.question("claim-verdicts")


def test_right_options_are_rights_in_file_order_then_distractors(question) -> None:
    """Is right_options the pairs' rights in file order followed by the distractors?"""
    assert question.right_options == ("supported", "contradicted", "unsupported", "proven beyond doubt")
    assert question.lefts[0] == "Exercise prevents low back pain episodes"


def test_all_matched_right(question) -> None:
    """Does matching every left with its own right score 1 with no feedback?"""
    result = grade(question, {0: 0, 1: 1, 2: 2})
    assert (result.score, result.correct, result.valid, result.feedback) == (1.0, True, True, ())


def test_partial_credit_and_feedback_for_wrong_pairs(question) -> None:
    """Is the score the fraction of lefts matched right, with feedback only for the wrong ones?"""
    result = grade(question, {0: 0, 1: 3, 2: 1})
    assert result.score == pytest.approx(1 / 3)
    assert not result.correct
    assert result.feedback == ("Runners' discs look healthier on MRI.", "Only slumped *sitting* has been studied.")


def test_same_right_twice_is_graded_not_rejected(question) -> None:
    """Can a learner use one right for two lefts (graded, one of them wrong)?"""
    result = grade(question, {0: 0, 1: 0, 2: 2})
    assert result.valid and result.score == pytest.approx(2 / 3)


def test_pair_without_feedback_says_what_goes_with_what(make_question) -> None:
    """When a wrongly matched pair has no feedback, does the feedback name the right match?"""
    question = make_question("""
        - id: q
          type: matching
          prompt: "p"
          explanation: "e"
          sources: [swain2020]
          pairs:
            - {left: "A", right: "1"}
            - {left: "B", right: "2"}
    """)
    result = grade(question, {0: 1, 1: 0})
    assert result.score == 0.0
    assert result.feedback == ("A goes with 1.", "B goes with 2.")


@pytest.mark.parametrize(
    "response",
    [None, [0, 1, 2], "0:0", {0: 0, 1: 1}, {0: 0, 1: 1, 2: 4}, {0: 0, 1: 1, 3: 2}, {0: 0, 1: 1, 2: -1},
     {"0": 0, 1: 1, 2: 2}, {0: 0, 1: 1, 2: True}, {0: 0.0, 1: 1, 2: 2}],
)
def test_malformed_response_is_not_an_attempt(question, response) -> None:
    """Is an incomplete, out-of-range or wrongly typed match graded invalid with a hint?"""
    result = grade(question, response)
    assert (result.valid, result.score, result.correct) == (False, 0.0, False)
    assert len(result.feedback) == 1


def _mean_grade_of_every_assignment(question: MatchingQuestion) -> float:
    """Grade every assignment of a right-hand choice to each left, one by one, with the package's grader."""
    import itertools

    from backlessons.quiz.guessing import mean_score

    lefts, rights = len(question.pairs), len(question.right_options)
    return mean_score(question, rights ** lefts,
                      lambda: (dict(enumerate(choice)) for choice in itertools.product(range(rights), repeat=lefts)),
                      lambda rng: {})


def test_random_guess_is_the_mean_grade_of_every_assignment(question) -> None:
    """Is matching's random-guess score the mean of grading every assignment of a right to each left?"""
    from backlessons.quiz.registry import random_guess

    assert random_guess(question) == pytest.approx(_mean_grade_of_every_assignment(question)) == pytest.approx(1 / 4)


@pytest.mark.parametrize(("pairs", "distractors"), [(2, 0), (3, 2), (5, 1)])
def test_random_guess_holds_for_other_sizes(make_question, pairs, distractors) -> None:
    """With other numbers of pairs and distractors, is it still the mean grade of every assignment?"""
    from backlessons.quiz.registry import random_guess

    lines = ["- id: q", "  type: matching", '  prompt: "p"', '  explanation: "e"', "  sources: [swain2020]", "  pairs:"]
    lines += [f'    - {{left: "L{i}", right: "R{i}"}}' for i in range(pairs)]
    if distractors:
        lines.append("  distractors: [" + ", ".join(f'"D{i}"' for i in range(distractors)) + "]")
    question = make_question("\n".join(lines) + "\n")
    assert len(question.right_options) == pairs + distractors
    assert random_guess(question) == pytest.approx(_mean_grade_of_every_assignment(question))
    assert random_guess(question) == pytest.approx(1 / (pairs + distractors))
