"""Tests for backlessons.instructor.lms: gradebook CSVs for Moodle/Canvas, banks as Moodle XML and GIFT."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from backlessons.cli import main
from backlessons.instructor import lms
from backlessons.progress import EXPORT_COLUMNS
from backlessons.quiz import load_bank, shipped_banks

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "widgets"

# Every character GIFT or XML treats specially, in every text field, with a line break.
SPECIAL = 'a ~tilde =eq #hash {brace} colon: back\\slash <b>&amp;</b> "q" ]]> 50%'
SPECIAL_BANK = f"""\
format: 1
lesson: special-chars
title: "Special {{chars}}: ~=#"
questions:
  - id: sc-single
    type: single
    prompt: {SPECIAL!r}
    explanation: "line one\\nline two: ={{}}"
    sources: [swain2020]
    options:
      - {{text: {SPECIAL!r}, correct: true, feedback: "=right #1"}}
      - {{text: "-=wrong~", feedback: "{{no}}"}}
  - id: sc-multiple
    type: multiple
    prompt: "Pick ~ all = right"
    explanation: "#"
    sources: [swain2020]
    options:
      - {{text: "one: =1", correct: true, feedback: "a"}}
      - {{text: "two {{2}}", correct: true}}
      - {{text: "three #3", feedback: "c~"}}
  - id: sc-tf
    type: true_false
    prompt: "False: {{x}}"
    explanation: "e"
    sources: [swain2020]
    answer: false
    feedback_true: "No ~ it is false"
    feedback_false: "Yes = false"
  - id: sc-numeric
    type: numeric
    prompt: "How many #?"
    explanation: "n"
    sources: [swain2020]
    answer: -2.5
    tolerance: {{relative: 0.1}}
    ranges:
      - {{min: 0.1, max: 0.3, feedback: "close: {{}}"}}
      - {{min: 5, feedback: "open range"}}
  - id: sc-matching
    type: matching
    prompt: "Match ="
    explanation: "m"
    sources: [swain2020]
    pairs:
      - {{left: "a: 1", right: "x ~ y"}}
      - {{left: "b {{2}}", right: "#z"}}
      - {{left: "c\\\\d", right: "w="}}
    distractors: ["extra ="]
"""


# --------------------------------------------------------------------------------------
# Gradebook


def write_results(path: Path, rows: list[tuple[str, str, str, float]]) -> Path:
    """A merged class file: (learner, lesson, question_id, score) per answer."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for n, (learner, lesson, qid, score) in enumerate(rows, start=1):
            writer.writerow([1, learner, lesson, qid, "single", "0", "A", score == 1, score, n,
                             "2026-03-01T09:30:00+00:00", "0.1"])
    return path


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def class_csv(tmp_path: Path) -> Path:
    ids = load_bank("01_causes").ids
    return write_results(tmp_path / "class.csv", [
        ("ann", "01_causes", ids[0], 0.0),
        ("ann", "01_causes", ids[0], 1.0),  # best attempt counts
        ("ann", "01_causes", ids[1], 0.5),
        ("=HYPERLINK(\"x\")", "01_causes", ids[0], 1.0),
        ("bob", "my-own-bank", "q1", 1.0),  # no shipped bank: questions anyone answered
        ("ann", "my-own-bank", "q2", 0.5),
    ])  # fmt: skip


def test_lesson_scores_use_the_bank_and_best_attempts(class_csv):
    """Is a lesson score 100 × the mean best score over the lesson's questions, unanswered counting 0?"""
    learners, lessons, percent = lms.lesson_scores(lms._read_answers(class_csv))
    n = len(load_bank("01_causes").ids)
    assert learners == ['=HYPERLINK("x")', "ann", "bob"] and lessons == ["01_causes", "my-own-bank"]
    assert percent[("ann", "01_causes")] == round(100 * 1.5 / n, 2)
    assert percent[("bob", "01_causes")] == 0.0
    assert percent[("ann", "my-own-bank")] == 25.0 and percent[("bob", "my-own-bank")] == 50.0


def test_moodle_gradebook_layout(class_csv):
    """Does the Moodle file have a Username column, one column per lesson, and neutralised cells?"""
    rows = read_csv(lms.gradebook_csv(class_csv, "moodle"))
    assert rows[0][0] == "Username" and rows[0][1].startswith("backlessons: ") and rows[0][2] == "backlessons: my-own-bank"
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"x\")", "ann", "bob"]
    assert rows[2][1:] == [str(round(100 * 1.5 / len(load_bank("01_causes").ids), 2)), "25.0"]


