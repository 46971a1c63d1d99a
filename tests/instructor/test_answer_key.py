"""Tests for backlessons.instructor.answer_key: keys for every shipped bank, safe HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from backlessons import content
from backlessons.errors import ContentError
from backlessons.instructor.answer_key import format_reference, render_answer_key, resolve_banks
from backlessons.quiz import load_bank, shipped_banks

from .conftest import FIXTURES, PAYLOAD_BANK

EVERY_TYPE = FIXTURES.parent / "banks" / "every_type.yaml"


class _Tags(HTMLParser):
    """Collects every start tag with its attributes, to see what a browser would build."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_question_of_every_shipped_bank_is_in_the_default_key(fmt):
    """Does the key without arguments list every question (and case part) of every shipped bank?"""
    key = render_answer_key([], fmt=fmt)
    for lesson in shipped_banks():
        bank = load_bank(lesson)
        assert bank.title.replace("'", "&#x27;") in key or bank.title in key
        for question in bank.questions:
            assert question.id in key, (lesson, question.id)
            for part in getattr(question, "parts", ()):
                assert part.id in key, (lesson, question.id, part.id)


def test_default_banks_follow_the_order_of_lessons_csv():
    """Are the banks of the default key in the order of lessons.csv?"""
    order = [lesson for lesson in content.lessons()["id"] if lesson in shipped_banks()]
    assert resolve_banks(None) == order
    key = render_answer_key(None)
    positions = [key.index(f"Bank `{lesson}`") for lesson in order]
    assert positions == sorted(positions)


def _section(key: str, qid: str) -> str:
    start = key.index(f"`{qid}`")
    following = key.find("\n### ", start)
    return key[start: following if following > 0 else len(key)]


def test_right_answers_of_every_type_are_stated():
    """Does the Markdown key give the right answer in the form each question type needs?"""
    key = render_answer_key([str(EVERY_TYPE)], fmt="md")
    single = _section(key, "posture-evidence")
    assert "Right option: B" in single
    assert "B. There is no consistent evidence that it causes low back pain" in single
    assert "B (right): " in single and "A (wrong): " in single

    multiple = _section(key, "nice-first-line")
    assert "Right options: A, B" in multiple
    assert "C (wrong): Spinal injections — NICE says do not offer spinal injections" in multiple

    true_false = _section(key, "runners-discs")
    assert "Answer: False" in true_false
    assert "If the learner answers True: Not so" in true_false

    numeric = _section(key, "exercise-education-rr")
    assert "Answer: 0.55 ± 0.01 (absolute); accepted 0.54 to 0.56" in numeric
    assert "Answers from 0.6 to 0.7: That is closer to exercise on its own" in numeric

    matching = _section(key, "claim-verdicts")
    assert "Exercise prevents low back pain episodes → supported" in matching
    assert "Running wears out the discs → contradicted" in matching
    assert "Distractors (match nothing): proven beyond doubt" in matching

    ordering = _section(key, "return-to-running")
    steps = ["1. Walk briskly", "2. Alternate walking", "3. Run easily", "4. Add longer"]
    assert [ordering.index(step) for step in steps] == sorted(ordering.index(step) for step in steps)

    case = key[key.index("`runner-with-pain`"):]
    assert "A 34-year-old recreational runner" in case
    assert "`stay-active`" in case and "`first-step`" in case
    assert "Answer: False" in case[case.index("`stay-active`"):]
    assert "Right option: A" in case[case.index("`first-step`"):]


