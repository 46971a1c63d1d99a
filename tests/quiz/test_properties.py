"""Property tests: grading never raises and stays in 0..1; validation never raises."""

from __future__ import annotations

import math
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backlessons.errors import ContentError, Problem
from backlessons.quiz import Grade, grade, load_bank, validate_text

from .conftest import EVERY_TYPE

BANK = load_bank(EVERY_TYPE)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=10),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["2.5", "2,5 BW", "0.55", "−0.55", "55 %", "1e999", "nan", "stay-active", "first-step"]),
    st.binary(max_size=4),
)
responses = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6),
        st.tuples(inner, inner),
        st.frozensets(st.integers(min_value=-2, max_value=6), max_size=6),
        st.dictionaries(st.one_of(st.integers(min_value=-2, max_value=6), st.text(max_size=12),
                                  st.sampled_from(["stay-active", "first-step"])), inner, max_size=5),
    ),
    max_leaves=12,
)
# Responses of roughly the right shape reach deeper into each grader than random ones do.
near_miss = st.one_of(
    st.integers(min_value=-1, max_value=4),
    st.lists(st.integers(min_value=-1, max_value=4), max_size=6),
    st.dictionaries(st.integers(min_value=-1, max_value=4), st.integers(min_value=-1, max_value=4), max_size=4),
    st.fixed_dictionaries({"stay-active": st.booleans(), "first-step": st.integers(min_value=-1, max_value=2)}),
    st.permutations([0, 1, 2, 3]),
)


def _check(result: Grade) -> None:
    assert isinstance(result, Grade)
    assert isinstance(result.score, float) and not math.isnan(result.score)
    assert 0.0 <= result.score <= 1.0
    assert result.correct == (result.score == 1.0 and result.valid)
    if not result.valid:
        assert result.score == 0.0 and len(result.feedback) == 1
    assert all(isinstance(text, str) for text in result.feedback)
    for _, part in result.parts:
        _check(part)


@settings(max_examples=300, deadline=None, database=None)
@given(question=st.sampled_from(BANK.questions), response=st.one_of(responses, near_miss))
def test_grade_never_raises_and_stays_in_range(question, response) -> None:
    """For any response of any shape, does grade() return a Grade scored 0..1 without raising?"""
    _check(grade(question, response))


yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10),
              st.sampled_from(["single", "multiple", "true_false", "numeric", "matching", "ordering", "case",
                               "swain2020", "C1", "medium", "q1"])),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=10), st.sampled_from(
            ["id", "type", "prompt", "explanation", "sources", "options", "text", "correct", "answer",
             "tolerance", "absolute", "relative", "pairs", "left", "right", "items", "parts", "vignette",
             "ranges", "min", "max", "unit", "unit_aliases", "distractors", "feedback_true", "feedback_false"])),
            inner, max_size=6),
    ),
    max_leaves=25,
)
banks = st.fixed_dictionaries(
    {"format": st.one_of(st.just(1), yaml_values), "lesson": st.one_of(st.just("x"), yaml_values),
     "title": st.one_of(st.just("t"), yaml_values), "questions": st.lists(yaml_values, max_size=4)}
)


@settings(max_examples=300, deadline=None, database=None)
@given(data=st.one_of(banks, yaml_values))
def test_validate_never_raises_on_yamlish_data(data) -> None:
    """For arbitrary YAML-like data, does validation return Problems instead of raising?"""
    text = yaml.safe_dump(data, allow_unicode=True)
    problems = validate_text(text, path="fuzz.yaml")
    assert all(isinstance(p, Problem) and p.path == "fuzz.yaml" for p in problems)
    assert all(isinstance(str(p), str) for p in problems)


@settings(max_examples=300, deadline=None, database=None)
@given(text=st.one_of(st.text(max_size=200), st.text(alphabet="-:{}[]&*!|>'\"%@`#,? \n\tab1", max_size=80)))
def test_validate_never_raises_on_arbitrary_text(text) -> None:
    """For arbitrary text (mostly broken YAML), does validation return Problems instead of raising?"""
    problems = validate_text(text, path="fuzz.yaml")
    assert all(isinstance(p, Problem) for p in problems)


@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.text(max_size=120), st.builds(lambda d: yaml.safe_dump(d), banks), st.binary(max_size=80)))
def test_load_bank_raises_only_content_error(tmp_path: Path, content: str | bytes) -> None:
    """Does load_bank either return a Bank or raise ContentError, whatever bytes the file holds?"""
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    try:
        load_bank(path)
    except ContentError as err:
        assert err.problems


@settings(max_examples=200, deadline=None, database=None)
@given(question=st.sampled_from(BANK.questions[:6]))
def test_key_scores_full_marks(question) -> None:
    """Does the answer key built from each question's own fields always score 1?"""
    key = {
        "single": lambda q: q.answer_index,
        "multiple": lambda q: sorted(q.answer_indexes),
        "true_false": lambda q: q.answer,
        "numeric": lambda q: f"{q.answer}".replace(".", ","),
        "matching": lambda q: {i: i for i in range(len(q.pairs))},
        "ordering": lambda q: list(range(len(q.items))),
    }[question.type](question)
    assert grade(question, key).correct


@settings(max_examples=200, deadline=None, database=None)
@given(order=st.permutations(list(range(6))))
def test_ordering_score_symmetry(order) -> None:
    """Does reversing any order turn score s into 1 - s (pairs in order become out of order)?"""
    from backlessons.quiz import OrderingQuestion

    question = OrderingQuestion(id="o", type="ordering", prompt="p", explanation="e", sources=("swain2020",),
                                items=tuple("abcdef"))
    forward, backward = grade(question, order).score, grade(question, order[::-1]).score
    assert math.isclose(forward + backward, 1.0)
