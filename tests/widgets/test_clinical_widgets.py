"""Widgets and figures of issue 10: red-flag cases, the NICE explorer, exercise stop lines,
certainty on evidence cards, the natural-history figure and the Keller slow-jogging arrow."""

from __future__ import annotations

import pytest

from backlessons import clinical, content, figures
from backlessons.widgets.evidence_card import EvidenceCard
from backlessons.widgets.exercise_card import ExerciseCard
from backlessons.widgets.nice_explorer import NiceExplorer
from backlessons.widgets.red_flag_case import RedFlagCase

from ._walk import build, leaks, plain, secret_probe, state_text

CASE_IDS = list(content.red_flag_cases())


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_case_hides_the_answer_until_reveal(case_id):
    """Are the next step and reasoning absent from widget state and static HTML before Reveal, and shown after?"""
    card, created = build(lambda: RedFlagCase(case_id))
    case = card.case
    bundle = card._repr_mimebundle_()
    haystacks = state_text(created) + [bundle["text/html"], bundle["text/plain"]]
    for secret in (case.next_step, case.reasoning, case.suspect):
        assert not leaks(secret_probe(secret), haystacks)
    assert card.reveal_button.disabled
    wrong = next(level for level in content.URGENCIES if level != case.urgency)
    card.choose(wrong)
    card.reveal_button.click()
    shown = plain(card.answer.value)
    label = content.urgency_levels().loc[case.urgency, "label"]
    assert f"Urgency: {label}" in shown and "You chose" in shown
    assert leaks(secret_probe(case.reasoning), [card.answer.value])
    assert card.choice.disabled and card.reveal_button.disabled


def test_case_matching_choice_and_unknown_case():
    """Does a matching choice say so, and does an unknown case id raise a clear error?"""
    card = RedFlagCase("older_walker_aaa")
    card.choose("emergency")
    card.reveal()
    assert "Your urgency level matches" in card.answer.value
    with pytest.raises(content.ContentError, match="case nowhere: id: no such case"):
        RedFlagCase("nowhere")


def test_case_urgency_is_a_radio_group_of_the_level_labels_and_the_answer_is_announced():
    """Is the urgency choice the quizzes' keyboard radio group (named "How urgent?", escaped level labels in
    scale order, nothing chosen), does a position map back to its level id, and is the answer a live region?"""
    from backlessons.markup import escape
    from backlessons.widgets.components import ChoiceGroup, LiveHTML

    card = RedFlagCase("older_walker_aaa")
    levels = content.urgency_levels()
    assert isinstance(card.choice, ChoiceGroup) and not card.choice.multiple
    assert card.choice.legend == "How urgent?" and card.choice.value is None and card.chosen_level is None
    assert card.choice.labels == [escape(str(label)) for label in levels["label"]]
    assert card.level_ids == list(levels.index) and card.level_ids[0] == "emergency"
    card.choice.value = 1  # what the browser sends for the second option
    assert card.chosen_level == levels.index[1] and not card.reveal_button.disabled
    assert isinstance(card.answer, LiveHTML) and "bl-case-answer" in card.answer._dom_classes
    card.reveal()
    assert "You chose" in card.answer.value and card.choice.disabled
    with pytest.raises(ValueError, match="'tomorrow' is not one of emergency, same_day"):
        card.choose("tomorrow")


def test_nice_explorer_shows_keyboard_drop_downs_that_follow_its_values():
    """Does the explorer show named TextSelect drop-downs ("All …" when nothing is chosen) instead of
    ipywidgets' (whose arrow keys JupyterLab takes), kept in step with group/topic both ways?"""
    from backlessons.widgets.components import TextSelect

    explorer = NiceExplorer(topic="surgery")
    row = explorer.children[0]
    assert list(row.children) == [explorer.group_select, explorer.topic_select]
    assert all(isinstance(w, TextSelect) for w in row.children)
    assert (explorer.group_select.description, explorer.group_select.placeholder) == ("Group", "All groups")
    assert explorer.group_select.labels == list(clinical.NICE_GROUP_LABELS.values())
    assert explorer.topic_select.labels[explorer.topic_select.value] == "surgery"
    everything_on_surgery = explorer.table.value
    explorer.group_select.value = list(clinical.NICE_GROUP_LABELS).index("consider")  # what the browser sends
    assert explorer.group.value == "consider" and explorer.table.value != everything_on_surgery
    explorer.group.value = None
    assert explorer.group_select.value is None and explorer.table.value == everything_on_surgery


