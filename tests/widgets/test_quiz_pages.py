"""A long bank a page at a time: views built only for the pages shown, answers kept across pages,
every question counted, and the static fallback bounded (issue 13: Quiz() on a huge bank)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from backlessons.quiz import load_bank, shipped_banks
from backlessons.widgets.components import Pager
from backlessons.widgets.questions import QuestionView
from backlessons.widgets.quiz import PAGE_SIZE, Quiz

from ._walk import build, leaks, secret_probe, state_text
from .conftest import EVERY_TYPE

BIG = 210  # 30 copies of the fixture's 7 questions: 9 pages of 25


def long_bank(folder: Path, questions: int = BIG) -> Path:
    """The every-type fixture repeated, with fresh ids, until it holds *questions* questions."""
    raw = yaml.safe_load(EVERY_TYPE.read_text(encoding="utf-8"))
    originals = raw["questions"]
    raw["questions"] = [
        {**originals[n % len(originals)], "id": f"{originals[n % len(originals)]['id']}-{n}"} for n in range(questions)
    ]
    path = folder / f"long-{questions}.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def big_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return long_bank(tmp_path_factory.mktemp("long-bank"))


@pytest.fixture
def big(big_path, store) -> Quiz:
    return Quiz(big_path, seed=0, store=store)


def built_ids(quiz: Quiz) -> list[str]:
    return [v.question.id for v in quiz.views.built]


def test_every_shipped_lesson_fits_on_one_page(store):
    """Is every shipped lesson's quiz one page, with the same widgets as before paging existed?"""
    largest = max(len(load_bank(lesson).questions) for lesson in shipped_banks())
    assert PAGE_SIZE >= largest
    quiz = Quiz("08_red_flags_and_clinical_reasoning", store=store)
    assert quiz.page_count == 1 and quiz.pager is None and quiz.page_box is None
    assert list(quiz.children) == [quiz.header, *quiz.views.built, quiz.score_label, quiz.status]
    assert len(quiz.views.built) == len(quiz.bank.questions)
    assert "Next page" not in quiz.header.value


def test_issue13_point6_quiz_on_a_long_bank_builds_only_the_first_page(big_path, store):
    """Does Quiz() on a 210-question bank build 25 question views, not 210, and count every question?"""
    quiz, created = build(lambda: Quiz(big_path, seed=0, store=store))
    views = [w for w in created if isinstance(w, QuestionView) and "bl-case-part" not in w._dom_classes]
    assert len(views) == PAGE_SIZE == len(quiz.views.built)
    assert built_ids(quiz) == [q.id for q in quiz.bank.questions[:PAGE_SIZE]]
    assert len(quiz.views) == BIG and quiz.page_count == 9 and quiz.page == 1
    assert list(quiz.page_box.children) == list(quiz.views.built)
    assert quiz.score_label.value == f"Score: 0 / {BIG} · attempts 0"
    assert quiz.pager.status == f"Questions 1–25 of {BIG} (page 1 of 9)"
    assert f"{BIG} questions" in quiz.header.value and "Next page" in quiz.header.value


def test_next_page_builds_that_page_and_going_back_builds_nothing(big):
    """Does Next page build only the next 25 views, and Previous page reuse page 1's views?"""
    first_page = list(big.page_box.children)
    big.next_page()
    assert big.page == 2 and len(big.views.built) == 2 * PAGE_SIZE
    assert [v.question.id for v in big.page_box.children] == [q.id for q in big.bank.questions[25:50]]
    assert big.pager.status == f"Questions 26–50 of {BIG} (page 2 of 9)" and big.pager.first == 26
    big.previous_page()
    assert big.page == 1 and len(big.views.built) == 2 * PAGE_SIZE
    assert all(a is b for a, b in zip(big.page_box.children, first_page, strict=True))


def test_last_page_holds_the_rest(big):
    """Does the last page show questions 201-210 and stop there?"""
    big.show_page(9)
    assert [v.question.id for v in big.page_box.children] == [q.id for q in big.bank.questions[200:]]
    assert big.pager.status == f"Questions 201–210 of {BIG} (page 9 of 9)"
    big.next_page()  # nothing after the last page
    assert big.page == 9 and len(big.views.built) == 35


