"""HandInPanel: the progress dashboard's "Hand in my answers" button (logic in backlessons.classroom)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import ipywidgets as widgets

from backlessons.markup import escape
from backlessons.widgets._base import classed, error_html

if TYPE_CHECKING:
    from backlessons.progress import ProgressStore

__all__ = ["HandInPanel"]


class HandInPanel(widgets.VBox):
    """A name box (hidden on a JupyterHub, where the login name is used), the button, and a
    status line announced to screen readers (``role="status"``)."""

    def __init__(self, store: Callable[[], ProgressStore]) -> None:
        from backlessons import classroom

        self._store = store
        self.name = classed(
            widgets.Text(description="Your name", placeholder="name or class id", continuous_update=False),
            "bl-hand-in-name",
        )
        self.name.layout.display = "none" if classroom.on_hub() else ""
        self.button = classed(
            widgets.Button(description="Hand in my answers", tooltip="Copy your answers to your class's folder"),
            "bl-hand-in",
        )
        self.button.layout.width = "auto"  # the whole label, not "Hand in my answ…"
        self.status = classed(widgets.HTML(""), "bl-hand-in-status")
        self.button.on_click(self._on_click)
        super().__init__(children=[self.name, self.button, self.status])
        classed(self, "bl-hand-in-panel")

    def _show(self, text: str, kind: str) -> None:
        self.status.value = f'<p class="bl-hand-in-{kind}" role="status" aria-live="polite">{escape(text)}</p>'

    def _on_click(self, _button: widgets.Button | None = None) -> None:
        from backlessons import classroom

        self.button.disabled = True
        self._show("Handing in…", "busy")
        try:
            result = classroom.hand_in(self._store(), self.name.value)
        except classroom.HandInError as err:
            self._show(str(err), "problem")
        except Exception as exc:  # noqa: BLE001 - shown to the learner, not swallowed
            self.status.value = error_html("while handing in your answers", exc)
        else:
            self._show(
                f"Handed in {result.answers} answer(s) as {result.learner} ({result.path.name}). "
                "You can hand in again at any time; your newest answers replace the old file.",
                "done",
            )
        finally:
            self.button.disabled = False
