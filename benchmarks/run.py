"""Run every benchmark and print one Markdown table: | benchmark | result | target | status |.

Usage::

    .venv/bin/python benchmarks/run.py              # everything (what `make bench` runs)
    .venv/bin/python benchmarks/run.py --only progress --only import
    .venv/bin/python benchmarks/run.py --list

The table is also written to ``benchmarks/results/latest.md`` (git-ignored), with the
machine it ran on. Benchmarks are measurements for people to read, never tests: a
missed target shows as ``MISS`` and the exit status stays 0. Only a failure of this
runner itself exits non-zero.

Contract for benchmark modules (one file per group, in this folder)
-------------------------------------------------------------------
* The module exposes ``rows() -> list[tuple[str, str, str, str]]``: one
  ``(benchmark, result, target, status)`` tuple per line of the table, all strings.
* ``result`` carries the number and its unit (``"0.42 s"``, ``"1.03x (412 ms)"``);
  ``target`` the goal as text (``"<= 1.15x"``) or ``"-"`` when there is none.
* ``status`` is ``ok`` (target met), ``MISS`` (target missed), ``info`` (no target),
  or ``not available: <why>`` when the thing measured does not exist yet.
* ``rows()`` does its own setup in a temporary folder, cleans up, never writes in the
  repository, prints nothing to stdout (stderr is fine), and makes no network calls.
* ``entry`` names another function than ``rows`` when one module serves two groups.
* Importing the module must be cheap: import the package and heavy libraries inside
  ``rows()``, so one broken group cannot stop the others from being listed.

The runner imports each module by file path; a missing file, a missing ``rows()`` or an
exception inside it becomes a row saying so, and the other groups still run.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Sequence

__all__ = ["GROUPS", "Group", "main", "markdown_table", "run_group"]

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "latest.md"
HEADER = ("benchmark", "result", "target", "status")

Row = tuple[str, str, str, str]


@dataclass(frozen=True)
class Group:
    name: str  # what --only takes
    file: str  # module in benchmarks/
    label: str  # row name used when the module cannot produce rows
    target: str  # shown on such rows
    owner: str  # who provides the module, for "not available" rows
    entry: str = "rows"  # the function giving the rows (a module may serve two groups)


GROUPS: tuple[Group, ...] = (
    Group("import", "import_bench.py", "import backlessons / import ipywidgets, pandas", "<= 1.15x", "progress/bench helper"),
    Group("progress", "progress_bench.py", "progress store writes per second", ">= 100/s", "progress/bench helper"),
    Group("quiz", "quiz_bench.py", "quiz: validate shipped banks; grades per second", "<= 0.5 s", "quiz engine helper"),
    Group("review", "review_bench.py", "review: choose due questions from 10,000 answers", "<= 50 ms", "spaced review helper"),
    Group("merge", "merge_bench.py", "instructor merge / pandas read_csv", "<= 2.0x", "instructor kit helper"),
    Group("hostile", "hostile_bench.py", "hostile input: validate an alias-bomb bank", "< 1 s", "hostile-input helper"),
    Group("browser", "browser_latency.py", "click -> feedback latency ratio", "<= 1.2x", "browser test helper"),
    Group("site", "site_bench.py", "site: course build / one-page book", "-", "website"),
    Group("first_use", "first_use_bench.py", "first Quiz + first figure / ipywidgets + pandas + one PNG", "<= 1.15x", "architecture"),
    Group("nbval", "first_use_bench.py", "whole course under strict nbval / one-cell notebooks", "<= 2.0x", "architecture",
          entry="nbval_rows"),
)


def _load(group: Group) -> ModuleType:
    path = HERE / group.file
    spec = importlib.util.spec_from_file_location(f"backlessons_bench_{group.name}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and pickling look modules up here
    spec.loader.exec_module(module)
    return module


def _clean(row: Sequence[object]) -> Row:
    if len(row) != 4:
        raise ValueError(f"a row must have 4 cells (benchmark, result, target, status), got {len(row)}: {row!r}")
    return tuple(str(cell) for cell in row)  # type: ignore[return-value]


def run_group(group: Group) -> list[Row]:
    """Rows of one group; problems become rows instead of exceptions."""
    path = HERE / group.file
    if not path.exists():
        return [(group.label, "not available", group.target, f"not available: benchmarks/{group.file} does not exist yet ({group.owner})")]
    try:
        module = _load(group)
        if not hasattr(module, group.entry):
            return [(group.label, "not available", group.target, f"not available: benchmarks/{group.file} has no {group.entry}() function")]
        rows = [_clean(row) for row in getattr(module, group.entry)()]
        if not rows:
            return [(group.label, "not available", group.target, f"not available: benchmarks/{group.file} returned no rows")]
        return rows
    except Exception as err:  # noqa: BLE001 - one broken benchmark must not hide the others
        traceback.print_exc(file=sys.stderr)
        message = str(err).splitlines()[0] if str(err) else ""
        return [(group.label, "error", group.target, f"error: {type(err).__name__}: {message}")]


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_table(rows: Sequence[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join(["---"] * len(HEADER)) + "|"]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _machine() -> str:
    return (
        f"Python {platform.python_version()} ({sys.executable}), {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Run the backlessons benchmarks; print a Markdown table.")
    parser.add_argument(
        "--only",
        action="append",
        choices=[group.name for group in GROUPS],
        metavar="NAME",
        help="run only this group (repeatable): " + ", ".join(group.name for group in GROUPS),
    )
    parser.add_argument("--list", action="store_true", help="list the groups and their files, run nothing")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"Markdown file to write (default: {RESULTS.relative_to(HERE.parent)})")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.list:
        for group in GROUPS:
            state = "present" if (HERE / group.file).exists() else "missing"
            print(f"{group.name:10} benchmarks/{group.file} ({state})")
        return 0
    chosen = [group for group in GROUPS if not args.only or group.name in args.only]
    rows: list[Row] = []
    started = time.perf_counter()
    for group in chosen:
        print(f"running {group.name} ...", file=sys.stderr, flush=True)
        rows += run_group(group)
    table = markdown_table(rows)
    sys.stdout.write(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    args.out.write_text(
        f"# Benchmarks, {stamp}\n\n{_machine()}; took {time.perf_counter() - started:.0f} s.\n\n{table}",
        encoding="utf-8",
    )
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
