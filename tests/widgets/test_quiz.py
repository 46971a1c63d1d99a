"""Driving the Quiz from Python: the same clicks a learner makes, asserted on widget state."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from backlessons.errors import ContentError
from backlessons.widgets.questions import (
    CaseView,
    MatchingView,
    MultipleView,
    NumericView,
    OrderingView,
    SingleView,
    TrueFalseView,
    display_order,
)
from backlessons.widgets.quiz import RESULT_COLUMNS, Quiz

from .conftest import EVERY_TYPE


@pytest.fixture
def quiz(store):
    return Quiz(EVERY_TYPE, seed=0, store=store)


def view(quiz: Quiz, question_id: str):
    return next(v for v in quiz.views if v.question.id == question_id)


def test_views_match_question_types(quiz):
    """Does every question get the view registered for its type, in bank order?"""
    kinds = [type(v) for v in quiz.views]
    assert kinds == [SingleView, MultipleView, TrueFalseView, NumericView, MatchingView, OrderingView, CaseView]
    assert [v.question.id for v in quiz.views] == [q.id for q in quiz.bank.questions]


def test_wrong_choice_shows_that_options_feedback(quiz):
    """Does choosing a wrong option show that option's feedback, and (first try) not yet the explanation?"""
    v = view(quiz, "pick-one")
    v.select(1)
    v.check_button.click()
    assert "SECRETFEEDBACKTWO" in v.feedback.value
    assert "SECRETFEEDBACKONE" not in v.feedback.value
    assert "SECRETEXPLAINSINGLE" not in v.feedback.value
    assert "bl-incorrect" in v.feedback.value
    assert quiz.score_label.value == "Score: 0 / 7 · attempts 1"


def test_right_choice_updates_score_and_cites_sources(quiz):
    """Does the right option mark the answer correct, update the score and cite the references?"""
    v = view(quiz, "pick-one")
    v.select(0)
    v.check_button.click()
    assert "bl-correct" in v.feedback.value
    assert "Swain CTV et al. (2020)" in v.feedback.value
    assert quiz.score_label.value == "Score: 1 / 7 · attempts 1"
    assert v.check_button.disabled and not v.try_again_button.disabled
    assert v.choice.disabled


def test_try_again_clears_and_counts_attempts(quiz):
    """Does Try again clear the answer and feedback while the attempts keep counting?"""
    v = view(quiz, "pick-one")
    v.select(2)
    v.check_button.click()
    v.try_again_button.click()
    assert v.feedback.value == "" and v.choice.value is None and not v.choice.disabled
    assert not v.check_button.disabled and v.try_again_button.disabled
    v.select(0)
    v.check_button.click()
    assert v.attempts == 2
    assert quiz.score_label.value == "Score: 1 / 7 · attempts 2"


def test_check_without_answer_is_not_an_attempt(quiz, store):
    """Is pressing Check with nothing chosen a hint rather than an attempt?"""
    v = view(quiz, "pick-one")
    v.check_button.click()
    assert "Choose an option first" in v.feedback.value
    assert v.attempts == 0 and store.events().empty


def test_multiple_partial_credit(quiz):
    """Does ticking one of two right options give half marks and the ticked options' feedback?"""
    v = view(quiz, "pick-some")
    v.select([0])
    v.check_button.click()
    assert "bl-partial" in v.feedback.value and "score 0.5 of 1" in v.feedback.value
    assert "SECRETFEEDBACKALPHA" in v.feedback.value
    assert quiz.score == 0.5


def test_true_false(quiz):
    """Does answering False to a false statement count as correct, with the False feedback?"""
    v = view(quiz, "true-or-false")
    v.select(False)
    v.check_button.click()
    assert "bl-correct" in v.feedback.value and "SECRETFEEDBACKFALSE" in v.feedback.value


def test_numeric_wrong_unit_is_a_hint_not_an_attempt(quiz, store):
    """Does a number with the wrong unit show the unit hint without counting an attempt?"""
    v = view(quiz, "how-many")
    v.select("7.375 kg")
    v.check_button.click()
    assert "bl-hint" in v.feedback.value and "BW" in v.feedback.value
    assert v.attempts == 0 and quiz.attempts == 0 and store.events().empty
    assert not v.check_button.disabled


def test_numeric_enter_checks_and_accepts_alias(quiz):
    """Does pressing Enter in the answer box check it, accepting a unit alias?"""
    v = view(quiz, "how-many")
    v.answer.value = "7.37 body weights"
    # What the browser sends on Enter.
    v._on_text_msg(v.answer, {"event": "submit"}, [])
    assert "bl-correct" in v.feedback.value
    assert v.attempts == 1


