"""ProgressDashboard: what the learner has answered so far, and what to review next."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Callable

import ipywidgets as widgets

from backlessons.display import lesson_titles
from backlessons.markup import escape
from backlessons.png import png_bytes
from backlessons.widgets._base import StaticFallbackMixin, classed, error_html, safe_callback
from backlessons.widgets.components import AltImage

if TYPE_CHECKING:
    from backlessons.progress import LessonSummary, ProgressStore, ReviewItem

__all__ = ["ProgressDashboard", "EMPTY_MESSAGE"]

EMPTY_MESSAGE = "No answers yet. Answer a quiz question and press Refresh to see your progress here."


class ProgressDashboard(StaticFallbackMixin, widgets.VBox):
    """Per-lesson table (questions answered, attempts, mean best score), a bar chart,
    the questions to review next, a Refresh button and "Hand in my answers"."""

    def __init__(self, store: ProgressStore | None = None, now: datetime | Callable[[], datetime] | None = None) -> None:
        self._store = store
        self._now = now  # "today" for the review due line (tests fix it)
        self.refresh_button = classed(
            widgets.Button(description="Refresh", tooltip="Read your saved answers again"), "bl-refresh"
        )
        self.table = classed(widgets.HTML(""), "bl-progress-table")
        # An image with a text alternative (the scores in words), which ipywidgets' Image cannot carry.
        self.chart = classed(AltImage(format="png", value=b"", css_class="bl-progress-chart-image"), "bl-progress-chart")
        self.review = classed(widgets.HTML(""), "bl-review-next")
        self.message = classed(widgets.HTML(""), "bl-dashboard-message")
        self.due_line = classed(widgets.HTML(""), "bl-review-due")
        self.refresh_button.on_click(self._on_refresh)
        from backlessons.widgets.hand_in import HandInPanel

        self.hand_in = HandInPanel(lambda: self.store)  # writes to the class folder (backlessons.classroom)
        super().__init__(
            children=[self.refresh_button, self.due_line, self.table, self.chart, self.review, self.message, self.hand_in]
        )
        classed(self, "bl-dashboard")
        self.refresh()

    @property
    def store(self) -> ProgressStore:
        if self._store is None:
            from backlessons.progress import ProgressStore

            self._store = ProgressStore()
        return self._store

    def _on_refresh(self, _button: widgets.Button | None = None) -> None:
        def show(html: str) -> None:
            self.message.value = html

        safe_callback("while reading your progress", show)(self.refresh)()

    def refresh(self) -> None:
        """Read the store again and redraw everything."""
        summary = self.store.lesson_summaries()
        review = self.store.review_items()
        #: The rows shown (``progress.LessonSummary`` and ``progress.ReviewItem``): no pandas on this page.
        self.summary, self.review_items = summary, review
        self.message.value = ""
        self.table.value = self._table_html(summary)
        self.review.value = self._review_html(review)
        try:
            self.due_line.value = self._due_html()
        except Exception as exc:  # noqa: BLE001 - the table still shows the answers
            self.due_line.value = error_html("while counting the questions due for review", exc)
        try:
            self.chart.value = self._chart_png(summary) if len(summary) else b""
        except Exception as exc:  # noqa: BLE001 - the table still shows the numbers
            self.chart.value = b""
            self.message.value = error_html("while drawing the chart", exc)
        self.chart.layout.display = "" if self.chart.value else "none"
        self.chart.alt = self._chart_alt(summary) if self.chart.value else ""

    # --- rendering ---------------------------------------------------------------------

    def _table_html(self, summary: list[LessonSummary]) -> str:
        if not summary:
            return f'<p class="bl-empty">{escape(EMPTY_MESSAGE)}</p>'
        titles = lesson_titles()
        rows = "".join(
            f"<tr><th scope=\"row\">{escape(titles.get(str(r.lesson), str(r.lesson)))}</th>"
            f"<td>{r.questions_answered}</td><td>{r.attempts}</td><td>{r.mean_best_score:.2f}</td></tr>"
            for r in summary
        )
        return (
            '<table class="bl-table bl-progress"><thead><tr><th scope="col">Lesson</th>'
            '<th scope="col">Questions answered</th><th scope="col">Attempts</th>'
            f'<th scope="col">Mean best score (0–1)</th></tr></thead><tbody>{rows}</tbody></table>'
        )

    def _due_html(self) -> str:
        """'6 questions due today, next review tomorrow' (spaced review); empty before any answer."""
        from backlessons import review

        text = review.outlook(self.store, now=self._now).text()
        return f'<p class="bl-review-due-text">{escape(text)}.</p>' if text else ""

    def _review_html(self, review: list[ReviewItem]) -> str:
        if not review:
            return ""
        items = "".join(
            f"<li>{escape(str(r.lesson))}: question {escape(str(r.question_id))} "
            f"(best score {r.best_score:.2f}, {r.attempts} attempt{'s' if r.attempts != 1 else ''})</li>"
            for r in review
        )
        return f"<h4>What to review next</h4><ul>{items}</ul>"

    @staticmethod
    def _chart_alt(summary: list[LessonSummary]) -> str:
        """The chart in words: each lesson's mean best score, as the bars show them."""
        bars = "; ".join(f"{r.lesson} {r.mean_best_score:.2f}" for r in summary)
        return f"Bar chart of the mean best score per lesson (0 = none right, 1 = all right): {bars}. The table has the same numbers."

    def _chart_png(self, summary: list[LessonSummary]) -> bytes:
        # A bare Figure (no pyplot): nothing registered globally, nothing leaks or
        # shows up twice through the inline backend.
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=(6, 0.5 + 0.4 * len(summary)), dpi=100)
        FigureCanvasAgg(fig)  # the layout and the PNG share one renderer (as in widgets.figures)
        ax = fig.subplots()
        labels = [str(r.lesson) for r in summary]
        ax.barh(labels, [r.mean_best_score for r in summary], color="#4c78a8")
        ax.set_xlim(0, 1)
        ax.set_xlabel("Mean best score (0 = none right, 1 = all right)")
        ax.invert_yaxis()
        fig.tight_layout()
        fig.set_layout_engine(None)  # the layout is final: spares savefig a second full draw
        return png_bytes(fig)

    def _plain_text(self) -> str:
        summary = self.summary
        if not summary:
            return f"Progress dashboard: {EMPTY_MESSAGE}"
        lines = ["Progress dashboard"]
        for r in summary:
            lines.append(
                f"{r.lesson}: {r.questions_answered} answered, {r.attempts} attempts, "
                f"mean best score {r.mean_best_score:.2f}"
            )
        return "\n".join(lines)

    def _static_html(self) -> str:
        return f'<div class="bl-dashboard bl-static">{self.due_line.value}{self.table.value}{self.review.value}</div>'