def test_canvas_gradebook_layout(class_csv):
    """Does the Canvas file start with Canvas's five columns and a Points Possible row?"""
    rows = read_csv(lms.gradebook_csv(class_csv, "canvas"))
    assert rows[0][:5] == list(lms.CANVAS_FIXED_COLUMNS) and len(rows[0]) == 7
    assert rows[1] == ["    Points Possible", "", "", "", "", "100", "100"]
    bob = next(r for r in rows[2:] if r[0] == "bob")
    assert bob[:5] == ["bob", "", "", "bob", ""] and bob[5:] == ["0.0", "50.0"]
    assert rows[2][0] == rows[2][3] == "'=HYPERLINK(\"x\")"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("learner,lesson,score\nann,01_causes,1\n", r"class\.csv:1: header: missing column\(s\) question_id"),
        (",".join(EXPORT_COLUMNS) + "\n1,ann,01_causes,q1,single,0,A,true,lots,1,t,0.1\n",
         r"class\.csv:2: question q1: score: 'lots' is not a number"),
        (",".join(EXPORT_COLUMNS) + "\n1,ann,01_causes,q1,single,0,A,true,1.5,1,t,0.1\n",
         r"class\.csv:2: question q1: score: 1.5 is not between 0 and 1"),
        (",".join(EXPORT_COLUMNS) + "\n1,,01_causes,q1,single,0,A,true,1,1,t,0.1\n",
         r"class\.csv:2: question q1: learner: is empty"),
        (",".join(EXPORT_COLUMNS) + "\n", r"class\.csv: no answers"),
    ],
)
def test_gradebook_bad_input_names_file_line_question_and_field(tmp_path, content, message):
    """Is a bad class file reported with file, line, question id and field?"""
    path = tmp_path / "class.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(lms.GradebookError, match=message):
        lms.gradebook_csv(path, "moodle")


def test_cli_gradebook(class_csv, tmp_path, capsys):
    """Does `results gradebook` write the file, and exit 1 with a message for a missing one?"""
    out = tmp_path / "moodle.csv"
    assert main(["results", "gradebook", str(class_csv), "--format", "moodle", "--out", str(out)]) == 0
    assert read_csv(out.read_text(encoding="utf-8"))[0][0] == "Username"
    assert main(["results", "gradebook", str(tmp_path / "nope.csv"), "--format", "canvas", "--out", str(out)]) == 1
    assert "nope.csv: cannot read" in capsys.readouterr().err


# --------------------------------------------------------------------------------------
# Banks: what each question should look like after a round trip


def _round(x: float) -> float:
    return round(float(x), 9)


def expected(bank: Any, fmt: str) -> dict[str, dict[str, Any]]:
    """Every exported question, keyed by name, in the form the parsers below give back."""
    out: dict[str, dict[str, Any]] = {}

    def add(name: str, prompt: str, q: Any) -> None:
        item: dict[str, Any] = {"type": q.type, "prompt": prompt, "general": q.explanation or ""}
        if q.type in ("single", "multiple"):
            item["options"] = [(o.text, o.correct, o.feedback) for o in q.options]
        elif q.type == "true_false":
            item.update(answer=q.answer, feedback_true=q.feedback_true, feedback_false=q.feedback_false)
        elif q.type == "numeric":
            item.update(answer=_round(q.answer), margin=_round(q.tolerance.margin(q.answer)),
                        ranges=[(_round(r.low), _round(r.high), r.feedback) for r in q.ranges
                                if r.low is not None and r.high is not None],
                        unit=q.unit if fmt == "moodle-xml" else "")
        elif q.type == "matching":
            item.update(pairs=[(p.left, p.right) for p in q.pairs],
                        distractors=list(q.distractors) if fmt == "moodle-xml" else [])
        out[name] = item

    for q in bank.questions:
        if q.type == "case":
            for part in q.parts:
                add(f"{q.id}/{part.id}", f"{q.vignette}\n\n{part.prompt}", part)
        elif q.type != "ordering":
            add(q.id, q.prompt, q)
    return out


# --------------------------------------------------------------------------------------
# Moodle XML, read back with ElementTree


def _t(element: ET.Element | None, path: str = "text") -> str:
    found = element.find(path) if element is not None else None
    return (found.text or "") if found is not None else ""


