"""ExerciseCard: one exercise with its diagram, instructions, a hold timer and a rep counter."""

from __future__ import annotations

import base64
from typing import Any, Sequence

import ipywidgets as widgets

from backlessons.markup import escape, markdown
from backlessons.widgets._base import StaticFallbackMixin, citations_html, classed, compact_html, lean, safe_callback
from backlessons.widgets.components import AltImage, HoldTimer, LiveHTML

__all__ = ["ExerciseCard", "DOSE_CAVEAT", "PLAN_CAVEAT"]

DOSE_CAVEAT = "A starting point to adjust, not a prescription."
PLAN_CAVEAT = "A suggested plan over the weeks, not a research finding: move on when your back responds well."


# Inline styles only (no stylesheet ships with the package): see compact_html.
_TITLE_STYLE = "margin: 0 0 0.4em"
_HEADING_STYLE = "margin: 0.8em 0 0.2em; font-size: 1em"


def _heading(text: str) -> str:
    return f'<h4 style="{_HEADING_STYLE}">{escape(text)}</h4>'


def _list_html(items: Sequence[str] | str, css: str, ordered: bool = False) -> str:
    if isinstance(items, str):
        return f'<div class="{css}">{compact_html(markdown(items))}</div>'
    tag = "ol" if ordered else "ul"
    rows = "".join(
        f"<li>{markdown(item).strip().removeprefix('<p>').removesuffix('</p>')}</li>" for item in items
    )
    return compact_html(f"<{tag}>{rows}</{tag}>").replace(f"<{tag} ", f'<{tag} class="{css}" ', 1)


def _stop_html(stops: Sequence[Any]) -> str:
    """Each stop sign with its next step, so a learner is never left only with "stop"."""
    rows = "".join(
        f"<li><strong>{escape(s.sign)}</strong><br>Next: {escape(s.next_step)}</li>" for s in stops
    )
    return compact_html(f"<ul>{rows}</ul>").replace("<ul ", '<ul class="bl-when-to-stop" ', 1)


