"""A long quiz in JupyterLab: paged with the keyboard, answers kept across pages, axe-clean."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

import lab
import quizpage as qp
from test_browser_a11y import assert_clean, axe_in_both_themes

pytestmark = pytest.mark.browser

EVERY_TYPE = lab.REPO_ROOT / "tests" / "fixtures" / "banks" / "every_type.yaml"
QUESTIONS = 210  # 30 copies of every_type's 7 questions: 9 pages of 25
PAGE = 25


def _long_bank(folder: Path) -> Path:
    """every_type.yaml repeated with fresh ids until it holds QUESTIONS questions."""
    import yaml

    raw = yaml.safe_load(EVERY_TYPE.read_text(encoding="utf-8"))
    originals = raw["questions"]
    raw["lesson"], raw["title"] = "browser_long", "A long quiz"
    raw["questions"] = [
        {**originals[n % len(originals)], "id": f"{originals[n % len(originals)]['id']}-{n}"} for n in range(QUESTIONS)
    ]
    path = folder / "browser_long_bank.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _heading(page: Page, number: int) -> Any:
    return page.locator(".bl-quiz .bl-question-number", has_text=re.compile(rf"^\s*Question {number}\s*$"))


def test_paging_by_keyboard_keeps_answers_and_passes_axe(
    page: Page, lab_server: lab.LabServer, write_notebook: Any, page_log: Any
) -> None:
    """On a 210-question quiz, do named Previous/Next page buttons page by keyboard, announce the page
    in a live status and move the focus to the page's first question; do answers given on page 1 (checked
    or not) and on page 2 stay when paging back and forth; and is the paged quiz axe-clean?"""
    from backlessons.quiz import load_bank

    path = _long_bank(lab_server.root_dir)
    bank = load_bank(str(path))
    name = write_notebook("browser_long_quiz.ipynb", "import backlessons as bl", f"bl.Quiz(r'{path}')")
    run = lab.run_notebook(page, lab_server, name, screenshot=False)
    assert run.errors == [] and run.views == 1

    quiz = page.locator(".bl-quiz")
    status = quiz.locator('.bl-pager [role="status"]')
    previous = quiz.get_by_role("button", name="Previous page")
    next_page = quiz.get_by_role("button", name="Next page")
    expect(qp.questions(quiz)).to_have_count(PAGE)
    expect(status).to_have_text(f"Questions 1–25 of {QUESTIONS} (page 1 of 9)")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(previous).to_be_disabled()

    # Page 1: question 1 (single) checked, question 3 (true/false) answered but not checked.
    first, third = bank.questions[0], bank.questions[2]
    assert (first.type, third.type) == ("single", "true_false")
    qp.answer(qp.questions(quiz).nth(0), first, qp.correct_response(first))
    qp.check(qp.questions(quiz).nth(0))
    qp.answer(qp.questions(quiz).nth(2), third, not third.answer)

    # Next page by keyboard: the status says so and the focus lands on question 26.
    next_page.focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text(f"Questions 26–50 of {QUESTIONS} (page 2 of 9)")
    expect(_heading(page, 26)).to_be_focused()
    expect(qp.questions(quiz)).to_have_count(PAGE)
    expect(_heading(page, 1)).to_have_count(0)

    # Page 2: question 29 (single, index 28) answered wrong and checked.
    on_two = bank.questions[28]
    assert on_two.type == "single"
    wrong = next(i for i, o in enumerate(on_two.options) if not o.correct)
    question = qp.questions(quiz).nth(28 - PAGE)
    qp.answer(question, on_two, wrong)
    expect(qp.check(question).locator(".bl-result")).to_have_class(re.compile("bl-incorrect"))
    expect(quiz.locator(".bl-score")).to_have_text(f"Score: 1 / {QUESTIONS} · attempts 2")

    # Back by keyboard (Space this time): page 1 as it was left.
    previous.focus()
    page.keyboard.press("Space")
    expect(status).to_have_text(f"Questions 1–25 of {QUESTIONS} (page 1 of 9)")
    expect(_heading(page, 1)).to_be_focused()
    expect(qp.feedback(qp.questions(quiz).nth(0)).locator(".bl-result")).to_have_class(re.compile("bl-correct"))
    expect(qp.questions(quiz).nth(0).locator(".bl-check")).to_be_disabled()
    unchecked = qp.option_label(qp.questions(quiz).nth(2), "True" if not third.answer else "False")
    expect(unchecked.locator("input")).to_be_checked()

    # And forward again: page 2's answer is still there.
    next_page.focus()
    page.keyboard.press("Enter")
    expect(_heading(page, 26)).to_be_focused()
    question = qp.questions(quiz).nth(28 - PAGE)
    expect(qp.feedback(question).locator(".bl-result")).to_have_class(re.compile("bl-incorrect"))
    expect(quiz.locator(".bl-score")).to_have_text(f"Score: 1 / {QUESTIONS} · attempts 2")

    assert_clean(axe_in_both_themes(page), "paged quiz, page 2 after answers")
    lab.screenshot_notebook(page, "browser_long_quiz_page_2")
    assert lab.error_outputs(page) == [] and lab.widget_problems(page) == []
    assert page_log.page_errors == []
