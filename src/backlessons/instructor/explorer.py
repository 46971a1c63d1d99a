"""The results explorer: pick a view, a lesson and a question; see its statistics, options and a plot.

An ipywidgets VBox for the class-results notebook. It holds only class statistics (no
answer key beyond what the report shows an instructor). Tables are escaped by
``DataFrame.to_html``.

``view``, ``lesson`` and ``question`` hold the choices (the API); the page shows them as the
package's keyboard-usable components (``view_choice``, ``lesson_select``, ``question_select``):
ipywidgets' ToggleButtons never tell a screen reader which is chosen, and JupyterLab takes the
arrow keys of its drop-downs (they move to the next cell).
"""

from __future__ import annotations

from typing import Any, Mapping

import ipywidgets as widgets

from backlessons.instructor import plots
from backlessons.instructor.report import analyse_class
from backlessons.instructor.stats import Thresholds
from backlessons.markup import escape
from backlessons.png import png_base64
from backlessons.widgets.components import ChoiceGroup, TextSelect, follow_by_position, select_for_dropdown

__all__ = ["ResultsExplorer", "explore"]

ALL = "(whole lesson)"
_VIEW_LABELS = (("first attempts", "first"), ("all attempts", "all"))


def _html_table(frame: Any) -> str:
    # A focusable, labelled region that scrolls on its own: a wide table stays reachable by keyboard.
    table = frame.to_html(index=False, escape=True, na_rep="", float_format=lambda v: f"{v:.2f}", border=0)
    return f'<div role="region" tabindex="0" aria-label="Statistics" style="overflow-x: auto; max-width: 100%">{table}</div>'


class ResultsExplorer(widgets.VBox):
    """Browse class statistics by view, lesson and question."""

    def __init__(self, df: Any, thresholds: Thresholds | None = None) -> None:
        self._df = df
        self._thresholds = thresholds
        # A view is analysed when first shown: the explorer opens on first attempts, and an
        # instructor may never switch.
        self._stats: dict[str, Any] = {}
        lessons = list(self._analysis("first").quizzes["lesson"])
        self.view = widgets.ToggleButtons(options=_VIEW_LABELS, value="first", description="View")
        self.lesson = widgets.Dropdown(options=lessons, value=lessons[0] if lessons else None, description="Lesson")
        self.question = widgets.Dropdown(description="Question")
        self.view_choice = ChoiceGroup(labels=[escape(label) for label, _ in _VIEW_LABELS], legend="View")
        follow_by_position(self.view, self.view_choice, [view for _, view in _VIEW_LABELS])
        # A lesson is always chosen (no placeholder); a question's placeholder is the whole lesson.
        self.lesson_select = select_for_dropdown(self.lesson)
        self.question_select = TextSelect(description="Question", placeholder=ALL)
        follow_by_position(self.question, self.question_select, lambda: self.question.options[1:], unset=ALL)
        self.output = widgets.Output()
        for widget, name in ((self.view_choice, "view"), (self.lesson_select, "lesson"),
                             (self.question_select, "question"), (self.output, "output")):
            widget.add_class(f"bl-results-{name}")
        # The group's own legend is for screen readers only; sighted readers get this word, hidden
        # from screen readers so "View" is not read twice.
        view_label = widgets.HTML('<span aria-hidden="true"><strong>View</strong></span>')
        super().__init__(children=(widgets.HBox((view_label, self.view_choice)),
                                   widgets.HBox((self.lesson_select, self.question_select)), self.output))
        self.add_class("bl-results-explorer")
        self._refresh_questions()
        self.view.observe(self._on_change, names="value")
        self.lesson.observe(self._on_lesson, names="value")
        self.question.observe(self._on_change, names="value")

    def _analysis(self, view: str) -> Any:
        if view not in self._stats:
            self._stats[view] = analyse_class(self._df, view, self._thresholds)
        return self._stats[view]

    @property
    def stats(self) -> Any:
        return self._analysis(self.view.value)

    def _refresh_questions(self) -> None:
        questions = self.stats.questions
        ids = questions.loc[questions["lesson"] == self.lesson.value, "question_id"].tolist()
        self.question_select.labels = [escape(qid) for qid in ids]
        self.question.options = (ALL, *ids)
        self.question.value = ALL
        self._show()

    def _on_lesson(self, change: Mapping[str, Any]) -> None:
        self._refresh_questions()

    def _on_change(self, change: Mapping[str, Any]) -> None:
        self._show()

    def selection(self) -> tuple[Any, Any]:
        """(question rows, option rows) for the current view, lesson and question."""
        questions, options = self.stats.questions, self.stats.options
        pick_q = questions["lesson"] == self.lesson.value
        pick_o = options["lesson"] == self.lesson.value
        if self.question.value not in (None, ALL):
            pick_q &= questions["question_id"] == self.question.value
            pick_o &= options["question_id"] == self.question.value
        else:
            pick_o &= False
        return questions[pick_q].reset_index(drop=True), options[pick_o].reset_index(drop=True)

    def selection_html(self) -> str:
        rows, options = self.selection()
        quiz = self.stats.quizzes[self.stats.quizzes["lesson"] == self.lesson.value]
        parts = ["<h4>Lesson</h4>", _html_table(quiz), "<h4>Questions</h4>", _html_table(rows)]
        if len(options):
            parts += ["<h4>Options</h4>", _html_table(options)]
        return "".join(parts)

    def figure(self) -> Any:
        """The plot for the selection: the option bars of a choice question, else the lesson's histogram."""
        _, options = self.selection()
        if len(options):
            return plots.distractor_bars(self.stats, self.lesson.value, self.question.value)
        if self.question.value in (None, ALL):
            return plots.score_histogram(self.stats, self.lesson.value)
        return plots.item_map(self.stats, self.lesson.value)

    def _show(self) -> None:
        from IPython.display import HTML

        from markupsafe import escape

        figure = self.figure()
        image = f'<img alt="{escape(figure.alt)}" src="data:image/png;base64,{png_base64(figure)}">'
        self.output.outputs = ()  # replace, not append: clear_output only works inside a kernel
        # One HTML output with the plot inline: a PNG sent as widget state arrives as bytes the page cannot show.
        self.output.append_display_data(HTML(self.selection_html() + image))

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        learners = self._df["learner"].nunique()
        bundle["text/plain"] = (f"ResultsExplorer: {learners} learners, {len(self._df)} answers; view {self.view.value}, "
                                f"lesson {self.lesson.value}, question {self.question.value}")
        bundle["text/html"] = self.selection_html()
        return bundle


def explore(df: Any, thresholds: Thresholds | None = None) -> ResultsExplorer:
    """A ``ResultsExplorer`` widget to browse class statistics by view, lesson and question."""
    return ResultsExplorer(df, thresholds)
