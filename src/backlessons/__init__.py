"""backlessons: an evidence-based, interactive course on running and lower back pain.

The public names below are imported on first use, so ``import backlessons`` stays
about as fast as importing ipywidgets and pandas themselves.
"""

from __future__ import annotations

import importlib
from typing import Any

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
_SUBMODULES = ("content", "clinical", "figures", "quiz", "progress", "display", "widgets", "instructor", "review")

__all__ = ["__version__", *_LAZY, *_SUBMODULES]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"backlessons.{name}")
    raise AttributeError(f"module 'backlessons' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
