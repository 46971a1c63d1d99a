"""Item analysis of class results, to the definitions of Moodle's quiz statistics report.

Pure pandas/numpy: answers in, tables out; no plots, no HTML, no file access. The
formulas, and where they come from, are written out in ``docs/statistics.md``.

Vocabulary
----------
* A **sitting** is one learner's go at one lesson's quiz. Only **complete** sittings count
  (every question of the lesson answered), as Moodle counts only finished attempts; the
  questions of a lesson are those anyone in the table answered.
* **First attempts** view: one sitting per learner, each question scored at the learner's
  first attempt. **All attempts** view: sitting k of a learner holds, for each question,
  the score of their k-th attempt, or of their last attempt if they made fewer (they
  stopped because they were right or gave up); a learner with up to 3 attempts gives 3
  sittings.
* Scores run from 0 to 1 per question (partial credit counted), so a lesson of k
  questions has totals from 0 to k. Facility, SD, discrimination and the weights are given
  as fractions (Moodle shows them ×100 as percentages).

Entry points: :func:`item_statistics`, :func:`quiz_statistics` and
:func:`option_statistics` work on one lesson's score matrix (rows = sittings, columns =
questions); :func:`analyse` builds the matrices from a merged results table and returns
every table, with flags, in a :class:`ClassStatistics`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "GROUP_FRACTION",
    "SMALL_CLASS",
    "VIEWS",
    "Thresholds",
    "ClassStatistics",
    "score_matrix",
    "item_statistics",
    "quiz_statistics",
    "option_statistics",
    "analyse",
]

GROUP_FRACTION = 0.27  # upper and lower groups of the classic index (Kelley's 27%)
SMALL_CLASS = 20  # below this many sittings the indices are unstable: the report says so
VIEWS = ("first", "all")


@dataclass(frozen=True)
class Thresholds:
    """When a question gets a flag. Every value is documented in ``docs/statistics.md``.

    Pass your own (``Thresholds(too_easy=0.95)``) to ``analyse`` or ``report_html``.
    """

    check_key_below: float = 0.0  # discrimination below this: the key may be wrong
    weak_discrimination: float = 0.2  # discrimination below this: separates learners poorly
    too_easy: float = 0.9  # facility above this
    too_hard: float = 0.3  # facility below this
    guess_margin: float = 0.05  # facility within this of the random-guess score: no better than guessing
    unused_option_min_sittings: int = 10  # only call an option "chosen by no one" with this many sittings
    strong_distractor_min_chosen: int = 3  # only say a distractor "attracts stronger learners" if this many chose it
    small_class: int = SMALL_CLASS


@dataclass
class ClassStatistics:
    """Every table of one analysis. Frames are pandas DataFrames; see ``analyse``."""

    view: str
    quizzes: Any  # one row per lesson: test statistics
    questions: Any  # one row per (lesson, question): item statistics and flags
    options: Any  # one row per (lesson, question, option): distractor analysis
    sittings: Any  # one row per (lesson, sitting): total and learner, for the histogram
    incomplete: Any  # one row per lesson: learners who started but did not finish
    thresholds: Thresholds = field(default_factory=Thresholds)

    @property
    def flags(self) -> Any:
        """Questions with at least one flag: lesson, question_id, flags (text)."""
        flagged = self.questions[self.questions["flags"] != ""]
        return flagged[["lesson", "question_id", "question_type", "facility", "discrimination", "flags"]]

    def options_of(self, lesson: str, question_id: str) -> Any:
        """The option rows of one choice question."""
        pick = (self.options["lesson"] == lesson) & (self.options["question_id"] == question_id)
        return self.options[pick].reset_index(drop=True)

    def flagged_choice_questions(self) -> list[tuple[str, str]]:
        """(lesson, question_id) of every flagged question that has options, in table order."""
        with_options = set(zip(self.options["lesson"], self.options["question_id"]))
        return [key for key in zip(self.flags["lesson"], self.flags["question_id"]) if key in with_options]

    def cautions(self) -> list[str]:
        """One line per lesson whose class is too small for stable indices."""
        small = self.quizzes[self.quizzes["sittings"] < self.thresholds.small_class]
        return [f"{row.lesson}: only {row.sittings} sitting(s); with fewer than {self.thresholds.small_class} "
                f"learners the discrimination and reliability figures are unstable: read them as hints"
                for row in small.itertuples()]


# -- one lesson: the score matrix -------------------------------------------------------------


def _var(values: np.ndarray) -> float:
    """Sample variance (n - 1), as Moodle; NaN for fewer than two values."""
    return float(np.var(values, ddof=1)) if len(values) > 1 else math.nan


def _cov(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) < 2:
        return math.nan
    return float(np.sum((a - a.mean()) * (b - b.mean())) / (len(a) - 1))


def _ratio(top: float, bottom: float) -> float:
    """top / bottom, NaN when bottom is zero or either is NaN (an index that cannot be computed)."""
    if not (bottom > 0) or math.isnan(top):
        return math.nan
    return top / bottom


def _group_size(sittings: int) -> int:
    if sittings < 2:
        return 0
    return min(sittings // 2, max(1, round(GROUP_FRACTION * sittings)))


def item_statistics(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per-question statistics of one lesson's score matrix (rows sittings, columns questions, scores 0..1).

    Columns: ``sittings``, ``facility``, ``sd``, ``discrimination`` (correlation with
    the rest of the test), ``discriminative_efficiency``, ``intended_weight``,
    ``effective_weight`` and ``upper_lower`` (mean score of the top 27% by rest score
    minus that of the bottom 27%). NaN where an index cannot be computed (one sitting,
    an item everyone scored the same on).
    """
    import pandas as pd

    scores = matrix.to_numpy(dtype=float)
    sittings, items = scores.shape
    total = scores.sum(axis=1)
    cov_total = np.array([_cov(scores[:, i], total) for i in range(items)])
    # Moodle leaves every effective weight out when any covariance with the total is negative.
    weights_ok = sittings > 1 and bool(np.all(cov_total >= 0)) and cov_total.sum() > 0
    roots = np.sqrt(np.clip(cov_total, 0, None)) if weights_ok else None
    size = _group_size(sittings)
    rows = []
    for i in range(items):
        x = scores[:, i]
        rest = total - x
        var_x, var_rest, cov = _var(x), _var(rest), _cov(x, rest)
        discrimination = _ratio(cov, math.sqrt(var_x * var_rest)) if var_x > 0 and var_rest > 0 else math.nan
        best = _cov(np.sort(x), np.sort(rest))  # the largest covariance these two score lists allow
        if size:
            # Rank by rest score, ties by row order (sittings come sorted by learner): reproducible.
            order = np.lexsort((np.arange(sittings), -rest))
            upper_lower = float(x[order[:size]].mean() - x[order[sittings - size:]].mean())
        else:
            upper_lower = math.nan
        rows.append({
            "sittings": sittings,
            "facility": float(x.mean()) if sittings else math.nan,
            "sd": math.sqrt(var_x) if not math.isnan(var_x) else math.nan,
            "discrimination": discrimination,
            "discriminative_efficiency": _ratio(cov, best) if best > 0 else math.nan,
            "intended_weight": 1 / items,
            "effective_weight": float(roots[i] / roots.sum()) if roots is not None else math.nan,
            "upper_lower": upper_lower,
        })
    return pd.DataFrame(rows, index=pd.Index(matrix.columns, name="question_id"))


