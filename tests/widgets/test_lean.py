"""lean(): the quiz's widgets share one unchangeable Layout, and one Style of each kind."""

from __future__ import annotations

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget import _instances

import backlessons as bl
from backlessons.widgets._base import lean, lean_layout


def test_lean_widgets_share_one_layout_and_one_style_per_kind():
    """Do two lean HTML widgets share their Layout and HTMLStyle, while a Button gets the one ButtonStyle?"""
    first, second = lean(widgets.HTML, value="a"), lean(widgets.HTML, value="b")
    button = lean(widgets.Button, "bl-x", description="Check")
    assert first.layout is second.layout is button.layout is lean_layout()
    assert first.style is second.style and type(first.style).__name__ == "HTMLStyle"
    assert isinstance(button.style, widgets.ButtonStyle) and button.style is lean(widgets.Button).style
    assert "bl-x" in button._dom_classes


def test_a_shared_layout_or_style_cannot_be_changed():
    """Does setting a shared layout or style raise (it would restyle every widget sharing it)?"""
    html = lean(widgets.HTML, value="a")
    with pytest.raises(AttributeError, match="shared by many widgets"):
        html.layout.display = "none"
    with pytest.raises(AttributeError, match="shared by many widgets"):
        html.style.font_size = "30px"
    assert html.layout.display is None


def test_a_widget_may_still_have_its_own_layout():
    """Is a layout passed in kept, and can the widget change that one?"""
    own = widgets.Layout()
    html = lean(widgets.HTML, value="a", layout=own)
    html.layout.display = "none"
    assert html.layout is own and own.display == "none" and lean_layout().display is None


def test_a_closed_shared_layout_is_made_again():
    """After the shared layout is closed (e.g. Widget.close_all()), do new widgets get an open one?"""
    old = lean_layout()
    old.close()
    html = lean(widgets.HTML, value="a")
    assert html.layout is not old and html.layout.comm is not None


def test_a_quiz_makes_few_widget_models(tmp_path, monkeypatch):
    """Does lesson 01's quiz make well under half the models it made with a Layout and Style per widget (291)?"""
    monkeypatch.setenv("BACKLESSONS_HOME", str(tmp_path))
    lean_layout()  # the shared ones exist already in a notebook after the first quiz
    before = len(_instances)
    quiz = bl.Quiz("01_causes")
    made = len(_instances) - before
    views = sum(1 for _ in quiz.views)
    assert views == len(quiz.bank.questions) and made < 140, made
