"""The course as a static website: Jupyter Book 1.x (Sphinx + myst-nb) over the committed notebooks.

Nothing is executed and nothing is fetched: the notebooks already carry a static,
answer-free HTML copy of every widget (quizzes show their questions, cards their
content, figures their first frame). This module writes a small book source folder
(configuration, a table of contents taken from ``data/lessons.csv``, a home page and an
instructors' page, copies of the notebooks with an "answer interactively" line after
each quiz) and asks Jupyter Book to build it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from backlessons.markup import escape

__all__ = [
    "DISCLAIMER",
    "INSTRUCTOR_NOTEBOOKS",
    "SiteLinks",
    "build_site",
    "write_book_source",
]

#: Shown at the top of every page of the site (the README's note, shortened).
DISCLAIMER = (
    "Education, not medical advice: this course teaches what the research says about "
    "running and low back pain. It cannot assess your back. If you have pain that worries "
    "you, and at once if you notice any red flag from lesson 08, see a health professional."
)

#: Notebooks for instructors, in the order the instructors' page lists them.
INSTRUCTOR_NOTEBOOKS = ("workshop_guide", "class_results")

_BINDER = "https://mybinder.org/v2/gh"

#: Pages of docs/ that lessons link to and the website carries too (print-and-keep material).
DOCS_PAGES = ("safety-net-card.md",)
_DOCS_LINK = re.compile(r"\]\(\.\./docs/([A-Za-z0-9_.-]+\.md)((?:#[^)]*)?)\)")


@dataclass(frozen=True)
class SiteLinks:
    """How the site's "answer interactively" links are formed.

    ``repository`` is a GitHub ``https://github.com/OWNER/REPO`` address (optional: without
    it, pages name the notebook's path and say how to open it, with no Binder link).
    """

    repository: str = ""
    branch: str = "main"

    def binder(self, notebook_path: str) -> str:
        """The Binder address that opens ``notebook_path`` in JupyterLab, or "" without a repository."""
        owner_repo = self._owner_repo()
        if not owner_repo:
            return ""
        return f"{_BINDER}/{owner_repo}/{quote(self.branch, safe='')}?urlpath={quote('lab/tree/' + notebook_path, safe='')}"

    def _owner_repo(self) -> str:
        prefix = "https://github.com/"
        if not self.repository.startswith(prefix):
            return ""
        parts = self.repository[len(prefix):].strip("/").removesuffix(".git").split("/")
        return "/".join(parts) if len(parts) == 2 and all(parts) else ""

    def interactive_note(self, notebook_path: str) -> str:
        """Markdown for the line under each quiz: how to answer it interactively."""
        where = f"`{notebook_path}`"
        binder = self.binder(notebook_path)
        online = f"[open this lesson on Binder]({binder}) (nothing to install), or " if binder else ""
        return (
            f"**Answer these questions interactively:** {online}open {where} in JupyterLab "
            "(`make lab` from a copy of the course). This page shows the questions only; "
            "the answers are checked in the notebook."
        )


def _lesson_rows(repo: Path) -> list[tuple[str, str]]:
    """(lesson id, title) in course order, read from ``data/lessons.csv`` through the content loader."""
    from backlessons import content

    frame = content.lessons(repo / "data")
    frame = frame.sort_values("number")
    return [(str(row.id), str(row.title)) for row in frame.itertuples()]


def _is_quiz_cell(cell: dict) -> bool:
    source = "".join(cell.get("source", ""))
    return cell.get("cell_type") == "code" and source.strip().startswith("bl.Quiz(")


_NOTEBOOK_LINK = re.compile(r'href="([A-Za-z0-9_.-]+)\.ipynb(#[^"]*)?"')


def _html_for_readers(html: str) -> str:
    """An output's HTML on the website: links between notebooks point to pages; tables scroll on their own."""
    html = _NOTEBOOK_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', html)
    if "<table" in html:
        # A wide table scrolls inside a focusable region, so the page itself never scrolls sideways.
        html = f'<div class="bl-site-scroll" role="region" tabindex="0" aria-label="Table">{html}</div>'
    return html


def _outputs_for_readers(outputs: list[dict]) -> list[dict]:
    fixed = []
    for output in outputs:
        data = output.get("data")
        if data and "text/html" in data:
            html = data["text/html"]
            html = html if isinstance(html, str) else "".join(html)
            output = {**output, "data": {**data, "text/html": _html_for_readers(html)}}
        fixed.append(output)
    return fixed