def quiz_statistics(matrix: pd.DataFrame) -> dict[str, Any]:
    """Whole-quiz statistics of one lesson's score matrix; totals run from 0 to the number of questions.

    Keys: ``sittings``, ``questions``, ``mean``, ``median``, ``sd``, ``skewness``,
    ``kurtosis`` (both from k-statistics, as Moodle), ``alpha`` (Cronbach's alpha;
    KR-20 when every score is 0 or 1, named in ``alpha_kind``), ``error_ratio`` and
    ``sem`` (standard error of measurement, in marks).
    """
    scores = matrix.to_numpy(dtype=float)
    sittings, items = scores.shape
    total = scores.sum(axis=1)
    out: dict[str, Any] = {"sittings": sittings, "questions": items}
    out["mean"] = float(total.mean()) if sittings else math.nan
    out["median"] = float(np.median(total)) if sittings else math.nan
    var_total = _var(total)
    out["sd"] = math.sqrt(var_total) if not math.isnan(var_total) else math.nan
    out["skewness"] = out["kurtosis"] = math.nan
    if sittings > 2 and var_total > 0:
        s = sittings
        deviation = total - total.mean()
        m2, m3, m4 = (float(np.mean(deviation ** p)) for p in (2, 3, 4))
        k2 = s * m2 / (s - 1)
        k3 = s * s * m3 / ((s - 1) * (s - 2))
        out["skewness"] = k3 / k2 ** 1.5
        if s > 3:
            k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
            out["kurtosis"] = k4 / (k2 * k2)
    dichotomous = bool(np.isin(scores, (0.0, 1.0)).all())
    out["alpha_kind"] = "KR-20" if dichotomous else "Cronbach's alpha"
    if items > 1 and sittings > 1 and var_total > 0:
        item_vars = sum(_var(scores[:, i]) for i in range(items))
        out["alpha"] = items / (items - 1) * (1 - item_vars / var_total)
    else:
        out["alpha"] = math.nan
    if not math.isnan(out["alpha"]):
        out["error_ratio"] = math.sqrt(max(0.0, 1 - out["alpha"]))
        out["sem"] = out["error_ratio"] * out["sd"]
    else:
        out["error_ratio"] = out["sem"] = math.nan
    return out


