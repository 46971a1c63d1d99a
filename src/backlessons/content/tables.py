"""One declaration per CSV file of ``data/`` and the checks that span files.

A table is a :class:`~backlessons.content.engine.Table` (its columns and converters);
checks that need more than one row or another file (a claim's topic is a lesson, a
red flag's urgency is a level) are small functions passed to ``load_table``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Iterable


from backlessons.content.engine import (
    Check,
    Col,
    Rows,
    Table,
    Traversable,
    as_bool,
    as_float,
    as_int,
    as_keys,
    as_objectives,
    as_text,
    child,
    choice,
    ids_of,
    load_table,
    parse_table,
    pattern,
    read_csv,
    read_text,
)
from backlessons.errors import ContentError, Problem

# The verdicts a claim can get, in the order they are offered, with what each means
# (the evidence card's buttons and legend read them here).
VERDICT_MEANINGS: dict[str, str] = {
    "supported": "good evidence backs it",
    "mixed": "part of it holds, part does not, or studies disagree",
    "weak": "little or no direct evidence either way",
    "contradicted": "the evidence points the other way",
    "unsupported": "nothing found that backs it",
}
VERDICTS: tuple[str, ...] = tuple(VERDICT_MEANINGS)
# The one urgency scale of the course, most urgent first; urgency_levels.csv labels them.
URGENCIES: tuple[str, ...] = ("emergency", "same_day", "within_week", "routine")
NICE_GROUPS: tuple[str, ...] = ("do", "consider", "do_not_offer")
CERTAINTIES: tuple[str, ...] = ("high", "moderate", "low", "very_low")
# Claims the brief found no evidence for may have no source; all others must cite one.
VERDICTS_WITHOUT_SOURCES = ("weak", "unsupported")




@dataclass(frozen=True)
class Claim:
    """One of the article's claims with its verdict, as in ``claims.csv``."""

    id: str
    topic: str
    claim: str
    verdict: str
    verdict_note: str
    why: str
    sources: tuple[str, ...]
    certainty: tuple[str, ...] = ()
    certainty_note: str = ""




LESSON_ID = r"\d\d_[a-z0-9_]+"
CLAIM_ID = r"C\d+"
KEY = r"[a-z0-9_]+"

LESSONS = Table(
    "lessons.csv",
    (
        Col("id", pattern(LESSON_ID, "lesson id (two digits, underscore, lowercase words)")),
        Col("number", as_int(0, 99)),
        Col("title", as_text),
        Col("summary", as_text),
        Col("claims", as_keys, required=False, empty=()),
        Col("objectives", as_objectives),
        # What the lesson shows, so a new lesson needs no Python: names of datasets
        # (data/datasets/*.csv), exercises (exercises.yaml) and TABLE_NAMES, separated by ";".
        Col("datasets", as_keys, required=False, empty=()),
        Col("exercises", as_keys, required=False, empty=()),
        Col("tables", as_keys, required=False, empty=()),
    ),
    id_column="id",
    unique=("number",),
)
#: Tables (besides datasets) a lesson can name in its ``tables`` column; each is a loader of
#: backlessons.content of the same name.
TABLE_NAMES: tuple[str, ...] = (
    "causes_treatments",
    "red_flags",
    "claims",
    "nice_ng59",
    "natural_history_facts",
    "urgency_levels",
    "certainty_levels",
    "red_flag_cases",
    "safety_net_card",
)
CLAIMS = Table(
    "claims.csv",
    (
        Col("id", pattern(CLAIM_ID, "claim id (C and a number)")),
        Col("topic", as_text),
        Col("claim", as_text),
        Col("verdict", choice(*VERDICTS)),
        Col("verdict_note", as_text, required=False),
        Col("why", as_text),
        Col("sources", as_keys, required=False, empty=()),
        Col("certainty", as_keys, required=False, empty=()),
        Col("certainty_note", as_text, required=False),
    ),
    id_column="id",
    key_columns=("sources",),
)
REFERENCES = Table(
    "references.csv",
    (
        Col("key", pattern(KEY, "reference key (lowercase letters, digits, underscore)")),
        Col("authors", as_text, required=False),
        Col("year", as_int(1800, 2100)),
        Col("title", as_text, required=False),
        Col("journal", as_text, required=False),
        Col("volume", as_text, required=False),
        Col("pages", as_text, required=False),
        Col("note", as_text, required=False),
    ),
    id_column="key",
)
CAUSES = Table(
    "causes_treatments.csv",
    (
        Col("cause", as_text),
        Col("article_treatment", as_text),
        Col("evidence", as_text),
        Col("nice_ng59", as_text, required=False),
        Col("sources", as_keys),
    ),
    id_column="cause",
    key_columns=("sources",),
)
RED_FLAGS = Table(
    "red_flags.csv",
    (
        Col("condition", as_text),
        Col("features", as_text),
        Col("urgency", choice(*URGENCIES)),
        Col("action", as_text),
        Col("source", as_keys),
    ),
    id_column="condition",
    key_columns=("source",),
)
NATURAL_HISTORY_FACTS = Table(
    "natural_history_facts.csv",
    (
        Col("id", pattern(KEY, "id (lowercase letters, digits, underscore)")),
        Col("topic", choice("low back pain", "sciatica")),
        Col("fact", as_text),
        Col("sources", as_keys),
    ),
    id_column="id",
    key_columns=("sources",),
)
URGENCY_LEVELS = Table(
    "urgency_levels.csv",
    (
        Col("id", choice(*URGENCIES)),
        Col("label", as_text),
        Col("action", as_text),
        Col("order", as_int(1, len(URGENCIES))),
    ),
    id_column="id",
    unique=("order", "label"),
)
CERTAINTY_LEVELS = Table(
    "certainty_levels.csv",
    (
        Col("id", choice(*CERTAINTIES)),
        Col("label", as_text),
        Col("meaning", as_text),
        Col("order", as_int(1, len(CERTAINTIES))),
    ),
    id_column="id",
    unique=("order", "label"),
)
NICE = Table(
    "nice_ng59.csv",
    (
        Col("id", pattern(KEY, "id (lowercase letters, digits, underscore)")),
        Col("topic", as_text),
        Col("group", choice(*NICE_GROUPS)),
        Col("recommendation", as_text),
        Col("notes", as_text, required=False),
        Col("section", pattern(r"\d+(\.\d+)*", "section number such as 1.1.4"), required=False),
        Col("sources", as_keys),
    ),
    id_column="id",
    key_columns=("sources",),
)