def test_answers_are_kept_across_pages_and_every_one_counts(big, store):
    """Do an answer checked on page 1, one left unchecked there and one checked on page 2 stay when
    the learner pages away and back, with the score, the store and the results counting all of them?"""
    checked, unchecked = big.views[0], big.views[7]  # pick-one-0 and pick-one-7: single choice
    checked.select(0)
    checked.check_button.click()
    unchecked.select(2)
    big.next_page()
    on_page_two = big.views[28]  # pick-one-28
    assert on_page_two in big.page_box.children and on_page_two.question.type == "single"
    on_page_two.select(1)
    on_page_two.check_button.click()
    big.previous_page()
    assert big.views[0] is checked and checked in big.page_box.children
    assert "bl-correct" in checked.feedback.value and checked.check_button.disabled
    assert unchecked.response()[0] == 2 and unchecked.attempts == 0
    big.show_page(2)
    assert "bl-incorrect" in on_page_two.feedback.value and on_page_two.attempts == 1
    assert big.score == 1 and big.attempts == 2
    assert big.score_label.value == f"Score: 1 / {BIG} · attempts 2"
    results = big.results.set_index("question_id")
    assert len(results) == BIG
    assert results.loc["pick-one-0", "attempts"] == 1 and bool(results.loc["pick-one-0", "correct"])
    assert results.loc["pick-one-28", "attempts"] == 1 and not bool(results.loc["pick-one-28", "correct"])
    assert results["attempts"].sum() == 2 and pd.isna(results.loc["pick-one-203", "response"])
    assert len(big.views.built) == 2 * PAGE_SIZE  # the results built no views
    events = store.events(big.lesson)
    assert sorted(events["question_id"]) == ["pick-one-0", "pick-one-28"]


def test_the_browser_turns_the_page_through_the_pager(big):
    """Does setting the pager's page (what its buttons do) show that page, a stale page number
    clamp to the last page, and the status name the questions shown?"""
    assert isinstance(big.pager, Pager) and big.pager in big.children
    big.pager.page = 3
    assert big.page == 3 and big.pager.first == 51
    assert big.page_box.children[0].question.id == big.bank.questions[50].id
    big.pager.page = 99
    assert big.page == 9 and big.pager.page == 9 and big.status.value == ""
    assert big.pager.status == f"Questions 201–210 of {BIG} (page 9 of 9)"


def test_views_are_built_on_demand_and_kept(big):
    """Does asking for one view build just that one, the same object every time, with its own number?"""
    last = big.views[-1]
    assert last is big.views[BIG - 1] and "Question 210" in last.heading.value
    assert len(big.views.built) == PAGE_SIZE + 1
    assert big.score == 0  # an unseen view adds nothing
    with pytest.raises(IndexError):
        big.views[BIG]
    assert [v.question.id for v in big.views[3:6]] == [q.id for q in big.bank.questions[3:6]]


def test_bad_page_numbers_are_refused(big, store):
    """Are page 0, a page past the end and a page size of 0 refused with a message?"""
    with pytest.raises(ValueError, match="9 page"):
        big.show_page(10)
    with pytest.raises(ValueError, match="out of range"):
        big.show_page(0)
    with pytest.raises(ValueError, match="page_size"):
        Quiz(EVERY_TYPE, store=store, page_size=0)


def test_static_fallback_lists_the_first_page_and_counts_the_rest(big):
    """Does the text/html fallback of a long bank show the first page's questions and say how many more
    there are, without building any other view?"""
    html = big._repr_mimebundle_()["text/html"]
    assert html.count("<h4>Question ") == PAGE_SIZE
    assert "<h4>Question 25</h4>" in html and "<h4>Question 26</h4>" not in html
    assert "… and 185 more (questions 26–210) in the notebook." in html
    assert len(big.views.built) == PAGE_SIZE
    assert big._repr_mimebundle_()["text/plain"].startswith(f"Quiz: widget-fixture — {BIG} questions")


def test_static_fallback_names_a_single_question_left(tmp_path, store):
    """With one question past the first page, does the fallback name that question?"""
    quiz = Quiz(long_bank(tmp_path, 8), store=store, page_size=7)
    assert "… and 1 more (question 8) in the notebook." in quiz._repr_mimebundle_()["text/html"]


def test_one_page_fallback_lists_every_question(store):
    """Does a bank that fits on one page still list every question in the fallback, with no "more" line?"""
    quiz = Quiz(EVERY_TYPE, store=store)
    html = quiz._repr_mimebundle_()["text/html"]
    assert html.count("<h4>Question ") == len(quiz.bank.questions) and "more (" not in html


def test_pager_state_holds_no_answer_key(tmp_path, store):
    """Does a paged quiz send no feedback or explanation to the browser before Check, pager included?"""
    quiz, created = build(lambda: Quiz(long_bank(tmp_path, 14), seed=0, page_size=7, store=store))
    assert quiz.pager in created
    states = state_text(created) + [quiz._repr_mimebundle_()["text/html"]]
    for secret in ("SECRETEXPLAINSINGLE", "SECRETFEEDBACKTWO", "SECRETHINTSINGLE"):
        assert not leaks(secret_probe(secret), states), secret
    quiz.views[0].select(1)
    quiz.views[0].check_button.click()
    assert leaks(secret_probe("SECRETFEEDBACKTWO"), state_text([quiz.views[0].feedback]))
