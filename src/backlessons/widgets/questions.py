"""One small view per question type, registered by type name.

Every view follows the same rules:

* bank text (prompts, options, items, units) reaches the page only through
  :mod:`backlessons.markup`: in ``HTML`` widgets, or as the escaped HTML labels of
  the option components (:mod:`backlessons.widgets.components`), so options are
  chosen by their text and nothing a bank author typed is ever put in the page raw;
* the answer key (correct flags, feedback, explanations, answers, the right order,
  the right pairs) stays on ``self.question``, a plain attribute that is never
  synced; only after **Check** is that question's feedback written to
  ``self.feedback.value``;
* option order is shuffled with a ``random.Random`` seeded by the quiz seed and
  the question id, so a notebook shows the same order on every run; responses
  always use the file's indexes (the contract of :func:`backlessons.quiz.grade`).
"""

from __future__ import annotations

import random
from typing import Any, Callable, ClassVar, Sequence

import ipywidgets as widgets

from backlessons.errors import ContentError, Problem
from backlessons.markup import escape, inline_markdown, letter, markdown, plain_text
from backlessons.widgets._base import citations_html, compact_block, lean, lean_layout, safe_callback
from backlessons.widgets.components import ChoiceGroup, LiveHTML, MoveButton, TextSelect

__all__ = [
    "NoAnswer",
    "QuestionView",
    "SingleView",
    "MultipleView",
    "TrueFalseView",
    "NumericView",
    "MatchingView",
    "OrderingView",
    "CaseView",
    "VIEW_TYPES",
    "register_view",
    "view_for",
    "grade_html",
    "format_score",
    "display_order",
]

#: type name → view class (filled by :func:`register_view`).
VIEW_TYPES: dict[str, type["QuestionView"]] = {}

GradeCallback = Callable[["QuestionView", Any, Any, str], None]


class NoAnswer(Exception):
    """The learner has not given a complete answer yet (not an attempt)."""


def register_view(type_name: str) -> Callable[[type["QuestionView"]], type["QuestionView"]]:
    """Class decorator: make *cls* the view for questions of *type_name*."""

    def decorate(cls: type[QuestionView]) -> type[QuestionView]:
        cls.type_name = type_name
        VIEW_TYPES[type_name] = cls
        return cls

    return decorate


def view_for(question: Any, **kwargs: Any) -> "QuestionView":
    """Build the registered view for *question* (keyword arguments go to the view)."""
    cls = VIEW_TYPES.get(getattr(question, "type", ""))
    if cls is None:
        raise ContentError(
            [Problem(str(kwargs.get("bank_path", "")), f"question {getattr(question, 'id', '?')}", "type",
                     f"no widget for question type {getattr(question, 'type', None)!r}")]
        )
    return cls(question, **kwargs)


def format_score(value: float) -> str:
    """0.5 → '0.5', 1.0 → '1', 2/3 → '0.67': short and stable."""
    return f"{round(float(value), 2):g}"


def _rng(seed: int, question_id: str) -> random.Random:
    # A string seed is hashed with SHA-512 by random.Random, so it does not depend on
    # PYTHONHASHSEED: the same seed and id give the same order in every kernel.
    return random.Random(f"backlessons:{seed}:{question_id}")


def display_order(
    seed: int, question_id: str, n: int, *, shuffle: bool = True, avoid_identity: int | None = None
) -> list[int]:
    """File indexes in the order a view shows them: seeded shuffle, deterministic.

    With *avoid_identity* = k, the first k positions are never 0, 1, … k-1 (shuffled
    or not): for an ordering that would be the answer, for a matching the letters
    would line up with the left items.
    """
    order = list(range(n))
    if shuffle:
        _rng(seed, question_id).shuffle(order)
    if avoid_identity is not None and n >= 2 and order[:avoid_identity] == list(range(avoid_identity)):
        order = order[1:] + order[:1]  # a rotation: no prefix of it is the identity
    return order


