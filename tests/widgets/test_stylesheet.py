"""The widgets' one stylesheet (issue 15, point 3): shipped with the package, loaded with the
first anywidget component of a kernel (anywidget keeps it on the page for all), coloured only
through JupyterLab's theme variables, and never injected as a ``<style>`` element into a
notebook's output."""

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


def _new_kernel_session():
    """Forget the stylesheet carrier, as a new kernel starts without one."""
    if components._stylesheet_carrier is not None:
        components._stylesheet_carrier.close()


def test_the_first_component_of_a_kernel_carries_the_package_stylesheet():
    """Does the first component carry style.css as its _css, the next ones none, all under one style id?"""
    classes = [getattr(components, name) for name in components.__all__ if isinstance(getattr(components, name), type)]
    assert len(classes) == 8
    _new_kernel_session()
    made = [cls() for cls in classes]
    states = [widget.get_state() for widget in made]
    assert states[0]["_css"] == CSS and all(state["_css"] == "" for state in states[1:])
    assert {state["_anywidget_id"] for state in states} == {components.STYLE_ID}


def test_a_closed_carrier_is_replaced_by_the_next_component():
    """After the carrier is closed (e.g. Widget.close_all()), does the next component carry the stylesheet?"""
    _new_kernel_session()
    first, second = components.LiveHTML(), components.LiveHTML()
    assert first._css == CSS and second._css == ""
    first.close()
    third = components.ChoiceGroup()
    assert third._css == CSS and components.LiveHTML()._css == ""


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
