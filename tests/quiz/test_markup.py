"""Markdown to safe HTML: raw HTML off, javascript: links refused, every bank text escaped."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from backlessons.markup import escape, inline_markdown, markdown
from backlessons.quiz import grade, load_bank

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '"><svg onload=alert(1)>',
    "[x](JaVaScRiPt:alert(1))",
    "<a href='javascript:alert(1)'>x</a>",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<iframe src=//evil.example></iframe>",
]


class _Tags(HTMLParser):
    """Collect every tag and attribute the browser would build from an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


SAFE_TAGS = {"p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "br", "hr", "blockquote",
             "h1", "h2", "h3", "h4", "h5", "h6"}


def assert_safe(rendered: str) -> None:
    parser = _Tags()
    parser.feed(rendered)
    for tag, attrs in parser.tags:
        assert tag in SAFE_TAGS, f"raw <{tag}> survived in {rendered!r}"
        for name, value in attrs:
            assert not name.startswith("on"), f"event handler {name} in {rendered!r}"
            if name in ("href", "src"):
                scheme = (value or "").strip().lower()
                assert not scheme.startswith(("javascript:", "vbscript:", "data:text")), rendered


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("render", [markdown, inline_markdown, escape])
def test_payload_renders_as_text(render, payload) -> None:
    """Does each attack payload come out with no live tag, handler or script link?"""
    assert_safe(render(payload))


def test_img_payload_is_visible_text() -> None:
    """Does '<img src=x onerror=alert(1)>' show up as the text &lt;img ...?"""
    assert markdown("<img src=x onerror=alert(1)>") == "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"
    assert inline_markdown("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"


def test_javascript_link_is_not_a_link() -> None:
    """Is a javascript: link left as plain text instead of becoming an <a href>?"""
    assert "<a" not in markdown("[x](javascript:alert(1))")
    assert "<a" not in inline_markdown("[click](javascript:void(0))")


def test_ordinary_markdown_still_works() -> None:
    """Are emphasis, safe links, lists and code still rendered?"""
    assert inline_markdown("**RR 0.55** and *exercise*") == "<strong>RR 0.55</strong> and <em>exercise</em>"
    assert markdown("[NICE](https://www.nice.org.uk/guidance/ng59)") == (
        '<p><a href="https://www.nice.org.uk/guidance/ng59">NICE</a></p>\n'
    )
    assert "<li>walk</li>" in markdown("- walk\n- run\n")
    assert inline_markdown("`x < y`") == "<code>x &lt; y</code>"


def test_inline_has_no_paragraph_wrapper() -> None:
    """Does inline_markdown leave out the <p> that markdown adds?"""
    assert markdown("hi") == "<p>hi</p>\n"
    assert inline_markdown("hi") == "hi"


def test_escape_quotes_for_attributes() -> None:
    """Does escape() make text safe inside a quoted attribute too?"""
    assert escape('"><svg onload=alert(1)>') == "&quot;&gt;&lt;svg onload=alert(1)&gt;"
    assert escape("it's") == "it&#x27;s"


def test_non_text_is_rendered_as_text() -> None:
    """Are None and numbers (YAML can produce them) rendered instead of raising?"""
    assert markdown(None) == ""  # type: ignore[arg-type]
    assert inline_markdown(2.5) == "2.5"  # type: ignore[arg-type]
    assert escape(None) == ""  # type: ignore[arg-type]


# --- every text field of every question type ------------------------------------------------


def _bank_with(payload: str) -> tuple[dict, list[str]]:
    """A bank with *payload* in every text field, and the list of every text placed."""
    placed: list[str] = []

    def t() -> str:
        # Numbered so the validator's "repeats an earlier option/item" checks do not fire.
        placed.append(f"{payload} {len(placed)}")
        return placed[-1]

    def common(qid: str, qtype: str, **extra) -> dict:
        return {"id": qid, "type": qtype, "prompt": t(), "explanation": t(), "sources": ["swain2020"],
                "objective": t(), "tags": [t()], **extra}

    options = [{"text": t(), "correct": True, "feedback": t()}, {"text": t(), "feedback": t()}]
    parts = [
        {"id": "p1", "type": "single", "prompt": t(), "explanation": t(),
         "options": [{"text": t(), "correct": True, "feedback": t()}, {"text": t(), "feedback": t()}]},
        {"id": "p2", "type": "ordering", "prompt": t(), "items": [t(), t(), t()]},
    ]
    bank = {
        "format": 1, "lesson": "payloads", "title": t(),
        "questions": [
            common("s", "single", options=options),
            common("m", "multiple", options=[dict(o, correct=True) for o in options]),
            common("tf", "true_false", answer=True, feedback_true=t(), feedback_false=t()),
            common("n", "numeric", answer=1, unit=t(), unit_aliases=[t()],
                   ranges=[{"min": 2, "feedback": t()}, {"max": 0, "feedback": t()}]),
            common("mt", "matching", pairs=[{"left": t(), "right": t(), "feedback": t()},
                                            {"left": t(), "right": t(), "feedback": t()}],
                   distractors=[t()]),
            common("o", "ordering", items=[t(), t(), t()]),
            common("c", "case", vignette=t(), parts=parts),
        ],
    }
    return bank, placed


def _strings(value: object):
    """Every string inside a question, walking dataclasses, tuples and parts."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _strings(item)


WRONG_RESPONSES = {"s": 1, "m": [0], "tf": False, "n": "5", "mt": {0: 1, 1: 2}, "o": [2, 1, 0],
                   "c": {"p1": 1, "p2": [2, 1, 0]}}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_text_field_renders_safely(tmp_path: Path, payload: str) -> None:
    """With an attack in every text field of every type, does everything shown stay inert?"""
    path = tmp_path / "payloads.yaml"
    data, placed = _bank_with(payload)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    bank = load_bank(path)
    texts = [bank.title]
    for question in bank.questions:
        texts.extend(_strings(question))
        result = grade(question, WRONG_RESPONSES[question.id])
        assert result.valid, result
        texts.extend(result.feedback)
        texts.extend(text for _, part in result.parts for text in part.feedback)
    # Every placed text reached the model unchanged (so every field below was really checked).
    assert set(placed) <= set(texts)
    for text in texts:
        for render in (markdown, inline_markdown, escape):
            assert_safe(render(text))
