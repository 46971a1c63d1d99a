"""ipywidgets views, thin over :mod:`backlessons.quiz` and :mod:`backlessons.content`.

CSS classes on every important element are the browser tests' hooks; they are
listed in ``docs/widgets.md``. The views are imported on first use (``lazy.py``), so a
notebook that shows only a quiz never loads the dashboard, the cards or the figures.
"""

from __future__ import annotations

from backlessons.lazy import lazy_exports

_LAZY = {
    "Quiz": ".quiz",
    "EvidenceCard": ".evidence_card",
    "ExerciseCard": ".exercise_card",
    "ProgressDashboard": ".dashboard",
    "Review": ".review",
    "QuestionView": ".questions",
    "VIEW_TYPES": ".questions",
    "register_view": ".questions",
    "view_for": ".questions",
}
_SUBMODULES = ("figures",)

__getattr__, __dir__, __all__ = lazy_exports(__name__, _LAZY, _SUBMODULES)