def _letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else str(index + 1)


def _chosen(response: str, option_names: Sequence[str] = ()) -> tuple[int, ...] | None:
    """Option indexes a response picked (by index, or by one of *option_names*, any case); None if unreadable."""
    try:
        value = json.loads(response)
    except (ValueError, TypeError):
        value = response
    if option_names:
        text = str(value).strip().lower()
        names = [name.lower() for name in option_names]
        return (names.index(text),) if text in names else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return tuple(value)
    return None


def option_statistics(
    responses: Sequence[str],
    scores: Sequence[float],
    rest: Sequence[float],
    options: Sequence[tuple[str, bool]] | None = None,
    option_names: Sequence[str] = (),
) -> pd.DataFrame:
    """Distractor analysis of one choice question over the sittings of one view.

    *responses* are the raw export responses (an option index, a JSON list of indexes, or
    one of *option_names*), *scores* the question's score and *rest* the rest-of-test score
    of the same sittings. *options* are (text, is_key) from the bank, when known; without
    them the options are those anyone chose, the key inferred from full-mark answers.
    *option_names*: the fixed names of the type's options ("True", "False"), which label
    them; empty: they are lettered A, B, ….

    Columns: ``option`` (letter, or fixed name), ``text``, ``key``, ``chosen`` (sittings), ``share``
    (of sittings), ``mean_rest`` (mean rest score of those who chose it).
    """
    import pandas as pd

    picks = [_chosen(str(r), option_names) for r in responses]
    sittings = len(picks)
    chosen_by: dict[int, list[int]] = {}
    key_seen: set[int] = set()
    for row, pick in enumerate(picks):
        for index in pick or ():
            chosen_by.setdefault(index, []).append(row)
        if pick and scores[row] >= 1.0:
            key_seen.update(pick)
    if options is not None:
        indexes = range(len(options))
    else:
        indexes = range(max(chosen_by) + 1) if chosen_by else range(0)
    rest_arr = np.asarray(rest, dtype=float)
    rows = []
    for index in indexes:
        who = chosen_by.get(index, [])
        if options is not None and index < len(options):
            text, key = options[index]
        else:
            text = option_names[index] if index < len(option_names) else ""
            key = index in key_seen
        rows.append({
            "option": option_names[index] if option_names else _letter(index),
            "text": text,
            "key": bool(key),
            "chosen": len(who),
            "share": len(who) / sittings if sittings else math.nan,
            "mean_rest": float(rest_arr[who].mean()) if who else math.nan,
        })
    return pd.DataFrame(rows, columns=["option", "text", "key", "chosen", "share", "mean_rest"])


# -- a whole results table ----------------------------------------------------------------------


