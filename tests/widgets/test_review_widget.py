"""Tests for bl.Review (the spaced-review widget) and the dashboard's due line, driven with click()."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import backlessons as bl
from backlessons import review
from backlessons.progress import ProgressStore
from backlessons.quiz import load_bank
from backlessons.widgets.dashboard import ProgressDashboard
from backlessons.widgets.questions import SingleView, TrueFalseView
from backlessons.widgets.quiz import Quiz
from backlessons.widgets.review import NOTHING_ANSWERED, Review

from ._walk import build, leaks, plain, secret_probe, state_text
from .conftest import EVERY_TYPE

from tests.clocked import TODAY, TOMORROW, Clock, clock, store  # noqa: F401 - clock and store are fixtures


def right_index(question) -> int:
    return next(i for i, o in enumerate(question.options) if o.correct)


def answer_lesson_01(store: ProgressStore) -> Quiz:
    """Answer lesson 01's first three questions in the quiz: right, wrong, right."""
    quiz = Quiz("01_causes", store=store)
    first, second, third = quiz.views[:3]
    assert isinstance(first, SingleView) and isinstance(second, TrueFalseView) and isinstance(third, SingleView)
    first.select(right_index(first.question))
    first.check_button.click()
    second.select(not second.question.answer)
    second.check_button.click()
    third.select(right_index(third.question))
    third.check_button.click()
    return quiz


def test_exported_from_the_package():
    """Is bl.Review the widget class, imported on first use?"""
    assert bl.Review is Review
    assert "Review" in dir(bl)


def test_empty_store_says_nothing_to_review_without_dates(store):
    """With no answers, does the widget say there is nothing to review yet, with no date in it?"""
    widget = Review(n=10, now=TODAY, store=store)
    assert widget.views == []
    assert widget.message == NOTHING_ANSWERED
    bundle = widget._repr_mimebundle_()
    assert bundle["text/plain"] == f"Review: {NOTHING_ANSWERED}"
    assert "Nothing to review yet" in bundle["text/html"]
    assert not any(str(year) in bundle["text/html"] for year in range(2020, 2100))


def test_nothing_due_today_names_the_next_review(store, clock):
    """After answering, does the same day say nothing is due and when the next review is?"""
    answer_lesson_01(store)
    widget = Review(now=TODAY, store=store)
    assert widget.views == []
    assert widget.message == "Nothing to review today; next review tomorrow."
    clock.now = TOMORROW
    later = Review(now=TOMORROW, store=store)
    later_view = later.views[0]
    later_view.select(later_view.question.answer)
    later_view.check_button.click()  # right this time: next review days away
    # The questions right at once in the quiz fall due the day after.
    assert Review(now=TOMORROW, store=store).message == "Nothing to review today; next review tomorrow."


def test_next_review_further_away_is_named_by_date(store):
    """When the next review is not tomorrow, does the message give its weekday and date?"""
    question = load_bank("01_causes").questions[0]
    store.record("01_causes", question.id, question.type, 0, "x", True, 1.0, 1)  # Good: back in 2 days
    assert Review(now=TODAY, store=store).message == "Nothing to review today; next review on Wednesday 4 March 2026."


def test_tomorrow_shows_the_missed_question_in_the_quiz_view(store, clock):
    """The day after a quiz, does the review show exactly the missed question, in the quiz's own view and order?"""
    quiz = answer_lesson_01(store)
    clock.now = TOMORROW
    widget = Review(n=10, now=TOMORROW, store=store)
    missed = quiz.views[1]
    assert [v.question.id for v in widget.views] == [missed.question.id]
    assert type(widget.views[0]) is type(missed)
    assert "What causes low back pain in runners?" in widget.views[0].heading.value
    assert widget.message == "1 question to review today, most overdue first."


def test_checking_in_the_review_records_and_reschedules(store, clock):
    """Does Check in the review grade like the quiz, save the attempt and move the question out of today's review?"""
    quiz = answer_lesson_01(store)
    qid = quiz.views[1].question.id
    clock.now = TOMORROW
    widget = Review(now=TOMORROW, store=store)
    view = widget.views[0]
    view.select(not view.question.answer)  # wrong again
    view.check_button.click()
    assert "bl-incorrect" in view.feedback.value
    assert store.attempts("01_causes", qid) == 2
    assert widget.status.value == ""
    due = review.due_questions(store, now=TOMORROW)
    assert [d.question_id for d in due] == [], "answered today: not due again today"
    assert qid in [d.question_id for d in review.due_questions(store, now=TOMORROW + timedelta(days=1))]
    view.try_again_button.click()
    view.select(view.question.answer)
    view.check_button.click()
    assert "bl-correct" in view.feedback.value
    events = store.events("01_causes")
    assert events[events.question_id == qid]["attempt"].tolist() == [1, 2, 3]


