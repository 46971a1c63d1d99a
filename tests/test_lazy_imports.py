"""Do the lazily imported names of ``backlessons`` and ``backlessons.instructor`` all resolve?"""

from __future__ import annotations

import ast
import os
import pkgutil
import subprocess
import sys
import types

import pytest

import backlessons
import backlessons.instructor
import backlessons.widgets
from backlessons.lazy import lazy_exports

PACKAGES = [backlessons, backlessons.instructor, backlessons.widgets]


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_every_lazily_named_attribute_resolves(package):
    """Does every name in the package's __all__ resolve (functions/classes, and modules for submodules)?"""
    for name in package.__all__:
        value = getattr(package, name)
        assert value is not None, name
        if name in package._SUBMODULES:
            assert isinstance(value, types.ModuleType) and value.__name__ == f"{package.__name__}.{name}"
        elif name in getattr(package, "_MODULES", {}):
            assert isinstance(value, types.ModuleType) and value.__name__ == package._MODULES[name]
        elif name in package._LAZY:
            assert getattr(value, "__name__", name) == name, f"{package.__name__}.{name} is {value!r}"


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_dir_lists_exactly_all(package):
    """Does dir() of the package show exactly its public names, sorted?"""
    assert dir(package) == sorted(package.__all__)


def test_every_public_instructor_module_is_reachable():
    """Is every public module of backlessons.instructor named as a lazy submodule (workshop was missing)?"""
    found = {m.name for m in pkgutil.iter_modules(backlessons.instructor.__path__) if not m.name.startswith("_")}
    assert found <= set(backlessons.instructor._SUBMODULES)


def test_an_unknown_name_is_an_attribute_error():
    """Does a misspelt name raise AttributeError naming the package, as a normal module would?"""
    with pytest.raises(AttributeError, match="'backlessons.instructor' has no attribute 'render_anwser_key'"):
        backlessons.instructor.render_anwser_key  # noqa: B018


def test_helper_resolves_relative_and_absolute_modules():
    """Does lazy_exports import a relative and an absolute module only when the name is first used?"""
    module = types.ModuleType("fakepkg")
    module.__path__ = []
    sys.modules["fakepkg"] = module
    try:
        getattr_, dir_, all_ = lazy_exports("fakepkg", {"dumps": "json", "Path": "pathlib"}, (), eager=("x",))
        assert all_ == ["x", "dumps", "Path"]
        assert getattr_("dumps")({"a": 1}) == '{"a": 1}'
        assert module.dumps is getattr_("dumps")  # kept after the first use
        with pytest.raises(AttributeError):
            getattr_("loads")
    finally:
        del sys.modules["fakepkg"]


def test_figures_are_reached_from_the_package_root():
    """Is ``bl.figures`` the figure module under widgets, with every figure function on it?"""
    import backlessons.widgets.figures as figure_module

    assert backlessons.figures is figure_module
    assert "figures" in dir(backlessons)
    assert callable(backlessons.figures.training_spikes)


def test_helper_reaches_a_module_kept_elsewhere():
    """Does lazy_exports give a whole module from another package under a short name, on first use only?"""
    module = types.ModuleType("fakepkg2")
    module.__path__ = []
    sys.modules["fakepkg2"] = module
    try:
        getattr_, _dir, all_ = lazy_exports("fakepkg2", {}, (), modules={"jsonmod": "json"})
        assert all_ == ["jsonmod"] and "jsonmod" not in vars(module)
        import json

        assert getattr_("jsonmod") is json and module.jsonmod is json
    finally:
        del sys.modules["fakepkg2"]


def test_a_quiz_alone_loads_no_other_view():
    """Does building on `backlessons.widgets.Quiz` leave the dashboard, the cards and the figures unimported?"""
    code = (
        "import sys, backlessons.widgets as w; w.Quiz; "
        "print(sorted(m for m in ('dashboard', 'exercise_card', 'evidence_card', 'figures', 'review') "
        "if 'backlessons.widgets.' + m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_import_stays_light():
    """Does `import backlessons, backlessons.instructor` load neither matplotlib, ipywidgets, pandas nor pydantic?"""
    code = (
        "import sys, backlessons, backlessons.instructor; "
        "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'pandas', 'pydantic') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _imported_after(statements: str, modules: tuple[str, ...], home: os.PathLike[str]) -> list[str]:
    """Which of *modules* a fresh Python has imported after running *statements* (a throwaway home)."""
    code = f"import sys, backlessons as bl\n{statements}\nprint(sorted(m for m in {modules!r} if m in sys.modules))\n"
    env = {**os.environ, "BACKLESSONS_HOME": str(home), "MPLCONFIGDIR": os.path.join(home, "mpl")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                         cwd=home).stdout
    return ast.literal_eval(out.strip().splitlines()[-1])


def test_first_quiz_and_figure_load_only_what_they_use(tmp_path):
    """Does a first Quiz + figure (the first-use benchmark) leave asyncio, pandas, the case and exercise-card content and the diagram checks unimported?"""
    unused = ("asyncio", "pandas", "backlessons.content.cases", "backlessons.content.exercise_cards",
              "backlessons.content.diagrams")
    assert _imported_after("bl.Quiz('01_causes'); bl.figures.imaging_findings_by_age()", unused, tmp_path) == []


def test_content_records_load_on_first_use():
    """Do content's case and exercise-card record classes still resolve by name (`content.Exercise`, `from content import Dose`)?"""
    from backlessons import content
    from backlessons.content import Dose, RedFlagCase

    assert content.Exercise.__name__ == "Exercise" and Dose.__name__ == "Dose"
    assert RedFlagCase.__module__ == "backlessons.content.cases"
    assert {"Exercise", "Dose", "StopSign"} <= set(content.__all__)
    with pytest.raises(AttributeError):
        content.NoSuchRecord  # noqa: B018


def test_a_lesson_that_shows_no_dataframe_never_imports_pandas(tmp_path):
    """Do quizzes, figures, cards, cases, reference lists and the progress dashboard run without pandas (a learner waits for it)?"""
    statements = (
        "bl.Quiz('01_causes'); bl.figures.imaging_findings_by_age(); bl.figures.prevalence(); bl.figures.training_spikes()\n"
        "bl.EvidenceCard('C1'); bl.RedFlagCase('groin_pain_runner'); bl.ExerciseCard('superman')\n"
        "bl.urgency_scale(); bl.red_flag_table(); bl.certainty_levels(); bl.natural_history_facts(); bl.course_map()\n"
        "bl.NiceExplorer(); bl.references('08_red_flags_and_clinical_reasoning'); bl.table('causes_treatments')\n"
        "from backlessons.instructor import workshop; workshop.learning_outcomes()\n"
        "from backlessons.progress import ProgressStore; store = ProgressStore()\n"
        "store.record('01_causes', 'q1', 'single', 0, 'A', False, 0.0, 1); bl.ProgressDashboard(store)"
    )
    assert _imported_after(statements, ("pandas",), tmp_path) == []
    assert _imported_after("from backlessons import content; content.claims()", ("pandas",), tmp_path) == ["pandas"]