def grade_html(question: Any, grade: Any, *, explanation: bool = True, citations: bool = True,
               tries: int | None = None, shown: Any = None, note: bool = True) -> str:
    """The feedback shown after Check: result, per-response feedback, hint, explanation, citations.

    With *tries* (valid tries so far, this one included) or a decided *shown*
    (:class:`backlessons.quiz.reveal.Shown`), the question's reveal rule decides: before
    the reveal only the chosen response's feedback and the hint. Without either,
    everything is shown (the behaviour for callers that manage no tries). *note* off
    leaves out "the explanation appears after…" (a case says it once, not per part).
    """
    if shown is None and tries is not None:
        from backlessons.quiz.reveal import after_check

        shown = after_check(question, grade, tries)
    if grade.correct:
        result = '<p class="bl-result bl-correct"><strong>Correct.</strong></p>'
    elif grade.score > 0:
        result = (
            '<p class="bl-result bl-partial"><strong>Partly right</strong>: '
            f"score {format_score(grade.score)} of 1.</p>"
        )
    else:
        result = '<p class="bl-result bl-incorrect"><strong>Not quite.</strong></p>'
    parts = [result]
    feedback = grade.feedback if shown is None else shown.feedback
    parts += [f'<div class="bl-option-feedback">{markdown(text)}</div>' for text in feedback if text]
    revealed = shown is None or shown.reveal
    if shown is not None:
        parts += _reveal_parts_html(shown, note)
    if revealed and explanation and getattr(question, "explanation", ""):
        parts.append(f'<div class="bl-explanation">{markdown(question.explanation)}</div>')
    sources = getattr(question, "sources", ()) or ()
    if revealed and citations and sources:
        parts.append(citations_html(sources, own=getattr(question, "references", ())))
    return f'<div class="bl-feedback-body">{"".join(parts)}</div>'


def _reveal_parts_html(shown: Any, note: bool) -> list[str]:
    """The hint, the right answer or a note on when the explanation comes, as *shown* decides."""
    out = []
    if shown.hint:
        out.append(f'<div class="bl-question-hint"><strong>Hint:</strong> {markdown(shown.hint)}</div>')
    if shown.answer:
        out.append(f'<div class="bl-right-answer">{markdown(shown.answer)}</div>')
    if note and not shown.reveal:
        when = ("after a correct answer" if shown.tries_left is None else
                f"after a correct answer or {shown.tries_left} more {'try' if shown.tries_left == 1 else 'tries'}")
        out.append(f'<p class="bl-reveal-note"><em>Try again: the explanation appears {when}.</em></p>')
    return out


def _hint_html(messages: Sequence[str]) -> str:
    body = "".join(markdown(m) for m in messages if m) or "<p>Please check your answer.</p>"
    return f'<div class="bl-hint" role="status">{body}</div>'