def test_numeric_relative_tolerance_and_unit(tmp_path):
    """Is a relative tolerance turned into the accepted range, with the unit on every number?"""
    bank = tmp_path / "relative.yaml"
    bank.write_text(
        "format: 1\nlesson: relative\ntitle: Relative\nquestions:\n"
        "  - id: grf\n    type: numeric\n    prompt: Peak force?\n    explanation: About 2.5.\n"
        "    sources: [cavanagh1980]\n    answer: 2.5\n    unit: BW\n    unit_aliases: [body weights]\n"
        "    tolerance: {relative: 0.1}\n",
        encoding="utf-8",
    )
    key = render_answer_key([str(bank)])
    assert "Answer: 2.5 BW ± 0.25 BW (10% of the answer); accepted 2.25 to 2.75 BW" in key
    assert "Unit also accepted as: body weights" in key


def test_sources_are_written_out_from_references_csv():
    """Are sources shown as authors, year and journal, not as bare keys?"""
    key = render_answer_key([str(EVERY_TYPE)])
    row = content.references().loc["steffens2016"]
    expected = format_reference("steffens2016", content.references())
    assert expected in key
    assert row["authors"] in expected and f"({row['year']})" in expected and row["journal"] in expected


def test_format_reference_leaves_out_empty_fields():
    """Does a reference without authors or pages read cleanly, with no empty brackets?"""
    text = format_reference("scoliosis2016", content.references())
    assert text.startswith("(2016). Scoliosis Spinal Disord 11:21")
    assert "()" not in text and ".." not in text
    assert format_reference("not-a-key", content.references()) == "[not-a-key]"


def test_answer_key_writes_each_reference_as_the_lessons_do():
    """Is every reference in the key the lessons' own text (display.format_reference) plus its key?"""
    from backlessons.display import format_reference as lesson_reference

    references = content.references()
    for key in references.index:
        assert format_reference(key, references) == f"{lesson_reference(key)} [{key}]", key


def test_bank_own_reference_reads_like_a_shipped_one(tmp_path):
    """Is a bank's own reference written by the same formatter (note capitalised, key added)?"""
    bank = tmp_path / "own.yaml"
    bank.write_text(
        "format: 1\nlesson: own\ntitle: Own\nreferences:\n"
        "  - {key: clinic2024, authors: Our clinic, year: 2024, note: internal audit report}\n"
        "questions:\n  - id: q1\n    type: true_false\n    prompt: P\n    explanation: E\n"
        "    sources: [clinic2024]\n    answer: true\n    feedback_true: a\n    feedback_false: b\n",
        encoding="utf-8",
    )
    key = render_answer_key([str(bank)])
    assert "- Our clinic (2024). Internal audit report. [clinic2024]" in key


def test_html_key_escapes_every_bank_text():
    """Does a <script> (or any other tag) typed into a bank come out as text in the HTML key?"""
    page = render_answer_key([str(PAYLOAD_BANK)], fmt="html")
    tags = _tags(page)
    names = {name for name, _ in tags}
    assert names <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "p", "div",
                     "section", "strong", "ul", "li", "code", "em", "nav", "a"}
    assert "script" not in names and "iframe" not in names and "img" not in names and "u" not in names
    assert [name for name, _ in tags].count("style") == 1  # ours, in the head
    for _, attrs in tags:
        assert not any(attr.startswith("on") for attr in attrs)
        assert not any("javascript:" in (value or "") for value in attrs.values())
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in page  # escaped by the template
    assert "&lt;script&gt;alert('option')&lt;/script&gt;" in page
    assert "&lt;iframe src=evil&gt;&lt;/iframe&gt;" in page


