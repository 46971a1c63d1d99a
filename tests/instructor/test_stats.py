"""Tests for backlessons.instructor.stats: every statistic against small data sets worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backlessons.instructor import stats
from backlessons.instructor.bankinfo import choice_types
from backlessons.instructor.stats import Thresholds, analyse, item_statistics, option_statistics, quiz_statistics
from backlessons.progress import EXPORT_COLUMNS
from backlessons.quiz import QUESTION_TYPES

# Four sittings, three questions, fractional scores. Worked out by hand:
#   q1 = 1, 1, 0, 0     q2 = 1, .5, .5, 0     q3 = 1, 0, 1, 0     totals T = 3, 1.5, 1.5, 0
# q1: facility .5; variance (n - 1) = 1/3, SD = .57735. Rest = T - q1 = 2, .5, 1.5, 0 (mean 1):
#     cov(q1, rest) = (.5*1 + .5*-.5 + -.5*.5 + -.5*-1) / 3 = 1/6; var(rest) = 2.5/3 = 5/6;
#     r = (1/6) / sqrt(1/3 * 5/6) = 1/sqrt(10) = .316228.
#     Sorted q1 0,0,1,1 with sorted rest 0,.5,1.5,2: cov = 1.5/3 = .5, so efficiency = (1/6)/.5 = 1/3.
#     Groups of round(.27 * 4) = 1: top by rest s1 (q1 = 1), bottom s4 (q1 = 0): upper-lower 1.
# q2: rest 2, 1, 1, 0: cov = 1/3, var(q2) = 1/6, var(rest) = 2/3, r = (1/3)/sqrt(1/9) = 1.
# Every question's covariance with T is .5, so effective weights are 1/3 each; intended 1/3.
# Test: mean 1.5, median 1.5, var(T) = 4.5/3 = 1.5, SD = 1.224745; symmetric, so skewness 0;
#     m2 = 1.125, m4 = 2.53125, k2 = 1.5, k4 = 16 (5 m4 - 9 m2^2) / 6 = 3.375, kurtosis = k4/k2^2 = 1.5.
#     Item variances 1/3 + 1/6 + 1/3 = 5/6; alpha = 3/2 (1 - (5/6)/1.5) = 2/3 (scores not all 0/1:
#     Cronbach's alpha); error ratio sqrt(1/3) = .57735; SEM = .57735 * 1.224745 = sqrt(.5).
FRACTIONAL = pd.DataFrame({"q1": [1, 1, 0, 0], "q2": [1, .5, .5, 0], "q3": [1, 0, 1, 0]}, dtype=float)


def test_item_statistics_of_fractional_scores_match_the_hand_values():
    """Do facility, SD, discrimination, efficiency, weights and the 27% index match the hand computation?"""
    items = item_statistics(FRACTIONAL)
    q1 = items.loc["q1"]
    assert q1["sittings"] == 4
    assert q1["facility"] == pytest.approx(0.5)
    assert q1["sd"] == pytest.approx(math.sqrt(1 / 3))
    assert q1["discrimination"] == pytest.approx(1 / math.sqrt(10))
    assert q1["discriminative_efficiency"] == pytest.approx(1 / 3)
    assert q1["upper_lower"] == pytest.approx(1.0)
    assert items.loc["q2", "facility"] == pytest.approx(0.5)
    assert items.loc["q2", "discrimination"] == pytest.approx(1.0)
    assert items["intended_weight"].tolist() == pytest.approx([1 / 3] * 3)
    assert items["effective_weight"].tolist() == pytest.approx([1 / 3] * 3)


def test_quiz_statistics_of_fractional_scores_match_the_hand_values():
    """Do mean, median, SD, skewness, kurtosis, alpha, error ratio and SEM match the hand computation?"""
    quiz = quiz_statistics(FRACTIONAL)
    assert quiz["sittings"] == 4 and quiz["questions"] == 3
    assert quiz["mean"] == pytest.approx(1.5) and quiz["median"] == pytest.approx(1.5)
    assert quiz["sd"] == pytest.approx(math.sqrt(1.5))
    assert quiz["skewness"] == pytest.approx(0.0, abs=1e-12)
    assert quiz["kurtosis"] == pytest.approx(1.5)
    assert quiz["alpha_kind"] == "Cronbach's alpha"
    assert quiz["alpha"] == pytest.approx(2 / 3)
    assert quiz["error_ratio"] == pytest.approx(math.sqrt(1 / 3))
    assert quiz["sem"] == pytest.approx(math.sqrt(0.5))


def test_right_or_wrong_scores_give_kr20():
    """With only 0/1 scores, is the coefficient KR-20, equal to the hand value?

    Totals 2, 1, 0: var 1; item variances 1/3 and 1/3; KR-20 = 2 (1 - 2/3) = 2/3.
    """
    quiz = quiz_statistics(pd.DataFrame({"a": [1, 1, 0], "b": [1, 0, 0]}, dtype=float))
    assert quiz["alpha_kind"] == "KR-20" and quiz["alpha"] == pytest.approx(2 / 3)
    assert quiz["skewness"] == pytest.approx(0.0, abs=1e-12)
    assert math.isnan(quiz["kurtosis"])  # needs four sittings


def test_skewness_of_a_lopsided_class_matches_the_k_statistics():
    """Is skewness k3 / k2^1.5 (Moodle's formula) for totals 0, 0, 0, 3?

    Mean .75; deviations -.75 x3, 2.25: m2 = 2.25*... by hand: m2 = (3*.5625 + 5.0625)/4 = 1.6875,
    m3 = (3*-.421875 + 11.390625)/4 = 2.53125; k2 = 4*1.6875/3 = 2.25; k3 = 16*2.53125/6 = 6.75;
    skewness = 6.75 / 2.25^1.5 = 2.
    """
    quiz = quiz_statistics(pd.DataFrame({"a": [0, 0, 0, 1], "b": [0, 0, 0, 1], "c": [0, 0, 0, 1]}, dtype=float))
    assert quiz["skewness"] == pytest.approx(2.0)


def test_a_constant_item_has_no_discrimination_and_is_flagged():
    """Does a question everyone got right have SD 0, no discrimination (NaN), and the flag saying why?"""
    matrix = pd.DataFrame({"same": [1, 1, 1, 1], "q2": [1, 0, 1, 0], "q3": [1, 1, 0, 0]}, dtype=float)
    items = item_statistics(matrix)
    assert items.loc["same", "sd"] == 0
    assert math.isnan(items.loc["same", "discrimination"])
    assert math.isnan(items.loc["same", "discriminative_efficiency"])
    result = analyse(_answers({"same": [1, 1, 1, 1], "q2": [1, 0, 1, 0], "q3": [1, 1, 0, 0]}))
    flags = result.questions.set_index("question_id").loc["same", "flags"]
    assert "everyone scored the same (1.00)" in flags and "too easy: facility 1.00" in flags


def test_a_single_learner_gets_scores_but_no_spread_statistics():
    """With one sitting, are facility and mean given, and every spread-based index NaN?"""
    matrix = pd.DataFrame({"q1": [1.0], "q2": [0.5]})
    items = item_statistics(matrix)
    assert items["facility"].tolist() == [1.0, 0.5]
    assert items[["sd", "discrimination", "discriminative_efficiency", "effective_weight", "upper_lower"]].isna().all().all()
    quiz = quiz_statistics(matrix)
    assert quiz["mean"] == 1.5 and quiz["median"] == 1.5
    assert all(math.isnan(quiz[key]) for key in ("sd", "skewness", "kurtosis", "alpha", "error_ratio", "sem"))


def test_a_class_where_everyone_scores_the_same_has_no_reliability():
    """When every total is equal (1 and 1), is alpha NaN rather than a division by zero, and r = -1?"""
    matrix = pd.DataFrame({"a": [1.0, 0.0], "b": [0.0, 1.0]})
    quiz = quiz_statistics(matrix)
    assert quiz["sd"] == 0 and math.isnan(quiz["alpha"]) and math.isnan(quiz["skewness"])
    items = item_statistics(matrix)
    assert items["discrimination"].tolist() == pytest.approx([-1.0, -1.0])
    assert items["effective_weight"].isna().all()  # Moodle leaves them out when a covariance is negative


def test_options_share_and_mean_rest_score_match_the_hand_counts():
    """Does each option get its share of sittings and the mean rest score of those who chose it?

    Responses 0, 0, 1, 2 with rest scores 3, 2, 1, 0: A (key) 2/4, rest 2.5; B 1/4, rest 1;
    C 1/4, rest 0; D chosen by no one.
    """
    table = option_statistics(["0", "0", "1", "2"], [1, 1, 0, 0], [3, 2, 1, 0],
                              [("yes", True), ("no", False), ("maybe", False), ("never", False)])
    assert table["option"].tolist() == ["A", "B", "C", "D"]
    assert table["text"].tolist() == ["yes", "no", "maybe", "never"]
    assert table["key"].tolist() == [True, False, False, False]
    assert table["chosen"].tolist() == [2, 1, 1, 0]
    assert table["share"].tolist() == pytest.approx([0.5, 0.25, 0.25, 0.0])
    assert table["mean_rest"].tolist()[:3] == pytest.approx([2.5, 1.0, 0.0])
    assert math.isnan(table["mean_rest"].iloc[3])


def test_multiple_choice_options_count_each_pick():
    """For a multiple-response question, does each option chosen in a set count once for that sitting?"""
    table = option_statistics(["[0,1]", "[0]", "[1,2]"], [1, 0.5, 0], [2, 1, 0])
    assert table["chosen"].tolist() == [2, 2, 1]
    assert table["key"].tolist() == [True, True, False]  # inferred from the full-mark answer
    assert table["mean_rest"].tolist() == pytest.approx([1.5, 1.0, 0.0])


def test_true_false_options_are_named_true_and_false():
    """For a true/false question, are the options True and False (the type's option names), read from the response text?

    Responses true, false, True, maybe with scores 1, 0, 1, 0 and rest scores 3, 1, 2, 0:
    True (key, inferred from full marks) 2/4, rest 2.5; False 1/4, rest 1; "maybe" is no pick.
    """
    names = QUESTION_TYPES["true_false"].option_names
    table = option_statistics(["true", "false", "True", "maybe"], [1, 0, 1, 0], [3, 1, 2, 0], option_names=names)
    assert table["option"].tolist() == ["True", "False"]
    assert table["text"].tolist() == ["True", "False"]
    assert table["key"].tolist() == [True, False]
    assert table["chosen"].tolist() == [2, 1]
    assert table["share"].tolist() == pytest.approx([0.5, 0.25])
    assert table["mean_rest"].tolist() == pytest.approx([2.5, 1.0])


def _answers(columns: dict[str, list[float]], lesson: str = "mini", qtype: str = "single",
             responses: dict[str, list[str]] | None = None) -> pd.DataFrame:
    rows = []
    for qid, scores in columns.items():
        for index, score in enumerate(scores):
            response = responses[qid][index] if responses else "0"
            rows.append({"format": 1, "learner": f"l{index:02d}", "lesson": lesson, "question_id": qid,
                         "question_type": qtype, "response": response, "response_text": "", "correct": score == 1,
                         "score": float(score), "attempt": 1, "time": f"2026-03-01T09:{index:02d}:00+00:00",
                         "backlessons_version": "0.1.0"})
    return pd.DataFrame(rows, columns=list(EXPORT_COLUMNS))


def test_analyse_uses_first_attempts_and_the_all_attempts_view_adds_sittings():
    """Does the first view score each learner's first attempt, and the all view add a sitting per retry?

    l00 answers q1 wrong then right, q2 right: first view 0 and 1; all view sitting 1 = (0, 1),
    sitting 2 = (1, 1) (q2 carried forward). l01 right at once. So first facility q1 = 1/2,
    all view facility q1 = (0 + 1 + 1)/3 = 2/3.
    """
    frame = _answers({"q1": [0, 1], "q2": [1, 1]})
    retry = frame.iloc[[0]].assign(score=1.0, correct=True, attempt=2, time="2026-03-01T10:00:00+00:00")
    frame = pd.concat([frame, retry], ignore_index=True)
    first = analyse(frame, "first").questions.set_index("question_id")
    every = analyse(frame, "all").questions.set_index("question_id")
    assert first.loc["q1", "facility"] == pytest.approx(0.5) and first.loc["q1", "sittings"] == 2
    assert every.loc["q1", "facility"] == pytest.approx(2 / 3) and every.loc["q1", "sittings"] == 3


def test_incomplete_sittings_are_left_out_and_counted():
    """Is a learner who skipped a question left out of the lesson's statistics, and counted as incomplete?"""
    frame = _answers({"q1": [1, 0, 1], "q2": [1, 0, 0]})
    frame = frame[~((frame["learner"] == "l02") & (frame["question_id"] == "q2"))]
    result = analyse(frame)
    assert result.quizzes.loc[0, "sittings"] == 2
    assert result.incomplete.loc[0, "learners_incomplete"] == 1
    assert result.questions.loc[0, "answered"] == 3


def test_flags_give_reasons_with_numbers_and_thresholds_are_configurable():
    """Is a key-reversed question flagged 'check the key' with its value, and can the thresholds be changed?"""
    good = [1, 1, 1, 1, 0, 0, 0, 0]
    scores = {"q1": good, "q2": good, "q3": [1, 1, 1, 0, 1, 0, 0, 0], "rev": [0, 0, 0, 0, 1, 1, 1, 1]}
    result = analyse(_answers(scores))
    questions = result.questions.set_index("question_id")
    d = questions.loc["rev", "discrimination"]
    assert d < 0 and f"check the key: discrimination {d:.2f}" in questions.loc["rev", "flags"]
    assert questions.loc["q1", "discrimination"] > 0.2 and questions.loc["q1", "flags"] == ""
    strict = analyse(_answers(scores), thresholds=Thresholds(weak_discrimination=0.99, check_key_below=-2))
    flags = strict.questions.set_index("question_id")["flags"]
    assert flags["q1"].startswith("weak discrimination: ")
    assert "check the key" not in flags["rev"]


def test_distractor_flags_name_the_option():
    """Is an option no one chose, and one that stronger learners chose, flagged by its letter?"""
    n = 10
    scores = {"k": [1] * 5 + [0] * 5, "o1": [1] * 5 + [0] * 5, "o2": [1] * 4 + [0] * 6}
    # On "k": the weaker half picks B; C is never chosen.
    responses = {"k": ["0"] * 5 + ["1"] * 5, "o1": ["0"] * n, "o2": ["0"] * n}
    frame = _answers(scores, responses=responses)
    result = analyse(frame, options={("mini", "k"): [("right", True), ("b", False), ("c", False)]},
                     choice_types=choice_types())
    flags = result.questions.set_index("question_id").loc["k", "flags"]
    assert "distractor C chosen by no one" in flags
    assert result.flagged_choice_questions() == [("mini", "k")]
    assert result.options_of("mini", "k")["chosen"].tolist() == [5, 5, 0]
    reversed_responses = {"k": ["1"] * 5 + ["0"] * 5, "o1": ["0"] * n, "o2": ["0"] * n}
    scores_rev = {"k": [0] * 5 + [1] * 5, "o1": [1] * 5 + [0] * 5, "o2": [1] * 4 + [0] * 6}
    result = analyse(_answers(scores_rev, responses=reversed_responses),
                     options={("mini", "k"): [("right", True), ("b", False), ("c", False)]}, choice_types=choice_types())
    assert "distractor B attracts stronger learners" in result.questions.set_index("question_id").loc["k", "flags"]


def test_distractor_flags_read_only_the_options_of_their_own_lesson_and_question():
    """When two lessons share a question id, are each question's distractor flags read from its own options?"""
    n = 10
    scores = {"k": [1] * 5 + [0] * 5, "o1": [1] * 5 + [0] * 5, "o2": [1] * 4 + [0] * 6}
    picks_b = {"k": ["0"] * 5 + ["1"] * 5, "o1": ["0"] * n, "o2": ["0"] * n}  # C never chosen
    picks_c = {"k": ["0"] * 5 + ["2"] * 5, "o1": ["0"] * n, "o2": ["0"] * n}  # B never chosen
    frame = pd.concat([_answers(scores, lesson="mini", responses=picks_b),
                       _answers(scores, lesson="other", responses=picks_c)], ignore_index=True)
    three = [("right", True), ("b", False), ("c", False)]
    result = analyse(frame, options={("mini", "k"): three, ("other", "k"): three}, choice_types=choice_types())
    flags = result.questions.set_index(["lesson", "question_id"])["flags"]
    assert "distractor C chosen by no one" in flags[("mini", "k")] and "distractor B" not in flags[("mini", "k")]
    assert "distractor B chosen by no one" in flags[("other", "k")] and "distractor C" not in flags[("other", "k")]
    assert "distractor" not in flags[("mini", "o1")]


def test_only_questions_of_types_with_options_get_an_option_analysis():
    """Are the rows of a type with options (as the registry says) read as picks, and no others, nor any without the types?"""
    assert choice_types() == {name: qtype.option_names for name, qtype in QUESTION_TYPES.items()
                              if qtype.choice_options is not None}
    assert choice_types()["true_false"] == ("True", "False") and choice_types()["single"] == ()
    scores = {"q1": [1, 0, 1, 0], "q2": [1, 1, 0, 0]}
    picked = analyse(_answers(scores, qtype="single"), choice_types=choice_types())
    assert sorted(set(picked.options["question_id"])) == ["q1", "q2"]
    assert analyse(_answers(scores, qtype="ordering"), choice_types=choice_types()).options.empty
    assert analyse(_answers(scores, qtype="single")).options.empty  # without the types: no analysis
    true_false = analyse(_answers(scores, qtype="true_false", responses={"q1": ["true", "false", "true", "false"],
                                                                         "q2": ["true"] * 4}),
                         choice_types=choice_types())
    assert true_false.options_of("mini", "q1")["option"].tolist() == ["True", "False"]


def test_a_small_class_gets_a_caution():
    """Does a lesson with fewer than 20 sittings get a caution line, and one with 20 none?"""
    small = analyse(_answers({"q1": [1, 0] * 5, "q2": [0, 1] * 5}))
    assert len(small.cautions()) == 1 and "only 10 sitting(s)" in small.cautions()[0]
    big = analyse(_answers({"q1": [1, 0] * 10, "q2": [0, 1] * 10}))
    assert big.cautions() == []


def test_random_guess_scores_of_shipped_questions_follow_the_option_counts():
    """Is the random-guess score 1/options for single choice, .5 for true/false, 0 for numeric?"""
    from backlessons.instructor.bankinfo import random_guess_score
    from backlessons.quiz import load_bank, shipped_banks

    seen = set()
    for lesson in shipped_banks():
        for question in load_bank(lesson).questions:
            guess = random_guess_score(question)
            if question.type == "single":
                right = sum(option.correct for option in question.options)
                assert guess == pytest.approx(right / len(question.options))
            elif question.type == "true_false":
                assert guess == 0.5
            elif question.type == "numeric":
                assert guess == 0.0
            elif question.type in ("multiple", "matching", "ordering"):
                assert 0 < guess < 1
            seen.add(question.type)
    assert {"single", "true_false"} <= seen


# -- properties -----------------------------------------------------------------------------------

_SCORES = st.sampled_from([0.0, 0.25, 0.5, 1.0])


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 12).flatmap(lambda n: st.lists(st.lists(_SCORES, min_size=n, max_size=n), min_size=2,
                                                         max_size=6)))
