"""One helper for packages whose public names are imported on first use.

``import backlessons`` stays about as fast as importing ipywidgets and pandas because
nothing heavy (matplotlib, pydantic, the widgets) loads until a name is used.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Callable

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str,
    names: dict[str, str],
    submodules: tuple[str, ...],
    eager: tuple[str, ...] = (),
    modules: dict[str, str] | None = None,
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """``(__getattr__, __dir__, names for __all__)`` for *package*.

    *names* maps a public name to the module defining it: absolute
    (``"backlessons.display"``) or relative to *package* (``".report"``). *submodules* are
    the package's own modules reachable as attributes; *eager* names the package defines
    itself (listed in ``__all__`` and ``dir()`` too); *modules* maps a public name to a
    module that lives elsewhere (``{"figures": "backlessons.widgets.figures"}``: the
    attribute is that whole module). A name is imported once, then kept in the package's
    namespace.
    """
    modules = dict(modules or {})
    exported = [*eager, *names, *submodules, *modules]

    def __getattr__(name: str) -> Any:
        if name in names:
            value = getattr(importlib.import_module(names[name], package), name)
        elif name in submodules:
            value = importlib.import_module(f"{package}.{name}")
        elif name in modules:
            value = importlib.import_module(modules[name], package)
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(exported)

    return __getattr__, __dir__, exported
