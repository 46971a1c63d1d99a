"""Ordering: score = fraction of item pairs in the right relative order."""

from __future__ import annotations

import pytest

from backlessons.quiz import OrderingQuestion, grade


@pytest.fixture
def question(every_type) -> OrderingQuestion:
    return every_type.question("return-to-running")


@pytest.mark.parametrize(
    ("order", "score"),
    [
        ([0, 1, 2, 3], 1.0),
        ([3, 2, 1, 0], 0.0),
        ([1, 0, 2, 3], 5 / 6),
        ([0, 1, 3, 2], 5 / 6),
        ([3, 0, 1, 2], 3 / 6),
        ([1, 2, 3, 0], 3 / 6),
        ((0, 2, 1, 3), 5 / 6),
    ],
)
def test_score_is_fraction_of_pairs_in_order(question, order, score) -> None:
    """Is the score the share of the 6 item pairs whose relative order is right?"""
    result = grade(question, order)
    assert result.valid
    assert result.score == pytest.approx(score)
    assert result.correct is (score == 1.0)


def test_feedback_counts_pairs(question) -> None:
    """Does a partly right order say how many pairs are in order, and a right one say nothing?"""
    assert grade(question, [1, 0, 2, 3]).feedback == ("5 of 6 pairs of items are in the right order.",)
    assert grade(question, [0, 1, 2, 3]).feedback == ()


@pytest.mark.parametrize(
    "response",
    [None, 0, "0123", {0: 0}, [0, 1, 2], [0, 1, 2, 3, 3], [0, 0, 1, 2], [0, 1, 2, 4], [-1, 0, 1, 2],
     [0, 1, 2, True], [0.0, 1, 2, 3], {0, 1, 2, 3}],
)
def test_malformed_response_is_not_an_attempt(question, response) -> None:
    """Is a response that is not a full permutation of the items graded invalid with a hint?"""
    result = grade(question, response)
    assert (result.valid, result.score, result.correct) == (False, 0.0, False)
    assert len(result.feedback) == 1


def test_duplicate_hint(question) -> None:
    """Does a repeated item get the hint to use each item once?"""
    assert grade(question, [0, 0, 1, 2]).feedback == ("Use each item once.",)
