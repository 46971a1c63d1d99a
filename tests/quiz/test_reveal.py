"""quiz.reveal.after_check: what a learner sees after each try, decided without widgets or a kernel."""

from __future__ import annotations

import pytest

from backlessons.quiz import grade
from backlessons.quiz.model import invalid
from backlessons.quiz.reveal import after_check, answer_text, is_revealed

SINGLE = """
- id: q
  type: single
  prompt: "Which is right?"
  explanation: "The first."
  sources: [swain2020]
  hint: "Think of the umbrella review."
  {reveal}
  options:
    - {{text: "One", correct: true, feedback: "Yes."}}
    - {{text: "Two", feedback: "Two is the posture myth."}}
"""


def single(make_question, reveal: str = ""):
    return make_question(SINGLE.format(reveal=reveal))


@pytest.mark.parametrize(
    ("reveal", "tries", "expected"),
    [
        ("", 1, False), ("", 2, True), ("", 3, True),
        ("reveal: {after: tries, tries: 3}", 2, False), ("reveal: {after: tries, tries: 3}", 3, True),
        ("reveal: {tries: 1}", 1, True),
        ("reveal: {after: correct}", 1, False), ("reveal: {after: correct}", 20, False),
        ("reveal: {after: always}", 1, True),
    ],
)
def test_a_wrong_try_reveals_only_when_the_rule_says(make_question, reveal, tries, expected) -> None:
    """Does a wrong try reveal the explanation exactly when its rule (default 2 tries) is met?"""
    question = single(make_question, reveal)
    shown = after_check(question, grade(question, 1), tries)
    assert shown.reveal is expected
    assert is_revealed(question, False, tries) is expected


@pytest.mark.parametrize("reveal", ["", "reveal: {after: correct}", "reveal: {tries: 5}"])
def test_a_correct_answer_always_reveals(make_question, reveal) -> None:
    """Is the explanation shown after a correct answer, whatever the rule, without hint or answer line?"""
    question = single(make_question, reveal)
    shown = after_check(question, grade(question, 0), 1)
    assert shown.reveal and shown.hint == "" and shown.answer == "" and shown.feedback == ("Yes.",)


def test_before_the_reveal_feedback_and_hint_not_the_answer(make_question) -> None:
    """Does a first wrong try show the chosen option's feedback and the hint, and hold the answer back?"""
    question = single(make_question)
    shown = after_check(question, grade(question, 1), 1)
    assert shown.feedback == ("Two is the posture myth.",)
    assert shown.hint == "Think of the umbrella review."
    assert shown.answer == "" and not shown.reveal and shown.tries_left == 1


def test_at_the_reveal_the_right_answer_replaces_the_hint(make_question) -> None:
    """Once revealed after wrong tries, is the right answer given and the hint dropped?"""
    question = single(make_question)
    shown = after_check(question, grade(question, 1), 2)
    assert shown.reveal and shown.hint == "" and shown.answer == "The right answer: One"
    assert shown.tries_left is None


def test_after_correct_has_no_count_of_tries_left(make_question) -> None:
    """With {after: correct}, is there no number of tries left to announce?"""
    question = single(make_question, "reveal: {after: correct}")
    assert after_check(question, grade(question, 1), 7).tries_left is None


def test_missed_right_options_wait_for_the_reveal(make_question) -> None:
    """In a multiple question, are 'Also right' lines (they name the answer) held back until the reveal?"""
    question = make_question("""
        - id: m
          type: multiple
          prompt: "Which apply?"
          explanation: "A and C."
          sources: [swain2020]
          options:
            - {text: "A", correct: true, feedback: "A yes."}
            - {text: "B", feedback: "B no."}
            - {text: "C", correct: true, feedback: "C yes."}
    """)
    result = grade(question, [0, 1])
    assert result.reveals == ("Also right: C. C yes.",)
    assert after_check(question, result, 1).feedback == ("A yes.", "B no.")
    assert after_check(question, result, 2).feedback == ("A yes.", "B no.", "Also right: C. C yes.")


def test_matching_names_a_partner_only_after_the_reveal(make_question) -> None:
    """In a matching question, is 'X goes with Y' held back, while a pair's own feedback is shown?"""
    question = make_question("""
        - id: mt
          type: matching
          prompt: "Match."
          explanation: "See the brief."
          sources: [swain2020]
          pairs:
            - {left: "L1", right: "R1", feedback: "Think about L1."}
            - {left: "L2", right: "R2"}
    """)
    result = grade(question, {0: 1, 1: 0})
    assert after_check(question, result, 1).feedback == ("Think about L1.",)
    assert after_check(question, result, 2).feedback == ("Think about L1.", "L2 goes with R2.")


def test_case_parts_share_the_case_rule_and_keep_their_hints(make_question) -> None:
    """Does each part of a case show its own hint before the case's reveal, and its answer after?"""
    case = make_question("""
        - id: c
          type: case
          prompt: "Read."
          explanation: "Stay active."
          sources: [nice_ng59]
          reveal: {after: tries, tries: 2}
          vignette: "A runner."
          parts:
            - {id: rest, type: true_false, prompt: "Bed rest?", hint: "Guidelines?", answer: false,
               feedback_true: "No.", feedback_false: "Yes."}
            - {id: run, type: true_false, prompt: "Keep running?", hint: "Load.", answer: true,
               feedback_true: "Right.", feedback_false: "Adjust load instead."}
    """)
    result = grade(case, {"rest": True, "run": True})
    first = after_check(case, result, 1)
    parts = dict(first.parts)
    assert not first.reveal and parts["rest"].hint == "Guidelines?" and parts["run"].hint == ""
    assert not parts["rest"].reveal and parts["rest"].answer == ""
    second = dict(after_check(case, result, 2).parts)
    assert second["rest"].reveal and second["rest"].hint == "" and second["rest"].answer == "The statement is false."


def test_answer_text_of_each_type(make_question) -> None:
    """Is the right answer written out for numeric (unit, sign rule), ordering and matching?"""
    numeric = make_question("""
        - id: n
          type: numeric
          prompt: "Change?"
          explanation: "Fell 14."
          sources: [swain2020]
          answer: -14
          unit: points
          direction: ignored
    """)
    assert answer_text(numeric) == "The answer: -14 points (either sign counts)"
    ordering = make_question("""
        - id: o
          type: ordering
          prompt: "Order."
          explanation: "Walk first."
          sources: [swain2020]
          items: [walk, jog, run]
    """)
    assert answer_text(ordering) == "The right order: 1. walk; 2. jog; 3. run"


def test_an_invalid_response_is_not_a_try(make_question) -> None:
    """Is deciding on a malformed response (not an attempt) or on try 0 refused?"""
    question = single(make_question)
    with pytest.raises(ValueError):
        after_check(question, invalid("Pick one option."), 1)
    with pytest.raises(ValueError):
        after_check(question, grade(question, 1), 0)
