"""Tests for backlessons.review (spaced review with FSRS) and its table in the progress store."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import fsrs
import pytest

from backlessons import progress, review
from backlessons.progress import ProgressStore
from backlessons.quiz import load_bank
from tests.clocked import TODAY, TOMORROW, Clock, clock, store  # noqa: F401 - clock and store are fixtures

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def answer(store: ProgressStore, lesson: str, question_id: str, *right: bool, clock: Clock | None = None) -> None:
    """Save answers to one question as the quiz would (attempts counted), a minute apart."""
    for correct in right:
        attempt = store.attempts(lesson, question_id) + 1
        store.record(lesson, question_id, "single", 0, "A", correct, 1.0 if correct else 0.0, attempt)
        if clock is not None:
            clock.now += timedelta(minutes=1)


def due_ids(store: ProgressStore, now: datetime, n: int | None = None) -> list[str]:
    return [d.question_id for d in review.due_questions(store, n=n, now=now)]


LESSON_01 = [q.id for q in load_bank("01_causes").questions]


# -- rating --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sitting", "rating"),
    [
        ([True], fsrs.Rating.Good),
        ([True, False], fsrs.Rating.Good),
        ([False, True], fsrs.Rating.Hard),
        ([False, False, False, True], fsrs.Rating.Hard),
        ([False], fsrs.Rating.Again),
        ([False, False], fsrs.Rating.Again),
    ],
)
def test_rating_of_a_sitting(sitting, rating):
    """Is first-try right Good, right after wrong tries Hard, and never right Again?"""
    assert review.rating_for(sitting) == rating


def test_a_sitting_needs_an_answer():
    """Is an empty sitting refused rather than rated?"""
    with pytest.raises(ValueError, match="at least one answer"):
        review.rating_for([])


def test_answers_within_an_hour_form_one_sitting():
    """Are answers within an hour of a sitting's first answer one sitting, and later ones a new sitting?"""
    history = [
        (False, TODAY),
        (True, TODAY + timedelta(minutes=59)),
        (True, TODAY + timedelta(minutes=61)),
        (False, TOMORROW),
    ]
    assert review.sittings(history) == [
        (TODAY, [False, True]),
        (TODAY + timedelta(minutes=61), [True]),
        (TOMORROW, [False]),
    ]


def test_first_intervals_follow_the_rating():
    """Does one Good sitting come back in 2 days, and a Hard or Again one the next day?"""
    good = review.card_for([(True, TODAY)])
    hard = review.card_for([(False, TODAY), (True, TODAY + timedelta(minutes=1))])
    again = review.card_for([(False, TODAY)])
    assert good.due == TODAY + timedelta(days=2)
    assert hard.due == TODAY + timedelta(days=1)
    assert again.due == TODAY + timedelta(days=1)
    assert review.card_for([]) is None


def test_same_answers_same_schedule():
    """Is the schedule deterministic (no fuzz, no clock read)?"""
    history = [(True, TODAY), (False, TODAY + timedelta(days=2)), (True, TODAY + timedelta(days=3))]
    assert review.card_for(history).to_json() == review.card_for(history).to_json()


# -- due questions -------------------------------------------------------------------


def test_nothing_due_before_any_answer(store):
    """Is nothing due, and the outlook empty, before a question has been answered once?"""
    assert review.due_questions(store, now=TODAY + timedelta(days=365)) == []
    outlook = review.outlook(store, now=TODAY)
    assert (outlook.answered, outlook.due_today, outlook.next_day) == (0, 0, None)
    assert outlook.text() == ""


def test_lesson_01_today_review_tomorrow(store, clock):
    """Does a learner who answers lesson 01 today see exactly the questions not right at once due tomorrow?"""
    right_at_once = LESSON_01[::2]
    right_after_tries = LESSON_01[1:4:2]
    never_right = [q for q in LESSON_01 if q not in right_at_once + right_after_tries]
    for qid in right_at_once:
        answer(store, "01_causes", qid, True, clock=clock)
    for qid in right_after_tries:
        answer(store, "01_causes", qid, False, True, clock=clock)
    for qid in never_right:
        answer(store, "01_causes", qid, False, False, clock=clock)

    assert due_ids(store, TODAY.replace(hour=23)) == [], "nothing is due on the day it was answered"
    tomorrow = due_ids(store, TOMORROW)
    assert sorted(tomorrow) == sorted(right_after_tries + never_right)
    # Most overdue first: the order in which they fell due (the order answered).
    assert tomorrow == [q for q in LESSON_01 if q in tomorrow]
    assert sorted(due_ids(store, TOMORROW + timedelta(days=1))) == sorted(LESSON_01)


