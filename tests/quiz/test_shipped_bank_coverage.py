"""What the shipped banks must keep teaching (issue 11, point 2): reading-evidence items, red-flag
cases on the four-level urgency scale that agree with red_flags.csv, and NICE NG59 items."""

from __future__ import annotations

import pytest

from backlessons import content
from backlessons.quiz.bank import load_bank

RED_FLAGS_LESSON = "08_red_flags_and_clinical_reasoning"
# Each urgency case in lesson 08 → the red_flags.csv condition it is built on (None: no red flag,
# routine care with a safety net). The quiz's key must give the level the red-flag table gives.
URGENCY_CASES = {
    "cauda-equina-case": "Cauda equina syndrome",
    "ces-incomplete-case": "Cauda equina syndrome",
    "sciatica-safety-net-case": None,
    "mscc-neuro-case": "Metastatic spinal cord compression",
    "mscc-no-neuro-case": "Spinal metastases without neurological symptoms",
    "aaa-case": "Abdominal aortic aneurysm",
    "infection-case": "Spinal infection",
    "femoral-neck-case": "Femoral neck stress fracture",
    "sacral-reds-male-case": "Sacral stress fracture",
    "pars-adolescent-case": "Pars interarticularis stress injury (spondylolysis)",
}


def _shipped_questions():
    """(lesson id, question) for every top-level question of every shipped bank."""
    for lesson_id in content.lessons()["id"]:
        for question in load_bank(lesson_id).questions:
            yield lesson_id, question


def _urgency_part(case):
    """The part of a case that offers the urgency levels (a single question with 'Same day')."""
    parts = [p for p in case.parts if p.type == "single" and any(o.text == "Same day" for o in p.options)]
    assert len(parts) == 1, f"{case.id}: expected one urgency part, found {len(parts)}"
    return parts[0]


def test_reading_evidence_items_cover_the_four_skills():
    """Are there at least 6 reading-evidence items, covering certainty, effect size, design and absolute risk?"""
    tagged = [(lesson, q) for lesson, q in _shipped_questions() if "reading-evidence" in q.tags]
    assert len(tagged) >= 6
    topics = {tag for _, q in _shipped_questions() for tag in q.tags}
    assert {"certainty", "effect-size", "study-design", "risk"} <= topics


def test_at_least_eight_urgency_cases_each_offering_the_whole_scale():
    """Does lesson 08 hold at least 8 cases whose urgency part lists the four levels, in order, one right?"""
    labels = list(content.urgency_levels()["label"])
    cases = [q for q in load_bank(RED_FLAGS_LESSON).questions if q.type == "case" and q.id in URGENCY_CASES]
    assert len(cases) >= 8
    for case in cases:
        texts = [o.text for o in _urgency_part(case).options]
        assert [t for t in texts if t in labels] == labels, case.id
        assert sum(o.correct for o in _urgency_part(case).options) == 1, case.id


@pytest.mark.parametrize(("case_id", "condition"), sorted(URGENCY_CASES.items()))
def test_urgency_case_key_agrees_with_the_red_flag_table(case_id, condition):
    """Does each urgency case's right answer give the level red_flags.csv gives its condition?"""
    levels = content.urgency_levels()
    expected = "routine" if condition is None else content.red_flags().set_index("condition").loc[condition, "urgency"]
    case = next(q for q in load_bank(RED_FLAGS_LESSON).questions if q.id == case_id)
    (right,) = [o.text for o in _urgency_part(case).options if o.correct]
    assert right == levels.loc[expected, "label"]


def test_every_urgency_case_is_checked_against_the_table():
    """Is every lesson-08 case with an urgency part listed above, so a new one cannot skip the check?"""
    found = {q.id for q in load_bank(RED_FLAGS_LESSON).questions if q.type == "case"
             and any(p.type == "single" and any(o.text == "Same day" for o in p.options) for p in q.parts)}
    assert found == set(URGENCY_CASES)


def test_at_least_five_nice_items_cite_ng59():
    """Are there at least 5 items on NICE NG59's groups, each citing the guideline?"""
    nice = [q for _, q in _shipped_questions() if "nice" in q.tags]
    assert len(nice) >= 5
    for question in nice:
        keys = set(question.sources) | {k for p in getattr(question, "parts", ()) for k in p.sources}
        assert "nice_ng59" in keys, question.id


def test_every_explanation_cites_each_source_its_item_lists():
    """Does each explanation cite every source its item lists (lint checks the other direction), as 10.6 asks?"""
    from backlessons.quiz.lint import _CitationIndex, _cited_keys

    index = _CitationIndex.build(dict(content.references().iterrows()))
    # Two references have no author: the banks cite them by journal, as the brief does.
    by_journal = {"Scoliosis Spinal Disord 2016": "scoliosis2016", "JOSPT 2014": "jospt2014_aaa"}
    missing = []
    for lesson_id, question in _shipped_questions():
        for item in (question, *getattr(question, "parts", ())):
            if item is not question and not item.explanation:
                continue  # a part without its own explanation is covered by the case's
            cited = _cited_keys(item.explanation, index) | {k for name, k in by_journal.items() if name in item.explanation}
            missing += [f"{lesson_id} {item.id}: {key}" for key in sorted(set(item.sources) - cited)]
    assert missing == []
