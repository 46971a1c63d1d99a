"""The fields added for feedback that teaches: hint, reveal, numeric direction, a bank's own references."""

from __future__ import annotations

import pytest

from backlessons.quiz import grade, load_bank, validate_bank
from backlessons.quiz.model import DEFAULT_REVEAL, Reference, Reveal
from backlessons.quiz.numeric import WRONG_DIRECTION

from .conftest import FIXTURES, HEADER

SCHEMA = FIXTURES / "schema"  # one bank per defect in the new fields

# (fixture named after its defect, the exact lines validation prints; BANK stands for the path)
CASES = [
    ("reveal-not-a-mapping.yaml", [
        "BANK:5: question q1: reveal: must be a mapping like {after: tries, tries: 2}, not 'always'"
        " (did you mean {after: always}?)"]),
    ("reveal-unknown-after.yaml", ["BANK:4: reveal.after: 'sometimes' is not one of correct, tries, always"]),
    ("reveal-tries-out-of-range.yaml",
     ["BANK:5: question q1: reveal.tries: must be a whole number from 1 to 20, not 0"]),
    ("reveal-tries-without-after-tries.yaml",
     ["BANK:5: question q1: reveal.tries: counts only with after: tries, and after is 'correct'"]),
    ("reveal-on-case-part.yaml",
     ["BANK:12: question c1/p1: reveal: a case part follows its case's reveal rule; set reveal on the case"]),
    ("hint-not-text.yaml", ["BANK:5: question q1: hint: must be text, not a list"]),
    ("numeric-unknown-direction.yaml",
     ["BANK:5: question q1: direction: 'sometimes' is not one of matters, ignored"]),
    ("references-key-clashes-with-shipped.yaml",
     ["BANK:6: reference belavy2017: key: 'belavy2017' is already a key of the course's references.csv;"
      " pick another key"]),
    ("references-duplicate-key.yaml", ["BANK:6: reference own2024: key: 'own2024' is already used by references[0]"]),
    ("references-missing-year.yaml", ["BANK:5: reference own2024: year: is required: the year of publication"]),
    ("references-no-journal-or-note.yaml",
     ["BANK:5: reference own2024: journal: journal and note are both empty: give one, so a reader can find"
      " the source"]),
    ("references-not-a-list.yaml",
     ["BANK: references: must be a list of references (key, authors, year, title, journal, ...), not text"]),
]


@pytest.mark.parametrize(("name", "expected"), CASES, ids=[name for name, _ in CASES])
def test_invalid_new_field_message(name: str, expected: list[str]) -> None:
    """Does validation report exactly these lines (file:line: question: field: problem) for this defect?"""
    path = SCHEMA / name
    assert [str(p) for p in validate_bank(path)] == [line.replace("BANK", str(path)) for line in expected]


def test_every_schema_fixture_is_in_the_table() -> None:
    """Is every file in fixtures/banks/schema checked by the table above?"""
    assert sorted(p.name for p in SCHEMA.glob("*.yaml")) == sorted(name for name, _ in CASES)


TF = """
- id: {qid}
  type: true_false
  prompt: "Do runners have healthier discs?"
  explanation: "Runners' discs look healthy on MRI."
  sources: [belavy2017]
  answer: true
  feedback_true: "Right."
  feedback_false: "Look again."
{extra}"""


def test_defaults_are_two_tries_no_hint(make_question) -> None:
    """Without hint or reveal, is the hint empty and the rule 'after a correct answer or the 2nd try'?"""
    question = make_question(TF.format(qid="q1", extra=""))
    assert question.hint == ""
    assert question.reveal == DEFAULT_REVEAL == Reveal("tries", 2)
    assert question.reveal.describe() == "after a correct answer or the 2nd try"


def test_bank_rule_applies_and_a_question_overrides_it(write_bank) -> None:
    """Does a bank's reveal reach every question, except one that sets its own?"""
    questions = TF.format(qid="plain", extra="") + TF.format(qid="own", extra="  reveal: {after: always}\n")
    path = write_bank(questions, header=HEADER.replace("questions:", "reveal: {after: correct}\nquestions:"))
    bank = load_bank(path)
    assert bank.reveal == Reveal("correct", 2)
    assert bank.question("plain").reveal == Reveal("correct", 2)
    assert bank.question("own").reveal == Reveal("always", 2)


def test_tries_alone_means_after_tries(make_question) -> None:
    """Is `reveal: {tries: 3}` read as after a correct answer or the 3rd try?"""
    question = make_question(TF.format(qid="q1", extra="  reveal: {tries: 3}\n  hint: 'Think of *MRI*.'\n"))
    assert question.reveal == Reveal("tries", 3)
    assert question.hint == "Think of *MRI*."


