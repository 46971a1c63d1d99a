"""Does any module of the package import itself round a cycle, and does each quiz module import first?

A cycle (quiz/bank.py importing quiz/case.py importing quiz/bank.py) works only while
the imports stay late and in one order; the first change of order breaks it at import
time. Imports are read from the source with ``ast``, those inside functions included.
``from package import submodule`` counts as importing the submodule (the package's
``__init__`` is then already running), every other ``from package import name`` as
importing the package.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "backlessons"


def _name(path: Path) -> str:
    parts = ("backlessons", *path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _owner(name: str) -> str | None:
    """The longest prefix of *name* that is a module of the package (None if it is outside)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in MODULES:
            return ".".join(parts[:end])
    return None


def imports(module: str) -> set[str]:
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str | None] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {_owner(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            submodules = {f"{source}.{alias.name}" for alias in node.names} & set(MODULES)
            found |= submodules if len(submodules) == len(node.names) else {_owner(source)} | submodules
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
