"""Case questions: a vignette with parts of other types; score = mean of the parts."""

from __future__ import annotations

import pytest

from backlessons.quiz import CaseQuestion, SingleQuestion, TrueFalseQuestion, grade


@pytest.fixture
def question(every_type) -> CaseQuestion:
    return every_type.question("runner-with-pain")


def test_parts_are_parsed_as_their_own_types(question) -> None:
    """Are the parts questions of their own types, with the case's sources inherited?"""
    stay, first = question.parts
    assert isinstance(stay, TrueFalseQuestion) and isinstance(first, SingleQuestion)
    assert stay.sources == question.sources == ("nice_ng59", "dahm2010")
    assert question.part("first-step") is first
    assert stay.explanation == ""
    with pytest.raises(KeyError):
        question.part("nope")


def test_all_parts_right(question) -> None:
    """Does a case with every part right score 1 and carry each part's grade?"""
    result = grade(question, {"stay-active": False, "first-step": 0})
    assert (result.score, result.correct, result.valid) == (1.0, True, True)
    assert [part_id for part_id, _ in result.parts] == ["stay-active", "first-step"]
    assert all(g.correct for _, g in result.parts)
    assert result.feedback == ("2 of 2 parts right.",)


def test_score_is_mean_of_parts(question) -> None:
    """Is the case score the mean of its parts' scores?"""
    result = grade(question, {"stay-active": False, "first-step": 1})
    assert result.score == pytest.approx(0.5)
    assert not result.correct
    assert dict(result.parts)["first-step"].feedback == ("Imaging is not advised without red flags.",)


def test_partial_credit_inside_parts_is_averaged(make_question) -> None:
    """Does a part's own partial credit (ordering) feed into the mean?"""
    question = make_question("""
        - id: c
          type: case
          prompt: "p"
          explanation: "e"
          sources: [nice_ng59]
          vignette: "A runner."
          parts:
            - id: order
              type: ordering
              prompt: "Order these."
              items: [a, b, c]
            - id: tf
              type: true_false
              prompt: "Stop?"
              answer: false
              feedback_true: "No."
              feedback_false: "Yes."
              sources: [dahm2010]
    """)
    assert question.parts[1].sources == ("dahm2010",)
    result = grade(question, {"order": [1, 0, 2], "tf": False})
    assert result.score == pytest.approx((2 / 3 + 1) / 2)


def test_missing_part_is_not_an_attempt(question) -> None:
    """Is a case with an unanswered part invalid, saying which part, with part grades kept?"""
    result = grade(question, {"stay-active": False})
    assert (result.valid, result.score, result.correct) == (False, 0.0, False)
    assert result.feedback == ("Part first-step: Answer this part.",)
    assert dict(result.parts)["stay-active"].correct


def test_malformed_part_response_is_not_an_attempt(question) -> None:
    """Does a malformed response to one part make the whole case invalid with that part's hint?"""
    result = grade(question, {"stay-active": "no", "first-step": 0})
    assert result.valid is False
    assert result.feedback == ("Part stay-active: Choose true or false.",)


@pytest.mark.parametrize("response", [None, [False, 0], "stay-active", {"stay-active": False, "first-step": 0, "x": 1}])
def test_malformed_response_is_not_an_attempt(question, response) -> None:
    """Is a non-mapping response, or one naming a part that does not exist, graded invalid?"""
    result = grade(question, response)
    assert (result.valid, result.score, result.correct) == (False, 0.0, False)
    assert len(result.feedback) == 1


def test_parts_need_prompt_and_type(write_bank) -> None:
    """Does a part without its required fields get problems named question CASE/PART?"""
    from backlessons.quiz import validate_bank

    path = write_bank("""
        - id: c
          type: case
          prompt: "p"
          explanation: "e"
          sources: [nice_ng59]
          vignette: "A runner."
          parts:
            - id: a
              type: single
              options:
                - {text: "x", correct: true}
                - {text: "y"}
            - type: true_false
              prompt: "no id"
              answer: true
              feedback_true: "t"
              feedback_false: "f"
    """)
    assert [str(p) for p in validate_bank(path)] == [
        f"{path}:12: question c/a: prompt: is required",
        f"{path}:17: question c/parts[1]: id: is required",
    ]


def test_case_needs_vignette_and_parts(write_bank) -> None:
    """Are a missing vignette and an empty parts list both reported?"""
    from backlessons.quiz import validate_bank

    path = write_bank("""
        - id: c
          type: case
          prompt: "p"
          explanation: "e"
          sources: [nice_ng59]
          parts: []
    """)
    assert [str(p) for p in validate_bank(path)] == [
        f"{path}:5: question c: vignette: is required",
        f"{path}:5: question c: parts: needs at least 1 parts, found 0",
    ]
