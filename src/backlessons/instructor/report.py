"""Class statistics from merged results, and a self-contained HTML report of them.

``class_statistics(df)`` is pure: a merged results table in (``EXPORT_COLUMNS``, as
``merge_results`` returns it) → a dict of DataFrames. Definitions, per question
(lesson, question_id); "first attempt" is a learner's lowest attempt number:

* ``pct_correct_first`` — % of learners who tried the question and were right at
  their first attempt; ``pct_correct_eventually`` — % right at any attempt.
* ``difficulty`` — the classical difficulty index p: the proportion (0–1) of those
  learners right at the first attempt. High p = easy question.
* ``discrimination`` — D = p_upper − p_lower. Learners are ranked by total score
  (number of questions, across the whole table, right at the first attempt; ties
  broken by learner id so the result is reproducible). The upper group is the top
  27% of learners, the lower group the bottom 27% (each ``max(1, round(0.27 × n))``
  learners, and at most half the class). p_upper is the share of the upper group
  right at the first attempt on this question; a group member who never tried it
  counts as not right. D runs from −1 to 1; below about 0.2 the question separates
  stronger from weaker learners poorly, and a negative D deserves a close look.
* ``attempts_mean`` / ``attempts_median`` — the attempt number at which learners
  who got the question right first got it right.

Per lesson, ``completion`` is the share of all learners in the table who answered
every question of the lesson: every question of the shipped bank when the lesson
ships one, otherwise every question of that lesson anyone answered.

``distractors`` lists, per question, the wrong answers (``response_text`` of
incorrect attempts) with how many learners gave each, most frequent first.
"""

from __future__ import annotations

import base64
import io
import os
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from backlessons import markup

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "GROUP_FRACTION",
    "class_statistics",
    "render_report",
    "load_class_results",
    "demo_results_path",
    "plot_completion",
    "plot_difficulty_discrimination",
    "plot_attempts",
    "explore",
    "html_table",
    "report_html",
]

GROUP_FRACTION = 0.27
DEMO_RESULTS = "demo/class_results.csv"
_KEY = ["lesson", "question_id"]


# -- loading ---------------------------------------------------------------------------------


def demo_results_path() -> Any:
    """The synthetic demo class shipped in ``data/demo/class_results.csv`` (a Traversable)."""
    return files("backlessons") / "data" / DEMO_RESULTS


def _load(path: str | os.PathLike[str] | None) -> tuple[pd.DataFrame, list[str]]:
    from contextlib import nullcontext
    from importlib.resources import as_file

    from backlessons.errors import ContentError, Problem
    from backlessons.instructor.results import merge_results

    with (as_file(demo_results_path()) if path is None else nullcontext(path)) as real:
        frame, problems = merge_results([real])
    notes = [line for line in problems if line.startswith("note:") or "no learner name" in line]
    fatal = [line for line in problems if line not in notes]
    if frame.empty or fatal:
        label = str(path) if path is not None else f"data/{DEMO_RESULTS}"
        message = fatal[0].split(": ", 1)[-1] if fatal else "no answers to report on"
        raise ContentError([Problem(label, "", "", message)])
    return frame, notes


