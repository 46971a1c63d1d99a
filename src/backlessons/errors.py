"""The one error family: every problem names the file, the row or question, and the field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

__all__ = ["Problem", "ContentError"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one data file or question bank."""

    path: str
    where: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        location = f"{self.path}:{self.line}" if self.line else self.path
        parts = [location] + [part for part in (self.where, self.field) if part]
        return ": ".join(parts + [self.message])


class ContentError(ValueError):
    """Raised when content does not validate; carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("ContentError needs at least one problem")
        super().__init__("\n".join(str(p) for p in self.problems))