def score_matrix(answers: pd.DataFrame, lesson: str, view: str = "first") -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """One lesson's score matrix, its responses, and the number of learners left out as incomplete.

    Rows are complete sittings, indexed by (learner, sitting number), sorted; columns the
    lesson's question ids, sorted. The second frame holds the raw responses, same shape.
    """
    import pandas as pd

    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, not {view!r}")
    rows = answers[answers["lesson"] == lesson]
    questions = sorted(rows["question_id"].unique())
    ordered = rows.sort_values(["learner", "question_id", "attempt", "time"], kind="mergesort")
    ordered = ordered.assign(sitting=ordered.groupby(["learner", "question_id"]).cumcount() + 1)
    if view == "first":
        ordered = ordered[ordered["sitting"] == 1]
    scores = ordered.pivot(index=["learner", "sitting"], columns="question_id", values="score")
    responses = ordered.pivot(index=["learner", "sitting"], columns="question_id", values="response")
    scores = scores.reindex(columns=questions)
    responses = responses.reindex(columns=questions)
    if view == "all":
        # Every learner gets sittings 1..(their most attempts); a question tried fewer
        # times keeps its last score and response.
        full = pd.MultiIndex.from_tuples(
            [(learner, k) for learner, most in ordered.groupby("learner")["sitting"].max().items()
             for k in range(1, int(most) + 1)], names=["learner", "sitting"])
        scores = scores.reindex(full).groupby(level="learner").ffill()
        responses = responses.reindex(full).groupby(level="learner").ffill()
    complete = scores.notna().all(axis=1)
    learners_all = rows["learner"].nunique()
    learners_complete = scores[complete].index.get_level_values("learner").nunique()
    return scores[complete].sort_index(), responses[complete].sort_index(), learners_all - learners_complete


def analyse(
    answers: pd.DataFrame,
    view: str = "first",
    *,
    guess_scores: Mapping[tuple[str, str], float] | None = None,
    options: Mapping[tuple[str, str], Sequence[tuple[str, bool]]] | None = None,
    order: Mapping[tuple[str, str], int] | None = None,
    choice_types: Mapping[str, Sequence[str]] | None = None,
    thresholds: Thresholds | None = None,
) -> ClassStatistics:
    """Every table for a merged results table (``EXPORT_COLUMNS``; ``score`` a float 0..1).

    *guess_scores* (the random-guess score of each (lesson, question)), *options* (each
    choice question's (text, is_key) list) and *order* (position of each question in its
    bank) come from the banks; without them the random-guess score is blank, options are
    those chosen, and questions sort by id. *choice_types* (type name → the fixed names
    of its options, empty if lettered) come from the question types
    (``bankinfo.choice_types``): questions of those types get a distractor analysis
    (without them, none does).
    """
    import pandas as pd

    thresholds = thresholds or Thresholds()
    guess_scores = guess_scores or {}
    options = options or {}
    order = order or {}
    choice_types = choice_types or {}
    answers = answers.astype({"score": float, "attempt": "int64"})
    quiz_rows, question_frames, option_frames, sitting_frames, incomplete_rows = [], [], [], [], []
    types = answers.drop_duplicates(["lesson", "question_id"]).set_index(["lesson", "question_id"])["question_type"]
    answered = answers.groupby(["lesson", "question_id"])["learner"].nunique()
    for lesson in sorted(answers["lesson"].unique()):
        matrix, responses, incomplete = score_matrix(answers, lesson, view)
        incomplete_rows.append({"lesson": lesson, "learners_incomplete": incomplete})
        quiz_rows.append({"lesson": lesson, "learners": matrix.index.get_level_values("learner").nunique()
                          if len(matrix) else 0, **quiz_statistics(matrix)})
        if matrix.empty:
            continue
        items = item_statistics(matrix).reset_index()
        items.insert(0, "lesson", lesson)
        items.insert(2, "question_type", [types[(lesson, q)] for q in items["question_id"]])
        items.insert(3, "answered", [int(answered[(lesson, q)]) for q in items["question_id"]])
        items["random_guess"] = [guess_scores.get((lesson, q), math.nan) for q in items["question_id"]]
        question_frames.append(items)
        total = matrix.sum(axis=1)
        sitting_frames.append(pd.DataFrame({
            "lesson": lesson, "learner": matrix.index.get_level_values("learner"),
            "sitting": matrix.index.get_level_values("sitting"), "total": total.to_numpy(),
            "out_of": matrix.shape[1]}))
        for qid in matrix.columns:
            option_names = choice_types.get(types[(lesson, qid)])
            if option_names is None:
                continue
            table = option_statistics(responses[qid].tolist(), matrix[qid].to_numpy(),
                                      (total - matrix[qid]).to_numpy(), options.get((lesson, qid)),
                                      option_names or ())
            table.insert(0, "lesson", lesson)
            table.insert(1, "question_id", qid)
            option_frames.append(table)

    quiz_columns = ["lesson", "learners", "sittings", "questions", "mean", "median", "sd", "skewness", "kurtosis",
                    "alpha", "alpha_kind", "error_ratio", "sem"]
    quizzes = pd.DataFrame(quiz_rows).reindex(columns=quiz_columns)
    question_columns = ["lesson", "question_id", "question_type", "answered", "sittings", "facility", "sd",
                        "random_guess", "intended_weight", "effective_weight", "discrimination",
                        "discriminative_efficiency", "upper_lower"]
    questions = (pd.concat(question_frames, ignore_index=True) if question_frames
                 else pd.DataFrame(columns=question_columns))[question_columns]
    option_table = (pd.concat(option_frames, ignore_index=True) if option_frames
                    else pd.DataFrame(columns=["lesson", "question_id", "option", "text", "key", "chosen", "share",
                                               "mean_rest"]))
    if len(questions):
        position = [order.get((lesson, qid), len(order)) for lesson, qid in zip(questions["lesson"],
                                                                                  questions["question_id"])]
        questions = questions.assign(_pos=position).sort_values(["lesson", "_pos", "question_id"],
                                                               kind="mergesort").drop(columns="_pos")
        questions = questions.reset_index(drop=True)
    # Each question's option rows, found in one pass (filtering the whole table per question
    # cost a tenth of a second per analysis of the demo class).
    options_by_question: dict[tuple[str, str], list[Any]] = {}
    for option in option_table.itertuples(index=False):
        options_by_question.setdefault((option.lesson, option.question_id), []).append(option)
    questions["flags"] = [_flags(row, options_by_question.get((row.lesson, row.question_id), []), thresholds)
                          for row in questions.itertuples()]
    sittings = (pd.concat(sitting_frames, ignore_index=True) if sitting_frames
                else pd.DataFrame(columns=["lesson", "learner", "sitting", "total", "out_of"]))
    return ClassStatistics(view, quizzes, questions, option_table, sittings,
                           pd.DataFrame(incomplete_rows, columns=["lesson", "learners_incomplete"]), thresholds)