def test_case_parts_follow_the_case_rule(make_question) -> None:
    """Do the parts of a case carry the case's reveal rule, and their own hints?"""
    case = make_question("""
        - id: c1
          type: case
          prompt: "Read the case."
          explanation: "Stay active."
          sources: [nice_ng59]
          reveal: {after: tries, tries: 3}
          hint: "Think about load."
          vignette: "A runner with back pain."
          parts:
            - id: p1
              type: true_false
              prompt: "Should she rest in bed?"
              hint: "What do guidelines say about bed rest?"
              answer: false
              feedback_true: "Bed rest does not help."
              feedback_false: "Right."
    """)
    assert case.parts[0].reveal == case.reveal == Reveal("tries", 3)
    assert case.parts[0].hint == "What do guidelines say about bed rest?"


def test_reveal_describes_every_rule() -> None:
    """Does each rule read as plain words for the answer key?"""
    assert Reveal("always").describe() == "after every Check"
    assert Reveal("correct").describe() == "only after a correct answer"
    assert Reveal("tries", 1).describe() == "after a correct answer or the 1st try"
    assert Reveal("tries", 3).describe() == "after a correct answer or the 3rd try"
    assert Reveal("tries", 11).describe() == "after a correct answer or the 11th try"


# --- numeric direction ----------------------------------------------------------------------

CHANGE = """
- id: change
  type: numeric
  prompt: "By how many points did the pain score change?"
  explanation: "It fell by 14 points."
  sources: [steffens2016]
  answer: -14
  tolerance: {absolute: 1}
  ranges:
    - {min: -30, max: -20, feedback: "A fall, but too large."}
"""


def test_direction_defaults_to_matters(make_question) -> None:
    """Is the sign graded by default, with feedback saying the direction matters?"""
    question = make_question(CHANGE)
    assert question.direction == "matters"
    assert grade(question, "-14").correct
    result = grade(question, "14")
    assert not result.correct
    assert result.feedback == (WRONG_DIRECTION,)


def test_wrong_sign_and_wrong_size_says_nothing_about_direction(make_question) -> None:
    """Is the direction message kept for a response that is right apart from its sign?"""
    question = make_question(CHANGE)
    assert WRONG_DIRECTION not in grade(question, "25").feedback
    assert grade(question, "-25").feedback == ("A fall, but too large.",)


@pytest.mark.parametrize("typed", ["-14", "14", "+14", "\u221214", "13.5", "-14.5", 14, -14])
def test_direction_ignored_grades_both_signs_alike(make_question, typed) -> None:
    """With direction: ignored, do -14 and 14 (and near values) both count?"""
    question = make_question(CHANGE + "  direction: ignored\n")
    assert question.direction == "ignored"
    result = grade(question, typed)
    assert result.correct
    assert WRONG_DIRECTION not in result.feedback


def test_direction_ignored_keeps_the_authors_ranges(make_question) -> None:
    """With direction: ignored, is 25 given the answer's sign, so the range for -30..-20 speaks?"""
    question = make_question(CHANGE + "  direction: ignored\n")
    assert grade(question, "25").feedback == ("A fall, but too large.",)
    assert grade(question, "-25").feedback == ("A fall, but too large.",)


def test_direction_ignored_with_a_zero_answer(make_question) -> None:
    """Does a zero answer with direction: ignored accept small values of either sign within tolerance?"""
    question = make_question(CHANGE.replace("answer: -14", "answer: 0") + "  direction: ignored\n")
    assert grade(question, "-0.5").correct and grade(question, "0.5").correct
    assert not grade(question, "-2").correct


# --- a bank's own references ----------------------------------------------------------------

OWN = """format: 1
lesson: own_refs
title: Own references
references:
  - key: clinic_audit2024
    authors: Our clinic
    year: 2024
    title: "Return to running: an audit"
    note: Internal report
    pages: 12
questions:
"""


def test_a_question_may_cite_the_banks_own_reference(write_bank) -> None:
    """Does a source key from the bank's references validate, and travel with the question?"""
    path = write_bank(TF.format(qid="q1", extra="").replace("[belavy2017]", "[clinic_audit2024, belavy2017]"),
                      header=OWN)
    bank = load_bank(path)
    expected = Reference(key="clinic_audit2024", year=2024, authors="Our clinic",
                         title="Return to running: an audit", note="Internal report", pages="12")
    assert bank.references == (expected,)
    question = bank.questions[0]
    assert question.sources == ("clinic_audit2024", "belavy2017")
    assert question.references == (expected,)  # only the bank's own; shipped ones come from references.csv


def test_an_unknown_key_names_both_places(write_bank) -> None:
    """With own references, does an unknown source say it is in neither references.csv nor the bank?"""
    path = write_bank(TF.format(qid="q1", extra="").replace("[belavy2017]", "[nobody2000]"), header=OWN)
    assert [str(p) for p in validate_bank(path)] == [
        f"{path}:12: question q1: sources[0]: 'nobody2000' is not a key in references.csv or the bank's references"
    ]
