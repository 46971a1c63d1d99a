"""Does the built wheel carry the data, and does the package read it from the installed copy?

The wheel is installed into a fresh virtual environment. Its dependencies (pandas, yaml, ...)
come from the shared environment through a .pth line naming that environment's
site-packages folder; a path listed in a .pth file is added to sys.path without its own
.pth files being processed, so the editable install of the checkout cannot leak in.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

pytestmark = pytest.mark.slow

# Runs inside the temporary environment; prints one JSON object.
PROBE = r"""
import hashlib, json, sys
import backlessons, backlessons.content as c
import yaml

root = c.data_root()

def walk(node, prefix=""):
    for child in sorted(node.iterdir(), key=lambda p: p.name):
        rel = prefix + child.name
        if child.is_dir():
            yield from walk(child, rel + "/")
        else:
            yield rel, hashlib.sha256(child.read_bytes()).hexdigest()

quizzes = sorted(p.name for p in (root / "quizzes").iterdir() if p.name.endswith(".yaml"))
print(json.dumps({
    "package_file": backlessons.__file__,
    "data_root": str(root),
    "sys_path": sys.path,
    "problems": [str(p) for p in c.validate_data()],
    "lessons": list(c.lessons()["id"]),
    "claims": list(c.claims().index),
    "references": sorted(c.reference_keys()),
    "causes_treatments": len(c.causes_treatments()),
    "red_flags": len(c.red_flags()),
    "exercises": sorted(c.exercises()),
    "claim_c4": c.claim("C4").verdict,
    "datasets": {name: len(c.dataset(name)) for name in c.dataset_names()},
    "diagrams": {name: c.diagram_svg(name).count("<title") for name in c.exercises()},
    "quizzes": {name: type(yaml.safe_load((root / "quizzes" / name).read_text(encoding="utf-8"))).__name__
                for name in quizzes},
    "files": dict(walk(root)),
    "answer_key_html": __import__("backlessons.instructor.answer_key", fromlist=["x"]).render_answer_key(
        [quizzes[0][:-len(".yaml")]], "html"),
    "bank_template_lines": len(__import__("backlessons.instructor.scaffold", fromlist=["x"]).template_text().splitlines()),
    "widget_static": sorted(
        p.name for p in __import__("importlib.resources").resources.files("backlessons.widgets").joinpath("static").iterdir()
    ),
    "first_frames": sorted(
        p.name for p in __import__("importlib.resources").resources.files("backlessons.widgets").joinpath("frames").iterdir()
    ),
}))
"""


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict]:
    """(venv folder, probe output) for a freshly built and installed wheel."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", str(dist), str(ROOT)], cwd=base)
    wheels = sorted(dist.glob("backlessons-*.whl"))
    assert len(wheels) == 1, wheels

    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    shared = Path(sysconfig.get_paths()["purelib"])
    assert shared != purelib
    (purelib / "zz_shared_dependencies.pth").write_text(f"{shared}\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "--quiet", str(wheels[0])])

    cwd = base / "elsewhere"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    probe = json.loads(_run([str(python), "-c", PROBE], cwd=cwd, env=env).stdout)
    return venv, probe


def test_package_imported_from_the_wheel_not_the_checkout(installed):
    """Is backlessons (and its data) imported from the temporary venv, with src/ nowhere on sys.path?"""
    venv, probe = installed
    assert Path(probe["package_file"]).resolve().is_relative_to(venv.resolve())
    assert Path(probe["data_root"]).resolve().is_relative_to(venv.resolve())
    assert not any(str(ROOT / "src") in entry for entry in probe["sys_path"])


def test_every_data_file_is_in_the_wheel_unchanged(installed):
    """Does the installed package hold every file of data/, byte for byte?"""
    _, probe = installed
    expected = {
        path.relative_to(DATA).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(DATA.rglob("*"))
        if path.is_file()
    }
    assert probe["files"] == expected


def test_every_loader_works_from_the_wheel(installed):
    """Do all loaders, datasets and diagrams load from the installed wheel without problems?"""
    from backlessons import content  # the checkout's data: the reference to compare against

    _, probe = installed
    assert probe["problems"] == []
    assert probe["lessons"] == list(content.lessons()["id"])
    assert probe["claims"] == [f"C{i}" for i in range(1, 19)]
    assert probe["references"] == sorted(content.reference_keys())
    assert probe["causes_treatments"] == len(content.causes_treatments())
    assert probe["red_flags"] == len(content.red_flags())
    assert probe["exercises"] == sorted(content.exercises())
    assert probe["claim_c4"] == "contradicted"
    assert probe["datasets"] == {name: len(content.dataset(name)) for name in content.dataset_names()}
    assert all(count >= 1 for count in probe["diagrams"].values()) and len(probe["diagrams"]) >= 6


def test_quiz_banks_load_from_the_wheel(installed):
    """Is every quiz bank of data/quizzes/ in the wheel and readable as a YAML mapping?"""
    _, probe = installed
    shipped = sorted(p.name for p in (DATA / "quizzes").glob("*.yaml"))
    assert sorted(probe["quizzes"]) == shipped
    assert set(probe["quizzes"].values()) <= {"dict"}


def test_answer_key_template_is_in_the_wheel(installed):
    """Does the HTML answer key render from the installed wheel (its Jinja2 template shipped with it)?"""
    venv, probe = installed
    page = probe["answer_key_html"]
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page and "<section class=\"question\"" in page
    templates = list(venv.rglob("backlessons/instructor/templates/answer_key.html.j2"))
    assert len(templates) == 1


def test_bank_template_head_ships_in_the_wheel(installed):
    """Does `bank new` find its template head in the wheel and add every type's example?"""
    from backlessons.instructor.scaffold import template_text

    _, probe = installed
    assert probe["bank_template_lines"] == len(template_text().splitlines())


def test_class_report_template_ships_in_the_wheel(installed):
    """Does the installed wheel carry the Jinja2 report template, so the class report renders from it?"""
    venv, _ = installed
    code = ("from backlessons.instructor import report; "
            "page = report.report_html(report.load_class_results()); "
            "print(report.__file__); print(page.count('<h2>'))")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    out = _run([str(venv / "bin" / "python"), "-c", code], cwd=venv, env=env, timeout=300).stdout.split()
    assert Path(out[0]).resolve().is_relative_to(venv.resolve())
    assert int(out[1]) >= 6

def test_widget_stylesheet_and_modules_are_in_the_wheel(installed):
    """Does the wheel carry the widgets' stylesheet and ES modules (loaded by the anywidget components)?"""
    _venv, probe = installed
    shipped = sorted(p.name for p in (ROOT / "src" / "backlessons" / "widgets" / "static").iterdir())
    assert "style.css" in shipped and "choice.js" in shipped
    assert probe["widget_static"] == shipped


def test_first_frames_ship_and_a_figure_opens_on_one(installed):
    """Does the wheel carry the figures' first frames, so an installed course's figure opens without matplotlib?"""
    venv, probe = installed
    assert probe["first_frames"] == sorted(p.name for p in (ROOT / "src" / "backlessons" / "widgets" / "frames").iterdir())
    code = ("import sys, backlessons as bl; figure = bl.figures.prevalence(); "
            "print('matplotlib' in sys.modules, figure.image.value[:4] == b'\\x89PNG')")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    assert _run([str(venv / "bin" / "python"), "-c", code], cwd=venv, env=env, timeout=300).stdout.split() == ["False", "True"]