def test_all_right_learner_has_fewer_due_than_one_who_was_not(tmp_path):
    """Does a learner who answered everything right have fewer questions due, day by day, than one who did not?"""
    counts = {}
    for name, pattern in [("all_right", lambda i: (True,)), ("mixed", lambda i: (True,) if i % 3 else (False, True))]:
        clock = Clock(TODAY)
        with ProgressStore(tmp_path / f"{name}.sqlite3", clock=clock) as store:
            for i, qid in enumerate(LESSON_01):
                answer(store, "01_causes", qid, *pattern(i), clock=clock)
            counts[name] = [len(due_ids(store, TODAY + timedelta(days=d))) for d in range(4)]
    assert counts["all_right"][1] < counts["mixed"][1]
    assert all(a <= m for a, m in zip(counts["all_right"], counts["mixed"]))
    assert counts["all_right"][0] == counts["mixed"][0] == 0


def test_due_across_lessons_most_overdue_first_at_most_n(store, clock):
    """Are due questions drawn from every started lesson, the longest overdue first, and at most n?"""
    answer(store, "04_prevention", "p1", False)
    clock.now += timedelta(days=1)
    answer(store, "01_causes", "c1", False)
    clock.now += timedelta(days=1)
    answer(store, "02_running_and_the_spine", "s1", False)
    later = TODAY + timedelta(days=5)
    assert due_ids(store, later) == ["p1", "c1", "s1"]
    assert due_ids(store, later, n=2) == ["p1", "c1"]
    assert due_ids(store, later, n=0) == []
    with pytest.raises(ValueError, match="n must be"):
        review.due_questions(store, n=-1, now=later)


def test_a_review_answer_reschedules(store, clock):
    """Does answering a due question right push it out, and a wrong answer bring it back the next day?"""
    answer(store, "01_causes", "c1", False)
    answer(store, "01_causes", "c2", False)
    clock.now = TOMORROW
    assert due_ids(store, TOMORROW) == ["c1", "c2"]
    answer(store, "01_causes", "c1", True)
    answer(store, "01_causes", "c2", False)
    assert due_ids(store, TOMORROW) == []
    assert due_ids(store, TOMORROW + timedelta(days=1)) == ["c2"]


def test_clock_may_be_a_callable_and_days_are_local(store):
    """Does `now` accept a clock, and does 'today' follow the clock's own time zone?"""
    answer(store, "01_causes", "c1", False)  # due 2026-03-03 09:30 UTC
    assert due_ids(store, lambda: TOMORROW) == ["c1"]
    # 2026-03-03 01:00 in UTC+10 is still 2 March in UTC, but 3 March there: due today.
    far_east = timezone(timedelta(hours=10))
    assert due_ids(store, datetime(2026, 3, 3, 1, 0, tzinfo=far_east)) == ["c1"]
    # 20:00 on 2 March in UTC-12: the due time (09:30 UTC on 3 March) is 21:30 on 2 March there, so due today.
    assert due_ids(store, datetime(2026, 3, 2, 20, 0, tzinfo=timezone(timedelta(hours=-12)))) == ["c1"]
    assert due_ids(store, datetime(2026, 3, 2, 20, 0, tzinfo=timezone.utc)) == []


def test_outlook_text(store, clock):
    """Does the outlook say how many are due today and when the next review is?"""
    answer(store, "01_causes", "c1", False)
    answer(store, "01_causes", "c2", True)
    assert review.outlook(store, now=TODAY).text() == "No questions due today, next review tomorrow"
    assert review.outlook(store, now=TOMORROW).text() == "1 question due today, next review tomorrow"
    clock.now = TODAY + timedelta(days=5)
    for qid in ("c1", "c2"):
        answer(store, "01_causes", qid, True)
    text = review.outlook(store, now=clock.now).text()
    assert text.startswith("No questions due today, next review on ") and "2026" in text
    assert review.next_review_text(datetime(2026, 3, 9).date(), TODAY.date()) == "on Monday 9 March 2026"


def test_answers_saved_elsewhere_are_picked_up(tmp_path, clock):
    """Are answers saved by another kernel (another store on the same file) scheduled on the next look?"""
    path = tmp_path / "progress.sqlite3"
    with ProgressStore(path, clock=clock) as first, ProgressStore(path, clock=clock) as second:
        answer(first, "01_causes", "c1", True)
        assert due_ids(first, TODAY + timedelta(days=2)) == ["c1"]
        clock.now = TODAY + timedelta(days=2)
        answer(second, "01_causes", "c1", True)  # right again: pushed further out
        assert due_ids(first, TODAY + timedelta(days=2)) == []