def test_indices_stay_within_their_ranges(columns):
    """For any scores, are facility 0..1, discrimination -1..1, efficiency <= 1, weights summing to 1, alpha <= 1?"""
    matrix = pd.DataFrame({f"q{i}": column for i, column in enumerate(columns)})
    items = item_statistics(matrix)
    assert ((items["facility"] >= 0) & (items["facility"] <= 1)).all()
    d = items["discrimination"].dropna()
    assert ((d >= -1 - 1e-9) & (d <= 1 + 1e-9)).all()
    assert (items["discriminative_efficiency"].dropna() <= 1 + 1e-9).all()
    weights = items["effective_weight"]
    if weights.notna().all():
        assert weights.sum() == pytest.approx(1.0)
    assert items["intended_weight"].sum() == pytest.approx(1.0)
    quiz = quiz_statistics(matrix)
    assert math.isnan(quiz["alpha"]) or quiz["alpha"] <= 1 + 1e-9
    assert quiz["median"] >= 0 and quiz["mean"] <= len(columns)


@settings(max_examples=100, deadline=None)
@given(st.lists(_SCORES, min_size=2, max_size=15).filter(lambda xs: len(set(xs)) > 1), st.integers(2, 6))
def test_identical_items_have_alpha_one(column, copies):
    """Is alpha exactly 1 when every question gives the same scores (and > 0 variance)?"""
    matrix = pd.DataFrame({f"q{i}": column for i in range(copies)})
    assert quiz_statistics(matrix)["alpha"] == pytest.approx(1.0)


def test_the_statistics_module_is_pure():
    """Does stats import only pandas and numpy (no plotting, no HTML, no widgets)?"""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(stats.__file__).read_text(encoding="utf-8"))
    modules = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}
    modules |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and node.module}
    assert modules <= {"__future__", "json", "math", "dataclasses", "typing", "numpy", "pandas"}, modules
    assert np is not None
