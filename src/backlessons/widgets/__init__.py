"""ipywidgets views, thin over :mod:`backlessons.quiz` and :mod:`backlessons.content`.

CSS classes on every important element are the browser tests' hooks; they are
listed in ``docs/widgets.md``.
"""

from __future__ import annotations

from backlessons.widgets.dashboard import ProgressDashboard
from backlessons.widgets.evidence_card import EvidenceCard
from backlessons.widgets.exercise_card import ExerciseCard
from backlessons.widgets.questions import VIEW_TYPES, QuestionView, register_view, view_for
from backlessons.widgets.quiz import Quiz
from backlessons.widgets.review import Review

__all__ = [
    "Quiz",
    "EvidenceCard",
    "ExerciseCard",
    "ProgressDashboard",
    "Review",
    "QuestionView",
    "VIEW_TYPES",
    "register_view",
    "view_for",
]
