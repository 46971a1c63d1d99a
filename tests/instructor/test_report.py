"""Tests for the class results report (Jinja2 page), its plots, the explorer and the demo class."""

from __future__ import annotations

import base64
from html.parser import HTMLParser

import pandas as pd
import pytest

from backlessons.errors import ContentError
from backlessons.instructor import report
from backlessons.instructor.report import analyse_class, render_report, report_html
from backlessons.progress import EXPORT_COLUMNS
from backlessons.quiz import load_bank, shipped_banks


def _class(learners: int = 6) -> pd.DataFrame:
    """A small class on lesson 'mini': three single-choice questions, one reversed."""
    rows = []
    for index in range(learners):
        strong = index < learners // 2
        for number, qid in enumerate(("q1", "q2", "q3")):
            right = strong if qid != "q3" else not strong
            rows.append({"format": 1, "learner": f"l{index}", "lesson": "mini", "question_id": qid,
                         "question_type": "single", "response": "0" if right else "1",
                         "response_text": "A. yes" if right else "B. no", "correct": right,
                         "score": float(right), "attempt": 1,
                         "time": f"2026-03-01T09:{index:02d}:{number:02d}+00:00", "backlessons_version": "0.1.0"})
    return pd.DataFrame(rows, columns=list(EXPORT_COLUMNS))


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.images: list[dict[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs))

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    return parser