def load_class_results(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Read a merged class CSV (None: the demo class) through ``merge_results``'s checks.

    Raises ``ContentError`` naming the file if it cannot be used.
    """
    return _load(path)[0]


# -- statistics ------------------------------------------------------------------------------


def _bank_ids() -> dict[str, tuple[str, ...]]:
    """Question ids of every shipped bank that loads; a broken bank just is not used."""
    from backlessons.errors import ContentError
    from backlessons.quiz import load_bank, shipped_banks

    ids: dict[str, tuple[str, ...]] = {}
    for lesson in shipped_banks():
        try:
            ids[lesson] = load_bank(lesson).ids
        except ContentError:
            continue
    return ids


def _first_attempts(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (learner, lesson, question): the learner's first attempt."""
    ordered = df.sort_values(["learner", "lesson", "question_id", "attempt", "time"], kind="mergesort")
    return ordered.drop_duplicates(["learner", "lesson", "question_id"], keep="first")


def _group_size(learners: int) -> int:
    if learners < 2:
        return 0
    return min(learners // 2, max(1, round(GROUP_FRACTION * learners)))


def class_statistics(
    df: pd.DataFrame, bank_questions: Mapping[str, Sequence[str]] | None = None
) -> dict[str, pd.DataFrame]:
    """Completion, item analysis, distractors and per-learner totals of a merged results table.

    *bank_questions* maps lesson → question ids; None uses the shipped banks. Returns
    ``completion``, ``questions``, ``distractors`` and ``learners`` DataFrames.
    """
    import numpy as np
    import pandas as pd

    df = df.loc[:, ["learner", "lesson", "question_id", "question_type", "response_text", "correct", "attempt", "time"]]
    df = df.astype({"correct": bool, "attempt": "int64"})
    banks = _bank_ids() if bank_questions is None else {k: tuple(v) for k, v in bank_questions.items()}
    all_learners = np.sort(df["learner"].unique())
    n_learners = len(all_learners)

    # Completion per lesson.
    answered = df.drop_duplicates(["learner", "lesson", "question_id"])
    rows = []
    for lesson, group in answered.groupby("lesson", sort=True):
        if lesson in banks:
            wanted = set(banks[lesson])
            source = "bank"
        else:
            wanted = set(group["question_id"])
            source = "seen"
        hits = group[group["question_id"].isin(wanted)].groupby("learner")["question_id"].nunique()
        completed = int((hits == len(wanted)).sum())
        rows.append({
            "lesson": lesson,
            "questions": len(wanted),
            "question_count_from": source,
            "learners_started": int(group["learner"].nunique()),
            "learners_completed": completed,
            "learners_total": n_learners,
            "completion": completed / n_learners if n_learners else 0.0,
        })
    completion = pd.DataFrame(rows, columns=["lesson", "questions", "question_count_from", "learners_started",
                                             "learners_completed", "learners_total", "completion"])

    # Per learner totals (for the discrimination groups).
    first = _first_attempts(df)
    learners = (
        first.groupby("learner")
        .agg(questions_answered=("question_id", "size"), correct_first=("correct", "sum"))
        .reindex(all_learners, fill_value=0)
    )
    learners.index.name = "learner"
    learners = learners.reset_index()
    learners["correct_first"] = learners["correct_first"].astype(int)
    ranked = learners.sort_values(["correct_first", "learner"], ascending=[False, True], kind="mergesort")
    size = _group_size(n_learners)
    upper = set(ranked["learner"].iloc[:size]) if size else set()
    lower = set(ranked["learner"].iloc[n_learners - size:]) if size else set()
    learners["group"] = np.where(learners["learner"].isin(upper), "upper",
                                 np.where(learners["learner"].isin(lower), "lower", ""))

    # Item analysis.
    eventually = df.groupby(_KEY + ["learner"])["correct"].any()
    first_right = df[df["correct"]].groupby(_KEY + ["learner"])["attempt"].min()
    per_question = first.groupby(_KEY, sort=True).agg(
        question_type=("question_type", "first"),
        learners=("learner", "nunique"),
        correct_first=("correct", "sum"),
    )
    per_question["attempts"] = df.groupby(_KEY).size()
    per_question["correct_eventually"] = eventually.groupby(level=[0, 1]).sum()
    per_question["difficulty"] = per_question["correct_first"] / per_question["learners"]
    per_question["pct_correct_first"] = 100 * per_question["difficulty"]
    per_question["pct_correct_eventually"] = 100 * per_question["correct_eventually"] / per_question["learners"]
    if size:
        right_first = first[first["correct"]]
        p_upper = right_first[right_first["learner"].isin(upper)].groupby(_KEY).size() / size
        p_lower = right_first[right_first["learner"].isin(lower)].groupby(_KEY).size() / size
        per_question["discrimination"] = (
            p_upper.reindex(per_question.index, fill_value=0.0) - p_lower.reindex(per_question.index, fill_value=0.0)
        )
    else:
        per_question["discrimination"] = np.nan
    grouped = first_right.groupby(level=[0, 1])
    per_question["attempts_mean"] = grouped.mean()
    per_question["attempts_median"] = grouped.median()
    # Questions in bank order (the order learners meet them), unknown ones after, by id.
    position = {(lesson, qid): i for lesson, ids in banks.items() for i, qid in enumerate(ids)}
    per_question = per_question.iloc[np.argsort(
        [position.get(key, len(position)) for key in per_question.index], kind="stable")]
    questions = per_question.reset_index()[[
        "lesson", "question_id", "question_type", "learners", "attempts", "pct_correct_first",
        "pct_correct_eventually", "difficulty", "discrimination", "attempts_mean", "attempts_median",
    ]]
    questions["correct_first_n"] = per_question["correct_first"].to_numpy().astype(int)

    # Distractors: wrong answers given, counted once per learner and answer.
    wrong = df[~df["correct"]].drop_duplicates(_KEY + ["learner", "response_text"])
    distractors = (
        wrong.groupby(_KEY + ["response_text"]).size().rename("learners").reset_index()
    )
    totals = wrong.groupby(_KEY)["learner"].nunique().rename("wrong_learners")
    distractors = distractors.join(totals, on=_KEY)
    distractors["share_of_wrong"] = distractors["learners"] / distractors["wrong_learners"]
    distractors["_order"] = [position.get(key, len(position)) for key in zip(distractors["lesson"], distractors["question_id"])]
    distractors = distractors.sort_values(
        ["lesson", "_order", "question_id", "learners", "response_text"],
        ascending=[True, True, True, False, True], kind="mergesort",
    ).reset_index(drop=True)
    distractors["rank"] = distractors.groupby(_KEY).cumcount() + 1
    distractors = distractors[["lesson", "question_id", "rank", "response_text", "learners", "share_of_wrong"]]
    # Keep lessons grouped: bank order ranks questions within a lesson only.
    questions = questions.sort_values("lesson", kind="stable").reset_index(drop=True)

    return {"completion": completion, "questions": questions, "distractors": distractors, "learners": learners}


# -- plots -----------------------------------------------------------------------------------


@cache
def _figure_class() -> type:
    from matplotlib.figure import Figure

    class ReportFigure(Figure):
        """A Figure that shows itself as a PNG in a notebook, with no pyplot or global hook."""

        def _repr_png_(self) -> bytes:
            return base64.b64decode(_png(self))

    return ReportFigure


def _figure(width: float = 7.0, height: float = 3.6) -> Figure:
    # The object-oriented API: no pyplot state, so nothing leaks between reports or cells.
    return _figure_class()(figsize=(width, height), dpi=100, layout="constrained")


def plot_completion(stats: Mapping[str, pd.DataFrame]) -> Figure:
    """Bar chart: the share of learners who finished each lesson."""
    completion = stats["completion"]
    fig = _figure(7.0, 0.6 + 0.32 * max(1, len(completion)))
    ax = fig.add_subplot()
    ax.barh(completion["lesson"], 100 * completion["completion"], color="#3b6e8f")
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("learners who answered every question (%)")
    ax.set_title("Completion per lesson")
    return fig


def plot_difficulty_discrimination(stats: Mapping[str, pd.DataFrame]) -> Figure:
    """Scatter: difficulty index (x) against discrimination index (y), one dot per question."""
    questions = stats["questions"]
    fig = _figure(7.0, 4.2)
    ax = fig.add_subplot()
    ax.scatter(questions["difficulty"], questions["discrimination"], color="#3b6e8f", alpha=0.75)
    ax.axhline(0.2, color="#999999", linestyle="--", linewidth=1)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-1.02, 1.02)
    ax.set_xlabel("difficulty index p (share right at first attempt)")
    ax.set_ylabel("discrimination index D")
    ax.set_title("Item analysis (dashed line: D = 0.2)")
    return fig


def plot_attempts(stats: Mapping[str, pd.DataFrame]) -> Figure:
    """Bar chart: mean attempts until correct, per lesson (mean over its questions)."""
    per_lesson = stats["questions"].groupby("lesson")["attempts_mean"].mean()
    fig = _figure(7.0, 0.6 + 0.32 * max(1, len(per_lesson)))
    ax = fig.add_subplot()
    ax.barh(per_lesson.index, per_lesson.to_numpy(), color="#7a9e7e")
    ax.invert_yaxis()
    ax.set_xlabel("mean attempts until correct (1 = right at the first attempt)")
    ax.set_xlim(left=0)
    ax.set_title("Attempts until correct, per lesson")
    return fig


def _png(fig: Figure) -> str:
    buffer = io.BytesIO()
    # No "Software" stamp: the same data gives the same bytes on every run.
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _img(fig: Figure, alt: str) -> str:
    return f'<img alt="{markup.escape(alt)}" src="data:image/png;base64,{_png(fig)}">'


# -- HTML ------------------------------------------------------------------------------------


def _cell(value: Any, column: str) -> str:
    import math

    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if column.startswith("pct_"):
            return f"{value:.0f}"
        return f"{value:.2f}"
    return markup.escape(str(value))


def html_table(frame: pd.DataFrame, percent: Sequence[str] = ()) -> str:
    """An escaped HTML table of *frame* (no index); *percent* columns (0–1) shown as %."""
    head = "".join(f"<th>{markup.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, row):
            if column in percent and isinstance(value, float):
                text = f"{100 * value:.0f}%"
            else:
                text = _cell(value, str(column))
            cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 75rem; margin: 2rem auto; padding: 0 1rem;
       color: #1d1d1f; line-height: 1.45; }
h1 { border-bottom: 2px solid #3b6e8f; } h2 { color: #3b6e8f; margin-top: 2rem; }
table { border-collapse: collapse; font-size: .9rem; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: .25rem .5rem; text-align: left; }
th { background: #f6f8fa; } img { max-width: 100%; } .note { color: #57606a; }
td:first-child, td:nth-child(2) { white-space: nowrap; } .scroll { overflow-x: auto; }
"""


def report_html(df: pd.DataFrame, notes: Sequence[str] = (), title: str = "Class results") -> str:
    """The whole report for a results table: tables, plots (base64 PNG) and definitions."""
    stats = class_statistics(df)
    e = markup.escape
    questions = stats["questions"]
    top = stats["distractors"][stats["distractors"]["rank"] <= 3]
    review = questions[(questions["discrimination"] < 0.2) | (questions["difficulty"] < 0.3)]
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>{e(title)}</h1>",
        f"<p>{df['learner'].nunique()} learner(s), {len(df)} answer(s), {df['lesson'].nunique()} lesson(s), "
        f"{len(questions)} question(s).</p>",
    ]
    if notes:
        parts.append('<ul class="note">' + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul>")
    parts += [
        "<h2>Completion per lesson</h2>",
        "<p>Learners who answered every question of the lesson, out of all learners in the file.</p>",
        html_table(stats["completion"], percent=("completion",)),
        _img(plot_completion(stats), "Completion per lesson"),
        "<h2>Questions</h2>",
        "<p>p = difficulty index (share right at the first attempt); D = discrimination index "
        "(p of the top 27% of learners by total score minus p of the bottom 27%).</p>",
        html_table(questions),
        _img(plot_difficulty_discrimination(stats), "Difficulty against discrimination"),
        "<h2>Questions worth a second look</h2>",
        "<p>D below 0.2, or fewer than 30% right at the first attempt: check the wording, "
        "the key and the distractors.</p>",
        html_table(review[["lesson", "question_id", "question_type", "difficulty", "discrimination"]])
        if len(review) else "<p>None.</p>",
        "<h2>Most chosen wrong answers</h2>",
        "<p>Up to three per question; learners counted once per answer.</p>",
        html_table(top, percent=("share_of_wrong",)),
        "<h2>Attempts until correct</h2>",
        _img(plot_attempts(stats), "Attempts until correct"),
        "<h2>How these numbers are computed</h2>",
        "<ul>",
        "<li>First attempt: a learner's lowest attempt number for a question.</li>",
        "<li>Difficulty index p = learners right at the first attempt / learners who tried the question.</li>",
        "<li>Discrimination index D = p<sub>upper</sub> − p<sub>lower</sub>: learners are ranked by the "
        "number of questions right at the first attempt (ties by learner id); the upper and lower groups "
        "are the top and bottom 27% (at least one learner each); a group member who never tried a "
        "question counts as not right.</li>",
        "<li>Attempts until correct: the attempt at which a learner first got the question right, "
        "over learners who did.</li>",
        "</ul>",
        '<p class="note">backlessons is for education, not medical advice.</p>',
        "</body>", "</html>",
    ]
    return "\n".join(parts) + "\n"


def render_report(path: str | os.PathLike[str]) -> str:
    """A self-contained HTML report of the merged class CSV at *path* (ContentError if unusable)."""
    frame, notes = _load(path)
    return report_html(frame, notes, title=f"Class results: {os.path.basename(os.fspath(path))}")


# -- interactive -----------------------------------------------------------------------------


@cache
def _explorer_class() -> type:
    """Build the widget class on first use: the CLI report never needs ipywidgets."""
    import ipywidgets as widgets

    return type("ResultsExplorer", (_ExplorerMixin, widgets.VBox), {})


class _ExplorerMixin:
    """Pick a lesson and a question; see its item analysis, wrong answers and a plot."""

    ALL = "(all questions)"

    def __init__(self, df: pd.DataFrame) -> None:
        import ipywidgets as widgets

        self._df = df
        self._stats = class_statistics(df)
        lessons = sorted(self._stats["questions"]["lesson"].unique())
        self.lesson = widgets.Dropdown(options=lessons, value=lessons[0] if lessons else None, description="Lesson")
        self.question = widgets.Dropdown(description="Question")
        self.output = widgets.Output()
        super().__init__(children=(widgets.HBox((self.lesson, self.question)), self.output))  # type: ignore[call-arg]
        self._refresh_questions()
        self.lesson.observe(self._on_lesson, names="value")
        self.question.observe(self._on_question, names="value")

    def _refresh_questions(self) -> None:
        questions = self._stats["questions"]
        ids = questions.loc[questions["lesson"] == self.lesson.value, "question_id"].tolist()
        self.question.options = (self.ALL, *ids)
        self.question.value = self.ALL
        self._show()

    def _on_lesson(self, change: Mapping[str, Any]) -> None:
        self._refresh_questions()

    def _on_question(self, change: Mapping[str, Any]) -> None:
        self._show()

    def selection(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(item analysis rows, wrong-answer rows) for the current lesson and question."""
        questions, wrong = self._stats["questions"], self._stats["distractors"]
        pick_q = questions["lesson"] == self.lesson.value
        pick_w = wrong["lesson"] == self.lesson.value
        if self.question.value not in (None, self.ALL):
            pick_q &= questions["question_id"] == self.question.value
            pick_w &= wrong["question_id"] == self.question.value
        else:
            pick_w &= wrong["rank"] == 1
        return questions[pick_q].reset_index(drop=True), wrong[pick_w].reset_index(drop=True)

    def selection_html(self) -> str:
        rows, wrong = self.selection()
        return (
            "<h4>Item analysis</h4>" + html_table(rows)
            + "<h4>Most chosen wrong answers</h4>"
            + (html_table(wrong, percent=("share_of_wrong",)) if len(wrong) else "<p>None.</p>")
        )

    def _show(self) -> None:
        from IPython.display import HTML

        rows, _ = self.selection()
        fig = _figure(6.0, 2.8)
        ax = fig.add_subplot()
        ax.barh(rows["question_id"], rows["pct_correct_first"], color="#3b6e8f", label="first attempt")
        ax.barh(rows["question_id"], rows["pct_correct_eventually"] - rows["pct_correct_first"],
                left=rows["pct_correct_first"], color="#a7c4d6", label="later attempts")
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("learners right (%)")
        ax.legend(loc="lower right", fontsize=8)
        self.output.outputs = ()  # replace, not append: clear_output only works inside a kernel
        self.output.append_display_data(HTML(self.selection_html() + _img(fig, "Share right per question")))

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs) or {}  # type: ignore[misc]
        learners = self._df["learner"].nunique()
        bundle["text/plain"] = (f"ResultsExplorer: {learners} learners, {len(self._df)} answers; "
                                f"lesson {self.lesson.value}, question {self.question.value}")
        bundle["text/html"] = self.selection_html()
        return bundle


def explore(df: pd.DataFrame) -> Any:
    """A ``ResultsExplorer`` widget (a VBox) to browse class statistics by lesson and question."""
    return _explorer_class()(df)
