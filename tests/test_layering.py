"""Does every module import only from its own layer or below?

The layers, lowest first (docs/architecture.md):

    base (errors, markup, csvfile, yamlfile, lazy)  <  content  <  quiz  <  widgets

Beside them sit modules that use the layers but that the layers never use: progress,
review, classroom, instructor, cli, site, and the page helpers display, clinical, figures.

Imports are read from the source with ``ast``, including imports inside functions (the
package imports late to stay fast, and a late import is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "backlessons"

BASE = ("errors", "markup", "csvfile", "yamlfile", "lazy")
LAYERS: dict[str, int] = {**{name: 0 for name in BASE}, "content": 1, "quiz": 2, "widgets": 3}
BESIDE = ("progress", "review", "classroom", "instructor", "cli", "site", "display", "clinical", "figures", "__main__")
# Libraries that draw or talk to the browser: never below the widgets.
VIEW_LIBRARIES = ("ipywidgets", "matplotlib", "anywidget", "IPython")


def _module_name(path: Path) -> str:
    parts = ("backlessons", *path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _resolve(name: str) -> str:
    """*name* cut back to the longest prefix that is a module of the package (or left as is)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in MODULES:
            return candidate
    return name


def imports_of(module: str) -> set[str]:
    """Every module *module* imports, anywhere in its file, resolved to package modules where possible."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {_resolve(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            found.add(_resolve(source))
            # "from backlessons import content": the name may itself be a module
            found |= {_resolve(f"{source}.{alias.name}") for alias in node.names} & set(MODULES)
    found.discard(module)
    return found


def area(module: str) -> str:
    """The layer or beside-group a package module belongs to ("" for the package root)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _package_imports(module: str) -> set[str]:
    return {m for m in imports_of(module) if m.startswith("backlessons.")}


def _third_party(module: str) -> set[str]:
    return {m.split(".")[0] for m in imports_of(module) if not m.startswith("backlessons")}


def _in(*areas: str) -> list[str]:
    return [m for m in MODULES if area(m) in areas]


def test_every_module_has_a_place():
    """Is every module of the package in a layer or beside them (a new one must be placed here)?"""
    unplaced = [m for m in MODULES if area(m) and area(m) not in LAYERS and area(m) not in BESIDE]
    assert unplaced == []


def test_function_level_imports_are_seen():
    """Does the scan see imports inside functions (quiz.bank loads content late)?"""
    assert "backlessons.content" in imports_of("backlessons.quiz.bank")
    assert "backlessons.yamlfile" in imports_of("backlessons.content.engine")


@pytest.mark.parametrize("module", _in("quiz"))
def test_quiz_never_imports_widgets_or_drawing(module):
    """Does this quiz module stay free of backlessons.widgets, ipywidgets and matplotlib?"""
    assert not {m for m in _package_imports(module) if area(m) == "widgets"}
    assert not _third_party(module) & set(VIEW_LIBRARIES)


@pytest.mark.parametrize("module", _in("content"))
def test_content_never_imports_quiz_or_widgets(module):
    """Does this content module stay free of quiz, widgets and drawing libraries?"""
    assert not {m for m in _package_imports(module) if area(m) in ("quiz", "widgets")}
    assert not _third_party(module) & set(VIEW_LIBRARIES)


@pytest.mark.parametrize("module", [m for m in MODULES if area(m) in LAYERS and area(m) != "widgets"])
def test_layers_never_import_upward(module):
    """Does this module import only from its own layer or a lower one (never from a module beside them)?"""
    rank = LAYERS[area(module)]
    upward = sorted(m for m in _package_imports(module) if area(m) not in LAYERS or LAYERS[area(m)] > rank)
    assert upward == []


@pytest.mark.parametrize("module", _in("progress"))
def test_progress_imports_only_the_layers_below_widgets(module):
    """Does the progress store use only base, content and quiz (no widgets, instructor, cli or pages)?"""
    allowed = {name for name, rank in LAYERS.items() if rank < LAYERS["widgets"]}
    assert sorted(m for m in _package_imports(module) if area(m) not in allowed) == []
    assert not _third_party(module) & set(VIEW_LIBRARIES)


@pytest.mark.parametrize("module", _in("widgets"))
def test_widgets_never_import_the_tools_above_them(module):
    """Does this widget module leave cli, site and instructor alone (they use widgets, not the reverse)?"""
    # progress, review and classroom are stores the widgets show; cli, site and the
    # instructor kit are front ends built on top.
    assert sorted(m for m in _package_imports(module) if area(m) in ("cli", "site", "instructor")) == []
