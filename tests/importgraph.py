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
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield None, [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            yield source, [alias.name for alias in node.names]
