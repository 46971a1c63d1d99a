"""Helpers for the widget tests: every widget a build created, its synced state as text,
and a normaliser that finds a Markdown secret however the page renders it."""

from __future__ import annotations

import html
import re
from typing import Any, Callable, TypeVar

import ipywidgets as widgets
from ipywidgets.widgets.widget import _instances

from backlessons.markup import inline_markdown

T = TypeVar("T")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def build(factory: Callable[[], T]) -> tuple[T, list[widgets.Widget]]:
    """Call *factory* and return its result and every widget created meanwhile.

    ipywidgets keeps every open widget in a registry; the difference before/after is
    exactly what would be synced to the browser, whether or not it sits in the tree.
    """
    before = set(_instances)
    result = factory()
    created = [w for key, w in list(_instances.items()) if key not in before]
    return result, created


#: anywidget code traits: the package's own ES modules and stylesheet, the same for every
#: widget (checked to be exactly those files by ``code_is_package_static``), so skipped.
CODE_TRAITS = ("_esm", "_css")


def code_is_package_static(created: list[widgets.Widget]) -> bool:
    """Is every anywidget's code trait exactly one of the package's static files?

    ``_css`` may be empty: the stylesheet comes with the first component of the kernel only.
    """
    from importlib import resources

    static = resources.files("backlessons.widgets").joinpath("static")
    shipped = {f.read_text(encoding="utf-8") for f in static.iterdir() if f.name.endswith((".js", ".css"))}
    return all(w.get_state()[key] in shipped or (key == "_css" and w.get_state()[key] == "")
               for w in created for key in CODE_TRAITS if w.has_trait(key))


def state_text(created: list[widgets.Widget]) -> list[str]:
    """Every string in the synced state of these widgets (bytes decoded, nested values included).

    anywidget components are walked like any other widget; only their code traits (the
    package's own JS and CSS, see ``code_is_package_static``) are left out.
    """
    found: list[str] = []

    def collect(value: Any) -> None:
        if isinstance(value, str):
            # "IPY_MODEL_<hex>" points at another widget (searched on its own); its random
            # hex could otherwise look like a numeric answer.
            if not value.startswith("IPY_MODEL_"):
                found.append(value)
        elif isinstance(value, (bytes, bytearray, memoryview)):
            found.append(bytes(value).decode("latin-1"))
        elif isinstance(value, dict):
            for key, item in value.items():
                collect(key)
                collect(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                collect(item)
        elif value is not None and not isinstance(value, (bool, int, float)):
            found.append(repr(value))

    for w in created:
        collect({k: v for k, v in w.get_state().items() if k not in CODE_TRAITS})
    return found


def plain(text: str) -> str:
    """What a reader sees: tags removed, entities decoded, whitespace collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", html.unescape(text)))).strip()


def secret_probe(markdown_text: str, length: int = 40) -> str:
    """A chunk of *markdown_text* as it reads once rendered: searchable in any rendering."""
    return plain(inline_markdown(markdown_text))[:length]


def leaks(probe: str, haystacks: list[str]) -> bool:
    return any(probe in plain(h) for h in haystacks)
