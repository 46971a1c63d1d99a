"""Markdown to safe HTML: every bank or data text reaching a page goes through here.

markdown-it-py runs with raw HTML switched off, so a ``<script>`` typed into a
question bank comes out as the text ``&lt;script&gt;``; its ``validateLink``
refuses ``javascript:``, ``vbscript:``, ``file:`` and non-image ``data:`` links.
"""

from __future__ import annotations

import html
import re
import string
from functools import cache

from markdown_it import MarkdownIt

__all__ = ["markdown", "inline_markdown", "plain_text", "escape", "letter"]


@cache
def _parser() -> MarkdownIt:
    # "commonmark" keeps the syntax small and predictable; html=False is the safety switch.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def _text(text: object) -> str:
    # Banks are YAML, so a prompt may arrive as a number or None; render what the author typed.
    if text is None:
        return ""
    return text if isinstance(text, str) else str(text)


def markdown(text: str) -> str:
    """Render Markdown *text* as block HTML (paragraphs, lists, code) with raw HTML escaped."""
    return _parser().render(_text(text))


def inline_markdown(text: str) -> str:
    """Render Markdown *text* as inline HTML, without the ``<p>`` wrapper (for option labels)."""
    return _parser().renderInline(_text(text))


def plain_text(text: str) -> str:
    """Markdown *text* as the plain text a reader sees, on one line (for accessible names)."""
    shown = html.unescape(re.sub(r"<[^>]*>", "", inline_markdown(text)))
    return " ".join(shown.split())


def escape(text: str) -> str:
    """Escape *text* for HTML element content and quoted attribute values."""
    return html.escape(_text(text), quote=True)


def letter(position: int) -> str:
    """An option's label: A, B, … Z, then AA, AB … (banks rarely need more than a handful)."""
    letters = string.ascii_uppercase
    return letters[position] if position < 26 else letters[position // 26 - 1] + letters[position % 26]