def test_numeric_range_feedback(quiz):
    """Does a wrong number inside a range show that range's feedback?"""
    v = view(quiz, "how-many")
    v.select("3")
    v.check_button.click()
    assert "SECRETRANGELOW" in v.feedback.value and "bl-incorrect" in v.feedback.value


def test_matching_right_and_wrong(quiz):
    """Does matching every pair right score 1, and one swap score 1/3?"""
    v = view(quiz, "match-them")
    v.select({0: 0, 1: 1, 2: 2})
    v.check_button.click()
    assert "bl-correct" in v.feedback.value and v.best_score == 1.0
    v.try_again_button.click()
    assert all(d.value is None for d in v.dropdowns)
    v.select({0: 1, 1: 0, 2: 2})
    v.check_button.click()
    assert "score 0.33 of 1" in v.feedback.value


@pytest.mark.parametrize("n, k", [(2, 2), (3, 3), (4, 3), (5, 5)])
def test_display_order_never_identity(n, k):
    """Is a protected prefix never in identity order, for any seed, shuffled or not?"""
    for seed in range(300):
        for shuffle in (True, False):
            order = display_order(seed, "q", n, shuffle=shuffle, avoid_identity=k)
            assert sorted(order) == list(range(n))
            assert order[:k] != list(range(k))


def test_matching_letters_not_in_identity_order():
    """Do the matching view's letters avoid lining up with the left items (seeds that would)?"""
    # Seeds whose plain shuffle happens to be the identity must still be rotated.
    risky = [s for s in range(300) if display_order(s, "match-them", 4)[:3] == [0, 1, 2]]
    for seed in risky[:3] + [0]:
        for shuffle in (True, False):
            assert view(Quiz(EVERY_TYPE, seed=seed, shuffle=shuffle), "match-them").order[:3] != [0, 1, 2]


def test_matching_dropdowns_show_a_placeholder(quiz):
    """Does every matching drop-down show "Choose…" (value None) before an answer and after Try again?"""
    v = view(quiz, "match-them")
    assert all((d.placeholder, d.value, d.mark) == ("Choose…", None, "") for d in v.dropdowns)
    v.select({0: 0, 1: 1, 2: 2})
    v.check_button.click()
    assert {d.mark for d in v.dropdowns} <= {"correct", "incorrect"} and v.dropdowns[0].mark
    v.try_again_button.click()
    assert all((d.value, d.mark) == (None, "") for d in v.dropdowns)
    v.dropdowns[0].value = 1
    v.dropdowns[0].value = None  # the learner picks "Choose…" again
    v.check_button.click()
    assert "every item" in v.feedback.value and v.attempts == 1


def test_matching_needs_every_item(quiz):
    """Is a partly filled matching a hint, not an attempt?"""
    v = view(quiz, "match-them")
    v.select({0: 0})
    v.check_button.click()
    assert "every item" in v.feedback.value and v.attempts == 0


def test_ordering_never_starts_in_the_right_order():
    """Does the ordering view never start in the right order (also unshuffled)?"""
    risky = [s for s in range(300) if display_order(s, "put-in-order", 4) == [0, 1, 2, 3]]
    for seed in risky[:3] + [0]:
        for shuffle in (True, False):
            assert view(Quiz(EVERY_TYPE, seed=seed, shuffle=shuffle), "put-in-order").current != [0, 1, 2, 3]


def test_ordering_up_down_buttons(quiz):
    """Do the Up/Down buttons move items, and does the right order score 1?"""
    v = view(quiz, "put-in-order")
    first = v.current[0]
    v.down_buttons[0].click()
    assert v.current[1] == first
    assert v.up_buttons[0].disabled and v.down_buttons[-1].disabled
    # Bubble into the right order using only the buttons, as a keyboard user would.
    for _ in range(len(v.current) ** 2):
        for position in range(len(v.current) - 1):
            if v.current[position] > v.current[position + 1]:
                v.down_buttons[position].click()
    assert v.current == [0, 1, 2, 3]
    v.check_button.click()
    assert "bl-correct" in v.feedback.value
    assert all(b.disabled for b in v.up_buttons + v.down_buttons)


