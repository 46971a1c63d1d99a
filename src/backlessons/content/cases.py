"""The lesson-08 YAML files: red-flag case vignettes and the safety-net card."""

from __future__ import annotations

import re
from dataclasses import dataclass

from backlessons.content.engine import Fields, Traversable, ids_of, load_yaml
from backlessons.content.tables import KEY, URGENCIES, URGENCY_LEVELS, reference_keys_in
from backlessons.errors import ContentError, Problem

# --------------------------------------------------------------------------- clinical YAML files

_CASES_PATH = "red_flag_cases.yaml"
_CASE_TEXT_FIELDS = ("title", "sex", "training", "findings", "suspect", "next_step", "reasoning")
_CARD_PATH = "safety_net_card.yaml"


@dataclass(frozen=True)
class RedFlagCase:
    """A lesson-08 vignette: the learner picks an urgency level and a next step, then reveals."""

    id: str
    title: str
    age: int
    sex: str
    training: str
    findings: str
    urgency: str
    suspect: str
    next_step: str
    reasoning: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SafetyNetCard:
    """The printable cauda equina warning card."""

    title: str
    intro: str
    warning_signs: tuple[str, ...]
    what_to_do: tuple[str, ...]
    note: str
    sources: tuple[str, ...]



def load_red_flag_cases(root: Traversable) -> dict[str, RedFlagCase]:
    loaded = load_yaml(root, _CASES_PATH)
    raw = loaded.data
    if not isinstance(raw, list) or not raw:
        raise ContentError([Problem(_CASES_PATH, "", "", "must be a list of cases")])
    keys = reference_keys_in(root)
    levels = ids_of(root, URGENCY_LEVELS.path, "id") or frozenset(URGENCIES)
    problems: list[Problem] = []
    cases: dict[str, RedFlagCase] = {}
    for index, body in enumerate(raw):
        line = loaded.starts.get(id(body))
        if not isinstance(body, dict):
            problems.append(Problem(_CASES_PATH, f"case {index + 1}", "", "must be a mapping", line=line))
            continue
        case_id = str(body.get("id", ""))
        fields = Fields(_CASES_PATH, f"case {case_id or index + 1}", body, line, problems)
        before = len(problems)
        fields.only(("id", "age", "urgency", "sources", *_CASE_TEXT_FIELDS))
        if not re.fullmatch(KEY, case_id):
            fields.bad("id", f"'{case_id}' is not an id (lowercase letters, digits, underscore)")
        elif case_id in cases:
            fields.bad("id", f"'{case_id}' is a duplicate")
        age = body.get("age")
        if isinstance(age, bool) or not isinstance(age, int) or not 0 < age < 120:
            fields.bad("age", f"{age!r} is not an age in years")
        urgency = body.get("urgency")
        if urgency not in levels:
            fields.bad("urgency", f"{urgency!r} is not an id in {URGENCY_LEVELS.path}")
        texts = {name: fields.text(name) for name in _CASE_TEXT_FIELDS}
        sources = fields.keys("sources", keys)
        if len(problems) == before:
            cases[case_id] = RedFlagCase(id=case_id, age=age, urgency=urgency, sources=sources, **texts)
    if problems:
        raise ContentError(problems)
    return cases


def load_safety_net_card(root: Traversable) -> SafetyNetCard:
    raw = load_yaml(root, _CARD_PATH).data
    if not isinstance(raw, dict):
        raise ContentError([Problem(_CARD_PATH, "", "", "must be a mapping of the card's fields")])
    problems: list[Problem] = []
    fields = Fields(_CARD_PATH, "card", raw, None, problems)
    names = ("title", "intro", "warning_signs", "what_to_do", "note", "sources")
    fields.only(names)
    card = SafetyNetCard(
        title=fields.text("title"),
        intro=fields.text("intro"),
        warning_signs=fields.texts("warning_signs"),
        what_to_do=fields.texts("what_to_do"),
        note=fields.text("note"),
        sources=fields.keys("sources", reference_keys_in(root)),
    )
    if problems:
        raise ContentError(problems)
    return card


