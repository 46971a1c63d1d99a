"""The class results report: statistics from ``stats``, plots from ``plots``, HTML from a Jinja2 template.

``analyse_class(df)`` adds what the banks and question types know (question order,
option texts, random-guess scores, which types have options) to ``stats.analyse``; ``report_html`` renders
``templates/report.html.j2`` with autoescaping on, so no bank or learner text reaches the
page unescaped. Definitions: ``docs/statistics.md``.
"""

from __future__ import annotations

import math
import os
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any, Sequence

from backlessons.instructor.stats import ClassStatistics, Thresholds

if TYPE_CHECKING:
    import jinja2
    import pandas as pd

__all__ = [
    "Table",
    "analyse_class",
    "load_class_results",
    "load_merge",
    "demo_results_path",
    "report_html",
    "render_report",
    "table",
    "Thresholds",
]

DEMO_RESULTS = "demo/class_results.csv"
# Distractor bars are drawn for flagged choice questions only: one plot per question would
# make the report heavy without helping.
_QUIZ_COLUMNS = ["lesson", "learners", "sittings", "questions", "mean", "median", "sd", "skewness", "kurtosis",
                 "alpha", "alpha_kind", "error_ratio", "sem"]


def demo_results_path() -> Any:
    """The synthetic demo class shipped in ``data/demo/class_results.csv`` (a Traversable)."""
    return files("backlessons") / "data" / DEMO_RESULTS


def load_merge(path: str | os.PathLike[str] | None = None) -> Any:
    """Read a merged class CSV (None: the demo class) through ``merge_results``; a ``MergeResult``.

    Raises ``ContentError`` naming the file if it cannot be used.
    """
    from contextlib import nullcontext
    from importlib.resources import as_file

    from backlessons.errors import ContentError, Problem
    from backlessons.instructor.results import merge_results

    with (as_file(demo_results_path()) if path is None else nullcontext(path)) as real:
        result = merge_results([real])
    if len(result.frame) == 0 or result.problems:
        label = str(path) if path is not None else f"data/{DEMO_RESULTS}"
        message = result.problems[0].message if result.problems else "no answers to report on"
        raise ContentError([Problem(label, "", "", message)])
    return result


def load_class_results(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The merged rows of a class CSV (None: the demo class); ``ContentError`` if unusable."""
    return load_merge(path).frame


@cache
def _details() -> Any:
    from backlessons.instructor.bankinfo import bank_details

    return bank_details()


def analyse_class(df: pd.DataFrame, view: str = "first", thresholds: Thresholds | None = None,
                  details: Any = None) -> ClassStatistics:
    """``stats.analyse`` with the shipped banks' question order, option texts and random-guess scores,
    and the question types that have options."""
    from backlessons.instructor.stats import analyse

    details = _details() if details is None else details
    return analyse(df, view, guess_scores=details.guess_scores, options=details.options, order=details.order,
                   choice_types=details.choice_types, thresholds=thresholds)


# -- HTML ------------------------------------------------------------------------------------------


def _format(value: Any, column: str = "") -> str:
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:.2f}"
    return str(value)


@cache
def _environment() -> jinja2.Environment:
    import jinja2
    from markupsafe import Markup, escape

    env = jinja2.Environment(loader=jinja2.PackageLoader("backlessons.instructor", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)

    def cell(value: Any) -> Markup:
        text = escape(_format(value))
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        return Markup('<td class="num">{}</td>').format(text) if numeric else Markup("<td>{}</td>").format(text)

    def image(fig: Any) -> Markup:
        from backlessons.png import png_base64

        return Markup('<img alt="{}" src="data:image/png;base64,{}">').format(fig.alt, png_base64(fig))

    env.filters["cell"] = cell
    env.filters["image"] = image
    env.filters["num"] = lambda value: _format(float(value)) if value is not None else ""
    env.filters["pct"] = lambda value: "" if value is None or math.isnan(value) else f"{100 * value:.0f}%"
    return env


def report_html(df: pd.DataFrame, notes: Sequence[Any] = (), title: str = "Class results",
                thresholds: Thresholds | None = None) -> str:
    """The whole report for a results table: tables, plots (base64 PNG with their alt text), flags and definitions."""
    from dataclasses import asdict

    from backlessons.instructor import plots

    first = analyse_class(df, "first", thresholds)
    every = analyse_class(df, "all", thresholds)
    lessons = list(first.quizzes["lesson"])
    flagged = set(zip(first.flags["lesson"], first.flags["question_id"]))
    option_groups = [(key, group) for key, group in first.options.groupby(["lesson", "question_id"], sort=False)]
    bars = {key: plots.distractor_bars(first, *key) for key, _ in option_groups if key in flagged}
    all_questions = every.questions[["lesson", "question_id", "sittings", "facility", "sd", "discrimination",
                                     "discriminative_efficiency", "upper_lower"]]
    context = {
        "title": title,
        "learners": df["learner"].nunique(),
        "answers": len(df),
        "question_count": len(first.questions),
        "notes": [str(note) for note in notes],
        "cautions": first.cautions(),
        "quizzes": first.quizzes[_QUIZ_COLUMNS],
        "histograms": [plots.score_histogram(first, lesson) for lesson in lessons],
        "item_map": plots.item_map(first),
        "flags": first.flags,
        "first_questions": first.questions.drop(columns=["flags"]),
        "all_questions": all_questions,
        "option_groups": option_groups,
        "bars": bars,
        "thresholds": ", ".join(f"{name} = {value}" for name, value in asdict(first.thresholds).items()),
    }
    return _environment().get_template("report.html.j2").render(context)


class Table:
    """A results table for a notebook: a labelled region that scrolls sideways on its own.

    A wide table then never widens the page, and the region takes keyboard focus, so a
    keyboard user can scroll it too (WCAG 2.1.1). Cells are escaped by pandas.
    """

    def __init__(self, frame: pd.DataFrame, label: str) -> None:
        self.frame, self.label = frame, label

    def _repr_html_(self) -> str:
        from markupsafe import escape

        return (f'<div class="bl-table-region" role="region" tabindex="0" aria-label="{escape(self.label)}" '
                f'style="overflow-x: auto; max-width: 100%">{self.frame.to_html(escape=True)}</div>')

    def __repr__(self) -> str:
        return repr(self.frame)


def table(frame: pd.DataFrame, label: str) -> Table:
    """Show *frame* in a notebook as a labelled, keyboard-scrollable table (see :class:`Table`)."""
    return Table(frame, label)


def render_report(path: str | os.PathLike[str], thresholds: Thresholds | None = None) -> str:
    """A self-contained HTML report of the merged class CSV at *path* (ContentError if unusable)."""
    result = load_merge(path)
    return report_html(result.frame, result.notes, title=f"Class results: {os.path.basename(os.fspath(path))}",
                       thresholds=thresholds)
