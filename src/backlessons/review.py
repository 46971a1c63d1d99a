"""Spaced retrieval practice: which answered questions are due again, scheduled with FSRS.

Every answered question gets an FSRS card (the maintained ``fsrs`` package schedules it;
nothing here does the arithmetic). Cards are kept in the progress file's
``review_state`` table and are *derived* from the saved answers: whenever a question has
answers newer than its card, the card is rebuilt from that question's whole history.
So an upgraded file, answers saved by an older backlessons, or answers from another
kernel are all picked up on the next look, and nothing is ever due before the question
has been answered once.

How answers become FSRS ratings
-------------------------------
Answers to one question are grouped into **sittings**: a sitting starts with an answer
and takes in every further answer to that question within :data:`SITTING` of it (the
quiz's *Try again* loop). Each sitting is one FSRS review, at the time of its first
answer, rated by :func:`rating_for`:

* right on the first answer of the sitting → ``Good``;
* right only after one or more wrong answers → ``Hard`` (it was retrieved, with effort);
* never right in that sitting → ``Again``.

"Right" means fully correct; partial credit counts as not right, because the review is
about recalling the whole answer. ``Easy`` is never given: the store has no reliable
sign of effortless recall (it does not time answers), and one lucky first answer should
not push a question out of sight for over a week.

The scheduler runs without FSRS's minute-long learning steps (a course is revisited on
another day, not ten minutes later; the quiz's own *Try again* covers the same sitting)
and without fuzzing (same answers, same schedule: tests and notebooks stay
deterministic). With FSRS's default weights a new question answered ``Good`` comes back
after 2 days, ``Hard`` or ``Again`` after 1 day.

Days are calendar days of the clock in use (the learner's local time by default): a
question whose card is due at any time today counts as due today.
"""

from __future__ import annotations

import dataclasses
import os
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

if TYPE_CHECKING:
    import fsrs

    from backlessons.progress import ProgressStore

__all__ = [
    "SITTING",
    "DueQuestion",
    "ReviewOutlook",
    "card_for",
    "due_questions",
    "export_csv",
    "local_now",
    "next_review_text",
    "outlook",
    "rating_for",
    "refresh",
    "scheduler",
    "sittings",
    "update_question",
]

#: Answers to one question within this time of the sitting's first answer form one sitting.
SITTING = timedelta(hours=1)

Clock = Callable[[], datetime]

_SCHEDULER: fsrs.Scheduler | None = None


def scheduler() -> fsrs.Scheduler:
    """The one FSRS scheduler of the course (default weights; no learning steps; no fuzz)."""
    global _SCHEDULER
    if _SCHEDULER is None:
        import fsrs

        _SCHEDULER = fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    return _SCHEDULER


def local_now() -> datetime:
    """The current time in the computer's own time zone (what "today" means to a learner)."""
    return datetime.now().astimezone()


def _aware(moment: datetime) -> datetime:
    # Naive datetimes are taken to be UTC, as the progress store does.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _utc(moment: datetime) -> datetime:
    return _aware(moment).astimezone(timezone.utc)


def _parse_time(text: str) -> datetime | None:
    try:
        return _utc(datetime.fromisoformat(text))
    except (TypeError, ValueError):
        return None  # an unreadable stamp cannot be scheduled; the answer itself stays saved


def rating_for(sitting: Sequence[bool]) -> fsrs.Rating:
    """The FSRS rating of one sitting, given whether each answer in it was right, in order."""
    import fsrs

    if not sitting:
        raise ValueError("a sitting has at least one answer")
    if sitting[0]:
        return fsrs.Rating.Good
    if any(sitting):
        return fsrs.Rating.Hard
    return fsrs.Rating.Again


def sittings(history: Iterable[tuple[bool, datetime]]) -> list[tuple[datetime, list[bool]]]:
    """Group (correct, time) answers of one question into sittings: [(start, [correct, ...])]."""
    groups: list[tuple[datetime, list[bool]]] = []
    for correct, moment in sorted(history, key=lambda item: item[1]):
        if groups and moment - groups[-1][0] < SITTING:
            groups[-1][1].append(correct)
        else:
            groups.append((moment, [correct]))
    return groups


def card_for(history: Iterable[tuple[bool, datetime]]) -> fsrs.Card | None:
    """The FSRS card after every sitting in *history* (None when there is no answer)."""
    import fsrs

    groups = sittings((correct, _utc(moment)) for correct, moment in history)
    if not groups:
        return None
    # card_id and due are given so fsrs neither sleeps nor reads the clock.
    card = fsrs.Card(card_id=1, due=groups[0][0])
    for start, answers in groups:
        card, _log = scheduler().review_card(card, rating_for(answers), review_datetime=start)
    return card


