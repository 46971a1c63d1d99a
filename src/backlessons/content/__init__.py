"""Typed loaders for the course content in ``data/``, each validated on load.

Every loader reads from :func:`data_root` (``importlib.resources.files("backlessons") /
"data"``), so the same code works from a checkout, an editable install and a wheel.
The public loaders are cached; DataFrames are returned as copies so a caller cannot
change what the next caller sees.

Each loader also accepts ``root``: a folder laid out like ``data/``. Tests point it at a
temporary copy holding one defect; results for an explicit root are not cached.

Errors. Bad content raises :class:`backlessons.errors.ContentError` listing every problem,
never a bare KeyError, pandas or YAML traceback. CSV problems read
``claims.csv: row 7 (C7): verdict: 'maybe' is not one of ...`` where **row N is the line
number in the file as an editor shows it, the header being line 1** (for a quoted cell
that spans lines, the line the record starts on). YAML problems carry the line as
``exercises.yaml:12: exercise bridge: dose.sets: ...``.

Parsed values. Cells holding reference keys or claim ids (``sources``, ``source``,
``claims``) become tuples of strings; ``objectives`` becomes a tuple of strings (split on
``" | "``); empty optional numbers become NaN; empty optional text stays ``""``.


Layout of the package (see docs/architecture.md):

* :mod:`~backlessons.content.engine`: roots, CSV reading with line numbers, column
  converters, the ``Table`` declaration and the generic table loader;
* :mod:`~backlessons.content.tables`: one declaration per CSV file and the checks
  across files;
* :mod:`~backlessons.content.exercise_cards`: the exercise cards and their loader; ``exercise_schema``: their pydantic model (imported on first load);
* :mod:`~backlessons.content.cases`: the lesson-08 case vignettes and safety-net card;
* :mod:`~backlessons.content.diagrams`: SVG safety checks;
* :mod:`~backlessons.content.citations`: the one reference formatter;
* :mod:`~backlessons.content.api`: the public, cached loaders re-exported here.

The package's own readers take a table as :class:`~backlessons.content.engine.Rows`
(``content.rows("claims")``: namedtuples in order, no pandas); the loaders named after
a table return the same rows as a DataFrame, so pandas loads only where one is shown.
"""

from __future__ import annotations

# Re-exported: every name importable from the old single module still is.
from backlessons.content.api import (  # noqa: F401
    TABLE_KINDS,
    causes_treatments,
    certainty_levels,
    claim,
    claims,
    dataset,
    dataset_names,
    diagram_svg,
    exercise,
    exercises,
    figure_facts,
    lessons,
    natural_history_facts,
    nice_ng59,
    red_flag_cases,
    red_flags,
    reference_keys,
    references,
    rows,
    safety_net_card,
    urgency_levels,
    validate_data,
)
from backlessons.content.citations import format_reference
from backlessons.content.engine import Root, Rows, Traversable, data_root
from backlessons.content.tables import CERTAINTIES, NICE_GROUPS, URGENCIES, VERDICT_MEANINGS, VERDICTS, Claim
from backlessons.errors import ContentError, Problem
from backlessons.lazy import lazy_exports

# The case and exercise-card records load with their modules on first use (a quiz or a
# figure needs neither).
__getattr__, _, _ = lazy_exports(__name__, {
    "RedFlagCase": ".cases",
    "SafetyNetCard": ".cases",
    "Dose": ".exercise_cards",
    "Exercise": ".exercise_cards",
    "StopSign": ".exercise_cards",
}, ())

__all__ = [
    "VERDICTS",
    "VERDICT_MEANINGS",
    "URGENCIES",
    "NICE_GROUPS",
    "Claim",
    "Dose",
    "StopSign",
    "Exercise",
    "data_root",
    "lessons",
    "claims",
    "claim",
    "references",
    "reference_keys",
    "format_reference",
    "causes_treatments",
    "red_flags",
    "urgency_levels",
    "certainty_levels",
    "nice_ng59",
    "natural_history_facts",
    "red_flag_cases",
    "safety_net_card",
    "exercises",
    "exercise",
    "diagram_svg",
    "dataset",
    "dataset_names",
    "figure_facts",
    "rows",
    "Rows",
    "TABLE_KINDS",
    "validate_data",
]

