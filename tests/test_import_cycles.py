"""Does any module of the package import itself round a cycle, and does each quiz module import first?

A cycle (quiz/bank.py importing quiz/case.py importing quiz/bank.py) works only while
the imports stay late and in one order; the first change of order breaks it at import
time. Imports are read from the source with ``ast``, those inside functions included.
``from package import submodule`` counts as importing the submodule (the package's
``__init__`` is then already running), every other ``from package import name`` as
importing the package.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.importgraph import MODULES, import_statements, owner

def imports(module: str) -> set[str]:
    found: set[str | None] = set()
    for source, names in import_statements(module):
        if source is None:
            found |= {owner(name) for name in names}
        else:
            submodules = {f"{source}.{name}" for name in names} & set(MODULES)
            found |= submodules if len(submodules) == len(names) else {owner(source)} | submodules
    return {m for m in found if m and m != module}


def cycles() -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    graph = {m: imports(m) for m in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in MODULES:
        if module not in index:
            visit(module)
    return groups


def test_the_scan_sees_late_imports():
    """Does the scan see an import made inside a function (the kind a cycle hides behind)?"""
    assert "backlessons.content" in imports("backlessons.quiz.bank")  # reference_keys imports it late
    assert "backlessons.quiz.registry" in imports("backlessons.quiz.case")


def test_no_module_imports_itself_round_a_cycle():
    """Is the package's import graph free of cycles (quiz.bank and quiz.case included)?"""
    assert cycles() == []


def test_bank_and_case_do_not_import_each_other():
    """Does quiz.case reach the dispatch through the registry, never through quiz.bank?"""
    assert "backlessons.quiz.bank" not in imports("backlessons.quiz.case")
    assert "backlessons.quiz.bank" not in imports("backlessons.quiz.registry")


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("backlessons.quiz")))
def test_quiz_module_imports_first_in_a_fresh_process(module):
    """Does this quiz module import on its own, as the first thing a fresh interpreter does?"""
    result = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
