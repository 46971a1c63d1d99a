"""Do the packaging files agree with each other and with the README?"""

from __future__ import annotations

import re
import stat
import sys
from pathlib import Path

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _split_requirement(text: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*$", text.split(";")[0])
    assert match, f"cannot parse requirement {text!r}"
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    return name, match.group(2).replace(" ", "")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    """Does environment.yml ask for exactly pyproject's runtime dependencies, with the same bounds?"""
    wanted = dict(_split_requirement(r) for r in _pyproject()["project"]["dependencies"])
    # Conda packages first; a package conda-forge lacks sits in the pip section.
    conda = [d for d in _environment()["dependencies"] if isinstance(d, str)]
    conda += [line for d in _environment()["dependencies"] if isinstance(d, dict) for line in d.get("pip", [])]
    listed = dict(_split_requirement(d.replace("=", "==", 1) if re.match(r"^[\w\-]+=[^=]", d) else d)
                  for d in conda)
    listed.pop("python")
    listed.pop("pip")
    assert listed == wanted


def test_environment_yml_pins_one_python_minor_version_that_pyproject_allows():
    """Is Python pinned to a single minor version, within requires-python?"""
    pins = [d for d in _environment()["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert len(pins) == 1 and re.fullmatch(r"python=3\.\d+", pins[0]), pins
    minor = int(pins[0].split(".")[1])
    floor = re.fullmatch(r">=3\.(\d+)", _pyproject()["project"]["requires-python"])
    assert floor and minor >= int(floor.group(1))


def test_environment_yml_uses_conda_forge_and_no_local_pip_install():
    """Is the package left to postBuild (repo2docker builds environment.yml before copying the repo)?"""
    env = _environment()
    assert env["channels"] == ["conda-forge"]
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert not any(line.strip() in {".", "-e ."} for section in pip_sections for line in section)


def test_postbuild_installs_the_package_without_dependencies():
    """Does postBuild install the package itself, and is it executable?"""
    post_build = ROOT / "postBuild"
    assert post_build.stat().st_mode & stat.S_IXUSR
    assert re.search(r"pip install --no-deps \.\s*$", post_build.read_text(encoding="utf-8"), re.M)


def test_readme_quick_start_is_exactly_make_lab_and_make_test():
    """Does the README's quick start give exactly the two commands, and does CI run the same test command?"""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^\s*(make \w+)", section, re.M)
    assert commands == ["make lab", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)
    assert ci.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in ci


def test_version_is_exposed():
    """Is backlessons.__version__ the version the wheel is built with?"""
    import backlessons

    assert re.fullmatch(r"\d+\.\d+\.\d+", backlessons.__version__)
