"""Tests for backlessons.instructor.report: class statistics checked against values worked out by hand."""

from __future__ import annotations

import base64
from html.parser import HTMLParser

import pandas as pd
import pytest

from backlessons.errors import ContentError
from backlessons.instructor import report
from backlessons.instructor.report import class_statistics, render_report
from backlessons.progress import EXPORT_COLUMNS
from backlessons.quiz import load_bank, shipped_banks

# A tiny class: 4 learners x 3 questions of lesson "mini". Each tuple is
# (learner, question, attempt, correct, response_text). Worked out by hand below.
TINY = [
    ("ann", "q1", 1, True, "A"), ("ann", "q2", 1, True, "A"), ("ann", "q3", 1, True, "A"),
    ("bob", "q1", 1, True, "A"), ("bob", "q2", 1, False, "B"), ("bob", "q2", 2, True, "A"),
    ("bob", "q3", 1, True, "A"),
    ("cat", "q1", 1, False, "B"), ("cat", "q1", 2, True, "A"), ("cat", "q2", 1, True, "A"),
    ("cat", "q3", 1, False, "C"), ("cat", "q3", 2, False, "B"),
    ("dan", "q1", 1, False, "C"), ("dan", "q1", 2, False, "B"), ("dan", "q1", 3, True, "A"),
    ("dan", "q2", 1, True, "A"),
]
# By hand:
# right at first attempt: ann q1 q2 q3 = 3; bob q1 q3 = 2; cat q2 = 1; dan q2 = 1.
# Ranking (score down, ties by name): ann, bob, cat, dan. Groups: round(0.27 * 4) = 1
# learner each: upper = ann, lower = dan (cat and dan tie; dan sorts last).
# q1: tried by 4, right first: ann, bob -> p = 0.5; right eventually 4/4 = 100%;
#     first right at attempts ann 1, bob 1, cat 2, dan 3 -> mean 1.75, median 1.5; 7 rows;
#     D = ann 1 - dan 0 = 1.
# q2: tried by 4, right first: ann, cat, dan -> p = 0.75; eventually 100%; attempts
#     1, 2, 1, 1 -> mean 1.25, median 1; 5 rows; D = ann 1 - dan 1 = 0.
# q3: tried by 3, right first: ann, bob -> p = 2/3; eventually 2/3; attempts 1, 1 ->
#     mean 1, median 1; 4 rows; D = ann 1 - dan (never tried: counts as not right) 0 = 1.
# Completion of "mini" (not shipped: the 3 questions seen): ann, bob, cat -> 3/4.
# Wrong answers, one count per learner and answer: q1 B (cat, dan) 2, C (dan) 1, out of
# 2 learners with a wrong answer; q2 B (bob) 1 of 1; q3 B 1, C 1 (cat) of 1.
EXPECTED = {
    # question: learners, attempts, difficulty, pct first, pct eventually, D, mean, median
    "q1": (4, 7, 0.5, 50.0, 100.0, 1.0, 1.75, 1.5),
    "q2": (4, 5, 0.75, 75.0, 100.0, 0.0, 1.25, 1.0),
    "q3": (3, 4, 2 / 3, 200 / 3, 200 / 3, 1.0, 1.0, 1.0),
}


def _tiny() -> pd.DataFrame:
    rows = []
    for minute, (learner, qid, attempt, correct, text) in enumerate(TINY):
        rows.append({"format": 1, "learner": learner, "lesson": "mini", "question_id": qid,
                     "question_type": "single", "response": "0", "response_text": text, "correct": correct,
                     "score": float(correct), "attempt": attempt,
                     "time": f"2026-03-01T09:{minute:02d}:00+00:00", "backlessons_version": "0.1.0"})
    return pd.DataFrame(rows, columns=list(EXPORT_COLUMNS))


@pytest.fixture(scope="module")
def stats() -> dict[str, pd.DataFrame]:
    return class_statistics(_tiny(), bank_questions={})


@pytest.mark.parametrize("qid", sorted(EXPECTED))
def test_item_analysis_matches_the_hand_computed_values(stats, qid):
    """Do learners, attempts, difficulty, % correct, discrimination and attempts-until-correct match the hand values?"""
    row = stats["questions"].set_index("question_id").loc[qid]
    learners, attempts, difficulty, first, eventually, discrimination, mean, median = EXPECTED[qid]
    assert row["learners"] == learners
    assert row["attempts"] == attempts
    assert row["difficulty"] == pytest.approx(difficulty)
    assert row["pct_correct_first"] == pytest.approx(first)
    assert row["pct_correct_eventually"] == pytest.approx(eventually)
    assert row["discrimination"] == pytest.approx(discrimination)
    assert row["attempts_mean"] == pytest.approx(mean)
    assert row["attempts_median"] == pytest.approx(median)


def test_groups_and_totals_match_the_hand_ranking(stats):
    """Are the learners' first-attempt totals and the upper/lower groups the ones worked out by hand?"""
    learners = stats["learners"].set_index("learner")
    assert learners["correct_first"].to_dict() == {"ann": 3, "bob": 2, "cat": 1, "dan": 1}
    assert learners["questions_answered"].to_dict() == {"ann": 3, "bob": 3, "cat": 3, "dan": 2}
    assert learners["group"].to_dict() == {"ann": "upper", "bob": "", "cat": "", "dan": "lower"}


