"""Benchmark: how long ``make site`` takes to build the course website.

The floor, measured in the same run, is Jupyter Book building a book of one short
Markdown page with the same configuration: the fixed cost of starting Sphinx and
writing the theme. The course build is reported as that floor's multiple; there is no
target (the issue asks for the time), so the status is ``info``.

``rows()`` follows the contract in benchmarks/run.py; run this file to print them.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["REPEATS", "rows"]

REPEATS = 3
REPO = Path(__file__).resolve().parents[1]


def _one_page_book(source: Path) -> None:
    """Replace the course's pages with one Markdown page, keeping configuration and theme."""
    (source / "_toc.yml").write_text('{"format": "jb-book", "root": "index"}\n', encoding="utf-8")
    for folder in ("lessons", "instructor"):
        for path in (source / folder).glob("*"):
            path.unlink()
    (source / "index.md").write_text("# One page\n\nA floor for the build time.\n", encoding="utf-8")
    (source / "instructors.md").unlink()


def _timed_build(tmp: Path, floor: bool) -> float:
    import subprocess

    from backlessons.site import write_book_source

    source = write_book_source(REPO, tmp / "book")
    if floor:
        _one_page_book(source)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(source),
         "--path-output", str(tmp / "out"), "--builder", "html", "-W", "-n", "--keep-going"],
        check=True, capture_output=True, text=True,
    )
    return time.perf_counter() - start


def rows() -> list[tuple[str, str, str, str]]:
    try:
        import jupyter_book  # noqa: F401
    except ImportError:
        return [("site: course build / one-page book", "not available", "-", "not available: pip install -e '.[site]'")]
    course, floor = [], []
    with tempfile.TemporaryDirectory(prefix="backlessons-site-bench-") as tmp:
        for i in range(REPEATS):
            for is_floor, times in ((True, floor), (False, course)):
                run = Path(tmp) / f"{i}-{is_floor}"
                run.mkdir()
                times.append(_timed_build(run, is_floor))
    c, f = statistics.median(course), statistics.median(floor)
    return [("site: course build / one-page book", f"{c / f:.2f}x ({c:.1f} s vs {f:.1f} s)", "-", "info")]


if __name__ == "__main__":
    for row in rows():
        print(" | ".join(row))
