"""The public loaders: cached for the shipped data, uncached for an explicit root."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, Callable

from backlessons.content.engine import Root, Rows, Traversable, child, data_root, load_table, read_text, resolve_root
from backlessons.content.tables import (
    CAUSES,
    CERTAINTIES,
    CERTAINTY_LEVELS,
    NATURAL_HISTORY_FACTS,
    NICE,
    URGENCIES,
    URGENCY_LEVELS,
    Claim,
    dataset_names_in,
    load_claims,
    load_figure_facts,
    load_dataset,
    load_lessons,
    load_levels,
    load_red_flags,
    load_references,
    reference_keys_in,
)
from backlessons.errors import ContentError, Problem

if TYPE_CHECKING:
    import pandas as pd

    from backlessons.content.cases import RedFlagCase, SafetyNetCard
    from backlessons.content.exercise_cards import Exercise

# The cases, exercise cards and diagram checks are imported when first used: a quiz or a
# figure needs none of them, and each first use in a fresh kernel waits for its imports.


def load_red_flag_cases(root: Traversable) -> dict[str, RedFlagCase]:
    from backlessons.content.cases import load_red_flag_cases as load

    return load(root)


def load_safety_net_card(root: Traversable) -> SafetyNetCard:
    from backlessons.content.cases import load_safety_net_card as load

    return load(root)


def load_exercises(root: Traversable) -> dict[str, Exercise]:
    from backlessons.content.exercise_cards import load_exercises as load

    return load(root)


def check_diagram(root: Traversable, filename: str) -> list[Problem]:
    from backlessons.content.diagrams import check_diagram as check

    return check(root, filename)

@functools.cache
def _shipped(kind: str, name: str = "") -> Any:
    return _LOADERS[kind](data_root(), name)


_LOADERS: dict[str, Callable[[Traversable, str], Any]] = {
    "lessons": lambda r, _: load_lessons(r),
    "claims": lambda r, _: load_claims(r),
    "references": lambda r, _: load_references(r),
    "causes_treatments": lambda r, _: load_table(r, CAUSES, reference_keys_in(r)),
    "red_flags": lambda r, _: load_red_flags(r),
    "urgency_levels": lambda r, _: load_levels(r, URGENCY_LEVELS, URGENCIES),
    "certainty_levels": lambda r, _: load_levels(r, CERTAINTY_LEVELS, CERTAINTIES),
    "nice_ng59": lambda r, _: load_table(r, NICE, reference_keys_in(r)),
    "natural_history_facts": lambda r, _: load_table(r, NATURAL_HISTORY_FACTS, reference_keys_in(r)),
    "red_flag_cases": lambda r, _: load_red_flag_cases(r),
    "safety_net_card": lambda r, _: load_safety_net_card(r),
    "exercises": lambda r, _: load_exercises(r),
    "dataset": load_dataset,
    "figure_facts": lambda r, _: load_figure_facts(r),
}


def _get(kind: str, root: Root, name: str = "") -> Any:
    if root is None:
        return _shipped(kind, name)
    return _LOADERS[kind](resolve_root(root), name)


@functools.cache
def _shipped_frame(kind: str, name: str = "") -> pd.DataFrame:
    return _shipped(kind, name).frame()


def _frame(kind: str, root: Root, name: str = "") -> pd.DataFrame:
    """A new DataFrame of a table (each caller its own copy, so none changes what the next sees)."""
    if root is None:
        return _shipped_frame(kind, name).copy()
    return _get(kind, root, name).frame()


#: The tables :func:`rows` reads: each a CSV file of ``data/`` (``dataset`` one of ``datasets/``).
TABLE_KINDS = ("lessons", "claims", "references", "causes_treatments", "red_flags", "urgency_levels",
               "certainty_levels", "nice_ng59", "natural_history_facts", "dataset", "figure_facts")


def rows(kind: str, name: str = "", root: Root = None) -> Rows:
    """A table's checked rows without pandas: iterate namedtuples, or ``rows["column"]``.

    *kind* is one of :data:`TABLE_KINDS` (``rows("dataset", "prevalence")`` for a dataset);
    the same rows as the DataFrame of the loader of that name, in the same order.
    """
    if kind not in TABLE_KINDS:
        raise ValueError(f"no table kind {kind!r} (one of {', '.join(TABLE_KINDS)})")
    return _get(kind, root, name)


def lessons(root: Root = None) -> pd.DataFrame:
    """The course map: id, number, title, summary, claims (tuple of ids), objectives (tuple)."""
    return _frame("lessons", root)


def claims(root: Root = None) -> pd.DataFrame:
    """The article's claims, indexed by id: topic, claim, verdict, verdict_note, why, sources (tuple)."""
    return _frame("claims", root)


def claim(claim_id: str, root: Root = None) -> Claim:
    """One claim as a :class:`Claim`; ContentError if there is no such id."""
    table = _get("claims", root).by_index()
    if claim_id not in table:
        message = f"no claim '{claim_id}' (ids are {', '.join(table)})"
        raise ContentError([Problem("claims.csv", "", "id", message)])
    return Claim(**table[claim_id]._asdict())


