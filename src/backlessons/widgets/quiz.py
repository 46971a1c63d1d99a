"""Quiz: a lesson's question bank as a stack of question views with a running score."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from backlessons.markup import escape
from backlessons.widgets._base import StaticFallbackMixin, classed, error_html
from backlessons.widgets.questions import QuestionView, format_score, view_for

if TYPE_CHECKING:
    import pandas as pd

    from backlessons.progress import ProgressStore
    from backlessons.quiz import Bank

__all__ = ["Quiz", "RESULT_COLUMNS"]

RESULT_COLUMNS = ("question_id", "type", "response", "correct", "score", "attempts")


class Quiz(StaticFallbackMixin, widgets.VBox):
    """A lesson's quiz: every question with Check / Try again, graded in the kernel.

    ``lesson_or_path`` is a shipped lesson id (``"01_causes"``) or a path to a bank
    file. Question order follows the bank; options, right-hand matching options and
    ordering items are shuffled with *seed* (deterministic) unless ``shuffle=False``.
    Each valid attempt is saved to *store* (by default the learner's
    :class:`~backlessons.progress.ProgressStore`, opened on the first Check).
    """

    def __init__(
        self,
        lesson_or_path: str | os.PathLike[str],
        seed: int = 0,
        shuffle: bool = True,
        store: ProgressStore | None = None,
    ) -> None:
        from backlessons.quiz import load_bank

        # Plain attributes: the bank holds the answer key and must never be a trait.
        self.bank: Bank = load_bank(os.fspath(lesson_or_path))
        self.seed = int(seed)
        self.shuffle = bool(shuffle)
        self._store = store
        self.views: list[QuestionView] = [
            view_for(q, seed=self.seed, shuffle=self.shuffle, on_graded=self._graded, number=n, bank_path=self.bank.path)
            for n, q in enumerate(self.bank.questions, start=1)
        ]
        self.header = classed(widgets.HTML(self._header_html()), "bl-quiz-header")
        self.score_label = classed(widgets.Label(self._score_text()), "bl-score")
        self.status = classed(widgets.HTML(""), "bl-quiz-status")
        super().__init__(children=[self.header, *self.views, self.score_label, self.status])
        classed(self, "bl-quiz")

    # --- public -------------------------------------------------------------------------

    @property
    def lesson(self) -> str:
        return self.bank.lesson

    @property
    def questions(self) -> tuple[Any, ...]:
        return tuple(self.bank.questions)

    @property
    def score(self) -> float:
        """Sum over questions of each question's best score so far."""
        return sum(v.best_score for v in self.views)

    @property
    def attempts(self) -> int:
        """Valid attempts in this session, over all questions."""
        return sum(v.attempts for v in self.views)

    @property
    def store(self) -> ProgressStore:
        if self._store is None:
            from backlessons.progress import ProgressStore

            self._store = ProgressStore()
        return self._store

    @property
    def results(self) -> pd.DataFrame:
        """One row per question: last response, ever correct, best score, attempts."""
        import pandas as pd

        rows = [
            {
                "question_id": v.question.id,
                "type": v.question.type,
                "response": v.last_response,
                "correct": v.ever_correct,
                "score": v.best_score,
                "attempts": v.attempts,
            }
            for v in self.views
        ]
        return pd.DataFrame(rows, columns=list(RESULT_COLUMNS))

    # --- internals ----------------------------------------------------------------------

    def _header_html(self) -> str:
        n = len(self.bank.questions)
        return (
            f'<h3 class="bl-quiz-title">{escape(self.bank.title)}</h3>'
            f"<p>{n} question{'s' if n != 1 else ''}. Answer, then press <strong>Check</strong>; "
            "<strong>Try again</strong> clears your answer. Your answers are saved on this computer only.</p>"
        )

    def _score_text(self) -> str:
        return f"Score: {format_score(self.score)} / {len(self.views)} · attempts {self.attempts}"

    def _graded(self, view: QuestionView, grade: Any, response: Any, response_text: str) -> None:
        self.score_label.value = self._score_text()
        try:
            # The attempt number is counted inside the save, so two kernels cannot both take it.
            self.store.record_next(
                self.lesson,
                view.question.id,
                view.question.type,
                response,
                response_text,
                bool(grade.correct),
                float(grade.score),
            )
            self.status.value = ""
        except Exception as exc:  # noqa: BLE001 - grading worked; say that saving did not
            self.status.value = error_html("while saving your progress (your answer was still checked)", exc)

    def _plain_text(self) -> str:
        n = len(self.views)
        return (
            f"Quiz: {self.lesson} — {n} question{'s' if n != 1 else ''} (seed {self.seed}). "
            "Run the notebook in JupyterLab to answer."
        )

    def _static_html(self) -> str:
        questions = "".join(
            f'<div class="bl-question bl-q-{escape(v.question.type.replace("_", "-"))}">'
            f"<h4>Question {n}</h4>{v.public_html()}</div>"
            for n, v in enumerate(self.views, start=1)
        )
        return (
            f'<div class="bl-quiz bl-static">{self._header_html()}{questions}'
            "<p><em>Run this notebook in JupyterLab to check your answers.</em></p></div>"
        )
