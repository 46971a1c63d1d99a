"""The exercise cards of ``exercises.yaml``: model and validation."""

from __future__ import annotations

import re
from dataclasses import dataclass


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

def load_exercises(root: Traversable) -> dict[str, Exercise]:
    # pydantic is imported here, not with the package: a quiz never needs it.
    from backlessons.content.exercise_schema import text_ok, validate

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
        model, messages = validate(body)
        for field, message in messages:
            bad(field, message)
        diagram = model.diagram if model else (body.get("diagram") if text_ok(body.get("diagram")) else "")
        if isinstance(diagram, str) and diagram.strip():
            diagram = diagram.strip()
            if not re.fullmatch(DIAGRAM_FILE, diagram):
                bad("diagram", f"'{diagram}' is not a file name like {name}.svg")
            elif not child(root, f"diagrams/{diagram}").is_file():
                bad("diagram", f"'diagrams/{diagram}' does not exist")
        sources = body.get("sources")
        for key in sources if isinstance(sources, list) else ():
            if text_ok(key) and key.strip() not in keys:
                bad("sources", f"'{key.strip()}' is not a key in references.csv")
        if model is not None and len(problems) == before:
            values = model.card_values()
            values["dose"] = Dose(**values["dose"])
            values["when_to_stop"] = tuple(StopSign(**stop) for stop in values["when_to_stop"])
            result[name] = Exercise(name=name, **values)
    if problems:
        raise ContentError(problems)
    return result


