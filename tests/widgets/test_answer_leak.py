"""Answer keys must not reach the browser before Check.

Every widget a Quiz (or EvidenceCard) creates is collected from ipywidgets' registry,
and every string in its synced state is searched, as the reader would see it, for each
explanation, feedback text, numeric answer and correctness marker. The same search
runs on the text/html fallback. Each test also shows the search can fail: after Check
the secret is found.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

import pytest

from backlessons.quiz import shipped_banks
from backlessons.widgets.evidence_card import EvidenceCard
from backlessons.widgets.quiz import Quiz

from backlessons.widgets.components import ChoiceGroup

from ._walk import build, code_is_package_static, leaks, plain, secret_probe, state_text
from .conftest import EVERY_TYPE

MARKERS = ("bl-correct", "bl-incorrect", "bl-partial", "bl-result", "Correct.", "Not quite.", "Partly right")


def _questions(questions: Any) -> Iterator[Any]:
    for q in questions:
        yield q
        yield from _questions(getattr(q, "parts", ()) or ())


def _secrets(q: Any) -> list[str]:
    found = [q.explanation, getattr(q, "hint", "")]
    found += [o.feedback for o in getattr(q, "options", ())]
    found += [getattr(q, "feedback_true", ""), getattr(q, "feedback_false", "")]
    found += [p.feedback for p in getattr(q, "pairs", ())]
    found += [r.feedback for r in getattr(q, "ranges", ())]
    return [s for s in found if s]


def _public(q: Any) -> str:
    """Text the learner is meant to see before Check: a secret repeated here is not a leak."""
    texts = [q.prompt, getattr(q, "vignette", "")]
    texts += [o.text for o in getattr(q, "options", ())]
    texts += [p.left for p in getattr(q, "pairs", ())] + list(getattr(q, "right_options", ()))
    texts += list(getattr(q, "items", ())) + [getattr(q, "unit", "")]
    texts += [t for part in getattr(q, "parts", ()) or () for t in [_public(part)]]
    return plain(" ".join(texts))


def _bank_ids() -> list[str]:
    return [str(p) for p in shipped_banks()] + [str(EVERY_TYPE)]


@pytest.mark.parametrize("bank", _bank_ids(), ids=lambda p: p.rsplit("/", 1)[-1])
def test_no_answer_key_before_check(bank):
    """Is every explanation, feedback, numeric answer and correctness marker absent before Check?"""
    quiz, created = build(lambda: Quiz(bank, seed=0))
    states = state_text(created)
    fallback = quiz._repr_mimebundle_()["text/html"]
    haystacks = states + [fallback]
    public = plain(" ".join(_public(q) for q in quiz.bank.questions) + " " + quiz.bank.title)
    checked = 0
    for q in _questions(quiz.bank.questions):
        for secret in _secrets(q):
            probe = secret_probe(secret)
            if len(probe) < 12 or probe in public:
                continue  # too short to be meaningful, or legitimately shown in the question
            checked += 1
            assert not leaks(probe, haystacks), f"{q.id}: {probe!r} visible before Check"
    for marker in MARKERS:
        assert not any(marker in h for h in haystacks), marker
    assert checked > 0
    # The anywidget option groups are walked too: nothing marked before Check, and their
    # skipped code traits are the package's own static files, nothing else.
    groups = [w for w in created if isinstance(w, ChoiceGroup)]
    assert groups and all(g.marks == [] for g in groups)
    assert code_is_package_static(created)
    # Numeric answers: the numeric view's own widgets (answer box, hints) must not show them.
    for view in quiz.views:
        if view.question.type == "numeric" and f"{view.question.answer:g}" not in plain(view.question.prompt):
            answer = re.compile(rf"(?<![\d.]){re.escape(f'{view.question.answer:g}')}(?![\d])")
            own = state_text([view.answer, view.unit_hint, view.feedback, view.prompt])
            assert not any(answer.search(plain(h)) for h in own), view.question.id


def test_leak_search_finds_secrets_after_check(store):
    """After a wrong Check, does the same search find the chosen feedback but not yet the explanation,
    and after the second try the explanation (so the leak test can fail)?"""
    quiz, created = build(lambda: Quiz(EVERY_TYPE, seed=0, store=store))
    view = quiz.views[0]
    view.select(1)
    view.check_button.click()
    states = state_text(created)
    assert leaks(secret_probe(view.question.options[1].feedback), states)
    assert any("bl-incorrect" in h for h in states)
    assert "incorrect" in view.choice.marks  # the chosen wrong option is marked, in the walked state
    assert any(h == "incorrect" for h in states)
    # The default rule holds the explanation back until a correct answer or the 2nd try.
    assert not leaks(secret_probe(view.question.explanation), states)
    view.try_again_button.click()
    view.select(2)
    view.check_button.click()
    states = state_text(created)
    assert leaks(secret_probe(view.question.explanation), states)
    # …but not another question's explanation.
    assert not leaks(secret_probe(quiz.views[1].question.explanation), states)


def test_fixture_numeric_answer_nowhere_before_check():
    """Is the fixture's unique numeric answer (7.375) absent from every synced string?"""
    quiz, created = build(lambda: Quiz(EVERY_TYPE, seed=0))
    assert not any("7.375" in h for h in state_text(created) + [quiz._repr_mimebundle_()["text/html"]])


def test_answer_key_lives_in_plain_attributes_only():
    """Are the bank and questions plain Python attributes, never traits?"""
    quiz = Quiz(EVERY_TYPE)
    assert "bank" not in quiz.trait_names() and "question" not in quiz.views[0].trait_names()
    assert all(not v.has_trait("question") for v in quiz.views)


@pytest.mark.parametrize("claim_id", [f"C{i}" for i in range(1, 19)])
def test_evidence_card_hides_verdict_before_reveal(claim_id):
    """Are the verdict note and the 'why' absent before Reveal, and shown after?"""
    card, created = build(lambda: EvidenceCard(claim_id))
    c = card.claim_record
    haystacks = state_text(created) + [card._repr_mimebundle_()["text/html"], card._repr_mimebundle_()["text/plain"]]
    assert not leaks(secret_probe(c.why), haystacks)
    if c.verdict_note:
        assert not leaks(secret_probe(c.verdict_note), haystacks)
    assert card.verdict.value == ""
    assert not any("Verdict:" in h or "bl-verdict-value" in h for h in haystacks)
    card.prediction.value = "supported"
    card.reveal_button.click()
    after = state_text(created)
    assert leaks(secret_probe(c.why), after)
    assert f"<strong>{c.verdict}</strong>" in card.verdict.value
