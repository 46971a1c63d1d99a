"""Numeric answers: typed text with decimal commas and units, tolerances, range feedback."""

from __future__ import annotations

import pytest

from backlessons.quiz import NumericQuestion, grade
from backlessons.quiz.numeric import parse_number

BW = """
- id: peak-force
  type: numeric
  prompt: "Peak vertical ground reaction force in running, in body weights?"
  explanation: "About 2.5 times body weight."
  sources: [cavanagh1980]
  answer: 2.5
  tolerance: {absolute: 0.3}
  unit: BW
  unit_aliases: [body weights, "x BW"]
  ranges:
    - {max: 1.5, feedback: "That is closer to walking."}
    - {min: 4, feedback: "Too high for running."}
    - {min: 3, feedback: "Not this one: the first matching range wins."}
"""


@pytest.fixture
def bw(make_question) -> NumericQuestion:
    return make_question(BW)


@pytest.mark.parametrize(
    "typed",
    ["2.5", "2,5", "2.5 BW", "2.5BW", " 2.5 bw ", "2.5 body weights", "2.5 Body  Weights", "2.5 x BW",
     "+2.5", "2.7", "2.2", "2.50", "25e-1", 2.5, 2.8, "2.5\u00a0BW"],
)
def test_accepted_spellings_of_the_answer(bw, typed) -> None:
    """Is the right value accepted however it is typed: comma, unit, alias, spaces, case?"""
    assert grade(bw, typed).correct


def test_outside_tolerance_is_wrong_and_gets_range_feedback(bw) -> None:
    """Is a value outside the tolerance wrong, with the first matching range's feedback?"""
    result = grade(bw, "1.2 BW")
    assert (result.score, result.correct, result.valid) == (0.0, False, True)
    assert result.feedback == ("That is closer to walking.",)
    assert grade(bw, "5").feedback == ("Too high for running.",)


def test_first_matching_range_wins(bw) -> None:
    """When two ranges contain the value, is only the first one's feedback shown?"""
    # 5.0 is in "min: 4" and in "min: 3"; 3.5 only in "min: 3".
    assert grade(bw, "5.0").feedback == ("Too high for running.",)
    assert grade(bw, "3.5").feedback == ("Not this one: the first matching range wins.",)


def test_right_answer_gets_no_range_feedback(bw) -> None:
    """Does a right answer get no range feedback (a range may not contain the answer; see issue 13)?"""
    assert grade(bw, "2.5").feedback == ()


def test_different_unit_is_not_an_attempt(bw) -> None:
    """Is '2.5 kg' for a BW question invalid, with a hint naming the expected unit?"""
    result = grade(bw, "2.5 kg")
    assert (result.valid, result.score) == (False, 0.0)
    assert result.feedback == ("Give the answer in BW, not 'kg'.",)


@pytest.mark.parametrize("typed", ["", "   ", "abc", "two", "BW", "2.5.1", "--2", "nan", "inf", "1e999"])
def test_non_numbers_are_not_an_attempt(bw, typed) -> None:
    """Is text that is not a number invalid, with a hint that names the unit?"""
    result = grade(bw, typed)
    assert (result.valid, result.score, result.correct) == (False, 0.0, False)
    assert "BW" in result.feedback[0]


@pytest.mark.parametrize("response", [None, True, [2.5], {"a": 2.5}, float("nan"), float("inf")])
def test_non_text_non_number_is_not_an_attempt(bw, response) -> None:
    """Are bools, lists, NaN and infinity invalid rather than numbers?"""
    assert grade(bw, response).valid is False


@pytest.mark.parametrize(
    ("typed", "right"),
    [("\u22122", True), ("-2", True), ("\u2212 2", False), ("2", False), ("-2.1", False), ("\u20132", True)],
)
def test_negative_numbers_with_unicode_minus(make_question, typed, right) -> None:
    """Is a unicode minus (as pasted from a paper) read as a minus sign?"""
    question = make_question("""
        - id: q
          type: numeric
          prompt: "p"
          explanation: "e"
          sources: [swain2020]
          answer: -2
    """)
    result = grade(question, typed)
    assert result.valid is (typed != "\u2212 2")
    assert result.correct is right


def test_percent_unit(make_question) -> None:
    """Are '20.8%', '20,8 %' and '20.8 percent' all read as 20.8 for a % question?"""
    question = make_question("""
        - id: q
          type: numeric
          prompt: "What share of runners were injured?"
          explanation: "20.8%."
          sources: [buist2008]
          answer: 20.8
          tolerance: {absolute: 0.1}
          unit: "%"
          unit_aliases: [percent]
    """)
    for typed in ("20.8%", "20,8 %", "20.8 percent", "20.8"):
        assert grade(question, typed).correct, typed
    assert grade(question, "0.208").correct is False
    assert grade(question, "20.8 pc").feedback == ("Give the answer in %, not 'pc'.",)


def test_relative_tolerance(make_question) -> None:
    """Is a relative tolerance a fraction of the answer (5% of 1000 = 50)?"""
    question = make_question("""
        - id: q
          type: numeric
          prompt: "p"
          explanation: "e"
          sources: [swain2020]
          answer: 1000
          tolerance: {relative: 0.05}
    """)
    assert [grade(question, v).correct for v in (950, 1050, 949, 1051)] == [True, True, False, False]


def test_exact_answer_without_tolerance(make_question) -> None:
    """Without a tolerance, is only the exact value right (with float rounding forgiven)?"""
    question = make_question("""
        - id: q
          type: numeric
          prompt: "p"
          explanation: "e"
          sources: [swain2020]
          answer: 0.3
    """)
    assert grade(question, 0.1 + 0.2).correct
    assert not grade(question, "0.31").correct


def test_question_without_unit_rejects_a_unit(make_question) -> None:
    """When the question has no unit, is '0.55 kg' invalid with a hint to type only the number?"""
    question = make_question("""
        - id: q
          type: numeric
          prompt: "p"
          explanation: "e"
          sources: [steffens2016]
          answer: 0.55
          tolerance: {absolute: 0.01}
    """)
    assert grade(question, "0.55 kg").feedback == ("Type just the number, without a unit.",)
    assert grade(question, "0,55").correct


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("2,5 BW", (2.5, "BW")), ("  -3 ", (-3.0, "")), (".5", (0.5, "")), ("5.", (5.0, "")),
     ("1e3 N", (1000.0, "N")), ("x", None), ("", None), ("1,000", (1.0, ""))],
)
def test_parse_number(text, parsed) -> None:
    """Does parse_number split the value and the unit, reading a comma as the decimal mark?"""
    assert parse_number(text) == parsed


def test_accepted_units(bw) -> None:
    """Does accepted_units hold the unit then its aliases?"""
    assert bw.accepted_units == ("BW", "body weights", "x BW")