def test_ordering_buttons_are_named_after_their_item(quiz):
    """Is each Up/Down button named after the item beside it ("Move ‘…’ up"), and does the name follow a move?"""
    import html

    v = view(quiz, "put-in-order")

    def names(buttons):
        return [html.unescape(b.name_html) for b in buttons]

    items = [v.question.items[i] for i in v.current]
    assert names(v.up_buttons) == [f"Move ‘{text}’ up" for text in items]
    assert names(v.down_buttons) == [f"Move ‘{text}’ down" for text in items]
    assert [b.label for b in v.up_buttons] == ["Up"] * len(items)  # the visible text is part of the name
    v.down_buttons[0].click()
    assert names(v.up_buttons)[1] == f"Move ‘{items[0]}’ up"
    assert names(v.down_buttons)[0] == f"Move ‘{items[1]}’ down"


def test_move_button_name_is_plain_escaped_text():
    """Is Markdown or HTML in an item reduced to plain text and escaped in the button's name?"""
    from backlessons.markup import plain_text

    assert plain_text("Run **easily** <b>now</b>") == "Run easily <b>now</b>"
    from backlessons.widgets.components import MoveButton

    button = MoveButton(label="Up")
    clicks = []
    button.on_click(clicks.append)
    button._on_page_message(button, {"event": "click"}, [])
    button.disabled = True
    button.click()
    assert clicks == [button]


def test_case_grades_every_part(quiz):
    """Does a case show each part's feedback under the part and the case score overall?"""
    v = view(quiz, "a-case")
    advice, scan = v.parts
    advice.select(1)
    v.check_button.click()
    assert "Answer every part first" in v.feedback.value and v.attempts == 0
    scan.select(False)
    v.check_button.click()
    assert "SECRETFEEDBACKBED" in advice.feedback.value
    assert "SECRETFEEDBACKSCANFALSE" in scan.feedback.value
    assert "score 0.5 of 1" in v.feedback.value and "SECRETEXPLAINCASE" not in v.feedback.value
    v.try_again_button.click()
    assert advice.feedback.value == "" and scan.feedback.value == "" and advice.choice.value is None


def _descendants(widget):
    for child in getattr(widget, "children", ()):
        yield child
        yield from _descendants(child)


def test_case_parts_are_numbered_and_have_no_buttons_of_their_own(quiz):
    """Are a case's parts headed "Part 1", "Part 2", marked as parts, with no Check of their own (the case's grades them)?"""
    v = view(quiz, "a-case")
    for number, part in enumerate(v.parts, start=1):
        assert part.heading.value == f'<h5 class="bl-part-number">Part {number}</h5>'
        assert "bl-case-part" in part._dom_classes and part.check_button is None and part.try_again_button is None
        assert not any(isinstance(widget, widgets.Button) for widget in _descendants(part))
    assert v.check_button is not None and not v.checked
    v.parts[0].select(1)
    v.parts[1].select(False)
    v.check_button.click()
    assert v.checked and v.check_button.disabled and not v.try_again_button.disabled
    v.try_again_button.click()
    assert not v.checked and not v.check_button.disabled and v.try_again_button.disabled


def test_results_frame(quiz):
    """Does quiz.results hold one row per question with best score and attempts?"""
    view(quiz, "pick-one").select(1)
    view(quiz, "pick-one").check_button.click()
    view(quiz, "pick-one").try_again_button.click()
    view(quiz, "pick-one").select(0)
    view(quiz, "pick-one").check_button.click()
    results = quiz.results
    assert list(results.columns) == list(RESULT_COLUMNS)
    assert len(results) == 7
    row = results.set_index("question_id").loc["pick-one"]
    assert (row["response"], bool(row["correct"]), row["score"], row["attempts"]) == (0, True, 1.0, 2)
    assert results.set_index("question_id").loc["how-many", "attempts"] == 0


def test_attempts_are_recorded_to_the_store(quiz, store):
    """Is every valid attempt saved with lesson, type, response text and attempt number?"""
    v = view(quiz, "pick-one")
    v.select(1)
    v.check_button.click()
    v.try_again_button.click()
    v.select(0)
    v.check_button.click()
    events = store.events()
    assert list(events["question_id"]) == ["pick-one", "pick-one"]
    assert list(events["lesson"]) == ["widget-fixture"] * 2
    assert list(events["attempt"]) == [1, 2]
    assert list(events["correct"]) == [False, True]
    assert events["response_text"].iloc[1].endswith("Option one")


def test_store_failure_is_shown_not_raised(quiz):
    """Does a store that cannot save show a message while the answer is still graded?"""

    class BrokenStore:
        def record_next(self, *args):
            raise OSError("disk full")

    quiz._store = BrokenStore()
    v = view(quiz, "pick-one")
    v.select(0)
    v.check_button.click()
    assert "bl-correct" in v.feedback.value
    assert "disk full" in quiz.status.value and "saving your progress" in quiz.status.value