def dataset_table(name: str, columns: Iterable[Col], id_column: str | None = None) -> Table:
    return Table(
        f"datasets/{name}.csv",
        (*columns, Col("source", as_keys)),
        id_column=id_column,
        key_columns=("source",),
    )


DATASETS: dict[str, Table] = {
    "ground_reaction_force": dataset_table(
        "ground_reaction_force",
        (
            Col("measure", as_text),
            Col("speed_m_s", as_float(0, 15)),
            Col("force_bw", as_float(0, 20)),
            Col("gait", as_text),
            Col("note", as_text, required=False),
        ),
    ),
    "imaging_findings": dataset_table(
        "imaging_findings",
        (Col("finding", as_text), Col("age", as_int(0, 120)), Col("percent", as_float(0, 100))),
    ),
    "step_rate": dataset_table(
        "step_rate",
        (
            Col("variable", choice("step rate", "stride length")),
            Col("change_percent", as_float(-100, 100)),
            Col("joint", as_text),
            Col("outcome", as_text),
            Col("per", choice("per step", "per mile"), required=False),
            Col("effect_percent", as_float(0, 1000), required=False, empty=math.nan),
            Col("direction", choice("decrease", "increase")),
            Col("method", choice("model estimate", "measured")),
        ),
    ),
    "training_spikes": dataset_table(
        "training_spikes",
        (
            Col("spike", as_text),
            Col("lower_percent", as_float(-100, None)),
            Col("upper_percent", as_float(-100, None), required=False, empty=math.nan),
            Col("hazard_ratio", as_float(0, None)),
            Col("ci_low", as_float(0, None), required=False, empty=math.nan),
            Col("ci_high", as_float(0, None), required=False, empty=math.nan),
            Col("is_reference", as_bool),
        ),
        id_column="spike",
    ),
    "intradiscal_pressure": dataset_table(
        "intradiscal_pressure",
        (
            Col("posture", as_text),
            Col("group", choice("lying", "standing", "sitting", "lifting")),
            Col("pressure_mpa", as_float(0, 10)),
        ),
        id_column="posture",
    ),
    "prevention": dataset_table(
        "prevention",
        (
            Col("intervention", as_text),
            Col("outcome", as_text),
            Col("risk_ratio", as_float(0, None), required=False, empty=math.nan),
            Col("ci_low", as_float(0, None), required=False, empty=math.nan),
            Col("ci_high", as_float(0, None), required=False, empty=math.nan),
            Col("effect", choice("reduced risk", "no effect", "increased risk")),
        ),
        id_column="intervention",
    ),
    "natural_history": dataset_table(
        "natural_history",
        (
            Col("course", choice("acute", "persistent")),
            Col("week", as_int(0, 104)),
            Col("mean_pain", as_float(0, 100)),
        ),
    ),
    "prevalence": dataset_table(
        "prevalence",
        (
            Col("measure", as_text),
            Col("population", as_text),
            Col("value", as_float(0, None)),
            Col("unit", as_text),
        ),
    ),
}


