"""Bank text with HTML and script payloads must only ever appear escaped."""

from __future__ import annotations

import html
import re

from backlessons.widgets.quiz import Quiz

from ._walk import build, state_text
from .conftest import PAYLOADS

# Tags a payload would inject; the widgets' own markup never uses them.
RAW_TAG = re.compile(r"<\s*(script|img|iframe|b)\b", re.IGNORECASE)


def shown_escaped(payload: str, strings: list[str]) -> bool:
    """Is *payload* in some string as escaped text (it reads right once entities are decoded)?"""
    return any("&lt;" in s and payload in html.unescape(s) for s in strings)


def _answer_everything(quiz: Quiz) -> None:
    for view in quiz.views:
        kind = view.question.type
        if kind == "single":
            view.select(1)
        elif kind == "multiple":
            view.select([0, 1])
        elif kind == "true_false":
            view.select(False)
        elif kind == "numeric":
            view.select("1")
        elif kind == "matching":
            view.select({0: 1, 1: 0})
        elif kind == "case":
            view.parts[0].select(1)
        view.check_button.click()


def test_payloads_escaped_before_and_after_check(store):
    """Are payloads in every field escaped in every widget value, before and after Check?"""
    quiz, created = build(lambda: Quiz(PAYLOADS, seed=0, store=store))
    before = state_text(created)
    assert not [s for s in before if RAW_TAG.search(s)]
    assert shown_escaped("<script>alert('prompt')</script>", before), "prompt not shown escaped"
    assert shown_escaped("<script>alert('opt1')</script>", before), "option not shown escaped"
    assert shown_escaped("<script>u</script>", before), "unit not shown escaped"
    _answer_everything(quiz)
    assert all(v.attempts == 1 for v in quiz.views), [v.feedback.value for v in quiz.views if v.attempts != 1]
    after = state_text(created)
    assert not [s for s in after if RAW_TAG.search(s)]
    assert shown_escaped("<script>alert('explanation')</script>", after)
    assert shown_escaped("<iframe src=javascript:alert(3)>", after)
    assert shown_escaped("<script>alert('pf2')</script>", after)
    assert shown_escaped("<script>alert('hint')</script>", after), "hint not shown escaped"
    assert shown_escaped("<script>alert('ref-journal')</script>", after), "own reference not shown escaped"


def test_payloads_escaped_in_fallback_and_plain_text():
    """Are the payloads escaped in the text/html fallback, including the bank title?"""
    quiz = Quiz(PAYLOADS, seed=0)
    bundle = quiz._repr_mimebundle_()
    assert not RAW_TAG.search(bundle["text/html"])
    for payload in ("<script>alert('title')</script>", "<script>alert('i1')</script>",
                    "<script>alert('vignette')</script>", "<script>alert('r1')</script>"):
        assert shown_escaped(payload, [bundle["text/html"]]), payload


def test_option_labels_are_texts_escaped():
    """Are options labelled by their own text, and is that text escaped HTML (never raw tags)?"""
    quiz = Quiz(PAYLOADS, seed=0)
    single = quiz.views[0]
    assert len(single.choice.labels) == 2 and not any(RAW_TAG.search(label) for label in single.choice.labels)
    assert shown_escaped("<script>alert('opt1')</script>", single.choice.labels)
    matching = next(v for v in quiz.views if v.question.type == "matching")
    labels = matching.dropdowns[0].labels + [d.description for d in matching.dropdowns]
    assert not any(RAW_TAG.search(label) for label in labels)
    assert shown_escaped("<script>alert('r1')</script>", labels)
