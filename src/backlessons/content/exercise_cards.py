"""The exercise cards of ``exercises.yaml``: model and validation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from backlessons.content.engine import Traversable, child, load_yaml
from backlessons.content.tables import reference_keys_in
from backlessons.errors import ContentError, Problem

@dataclass(frozen=True)
class StopSign:
    """A "when to stop" line of an exercise and what to do next."""

    sign: str
    next_step: str


@dataclass(frozen=True)
class Dose:
    """A starting dose. 0 means "not applicable" (a walk-run plan has no hold time)."""

    sets: int
    reps: int
    hold_seconds: int
    note: str

    def describe(self) -> str:
        """Short plain text such as ``"1 set × 10 reps, hold 5 s"``; "" if nothing applies."""
        parts = []
        if self.sets and self.reps:
            parts.append(f"{self.sets} set{'s' if self.sets != 1 else ''} × {self.reps} reps")
        elif self.reps:
            parts.append(f"{self.reps} reps")
        if self.hold_seconds:
            parts.append(f"hold {self.hold_seconds} s")
        return ", ".join(parts)


@dataclass(frozen=True)
class Exercise:
    """One exercise from ``exercises.yaml``; ``diagram`` is a file name in ``diagrams/``."""

    name: str
    title: str
    from_article: bool
    purpose: str
    starting_position: str
    steps: tuple[str, ...]
    dose: Dose
    common_faults: tuple[str, ...]
    easier: str
    harder: str
    when_to_stop: tuple[StopSign, ...]
    diagram: str
    sources: tuple[str, ...]
    frequency: str = ""
    progression: tuple[str, ...] = ()


EXERCISES_PATH = "exercises.yaml"
DIAGRAM_FILE = r"[a-z0-9_]+\.svg"

# --------------------------------------------------------------------------- the model
# pydantic checks types and shapes; _validate turns its errors into the course's messages
# (``exercises.yaml:12: exercise bridge: dose.sets: ...``), in the order a reader meets them.

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_Texts = Annotated[list[_Text], Field(min_length=1)]
_Whole = Annotated[int, Field(ge=0)]  # strict: true/false and 2.5 are not doses


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _DoseModel(_Strict):
    sets: _Whole
    reps: _Whole
    hold_seconds: _Whole
    note: _Text


class _StopModel(_Strict):
    # Every stop line says what to do next: stopping alone leaves a learner stranded.
    sign: _Text
    next_step: _Text


class _ExerciseModel(_Strict):
    title: _Text
    from_article: bool
    purpose: _Text
    starting_position: _Text
    steps: _Texts
    dose: _DoseModel
    common_faults: _Texts
    easier: _Text
    harder: _Text
    when_to_stop: Annotated[list[_StopModel], Field(min_length=1)]
    frequency: _Text
    progression: _Texts
    diagram: _Text
    sources: _Texts

    def to_exercise(self, name: str) -> Exercise:
        values = self.model_dump()
        values["dose"] = Dose(**values["dose"])
        values["when_to_stop"] = tuple(StopSign(**stop) for stop in values["when_to_stop"])
        for field in _TEXTS:
            values[field] = tuple(values[field])
        return Exercise(name=name, **values)


_EXERCISE_FIELDS: tuple[str, ...] = tuple(_ExerciseModel.model_fields)
_DOSE_FIELDS: tuple[str, ...] = tuple(_DoseModel.model_fields)
_TEXTS = ("steps", "common_faults", "progression", "sources")  # the _Texts fields
# The order problems are listed in within one exercise (after unknown and missing fields).
_CHECK_ORDER = ("title", "from_article", "dose", "when_to_stop", "diagram", "sources", "purpose",
                "starting_position", "steps", "common_faults", "easier", "harder", "frequency", "progression")


def _text_ok(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _message(loc: tuple[Any, ...], kind: str, value: Any) -> tuple[str, str]:
    """(field, problem) for one pydantic error, worded as the course words it."""
    field = str(loc[0])
    if len(loc) == 1 and kind in ("extra_forbidden", "invalid_key"):
        return field, f"unknown field (expected {', '.join(_EXERCISE_FIELDS)})"
    if len(loc) == 1 and kind == "missing":
        return field, "is missing"
    if field == "from_article":
        return field, f"{value!r} is not one of true, false"
    if field == "dose":
        if len(loc) == 1:
            return field, "must be a mapping with sets, reps, hold_seconds and note"
        sub = f"dose.{loc[1]}"
        if kind in ("extra_forbidden", "invalid_key"):
            return sub, f"unknown field (expected {', '.join(_DOSE_FIELDS)})"
        if kind == "missing":
            return sub, "is missing"
        if loc[1] == "note":
            return sub, "must be non-empty text"
        return sub, f"{value!r} is not a whole number of 0 or more"
    if field == "when_to_stop":
        if len(loc) == 1:
            return field, "must be a non-empty list of {sign, next_step}"
        return field, f"item {loc[1] + 1} must have non-empty sign and next_step (and nothing else)"
    if field in _TEXTS:
        if len(loc) == 1:
            return field, "must be a non-empty list of text"
        return field, f"item {loc[1] + 1} must be non-empty text"
    return field, "must be non-empty text"


def _validate(body: dict[Any, Any]) -> tuple[_ExerciseModel | None, list[tuple[str, str]]]:
    """The validated model (None if invalid) and every problem as (field, message), in reading order."""
    try:
        return _ExerciseModel.model_validate(body), []
    except ValidationError as err:
        found: list[tuple[str, str]] = []
        for error in err.errors():
            item = _message(tuple(error["loc"]), error["type"], error.get("input"))
            if item not in found:  # one line per stop item, however many of its parts are wrong
                found.append(item)
    unknown = [f for f in found if f[1].startswith("unknown field") and "." not in f[0]]
    missing = [f for f in found if f[1] == "is missing" and "." not in f[0]]
    unknown.sort(key=lambda f: [str(k) for k in body].index(f[0]) if f[0] in map(str, body) else 0)
    missing.sort(key=lambda f: _EXERCISE_FIELDS.index(f[0]))

    def order(item: tuple[str, str]) -> tuple[int, int, int]:
        field, message = item
        top, _, sub = field.partition(".")
        sub_rank = 0
        if sub:
            # unknown dose fields first, then missing ones, then the values, in field order
            rank = 0 if message.startswith("unknown") else 1 if message == "is missing" else 2
            sub_rank = rank * 10 + (_DOSE_FIELDS.index(sub) if sub in _DOSE_FIELDS else 0)
        return (_CHECK_ORDER.index(top) if top in _CHECK_ORDER else 0, sub_rank, 0)

    rest = sorted((f for f in found if f not in unknown and f not in missing), key=order)
    return None, unknown + missing + rest


def load_exercises(root: Traversable) -> dict[str, Exercise]:
    loaded = load_yaml(root, EXERCISES_PATH, key_lines=True)
    raw = loaded.data
    if not isinstance(raw, dict) or not raw:
        raise ContentError([Problem(EXERCISES_PATH, "", "", "must be a mapping of exercise name to exercise")])
    lines = loaded.key_lines
    problems = [
        Problem(
            EXERCISES_PATH,
            f"exercise {issue.keys[0]}" if issue.keys else "",
            ".".join(issue.keys[1:]),
            f"{'name' if len(issue.keys) == 1 else 'field'} appears twice (YAML would silently keep only the last)"
            if issue.kind == "duplicate"
            else f"contains the bidirectional control character {issue.detail}; remove it",
            line=issue.line,
        )
        for issue in loaded.issues
    ]
    keys = reference_keys_in(root)
    result: dict[str, Exercise] = {}
    for name, body in raw.items():
        name = str(name)
        where = f"exercise {name}"

        def bad(field: str, message: str, name: str = name, where: str = where) -> None:
            path = (name, *field.split(".")) if field else (name,)
            line = lines.get(path) or lines.get(path[:-1]) or lines.get((name,))
            problems.append(Problem(EXERCISES_PATH, where, field, message, line=line))

        if not re.fullmatch(r"[a-z0-9_]+", name):
            bad("", "name must use lowercase letters, digits and underscores")
        if not isinstance(body, dict):
            bad("", "must be a mapping of fields")
            continue
        before = len(problems)
        model, messages = _validate(body)
        for field, message in messages:
            bad(field, message)
        diagram = model.diagram if model else (body.get("diagram") if _text_ok(body.get("diagram")) else "")
        if isinstance(diagram, str) and diagram.strip():
            diagram = diagram.strip()
            if not re.fullmatch(DIAGRAM_FILE, diagram):
                bad("diagram", f"'{diagram}' is not a file name like {name}.svg")
            elif not child(root, f"diagrams/{diagram}").is_file():
                bad("diagram", f"'diagrams/{diagram}' does not exist")
        sources = body.get("sources")
        for key in sources if isinstance(sources, list) else ():
            if _text_ok(key) and key.strip() not in keys:
                bad("sources", f"'{key.strip()}' is not a key in references.csv")
        if model is not None and len(problems) == before:
            result[name] = model.to_exercise(name)
    if problems:
        raise ContentError(problems)
    return result