# --------------------------------------------------------------------------- loading




def load_references(root: Traversable) -> Rows:
    def extra(records: list[dict[str, Any]]) -> list[Problem]:
        # A citation needs somewhere to find it: a journal, or a note such as a guideline number.
        return [
            Problem(REFERENCES.path, rec["_where"], "journal", "journal and note are both empty")
            for rec in records
            if rec["journal"] == "" and rec["note"] == ""
        ]

    return load_table(root, REFERENCES, None, extra, index="key")



def _top_level_names(root: Traversable, path: str) -> frozenset[str] | None:
    """The names a YAML mapping file defines at its top level, without loading it.

    For cross-file checks: the file's own loader validates it (and reports it if it is
    unreadable, in which case None skips the check here).
    """
    try:
        text = read_text(root, path)
    except ContentError:
        return None
    return frozenset(re.findall(r"^([A-Za-z0-9_]+):", text, flags=re.MULTILINE))


def load_lessons(root: Traversable) -> Rows:
    claim_ids = ids_of(root, CLAIMS.path, "id")
    known = {
        "datasets": (frozenset(dataset_names_in(root)), "a dataset in datasets/"),
        "exercises": (_top_level_names(root, "exercises.yaml"), "an exercise in exercises.yaml"),
        "tables": (frozenset(TABLE_NAMES), f"a table ({', '.join(TABLE_NAMES)})"),
    }

    def extra(records: list[dict[str, Any]]) -> list[Problem]:
        problems = []
        for rec in records:
            if rec["id"] is not None and rec["number"] is not None and int(rec["id"][:2]) != rec["number"]:
                problems.append(
                    Problem(LESSONS.path, rec["_where"], "number", f"{rec['number']} does not match the id's prefix")
                )
            for cid in rec["claims"] or ():
                if claim_ids is not None and cid not in claim_ids:
                    message = f"'{cid}' is not an id in claims.csv"
                    problems.append(Problem(LESSONS.path, rec["_where"], "claims", message))
            for column, (names, what) in known.items():
                for name in rec[column] or ():
                    if names is not None and name not in names:
                        problems.append(Problem(LESSONS.path, rec["_where"], column, f"'{name}' is not {what}"))
        return problems

    return load_table(root, LESSONS, None, extra)


def check_level_ids(path: str, column: str, levels_path: str, levels: frozenset[str] | None) -> Check:
    """Every id in *column* (a cell or a tuple of ids) must be an id of the levels file."""

    def extra(records: list[dict[str, Any]]) -> list[Problem]:
        if levels is None:
            return []
        problems = []
        for rec in records:
            value = rec.get(column)
            for level in (value,) if isinstance(value, str) else value or ():
                if level not in levels:
                    problems.append(Problem(path, rec["_where"], column, f"'{level}' is not an id in {levels_path}"))
        return problems

    return extra


def check_complete_scale(path: str, expected: tuple[str, ...]) -> Check:
    """A levels file lists every level of its scale exactly once (duplicates are caught per row)."""

    def extra(records: list[dict[str, Any]]) -> list[Problem]:
        found = {rec["id"] for rec in records}
        return [Problem(path, "", "id", f"level '{level}' is missing") for level in expected if level not in found]

    return extra


def load_levels(root: Traversable, table: Table, expected: tuple[str, ...]) -> Rows:
    rows = load_table(root, table, None, check_complete_scale(table.path, expected))
    return Rows(table, sorted(rows.records, key=lambda rec: rec["order"]), index="id")


def load_red_flags(root: Traversable) -> Rows:
    levels = ids_of(root, URGENCY_LEVELS.path, "id")
    check = check_level_ids(RED_FLAGS.path, "urgency", URGENCY_LEVELS.path, levels)
    return load_table(root, RED_FLAGS, reference_keys_in(root), check)


def load_claims(root: Traversable) -> Rows:
    keys = reference_keys_in(root)
    lesson_ids = ids_of(root, LESSONS.path, "id")
    certainty_check = check_level_ids(
        CLAIMS.path, "certainty", CERTAINTY_LEVELS.path, ids_of(root, CERTAINTY_LEVELS.path, "id")
    )

    def extra(records: list[dict[str, Any]]) -> list[Problem]:
        problems = certainty_check(records)
        for rec in records:
            if lesson_ids is not None and rec["topic"] is not None and rec["topic"] not in lesson_ids:
                problems.append(
                    Problem(CLAIMS.path, rec["_where"], "topic", f"'{rec['topic']}' is not a lesson id in lessons.csv")
                )
            if rec["sources"] == () and rec["verdict"] not in (*VERDICTS_WITHOUT_SOURCES, None):
                problems.append(
                    Problem(
                        CLAIMS.path,
                        rec["_where"],
                        "sources",
                        f"must not be empty unless the verdict is {' or '.join(VERDICTS_WITHOUT_SOURCES)}",
                    )
                )
        return problems

    return load_table(root, CLAIMS, keys, extra, index="id")