def test_completion_uses_questions_seen_for_a_lesson_not_shipped(stats):
    """Is completion of an unshipped lesson the share of learners who answered every question seen?"""
    row = stats["completion"].set_index("lesson").loc["mini"]
    assert row["questions"] == 3 and row["question_count_from"] == "seen"
    assert row["learners_completed"] == 3 and row["learners_total"] == 4
    assert row["completion"] == pytest.approx(0.75)


def test_completion_uses_the_bank_size_when_the_lesson_has_a_bank():
    """With a bank of 4 questions, does nobody complete a lesson in which only 3 were answered?"""
    stats = class_statistics(_tiny(), bank_questions={"mini": ["q1", "q2", "q3", "q4"]})
    row = stats["completion"].set_index("lesson").loc["mini"]
    assert row["questions"] == 4 and row["question_count_from"] == "bank"
    assert row["learners_completed"] == 0 and row["completion"] == 0.0


def test_completion_of_a_shipped_lesson_counts_its_bank_questions():
    """Does a shipped lesson's completion count the questions of its shipped bank?"""
    lesson = shipped_banks()[1]
    ids = load_bank(lesson).ids
    rows = [{"format": 1, "learner": "ann", "lesson": lesson, "question_id": qid, "question_type": "single",
             "response": "0", "response_text": "A", "correct": True, "score": 1.0, "attempt": 1,
             "time": f"2026-03-01T09:{i:02d}:00+00:00", "backlessons_version": "0.1.0"} for i, qid in enumerate(ids)]
    rows += [dict(rows[0], learner="bob")]
    row = class_statistics(pd.DataFrame(rows))["completion"].set_index("lesson").loc[lesson]
    assert row["questions"] == len(ids) and row["question_count_from"] == "bank"
    assert row["learners_completed"] == 1 and row["completion"] == pytest.approx(0.5)


def test_distractors_match_the_hand_counts(stats):
    """Are the most chosen wrong answers counted once per learner, ranked, with their share?"""
    table = stats["distractors"]
    got = {(r.question_id, r.rank): (r.response_text, r.learners, round(r.share_of_wrong, 6))
           for r in table.itertuples()}
    assert got == {
        ("q1", 1): ("B", 2, 1.0), ("q1", 2): ("C", 1, 0.5),
        ("q2", 1): ("B", 1, 1.0),
        ("q3", 1): ("B", 1, 1.0), ("q3", 2): ("C", 1, 1.0),
    }


def test_one_learner_has_no_groups():
    """With a single learner, is discrimination left empty rather than computed from one person?"""
    one = _tiny()
    one = one[one["learner"] == "ann"]
    stats = class_statistics(one, bank_questions={})
    assert stats["questions"]["discrimination"].isna().all()


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "img":
            self.sources.append(dict(attrs)["src"])


def test_report_is_self_contained_with_png_plots_and_escaped_text(tmp_path):
    """Is the report one HTML page with embedded PNG plots, and is a name with HTML escaped?"""
    frame = _tiny()
    frame.loc[frame["learner"] == "ann", "learner"] = "<script>alert(1)</script>"
    frame.loc[frame["response_text"] == "B", "response_text"] = "<img src=x onerror=alert(2)>"
    path = tmp_path / "class.csv"
    frame.to_csv(path, index=False)
    page = render_report(path)
    parser = _Images()
    parser.feed(page)
    assert "script" not in parser.tags
    assert len(parser.sources) == 3
    for source in parser.sources:
        assert source.startswith("data:image/png;base64,")
        assert base64.b64decode(source.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert render_report(path) == page  # same data, same bytes


def test_report_of_an_unusable_file_raises_content_error(tmp_path):
    """Is a report of a file that is not a results export refused with a ContentError naming it?"""
    path = tmp_path / "notes.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ContentError, match="notes.csv"):
        render_report(path)


def test_demo_class_answers_real_questions():
    """Does every answer of the shipped demo class name a question of a shipped bank?"""
    frame = report.load_class_results()
    assert frame["learner"].nunique() == 24
    known = {(lesson, qid) for lesson in shipped_banks() for qid in load_bank(lesson).ids}
    pairs = set(zip(frame["lesson"], frame["question_id"]))
    assert pairs <= known, sorted(pairs - known)[:5]


def test_explorer_filters_by_lesson_and_question():
    """Does the explorer widget show only the chosen lesson's, then the chosen question's, rows?"""
    explorer = report.explore(_tiny())
    assert explorer.lesson.options == ("mini",)
    assert explorer.question.options == (explorer.ALL, "q1", "q2", "q3")
    rows, wrong = explorer.selection()
    assert rows["question_id"].tolist() == ["q1", "q2", "q3"]
    explorer.question.value = "q3"
    rows, wrong = explorer.selection()
    assert rows["question_id"].tolist() == ["q3"]
    assert wrong["response_text"].tolist() == ["B", "C"]
    assert "q3" in explorer._repr_mimebundle_()["text/plain"]
    assert len(explorer.output.outputs) == 1



def test_questions_are_listed_in_bank_order():
    """Are each lesson's questions listed in the order of its shipped bank, as learners meet them?"""
    stats = class_statistics(report.load_class_results())
    questions = stats["questions"]
    assert list(dict.fromkeys(questions["lesson"])) == sorted(set(questions["lesson"]))
    for lesson, rows in questions.groupby("lesson", sort=False):
        ids = load_bank(lesson).ids
        listed = rows["question_id"].tolist()
        assert listed == [qid for qid in ids if qid in listed], lesson
