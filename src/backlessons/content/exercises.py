"""The exercise cards of ``exercises.yaml``: model and validation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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


_EXERCISE_FIELDS = (
    "title",
    "from_article",
    "purpose",
    "starting_position",
    "steps",
    "dose",
    "common_faults",
    "easier",
    "harder",
    "when_to_stop",
    "frequency",
    "progression",
    "diagram",
    "sources",
)
_STOP_FIELDS = ("sign", "next_step")
_DOSE_FIELDS = ("sets", "reps", "hold_seconds", "note")
EXERCISES_PATH = "exercises.yaml"
DIAGRAM_FILE = r"[a-z0-9_]+\.svg"


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
        for field in body:
            if field not in _EXERCISE_FIELDS:
                bad(str(field), f"unknown field (expected {', '.join(_EXERCISE_FIELDS)})")
        missing = {field for field in _EXERCISE_FIELDS if field not in body}
        for field in _EXERCISE_FIELDS:
            if field in missing:
                bad(field, "is missing")

        def text(field: str, value: Any) -> str:
            if field in missing:
                return ""
            if not isinstance(value, str) or not value.strip():
                bad(field, "must be non-empty text")
                return ""
            return value.strip()

        def texts(field: str, value: Any) -> tuple[str, ...]:
            if field in missing:
                return ()
            if not isinstance(value, list) or not value:
                bad(field, "must be a non-empty list of text")
                return ()
            items = []
            for i, item in enumerate(value):
                if not isinstance(item, str) or not item.strip():
                    bad(field, f"item {i + 1} must be non-empty text")
                else:
                    items.append(item.strip())
            return tuple(items)

        def whole(field: str, value: Any) -> int:
            # bool is an int in Python; "true" is never a dose.
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                bad(field, f"{value!r} is not a whole number of 0 or more")
                return 0
            return value

        title = text("title", body.get("title"))
        from_article = body.get("from_article")
        if "from_article" not in missing and not isinstance(from_article, bool):
            bad("from_article", f"{from_article!r} is not one of true, false")
        dose_raw = body.get("dose")
        dose = Dose(0, 0, 0, "")
        if "dose" in missing:
            pass
        elif not isinstance(dose_raw, dict):
            bad("dose", "must be a mapping with sets, reps, hold_seconds and note")
        else:
            for field in dose_raw:
                if field not in _DOSE_FIELDS:
                    bad(f"dose.{field}", f"unknown field (expected {', '.join(_DOSE_FIELDS)})")
            for field in _DOSE_FIELDS:
                if field not in dose_raw:
                    bad(f"dose.{field}", "is missing")
            dose = Dose(
                sets=whole("dose.sets", dose_raw.get("sets", 0)),
                reps=whole("dose.reps", dose_raw.get("reps", 0)),
                hold_seconds=whole("dose.hold_seconds", dose_raw.get("hold_seconds", 0)),
                note=text("dose.note", dose_raw.get("note")) if "note" in dose_raw else "",
            )
        when_to_stop: list[StopSign] = []
        stops = body.get("when_to_stop")
        if "when_to_stop" in missing:
            pass
        elif not isinstance(stops, list) or not stops:
            bad("when_to_stop", "must be a non-empty list of {sign, next_step}")
        else:
            for i, item in enumerate(stops, start=1):
                # Every stop line says what to do next: stopping alone leaves a learner stranded.
                if not isinstance(item, dict) or set(item) != set(_STOP_FIELDS) or not all(
                    isinstance(item[f], str) and item[f].strip() for f in _STOP_FIELDS
                ):
                    bad("when_to_stop", f"item {i} must have non-empty sign and next_step (and nothing else)")
                else:
                    when_to_stop.append(StopSign(item["sign"].strip(), item["next_step"].strip()))
        diagram = text("diagram", body.get("diagram"))
        if diagram:
            if not re.fullmatch(DIAGRAM_FILE, diagram):
                bad("diagram", f"'{diagram}' is not a file name like {name}.svg")
            elif not child(root, f"diagrams/{diagram}").is_file():
                bad("diagram", f"'diagrams/{diagram}' does not exist")
        sources = texts("sources", body.get("sources"))
        for key in sources:
            if key not in keys:
                bad("sources", f"'{key}' is not a key in references.csv")
        exercise = Exercise(
            name=name,
            title=title,
            from_article=bool(from_article),
            purpose=text("purpose", body.get("purpose")),
            starting_position=text("starting_position", body.get("starting_position")),
            steps=texts("steps", body.get("steps")),
            dose=dose,
            common_faults=texts("common_faults", body.get("common_faults")),
            easier=text("easier", body.get("easier")),
            harder=text("harder", body.get("harder")),
            when_to_stop=tuple(when_to_stop),
            diagram=diagram,
            sources=sources,
            frequency=text("frequency", body.get("frequency")),
            progression=texts("progression", body.get("progression")),
        )
        if len(problems) == before:
            result[name] = exercise
    if problems:
        raise ContentError(problems)
    return result


