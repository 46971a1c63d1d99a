"""Quizzes answered in JupyterLab by mouse and by keyboard, and what the page may show."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page, expect

import lab
import quizpage as qp

pytestmark = pytest.mark.browser

EVERY_TYPE = lab.REPO_ROOT / "tests" / "fixtures" / "banks" / "every_type.yaml"
QUIZ_DATA = lab.REPO_ROOT / "data" / "quizzes"

# Markers placed in bank fields that must stay in the kernel until Check.
SECRET_FEEDBACK = "heronfeedbackmarker"
SECRET_EXPLANATION = "kestrelexplanationmarker"
SECRET_NUMBER = "7.3419"
PAYLOADS = (
    "<script>window.__pwned=1;alert('pwned')</script>",
    '<img src=x onerror="window.__pwned=1">',
)


def _load(path: Path | str) -> Any:
    from backlessons.quiz import load_bank

    return load_bank(str(path))


UNIT = "MPa"  # a shipped numeric question's unit, which "kg" is not an alias of


def _unit_bank(folder: Path) -> Path:
    """A one-question bank: the shipped numeric question that has the unit UNIT."""
    raw = yaml.safe_load((QUIZ_DATA / "02_running_and_the_spine.yaml").read_text(encoding="utf-8"))
    question = next(q for q in raw["questions"] if q.get("type") == "numeric" and q.get("unit") == UNIT)
    path = folder / "browser_unit_bank.yaml"
    bank = {"format": 1, "lesson": "browser_unit", "title": "A number with a unit", "questions": [question]}
    path.write_text(yaml.safe_dump(bank, sort_keys=False), encoding="utf-8")
    return path


def test_wrong_then_right_answer_and_dashboard(
    page: Page, lab_server: lab.LabServer, write_notebook: Any, page_log: Any
) -> None:
    """Does a wrong choice show its feedback, Try again then the right choice mark it correct,
    the score update, and, after a page reload and Run All, the dashboard show both attempts?"""
    from backlessons import content
    from backlessons.progress import ProgressStore

    bank = _load("01_causes")
    index, q = next((i, q) for i, q in enumerate(bank.questions) if q.type == "single")
    right = qp.correct_response(q)
    wrong = next(i for i, o in enumerate(q.options) if not o.correct and o.feedback)
    title = content.lessons().set_index("id").loc["01_causes", "title"]

    # Lesson 01's quiz called as notebooks/01_causes.ipynb calls it, and the dashboard
    # of notebook 09 (the whole lesson notebooks run in test_browser_notebooks.py).
    name = write_notebook(
        "browser_quiz_01.ipynb",
        "import backlessons as bl",
        "bl.Quiz('01_causes')",
        "bl.ProgressDashboard()",
    )
    run = lab.run_notebook(page, lab_server, name, screenshot=False)
    assert run.errors == [] and run.views == 2
    lesson_row = page.locator(".bl-dashboard .bl-progress-table tr", has=page.locator("th", has_text=title))
    expect(lesson_row).to_have_count(0)
    question = qp.questions(page).nth(index)
    score = page.locator(".bl-quiz .bl-score")
    expect(score).to_contain_text(f"Score: 0 / {len(bank.questions)}")

    qp.answer(question, q, wrong)
    area = qp.check(question)
    expect(area.locator(".bl-result")).to_have_class(re.compile("bl-incorrect"))
    expect(area.locator(".bl-option-feedback")).to_contain_text(qp.plain(q.options[wrong].feedback))
    expect(score).to_contain_text("attempts 1")
    expect(question.locator(".bl-check")).to_be_disabled()

    qp.try_again(question)
    qp.answer(question, q, right)
    area = qp.check(question)
    expect(area.locator(".bl-result")).to_have_class(re.compile("bl-correct"))
    expect(area.locator(".bl-explanation")).to_contain_text(qp.plain(q.explanation, inline=False)[:60])
    expect(score).to_have_text(f"Score: 1 / {len(bank.questions)} · attempts 2")
    # Refresh re-reads the saved answers without re-running anything.
    page.locator(".bl-dashboard .bl-refresh").click()
    expect(lesson_row.locator("td").first).to_have_text("1")
    expect(lesson_row.locator("td").nth(1)).to_have_text("2")

    lab.reload_notebook(page, lab_server, name)
    lab.run_all(page)
    lab.wait_idle(page)
    assert lab.wait_widgets(page, 2)[0] == 2
    expect(page.locator(".bl-quiz .bl-score")).to_contain_text(f"Score: 0 / {len(bank.questions)}")
    expect(lesson_row).to_have_count(1)
    cells = lesson_row.locator("td").all_inner_texts()
    summary = ProgressStore(lab_server.home / "progress.sqlite3").summary().set_index("lesson")
    assert cells == ["1", "2", f"{summary.loc['01_causes', 'mean_best_score']:.2f}"]
    assert lab.error_outputs(page) == []
    assert page_log.page_errors == []


def test_keyboard_only(page: Page, lab_server: lab.LabServer, write_notebook: Any) -> None:
    """Can a learner pick an option and press Check with the keyboard alone?"""
    bank = _load(EVERY_TYPE)
    name = write_notebook("browser_keyboard.ipynb", "import backlessons as bl", f"bl.Quiz(r'{EVERY_TYPE}')")
    run = lab.run_notebook(page, lab_server, name, screenshot=False)
    assert run.errors == [] and run.views == 1
    assert bank.questions[0].type == "single"
    question = qp.questions(page).first
    # Start where a screen-reader user lands: on the question's prompt (not focusable
    # by default, so make it a focus target); from there on only keys are pressed.
    question.locator(".bl-prompt").evaluate("el => { el.tabIndex = -1; el.focus(); }")

    radios = question.locator('.bl-choice input[type="radio"]')
    page.keyboard.press("Tab")
    expect(radios.nth(0)).to_be_focused()
    qp.choose_first_then_next_by_keys(radios)  # the ARIA radio-group pattern

    # The group is one Tab stop: the next Tab reaches Check.
    check_button = question.locator(".bl-check")
    page.keyboard.press("Tab")
    expect(check_button).to_be_focused()
    page.keyboard.press("Enter")
    area = qp.feedback(question)
    expect(area.locator(".bl-result")).to_be_visible()
    chosen = question.locator("label.bl-option-label").nth(1).inner_text()
    q = bank.questions[0]
    right_text = q.options[qp.correct_response(q)].text
    grade_class = "bl-correct" if qp.same_text(chosen.replace("✓ Correct", "").replace("✗ Incorrect", ""), right_text) else "bl-incorrect"
    expect(area.locator(".bl-result")).to_have_class(re.compile(grade_class))

    # Enter in a numeric answer box checks it too.
    numeric_index = next(i for i, q in enumerate(bank.questions) if q.type == "numeric")
    numeric = qp.questions(page).nth(numeric_index)
    numeric.locator(".bl-answer input").focus()
    page.keyboard.type(qp.correct_response(bank.questions[numeric_index]))
    page.keyboard.press("Enter")
    expect(qp.feedback(numeric).locator(".bl-result")).to_have_class(re.compile("bl-correct"))


def test_every_question_type(page: Page, lab_server: lab.LabServer, write_notebook: Any) -> None:
    """Can every question type, a number with its unit included, be answered right in the browser?"""
    bank = _load(EVERY_TYPE)
    unit_path = _unit_bank(lab_server.root_dir)
    unit_bank = _load(unit_path)
    assert {q.type for q in bank.questions} >= {
        "single", "multiple", "true_false", "numeric", "matching", "ordering", "case"
    }  # fmt: skip
    name = write_notebook(
        "browser_every_type.ipynb",
        "import backlessons as bl",
        f"bl.Quiz(r'{EVERY_TYPE}')",
        f"bl.Quiz(r'{unit_path}')",
    )
    run = lab.run_notebook(page, lab_server, name)
    assert run.errors == [] and run.views == 2

    quizzes = page.locator(".bl-quiz")
    pairs = [(quizzes.nth(0), q, i) for i, q in enumerate(bank.questions)]
    pairs += [(quizzes.nth(1), q, i) for i, q in enumerate(unit_bank.questions)]
    for quiz, q, i in pairs:
        question = qp.questions(quiz).nth(i)
        response = qp.correct_response(q)
        qp.answer(question, q, response)
        area = qp.check(question)
        expect(area.locator(".bl-result"), f"{q.id} ({q.type}): {response!r}").to_have_class(
            re.compile("bl-correct")
        )
    expect(quizzes.nth(0).locator(".bl-score")).to_have_text(
        f"Score: {len(bank.questions)} / {len(bank.questions)} · attempts {len(bank.questions)}"
    )

    # The wrong unit is a hint, not an attempt: the score line does not move.
    unit_q = unit_bank.questions[0]
    assert unit_q.unit == UNIT
    unit_question = qp.questions(quizzes.nth(1)).first
    qp.try_again(unit_question)
    qp.answer(unit_question, unit_q, f"{unit_q.answer:g} kg")
    unit_question.locator(".bl-check").click()
    expect(qp.feedback(unit_question).locator(".bl-hint")).to_contain_text(UNIT)
    expect(qp.feedback(unit_question).locator(".bl-result")).to_have_count(0)
    expect(quizzes.nth(1).locator(".bl-score")).to_have_text("Score: 1 / 1 · attempts 1")
    lab.screenshot_notebook(page, "browser_every_type_answered")


def _security_bank(folder: Path) -> Path:
    script, image = PAYLOADS
    bank = {
        "format": 1,
        "lesson": "browser_security",
        "title": f"Payloads {script}",
        "questions": [
            {
                "id": "payload-single",
                "reveal": {"after": "always"},  # the explanation after the first (wrong) Check
                "type": "single",
                "prompt": f"Which option? {script} {image}",
                "explanation": f"{SECRET_EXPLANATION} {image}",
                "sources": ["swain2020"],
                "options": [
                    {"text": f"Plain {image}", "feedback": f"{SECRET_FEEDBACK} wrong {script}"},
                    {"text": f"Right {script}", "correct": True, "feedback": f"{SECRET_FEEDBACK} right"},
                ],
            },
            {
                "id": "payload-numeric",
                "type": "numeric",
                "prompt": f"How many? {image}",
                "explanation": f"{SECRET_EXPLANATION} numeric",
                "sources": ["swain2020"],
                "answer": float(SECRET_NUMBER),
                "tolerance": {"absolute": 0.0001},
            },
        ],
    }
    path = folder / "browser_security_bank.yaml"
    path.write_text(yaml.safe_dump(bank, sort_keys=False), encoding="utf-8")
    return path


def test_no_answers_in_page_and_no_script_runs(
    page: Page, lab_server: lab.LabServer, write_notebook: Any, page_log: Any
) -> None:
    """Before Check, are feedback, explanations and numeric answers absent from the page and
    from every message the kernel sent; and does bank HTML show as text without running?"""
    path = _security_bank(lab_server.root_dir)
    bank = _load(path)
    frames: list[str] = []

    def on_websocket(ws: Any) -> None:
        def keep(payload: Any) -> None:
            frames.append(payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload)

        ws.on("framereceived", keep)

    page.on("websocket", on_websocket)
    name = write_notebook("browser_security.ipynb", "import backlessons as bl", f"bl.Quiz(r'{path}')")
    run = lab.run_notebook(page, lab_server, name, screenshot=False)
    assert run.errors == [] and run.views == 1
    assert frames, "no kernel messages were captured"

    def page_html() -> str:
        return page.evaluate("() => document.documentElement.outerHTML")

    before = page_html() + "\n".join(frames)
    for secret in (SECRET_FEEDBACK, SECRET_EXPLANATION, SECRET_NUMBER):
        assert secret not in before, f"{secret!r} reached the page before Check"

    single = qp.questions(page).nth(0)
    text = page.locator(".jp-Notebook").inner_text()
    for payload in PAYLOADS:
        assert payload in text, f"{payload!r} is not shown as text"

    qp.answer(single, bank.questions[0], 0)
    area = qp.check(single)
    expect(area).to_contain_text(f"{SECRET_FEEDBACK} wrong")
    expect(area).to_contain_text(PAYLOADS[0])
    expect(area.locator(".bl-explanation")).to_contain_text(SECRET_EXPLANATION)
    # The capture does see what arrives after Check, so the check above can fail.
    assert any(SECRET_FEEDBACK in f for f in frames)
    numeric = qp.questions(page).nth(1)
    assert SECRET_NUMBER not in page_html() + "\n".join(frames)
    qp.answer(numeric, bank.questions[1], "1")
    expect(qp.check(numeric).locator(".bl-result")).to_have_class(re.compile("bl-incorrect"))
    assert SECRET_NUMBER not in page_html(), "a wrong numeric answer revealed the right number"

    page.wait_for_timeout(300)
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.locator('.jp-Notebook img[src="x"]').count() == 0
    assert page.locator(".jp-Notebook .bl-quiz script").count() == 0
    assert page_log.dialogs == []
    assert page_log.page_errors == []
    assert not [e for e in page_log.console_errors if "pwned" in e or "onerror" in e]