class QuestionView(widgets.VBox):
    """Shared behaviour: prompt, controls, Check / Try again, feedback, attempt count.

    Subclasses build their controls in ``_build()`` and implement ``response()``
    (returning ``(response, response_text)`` or raising :class:`NoAnswer`),
    ``_set_disabled()`` and ``_clear()``.
    """

    type_name: ClassVar[str] = ""

    def __init__(
        self,
        question: Any,
        *,
        seed: int = 0,
        shuffle: bool = True,
        on_graded: GradeCallback | None = None,
        number: int | None = None,
        bank_path: str = "",
        part: int | None = None,
    ) -> None:
        # Plain attributes, not traits: never synced to the browser.
        self.question = question
        self.seed = seed
        self.shuffle = shuffle
        self.on_graded = on_graded
        self.attempts = 0
        self.best_score = 0.0
        self.ever_correct = False
        self.last_grade: Any = None
        self.last_response: Any = None
        self.last_response_text = ""

        # lean(): a quiz has many of these, and none changes its layout or style.
        if part is not None:  # part *part* of a case
            heading = f'<h5 class="bl-part-number">Part {part}</h5>'
        else:
            label = f"Question {number}" if number is not None else "Part"
            heading = f'<h4 class="bl-question-number" style="margin: 0.8em 0 0.1em">{escape(label)}</h4>'
        self.heading = lean(widgets.HTML, "bl-question-heading", value=heading)
        self.prompt = lean(widgets.HTML, "bl-prompt", value=compact_block(markdown(question.prompt)))
        # A live region: the result after Check is announced by screen readers.
        self.feedback = lean(LiveHTML, "bl-feedback")
        # Checked and not yet cleared: Check waits for Try again (the buttons show it, if any).
        self.checked = False
        # A case's parts have none: the case's own Check grades them all.
        self.check_button: widgets.Button | None = None
        self.try_again_button: widgets.Button | None = None
        if part is None:
            self.check_button = lean(widgets.Button, "bl-check", description="Check", button_style="primary",
                                     tooltip="Check your answer")
            self.try_again_button = lean(widgets.Button, "bl-try-again", description="Try again", disabled=True,
                                         tooltip="Clear your answer and try again")
            self.check_button.on_click(self._on_check)
            self.try_again_button.on_click(self._on_try_again)

        controls = self._build()
        children: list[widgets.Widget] = [self.heading, self.prompt, *controls]
        if part is None:
            children.append(lean(widgets.HBox, children=[self.check_button, self.try_again_button]))
        children.append(self.feedback)
        classes = ("bl-question", f"bl-q-{question.type.replace('_', '-')}", *(("bl-case-part",) if part is not None else ()))
        super().__init__(children=children, layout=lean_layout(), _dom_classes=classes)

    # --- to implement ------------------------------------------------------------------

    def _build(self) -> list[widgets.Widget]:  # pragma: no cover - abstract
        raise NotImplementedError

    def response(self) -> tuple[Any, str]:  # pragma: no cover - abstract
        """The learner's response in file indexes, and a readable text of it."""
        raise NotImplementedError

    def _set_disabled(self, disabled: bool) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _clear(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def public_html(self) -> str:
        """Answer-free HTML of the question as shown before Check (for the static fallback)."""
        return self.prompt.value + self._public_body_html()

    def _public_body_html(self) -> str:
        return ""

    def _mark(self, grade: Any) -> None:
        """Show the state of the chosen options after Check (views with options override)."""

    # --- flow ---------------------------------------------------------------------------

    def _show(self, html: str) -> None:
        self.feedback.value = html

    def check(self) -> Any:
        """Grade the current response; returns the Grade, or None when it was not an attempt."""
        from backlessons.quiz import grade as grade_response

        try:
            response, response_text = self.response()
        except NoAnswer as missing:
            self._show(_hint_html([str(missing)]))
            return None
        grade = grade_response(self.question, response)
        if not grade.valid:
            # A malformed answer (e.g. the wrong unit) is not an attempt: hint only.
            self._show(_hint_html(grade.feedback))
            return None
        self.attempts += 1
        self.best_score = max(self.best_score, float(grade.score))
        self.ever_correct = self.ever_correct or bool(grade.correct)
        self.last_grade, self.last_response, self.last_response_text = grade, response, response_text
        self.show_grade(grade)
        self._mark(grade)
        self._set_disabled(True)
        self._set_checked(True)
        if self.on_graded is not None:
            self.on_graded(self, grade, response, response_text)
        return grade

    def show_grade(self, grade: Any) -> None:
        self._show(grade_html(self.question, grade, tries=self.attempts))

    def try_again(self) -> None:
        """Clear the response and the feedback; the attempt count stays."""
        self._clear()
        self._set_disabled(False)
        self._show("")
        self._set_checked(False)

    def _set_checked(self, checked: bool) -> None:
        self.checked = checked
        if self.check_button is not None and self.try_again_button is not None:
            self.check_button.disabled = checked
            self.try_again_button.disabled = not checked

    def _on_check(self, _button: widgets.Button | None = None) -> None:
        safe_callback("while checking your answer", self._show)(self.check)()

    def _on_try_again(self, _button: widgets.Button | None = None) -> None:
        safe_callback("while clearing your answer", self._show)(self.try_again)()


def _instruction(text: str) -> str:
    """How to answer, in small italics: shown by the widget and repeated in the static fallback."""
    return f"<p style='margin: 0.2em 0'><em>{text}</em></p>"


_TICK_ALL = _instruction("Tick every option that applies.")
_OPTIONS = _instruction("Options:")
_MATCH_EACH = _instruction("Choose the matching option for each item.")
_IN_ORDER = _instruction("Put the items in order, first at the top.")


def _option_list_html(texts: Sequence[str], css: str = "bl-options") -> str:
    rows = "".join(
        f'<li class="bl-option"><span class="bl-option-letter">{letter(i)}.</span> {inline_markdown(t)}</li>'
        for i, t in enumerate(texts)
    )
    return f'<ol class="{css}" style="list-style: none; padding-left: 0; line-height: 1.6">{rows}</ol>'


class _ChoiceView(QuestionView):
    """A view whose answer is one selection widget, ``self.choice``, empty until chosen."""

    choice: widgets.ValueWidget

    def _set_disabled(self, disabled: bool) -> None:
        self.choice.disabled = disabled

    def _clear(self) -> None:
        self.choice.value = None
        if isinstance(self.choice, ChoiceGroup):
            self.choice.marks = []

    def _correct_positions(self) -> set[int]:  # pragma: no cover - overridden
        return set()

    def _mark(self, grade: Any) -> None:
        # Only the options the learner chose are marked: which other option was right
        # stays with the feedback (and its reveal policy).
        value = self.choice.value
        chosen = set(value if isinstance(value, (list, tuple)) else [] if value is None else [value])
        right = self._correct_positions()
        self.choice.marks = [
            ("correct" if p in right else "incorrect") if p in chosen else "" for p in range(len(self.choice.labels))
        ]


@register_view("single")
class SingleView(_ChoiceView):
    """One answer: each option's text is its own radio button's label."""

    def _build(self) -> list[widgets.Widget]:
        texts = [o.text for o in self.question.options]
        self.order = display_order(self.seed, self.question.id, len(texts), shuffle=self.shuffle)
        self.choice = lean(ChoiceGroup, "bl-choice", "bl-options", labels=[inline_markdown(texts[i]) for i in self.order],
                           legend="Choose one option", value=None)
        return [self.choice]

    def _public_body_html(self) -> str:
        return _option_list_html([self.question.options[i].text for i in self.order])

    def _correct_positions(self) -> set[int]:
        return {p for p, i in enumerate(self.order) if self.question.options[i].correct}

    def response(self) -> tuple[int, str]:
        if self.choice.value is None:
            raise NoAnswer("Choose an option first.")
        index = self.order[self.choice.value]
        return index, f"{letter(self.choice.value)}. {self.question.options[index].text}"

    def select(self, file_index: int) -> None:
        """Choose the option with file index *file_index* (tests and instructors)."""
        self.choice.value = self.order.index(file_index)


@register_view("multiple")
class MultipleView(_ChoiceView):
    """One or more answers: each option's text is its own checkbox's label."""

    def _build(self) -> list[widgets.Widget]:
        texts = [o.text for o in self.question.options]
        self.order = display_order(self.seed, self.question.id, len(texts), shuffle=self.shuffle)
        self.choice = lean(ChoiceGroup, "bl-choice", "bl-options", labels=[inline_markdown(texts[i]) for i in self.order],
                           legend="Tick every option that applies", multiple=True, value=[])
        return [lean(widgets.HTML, value=_TICK_ALL), self.choice]

    def _public_body_html(self) -> str:
        texts = [self.question.options[i].text for i in self.order]
        return _TICK_ALL + _option_list_html(texts)

    def _correct_positions(self) -> set[int]:
        return {p for p, i in enumerate(self.order) if self.question.options[i].correct}

    def _picked(self) -> list[int]:
        return sorted(set(self.choice.value or ()))

    def response(self) -> tuple[tuple[int, ...], str]:
        picked = self._picked()
        if not picked:
            raise NoAnswer("Tick at least one option first.")
        indexes = tuple(sorted(self.order[p] for p in picked))
        text = "; ".join(f"{letter(p)}. {self.question.options[self.order[p]].text}" for p in picked)
        return indexes, text

    def select(self, file_indexes: Sequence[int]) -> None:
        """Tick exactly the options with these file indexes."""
        wanted = set(file_indexes)
        self.choice.value = [p for p, i in enumerate(self.order) if i in wanted]

    def _clear(self) -> None:
        super()._clear()
        self.choice.value = []


@register_view("true_false")
class TrueFalseView(_ChoiceView):
    """True or false: two radio buttons labelled True and False, neither chosen at first."""

    _VALUES = (True, False)  # position → answer

    def _build(self) -> list[widgets.Widget]:
        self.choice = lean(ChoiceGroup, "bl-choice", "bl-options", labels=["True", "False"],
                           legend="Is the statement true or false?", value=None)
        return [self.choice]

    def _public_body_html(self) -> str:
        return "<p>True or false?</p>"

    def _correct_positions(self) -> set[int]:
        return {self._VALUES.index(bool(self.question.answer))}

    def response(self) -> tuple[bool, str]:
        if self.choice.value is None:
            raise NoAnswer("Choose True or False first.")
        value = self._VALUES[self.choice.value]
        return value, "True" if value else "False"

    def select(self, value: bool) -> None:
        self.choice.value = self._VALUES.index(bool(value))


@register_view("numeric")
class NumericView(QuestionView):
    """A number, typed with or without its unit; Enter checks."""

    def _build(self) -> list[widgets.Widget]:
        unit = getattr(self.question, "unit", None) or ""
        self.answer = lean(widgets.Text, "bl-answer", value="", description="Answer", placeholder="Type a number",
                           tooltip="Type your answer, then press Enter")
        # The frontend sends {"event": "submit"} on Enter (Text.on_submit is deprecated in
        # ipywidgets 8, the message is not): listen for it directly.
        self.answer.on_msg(self._on_text_msg)
        self.unit_hint = lean(
            widgets.HTML, "bl-unit-hint",
            value=f'<p class="bl-unit-hint">Unit: {escape(unit)} (you may type it or leave it out)</p>' if unit else "",
        )
        return [lean(widgets.HBox, children=[self.answer, self.unit_hint])]

    #: Seconds to wait after Enter before checking (see _on_text_msg).
    submit_delay = 0.3

    def _on_text_msg(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        if content.get("event") != "submit" or self.checked:
            return
        # The browser sends "submit" straight away, but throttles value updates while the
        # kernel is busy: after fast typing the last characters can arrive *after* the
        # submit. Inside a kernel, wait a moment so they are in; elsewhere check now.
        import asyncio  # here, not at the top: it would add ~12 ms to every first Quiz

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._on_check()
        else:
            loop.call_later(self.submit_delay, self._submit_now)

    def _submit_now(self) -> None:
        if not self.checked:
            self._on_check()

    def _public_body_html(self) -> str:
        return "<p>Answer: ____</p>" + self.unit_hint.value

    def response(self) -> tuple[str, str]:
        text = self.answer.value.strip()
        if not text:
            raise NoAnswer("Type a number first.")
        return text, text

    def select(self, text: str) -> None:
        self.answer.value = str(text)

    def _set_disabled(self, disabled: bool) -> None:
        self.answer.disabled = disabled

    def _clear(self) -> None:
        self.answer.value = ""


@register_view("matching")
class MatchingView(QuestionView):
    """Match each left item to a right option: a drop-down of option texts per item.

    Each drop-down is labelled by its item's text and offers the options' texts, so
    nothing is matched by letter; the options are shuffled (seeded) all the same.
    """

    def _build(self) -> list[widgets.Widget]:
        rights = self.question.right_options
        lefts = [p.left for p in self.question.pairs]
        # File order would give the key away (first option ↔ item 1, …).
        self.order = display_order(self.seed, self.question.id, len(rights), shuffle=self.shuffle,
                                   avoid_identity=len(lefts))
        labels = [inline_markdown(rights[i]) for i in self.order]
        self.dropdowns: list[TextSelect] = [
            lean(TextSelect, "bl-choice", "bl-match-row", description=inline_markdown(left), labels=labels, value=None)
            for left in lefts
        ]
        self.lefts_box = lean(widgets.VBox, "bl-match-lefts", children=self.dropdowns)
        return [lean(widgets.HTML, value=_MATCH_EACH), self.lefts_box]

    def _public_body_html(self) -> str:
        rights = _option_list_html([self.question.right_options[i] for i in self.order], "bl-right-options")
        lefts = "".join(
            f'<li class="bl-match-left">Item {i + 1}: {inline_markdown(p.left)} → ____</li>'
            for i, p in enumerate(self.question.pairs)
        )
        return f"{_OPTIONS}{rights}<ul>{lefts}</ul>"

    def response(self) -> tuple[dict[int, int], str]:
        if any(d.value is None for d in self.dropdowns):
            raise NoAnswer("Choose an option for every item first.")
        rights = self.question.right_options
        mapping = {i: self.order[d.value] for i, d in enumerate(self.dropdowns)}
        text = "; ".join(f"{self.question.pairs[i].left} → {rights[r]}" for i, r in mapping.items())
        return mapping, text

    def select(self, mapping: dict[int, int]) -> None:
        """Set the drop-downs from {left index: right option index (file order)}."""
        for i, right in mapping.items():
            self.dropdowns[i].value = self.order.index(right)

    def _mark(self, grade: Any) -> None:
        rights = list(self.question.right_options)
        for i, d in enumerate(self.dropdowns):
            right = rights.index(self.question.pairs[i].right)
            d.mark = "correct" if d.value is not None and self.order[d.value] == right else "incorrect"

    def _set_disabled(self, disabled: bool) -> None:
        for d in self.dropdowns:
            d.disabled = disabled

    def _clear(self) -> None:
        for d in self.dropdowns:
            d.value = None
            d.mark = ""


@register_view("ordering")
class OrderingView(QuestionView):
    """Put items in order: a numbered list with Up / Down buttons on every row."""

    _disabled = False  # after Check the buttons stay disabled whatever the position

    def _build(self) -> list[widgets.Widget]:
        n = len(self.question.items)
        # Never start in the right order, shuffled or not: that would show the answer.
        self.start_order = display_order(self.seed, self.question.id, n, shuffle=self.shuffle, avoid_identity=n)
        self.current = list(self.start_order)
        self.item_labels: list[widgets.HTML] = []
        self.up_buttons: list[MoveButton] = []
        self.down_buttons: list[MoveButton] = []
        rows = []
        for position in range(n):
            # Named after the item they move (set in _refresh): "Move ‘Walk briskly’ up".
            up = lean(MoveButton, "bl-move-up", label="Up", arrow="↑")
            down = lean(MoveButton, "bl-move-down", label="Down", arrow="↓")
            up.on_click(self._mover(position, -1))
            down.on_click(self._mover(position, +1))
            label = lean(widgets.HTML, value="")
            self.item_labels.append(label)
            self.up_buttons.append(up)
            self.down_buttons.append(down)
            rows.append(lean(widgets.HBox, "bl-order-row", children=[up, down, label]))
        self.rows_box = lean(widgets.VBox, "bl-order-list", children=rows)
        self._refresh()
        return [lean(widgets.HTML, value=_IN_ORDER), self.rows_box]

    def _mover(self, position: int, step: int) -> Callable[[MoveButton], None]:
        def move(_button: MoveButton) -> None:
            safe_callback("while moving an item", self._show)(self.move)(position, step)

        return move

    def move(self, position: int, step: int) -> None:
        """Swap the item at *position* with its neighbour above (-1) or below (+1)."""
        target = position + step
        if not self._disabled and 0 <= target < len(self.current):
            self.current[position], self.current[target] = self.current[target], self.current[position]
            self._refresh()

    def _refresh(self) -> None:
        n = len(self.current)
        for position, index in enumerate(self.current):
            text = self.question.items[index]
            self.item_labels[position].value = f'<span class="bl-order-item">{position + 1}. {inline_markdown(text)}</span>'
            self.up_buttons[position].name_html = escape(f"Move ‘{plain_text(text)}’ up")
            self.down_buttons[position].name_html = escape(f"Move ‘{plain_text(text)}’ down")
            self.up_buttons[position].disabled = self._disabled or position == 0
            self.down_buttons[position].disabled = self._disabled or position == n - 1

    def _public_body_html(self) -> str:
        rows = "".join(f"<li>{inline_markdown(self.question.items[i])}</li>" for i in self.start_order)
        return f"{_IN_ORDER}<ol>{rows}</ol>"

    def response(self) -> tuple[tuple[int, ...], str]:
        return tuple(self.current), " | ".join(self.question.items[i] for i in self.current)

    def select(self, order: Sequence[int]) -> None:
        """Arrange the items in *order* (file indexes)."""
        self.current = list(order)
        self._refresh()

    def _set_disabled(self, disabled: bool) -> None:
        self._disabled = disabled
        self._refresh()

    def _clear(self) -> None:
        self.current = list(self.start_order)
        self._refresh()


@register_view("case")
class CaseView(QuestionView):
    """A clinical vignette with parts; one Check grades every part."""

    def _build(self) -> list[widgets.Widget]:
        self.vignette = lean(widgets.HTML, "bl-vignette", value=compact_block(markdown(getattr(self.question, "vignette", ""))))
        self.parts: list[QuestionView] = []
        for number, part in enumerate(self.question.parts, start=1):
            self.parts.append(view_for(part, seed=self.seed, shuffle=self.shuffle, part=number))
        return [self.vignette, *self.parts]

    def _public_body_html(self) -> str:
        return self.vignette.value + "".join(
            f'<div class="bl-case-part"><h5>Part {n}</h5>{p.public_html()}</div>' for n, p in enumerate(self.parts, 1)
        )

    def response(self) -> tuple[dict[str, Any], str]:
        responses: dict[str, Any] = {}
        texts = []
        missing = []
        for number, view in enumerate(self.parts, start=1):
            try:
                responses[view.question.id], text = view.response()
                texts.append(f"Part {number}: {text}")
            except NoAnswer:
                missing.append(str(number))
        if missing:
            raise NoAnswer(f"Answer every part first (missing: part {', '.join(missing)}).")
        return responses, "; ".join(texts)

    def check(self) -> Any:
        for view in self.parts:
            view._show("")
        return super().check()

    def show_grade(self, grade: Any) -> None:
        from backlessons.quiz.reveal import after_check

        shown = after_check(self.question, grade, self.attempts)
        part_grades = dict(getattr(grade, "parts", ()) or ())
        part_shown = dict(shown.parts)
        for view in self.parts:
            part_grade = part_grades.get(view.question.id)
            if part_grade is not None:
                # Parts inherit the case's sources: cite them once, under the case.
                own = tuple(view.question.sources) != tuple(self.question.sources)
                view._show(grade_html(view.question, part_grade, citations=own,
                                     shown=part_shown[view.question.id], note=False))
                view._mark(part_grade)
        self._show(grade_html(self.question, grade, shown=shown))

    def try_again(self) -> None:
        for view in self.parts:
            view._show("")
        super().try_again()

    def _set_disabled(self, disabled: bool) -> None:
        for view in self.parts:
            view._set_disabled(disabled)

    def _clear(self) -> None:
        for view in self.parts:
            view._clear()
