"""The pydantic model of one exercise card, and its errors in the course's words.

Imported only when ``exercises.yaml`` is loaded, so ``import backlessons`` and a first
quiz do not pay for pydantic.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

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

    def card_values(self) -> dict[str, Any]:
        """The fields as plain values, lists as tuples (exercise_cards builds the Exercise: no import back)."""
        values = self.model_dump()
        for field in (*_TEXTS, "when_to_stop"):
            values[field] = tuple(values[field])
        return values


_EXERCISE_FIELDS: tuple[str, ...] = tuple(_ExerciseModel.model_fields)
_DOSE_FIELDS: tuple[str, ...] = tuple(_DoseModel.model_fields)
_TEXTS = ("steps", "common_faults", "progression", "sources")  # the _Texts fields
# The order problems are listed in within one exercise (after unknown and missing fields).
_CHECK_ORDER = ("title", "from_article", "dose", "when_to_stop", "diagram", "sources", "purpose",
                "starting_position", "steps", "common_faults", "easier", "harder", "frequency", "progression")


def text_ok(value: Any) -> bool:
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


def validate(body: dict[Any, Any]) -> tuple[_ExerciseModel | None, list[tuple[str, str]]]:
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