def test_evidence_card_prediction_is_a_radio_group_and_the_verdict_is_announced():
    """Does the card show its prediction as the quizzes' radio group of the verdicts (which says which one
    is chosen), kept in step with `prediction` both ways and disabled with it, and is the verdict a live region?"""
    from backlessons.widgets.components import ChoiceGroup, LiveHTML

    card = EvidenceCard("C1")
    shown = card.prediction_choice
    assert isinstance(shown, ChoiceGroup) and shown in card.children and card.prediction not in card.children
    assert shown.labels == list(content.VERDICTS) and shown.legend == "Your prediction" and shown.value is None
    shown.value = list(content.VERDICTS).index("weak")  # what the browser sends
    assert card.prediction.value == "weak" and not card.reveal_button.disabled
    card.prediction.value = "mixed"
    assert shown.value == list(content.VERDICTS).index("mixed")
    assert isinstance(card.verdict, LiveHTML) and "bl-verdict" in card.verdict._dom_classes
    card.reveal()
    assert "Verdict:" in card.verdict.value and shown.disabled


def test_nice_explorer_filters():
    """Does choosing a group and a topic narrow the table, and 'All' bring everything back?"""
    explorer = NiceExplorer()
    everything = explorer.table.value
    explorer.group.value = "consider"
    explorer.topic.value = "surgery"
    assert "decompression" in explorer.table.value and "fusion" not in explorer.table.value.lower()
    explorer.group.value = None
    explorer.topic.value = None
    assert explorer.table.value == everything
    assert explorer.sources == ("nice_ng59",)


def test_exercise_card_shows_next_steps_and_plan():
    """Does every exercise card show each stop line with its next step, the frequency and the weekly plan?"""
    for name, ex in content.exercises().items():
        text = plain(ExerciseCard(name).text.value)
        assert plain(ex.frequency) in text
        for stop in ex.when_to_stop:
            assert f"{plain(stop.sign)} Next: {plain(stop.next_step)}" in text
        for step in ex.progression:
            assert plain(step) in text


def test_evidence_card_shows_certainty_after_reveal():
    """Does the revealed card say how certain the evidence is, with the effect size where the brief gives it?"""
    card = EvidenceCard("C13")
    card.prediction.value = "mixed"
    card.reveal()
    shown = plain(card.verdict.value)
    assert "Certainty of evidence (GRADE): Moderate to low" in shown
    assert "15 points" in shown and "below its threshold (10)" in shown
    other = EvidenceCard("C1")
    other.prediction.value = "weak"
    other.reveal()
    assert "not rated" in plain(other.verdict.value)


def test_certainty_card_lists_the_levels():
    """Does the certainty card list all four levels with their meanings?"""
    card = clinical.certainty_levels()
    for label in ("High", "Moderate", "Low", "Very low"):
        assert f">{label}<" in card.html
    assert "C13" in card.html


def test_natural_history_plots_only_the_brief_points():
    """Are the only markers the brief's weeks and values, with the joining lines marked as not measured?"""
    fig = figures.natural_history()
    mpl_fig, readout = fig.make_figure({"week": 26})
    ax = mpl_fig.axes[0]
    markers = [line for line in ax.get_lines() if line.get_marker() not in (None, "None", "", " ")]
    points = {(float(x), float(y)) for line in markers for x, y in zip(line.get_xdata(), line.get_ydata())}
    assert points == {(0, 52), (6, 23), (26, 12), (52, 6), (0, 51), (6, 33), (26, 26), (52, 23)}
    joined = [line for line in ax.get_lines() if line.get_linestyle() == ":" and len(line.get_xdata())]
    assert joined and all(list(line.get_xdata()) == [0, 6, 26, 52] for line in joined)
    assert "Week 26" in readout and "acute 12/100" in readout and "persistent 26/100" in readout
    assert "not measurements" in fig.caption.value
    fig.controls["week"].value = 52
    assert "acute 6/100" in fig.readout.value
    assert list(fig.controls["week"].options) == [("0", 0), ("6", 6), ("26", 26), ("52", 52)] or \
        [w for _, w in fig.controls["week"].options] == [0, 6, 26, 52]


def test_keller_shows_slow_jogging_above_the_trend_without_a_point():
    """Does the Keller figure mark slow jogging above the trend with an arrow, adding no data point?"""
    fig = figures.ground_reaction_force()
    mpl_fig, _ = fig.make_figure()
    ax = mpl_fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert any("slow jogging: above the trend" in t and "no exact value" in t for t in texts)
    arrows = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    assert arrows
    (start_x, start_y), (end_x, end_y) = arrows[-1].xyann, arrows[-1].xy
    assert start_x == end_x == 2.5 and end_y > start_y
    keller = [line for line in ax.get_lines() if line.get_label().startswith("values stated by Keller")]
    assert [list(line.get_xdata()) for line in keller] == [[1.5, 6.0]]
