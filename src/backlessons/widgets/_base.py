"""Shared pieces of the widgets: the static fallback, safe callbacks, reference rendering.

The static fallback matters twice: nbval compares ``text/plain`` and ``text/html``
of every output, so both must be deterministic (no model ids, no timestamps), and a
notebook opened without a kernel (GitHub, nbviewer) still shows something useful.
"""

from __future__ import annotations

import functools
import traceback
from typing import Any, Callable, Iterable, TypeVar

import ipywidgets as widgets

from backlessons.markup import escape

__all__ = [
    "StaticFallbackMixin",
    "safe_callback",
    "compact_html",
    "compact_block",
    "error_html",
    "citations_html",
    "classed",
    "lean",
    "lean_layout",
    "WIDGET_VIEW_MIME",
]

W = TypeVar("W", bound=widgets.DOMWidget)

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"


class StaticFallbackMixin:
    """Adds a deterministic ``text/plain`` and an answer-free ``text/html`` to a widget's bundle.

    Subclasses implement ``_plain_text()`` and ``_static_html()``.
    """

    def _plain_text(self) -> str:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def _static_html(self) -> str:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle: dict[str, Any] = {}
        parent = getattr(super(), "_repr_mimebundle_", None)
        if parent is not None:
            bundle.update(parent(**kwargs) or {})
        # ipywidgets' own text/plain is repr(self): long and full of traits; replace it.
        bundle["text/plain"] = self._plain_text()
        bundle["text/html"] = self._static_html()
        return bundle


def error_html(context: str, exc: BaseException) -> str:
    """An escaped, readable message for an exception raised inside a widget callback."""
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return (
        '<div class="bl-error" role="alert"><strong>Something went wrong '
        f"{escape(context)}.</strong><pre>{escape(detail)}</pre></div>"
    )


def safe_callback(context: str, show: Callable[[str], None]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a callback so an exception is shown in the page instead of vanishing.

    JupyterLab swallows exceptions raised in widget callbacks (they go to the log
    console), so a learner would see a dead button. *show* receives escaped HTML.
    """

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - shown to the learner, not swallowed
                show(error_html(context, exc))
                return None

        return wrapper

    return decorate


def citations_html(keys: Iterable[str], label: str = "Sources", own: Iterable[Any] = ()) -> str:
    """Escaped HTML list of formatted references for *keys* (unknown keys shown as the key).

    *own*: a bank's own references (``Reference``), used for the keys they carry.
    """
    from backlessons.display import format_own_reference_html, format_reference_html

    own_by_key = {reference.key: reference for reference in own}
    items = [f"<li>{format_own_reference_html(own_by_key[key]) if key in own_by_key else format_reference_html(key)}</li>"
             for key in dict.fromkeys(keys)]
    if not items:
        return ""
    return f'<div class="bl-citations"><strong>{escape(label)}:</strong><ul>{"".join(items)}</ul></div>'


# JupyterLab's default margins around every paragraph and list spread a card over
# several screens; inline styles, because no stylesheet ships with the package.
_COMPACT = {
    "<p>": '<p style="margin: 0.2em 0">',
    "<ul>": '<ul style="margin: 0.2em 0; padding-left: 1.6em">',
    "<ol>": '<ol style="margin: 0.2em 0; padding-left: 1.6em">',
    "<li>": '<li style="margin: 0.1em 0">',
}


def compact_html(html: str) -> str:
    """Give the bare <p>, <ul>, <ol> and <li> tags in *html* small margins.

    Only bare tags change: bank and data text is escaped, so none of them comes from content.
    """
    for tag, styled in _COMPACT.items():
        html = html.replace(tag, styled)
    return html


def compact_block(html: str) -> str:
    """``compact_html`` in a div with normal line spacing.

    ipywidgets' HTML widget sets line-height to the height of a control (28 px), which
    spreads every wrapped line and list item apart.
    """
    return f'<div style="line-height: 1.4">{compact_html(html)}</div>'


def classed(widget: widgets.DOMWidget, *classes: str) -> widgets.DOMWidget:
    """Add CSS classes (stable hooks for the browser tests) and return the widget.

    One change of ``_dom_classes`` (one message to the page), not one per class as
    ``add_class`` sends; lean() gives them at creation, which sends none.
    """
    added = tuple(name for name in dict.fromkeys(classes) if name not in widget._dom_classes)
    if added:
        widget._dom_classes = (*widget._dom_classes, *added)
    return widget


# --- one Layout and one Style for the many widgets that never change theirs -------------------


class _Unchanging:
    """A Layout or Style shared by many widgets: once made, its synced state cannot change.

    Changing it would change every widget that shares it, so an attempt is an error.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[call-arg]
        self._made = True

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_made", False) and name in getattr(self, "keys", ()):
            raise AttributeError(
                f"this {type(self).__mro__[2].__name__} is shared by many widgets and cannot change ({name}); "
                "give the widget its own"
            )
        super().__setattr__(name, value)


_shared: dict[type, widgets.Widget] = {}


def _shared_instance(kind: type) -> widgets.Widget:
    """The one unchanging instance of Layout or Style class *kind* (made again if it was closed)."""
    instance = _shared.get(kind)
    if instance is None or instance.comm is None:  # closed (e.g. Widget.close_all()): a new one
        unchanging = type(kind.__name__, (_Unchanging, kind), {"__module__": kind.__module__})
        instance = _shared[kind] = unchanging()
    return instance


def lean_layout() -> widgets.Layout:
    """The one unchanging Layout that lean() widgets share (for a container's own ``layout=``)."""
    return _shared_instance(widgets.Layout)  # type: ignore[return-value]


def lean(widget_class: type[W], *classes: str, **kwargs: Any) -> W:
    """``widget_class(**kwargs)`` with CSS *classes*, sharing one Layout (and Style) with its kind.

    Every ipywidgets control otherwise brings its own Layout and Style models: two thirds
    of the models of a lesson's quiz, each built in the kernel and sent to the page.
    For widgets whose layout and style are never set (the quiz's, the cards', the
    figures'); one that sets them gets an error, not a silent change to every other.
    """
    kwargs.setdefault("layout", lean_layout())
    style = widget_class.class_traits().get("style")
    if style is not None and "style" not in kwargs:
        kwargs["style"] = _shared_instance(style.klass)
    # The classes go with the widget's first message instead of one update each after it.
    kwargs["_dom_classes"] = tuple(dict.fromkeys(classes))
    return widget_class(**kwargs)