def check_intervals(path: str, value_col: str) -> Check:
    """A confidence interval must contain its estimate, and comes with both ends or none."""

    def extra(records: list[dict[str, Any]]) -> list[Problem]:
        problems = []
        for rec in records:
            low, high, value = rec["ci_low"], rec["ci_high"], rec[value_col]
            if low is None or high is None or value is None:
                continue  # already reported as unreadable
            if math.isnan(low) != math.isnan(high):
                problems.append(Problem(path, rec["_where"], "ci_low", "give both ci_low and ci_high, or neither"))
            elif not math.isnan(low):
                if math.isnan(value):
                    message = "is empty but a confidence interval is given"
                    problems.append(Problem(path, rec["_where"], value_col, message))
                elif not low <= value <= high:
                    problems.append(
                        Problem(path, rec["_where"], value_col, f"{value:g} is outside its interval {low:g}–{high:g}")
                    )
        return problems

    return extra


DATASET_CHECKS: dict[str, Check] = {
    "training_spikes": check_intervals("datasets/training_spikes.csv", "hazard_ratio"),
    "prevention": check_intervals("datasets/prevention.csv", "risk_ratio"),
}


def load_dataset(root: Traversable, name: str) -> Rows:
    if not re.fullmatch(r"[a-z0-9_]+", name) or not child(root, f"datasets/{name}.csv").is_file():
        available = ", ".join(dataset_names_in(root)) or "none"
        raise ContentError([Problem(f"datasets/{name}.csv", "", "", f"no such dataset (available: {available})")])
    table = DATASETS.get(name)
    keys = reference_keys_in(root)
    if table is None:
        # A dataset without a schema here: only the source column is checked.
        header, rows = read_csv(root, f"datasets/{name}.csv")
        columns = tuple(Col(h, as_text, required=False) for h in header if h != "source")
        table = dataset_table(name, columns)
        records, problems = parse_table(table, header, rows, keys)
        if problems:
            raise ContentError(problems)
        return Rows(table, records)
    return load_table(root, table, keys, DATASET_CHECKS.get(name))


def dataset_names_in(root: Traversable) -> tuple[str, ...]:
    folder = child(root, "datasets")
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.name[: -len(".csv")] for p in folder.iterdir() if p.name.endswith(".csv") and p.is_file()))


def reference_keys_in(root: Traversable) -> frozenset[str]:
    return frozenset(load_references(root)["key"])


# --- figure facts ---------------------------------------------------------------------------

#: The facts a figure states besides its dataset: study sizes, the bands and ranges it
#: draws, and its caption notes (``fact`` "note", in file order, any number of them).
#: A note may name another fact of its figure in braces: ``{participants}``.
FIGURE_FACTS = Table(
    "figure_facts.csv",
    (
        Col("figure", pattern(KEY, "dataset name (lowercase letters, digits, underscore)")),
        Col("fact", pattern(KEY, "fact name (lowercase letters, digits, underscore)")),
        Col("value", as_text),
        Col("source", as_keys),
    ),
    key_columns=("source",),
)
NOTE_FACT = "note"


def note_fields(text: str) -> list[str] | None:
    """The fact names a note refers to in braces; None when its braces do not pair up."""
    import string

    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return None


def load_figure_facts(root: Traversable) -> Rows:
    datasets = set(dataset_names_in(root))

    def extra(records: list[dict[str, Any]]) -> list[Problem]:
        path, problems = FIGURE_FACTS.path, []
        named: dict[tuple[str, str], str] = {}
        for rec in records:
            figure, fact, where = rec["figure"], rec["fact"], rec["_where"]
            if figure is not None and figure not in datasets:
                problems.append(Problem(path, where, "figure", f"'{figure}' is not a dataset in datasets/"))
            if fact is not None and fact != NOTE_FACT:
                if (figure, fact) in named:
                    problems.append(Problem(path, where, "fact", f"'{fact}' is already given for {figure} in {named[figure, fact]}"))
                else:
                    named[figure, fact] = where.split(" (")[0]
        for rec in records:
            if rec["fact"] != NOTE_FACT or rec["value"] is None:
                continue
            fields = note_fields(rec["value"])
            if fields is None:
                problems.append(Problem(path, rec["_where"], "value", "has a '{' or '}' that does not pair up"))
                continue
            for name in fields:
                if (rec["figure"], name) not in named:
                    message = f"{{{name}}} is not a fact of {rec['figure']} in this file"
                    problems.append(Problem(path, rec["_where"], "value", message))
        return problems

    return load_table(root, FIGURE_FACTS, reference_keys_in(root), extra)
