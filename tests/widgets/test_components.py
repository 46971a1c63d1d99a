"""The package's widget components against anywidget's own class.

``components._Component`` declares on the class the traits ``anywidget.AnyWidget`` adds to
each instance (see its docstring for why). These tests are the contract: if a new anywidget
syncs other model names, versions or code traits, they fail.
"""

from __future__ import annotations

import anywidget
import traitlets

from backlessons.widgets import components

COMPONENTS = [components.ChoiceGroup, components.TextSelect, components.LiveHTML, components.AltImage,
              components.NamedSlider, components.HoldTimer, components.MoveButton, components.Pager]


def _reference(component: type) -> anywidget.AnyWidget:
    """An anywidget.AnyWidget with the same code and stylesheet as *component*."""
    esm, css = component._esm.default_value, component._css.default_value

    class Reference(anywidget.AnyWidget):
        _esm = traitlets.Unicode(esm).tag(sync=True)
        _css = traitlets.Unicode(css).tag(sync=True)

    Reference.__module__, Reference.__name__ = component.__module__, component.__name__
    return Reference()


def test_every_component_is_listed_here():
    """Does this test cover every component class the module defines?"""
    defined = {value for value in vars(components).values()
               if isinstance(value, type) and issubclass(value, components._Component) and value is not components._Component}
    assert defined == set(COMPONENTS)


def test_components_sync_what_anywidget_syncs():
    """Do the model and view names, versions and code traits match anywidget.AnyWidget's, for each component?"""
    protocol = ["_model_name", "_model_module", "_model_module_version", "_view_name", "_view_module",
                "_view_module_version", "_esm"]
    for component in COMPONENTS:
        ours, theirs = component(), _reference(component)
        for name in protocol:
            assert getattr(ours, name) == getattr(theirs, name), (component.__name__, name)
        base = set(theirs.keys) - {"_dom_classes", "layout", "tabbable", "tooltip"}
        assert base <= set(ours.keys), (component.__name__, base - set(ours.keys))
        # One style id for all (the stylesheet is sent once: tests/widgets/test_stylesheet.py).
        assert ours.get_state()["_anywidget_id"] == components.STYLE_ID and ours.has_trait("_css")


def test_components_do_not_make_a_class_per_widget():
    """Do two components of one kind share their class (anywidget's base makes one per instance)?"""
    first, second = components.ChoiceGroup(), components.ChoiceGroup()
    assert type(first) is type(second) is components.ChoiceGroup


def test_the_version_range_follows_anywidgets_rule():
    """Is the front-end version asked for the range anywidget itself asks for (~major.minor.* or a pre-release)?"""
    assert components._anywidget_version_range("0.11.0") == "~0.11.*"
    assert components._anywidget_version_range("1.2.3") == "~1.2.*"
    assert components._anywidget_version_range("0.12.0a1") == "0.12.0a1"
    assert components._anywidget_version_range("0.12.0b2") == "0.12.0b2"


def test_the_installed_version_is_the_one_importlib_metadata_reports():
    """Does the quick dist-info lookup give the same version as importlib.metadata, for anywidget and others?"""
    from importlib import metadata

    for name in ("anywidget", "ipywidgets", "traitlets"):
        assert components._installed_version(name) == metadata.version(name)
