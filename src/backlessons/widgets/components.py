"""Small anywidget components where ipywidgets' own controls fall short of WCAG 2.2 AA.

Each is a short ES module (``static/*.js``) plus the package's one stylesheet
(``static/style.css``), which the first component of a kernel carries as its ``_css``
(see ``_Component``): the styles load with the widgets, never as a ``<style>`` in a
cell's output. Grading stays in the
kernel: these components hold only what the learner may see (escaped HTML labels, the
chosen positions, and — after Check only — marks on the chosen options).
"""

from __future__ import annotations

import importlib.util as util
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Sequence

import ipywidgets
import traitlets

from backlessons.markup import escape

__all__ = [
    "ChoiceGroup", "TextSelect", "LiveHTML", "AltImage", "NamedSlider", "HoldTimer", "MoveButton",
    "Pager", "STYLESHEET", "STYLE_ID", "follow_by_position", "select_for_dropdown",
]


@lru_cache(maxsize=None)
def _static(name: str) -> str:
    return resources.files("backlessons.widgets").joinpath("static", name).read_text(encoding="utf-8")


STYLESHEET = "style.css"


def _anywidget_version_range(version: str) -> str:
    """The front-end version range anywidget's own Python class asks for ("~0.11.*", or the exact pre-release)."""
    major, minor, patch = (version.split(".", 2) + ["0", "0"])[:3]
    return version if ("a" in patch or "b" in patch) else f"~{major}.{minor}.*"


def _installed_version(name: str) -> str:
    """The installed version of distribution *name*, from its ``<name>-<version>.dist-info`` folder.

    The same answer as ``importlib.metadata.version`` (used when the folder is not found next
    to the package), without importing that module's e-mail parsing: a fifth of a first quiz's
    import time in a plain ``python``.
    """
    spec = util.find_spec(name)  # finds the package without running it
    if spec is not None and spec.origin:
        found = list(Path(spec.origin).parent.parent.glob(f"{name}-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len(name) + 1: -len(".dist-info")]
    from importlib import metadata  # not found by name: ask the slow, general way

    return metadata.version(name)


ANYWIDGET_VERSION = _anywidget_version_range(_installed_version("anywidget"))


#: The id of the <style> element anywidget makes for the package's stylesheet.
STYLE_ID = "backlessons.widgets.components"
_stylesheet_carrier: "_Component | None" = None


class _Component(ipywidgets.DOMWidget):
    """An anywidget model (its JupyterLab extension draws it), declared on the class.

    ``anywidget.AnyWidget`` adds its code traits to each instance, which makes a new class per
    widget, and importing it loads a file watcher for live reloading: together a third of the
    time a lesson's first quiz took beyond ipywidgets' own. The traits here are the ones that
    class syncs (tests/widgets/test_components.py compares the two), fixed per class.
    """

    _model_name = traitlets.Unicode("AnyModel").tag(sync=True)
    _model_module = traitlets.Unicode("anywidget").tag(sync=True)
    _model_module_version = traitlets.Unicode(ANYWIDGET_VERSION).tag(sync=True)
    _view_name = traitlets.Unicode("AnyView").tag(sync=True)
    _view_module = traitlets.Unicode("anywidget").tag(sync=True)
    _view_module_version = traitlets.Unicode(ANYWIDGET_VERSION).tag(sync=True)
    _esm = traitlets.Unicode("").tag(sync=True)
    _css = traitlets.Unicode("").tag(sync=True)
    # anywidget keeps one <style> per id and never removes it: one id for every component,
    # so the stylesheet needs sending once per kernel (see __init__).
    _anywidget_id = traitlets.Unicode(STYLE_ID).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        # The first component of a kernel carries style.css; the page keeps it for all (a
        # copy in every component was two fifths of what a quiz sent to the page). If the
        # carrier was closed, the next component carries it again.
        global _stylesheet_carrier
        carrier = _stylesheet_carrier
        carries = carrier is None or carrier.comm is None
        if carries:
            kwargs.setdefault("_css", _static(STYLESHEET))
        super().__init__(**kwargs)
        if carries:
            _stylesheet_carrier = self

    def __repr__(self) -> str:
        # ipywidgets' repr lists every trait: long for a component carrying its stylesheet.
        return object.__repr__(self)


class ChoiceGroup(_Component):
    """Options chosen by their text: radios (``multiple=False``) or checkboxes.

    ``labels`` are HTML already escaped by :mod:`backlessons.markup`; ``value`` is the
    chosen position (or None), or a list of positions when ``multiple``; ``marks`` (one
    per position: "", "correct" or "incorrect") is set only after Check.
    """

    _esm = traitlets.Unicode(_static("choice.js")).tag(sync=True)
    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    legend = traitlets.Unicode("").tag(sync=True)
    multiple = traitlets.Bool(False).tag(sync=True)
    value = traitlets.Any(None, allow_none=True).tag(sync=True)
    marks = traitlets.List(traitlets.Unicode()).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)


class LiveHTML(_Component):
    """HTML in a polite live region: screen readers announce each new ``value``."""

    _esm = traitlets.Unicode(_static("live.js")).tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)