def _state_row(store: ProgressStore, lesson: str, question_id: str) -> tuple[str, str, str, str, int] | None:
    history = store.question_history(lesson, question_id)
    if not history:
        return None
    parsed = [(correct, moment) for _, correct, text in history if (moment := _parse_time(text)) is not None]
    card = card_for(parsed)
    if card is None:  # every stamp unreadable: due now, so the question is not lost from review
        import fsrs

        card = fsrs.Card(card_id=1, due=datetime(1970, 1, 1, tzinfo=timezone.utc))
    due = _utc(card.due).isoformat()
    return (lesson, question_id, card.to_json(), due, history[-1][0])


def update_question(store: ProgressStore, lesson: str, question_id: str) -> None:
    """Rebuild one question's review state from its answers (after a new answer, say)."""
    row = _state_row(store, lesson, question_id)
    if row is not None:
        store.save_review_states([row])


def refresh(store: ProgressStore) -> int:
    """Bring every question's review state up to date with its answers; return how many changed."""
    stale = store.stale_review_questions()
    rows = [row for lesson, question_id in stale if (row := _state_row(store, lesson, question_id)) is not None]
    store.save_review_states(rows)
    return len(rows)


def _now(now: datetime | Clock | None) -> datetime:
    if now is None:
        return local_now()
    if callable(now):
        return _aware(now())
    return _aware(now)


def _start_of_next_day(now: datetime) -> datetime:
    tomorrow = now.date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=now.tzinfo)


@dataclasses.dataclass(frozen=True)
class DueQuestion:
    """A question due for review: where it is, when it fell due, its FSRS card as JSON."""

    lesson: str
    question_id: str
    due: datetime
    card: str


def due_questions(store: ProgressStore, n: int | None = None, now: datetime | Clock | None = None) -> list[DueQuestion]:
    """Questions due today or earlier across every started lesson, most overdue first, at most *n*.

    *now* is a datetime or a clock (callable); by default the local time. Ties are broken
    by lesson and question id, so the order is stable.
    """
    if n is not None and n < 0:
        raise ValueError(f"n must be 0 or more, got {n!r}")
    moment = _now(now)
    refresh(store)
    cutoff = _utc(_start_of_next_day(moment)).isoformat()
    return [
        DueQuestion(lesson, question_id, datetime.fromisoformat(due), card)
        for lesson, question_id, card, due in store.review_states(due_before=cutoff, limit=n)
    ]


def export_csv(store: ProgressStore, path: str | os.PathLike[str], learner: str = "") -> int:
    """Write the up-to-date review schedule to a CSV file (``ProgressStore.export_review_csv``)."""
    refresh(store)
    return store.export_review_csv(path, learner=learner)


@dataclasses.dataclass(frozen=True)
class ReviewOutlook:
    """How many questions are due today, and the day of the next review after today."""

    today: date
    answered: int  # questions with review state (answered at least once)
    due_today: int
    next_day: date | None  # first day after today with a question due; None if none

    def text(self) -> str:
        """'6 questions due today, next review tomorrow' and the like (no answers: empty)."""
        if not self.answered:
            return ""
        count = f"{self.due_today} question{'s' if self.due_today != 1 else ''} due today"
        if self.due_today == 0:
            count = "No questions due today"
        if self.next_day is None:
            return count
        return f"{count}, next review {next_review_text(self.next_day, self.today)}"


def outlook(store: ProgressStore, now: datetime | Clock | None = None) -> ReviewOutlook:
    """Due count for today and the next review day, from the store's review state."""
    moment = _now(now)
    refresh(store)
    cutoff = _utc(_start_of_next_day(moment)).isoformat()
    states = store.review_states()
    due_today = sum(1 for *_, due in states if due < cutoff)
    later = [datetime.fromisoformat(due).astimezone(moment.tzinfo).date() for *_, due in states if due >= cutoff]
    return ReviewOutlook(moment.date(), len(states), due_today, min(later) if later else None)


def next_review_text(day: date, today: date) -> str:
    """'tomorrow', or 'on Wednesday 2 December 2026'."""
    if day == today + timedelta(days=1):
        return "tomorrow"
    return f"on {day:%A} {day.day} {day:%B %Y}"
