"""NiceExplorer: the NICE NG59 recommendations with two filters (group and topic)."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from backlessons.markup import escape
from backlessons.widgets._base import StaticFallbackMixin, classed, error_html
from backlessons.widgets.components import TextSelect, follow_by_position

__all__ = ["NiceExplorer"]


def _shown_as_text_select(dropdown: widgets.Dropdown, description: str) -> TextSelect:
    """A keyboard-usable drop-down showing ``dropdown``'s value (its first option, None, is "All").

    ipywidgets' own drop-down loses the arrow keys to JupyterLab's notebook (they move to the
    next cell); TextSelect keeps them. ``dropdown`` stays the value by id, as before.
    """
    (everything, _), *choices = dropdown.options
    select = TextSelect(description=escape(description), labels=[escape(label) for label, _ in choices],
                        placeholder=everything)
    follow_by_position(dropdown, select, [value for _, value in choices])
    return select


class NiceExplorer(StaticFallbackMixin, widgets.VBox):
    """Drop-downs for group (Do / Consider / Do not offer) and topic above the filtered table.

    ``group`` and ``topic`` hold the values (ids, None for all); the page shows them as
    ``group_select`` and ``topic_select``.
    """

    def __init__(self, group: str | None = None, topic: str | None = None) -> None:
        from backlessons import clinical

        self._clinical = clinical
        self.group = widgets.Dropdown(
            options=[("All groups", None), *[(v, k) for k, v in clinical.NICE_GROUP_LABELS.items()]],
            value=group, description="Group")
        self.topic = widgets.Dropdown(
            options=[("All topics", None), *[(t, t) for t in clinical.nice_topics()]], value=topic, description="Topic")
        self.group_select = classed(_shown_as_text_select(self.group, "Group"), "bl-nice-group")
        self.topic_select = classed(_shown_as_text_select(self.topic, "Topic"), "bl-nice-topic")
        self.table = classed(widgets.HTML(""), "bl-nice-table")
        self.group.observe(self._on_change, names="value")
        self.topic.observe(self._on_change, names="value")
        self.rendered = clinical.nice_recommendations(group, topic)
        self.table.value = self.rendered.html
        super().__init__(children=[widgets.HBox([self.group_select, self.topic_select]), self.table])
        classed(self, "bl-nice-explorer")

    @property
    def sources(self) -> tuple[str, ...]:
        return self.rendered.sources

    def _on_change(self, _change: dict[str, Any]) -> None:
        try:
            self.rendered = self._clinical.nice_recommendations(self.group.value, self.topic.value)
            self.table.value = self.rendered.html
        except Exception as exc:  # noqa: BLE001 - callbacks fail silently in JupyterLab otherwise
            self.table.value = error_html("while filtering the recommendations", exc)

    def _plain_text(self) -> str:
        return self.rendered.plain + " — filter by group and topic in JupyterLab"

    def _static_html(self) -> str:
        return f'<div class="bl-nice-explorer bl-static">{self.rendered.html}</div>'
