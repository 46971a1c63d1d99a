"""EvidenceCard and ExerciseCard driven from Python."""

from __future__ import annotations

import pytest

from backlessons import content
from backlessons.widgets.evidence_card import VERDICTS, EvidenceCard
from backlessons.widgets.exercise_card import DOSE_CAVEAT, ExerciseCard


def test_reveal_needs_a_prediction():
    """Is Reveal disabled until a prediction is chosen?"""
    card = EvidenceCard("C1")
    assert card.reveal_button.disabled
    card.prediction.value = "weak"
    assert not card.reveal_button.disabled


def test_matching_prediction_is_confirmed():
    """Does predicting the real verdict reveal it, say it matched, explain why and cite sources?"""
    card = EvidenceCard("C1")
    verdict = content.claim("C1").verdict
    card.prediction.value = verdict
    card.reveal_button.click()
    assert f"<strong>{verdict}</strong>" in card.verdict.value
    assert "Your prediction matches" in card.verdict.value
    assert "bl-citations" in card.verdict.value and "Swain CTV et al. (2020)" in card.verdict.value
    assert card.prediction.disabled and card.reveal_button.disabled


def test_wrong_prediction_is_named():
    """Does a wrong prediction say what was predicted alongside the real verdict?"""
    card = EvidenceCard("C4")
    wrong = next(v for v in VERDICTS if v != content.claim("C4").verdict)
    card.prediction.value = wrong
    card.reveal_button.click()
    assert f"You predicted <strong>{wrong}</strong>" in card.verdict.value
    assert "matches" not in card.verdict.value


def test_verdict_note_shown_after_reveal():
    """Is a claim's verdict note (e.g. C6 'partly contradicted') shown with the verdict?"""
    with_note = [cid for cid in content.claims().index if content.claim(cid).verdict_note]
    assert with_note
    card = EvidenceCard(with_note[0])
    card.prediction.value = "mixed"
    card.reveal_button.click()
    assert content.claim(with_note[0]).verdict_note.split()[0] in card.verdict.value


def test_evidence_card_fallbacks():
    """Does the card's bundle carry the claim in text/plain and text/html, deterministically?"""
    bundle = EvidenceCard("C2")._repr_mimebundle_()
    claim = content.claim("C2").claim
    assert bundle["text/plain"] == f"Evidence card C2: {claim} — predict the verdict in JupyterLab."
    assert "bl-evidence-card" in bundle["text/html"]
    assert bundle["text/html"] == EvidenceCard("C2")._repr_mimebundle_()["text/html"]


def test_unknown_claim_is_a_content_error():
    """Is an unknown claim id one clear ContentError?"""
    from backlessons.errors import ContentError

    with pytest.raises((ContentError, KeyError)):
        EvidenceCard("C99")


@pytest.mark.parametrize("name", sorted(content.exercises()))
def test_exercise_card_text(name):
    """Does every card show title, steps, the dose caveat, when to stop and the SVG diagram?"""
    card = ExerciseCard(name)
    ex = content.exercise(name)
    assert card.diagram.format == "svg+xml" and bytes(card.diagram.value).lstrip().startswith((b"<svg", b"<?xml"))
    html = card.text.value
    assert DOSE_CAVEAT in html and "When to stop" in html
    assert all(step.split()[0] in html for step in ex.steps)
    assert card._repr_mimebundle_()["text/plain"].startswith(f"Exercise card: {ex.title}")
    assert "data:image/svg+xml;base64," in card._repr_mimebundle_()["text/html"]


def test_hold_timer_counts_in_the_browser_with_a_named_button():
    """Is the hold timer a browser-side component for the exercise's hold, with a named button and announced state?"""
    from backlessons.widgets.components import HoldTimer, _static

    card = ExerciseCard("glute_bridge")
    hold = content.exercise("glute_bridge").dose.hold_seconds
    assert hold > 0
    assert isinstance(card.timer, HoldTimer) and card.timer.seconds == hold and card.timer.label
    script = _static("timer.js")
    # Named Start/Stop button, a status region read out, ticking once a second in the page.
    assert "`Start ${name()}`" in script and "`Stop ${name()}`" in script
    assert 'aria-live", "polite"' in script and "setInterval" in script and "1000" in script
    assert "prefers-reduced-motion" in _static("style.css")
    assert any("bl-timer" in c._dom_classes for c in card.children)