def test_html_key_is_one_self_contained_page():
    """Is the HTML key a complete page that loads nothing from elsewhere?"""
    page = render_answer_key(["01_causes"], fmt="html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for _, attrs in _tags(page):
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            assert not value or value.startswith("#"), value


def test_markdown_key_has_no_html():
    """Is the Markdown key plain text, free of HTML markup we added?"""
    key = render_answer_key(["01_causes"], fmt="md")
    assert not re.search(r"<(p|div|ul|li|h[1-6]|section|strong|code|span)\b", key)
    assert "**Answer:**" in key


def test_broken_bank_raises_one_error_naming_every_bank(tmp_path):
    """Is a ContentError raised that names each bank that does not load?"""
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 1\nlesson: broken\ntitle: Broken\nquestions: []\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        render_answer_key([str(broken), "no_such_lesson"])
    message = str(caught.value)
    assert "broken.yaml" in message and "no_such_lesson" in message


def test_unknown_format_is_refused():
    """Is an unknown output format refused with a message naming it?"""
    with pytest.raises(ValueError, match="pdf"):
        render_answer_key(["01_causes"], fmt="pdf")


def test_a_folder_of_banks_gives_every_bank_in_it(tmp_path):
    """Does a folder given as a bank stand for every .yaml bank in it, in name order?"""
    from backlessons.instructor.scaffold import new_bank

    new_bank("week2", directory=tmp_path)
    new_bank("week1", directory=tmp_path)
    assert resolve_banks([str(tmp_path)]) == [str(tmp_path / "week1.yaml"), str(tmp_path / "week2.yaml")]
    key = render_answer_key([str(tmp_path)])
    assert key.index("Bank `week1`") < key.index("Bank `week2`")


def test_html_key_escapes_hints_and_own_references():
    """Are a hint and the bank's own references with payloads printed as text in the HTML key?"""
    page = render_answer_key([str(PAYLOAD_BANK)], fmt="html")
    assert "Hint &lt;script&gt;alert('hint')&lt;/script&gt;" in page  # Markdown-rendered, raw HTML off
    assert "Author &lt;script&gt;alert(&#39;ref&#39;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(&#39;journal&#39;)&gt;" in page
    assert "<img" not in page and "<script" not in page


OWN_BANK = """format: 1
lesson: own_week
title: Own week
reveal: {after: correct}
references:
  - {key: clinic_audit2024, authors: Our clinic, year: 2024, title: Return to running, note: Internal report}
questions:
  - id: change
    type: numeric
    prompt: "By how many points did the score change?"
    explanation: "It fell by 14 points."
    sources: [clinic_audit2024]
    hint: "Look at the *direction* first."
    reveal: {after: tries, tries: 3}
    answer: -14
    direction: ignored
    ranges: [{min: 20, feedback: "Too far."}]
  - id: signed
    type: numeric
    prompt: "Change in points?"
    explanation: "A fall of 2."
    sources: [swain2020]
    answer: -2
    ranges: [{min: 0, feedback: "That is a rise."}]
"""


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_key_shows_hint_reveal_direction_and_own_references(tmp_path, fmt):
    """Does the key give each item's hint, reveal rule and sign rule, and write out the bank's own references?"""
    path = tmp_path / "own_week.yaml"
    path.write_text(OWN_BANK, encoding="utf-8")
    key = render_answer_key([str(path)], fmt=fmt)
    change = key[key.index("change"):key.index("signed")]
    assert "Look at the" in change and "direction" in change
    assert "after a correct answer or the 3rd try" in change
    assert "Direction ignored: 14 and -14 both count" in change
    assert "Our clinic (2024). Return to running. Internal report. [clinic_audit2024]" in change
    assert "the right answer appear only after a correct answer." in key  # the bank's rule
    assert "Direction matters: 2 is wrong, and its feedback says so" in key[key.index("signed"):]
    assert "own references" in key and key.count("Our clinic (2024)") == 2  # the bank's list and the source


def test_case_parts_do_not_repeat_the_reveal_rule():
    """Is the reveal rule stated on a case and not again on each of its parts?"""
    key = render_answer_key([str(EVERY_TYPE)], fmt="md")
    case = key[key.index("`runner-with-pain`"):]
    assert case.count("**Explanation and answer shown:**") == 1


def test_html_template_ships_in_the_package():
    """Is the answer-key template a file of the installed package (read through importlib.resources)?"""
    from importlib.resources import files

    from backlessons.instructor.answer_key import TEMPLATE

    assert (files("backlessons.instructor") / "templates" / TEMPLATE).is_file()
