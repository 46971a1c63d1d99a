"""The review notebook in JupyterLab: a question due for review is shown, answered and rescheduled."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from playwright.sync_api import Page, expect

import lab
import quizpage as qp

pytestmark = pytest.mark.browser

NOTEBOOK = "10_review.ipynb"
LESSON = "04_prevention"


def test_review_notebook_answers_a_due_question(page: Page, lab_server: lab.LabServer, page_log: Any) -> None:
    """With one question answered wrongly weeks ago, does notebooks/10_review.ipynb show it first,
    grade a right answer like the quiz, save it, and schedule it away from today?"""
    from backlessons import content, review
    from backlessons.progress import ProgressStore
    from backlessons.quiz import load_bank

    bank = load_bank(LESSON)
    q = next(q for q in bank.questions if q.type == "single")
    weeks_ago = datetime.now(timezone.utc) - timedelta(days=30)
    # The server's progress file: answers other browser tests save today are due tomorrow at
    # the earliest, so this one, due for weeks, comes first.
    with ProgressStore(lab_server.home / "progress.sqlite3", clock=lambda: weeks_ago) as store:
        before = store.attempts(LESSON, q.id)
        store.record(LESSON, q.id, q.type, 1, "B", False, 0.0, before + 1)
        assert q.id in [d.question_id for d in review.due_questions(store)]

    run = lab.run_notebook(page, lab_server, NOTEBOOK, screenshot=False)
    assert run.errors == [] and run.widget_problems == []
    assert run.views == run.expected_views == 1

    widget = page.locator(".bl-review")
    expect(widget.locator(".bl-review-message")).to_contain_text("to review today, most overdue first")
    question = widget.locator(".bl-review-question").first
    title = content.lessons().set_index("id").loc[LESSON, "title"]
    expect(question.locator(".bl-question-heading")).to_contain_text(title)
    expect(question.locator(".bl-prompt")).to_contain_text(qp.plain(q.prompt)[:40])

    qp.answer(question, q, qp.correct_response(q))
    area = qp.check(question)
    expect(area.locator(".bl-result")).to_have_class(re.compile("bl-correct"))
    expect(area.locator(".bl-explanation")).to_contain_text(qp.plain(q.explanation, inline=False)[:60])
    expect(question.locator(".bl-check")).to_be_disabled()
    expect(widget.locator(".bl-review-status .bl-error")).to_have_count(0)

    with ProgressStore(lab_server.home / "progress.sqlite3") as store:
        events = store.events(LESSON)
        mine = events[events.question_id == q.id]
        assert mine["attempt"].tolist()[-2:] == [before + 1, before + 2]
        assert bool(mine["correct"].iloc[-1]) is True
        assert q.id not in [d.question_id for d in review.due_questions(store)], "answered: not due again today"
    assert lab.error_outputs(page) == []
    assert page_log.page_errors == []
