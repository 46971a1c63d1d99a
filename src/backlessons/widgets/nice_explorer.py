"""NiceExplorer: the NICE NG59 recommendations with two filters (group and topic)."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from backlessons.widgets._base import StaticFallbackMixin, classed, error_html, lean
from backlessons.widgets.components import select_for_dropdown

__all__ = ["NiceExplorer"]


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
        self.group_select = classed(select_for_dropdown(self.group), "bl-nice-group")
        self.topic_select = classed(select_for_dropdown(self.topic), "bl-nice-topic")
        self.table = lean(widgets.HTML, "bl-nice-table", value="")
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
