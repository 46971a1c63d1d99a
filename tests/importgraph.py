"""The package's modules and the imports each one makes, read from source with ``ast``.

Shared by the layering test and the import-cycle test. Imports inside functions are
included: the package imports late to stay fast, and a late import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator

SRC = Path(__file__).resolve().parents[1] / "src" / "backlessons"


def module_name(path: Path) -> str:
    parts = ("backlessons", *path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def owner(name: str) -> str | None:
    """The longest prefix of *name* that is a module of the package (None if it is outside)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in MODULES:
            return ".".join(parts[:end])
    return None


def import_statements(module: str) -> Iterator[tuple[str | None, list[str]]]:
    """Each import in *module*: ``(None, names)`` for ``import names``, and
    ``(source, names)`` for ``from source import names``, a relative source made absolute."""
    package = package_of(module)
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield None, [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            yield from_source(node, package), [alias.name for alias in node.names]


def package_of(module: str) -> str:
    """The package *module*'s relative imports start from (a package is its own)."""
    return module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]


def from_source(node: ast.ImportFrom, package: str) -> str:
    """The module of ``from source import ...`` written in *package*, a relative source made absolute."""
    if not node.level:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))
