"""Does any ``except Exception`` in the package hide an error instead of showing it?

A catch-all is allowed only at a boundary that shows what went wrong to the person using
the widget (a callback JupyterLab would otherwise swallow): its handler must render the
exception with ``error_html``. Every other fallback names the errors it expects.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "backlessons"
CATCH_ALL = {"Exception", "BaseException"}


def _caught(handler: ast.ExceptHandler) -> set[str]:
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return {kind.id for kind in kinds if isinstance(kind, ast.Name)}


def _shows_the_error(handler: ast.ExceptHandler) -> bool:
    """Does the handler pass the exception it caught to error_html (or re-raise it)?"""
    for node in ast.walk(ast.Module(body=handler.body, type_ignores=[])):
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "error_html":
            return handler.name is not None and any(
                isinstance(arg, ast.Name) and arg.id == handler.name for arg in node.args)
    return False


def catch_alls(root: Path = SRC) -> list[str]:
    """Every catch-all handler under *root* that neither shows nor re-raises what it caught, as 'file:line'."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and (node.type is None or _caught(node) & CATCH_ALL):
                if not _shows_the_error(node):
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_no_catch_all_hides_an_error():
    """Does every except Exception / bare except show the error to the learner or re-raise it?"""
    assert catch_alls() == []


def test_the_check_sees_a_silent_fallback(tmp_path):
    """Would a silent ``except Exception: return {}`` be reported (so the test above can fail)?"""
    (tmp_path / "bad.py").write_text("def f():\n    try:\n        g()\n    except Exception:\n        return {}\n",
                                     encoding="utf-8")
    (tmp_path / "shown.py").write_text("def f():\n    try:\n        g()\n    except Exception as exc:\n"
                                       "        show(error_html('while', exc))\n", encoding="utf-8")
    assert catch_alls(tmp_path) == ["bad.py:4"]
