"""RedFlagCase: a lesson-08 vignette. The learner picks an urgency level and writes a next
step, then reveals the answer (the evidence card's "predict, then see" pattern)."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from backlessons.errors import ContentError, Problem
from backlessons.markup import escape
from backlessons.widgets._base import StaticFallbackMixin, citations_html, classed, compact_block, lean, lean_layout, safe_callback
from backlessons.widgets.components import ChoiceGroup, LiveHTML

__all__ = ["RedFlagCase"]


class RedFlagCase(StaticFallbackMixin, widgets.VBox):
    """One case from ``red_flag_cases.yaml``.

    The answer (urgency, suspected condition, next step, reasoning) is a plain attribute;
    nothing of it reaches widget state until **Reveal**.
    """

    def __init__(self, case_id: str) -> None:
        from backlessons import content

        cases = content.red_flag_cases()
        if case_id not in cases:
            raise ContentError(
                [Problem("red_flag_cases.yaml", f"case {case_id}", "id", f"no such case (known: {', '.join(cases)})")]
            )
        self.case: Any = cases[case_id]  # plain attribute, never synced
        self.case_id = case_id
        #: The urgency levels by id, most urgent first (rows of urgency_levels.csv).
        self.levels = content.rows("urgency_levels").by_index()
        self.revealed = False
        self.story = lean(widgets.HTML, "bl-case-story", value=self._story_html())
        #: Urgency level ids in the order the options are shown; ``choice.value`` is a position in it.
        self.level_ids = [str(level) for level in self.levels]
        self.question = lean(widgets.HTML, "bl-case-question", value="<p><strong>How urgent?</strong></p>")
        # A radio group of the level labels: one Tab stop, arrow keys move and choose (as in quizzes).
        self.choice = lean(ChoiceGroup, "bl-case-urgency", labels=[escape(str(r.label)) for r in self.levels.values()],
                           legend="How urgent?", value=None)
        self.next_step = classed(
            widgets.Textarea(placeholder="Your next step (for your own thinking; not saved)",
                             description="Next step", layout=widgets.Layout(width="95%")),
            "bl-case-next-step",
        )
        self.reveal_button = lean(widgets.Button, "bl-reveal", description="Reveal", disabled=True,
                                  button_style="primary", tooltip="Choose an urgency level first, then reveal the answer")
        # A live region: the answer is read out when Reveal fills it.
        self.answer = lean(LiveHTML, "bl-case-answer")
        self.choice.observe(self._on_choice, names="value")
        self.reveal_button.on_click(self._on_reveal)
        super().__init__(children=[self.story, self.question, self.choice, self.next_step, self.reveal_button, self.answer],
                         layout=lean_layout(), _dom_classes=("bl-red-flag-case",))

    def _story_html(self) -> str:
        c = self.case
        return (
            f'<h4 style="margin: 0 0 0.3em">{escape(c.title)}</h4>'
            + compact_block(
                f"<p><strong>{escape(str(c.age))}-year-old {escape(c.sex)}.</strong> {escape(c.training)}</p>"
                f"<p>{escape(c.findings)}</p>"
                "<p>Decide how urgent this is and what you would do next, then reveal.</p>"
            )
        )

    def _on_choice(self, change: dict[str, Any]) -> None:
        self.reveal_button.disabled = change["new"] is None or self.revealed

    def _on_reveal(self, _button: widgets.Button | None = None) -> None:
        safe_callback("while revealing the answer", self._set_answer)(self.reveal)()

    def _set_answer(self, html: str) -> None:
        self.answer.value = html

    def reveal(self) -> None:
        """Show the urgency level, whether the choice matched, the next step, reasoning and sources."""
        if self.choice.value is None:
            self._set_answer('<p class="bl-hint">Choose an urgency level first.</p>')
            return
        c = self.case
        label = str(self.levels[c.urgency].label)
        chosen_level = self.chosen_level
        if chosen_level == c.urgency:
            outcome = '<p class="bl-match bl-correct">Your urgency level matches.</p>'
        else:
            chosen = str(self.levels[chosen_level].label)
            outcome = f'<p class="bl-match bl-incorrect">You chose <strong>{escape(chosen)}</strong>.</p>'
        self._set_answer(
            '<div class="bl-case-body">'
            + compact_block(
                f"<p>Urgency: <strong>{escape(label)}</strong></p>{outcome}"
                f"<p>Suspect: <strong>{escape(c.suspect)}</strong></p>"
                f"<p>Next step: {escape(c.next_step)}</p><p>{escape(c.reasoning)}</p>"
                + citations_html(c.sources)
            )
            + "</div>"
        )
        self.revealed = True
        self.choice.disabled = True
        self.reveal_button.disabled = True

    @property
    def chosen_level(self) -> str | None:
        """The urgency level id the learner chose, or None."""
        return None if self.choice.value is None else self.level_ids[self.choice.value]

    def choose(self, level: str) -> None:
        """Choose the urgency level ``level`` (an id of urgency_levels.csv), as a click on its label does."""
        if level not in self.level_ids:
            raise ValueError(f"urgency level {level!r} is not one of {', '.join(self.level_ids)}")
        self.choice.value = self.level_ids.index(level)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(self.case.sources)

    def _plain_text(self) -> str:
        return f"Case {self.case.title} — decide the urgency, then reveal, in JupyterLab."

    def _static_html(self) -> str:
        return (
            f'<div class="bl-red-flag-case bl-static">{self.story.value}'
            "<p><em>Run this notebook in JupyterLab to choose an urgency level and reveal the answer.</em></p></div>"
        )