def test_unreadable_time_stamp_keeps_the_question_due(store):
    """Is a question whose answers all have unreadable time stamps due rather than lost from review?"""
    answer(store, "01_causes", "c1", False)
    with store._lock:  # a stamp no version writes, as a damaged or hand-edited file might hold
        store._db().execute("UPDATE events SET time = 'yesterday'")
    assert due_ids(store, TODAY) == ["c1"]


# -- the store: upgrade, reset, export -----------------------------------------------


def test_version_1_file_is_upgraded_in_place_with_no_answer_lost(tmp_path):
    """Does a progress file written by the version-1 code gain the review table on first open, keeping every answer?"""
    path = tmp_path / "progress.sqlite3"
    shutil.copy(FIXTURES / "progress_v1.sqlite3", path)  # written by backlessons 0.1.0 before this change
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        before = conn.execute("SELECT * FROM events ORDER BY id").fetchall()
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'review_state'").fetchall()
    conn.close()

    with ProgressStore(path) as store:
        assert len(store.events()) == len(before) == 5
        # Scheduled from the old answers: right at once (Good), right on the 2nd try (Hard), never right (Again).
        due = due_ids(store, datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc))
        assert due == ["running-posture-tested", "degeneration-at-20"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == progress.SCHEMA_VERSION == 2
        assert conn.execute("SELECT * FROM events ORDER BY id").fetchall() == before
        assert conn.execute("SELECT COUNT(*) FROM review_state").fetchone()[0] == 4
    conn.close()
    with ProgressStore(path) as again:  # a second open changes nothing
        assert len(again.events()) == 5


def test_version_1_schema_from_sql_upgrades_too(tmp_path):
    """Does a file made with the version-1 schema text (as 0.1.0 creates it) upgrade and keep its answers?"""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(progress._SCHEMA + "PRAGMA user_version = 1;")
    conn.execute(
        "INSERT INTO events (lesson, question_id, question_type, response, response_text, correct, score, attempt, time) "
        "VALUES ('01_causes', 'c1', 'single', '0', 'A', 0, 0.0, 1, '2026-03-02T09:30:00+00:00')"
    )
    conn.commit()
    conn.close()
    with ProgressStore(path) as store:
        assert store.attempts("01_causes", "c1") == 1
        assert due_ids(store, TOMORROW) == ["c1"]


def test_reset_clears_review_state_of_the_reset_lesson_only(store):
    """Does resetting one lesson drop its review state and keep the other lessons'?"""
    answer(store, "01_causes", "c1", False)
    answer(store, "04_prevention", "p1", False)
    assert due_ids(store, TOMORROW) == ["c1", "p1"]
    store.reset("01_causes")
    assert [row[:2] for row in store.review_states()] == [("04_prevention", "p1")]
    assert due_ids(store, TOMORROW) == ["p1"]
    store.reset()
    assert store.review_states() == []
    assert due_ids(store, TOMORROW) == []


def test_review_export_is_neutralised_and_complete(store, tmp_path):
    """Does the review export list every answered question's schedule, with formula-like cells neutralised?"""
    answer(store, "01_causes", "c1", False)
    answer(store, "=cmd", "+sum", True)
    out = tmp_path / "review.csv"
    assert review.export_csv(store, out, learner="@ana") == 2
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(progress.REVIEW_EXPORT_COLUMNS)
    by_question = {r["question_id"]: r for r in rows}
    assert by_question["c1"]["due"] == "2026-03-03T09:30:00+00:00"
    assert by_question["'+sum"]["lesson"] == "'=cmd"
    assert {r["learner"] for r in rows} == {"'@ana"}
    card = fsrs.Card.from_json(by_question["c1"]["card"])
    assert card.due == TOMORROW


def test_review_state_without_answers_is_dropped(store):
    """Is review state whose answers were deleted behind its back (an older backlessons's reset) dropped, not scheduled?"""
    answer(store, "01_causes", "c1", False)
    assert due_ids(store, TOMORROW) == ["c1"]
    with store._lock:  # what reset() of version 1 did: events only
        store._db().execute("DELETE FROM events")
    assert due_ids(store, TOMORROW) == []
    assert store.review_states() == []
