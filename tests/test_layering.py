"""Does every module import only from its own layer or below?

The layers, lowest first (docs/architecture.md):

    base (errors, markup, csvfile, yamlfile, lazy)  <  content  <  quiz  <  widgets

Beside them sit modules that use the layers but that the layers never use: progress,
review, classroom, instructor, cli, site, and the page helpers display, clinical, figures.

Imports are read from the source with ``ast``, including imports inside functions (the
package imports late to stay fast, and a late import is still a dependency).
"""

from __future__ import annotations


import pytest

from tests.importgraph import MODULES, import_statements, owner


BASE = ("errors", "markup", "csvfile", "yamlfile", "lazy")
LAYERS: dict[str, int] = {**{name: 0 for name in BASE}, "content": 1, "quiz": 2, "widgets": 3}
BESIDE = ("progress", "review", "classroom", "instructor", "cli", "site", "display", "clinical", "figures", "__main__")
# Libraries that draw or talk to the browser: never below the widgets.
VIEW_LIBRARIES = ("ipywidgets", "matplotlib", "anywidget", "IPython")


def _resolve(name: str) -> str:
    """*name* cut back to the longest prefix that is a module of the package (or left as is)."""
    return owner(name) or name


def imports_of(module: str) -> set[str]:
    """Every module *module* imports, anywhere in its file, resolved to package modules where possible."""
    found: set[str] = set()
    for source, names in import_statements(module):
        if source is None:
            found |= {_resolve(name) for name in names}
        else:
            found.add(_resolve(source))
            # "from backlessons import content": the name may itself be a module
            found |= {_resolve(f"{source}.{name}") for name in names} & set(MODULES)
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
