"""backlessons: an evidence-based, interactive course on running and lower back pain.

The public names below are imported on first use, so ``import backlessons`` stays
about as fast as importing ipywidgets and pandas themselves.
"""

from __future__ import annotations

from backlessons.lazy import lazy_exports

__version__ = "0.1.0"

_LAZY = {
    "Quiz": "backlessons.widgets.quiz",
    "EvidenceCard": "backlessons.widgets.evidence_card",
    "ExerciseCard": "backlessons.widgets.exercise_card",
    "ProgressDashboard": "backlessons.widgets.dashboard",
    "Review": "backlessons.widgets.review",
    "course_map": "backlessons.display",
    "references": "backlessons.display",
    "table": "backlessons.display",
    "RedFlagCase": "backlessons.widgets.red_flag_case",
    "NiceExplorer": "backlessons.widgets.nice_explorer",
    "urgency_scale": "backlessons.clinical",
    "red_flag_table": "backlessons.clinical",
    "nice_recommendations": "backlessons.clinical",
    "safety_net_card": "backlessons.clinical",
    "certainty_levels": "backlessons.clinical",
    "natural_history_facts": "backlessons.clinical",
}
_SUBMODULES = ("content", "clinical", "quiz", "progress", "display", "widgets", "instructor", "review")
# bl.figures.<name>(): the figures are widgets and live under backlessons.widgets.
_MODULES = {"figures": "backlessons.widgets.figures"}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _LAZY, _SUBMODULES, eager=("__version__",), modules=_MODULES)