def test_exception_in_grading_is_shown(quiz, monkeypatch):
    """Is an exception inside a Check callback shown in the feedback area instead of vanishing?"""
    import backlessons.quiz as quiz_module

    def broken(question, response):
        raise RuntimeError("grader <exploded>")

    monkeypatch.setattr(quiz_module, "grade", broken)
    v = view(quiz, "pick-one")
    v.select(0)
    v.check_button.click()
    assert "bl-error" in v.feedback.value and "grader &lt;exploded&gt;" in v.feedback.value
    assert v.attempts == 0


def test_same_seed_same_order_and_seed_matters():
    """Is the option order the same for the same seed, and does some seed change it?"""
    orders = {seed: view(Quiz(EVERY_TYPE, seed=seed), "pick-one").order for seed in range(10)}
    assert view(Quiz(EVERY_TYPE, seed=3), "pick-one").order == orders[3]
    assert len({tuple(o) for o in orders.values()}) > 1
    assert view(Quiz(EVERY_TYPE, shuffle=False), "pick-one").order == [0, 1, 2, 3]


def test_responses_use_file_indexes_after_shuffle(store):
    """Does picking the radio at the shuffled position of the right option grade as correct?"""
    for seed in range(5):
        v = view(Quiz(EVERY_TYPE, seed=seed, store=store), "pick-one")
        v.choice.value = v.order.index(0)  # what the learner clicks: a position
        v.check_button.click()
        assert "bl-correct" in v.feedback.value


def test_bad_bank_raises_content_error(tmp_path):
    """Does a broken bank raise the one clear ContentError naming the file?"""
    bad = tmp_path / "duplicate-ids.yaml"
    bad.write_text(
        "format: 1\nlesson: x\ntitle: x\nquestions:\n"
        "  - {id: a, type: true_false, prompt: p, explanation: e, sources: [swain2020], answer: true, feedback_true: t, feedback_false: f}\n"
        "  - {id: a, type: true_false, prompt: p, explanation: e, sources: [swain2020], answer: true, feedback_true: t, feedback_false: f}\n"
    )
    with pytest.raises(ContentError) as err:
        Quiz(bad)
    assert "duplicate-ids.yaml" in str(err.value)


def test_mimebundle_plain_text_and_widget_view(quiz):
    """Does the bundle carry the widget view plus a deterministic text/plain?"""
    bundle = quiz._repr_mimebundle_()
    assert bundle["text/plain"] == (
        "Quiz: widget-fixture — 7 questions (seed 0). Run the notebook in JupyterLab to answer."
    )
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == quiz.model_id
    assert bundle["text/html"] == Quiz(EVERY_TYPE, seed=0)._repr_mimebundle_()["text/html"]


def test_shipped_lesson_by_id(store):
    """Does a shipped lesson id load its bank, with one view per question?"""
    q = Quiz("01_causes", store=store)
    assert q.lesson == "01_causes" and len(q.views) == len(q.bank.questions) > 0
    assert "bl-quiz" in q._dom_classes


def test_accessible_names(quiz):
    """Does every control carry an accessible name (a description or a tooltip)?"""
    from ._walk import build

    _, created = build(lambda: Quiz(EVERY_TYPE))
    import ipywidgets as widgets

    controls = [w for w in created if isinstance(w, (widgets.Button, widgets.RadioButtons, widgets.Checkbox,
                                                      widgets.ToggleButtons, widgets.Dropdown, widgets.Text))]
    assert controls
    for control in controls:
        assert (control.description or "").strip() or (control.tooltip or "").strip(), control


def test_enter_inside_a_kernel_waits_for_the_last_keystrokes(quiz):
    """With an event loop running (as in a kernel), does Enter check the value that arrives just after it?"""
    import asyncio

    v = view(quiz, "how-many")
    v.submit_delay = 0.05

    async def type_then_enter():
        v.answer.value = "7.3"
        v._on_text_msg(v.answer, {"event": "submit"}, [])
        v.answer.value = "7.375 BW"  # the throttled last keystrokes, arriving after the submit
        assert v.attempts == 0
        await asyncio.sleep(0.2)

    asyncio.run(type_then_enter())
    assert v.attempts == 1 and "bl-correct" in v.feedback.value
    assert v.last_response == "7.375 BW"
