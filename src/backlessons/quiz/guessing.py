"""Random-guess scores: the mean score of every possible response to a question, each equally likely.

Each type's ``random_guess`` (its ``QuestionType``) says what its possible responses are
and calls :func:`mean_score`, which grades them with the package's own grader, so partial
credit counts exactly as learners get it. (Matching states its exact mean, 1 / choices;
its tests check that against :func:`mean_score` over every assignment.) When there are more than
:data:`ENUMERATION_LIMIT` responses, a fixed-seed sample of that many stands in. The
instructor tools show the score beside each question's facility
(``instructor/bankinfo.py``, ``docs/statistics.md``).
"""

from __future__ import annotations

import math
import random
from typing import Any, Callable, Iterable

from backlessons.quiz.registry import grade

__all__ = ["ENUMERATION_LIMIT", "mean_score"]

ENUMERATION_LIMIT = 20_000


def mean_score(question: Any, count: int, every: Callable[[], Iterable[Any]],
               at_random: Callable[[random.Random], Any]) -> float:
    """Mean score of the *count* responses *every()* gives (valid ones only; NaN if none).

    Above :data:`ENUMERATION_LIMIT` responses, ``ENUMERATION_LIMIT`` draws of
    ``at_random(rng)`` (each response equally likely), seeded by the question id.
    """
    if count > ENUMERATION_LIMIT:
        rng = random.Random(f"{question.id}")
        responses: Iterable[Any] = (at_random(rng) for _ in range(ENUMERATION_LIMIT))
    else:
        responses = every()
    total = scored = 0
    for response in responses:
        result = grade(question, response)
        if result.valid:
            total += result.score
            scored += 1
    return total / scored if scored else math.nan