def _for_readers(notebook: dict, note: str | None) -> dict:
    """A copy of ``notebook`` for reading: code hidden (outputs kept), ``note`` after every quiz cell."""
    cells = []
    for cell in notebook["cells"]:
        if cell.get("cell_type") == "code":
            # Readers see what a call shows, not the one-line call; a cell that shows nothing goes.
            tag = "remove-input" if cell.get("outputs") else "remove-cell"
            metadata = {**cell.get("metadata", {}), "tags": [*cell.get("metadata", {}).get("tags", []), tag]}
            cells.append({**cell, "metadata": metadata, "outputs": _outputs_for_readers(cell.get("outputs", []))})
        elif cell.get("cell_type") == "markdown":
            cells.append({**cell, "source": _docs_links_for_readers("".join(cell.get("source", "")))})
        else:
            cells.append(cell)
        if note is not None and _is_quiz_cell(cell):
            cells.append({"cell_type": "markdown", "id": f"bl-site-note-{len(cells)}", "metadata": {}, "source": note})
    return {**notebook, "cells": cells}


def _docs_links_for_readers(markdown: str) -> str:
    """Links from a lesson to a page of docs/ that the site carries point to that page."""
    return _DOCS_LINK.sub(
        lambda m: f"](../{m.group(1)}{m.group(2)})" if m.group(1) in DOCS_PAGES else m.group(0), markdown
    )


def _copy_notebook(source: Path, target: Path, note: str | None) -> None:
    notebook = _for_readers(json.loads(source.read_text(encoding="utf-8")), note)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(notebook, ensure_ascii=False, indent=1), encoding="utf-8")


def _config(title: str) -> str:
    # JSON is valid YAML: no YAML library needed to write it, and no quoting surprises.
    config = {
        "title": title,
        "author": "backlessons contributors",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "html": {"use_repository_button": False, "use_issues_button": False, "use_edit_page_button": False},
        # Live code (Thebe) would fetch JavaScript from the internet; the reading copy needs none.
        "launch_buttons": {"thebe": False, "notebook_interface": "jupyterlab"},
        "sphinx": {
            "config": {
                "html_theme_options": {"announcement": escape(DISCLAIMER)},
                "html_context": {"default_mode": "light"},
                "html_static_path": ["_static"],
                "html_css_files": ["backlessons-site.css"],
                "html_show_copyright": False,
                "html_use_index": False,
                # Without an icon of its own, a browser asks the host for /favicon.ico (a 404).
                "html_favicon": "_static/favicon.svg",
                "html_last_updated_fmt": None,
                # Widget views need a running kernel; the page shows each widget's static HTML
                # instead (a priority of None drops the MIME type).
                "nb_mime_priority_overrides": [
                    ["html", "application/vnd.jupyter.widget-view+json", None],
                ],
                "suppress_warnings": ["mystnb.unknown_mime_type"],
                "language": "en",
            },
            "local_extensions": {"backlessons_site": "_ext"},
        },
    }
    return json.dumps(config, indent=2) + "\n"


def _toc(lessons: list[tuple[str, str]]) -> str:
    toc = {
        "format": "jb-book",
        "root": "index",
        "parts": [
            {"caption": "Lessons", "chapters": [{"file": f"lessons/{lesson_id}"} for lesson_id, _ in lessons]},
            {"caption": "Print and keep", "chapters": [{"file": page.removesuffix(".md")} for page in DOCS_PAGES]},
            {
                "caption": "For instructors",
                "chapters": [
                    {
                        "file": "instructors",
                        "sections": [{"file": f"instructor/{name}"} for name in INSTRUCTOR_NOTEBOOKS],
                    }
                ],
            },
        ],
    }
    return json.dumps(toc, indent=2) + "\n"


def _index(lessons: list[tuple[str, str]], links: SiteLinks) -> str:
    rows = "\n".join(
        f"| {number} | [{title}](lessons/{lesson_id}.ipynb) |" for number, (lesson_id, title) in enumerate(lessons)
    )
    start = links.binder("notebooks/00_start_here.ipynb")
    interactive = (
        f"[Open the course on Binder]({start}) to answer the quizzes and move the figures' controls."
        if start
        else "To answer the quizzes and move the figures' controls, open the notebooks in JupyterLab "
        "(`make lab` from a copy of the course) or on Binder."
    )
    return (
        "# Running and lower back pain\n\n"
        "An evidence-based course for physiotherapy students, instructors and self-learners. "
        "Each lesson takes a claim from a popular running article and checks it against the research.\n\n"
        f"```{{note}}\n{DISCLAIMER}\n```\n\n"
        f"This website is a reading copy. {interactive}\n\n"
        "| Lesson | Title |\n|---|---|\n"
        f"{rows}\n\n"
        "Instructors: see [For instructors](instructors.md).\n"
    )