class ExerciseCard(StaticFallbackMixin, widgets.VBox):
    """An exercise from ``exercises.yaml``.

    The hold timer (:class:`~backlessons.widgets.components.HoldTimer`) counts in the
    browser, once a second, with no round trips to the kernel. The rep counter is a
    button and a count in a live region.
    """

    def __init__(self, name: str) -> None:
        from backlessons import content

        self.exercise: Any = content.exercise(name)
        self.name = name
        ex = self.exercise
        # The title comes first, above the drawing, so the learner knows what they are looking at.
        self.title_html = lean(widgets.HTML, "bl-exercise-title", value=self._title_html())
        # Through the validated loader: a diagram with a script or an external link is refused.
        self.diagram_svg = content.diagram_svg(name).encode("utf-8")
        # An <img> never runs scripts inside an SVG; its alt text names the drawing.
        self.diagram = classed(
            AltImage(value=self.diagram_svg, format="svg+xml", alt=f"Diagram: {ex.title}", css_class="bl-diagram-image",
                     layout=widgets.Layout(max_width="420px")),
            "bl-diagram",
        )
        self.diagram_caption = classed(
            widgets.HTML(f'<p class="bl-diagram-caption" style="margin: 0"><em>Diagram: {escape(ex.title)}</em></p>'),
            "bl-diagram-caption",
        )
        self.text = lean(widgets.HTML, "bl-exercise-text", value=self._text_html())

        dose = ex.dose
        self.hold_seconds = int(dose.hold_seconds or 0)
        self.target_reps = int(dose.reps or 0)
        tools: list[widgets.Widget] = []
        self.timer: HoldTimer | None = None
        if self.hold_seconds > 0:
            # Counts in the browser (no kernel round trips): a named Start/Stop button, a
            # progress bar and a status line announced at start, stop and the end.
            self.timer = lean(HoldTimer, "bl-timer-play", seconds=self.hold_seconds, label="hold timer")
            label = lean(widgets.HTML, "bl-timer-label", value=f"<strong>Hold timer ({self.hold_seconds} s):</strong>")
            tools.append(lean(widgets.HBox, "bl-timer", children=[label, self.timer]))
        self.reps = 0
        self.rep_button = lean(widgets.Button, "bl-rep-button", description="+1 rep", tooltip="Count one repetition")
        self.reset_button = lean(widgets.Button, "bl-rep-reset", description="Reset", tooltip="Set the rep count back to zero")
        # A live region: each new count is announced.
        self.rep_count = lean(LiveHTML, "bl-rep-count", value=escape(self._rep_text()))
        self.message = lean(widgets.HTML, "bl-exercise-message", value="")
        self.rep_button.on_click(self._on_rep)
        self.reset_button.on_click(self._on_reset)
        tools.append(lean(widgets.HBox, "bl-reps", children=[self.rep_button, self.reset_button, self.rep_count]))

        super().__init__(children=[self.title_html, self.diagram, self.diagram_caption, self.text, *tools, self.message])
        classed(self, "bl-exercise-card")

    # --- rep counter ---------------------------------------------------------------------

    def _rep_text(self) -> str:
        if self.target_reps:
            done = " · set complete" if self.reps >= self.target_reps else ""
            return f"Reps: {self.reps} / {self.target_reps}{done}"
        return f"Reps: {self.reps}"

    def add_rep(self) -> None:
        self.reps += 1
        self.rep_count.value = escape(self._rep_text())

    def reset_reps(self) -> None:
        self.reps = 0
        self.rep_count.value = escape(self._rep_text())

    def _show(self, html: str) -> None:
        self.message.value = html

    def _on_rep(self, _button: widgets.Button | None = None) -> None:
        safe_callback("while counting", self._show)(self.add_rep)()

    def _on_reset(self, _button: widgets.Button | None = None) -> None:
        safe_callback("while resetting", self._show)(self.reset_reps)()

    # --- text --------------------------------------------------------------------------

    def _text_html(self) -> str:
        ex = self.exercise
        dose = ex.dose.describe()
        sections = [
            _heading("Purpose") + compact_html(markdown(ex.purpose)),
            _heading("Starting position") + compact_html(markdown(ex.starting_position)),
            _heading("Steps") + _list_html(ex.steps, "bl-steps", ordered=True),
            _heading("Dose")
            + '<div class="bl-dose">'
            + compact_html(
                (f"<p><strong>{escape(dose)}</strong></p>" if dose else "")
                + f"<p><em>{escape(DOSE_CAVEAT)}</em></p>{markdown(ex.dose.note)}"
            )
            + "</div>",
            _heading("How often and how to progress")
            + '<div class="bl-frequency">'
            + compact_html(
                f"<p><strong>{escape(ex.frequency)}</strong></p><p><em>{escape(PLAN_CAVEAT)}</em></p>"
            )
            + "</div>"
            + _list_html(ex.progression, "bl-progression"),
            _heading("Common faults") + _list_html(ex.common_faults, "bl-faults"),
            _heading("Easier") + _list_html(ex.easier, "bl-easier"),
            _heading("Harder") + _list_html(ex.harder, "bl-harder"),
            _heading("When to stop, and what to do next") + _stop_html(ex.when_to_stop),
            compact_html(citations_html(ex.sources)),
        ]
        return '<div style="line-height: 1.4">' + "".join(sections) + "</div>"

    def _title_html(self) -> str:
        return f'<h3 class="bl-exercise-title" style="{_TITLE_STYLE}">{escape(self.exercise.title)}</h3>'

    def _plain_text(self) -> str:
        dose = self.exercise.dose.describe()
        extra = f" ({dose})" if dose else ""
        return f"Exercise card: {self.exercise.title}{extra} — diagram, timer and rep counter in JupyterLab."

    def _static_html(self) -> str:
        data = base64.b64encode(self.diagram_svg).decode("ascii")
        image = (
            f'<img class="bl-diagram" alt="Diagram: {escape(self.exercise.title)}" '
            f'src="data:image/svg+xml;base64,{data}" style="max-width: 420px">'
        )
        return (
            f'<div class="bl-exercise-card bl-static">{self.title_html.value}{image}'
            f"{self.diagram_caption.value}{self.text.value}</div>"
        )