def references(root: Root = None) -> pd.DataFrame:
    """Every source, indexed by key: authors, year, title, journal, volume, pages, note."""
    return _frame("references", root)


def reference_keys(root: Root = None) -> frozenset[str]:
    """The keys of references.csv."""
    return frozenset(_get("references", root)["key"])


def causes_treatments(root: Root = None) -> pd.DataFrame:
    """The article's cause → treatment table: cause, article_treatment, evidence, nice_ng59, sources."""
    return _frame("causes_treatments", root)


def red_flags(root: Root = None) -> pd.DataFrame:
    """Serious-pathology red flags: condition, features, urgency, action, source (tuple)."""
    return _frame("red_flags", root)


def urgency_levels(root: Root = None) -> pd.DataFrame:
    """The urgency scale, indexed by id, most urgent first: label, action, order."""
    return _frame("urgency_levels", root)


def certainty_levels(root: Root = None) -> pd.DataFrame:
    """GRADE certainty levels, indexed by id, highest first: label, meaning, order."""
    return _frame("certainty_levels", root)


def nice_ng59(root: Root = None) -> pd.DataFrame:
    """NICE NG59 recommendations: id, topic, group (do/consider/do_not_offer), recommendation, notes, section, sources."""
    return _frame("nice_ng59", root)


def natural_history_facts(root: Root = None) -> pd.DataFrame:
    """Recurrence and sciatica facts for lesson 00: id, topic, fact, sources."""
    return _frame("natural_history_facts", root)


def red_flag_cases(root: Root = None) -> dict[str, RedFlagCase]:
    """The lesson-08 case vignettes by id, in file order."""
    return dict(_get("red_flag_cases", root))


def safety_net_card(root: Root = None) -> SafetyNetCard:
    """The cauda equina safety-net card's text."""
    return _get("safety_net_card", root)


def _exercises_for(root: Root) -> dict[str, Exercise]:
    return _get("exercises", root)


def exercises(root: Root = None) -> dict[str, Exercise]:
    """Every exercise by name, in file order."""
    return dict(_exercises_for(root))


def exercise(name: str, root: Root = None) -> Exercise:
    """One exercise; ContentError if there is no such name."""
    table = _exercises_for(root)
    if name not in table:
        from backlessons.content.exercise_cards import EXERCISES_PATH

        message = f"no such exercise (known: {', '.join(table)})"
        raise ContentError([Problem(EXERCISES_PATH, f"exercise {name}", "", message)])
    return table[name]


def diagram_svg(name: str, root: Root = None) -> str:
    """The SVG text of a diagram, by exercise name (``"glute_bridge"``) or file name."""
    from backlessons.content.exercise_cards import DIAGRAM_FILE

    r = resolve_root(root)
    filename = name if name.endswith(".svg") else exercise(name, root).diagram
    if not re.fullmatch(DIAGRAM_FILE, filename):
        raise ContentError([Problem(f"diagrams/{filename}", "", "", "not a diagram file name")])
    problems = check_diagram(r, filename)
    if problems:
        raise ContentError(problems)
    return read_text(r, f"diagrams/{filename}")


def dataset(name: str, root: Root = None) -> pd.DataFrame:
    """``data/datasets/<name>.csv`` with typed columns; ``source`` is a tuple of keys."""
    return _frame("dataset", root, name)


def figure_facts(root: Root = None) -> pd.DataFrame:
    """What the figures state besides their datasets: figure, fact, value (text as typed), source (tuple).

    Rows with fact "note" are a figure's caption notes, in file order.
    """
    return _frame("figure_facts", root)


def dataset_names(root: Root = None) -> tuple[str, ...]:
    """Names of the files in ``data/datasets/``, sorted, without ``.csv``."""
    return dataset_names_in(resolve_root(root))


def validate_data(root: Root = None) -> list[Problem]:
    """Every problem in every data file except the quiz banks; [] when all is well.

    Nothing is cached, so an edited file is re-read.
    """
    r = resolve_root(root)
    problems: list[Problem] = []

    def collect(load: Callable[[], Any]) -> None:
        try:
            load()
        except ContentError as err:
            problems.extend(p for p in err.problems if p not in problems)

    # The public loaders' own wiring, so a check added to one is never missed here.
    kinds = ("references", "lessons", "claims", "causes_treatments", "red_flags", "exercises", "urgency_levels",
             "certainty_levels", "nice_ng59", "natural_history_facts", "red_flag_cases", "safety_net_card",
             "figure_facts")
    for kind in kinds:
        collect(lambda kind=kind: _LOADERS[kind](r, ""))
    for name in dataset_names_in(r):
        collect(lambda name=name: _LOADERS["dataset"](r, name))
    folder = child(r, "diagrams")
    if folder.is_dir():
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if entry.name.endswith(".svg"):
                problems.extend(check_diagram(r, entry.name))
    return problems
