"""Does every module import only from its own layer or below, and only public names of other modules?

The layers, lowest first (docs/architecture.md):

    base (errors, markup, csvfile, yamlfile, lazy, png)  <  content  <  quiz
        <  widgets and the pages they build on (display, clinical)  <  the notebook API (backlessons/__init__)

Beside them sit modules that use the layers but that the layers never use: progress,
review, classroom, instructor, cli, site. The widgets alone may use the learner's stores
beside them (progress, review, classroom), which they show.

Imports are read from the source with ``ast``, including imports inside functions (the
package imports late to stay fast, and a late import is still a dependency).
"""

from __future__ import annotations

import ast

import pytest

from tests.importgraph import MODULES, from_source, import_statements, owner, package_of


BASE = ("errors", "markup", "csvfile", "yamlfile", "lazy", "png")
# The pages: HTML the notebooks show, at the widgets' level (figures and cards use them).
PAGES = ("display", "clinical")
LAYERS: dict[str, int] = {
    **{name: 0 for name in BASE}, "content": 1, "quiz": 2, "widgets": 3, **{name: 3 for name in PAGES}, "": 4,
}
BESIDE = ("progress", "review", "classroom", "instructor", "cli", "site", "__main__")
# Stores beside the layers that the widgets show (the dashboard, the review, the hand-in panel).
STORES = ("progress", "review", "classroom")
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


@pytest.mark.parametrize("module", [m for m in MODULES if area(m) in LAYERS])
def test_layers_never_import_upward(module):
    """Does this module import only from its own layer or a lower one (never from a module beside them)?"""
    rank = LAYERS[area(module)]
    allowed_beside = STORES if area(module) == "widgets" else ()
    upward = sorted(
        m for m in _package_imports(module)
        if (area(m) not in LAYERS and area(m) not in allowed_beside) or LAYERS.get(area(m), -1) > rank
    )
    assert upward == []


def test_the_layer_order_is_enforced():
    """Would the scan catch a quiz module importing a widget and a page importing the instructor kit?"""
    assert LAYERS["widgets"] > LAYERS["quiz"] > LAYERS["content"] > LAYERS["errors"]
    # What today's code does, seen by the scan: widgets use the pages, the pages use quiz.
    assert "backlessons.display" in imports_of("backlessons.widgets.figures")
    assert "backlessons.quiz" in {_resolve(m) for m in imports_of("backlessons.display")}
    assert area("backlessons.widgets.figures") == "widgets"
    assert LAYERS[area("backlessons.display")] == LAYERS["widgets"]


def test_drawing_libraries_stay_in_the_widgets_pages_and_tools():
    """Do ipywidgets, matplotlib and anywidget stay out of base, content, quiz and the stores?"""
    low = [m for m in MODULES if LAYERS.get(area(m), 99) < LAYERS["widgets"] or area(m) in STORES]
    offenders = {m: sorted(_third_party(m) & set(VIEW_LIBRARIES)) for m in low}
    assert {m: libs for m, libs in offenders.items() if libs} == {}


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


# --- private names ------------------------------------------------------------------------


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(module: str) -> list[str]:
    """Private names of *other* modules that *module* uses: ``from x import _y``, ``x._y``, private modules.

    A private module (``widgets._base``) may be used inside its own package only; a
    private name (``display._clean``) only inside the module that defines it.
    """
    path = MODULES[module]
    package = package_of(module)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    aliases: dict[str, str] = {}  # local name -> package module it is bound to

    def check_module(target: str, line: int) -> None:
        parts = target.split(".")
        for index, part in enumerate(parts):
            if _is_private(part):
                owner = ".".join(parts[:index])
                if not (module == owner or module.startswith(owner + ".")):
                    found.append(f"line {line}: private module {target}")
                return

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("backlessons"):
                    check_module(alias.name, node.lineno)
                    if alias.asname:
                        aliases[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            source = from_source(node, package)
            if not source.startswith("backlessons"):
                continue
            check_module(source, node.lineno)
            for alias in node.names:
                target = f"{source}.{alias.name}"
                if target in MODULES:
                    check_module(target, node.lineno)
                    aliases[alias.asname or alias.name] = target
                elif _is_private(alias.name) and _resolve(source) != module:
                    found.append(f"line {node.lineno}: from {source} import {alias.name}")
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases and _is_private(node.attr)):
            target = aliases[node.value.id]
            if f"{target}.{node.attr}" in MODULES:
                check_module(f"{target}.{node.attr}", node.lineno)
            elif target != module:
                found.append(f"line {node.lineno}: {node.value.id}.{node.attr} (of {target})")
    return found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_names_of_other_modules(module):
    """Does this module use only public names of the package's other modules (no `from x import _y`, no `x._y`)?"""
    assert private_uses(module) == []


def test_private_name_scan_catches_what_it_should(tmp_path, monkeypatch):
    """Does the scan report `from x import _y`, `x._y` and a private module used from outside its package?"""
    fake = tmp_path / "offender.py"
    fake.write_text(
        "from backlessons.display import _reference_fields\n"
        "from backlessons import display\n"
        "import backlessons.widgets._base\n"
        "display._format({}, '')\n"
        "from backlessons.display import format_reference\n",
        encoding="utf-8",
    )
    monkeypatch.setitem(MODULES, "backlessons.offender", fake)
    found = private_uses("backlessons.offender")
    assert len(found) == 3, found
    assert any("_reference_fields" in f for f in found)
    assert any("display._format" in f for f in found)
    assert any("widgets._base" in f for f in found)
    # Inside its own package a private module is fine.
    assert private_uses("backlessons.widgets.quiz") == []
