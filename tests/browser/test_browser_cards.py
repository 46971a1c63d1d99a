"""Evidence cards, exercise cards and interactive figures, clicked in JupyterLab."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

import lab
import quizpage as qp

pytestmark = pytest.mark.browser


def test_evidence_card_predict_then_reveal(
    page: Page, lab_server: lab.LabServer, write_notebook: Any
) -> None:
    """Does the verdict stay out of the page until Reveal, and appear after a prediction?"""
    from backlessons import content

    claim = content.claim("C1")
    name = write_notebook("browser_evidence.ipynb", "import backlessons as bl", "bl.EvidenceCard('C1')")
    run = lab.run_notebook(page, lab_server, name, screenshot=False)
    assert run.errors == [] and run.views == 1
    card = page.locator(".bl-evidence-card")
    reveal = card.locator(".bl-reveal")
    why = qp.plain(claim.why, inline=False)
    expect(reveal).to_be_disabled()
    assert why[:50] not in qp.norm(page.locator(".jp-Notebook").inner_text())

    wrong = next(v for v in ("supported", "contradicted") if v != claim.verdict)
    # Chosen by its text ("supported" is also inside "unsupported": the whole text must match).
    card.locator(".bl-prediction label.bl-option-label", has_text=re.compile(rf"^\s*{wrong}\s*$")).click()
    expect(reveal).to_be_enabled()
    reveal.click()
    verdict = card.locator(".bl-verdict")
    expect(verdict.locator(".bl-verdict-value")).to_contain_text(f"Verdict: {claim.verdict}")
    expect(verdict.locator(".bl-match")).to_contain_text(f"You predicted {wrong}")
    expect(verdict.locator(".bl-why")).to_contain_text(why[:50])
    expect(reveal).to_be_disabled()


def test_exercise_card_timer_ticks_and_reps_count(
    page: Page, lab_server: lab.LabServer, write_notebook: Any
) -> None:
    """Does the hold timer count up in the browser after Play, and +1 rep add a rep?"""
    from backlessons import content

    exercise = content.exercise("glute_bridge")
    assert exercise.dose.hold_seconds >= 2
    name = write_notebook(
        "browser_exercise.ipynb", "import backlessons as bl", "bl.ExerciseCard('glute_bridge')"
    )
    run = lab.run_notebook(page, lab_server, name, screenshot=False)
    assert run.errors == [] and run.views == 1
    card = page.locator(".bl-exercise-card")
    count = card.locator(".bl-timer-count")
    expect(count).to_have_text(f"0 / {exercise.dose.hold_seconds} s")
    expect(card.locator("img.bl-diagram-image")).to_be_visible()

    card.get_by_role("button", name="Start hold timer").click()
    expect(count).to_have_text(re.compile(r"^[1-9]\d* / \d+ s$"), timeout=5_000)
    expect(count).to_have_text(re.compile(r"^([2-9]|\d\d+) / \d+ s$"), timeout=5_000)
    value = card.locator("progress.bl-timer-progress").evaluate("el => el.value")
    assert value >= 2, value

    reps = card.locator(".bl-rep-count")
    expect(reps).to_have_text(f"Reps: 0 / {exercise.dose.reps}")
    card.locator(".bl-rep-button").click()
    expect(reps).to_have_text(f"Reps: 1 / {exercise.dose.reps}")
    card.locator(".bl-rep-button").click()
    expect(reps).to_have_text(f"Reps: 2 / {exercise.dose.reps}")
    card.locator(".bl-rep-reset").click()
    expect(reps).to_have_text(f"Reps: 0 / {exercise.dose.reps}")


def test_slider_redraws_figure(page: Page, lab_server: lab.LabServer, write_notebook: Any) -> None:
    """Does pressing ArrowRight on a focused figure slider redraw the plot and its readout?"""
    name = write_notebook(
        "browser_figure.ipynb", "import backlessons as bl", "bl.figures.ground_reaction_force()"
    )
    run = lab.run_notebook(page, lab_server, name, screenshot=False)
    assert run.errors == [] and run.views == 1
    figure = page.locator(".bl-figure-ground-reaction-force")
    image = figure.locator("img.bl-figure-image")
    expect(image).to_have_attribute("src", re.compile(r"^(blob:|data:image/png)"))
    before_src = image.get_attribute("src")
    before_readout = figure.locator(".bl-figure-readout").inner_text()
    handle = figure.get_by_role("slider", name="Speed (m/s)")  # named by its label
    before_value = handle.input_value()
    before_alt = image.get_attribute("alt") or ""
    assert "Speed (m/s): " in before_alt

    handle.focus()
    page.keyboard.press("ArrowRight")
    expect(handle).not_to_have_value(before_value)
    expect(image).not_to_have_attribute("src", before_src or "")
    expect(image).not_to_have_attribute("alt", before_alt)  # the text alternative follows
    expect(figure.locator(".bl-figure-readout")).not_to_have_text(before_readout)
    natural = image.evaluate("img => img.complete ? img.naturalWidth : -1")
    assert natural != 0, "the redrawn plot did not load as an image"