def _instructors_page() -> str:
    items = {
        "workshop_guide": "learning outcomes, timings for a 2-hour and a half-day workshop, discussion prompts",
        "class_results": "a merged class results file explored: item statistics and plots (a synthetic demo class)",
    }
    lines = "\n".join(f"- [{name.replace('_', ' ').capitalize()}](instructor/{name}.ipynb): {items[name]}" for name in INSTRUCTOR_NOTEBOOKS)
    return (
        "# For instructors\n\n"
        "The instructors' notebooks, as a reading copy. Answer keys are not part of this website: "
        "make them with `backlessons answer-key LESSON --format html --out key.html`.\n\n"
        f"{lines}\n"
    )


# A Sphinx extension of the book's own: sphinx-thebe (loaded by Jupyter Book) adds its
# inline configuration script twice, which makes the browser report a redeclared constant.
_SITE_EXTENSION = """\
def _one_of_each_script(app, pagename, templatename, context, doctree):
    scripts, seen = [], set()
    for script in context.get("script_files", []):
        key = (getattr(script, "filename", None) or "", repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            scripts.append(script)
    context["script_files"] = scripts


def setup(app):
    app.connect("html-page-context", _one_of_each_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
"""

_FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    '<rect width="16" height="16" rx="3" fill="#1a5e8a"/>'
    '<path d="M8 2v12" stroke="#fff" stroke-width="2" stroke-linecap="round"/></svg>\n'
)

_SITE_CSS = """\
/* Course widgets' static copies on the website. */
.bl-static, .bl-card { max-width: 100%; }
.bl-static img, .bl-figure img, .bl-card img { max-width: 100%; height: auto; }
.bl-site-scroll { max-width: 100%; overflow-x: auto; }
main p code.literal, main p code.literal .pre { white-space: normal; overflow-wrap: anywhere; }
.bl-site-scroll:focus-visible { outline: 2px solid var(--pst-color-primary); }
@media print {
  .bd-header-announcement, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-header, .bd-footer { display: none !important; }
  .bl-safety-card, .bl-card { break-inside: avoid; }
}
"""


def write_book_source(repo: Path, source: Path, links: SiteLinks = SiteLinks()) -> Path:
    """Write the book's source folder for the course in ``repo`` into ``source`` (emptied first)."""
    repo, source = Path(repo), Path(source)
    if source.exists():
        shutil.rmtree(source)
    (source / "_static").mkdir(parents=True)
    lessons = _lesson_rows(repo)
    for lesson_id, _title in lessons:
        path = f"notebooks/{lesson_id}.ipynb"
        _copy_notebook(repo / path, source / "lessons" / f"{lesson_id}.ipynb", links.interactive_note(path))
    for name in INSTRUCTOR_NOTEBOOKS:
        _copy_notebook(repo / "notebooks" / "instructor" / f"{name}.ipynb", source / "instructor" / f"{name}.ipynb", None)
    for page in DOCS_PAGES:
        shutil.copyfile(repo / "docs" / page, source / page)
    (source / "_config.yml").write_text(_config("Running and lower back pain"), encoding="utf-8")
    (source / "_toc.yml").write_text(_toc(lessons), encoding="utf-8")
    (source / "index.md").write_text(_index(lessons, links), encoding="utf-8")
    (source / "instructors.md").write_text(_instructors_page(), encoding="utf-8")
    (source / "_static" / "backlessons-site.css").write_text(_SITE_CSS, encoding="utf-8")
    (source / "_static" / "favicon.svg").write_text(_FAVICON, encoding="utf-8")
    (source / "_ext").mkdir()
    (source / "_ext" / "backlessons_site.py").write_text(_SITE_EXTENSION, encoding="utf-8")
    return source


def build_site(repo: Path, out: Path, links: SiteLinks = SiteLinks(), *, work: Path | None = None) -> Path:
    """Build the website into ``out`` (HTML files, ready for any static host); returns ``out``.

    Sphinx warnings are errors (``-W``). Raises ``RuntimeError`` with Jupyter Book's output
    when the build fails.
    """
    repo, out = Path(repo).resolve(), Path(out).resolve()
    work = Path(work).resolve() if work else out.parent / f".{out.name}-work"
    source = write_book_source(repo, work / "book", links)
    command = [
        sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(source),
        "--path-output", str(work), "--builder", "html", "-W", "-n", "--keep-going",
    ]
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    html = work / "_build" / "html"
    if result.returncode != 0 or not (html / "index.html").is_file():
        raise RuntimeError(f"the website build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    if out.exists():
        shutil.rmtree(out)
    shutil.move(str(html), str(out))
    shutil.rmtree(work, ignore_errors=True)
    return out