def test_report_is_self_contained_with_png_plots_and_escaped_text(tmp_path):
    """Is the report one page with embedded PNG plots (histogram, item map, option bars), all text escaped?"""
    frame = _class()
    frame.loc[frame["learner"] == "l0", "learner"] = "<script>alert(1)</script>"
    frame.loc[frame["response_text"] == "B. no", "response_text"] = "<img src=x onerror=alert(2)>"
    path = tmp_path / "class.csv"
    path.write_text(frame.to_csv(index=False), encoding="utf-8")
    page = render_report(path)
    parsed = _parse(page)
    assert "script" not in parsed.tags
    alts = [image["alt"] for image in parsed.images]
    assert any(alt.startswith("Score distribution of mini: totals out of 3") for alt in alts)
    assert any(alt.startswith("Item map, all lessons: facility against discrimination") for alt in alts)
    # q3 is flagged (reversed key): its bars are drawn, and their text alternative gives the shares.
    assert "Share of sittings choosing each option of q3: A: 50% (key); B: 50%." in alts
    for image in parsed.images:
        assert image["src"].startswith("data:image/png;base64,")
        assert base64.b64decode(image["src"].split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert render_report(path) == page  # same data, same bytes


def test_report_shows_quiz_statistics_flags_options_and_a_small_class_caution():
    """Does the page carry the per-lesson statistics, the flag with its reason, the options and the caution?"""
    page = report_html(_class(), notes=["x.csv: note <b>"])
    text = " ".join(_parse(page).text)
    for heading in ("Each lesson's quiz (first attempts)", "Item map", "Questions worth a second look",
                    "Every question (all attempts)", "Options of the choice questions (distractor analysis)"):
        assert heading in text
    assert "KR-20" in text and "check the key: discrimination -1.00" in text
    assert "Small class: read the indices as hints." in text and "only 6 sitting(s)" in text
    assert "x.csv: note <b>" in text and "note &lt;b&gt;" in page
    assert "Moodle" in text


def test_report_thresholds_are_passed_through():
    """Does a custom threshold change the flags on the page and appear in the list of thresholds?"""
    page = report_html(_class(), thresholds=report.Thresholds(check_key_below=-2.0))
    assert "check the key" not in page and "check_key_below = -2.0" in page


def test_report_of_an_unusable_file_raises_content_error(tmp_path):
    """Is a report of a file that is not a results export refused with a ContentError naming it?"""
    path = tmp_path / "notes.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ContentError, match="notes.csv"):
        render_report(path)


def test_the_report_template_ships_with_the_package():
    """Is the Jinja2 template inside the package (so the wheel carries it), with autoescaping on?"""
    from importlib.resources import files

    assert (files("backlessons.instructor") / "templates" / "report.html.j2").is_file()
    assert report._environment().autoescape is True


def test_demo_class_answers_real_questions():
    """Does every answer of the shipped demo class name a question of a shipped bank?"""
    frame = report.load_class_results()
    assert frame["learner"].nunique() == 24
    known = {(lesson, qid) for lesson in shipped_banks() for qid in load_bank(lesson).ids}
    pairs = set(zip(frame["lesson"], frame["question_id"]))
    assert pairs <= known, sorted(pairs - known)[:5]


def test_demo_class_is_a_fresh_generation():
    """Is the committed demo class exactly what the generator makes now (regenerate after bank edits)?"""
    from backlessons.instructor.demo import generate_demo_class

    committed = report.demo_results_path().read_text(encoding="utf-8")
    assert committed == generate_demo_class(), (
        "regenerate with: backlessons results demo --out data/demo/class_results.csv")


def test_demo_class_has_partial_credit_second_attempts_and_dropouts():
    """Does the demo class show what the report is for: partial credit, retries, and learners who stopped?"""
    frame = report.load_class_results()
    assert ((frame["score"] > 0) & (frame["score"] < 1)).any()
    assert (frame["attempt"] > 1).any()
    lessons_per_learner = frame.groupby("learner")["lesson"].nunique()
    assert lessons_per_learner.min() < lessons_per_learner.max()


def test_questions_are_listed_in_bank_order():
    """Are each lesson's questions listed in the order of its shipped bank, as learners meet them?"""
    questions = analyse_class(report.load_class_results()).questions
    assert list(dict.fromkeys(questions["lesson"])) == sorted(set(questions["lesson"]))
    for lesson, rows in questions.groupby("lesson", sort=False):
        ids = load_bank(lesson).ids
        listed = rows["question_id"].tolist()
        assert listed == [qid for qid in ids if qid in listed], lesson


def test_option_texts_come_from_the_banks():
    """Do the demo class's option rows carry the bank's option text and key?"""
    options = analyse_class(report.load_class_results()).options
    row = options.iloc[0]
    question = load_bank(row["lesson"]).question(row["question_id"])
    texts = [option.text for option in question.options] if hasattr(question, "options") else ["True", "False"]
    assert row["text"] in texts


def test_explorer_filters_by_view_lesson_and_question():
    """Does the explorer show the chosen lesson, then the chosen question with its options, in either view?"""
    from backlessons.instructor.explorer import ALL, explore

    explorer = explore(_class())
    assert explorer.lesson.options == ("mini",)
    assert explorer.question.options == (ALL, "q1", "q2", "q3")
    rows, options = explorer.selection()
    assert rows["question_id"].tolist() == ["q1", "q2", "q3"] and options.empty
    explorer.question.value = "q3"
    rows, options = explorer.selection()
    assert rows["question_id"].tolist() == ["q3"]
    assert options["option"].tolist() == ["A", "B"]
    explorer.view.value = "all"
    assert explorer.stats.view == "all"
    assert "view all" in explorer._repr_mimebundle_()["text/plain"]
    assert len(explorer.output.outputs) == 1  # the tables and the plot, replaced on each change
    assert 'src="data:image/png;base64,' in explorer.output.outputs[0]["data"]["text/html"]


def test_explorer_analyses_a_view_when_it_is_first_shown(monkeypatch):
    """Does the explorer analyse the all-attempts view only once it is chosen (and only once), giving the
    same tables as analyse_class?"""
    from backlessons.instructor import explorer as module

    calls = []

    def counting(df, view="first", thresholds=None):
        calls.append(view)
        return analyse_class(df, view, thresholds)

    monkeypatch.setattr(module, "analyse_class", counting)
    explorer = module.explore(_class())
    assert calls == ["first"]
    explorer.view.value = "all"
    explorer.view.value = "first"
    explorer.view.value = "all"
    assert calls == ["first", "all"]
    pd.testing.assert_frame_equal(explorer.stats.questions, analyse_class(_class(), "all").questions)


def test_explorer_shows_keyboard_components_that_follow_its_values():
    """Does the explorer show its view as the package's radio group and its lesson and question as the
    package's named drop-downs (not ipywidgets' ToggleButtons and Dropdowns, which a screen reader or
    JupyterLab's arrow keys defeat), kept in step with `view`, `lesson` and `question` both ways?"""
    from backlessons.instructor.explorer import ALL, explore
    from backlessons.widgets.components import ChoiceGroup, TextSelect

    explorer = explore(_class())
    view_row, row, output = explorer.children
    label, view = view_row.children
    assert "View" in label.value and 'aria-hidden="true"' in label.value  # seen, not read twice
    assert isinstance(view, ChoiceGroup) and view is explorer.view_choice and output is explorer.output
    assert list(row.children) == [explorer.lesson_select, explorer.question_select]
    assert all(isinstance(w, TextSelect) for w in row.children)
    assert (view.legend, view.labels, view.value, view.multiple) == ("View", ["first attempts", "all attempts"], 0, False)
    lesson, question = explorer.lesson_select, explorer.question_select
    assert (lesson.description, lesson.labels, lesson.value, lesson.required) == ("Lesson", ["mini"], 0, True)
    assert (question.description, question.placeholder, question.labels) == ("Question", ALL, ["q1", "q2", "q3"])
    assert question.value is None and not question.required

    question.value = 2  # what the browser sends: the third question
    assert explorer.question.value == "q3"
    assert explorer.selection()[1]["option"].tolist() == ["A", "B"]
    assert "Options" in explorer.output.outputs[0]["data"]["text/html"]
    question.value = None  # back to the placeholder: the whole lesson
    assert explorer.question.value == ALL and explorer.selection()[1].empty
    explorer.question.value = "q2"  # the Python API moves the page's drop-down
    assert question.value == 1
    view.value = 1
    assert explorer.view.value == "all" and explorer.stats.view == "all"
    explorer.view.value = "first"
    assert view.value == 0


def test_explorer_question_drop_down_follows_the_chosen_lesson():
    """When another lesson is chosen in the page, does the question drop-down offer that lesson's questions,
    back on the whole lesson, and does choosing one of them reach `question`?"""
    from backlessons.instructor.explorer import ALL, explore

    two = pd.concat([_class(), _class().assign(lesson="other", question_id=lambda f: "o" + f["question_id"])])
    explorer = explore(two)
    assert explorer.lesson_select.labels == ["mini", "other"]
    explorer.question_select.value = 0
    assert explorer.question.value == "q1"
    explorer.lesson_select.value = 1  # what the browser sends
    assert explorer.lesson.value == "other" and explorer.question.value == ALL
    assert explorer.question_select.labels == ["oq1", "oq2", "oq3"] and explorer.question_select.value is None
    explorer.question_select.value = 1
    assert explorer.question.value == "oq2"
    assert explorer.selection()[0]["question_id"].tolist() == ["oq2"]
    explorer.lesson.value = "mini"
    assert explorer.lesson_select.value == 0 and explorer.question_select.labels == ["q1", "q2", "q3"]


def test_explorer_choices_sync_no_bank_text_or_key():
    """Do the page's view, lesson and question components carry only the view names and the lesson and
    question ids (escaped), never an option's text or which option is right?"""
    from backlessons.instructor.explorer import ALL, explore

    frame = _class()
    frame.loc[frame["question_id"] == "q1", "question_id"] = "<b>q1</b>"
    explorer = explore(frame)
    texts: set[str] = set()
    for widget in (explorer.view_choice, explorer.lesson_select, explorer.question_select):
        for name, value in widget.get_state().items():
            if not name.startswith("_"):  # _esm, _css, model and view names: the same for every use
                values = value if isinstance(value, list) else [value]
                texts |= {v for v in values if isinstance(v, str) and not v.startswith("IPY_MODEL_")}  # layout
    assert texts == {"View", "first attempts", "all attempts", "Lesson", "mini", "Choose…", "Question", ALL,
                     "&lt;b&gt;q1&lt;/b&gt;", "q2", "q3", ""}


def test_report_module_does_not_build_widgets():
    """Is the explorer kept out of report.py (the CLI report never imports ipywidgets)?"""
    import subprocess
    import sys

    code = ("import sys; import backlessons.instructor.report as r; "
            "r.report_html.__module__; print('ipywidgets' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False", done.stderr
