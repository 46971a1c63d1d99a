"""Plots of class statistics (matplotlib, object-oriented API: no pyplot state leaks between reports).

Each function takes a ``stats.ClassStatistics`` and returns a Figure that shows itself in
a notebook as an image with a text alternative (``fig.alt``, also used by the HTML
report); ``png_base64`` (from :mod:`backlessons.png`, re-exported here) turns one into the
bytes the report embeds.
"""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING, Any

from backlessons.markup import escape
from backlessons.png import png_base64

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["item_map", "score_histogram", "distractor_bars", "png_base64"]

_BLUE, _GREY, _GREEN, _ORANGE = "#3b6e8f", "#999999", "#4f7f52", "#b35c1e"


@cache
def _figure_class() -> type:
    from matplotlib.figure import Figure

    class ReportFigure(Figure):
        """A Figure that shows itself as an image with its text alternative, with no pyplot or global hook."""

        alt = ""  # what the plot shows, in words (screen readers, and the report's <img alt>)

        def _repr_html_(self) -> str:
            return f'<img alt="{escape(self.alt)}" src="data:image/png;base64,{png_base64(self)}">'


    return ReportFigure


def _figure(width: float, height: float) -> Figure:
    return _figure_class()(figsize=(width, height), dpi=100, layout="constrained")


def item_map(stats: Any, lesson: str | None = None) -> Figure:
    """Facility (x) against discrimination (y), one dot per question; flagged questions in orange."""
    questions = stats.questions if lesson is None else stats.questions[stats.questions["lesson"] == lesson]
    fig = _figure(7.0, 4.4)
    ax = fig.add_subplot()
    flagged = questions["flags"] != ""
    ax.scatter(questions.loc[~flagged, "facility"], questions.loc[~flagged, "discrimination"], color=_BLUE,
               alpha=0.8, label="no flag")
    ax.scatter(questions.loc[flagged, "facility"], questions.loc[flagged, "discrimination"], color=_ORANGE,
               marker="^", alpha=0.9, label="flagged")
    limits = stats.thresholds
    ax.axhline(limits.weak_discrimination, color=_GREY, linestyle="--", linewidth=1)
    ax.axhline(0, color=_GREY, linewidth=0.8)
    ax.axvspan(limits.too_easy, 1.02, color="#eeeeee", zorder=0)
    ax.axvspan(-0.02, limits.too_hard, color="#eeeeee", zorder=0)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-1.02, 1.02)
    ax.set_xlabel("facility index (mean score, 0-1)")
    ax.set_ylabel("discrimination index (r with rest of test)")
    where = f"lesson {lesson}" if lesson else "all lessons"
    ax.set_title(f"Item map, {where} ({stats.view} attempts); dashed line: weak discrimination")
    ax.legend(loc="lower left", fontsize=8)
    fig.alt = (f"Item map, {where}: facility against discrimination for {len(questions)} questions, "
               f"{int(flagged.sum())} of them flagged (orange triangles).")
    return fig


def score_histogram(stats: Any, lesson: str) -> Figure:
    """Distribution of sitting totals for one lesson (0 to the number of questions)."""
    sittings = stats.sittings[stats.sittings["lesson"] == lesson]
    out_of = int(sittings["out_of"].max()) if len(sittings) else 1
    fig = _figure(6.0, 3.0)
    ax = fig.add_subplot()
    ax.hist(sittings["total"], bins=max(1, out_of), range=(0, out_of), color=_BLUE, edgecolor="white")
    ax.set_xlim(0, out_of)
    ax.set_xlabel(f"total score (out of {out_of})")
    ax.set_ylabel("sittings")
    ax.set_title(f"Score distribution, {lesson} ({len(sittings)} sittings, {stats.view} attempts)")
    fig.alt = (f"Score distribution of {lesson}: totals out of {out_of} for {len(sittings)} sittings "
               f"({stats.view} attempts).")
    return fig


def distractor_bars(stats: Any, lesson: str, question_id: str) -> Figure:
    """Share choosing each option of one question; the key in green, labelled with mean rest score."""
    options = stats.options[(stats.options["lesson"] == lesson) & (stats.options["question_id"] == question_id)]
    fig = _figure(6.0, 0.8 + 0.35 * max(1, len(options)))
    ax = fig.add_subplot()
    colours = [_GREEN if key else _BLUE for key in options["key"]]
    ax.barh(options["option"].astype(str), 100 * options["share"].astype(float), color=colours)
    ax.invert_yaxis()
    ax.set_xlim(0, 110)
    for y, (share, rest) in enumerate(zip(options["share"], options["mean_rest"])):
        label = "" if math.isnan(rest) else f"rest {rest:.1f}"
        ax.text(100 * share + 1, y, label, va="center", fontsize=8)
    ax.set_xlabel("sittings choosing the option (%); green: the key")
    ax.set_title(f"Options of {question_id}")
    shares = "; ".join(f"{o}: {100 * float(sh):.0f}%" + (" (key)" if k else "")
                       for o, sh, k in zip(options["option"], options["share"], options["key"]))
    fig.alt = f"Share of sittings choosing each option of {question_id}: {shares}."
    return fig
