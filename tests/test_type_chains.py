"""Is question-type knowledge kept in the types, not in chains of type names spread over the package?

A chain (``if question.type == "single": … elif question.type == "matching": …``) is where
a new type is silently forgotten. Each type declares its parts once
(``backlessons.quiz.registry``); code elsewhere asks the registry, reads the fields a
question has, or registers per-type behaviour in one table keyed by type
(``@register_view("single")``, ``lms.EXPORTS``). The test reads the source with ``ast``
and reports every comparison with a registered type's name.
"""

from __future__ import annotations

import ast
from pathlib import Path

from backlessons.quiz import QUESTION_TYPES

SRC = Path(__file__).resolve().parents[1] / "src" / "backlessons"

# Modules allowed to compare type names. Empty: the instructor tools (demo class, random-guess
# scores, option analysis) ask the registry too. Keep it empty.
STILL_BY_NAME: set[str] = set()


def _names(node: ast.AST) -> set[str]:
    values = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else [node]
    return {v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)}


def comparisons_with_type_names(root: Path = SRC) -> dict[str, list[int]]:
    """File (relative to *root*) → lines comparing something with a registered type's name."""
    found: dict[str, list[int]] = {}
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and any(
                    _names(side) & set(QUESTION_TYPES) for side in (node.left, *node.comparators)):
                found.setdefault(path.relative_to(root).as_posix(), []).append(node.lineno)
    return found


def test_no_new_chains_of_type_names():
    """Does no module outside the known few compare question types by name?"""
    assert sorted(set(comparisons_with_type_names()) - STILL_BY_NAME) == []


def test_known_list_is_not_stale():
    """Does every module on the known list still compare type names (else take it off)?"""
    assert sorted(STILL_BY_NAME - set(comparisons_with_type_names())) == []


def test_the_scan_sees_a_chain(tmp_path):
    """Would `question.type == "single"` or `in ("single", "multiple")` be reported?"""
    (tmp_path / "chain.py").write_text(
        'def f(q):\n    if q.type == "single":\n        return 1\n    return q.type in ("multiple", "case")\n',
        encoding="utf-8")
    assert comparisons_with_type_names(tmp_path) == {"chain.py": [2, 4]}