def test_no_timer_without_a_hold():
    """Does an exercise without a hold (walk-run plan) show no timer?"""
    no_hold = [n for n, ex in content.exercises().items() if not ex.dose.hold_seconds]
    assert no_hold
    card = ExerciseCard(no_hold[0])
    assert card.timer is None


def test_rep_counter():
    """Does +1 rep count up to the target, mark the set complete, and Reset go back to zero?"""
    card = ExerciseCard("pelvic_tilt")
    target = content.exercise("pelvic_tilt").dose.reps
    card.rep_button.click()
    card.rep_button.click()
    assert card.rep_count.value == f"Reps: 2 / {target}"
    for _ in range(target - 2):
        card.rep_button.click()
    assert card.rep_count.value == f"Reps: {target} / {target} · set complete"
    card.reset_button.click()
    assert card.rep_count.value == f"Reps: 0 / {target}"


@pytest.mark.parametrize("name", sorted(content.exercises()))
def test_exercise_card_title_comes_before_the_diagram(name):
    """Is the exercise title the card's first child, above the diagram, in the widget and the static HTML?"""
    card = ExerciseCard(name)
    title = content.exercise(name).title
    assert card.children[:3] == (card.title_html, card.diagram, card.diagram_caption)
    assert "bl-exercise-title" in card.title_html._dom_classes and title in card.title_html.value
    static = card._repr_mimebundle_()["text/html"]
    assert static.index('class="bl-exercise-title"') < static.index('<img class="bl-diagram"')


def test_exercise_card_text_is_compact():
    """Does every paragraph, list and heading in the card text carry a small inline margin?"""
    import re

    html = ExerciseCard("glute_bridge").text.value
    assert html.count("<h4 ") >= 8
    assert not re.search(r"<(p|ul|ol|li|h4)>", html), "a bare tag keeps JupyterLab's large default margin"
    assert 'class="bl-steps"' in html and 'class="bl-when-to-stop"' in html


def test_compact_html_leaves_escaped_content_alone():
    """Does compact_html style only real tags, never a "<p>" typed in content (escaped by markup)?"""
    from backlessons.markup import markdown
    from backlessons.widgets._base import compact_block, compact_html

    html = compact_html(markdown("Type <p> or <li> here\n\n- one\n- two"))
    assert "&lt;p&gt;" in html and "&lt;li&gt;" in html
    assert '<p style="margin: 0.2em 0">' in html and '<ul style="margin: 0.2em 0; padding-left: 1.6em">' in html
    assert "<p>" not in html and "<li>" not in html
    assert compact_block("<p>x</p>") == '<div style="line-height: 1.4"><p style="margin: 0.2em 0">x</p></div>'


def test_exercise_card_shows_the_validated_diagram():
    """Does the card show exactly the SVG the content loader validated (no file read of its own)?"""
    card = ExerciseCard("glute_bridge")
    assert card.diagram_svg == content.diagram_svg("glute_bridge").encode("utf-8")
    assert card.diagram.value == card.diagram_svg


def test_exercise_card_refuses_an_unsafe_diagram(monkeypatch):
    """Does a diagram with a script stop the card with a ContentError naming the file, before anything is shown?"""
    import backlessons.content.api as api
    import backlessons.content.diagrams as diagrams
    from backlessons.errors import ContentError

    unsafe = ('<svg xmlns="http://www.w3.org/2000/svg"><title>bridge</title>'
              '<script>alert(1)</script></svg>')
    real = diagrams.read_text

    def read(root, relpath):
        return unsafe if relpath.startswith("diagrams/") else real(root, relpath)

    monkeypatch.setattr(diagrams, "read_text", read)
    monkeypatch.setattr(api, "read_text", read)
    with pytest.raises(ContentError, match=r"diagrams/.*\.svg.*<script> is not allowed"):
        ExerciseCard("glute_bridge")


def test_evidence_card_verdicts_are_contents_one_list():
    """Are the card's buttons, tooltips and legend the one verdict list of content, in its order?"""
    from backlessons.widgets import evidence_card

    assert evidence_card.VERDICTS is content.VERDICTS
    assert tuple(content.VERDICT_MEANINGS) == content.VERDICTS
    card = EvidenceCard("C4")
    assert tuple(card.prediction.options) == content.VERDICTS
    assert [tip.split(":")[0] for tip in card.prediction.tooltips] == list(content.VERDICTS)
    for verdict, meaning in content.VERDICT_MEANINGS.items():
        assert meaning in card.legend.value and verdict in card.legend.value