def _flags(row: Any, mine: Sequence[Any], limits: Thresholds) -> str:
    """The reasons to look at a question again, joined with "; " (empty: none); *mine*: its option rows."""
    reasons = []
    d, f, guess = row.discrimination, row.facility, row.random_guess
    if row.sd == 0 and row.sittings > 1:
        reasons.append(f"everyone scored the same ({f:.2f}): it cannot tell learners apart")
    elif not math.isnan(d):
        if d < limits.check_key_below:
            reasons.append(f"check the key: discrimination {d:.2f}")
        elif d < limits.weak_discrimination:
            reasons.append(f"weak discrimination: {d:.2f}")
    if f > limits.too_easy:
        reasons.append(f"too easy: facility {f:.2f}")
    elif f < limits.too_hard:
        reasons.append(f"too hard: facility {f:.2f}")
    if not math.isnan(guess) and f <= guess + limits.guess_margin:
        reasons.append(f"no better than guessing: facility {f:.2f}, random guess {guess:.2f}")
    if mine:
        # The best mean rest score among the keys (NaN ones skipped, as pandas' max does).
        key_rest = max((o.mean_rest for o in mine if o.key and not math.isnan(o.mean_rest)), default=math.nan)
        for option in mine:
            if option.key:
                continue
            if option.chosen == 0 and row.sittings >= limits.unused_option_min_sittings:
                reasons.append(f"distractor {option.option} chosen by no one")
            elif (option.chosen >= limits.strong_distractor_min_chosen and not math.isnan(key_rest)
                  and option.mean_rest > key_rest):
                reasons.append(f"distractor {option.option} attracts stronger learners (mean rest score "
                               f"{option.mean_rest:.2f} against {key_rest:.2f} for the key)")
    return "; ".join(reasons)