class AltImage(_Component):
    """An image (``format`` "png" or "svg+xml") with a text alternative that can change with it."""

    _esm = traitlets.Unicode(_static("image.js")).tag(sync=True)
    value = traitlets.Bytes(b"").tag(sync=True)
    format = traitlets.Unicode("png").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)
    css_class = traitlets.Unicode("bl-figure-image").tag(sync=True)


class NamedSlider(_Component):
    """A native range input with a visible label (its accessible name) and a readout."""

    _esm = traitlets.Unicode(_static("slider.js")).tag(sync=True)
    value = traitlets.Float(0.0).tag(sync=True)
    min = traitlets.Float(0.0).tag(sync=True)
    max = traitlets.Float(100.0).tag(sync=True)
    step = traitlets.Float(1.0).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)


class HoldTimer(_Component):
    """A hold timer counting in the browser: named Start/Stop button, progress, announcements."""

    _esm = traitlets.Unicode(_static("timer.js")).tag(sync=True)
    seconds = traitlets.Int(0).tag(sync=True)
    label = traitlets.Unicode("hold timer").tag(sync=True)


class TextSelect(_Component):
    """A drop-down labelled by a text (its accessible name), offering texts, not letters.

    ``description`` and ``labels`` are HTML escaped by :mod:`backlessons.markup`;
    ``value`` is the chosen position or None (the placeholder). With ``required`` there is
    no placeholder to go back to: one of the labels is always chosen.
    """

    _esm = traitlets.Unicode(_static("select.js")).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    placeholder = traitlets.Unicode("Choose…").tag(sync=True)
    value = traitlets.Int(None, allow_none=True).tag(sync=True)
    required = traitlets.Bool(False).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    mark = traitlets.Unicode("").tag(sync=True)


class MoveButton(_Component):
    """A button that moves a list item, named after the item ("Move ‘Walk briskly’ up").

    ``label`` is the visible text ("Up"), ``arrow`` a decorative arrow hidden from screen
    readers, ``name_html`` the accessible name escaped like every bank text in widget
    state; the page decodes it to text and sets it as an attribute, never as markup. A
    click in the page calls the ``on_click`` callbacks.
    """

    _esm = traitlets.Unicode(_static("move.js")).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    arrow = traitlets.Unicode("").tag(sync=True)
    name_html = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._click_callbacks: list[Callable[[MoveButton], None]] = []
        self.on_msg(self._on_page_message)

    def on_click(self, callback: Callable[["MoveButton"], None]) -> None:
        """Call *callback(button)* on every click."""
        self._click_callbacks.append(callback)

    def click(self) -> None:
        """Click the button (what a click in the page does); nothing while it is disabled."""
        if self.disabled:
            return
        for callback in list(self._click_callbacks):
            callback(self)

    def _on_page_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("event") == "click":
            self.click()


class Pager(_Component):
    """Previous page / Next page buttons and a status read out on each change (a long quiz).

    The browser sets ``page`` (1-based); the kernel puts that page in place, then sets
    ``status`` and ``first`` (the first question number on the page), where the focus goes.
    """

    _esm = traitlets.Unicode(_static("pager.js")).tag(sync=True)
    page = traitlets.Int(1).tag(sync=True)
    page_count = traitlets.Int(1).tag(sync=True)
    first = traitlets.Int(1).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    label = traitlets.Unicode("Quiz pages").tag(sync=True)


def follow_by_position(
    value_widget: traitlets.HasTraits,
    shown: traitlets.HasTraits,
    ids: Sequence[Any] | Callable[[], Sequence[Any]],
    *,
    unset: Any = None,
) -> None:
    """Keep ``shown.value`` (a position in ``ids``, or None) and ``value_widget.value`` (an id, or ``unset``) in step.

    For an ipywidgets control whose page view is not keyboard-usable in JupyterLab: the
    component here is what the page shows, and the control keeps its value by id (its API).
    ``ids`` may be a function giving the current ids, for options that change (look them up
    at each change); ``unset`` is the control's value for "nothing chosen" (the placeholder).
    """
    fixed = None if callable(ids) else list(ids)

    def current() -> Sequence[Any]:
        return fixed if fixed is not None else ids()  # type: ignore[operator]

    def to_shown(_change: Any = None) -> None:
        value = value_widget.value
        shown.value = None if value is None or value == unset else list(current()).index(value)

    def to_value(change: dict[str, Any]) -> None:
        value_widget.value = unset if change["new"] is None else current()[change["new"]]

    to_shown()
    value_widget.observe(to_shown, names="value")
    shown.observe(to_value, names="value")


def select_for_dropdown(dropdown: Any) -> TextSelect:
    """The TextSelect the page shows for an ipywidgets *dropdown*, kept in step with it.

    ipywidgets' drop-down loses its arrow keys to JupyterLab's notebook (they move to the
    next cell); TextSelect keeps them, and *dropdown* keeps the value by id (the API). A first
    option whose value is None ("All …") becomes the placeholder; without one, a choice is required.
    """
    pairs = [option if isinstance(option, tuple) else (option, option) for option in dropdown.options]
    placeholder = None
    if pairs and pairs[0][1] is None:
        (placeholder, _), *pairs = pairs
    either = {"required": True} if placeholder is None else {"placeholder": str(placeholder)}
    select = TextSelect(description=escape(dropdown.description), labels=[escape(str(label)) for label, _ in pairs],
                        **either)
    follow_by_position(dropdown, select, [value for _, value in pairs])
    return select
