"""The instructor kit: answer keys, new question banks, merged class results and reports.

Submodules are imported on first use so ``import backlessons.instructor`` stays cheap.
"""

from __future__ import annotations

from backlessons.lazy import lazy_exports

_LAZY = {
    "render_answer_key": ".answer_key",
    "new_bank": ".scaffold",
    "merge_results": ".results",
    "analyse_class": ".report",
    "render_report": ".report",
    "explore": ".explorer",
    "learning_outcomes": ".workshop",
    "nbgitpuller_link": ".workshop",
    "binder_link": ".workshop",
}
_SUBMODULES = ("answer_key", "scaffold", "results", "report", "stats", "plots", "explorer", "bankinfo", "demo",
               "workshop", "lms")

__getattr__, __dir__, __all__ = lazy_exports(__name__, _LAZY, _SUBMODULES)
