"""The instructor kit: answer keys, new question banks, merged class results and reports.

Submodules are imported on first use so ``import backlessons.instructor`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "render_answer_key": "answer_key",
    "new_bank": "scaffold",
    "merge_results": "results",
    "analyse_class": "report",
    "render_report": "report",
    "explore": "explorer",
}
_SUBMODULES = ("answer_key", "scaffold", "results", "report", "stats", "plots", "explorer", "bankinfo", "demo")

__all__ = [*_LAZY, *_SUBMODULES]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"backlessons.instructor.{_LAZY[name]}"), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"backlessons.instructor.{name}")
    raise AttributeError(f"module 'backlessons.instructor' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
