"""Finding answer-key text in what a reader sees: shared by the notebook and website tests.

An answer "leaks" when one of a question's explanation or feedback texts appears word
for word in the visible text of a page. Texts with fewer than MIN_LEAK_WORDS words
("Correct.", "95% CI 1.31–2.05.") are too generic to search for, where the same data
may rightly appear; real explanations are longer. Numbers do not count as words here.
"""

from __future__ import annotations

import dataclasses
import html
import re
from typing import Any, Iterator

__all__ = ["MIN_LEAK_WORDS", "answer_texts", "leaked", "visible_text", "words"]

MIN_LEAK_WORDS = 5

_KEY_FIELDS = {"explanation", "feedback", "feedback_true", "feedback_false"}


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def visible_text(markup: str) -> str:
    """What a reader sees of some HTML: scripts, styles and tags removed, entities decoded."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def answer_texts(node: Any) -> Iterator[str]:
    """Explanations and feedback of a question, its options, ranges, pairs and case parts."""
    if dataclasses.is_dataclass(node):
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if f.name in _KEY_FIELDS and isinstance(value, str):
                yield value
            else:
                yield from answer_texts(value)
    elif isinstance(node, (tuple, list)):
        for item in node:
            yield from answer_texts(item)


def leaked(answer: str, page: str) -> bool:
    """Does the answer text appear, word for word, in the page text?"""
    a, p = words(answer), " ".join(words(page))
    prose = [w for w in a if w.isalpha() and len(w) > 1]
    return len(prose) >= MIN_LEAK_WORDS and f" {' '.join(a)} " in f" {p} "
