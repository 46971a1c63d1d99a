"""Feedback that teaches before it tells, clicked through the widgets: hint first, answer later."""

from __future__ import annotations

import pytest

from backlessons.widgets.quiz import Quiz

from .conftest import FIXTURES

REVEAL = FIXTURES / "reveal-rules.yaml"


@pytest.fixture
def quiz(store):
    return Quiz(REVEAL, seed=0, store=store)


def view(quiz: Quiz, question_id: str):
    return next(v for v in quiz.views if v.question.id == question_id)


def retry(v, answer) -> str:
    """Try again (if a try was made), answer, Check; the feedback shown."""
    if not v.try_again_button.disabled:
        v.try_again_button.click()
    if v.question.type == "case":
        for part, value in zip(v.parts, answer):
            part.select(value)
    else:
        v.select(answer)
    v.check_button.click()
    return v.feedback.value


def test_bank_rule_holds_the_explanation_until_the_third_try(quiz):
    """With the bank's {after: tries, tries: 3}, do tries 1 and 2 show feedback and hint only, try 3 the rest?"""
    v = view(quiz, "bank-rule")
    first = retry(v, 1)
    assert "FEEDBACKTWO" in first and "HINTBANKRULE" in first
    assert "EXPLAINBANKRULE" not in first and "Option one" not in first and "Swain" not in first
    assert "2 more tries" in first
    second = retry(v, 2)
    assert "FEEDBACKTHREE" in second and "HINTBANKRULE" in second and "EXPLAINBANKRULE" not in second
    assert "1 more try" in second
    third = retry(v, 2)
    assert "EXPLAINBANKRULE" in third and "The right answer: Option one" in third and "Swain" in third
    assert "HINTBANKRULE" not in third and "bl-reveal-note" not in third


def test_a_correct_answer_reveals_at_once(quiz):
    """Does a right first answer show the explanation (and no hint, no 'right answer' line)?"""
    v = view(quiz, "bank-rule")
    shown = retry(v, 0)
    assert "bl-correct" in shown and "EXPLAINBANKRULE" in shown
    assert "HINTBANKRULE" not in shown and "bl-right-answer" not in shown


def test_after_correct_never_reveals_on_wrong_tries(quiz):
    """With {after: correct}, do five wrong tries keep the explanation back, and a right one show it?"""
    v = view(quiz, "correct-only")
    for _ in range(5):
        shown = retry(v, False)
        assert "FEEDBACKFALSE" in shown and "HINTCORRECTONLY" in shown and "EXPLAINCORRECTONLY" not in shown
        assert "appears after a correct answer." in shown
    shown = retry(v, True)
    assert "EXPLAINCORRECTONLY" in shown and "HINTCORRECTONLY" not in shown


def test_always_reveals_on_the_first_wrong_try(quiz):
    """With {after: always}, does a wrong first try show the explanation and the answer, not the hint?"""
    v = view(quiz, "always")
    shown = retry(v, "11")
    assert "EXPLAINALWAYS" in shown and "The answer: 12" in shown and "HINTALWAYS" not in shown


def test_multiple_keeps_missed_right_options_back(quiz):
    """Before the reveal, is a missed right option left unnamed, and named once revealed?"""
    v = view(quiz, "pick-all")
    first = retry(v, [0])
    assert "FEEDBACKALPHA" in first and "Gamma" not in first and "Also right" not in first
    second = retry(v, [0, 1])
    assert "Also right: Gamma" in second and "EXPLAINPICKALL" in second
    assert "The right options: Alpha; Gamma" in second


def test_case_parts_show_their_hints_then_the_explanation(quiz):
    """In a case, does a wrong part show its hint on the first try and the case explanation on the second?"""
    v = view(quiz, "a-case")
    rest, scan = v.parts
    retry(v, [True, False])
    assert "FEEDBACKREST" in rest.feedback.value and "HINTPARTREST" in rest.feedback.value
    assert "HINTPARTSCAN" not in scan.feedback.value  # answered right: no hint
    assert "EXPLAINCASE" not in v.feedback.value and "1 more try" in v.feedback.value
    assert "bl-reveal-note" not in rest.feedback.value  # said once, under the case
    retry(v, [True, False])
    assert "EXPLAINCASE" in v.feedback.value
    assert "HINTPARTREST" not in rest.feedback.value and "The statement is false." in rest.feedback.value


def test_every_try_is_recorded_with_its_number(quiz, store):
    """Are tries before and after the reveal saved with attempt numbers 1, 2, 3 (first try told apart)?"""
    v = view(quiz, "bank-rule")
    for answer in (1, 2, 0):
        retry(v, answer)
    events = store.events()
    assert list(events["attempt"]) == [1, 2, 3]
    assert list(events["correct"]) == [False, False, True]
