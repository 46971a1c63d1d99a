"""Review: the questions due for spaced review, across every lesson started, graded like the quiz."""

from __future__ import annotations

import os
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Sequence

import ipywidgets as widgets

from backlessons.display import lesson_titles
from backlessons.errors import ContentError
from backlessons.markup import escape
from backlessons.widgets._base import StaticFallbackMixin, classed, error_html, lean
from backlessons.widgets.questions import QuestionView, view_for

if TYPE_CHECKING:
    from backlessons.progress import ProgressStore
    from backlessons.review import DueQuestion, ReviewOutlook

__all__ = ["Review", "NOTHING_ANSWERED", "nothing_due_message"]

NOTHING_ANSWERED = (
    "Nothing to review yet. Answer the quiz questions in the lessons first: "
    "each question you answer comes back here when it is due for review."
)


def nothing_due_message(outlook: ReviewOutlook) -> str:
    """What the learner reads when no question is due: never a blank widget."""
    from backlessons.review import next_review_text

    if not outlook.answered:
        return NOTHING_ANSWERED
    if outlook.next_day is None:  # pragma: no cover - answered questions always have a due day
        return "Nothing to review today."
    return f"Nothing to review today; next review {next_review_text(outlook.next_day, outlook.today)}."


class Review(StaticFallbackMixin, widgets.VBox):
    """The questions due for review today, most overdue first, at most *n*.

    Questions come from every lesson with saved answers and show in the quiz's own
    views (same seed, same option order); each Check is graded like the quiz, saved to
    the same progress store and reschedules the question (see :mod:`backlessons.review`).
    *now* (a datetime or a callable clock) fixes "today" for tests; by default the
    computer's local time. Shipped lessons are found by id; questions answered in an
    instructor's own bank file come back when that file is passed in *banks*. A question
    whose bank or id cannot be found is skipped.
    """

    def __init__(
        self,
        n: int = 10,
        now: datetime | Callable[[], datetime] | None = None,
        store: ProgressStore | None = None,
        seed: int = 0,
        banks: Sequence[str | os.PathLike[str]] = (),
    ) -> None:
        from backlessons import review

        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a whole number of at least 1, got {n!r}")
        self.n = n
        self.seed = int(seed)
        self._now = now
        self._store = store
        self._titles = lesson_titles()
        self._banks: dict[str, Any] = {}
        for path in banks:  # instructors' own bank files, found by their `lesson:`
            from backlessons.quiz import load_bank

            bank = load_bank(os.fspath(path))
            self._banks[bank.lesson] = bank
        # Plain attributes: questions hold the answer key and must never be traits.
        self.due: list[DueQuestion] = []
        self.views: list[QuestionView] = []
        self._lesson_of: dict[int, str] = {}
        for item in review.due_questions(self.store, now=now):
            question, bank_path = self._question(item.lesson, item.question_id)
            if question is None:
                continue
            number = len(self.views) + 1
            view = view_for(question, seed=self.seed, on_graded=self._graded, number=number, bank_path=bank_path)
            title = self._titles.get(item.lesson, item.lesson)
            view.heading.value = (
                f'<h4 class="bl-question-number" style="margin: 0.8em 0 0.1em">Question {number} '
                f'<span class="bl-review-lesson">· {escape(title)}</span></h4>'
            )
            classed(view, "bl-review-question")
            self._lesson_of[id(view)] = item.lesson
            self.due.append(item)
            self.views.append(view)
            if len(self.views) == self.n:
                break
        self.outlook = review.outlook(self.store, now=now)
        self.header = lean(widgets.HTML, "bl-review-header", value=self._header_html())
        self.status = lean(widgets.HTML, "bl-review-status", value="")
        super().__init__(children=[self.header, *self.views, self.status])
        classed(self, "bl-review")

    # --- public -------------------------------------------------------------------------

    @property
    def store(self) -> ProgressStore:
        if self._store is None:
            from backlessons.progress import ProgressStore

            self._store = ProgressStore()
        return self._store

    @property
    def message(self) -> str:
        """The header's text: what is due, or why nothing is."""
        if self.views:
            k = len(self.views)
            return f"{k} question{'s' if k != 1 else ''} to review today, most overdue first."
        return nothing_due_message(self.outlook)

    # --- internals ----------------------------------------------------------------------

    def _question(self, lesson: str, question_id: str) -> tuple[Any, str]:
        from backlessons.quiz import load_bank

        if lesson not in self._banks:
            try:
                self._banks[lesson] = load_bank(lesson)
            except ContentError:  # a lesson whose bank no longer loads has nothing to review
                self._banks[lesson] = None
        bank = self._banks[lesson]
        if bank is None:
            return None, ""
        for question in bank.questions:
            if question.id == question_id:
                return question, str(bank.path)
        return None, ""

    def _header_html(self) -> str:
        intro = (
            "<p>Answer, then press <strong>Check</strong>; <strong>Try again</strong> clears your answer. "
            "Each answer is saved and sets when the question comes back.</p>"
            if self.views
            else ""
        )
        return (
            '<h3 class="bl-review-title">Review</h3>'
            f'<p class="bl-review-message" role="status">{escape(self.message)}</p>{intro}'
        )

    def _graded(self, view: QuestionView, grade: Any, response: Any, response_text: str) -> None:
        from backlessons import review

        lesson = self._lesson_of[id(view)]
        try:
            store = self.store
            # The attempt number is counted inside the save, as the quiz does.
            store.record_next(
                lesson,
                view.question.id,
                view.question.type,
                response,
                response_text,
                bool(grade.correct),
                float(grade.score),
            )
            review.update_question(store, lesson, view.question.id)
            self.status.value = ""
        except Exception as exc:  # noqa: BLE001 - grading worked; say that saving did not
            self.status.value = error_html("while saving your progress (your answer was still checked)", exc)

    def _plain_text(self) -> str:
        return f"Review: {self.message}" + ("" if not self.views else " Run the notebook in JupyterLab to answer.")

    def _static_html(self) -> str:
        questions = "".join(
            f'<div class="bl-question bl-q-{escape(v.question.type.replace("_", "-"))}">'
            f"<h4>Question {n}</h4>{v.public_html()}</div>"
            for n, v in enumerate(self.views, start=1)
        )
        more = "<p><em>Run this notebook in JupyterLab to answer.</em></p>" if self.views else ""
        return f'<div class="bl-review bl-static">{self._header_html()}{questions}{more}</div>'