def parse_moodle_xml(text: str) -> dict[str, dict[str, Any]]:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "quiz"
    out: dict[str, dict[str, Any]] = {}
    for question in root.findall("question"):
        kind = question.get("type")
        if kind == "category":
            continue
        name = _t(question.find("name"))
        item: dict[str, Any] = {"prompt": _t(question.find("questiontext")), "general": _t(question.find("generalfeedback"))}
        assert question.find("questiontext").get("format") == "markdown"
        answers = question.findall("answer")
        if kind == "multichoice":
            single = _t(question, "single") == "true"
            item["type"] = "single" if single else "multiple"
            item["options"] = [(_t(a), float(a.get("fraction")) > 0, _t(a.find("feedback"))) for a in answers]
            fractions = [float(a.get("fraction")) for a in answers]
            assert abs(sum(f for f in fractions if f > 0) - 100) < 0.01
        elif kind == "truefalse":
            by_text = {_t(a): a for a in answers}
            item.update(type="true_false", answer=float(by_text["true"].get("fraction")) == 100,
                        feedback_true=_t(by_text["true"].find("feedback")),
                        feedback_false=_t(by_text["false"].find("feedback")))
        elif kind == "numerical":
            key = [a for a in answers if a.get("fraction") == "100"]
            assert len(key) == 1
            item.update(type="numeric", answer=_round(_t(key[0])), margin=_round(_t(key[0], "tolerance")),
                        ranges=[(_round(float(_t(a)) - float(_t(a, "tolerance"))),
                                 _round(float(_t(a)) + float(_t(a, "tolerance"))), _t(a.find("feedback")))
                                for a in answers if a.get("fraction") == "0"],
                        unit=_t(question, "units/unit/unit_name"))
        elif kind == "matching":
            subs = [(_t(s), _t(s.find("answer"))) for s in question.findall("subquestion")]
            item.update(type="matching", pairs=[s for s in subs if s[0]], distractors=[r for left, r in subs if not left])
        else:
            raise AssertionError(f"unexpected question type {kind}")
        out[name] = item
    return out


# --------------------------------------------------------------------------------------
# GIFT, read back with a small parser


def gift_unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _split_unescaped(text: str, separator: str) -> list[str]:
    parts, buf, i = [], [], 0
    while i < len(text):
        if text[i] == "\\":
            buf.append(text[i:i + 2])
            i += 2
        elif text.startswith(separator, i):
            parts.append("".join(buf))
            buf, i = [], i + len(separator)
        else:
            buf.append(text[i])
            i += 1
    parts.append("".join(buf))
    return parts


def _tokens(body: str) -> list[tuple[str, str]]:
    """(marker, raw text) of the answer block: markers '=', '~', '#', '####', '' (leading text)."""
    tokens: list[tuple[str, str]] = []
    marker, buf, i = "", [], 0

    def flush() -> None:
        if marker or "".join(buf).strip():
            tokens.append((marker, "".join(buf).strip()))

    while i < len(body):
        if body[i] == "\\":
            buf.append(body[i:i + 2])
            i += 2
            continue
        step = 4 if body.startswith("####", i) else 1
        if body[i] in "=~#":
            flush()
            marker, buf, i = body[i:i + step], [], i + step
            continue
        buf.append(body[i])
        i += 1
    flush()
    return tokens


