"""Course map, tables and reference lists: escaped HTML and deterministic text."""

from __future__ import annotations

import re

import pytest

from backlessons import content
from backlessons.display import course_map, format_reference, lesson_reference_keys, references, table
from backlessons.errors import ContentError
from backlessons.quiz import load_bank


def test_reference_format_skips_empty_fields():
    """Is a reference 'Authors (year). Title. Journal volume:pages.' with empty fields left out?"""
    refs = content.references()
    untitled = [k for k in refs.index if not str(refs.loc[k, "title"] or "").strip()]
    assert untitled, "references.csv has no untitled entry to test with"
    for key in untitled:
        text = format_reference(key)
        assert ". ." not in text and "nan" not in text and text.endswith(".")
    assert format_reference("keller1996").startswith("Keller TS et al. (1996). ")
    assert format_reference("no_such_key") == "[no_such_key]"


def test_lesson_references_cover_claims_bank_and_datasets():
    """Does a lesson's list hold its claims' sources, its bank's sources and its datasets' sources?"""
    keys = set(lesson_reference_keys("01_causes"))
    for claim_id in ("C1", "C2", "C4"):
        assert set(content.claim(claim_id).sources) <= keys
    bank_keys = {k for q in load_bank("01_causes").questions for k in q.sources}
    assert bank_keys <= keys
    assert "brinjikji2015" in keys  # imaging_findings dataset


def test_references_sorted_and_escaped():
    """Is the rendered list sorted alphabetically and deterministic?"""
    rendered = references("02_running_and_the_spine")
    lines = rendered.plain.splitlines()[1:]
    assert lines == sorted(lines, key=str.casefold)
    assert rendered.html.count("<li") == len(lines) == len(rendered.keys)
    assert rendered._repr_mimebundle_() == references("02_running_and_the_spine")._repr_mimebundle_()


def test_references_from_explicit_keys():
    """Does an explicit key list render just those references, unknown keys escaped?"""
    rendered = references(["wilke1999", "<x>"])
    assert rendered.keys == ("<x>", "wilke1999")  # "[<x>]" sorts before "Wilke …"
    assert "&lt;x&gt;" in rendered.html and "<x>" not in rendered.html
    assert "Wilke HJ" in rendered.plain


def test_unknown_lesson_is_a_content_error():
    """Is an unknown lesson id one clear ContentError?"""
    with pytest.raises(ContentError, match="no such lesson"):
        references("99_nothing")


@pytest.mark.parametrize("name", ["causes_treatments", "red_flags", "claims", *content.dataset_names()])
def test_tables_are_escaped_html(name):
    """Is every table a <table> with one row per data row and no unescaped cell text?"""
    rendered = table(name)
    frame = content.dataset(name) if name in content.dataset_names() else getattr(content, name)()
    assert rendered.html.count("<tr>") == len(frame) + 1
    assert rendered.plain == f"Table: {name} ({len(frame)} rows × {len(frame.columns)} columns)"
    # Only our own tags: every '<' starts a known table tag.
    assert set(re.findall(r"<(/?\w+)", rendered.html)) <= {
        "div", "/div", "table", "/table", "thead", "/thead", "tbody", "/tbody", "tr", "/tr", "th", "/th", "td", "/td"}


def test_claims_table_has_ids():
    """Does the claims table show claim ids in its first column?"""
    assert re.search(r'<th scope="row"[^>]*>C1</th>', table("claims").html)


def test_table_escapes_payload(monkeypatch):
    """Is HTML inside a data cell escaped?"""
    shipped = content.rows
    flags = shipped("red_flags")
    hostile = content.Rows(flags.table, [{**flags.records[0], "condition": "<script>x</script>"}])
    monkeypatch.setattr(content, "rows", lambda kind, name="", root=None: hostile if kind == "red_flags"
                        else shipped(kind, name, root))
    html = table("red_flags").html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html


def test_unknown_table_is_a_content_error():
    """Does an unknown table name list the choices in a ContentError?"""
    with pytest.raises(ContentError, match="causes_treatments"):
        table("nope")


def test_course_map_links_every_lesson():
    """Does the course map link each lesson's notebook, in order?"""
    rendered = course_map()
    ids = list(content.lessons()["id"])
    assert re.findall(r'href="([^"]+)\.ipynb"', rendered.html) == ids
    assert len(rendered.plain.splitlines()) == len(ids) + 1


@pytest.mark.parametrize("lesson", list(content.lessons()["id"]))
def test_every_lesson_reference_list_resolves(lesson):
    """Does every lesson's reference list resolve each key to a reference (no bare [key])?"""
    rendered = references(lesson)
    assert rendered.keys, lesson
    assert "bl-unknown-reference" not in rendered.html
    assert set(rendered.keys) <= set(content.reference_keys())