def test_at_most_n_most_overdue_first(store, clock):
    """Are at most n questions shown, the longest overdue first, across lessons?"""
    bank = load_bank("01_causes")
    for i, question in enumerate(bank.questions[:4]):
        clock.now = TODAY + timedelta(hours=i * 2)
        store.record("01_causes", question.id, question.type, 0, "x", False, 0.0, 1)
    bank_04 = load_bank("04_prevention")
    clock.now = TODAY - timedelta(days=1)
    store.record("04_prevention", bank_04.questions[0].id, bank_04.questions[0].type, 0, "x", False, 0.0, 1)
    widget = Review(n=3, now=TOMORROW + timedelta(days=1), store=store)
    assert [v.question.id for v in widget.views] == [bank_04.questions[0].id] + [q.id for q in bank.questions[:2]]
    assert "Prevention" in widget.views[0].heading.value


def test_unknown_questions_are_skipped_and_own_banks_found(store):
    """Is a question no bank has skipped, and one from an instructor's own bank shown when the bank is passed?"""
    store.record("01_causes", "no-such-question", "single", 0, "x", False, 0.0, 1)
    own = load_bank(str(EVERY_TYPE))
    store.record(own.lesson, own.questions[0].id, own.questions[0].type, 0, "x", False, 0.0, 1)
    assert Review(now=TOMORROW, store=store).views == []
    widget = Review(now=TOMORROW, store=store, banks=[EVERY_TYPE])
    assert [v.question.id for v in widget.views] == [own.questions[0].id]


@pytest.mark.parametrize("n", [0, -1, 2.5, True, "3"])
def test_bad_n_is_refused(store, n):
    """Is an n that is not a whole number of at least 1 refused with a clear message?"""
    with pytest.raises(ValueError, match="n must be a whole number"):
        Review(n=n, store=store)


def test_no_answer_key_before_check(store):
    """Is the due question's explanation absent from synced state and the fallback before Check, and present after?"""
    own = load_bank(str(EVERY_TYPE))
    question = own.questions[0]
    store.record(own.lesson, question.id, question.type, 0, "x", False, 0.0, 1)
    widget, created = build(lambda: Review(now=TOMORROW, store=store, banks=[EVERY_TYPE]))
    probe = secret_probe(question.explanation)
    haystacks = state_text(created) + [widget._repr_mimebundle_()["text/html"]]
    assert not leaks(probe, haystacks)
    assert not any("bl-correct" in h or "bl-incorrect" in h for h in haystacks)
    view = widget.views[0]
    view.select(1)
    view.check_button.click()  # a first wrong try: feedback and hint, not yet the explanation
    view.try_again_button.click()
    view.select(1)
    view.check_button.click()  # the bank's reveal rule (after 2 tries) holds in the review too
    assert leaks(probe, state_text(created))
    assert "question" not in widget.views[0].trait_names() and "due" not in widget.trait_names()


def test_saving_failure_is_shown_not_raised(store, clock):
    """If saving fails, is the answer still graded and the failure shown in the widget?"""
    answer_lesson_01(store)
    widget = Review(now=TOMORROW, store=store)
    store.close()
    view = widget.views[0]
    view.select(view.question.answer)
    view.check_button.click()
    assert "bl-correct" in view.feedback.value
    assert "while saving your progress" in plain(widget.status.value)


def test_dashboard_shows_due_count_and_next_review(store, clock):
    """Does the dashboard say how many questions are due today and when the next review is, and nothing before any answer?"""
    empty = ProgressDashboard(store=store, now=TODAY)
    assert empty.due_line.value == ""
    answer_lesson_01(store)
    dashboard = ProgressDashboard(store=store, now=TOMORROW)
    assert plain(dashboard.due_line.value) == "1 question due today, next review tomorrow."
    assert "1 question due today" in dashboard._repr_mimebundle_()["text/html"]
