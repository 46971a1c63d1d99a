"""Quiz: a lesson's question bank as a stack of question views with a running score.

A long bank is shown a page at a time, and a question's view (some forty widgets) is
built the first time its page is shown, then kept: building every view up front made
``Quiz()`` on a 20,000-question bank take minutes. Every shipped lesson fits on one page.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

import ipywidgets as widgets

from backlessons.markup import escape
from backlessons.widgets._base import StaticFallbackMixin, error_html, lean, lean_layout, safe_callback
from backlessons.widgets.components import Pager
from backlessons.widgets.questions import QuestionView, format_score, view_for

if TYPE_CHECKING:
    import pandas as pd

    from backlessons.progress import ProgressStore
    from backlessons.quiz import Bank

__all__ = ["Quiz", "QuizViews", "RESULT_COLUMNS", "PAGE_SIZE"]

RESULT_COLUMNS = ("question_id", "type", "response", "correct", "score", "attempts")
#: Questions per page. The largest shipped bank has 21: every lesson's quiz is one page.
PAGE_SIZE = 25


class QuizViews(Sequence[QuestionView]):
    """A quiz's question views in bank order, each built the first time it is asked for.

    ``len()`` is the number of questions; indexing builds (and keeps) that view;
    iterating builds them all. ``built`` lists only those built so far.
    """

    def __init__(self, count: int, build: Callable[[int], QuestionView]) -> None:
        self._count = count
        self._build = build
        self._built: dict[int, QuestionView] = {}

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> QuestionView: ...

    @overload
    def __getitem__(self, index: slice) -> list[QuestionView]: ...

    def __getitem__(self, index: int | slice) -> QuestionView | list[QuestionView]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        position = index + self._count if index < 0 else index
        if not 0 <= position < self._count:
            raise IndexError(f"question index {index} out of range ({self._count} questions)")
        view = self._built.get(position)
        if view is None:
            view = self._built[position] = self._build(position)
        return view

    def __iter__(self) -> Iterator[QuestionView]:
        return (self[i] for i in range(self._count))

    def built_view(self, index: int) -> QuestionView | None:
        """The view of question *index* if it was built, else None (nothing built here)."""
        return self._built.get(index)

    @property
    def built(self) -> tuple[QuestionView, ...]:
        """The views built so far, in bank order (the questions of the pages shown)."""
        return tuple(self._built[i] for i in sorted(self._built))


class Quiz(StaticFallbackMixin, widgets.VBox):
    """A lesson's quiz: every question with Check / Try again, graded in the kernel.

    ``lesson_or_path`` is a shipped lesson id (``"01_causes"``) or a path to a bank
    file. Question order follows the bank; options, right-hand matching options and
    ordering items are shuffled with *seed* (deterministic) unless ``shuffle=False``.
    Each valid attempt is saved to *store* (by default the learner's
    :class:`~backlessons.progress.ProgressStore`, opened on the first Check).

    A bank longer than *page_size* questions is shown a page at a time, with Previous
    page / Next page buttons; a question's view is built when its page is first shown
    and kept, so answers stay when the learner pages away and back.
    """

    def __init__(
        self,
        lesson_or_path: str | os.PathLike[str],
        seed: int = 0,
        shuffle: bool = True,
        store: ProgressStore | None = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        from backlessons.quiz import load_bank

        if int(page_size) < 1:
            raise ValueError(f"page_size must be at least 1, got {page_size!r}")

        # Plain attributes: the bank holds the answer key and must never be a trait.
        self.bank: Bank = load_bank(os.fspath(lesson_or_path))
        self.seed = int(seed)
        self.shuffle = bool(shuffle)
        self._store = store
        self.page_size = int(page_size)
        self.views = QuizViews(len(self.bank.questions), self._build_view)
        self.header = lean(widgets.HTML, "bl-quiz-header", value=self._header_html())
        self.score_label = lean(widgets.Label, "bl-score", value=self._score_text())
        self.status = lean(widgets.HTML, "bl-quiz-status", value="")
        self._page = 1
        self.pager: Pager | None = None
        self.page_box: widgets.VBox | None = None
        if self.page_count == 1:
            # One page: the same widgets as always (nothing to page through).
            super().__init__(children=[self.header, *self.views, self.score_label, self.status], layout=lean_layout(),
                             _dom_classes=("bl-quiz",))
        else:
            # Only the page box's children change when paging: the pager keeps its focus.
            self.page_box = lean(widgets.VBox, "bl-quiz-page", children=self._page_views(1))
            self.pager = lean(Pager, "bl-quiz-pager", page_count=self.page_count,
                              label=f"Pages of this quiz ({len(self.views)} questions)")
            self._show_page_state()
            self.pager.observe(self._on_pager, names="page")
            super().__init__(children=[self.header, self.page_box, self.pager, self.score_label, self.status],
                             layout=lean_layout(), _dom_classes=("bl-quiz",))

    # --- public -------------------------------------------------------------------------

    @property
    def lesson(self) -> str:
        return self.bank.lesson

    @property
    def questions(self) -> tuple[Any, ...]:
        return tuple(self.bank.questions)

    @property
    def score(self) -> float:
        """Sum over questions of each question's best score so far."""
        # A view not built yet was never shown: nothing answered there.
        return sum(v.best_score for v in self.views.built)

    @property
    def attempts(self) -> int:
        """Valid attempts in this session, over all questions."""
        return sum(v.attempts for v in self.views.built)

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self.views) // self.page_size))

    @property
    def page(self) -> int:
        """The page shown, from 1."""
        return self._page

    def show_page(self, page: int) -> None:
        """Show page *page* (from 1), building its views the first time."""
        if not 1 <= page <= self.page_count:
            raise ValueError(f"page {page!r} out of range: this quiz has {self.page_count} page(s)")
        if self.page_box is None or page == self._page:
            return
        self._page = page
        self.page_box.children = self._page_views(page)
        self._show_page_state()

    def next_page(self) -> None:
        self.show_page(min(self._page + 1, self.page_count))

    def previous_page(self) -> None:
        self.show_page(max(self._page - 1, 1))

    @property
    def store(self) -> ProgressStore:
        if self._store is None:
            from backlessons.progress import ProgressStore

            self._store = ProgressStore()
        return self._store

    @property
    def results(self) -> pd.DataFrame:
        """One row per question: last response, ever correct, best score, attempts."""
        import pandas as pd

        rows = []
        for index, question in enumerate(self.bank.questions):
            v = self.views.built_view(index)
            rows.append({
                "question_id": question.id,
                "type": question.type,
                "response": v.last_response if v else None,
                "correct": v.ever_correct if v else False,
                "score": v.best_score if v else 0.0,
                "attempts": v.attempts if v else 0,
            })
        return pd.DataFrame(rows, columns=list(RESULT_COLUMNS))

    # --- internals ----------------------------------------------------------------------

    def _build_view(self, index: int) -> QuestionView:
        return view_for(self.bank.questions[index], seed=self.seed, shuffle=self.shuffle, on_graded=self._graded,
                        number=index + 1, bank_path=self.bank.path)

    def _page_range(self, page: int) -> range:
        start = (page - 1) * self.page_size
        return range(start, min(start + self.page_size, len(self.views)))

    def _page_views(self, page: int) -> list[QuestionView]:
        shown = self._page_range(page)
        return self.views[shown.start:shown.stop]

    def _show_page_state(self) -> None:
        assert self.pager is not None
        shown = self._page_range(self._page)
        first, last = shown.start + 1, shown.stop
        numbers = f"Question {first}" if first == last else f"Questions {first}–{last}"
        with self.pager.hold_sync():
            self.pager.page = self._page
            self.pager.status = f"{numbers} of {len(self.views)} (page {self._page} of {self.page_count})"
            self.pager.first = first  # last: the browser moves the focus when this changes

    def _on_pager(self, change: dict[str, Any]) -> None:
        def go() -> None:
            wanted = min(max(int(change["new"]), 1), self.page_count)  # a stale page never fails
            if wanted == self._page:
                self._show_page_state()
            else:
                self.show_page(wanted)

        safe_callback("while turning the page", self._show_status)(go)()

    def _show_status(self, html: str) -> None:
        self.status.value = html

    def _header_html(self) -> str:
        n = len(self.bank.questions)
        pages = (
            f" They are shown {self.page_size} to a page: <strong>Previous page</strong> and "
            "<strong>Next page</strong> are below the questions, and your answers stay when you turn the page."
            if self.page_count > 1 else ""
        )
        return (
            f'<h3 class="bl-quiz-title">{escape(self.bank.title)}</h3>'
            f"<p>{n} question{'s' if n != 1 else ''}.{pages} Answer, then press <strong>Check</strong>; "
            "<strong>Try again</strong> clears your answer. Your answers are saved on this computer only.</p>"
        )

    def _score_text(self) -> str:
        return f"Score: {format_score(self.score)} / {len(self.views)} · attempts {self.attempts}"

    def _graded(self, view: QuestionView, grade: Any, response: Any, response_text: str) -> None:
        self.score_label.value = self._score_text()
        try:
            # The attempt number is counted inside the save, so two kernels cannot both take it.
            self.store.record_next(
                self.lesson,
                view.question.id,
                view.question.type,
                response,
                response_text,
                bool(grade.correct),
                float(grade.score),
            )
            self.status.value = ""
        except Exception as exc:  # noqa: BLE001 - grading worked; say that saving did not
            self.status.value = error_html("while saving your progress (your answer was still checked)", exc)

    def _plain_text(self) -> str:
        n = len(self.views)
        return (
            f"Quiz: {self.lesson} — {n} question{'s' if n != 1 else ''} (seed {self.seed}). "
            "Run the notebook in JupyterLab to answer."
        )

    def _static_html(self) -> str:
        # The first page only: it is built already, and a saved notebook or a site page stays
        # small however long the bank (every shipped lesson is one page, listed in full).
        shown = self._page_range(1)
        questions = "".join(
            f'<div class="bl-question bl-q-{escape(v.question.type.replace("_", "-"))}">'
            f"<h4>Question {n}</h4>{v.public_html()}</div>"
            for n, v in enumerate(self.views[shown.start:shown.stop], start=1)
        )
        rest = len(self.views) - shown.stop
        where = f"question {len(self.views)}" if rest == 1 else f"questions {shown.stop + 1}–{len(self.views)}"
        more = f"<p>… and {rest} more ({where}) in the notebook.</p>" if rest > 0 else ""
        return (
            f'<div class="bl-quiz bl-static">{self._header_html()}{questions}{more}'
            "<p><em>Run this notebook in JupyterLab to check your answers.</em></p></div>"
        )
