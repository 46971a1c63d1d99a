"""docs/question-bank.md: its examples validate and match tests/fixtures/banks/every_type.yaml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from backlessons.quiz import QUESTION_TYPES, validate_text

from .conftest import EVERY_TYPE

DOC = Path(__file__).resolve().parents[2] / "docs" / "question-bank.md"
HEADER = "format: 1\nlesson: doc_example\ntitle: Example\nquestions:\n"


def yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def question_blocks() -> list[str]:
    return [block for block in yaml_blocks() if block.startswith("- id:")]


def test_doc_has_a_whole_bank_and_one_example_per_type() -> None:
    """Does the doc show a whole bank plus one example question of every registered type?"""
    blocks = yaml_blocks()
    assert any(block.startswith("format: 1") for block in blocks)
    types = [yaml.safe_load(block)[0]["type"] for block in question_blocks()]
    assert sorted(types) == sorted(QUESTION_TYPES)


@pytest.mark.parametrize("block", yaml_blocks(), ids=lambda block: block.splitlines()[0])
def test_doc_example_validates(block: str) -> None:
    """Does every YAML example in the doc validate without problems?"""
    text = block if block.startswith("format:") else HEADER + "".join(f"  {line}\n" for line in block.splitlines())
    assert [str(p) for p in validate_text(text, path="question-bank.md")] == []


def test_doc_examples_are_the_every_type_fixture() -> None:
    """Are the doc's per-type examples exactly the questions of every_type.yaml (so they cannot drift)?"""
    in_doc = [yaml.safe_load(block)[0] for block in question_blocks()]
    in_fixture = yaml.safe_load(EVERY_TYPE.read_text(encoding="utf-8"))["questions"]
    assert in_doc == in_fixture


def test_doc_mentions_every_field_of_every_type() -> None:
    """Is every field a bank may use named in the doc?"""
    from backlessons.quiz.model import COMMON_FIELDS
    from backlessons.quiz.numeric import RANGE_FIELDS
    from backlessons.quiz.single import OPTION_FIELDS
    from backlessons.quiz.matching import PAIR_FIELDS
    from backlessons.quiz.bank import BANK_FIELDS

    text = DOC.read_text(encoding="utf-8")
    fields = {*COMMON_FIELDS, *RANGE_FIELDS, *OPTION_FIELDS, *PAIR_FIELDS, *BANK_FIELDS,
              *(f for qtype in QUESTION_TYPES.values() for f in qtype.fields)}
    missing = sorted(f for f in fields if f"`{f}`" not in text)
    assert missing == []
