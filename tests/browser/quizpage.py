"""Answer quiz questions in the page the way a learner does: by reading and clicking.

The right answers always come from the bank, loaded in the test process with
backlessons.quiz.load_bank; the page is only read to find where an option ended up
after the seeded shuffle (by its text), never to learn which option is right.
"""

from __future__ import annotations

import html
import re
import time
from typing import Any

from playwright.sync_api import Locator, Page, expect

from backlessons.markup import plain_text

__all__ = [
    "plain",
    "norm",
    "questions",
    "feedback",
    "option_label",
    "same_text",
    "answer",
    "check",
    "try_again",
    "correct_response",
]

# Case parts are question views too; top-level questions are the others.
QUESTION = ".bl-question:not(.bl-case-part)"


def norm(text: str) -> str:
    return " ".join(text.split())


def plain(markdown_text: str, inline: bool = True) -> str:
    """The visible text of bank Markdown, as the page shows it."""
    from backlessons.markup import inline_markdown, markdown

    rendered = inline_markdown(markdown_text) if inline else markdown(markdown_text)
    return norm(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).replace(" .", "."))


def same_text(page_text: str, bank_text: str) -> bool:
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731 - markup spacing differs slightly
    return squash(page_text) == squash(plain(bank_text))


def questions(scope: Page | Locator) -> Locator:
    """Top-level question views of the quizzes in *scope* (a page or a locator)."""
    return scope.locator(QUESTION)


def feedback(question: Locator) -> Locator:
    """The question's own feedback area (not its case parts')."""
    return question.locator(":scope > .bl-feedback")


def option_label(question: Locator, text: str) -> Locator:
    """The option whose shown text is the bank text *text* (options are chosen by their text)."""
    labels = question.locator(":scope .bl-choice-group").first.locator("label.bl-option-label")
    shown = [norm(t) for t in labels.all_inner_texts()]
    for n, entry in enumerate(shown):
        if same_text(entry, text):
            return labels.nth(n)
    raise AssertionError(f"option {text!r} not shown; the page lists {shown}")


def _single(question: Locator, q: Any, index: int) -> None:
    option_label(question, q.options[index].text).locator("input").check()


def _multiple(question: Locator, q: Any, indexes: set[int]) -> None:
    for i, option in enumerate(q.options):
        box = option_label(question, option.text).locator("input")
        if i in indexes:
            box.check()
        else:
            box.uncheck()


def _true_false(question: Locator, value: bool) -> None:
    option_label(question, "True" if value else "False").locator("input").check()


def _numeric(question: Locator, text: str) -> None:
    question.locator(".bl-answer input").fill(text)


def _matching(question: Locator, q: Any, mapping: dict[int, int]) -> None:
    """Pick, for each item's drop-down (labelled by the item), the option by its text."""
    rights = list(q.right_options)
    rows = question.locator(".bl-select")
    for left, right in mapping.items():
        select = rows.nth(left).locator("select")
        texts = select.locator("option").all_inner_texts()
        at = next(n for n, t in enumerate(texts) if same_text(t, rights[right]))
        select.select_option(index=at)


def _ordering(question: Locator, q: Any, order: list[int]) -> None:
    """Move items up one step at a time until they are in *order*."""
    labels = question.locator(".bl-order-item")
    target = [norm(plain(q.items[i])) for i in order]

    def shown() -> list[str]:
        """The order on the page once it has settled: a move updates the two swapped rows in two
        messages, so for a moment one item shows twice and the other not at all."""
        deadline = time.monotonic() + 10
        while True:
            texts = [norm(t.split(".", 1)[1]) for t in labels.all_inner_texts()]
            if sorted(texts) == sorted(target) or time.monotonic() > deadline:
                return texts
            question.page.wait_for_timeout(50)

    for place, item in enumerate(target):
        current = shown()
        at = current.index(item)
        # The button is found by its accessible name, which names the item it moves.
        up = question.get_by_role("button", name=f"Move ‘{plain_text(q.items[order[place]])}’ up", exact=True)
        while at > place:
            up.click()
            expect(labels.nth(at - 1)).to_have_text(re.compile(rf"^\s*{at}\.\s"))
            expect(labels.nth(at - 1)).to_contain_text(item)
            at -= 1
    assert shown() == target


def correct_response(q: Any) -> Any:
    """The full-marks response for question *q*, in the form `answer` takes."""
    if q.type == "single":
        return next(i for i, o in enumerate(q.options) if o.correct)
    if q.type == "multiple":
        return {i for i, o in enumerate(q.options) if o.correct}
    if q.type == "true_false":
        return bool(q.answer)
    if q.type == "numeric":
        number = f"{q.answer:g}"
        return f"{number} {q.unit}" if getattr(q, "unit", None) else number
    if q.type == "matching":
        rights = list(q.right_options)
        return {i: rights.index(p.right) for i, p in enumerate(q.pairs)}
    if q.type == "ordering":
        return list(range(len(q.items)))
    if q.type == "case":
        return {part.id: correct_response(part) for part in q.parts}
    raise AssertionError(f"no browser answer for type {q.type!r}")


def answer(question: Locator, q: Any, response: Any) -> None:
    """Enter *response* (file indexes, as in grade()) for bank question *q*."""
    if q.type == "single":
        _single(question, q, response)
    elif q.type == "multiple":
        _multiple(question, q, set(response))
    elif q.type == "true_false":
        _true_false(question, response)
    elif q.type == "numeric":
        _numeric(question, response)
    elif q.type == "matching":
        _matching(question, q, response)
    elif q.type == "ordering":
        _ordering(question, q, list(response))
    elif q.type == "case":
        parts = question.locator(".bl-case-part")
        for n, part in enumerate(q.parts):
            answer(parts.nth(n), part, response[part.id])
    else:
        raise AssertionError(f"no browser answer for type {q.type!r}")


def check(question: Locator) -> Locator:
    """Press Check and wait for the graded result; returns the feedback locator."""
    question.locator(".bl-check").click()
    area = feedback(question)
    expect(area.locator(".bl-result")).to_be_visible()
    return area


def try_again(question: Locator) -> None:
    question.locator(".bl-try-again").click()
    expect(feedback(question).locator(".bl-result")).to_have_count(0)
    expect(question.locator(".bl-check")).to_be_enabled()


def choose_first_then_next_by_keys(radios: Locator) -> None:
    """The ARIA radio-group pattern, from the focused first radio: Space chooses it, ArrowDown
    moves to the next one and chooses it instead."""
    keyboard = radios.page.keyboard
    keyboard.press("Space")
    expect(radios.nth(0)).to_be_checked()
    keyboard.press("ArrowDown")
    expect(radios.nth(1)).to_be_focused()
    expect(radios.nth(1)).to_be_checked()
    expect(radios.nth(0)).not_to_be_checked()