def parse_gift(text: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith(("//", "$CATEGORY:"))]
        block = "\n".join(lines).strip()
        if not block:
            continue
        assert block.startswith("::")
        _, name, rest = _split_unescaped(block, "::")
        assert rest.startswith("[markdown]")
        head, tail = _split_unescaped(rest[len("[markdown]"):], "{")
        body = tail.rstrip()
        assert body.endswith("}") and not body.endswith("\\}")
        item: dict[str, Any] = {"prompt": gift_unescape(head.rstrip(" ")), "general": ""}
        tokens = _tokens(body[:-1])
        general = [raw for marker, raw in tokens if marker == "####"]
        item["general"] = gift_unescape(general[0]) if general else ""
        tokens = [t for t in tokens if t[0] != "####"]
        if tokens[0] == ("", "TRUE") or tokens[0] == ("", "FALSE"):
            answer = tokens[0][1] == "TRUE"
            wrong, right = (gift_unescape(raw) for _, raw in tokens[1:3])
            item.update(type="true_false", answer=answer,
                        feedback_true=right if answer else wrong, feedback_false=wrong if answer else right)
        elif tokens[0] == ("#", ""):
            answers: list[list[str]] = []
            for marker, raw in tokens[1:]:
                if marker == "=":
                    answers.append([raw, ""])
                else:
                    answers[-1][1] = gift_unescape(raw)
            key_value, key_margin = answers[0][0].split(":")
            ranges = []
            for raw, feedback in answers[1:]:
                middle, half = re.fullmatch(r"%0%(.+):(.+)", raw).groups()
                ranges.append((_round(float(middle) - float(half)), _round(float(middle) + float(half)), feedback))
            item.update(type="numeric", answer=_round(key_value), margin=_round(key_margin), ranges=ranges, unit="")
        elif any("->" in raw for _, raw in tokens):
            pairs = []
            for marker, raw in tokens:
                left, right = raw.split(" -> ", 1)
                pairs.append((gift_unescape(left), gift_unescape(right)))
            item.update(type="matching", pairs=pairs, distractors=[])
        else:
            options: list[list[Any]] = []
            weighted = False
            for marker, raw in tokens:
                if marker in "=~":
                    weight = re.match(r"%(-?[\d.]+)%", raw)
                    weighted = weighted or bool(weight)
                    text_part = raw[weight.end():] if weight else raw
                    correct = float(weight.group(1)) > 0 if weight else marker == "="
                    options.append([gift_unescape(text_part), correct, ""])
                else:
                    options[-1][2] = gift_unescape(raw)
            item.update(type="multiple" if weighted else "single", options=[tuple(o) for o in options])
        out[gift_unescape(name)] = item
    return out


# --------------------------------------------------------------------------------------


def _banks(tmp_path: Path) -> list[Any]:
    special = tmp_path / "special.yaml"
    special.write_text(SPECIAL_BANK, encoding="utf-8")
    paths = [*shipped_banks(), FIXTURES / "every-question-type.yaml", FIXTURES / "html-payloads-in-every-field.yaml", special]
    return [load_bank(p) for p in paths]


@pytest.mark.parametrize("fmt", lms.BANK_FORMATS)
def test_every_bank_round_trips(tmp_path, fmt):
    """Read back, does every shipped bank (and the special-character ones) keep prompts, options, keys and feedback?"""
    parse = parse_moodle_xml if fmt == "moodle-xml" else parse_gift
    writer = lms.bank_to_moodle_xml if fmt == "moodle-xml" else lms.bank_to_gift
    for bank in _banks(tmp_path):
        text, notes = writer(bank)
        want = expected(bank, fmt)
        got = parse(text)
        assert list(got) == list(want), bank.path
        for name in want:
            assert got[name] == want[name], f"{bank.path}: {name}"
        ordering = [q.id for q in bank.questions if q.type == "ordering"]
        for qid in ordering:
            assert any(f"question {qid}: type: ordering" in note for note in notes)


def test_special_characters_and_left_out_fields_are_noted(tmp_path):
    """Are GIFT's special characters escaped, and are the open range, unit and distractors named in notes?"""
    bank = _banks(tmp_path)[-1]
    gift, gift_notes = lms.bank_to_gift(bank)
    assert r"a \~tilde \=eq \#hash \{brace\} colon\: back\\" in gift
    assert lms.gift_escape("c\\d") == "c\\\\d" and lms.gift_escape("a\nb") == "a\\nb"
    assert "line one\\nline two\\: \\=\\{\\}" in gift
    assert any("sc-numeric: ranges[2]: an open range" in n for n in gift_notes)
    assert any("sc-matching: distractors" in n for n in gift_notes)
    xml, xml_notes = lms.bank_to_moodle_xml(bank)
    assert "<b>" not in xml and "&lt;b&gt;&amp;amp;&lt;/b&gt;" in xml and "]]&gt;" in xml
    assert any("sc-numeric: ranges[2]" in n for n in xml_notes)
    assert not any("distractors" in n for n in xml_notes)


def test_cli_bank_export(tmp_path, capsys):
    """Does `bank export` write the file and print what was left out?"""
    out = tmp_path / "bank.xml"
    assert main(["bank", "export", "02_running_and_the_spine", "--format", "moodle-xml", "--out", str(out)]) == 0
    assert ET.parse(out).getroot().tag == "quiz"
    err = capsys.readouterr().err
    assert "note: " in err and "ordering" in err and f"Wrote {out}" in err
    assert main(["bank", "export", "01_causes", "--format", "gift"]) == 0
    assert capsys.readouterr().out.startswith("// backlessons bank 01_causes")
