"""Start a new question bank: ``new_bank("week3")`` writes ``week3.yaml``.

The file holds the commented head ``bank_template_head.yaml`` shipped in this package
(format, title, reveal rule, the rules every question follows) and then one commented
example of every registered question type, each declared by its type's module
(``TYPE.example``, :mod:`backlessons.quiz.registry`). It validates as it is, so an
instructor edits working examples instead of starting from a blank page.
"""

from __future__ import annotations

import errno
import json
import os
from importlib.resources import files
from pathlib import Path

from backlessons.errors import ContentError, Problem
from backlessons.quiz.model import ID_PATTERN

__all__ = ["new_bank", "template_text", "TEMPLATE_NAME"]

TEMPLATE_NAME = "bank_template_head.yaml"
# Where the head lists the registered type names.
_TYPES_MARK = "{types}"
# The two lines of the template that new_bank rewrites; tests check they are present.
_LESSON_LINE = "lesson: my_bank\n"
_TITLE_LINE = "title: My question bank\n"


def template_text() -> str:
    """The template bank: the shipped head, then every registered type's example question."""
    from backlessons.quiz import QUESTION_TYPES
    from backlessons.quiz.registry import template_examples

    head = (files("backlessons.instructor") / TEMPLATE_NAME).read_text(encoding="utf-8")
    if _TYPES_MARK not in head or not head.endswith("questions:\n"):  # a broken install, not user error
        raise RuntimeError(f"{TEMPLATE_NAME} lacks its type list or does not end with 'questions:'")
    return head.replace(_TYPES_MARK, " | ".join(QUESTION_TYPES)) + template_examples()


def new_bank(name: str, directory: str | os.PathLike[str] = ".") -> Path:
    """Write ``<directory>/<name>.yaml`` with an example of every question type; return its path.

    *name* becomes the bank's ``lesson`` id, so it uses only a-z, 0-9, ``_`` and ``-``
    (``ContentError`` otherwise). An existing file is never overwritten
    (``FileExistsError``); a missing folder is created.
    """
    stem = name.removesuffix(".yaml")
    if not ID_PATTERN.fullmatch(stem):  # the name becomes the bank's lesson id
        raise ContentError([Problem(name, "", "name", "a bank name uses only a-z, 0-9, '_' and '-', e.g. week3")])
    folder = Path(directory)
    path = folder / f"{stem}.yaml"
    text = template_text()
    if _LESSON_LINE not in text or _TITLE_LINE not in text:  # a broken install, not user error
        raise RuntimeError(f"{TEMPLATE_NAME} lacks its lesson or title line")
    title = f"{stem}: my own questions"
    text = text.replace(_LESSON_LINE, f"lesson: {stem}\n", 1)
    text = text.replace(_TITLE_LINE, f"title: {json.dumps(title)}\n", 1)
    text = text.replace("THIS_FILE.yaml", path.name)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        # "x": create only; the check and the write are one step, so nothing is ever overwritten.
        with open(path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise FileExistsError(
            errno.EEXIST, "a file with this name exists; refusing to overwrite it (pick another name)", str(path)
        ) from None
    return path
