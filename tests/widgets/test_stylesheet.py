"""The widgets' one stylesheet (issue 15, point 3): shipped with the package, loaded by every
anywidget component, coloured only through JupyterLab's theme variables, and never injected
as a ``<style>`` element into a notebook's output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from backlessons.widgets import components

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
CSS = components._static(components.STYLESHEET)

# A colour written out instead of taken from the theme: #rgb, rgb()/hsl(), or a named colour.
LITERAL_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(|:\s*(?:white|black|red|green|blue|grey|gray)\b")
COLOUR_PROPERTY = re.compile(r"(?:^|[;{\s])((?:background|border(?:-[a-z]+)*|outline|color|accent-color)\s*:[^;}]*)")


def test_every_component_carries_the_package_stylesheet():
    """Does every anywidget component load style.css as its _css (so the styles come with the widgets)?"""
    classes = [getattr(components, name) for name in components.__all__ if isinstance(getattr(components, name), type)]
    assert classes
    for cls in classes:
        assert cls().get_state()["_css"] == CSS, cls.__name__


def test_colours_come_from_the_theme():
    """Does every colour in the stylesheet come from a JupyterLab theme variable (so light, dark and
    high-contrast themes all read well), never a colour written out?"""
    declarations = COLOUR_PROPERTY.findall(re.sub(r"/\*.*?\*/", "", CSS, flags=re.S))
    assert len(declarations) > 20
    written_out = [d for d in declarations if LITERAL_COLOUR.search(d)]
    assert not written_out
    assert all("var(--jp-" in d for d in declarations if re.search(r"color|background", d) and "transparent" not in d)


def test_the_colour_check_can_fail():
    """Would the check above notice a colour written out?"""
    assert LITERAL_COLOUR.search("border-left: 8px solid #2e7d32") and LITERAL_COLOUR.search("color: white")
    assert not LITERAL_COLOUR.search("color: var(--jp-content-font-color1)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT / "notebooks").as_posix())
def test_no_style_element_in_any_committed_output(path: Path):
    """Does no output of the committed notebook inject a <style> element (styles load with the widgets)?"""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    injected = []
    for n, cell in enumerate(notebook["cells"]):
        for output in cell.get("outputs", []):
            for mime, value in output.get("data", {}).items():
                text = value if isinstance(value, str) else "".join(value) if isinstance(value, list) else ""
                if re.search(r"<style\b", text, re.I):
                    injected.append(f"cell {n}: {mime}")
    assert not injected
