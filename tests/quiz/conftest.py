"""Shared helpers for the quiz engine tests: small banks written to a temporary folder."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest

from backlessons.quiz import Bank, load_bank

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "banks"
EVERY_TYPE = FIXTURES / "every_type.yaml"
INVALID = FIXTURES / "invalid"  # one bank per defect

HEADER = "format: 1\nlesson: test_bank\ntitle: A test bank\nquestions:\n"


@pytest.fixture
def write_bank(tmp_path: Path) -> Callable[[str], Path]:
    """Write a bank whose ``questions:`` list is *questions* (YAML, any indentation) and return its path."""
    counter = iter(range(10_000))

    def write(questions: str, header: str = HEADER) -> Path:
        path = tmp_path / f"bank{next(counter)}.yaml"
        path.write_text(header + textwrap.indent(textwrap.dedent(questions).strip("\n"), "  ") + "\n",
                        encoding="utf-8")
        return path

    return write


@pytest.fixture
def make_question(write_bank: Callable[[str], Path]):
    """Load a one-question bank from the YAML of that question and return the question."""

    def make(question: str):
        return load_bank(write_bank(question)).questions[0]

    return make


@pytest.fixture(scope="session")
def every_type() -> Bank:
    return load_bank(EVERY_TYPE)
