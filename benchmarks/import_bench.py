"""Benchmark: how long ``import backlessons`` takes, next to ``import ipywidgets, pandas``.

Every notebook starts with ``import backlessons as bl``; the course needs ipywidgets and
pandas anyway, so the target is that importing backlessons costs no more than 1.15x
importing those two. Each measurement is a fresh interpreter (nothing cached in
``sys.modules``); the two commands alternate, one warm-up each is thrown away (it
fills the OS file cache and writes .pyc files), and the median of REPEATS runs is used.

Rows:

* whole ``python -c "<import>"`` process, wall clock (what a learner waits for);
* the import statement alone, timed inside the process (no interpreter start-up);
* for information: ``import backlessons`` followed by first use of the widgets a lesson
  needs (``bl.Quiz``, ``bl.ProgressDashboard``), since ``__init__`` is lazy and defers
  that cost to first use.

If the ratio misses the target, the status names the slowest imports from
``python -X importtime``.

``rows()`` follows the contract in benchmarks/run.py; run this file to print them.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

__all__ = ["REPEATS", "TARGET", "rows", "slowest_imports"]

REPEATS = 7
TARGET = 1.15
BASELINE = "import ipywidgets, pandas"
PACKAGE = "import backlessons"
FIRST_USE = "import backlessons as bl; bl.Quiz; bl.ProgressDashboard"

_TIMED = "import time as _t; _s = _t.perf_counter()\n{stmt}\nprint(_t.perf_counter() - _s)"


def _env(home: str) -> dict[str, str]:
    # A throwaway BACKLESSONS_HOME: importing must not write anything, but if it did,
    # it must not be the user's real progress.
    return {**os.environ, "BACKLESSONS_HOME": home}


def _one(stmt: str, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds of the whole process, seconds of the import statement inside it)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _TIMED.format(stmt=stmt)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"
        raise RuntimeError(f"{stmt!r} failed: {last}")
    return wall, float(done.stdout.strip().splitlines()[-1])


def _medians(stmts: list[str], env: dict[str, str]) -> dict[str, tuple[float, float]]:
    for stmt in stmts:
        _one(stmt, env)  # warm-up, discarded
    samples: dict[str, list[tuple[float, float]]] = {stmt: [] for stmt in stmts}
    for _ in range(REPEATS):
        for stmt in stmts:  # alternate, so drift in machine load hits every command alike
            samples[stmt].append(_one(stmt, env))
    return {
        stmt: (statistics.median(w for w, _ in runs), statistics.median(i for _, i in runs))
        for stmt, runs in samples.items()
    }


def slowest_imports(stmt: str = PACKAGE, top: int = 3) -> list[tuple[str, float]]:
    """The *top* top-level packages by cumulative import time under ``python -X importtime``."""
    with tempfile.TemporaryDirectory(prefix="backlessons-import-bench-") as home:
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", stmt], capture_output=True, text=True, env=_env(home), check=False
        )
    totals: dict[str, float] = {}
    for line in done.stderr.splitlines():
        # "import time:       self [us] |  cumulative | imported package"
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.split("|")
        if name.startswith(" ") and not name.startswith("  "):  # only top-level imports (one space of indent)
            package = name.strip().split(".")[0]
            totals[package] = totals.get(package, 0.0) + int(cumulative) / 1e6
    return sorted(totals.items(), key=lambda item: -item[1])[:top]


def _status(ratio: float) -> str:
    if ratio <= TARGET:
        return "ok"
    slow = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in slowest_imports())
    return f"MISS (slowest imports: {slow})"


def rows() -> list[tuple[str, str, str, str]]:
    """(benchmark, result, target, status) rows for benchmarks/run.py."""
    with tempfile.TemporaryDirectory(prefix="backlessons-import-bench-") as home:
        env = _env(home)
        medians = _medians([BASELINE, PACKAGE], env)
        try:
            first_use: tuple[float, float] | None = _medians([FIRST_USE], env)[FIRST_USE]
            first_use_error = ""
        except RuntimeError as err:  # widgets not written yet, or broken
            first_use, first_use_error = None, str(err)
    (base_wall, base_import), (pkg_wall, pkg_import) = medians[BASELINE], medians[PACKAGE]
    wall_ratio, import_ratio = pkg_wall / base_wall, pkg_import / base_import
    table = [
        (
            f'python -c "{PACKAGE}" / python -c "{BASELINE}", wall clock, median of {REPEATS}',
            f"{wall_ratio:.2f}x ({pkg_wall * 1000:.0f} ms vs {base_wall * 1000:.0f} ms)",
            f"<= {TARGET}x",
            _status(wall_ratio),
        ),
        (
            "same, import statement only (no interpreter start-up)",
            f"{import_ratio:.2f}x ({pkg_import * 1000:.0f} ms vs {base_import * 1000:.0f} ms)",
            f"<= {TARGET}x",
            _status(import_ratio),
        ),
    ]
    label = f"first use: {FIRST_USE} / {BASELINE}, import statement"
    if first_use is None:
        table.append((label, "not available", "-", f"not available: {first_use_error}"))
    else:
        ratio = first_use[1] / base_import
        table.append((label, f"{ratio:.2f}x ({first_use[1] * 1000:.0f} ms)", "-", "info"))
    return table


if __name__ == "__main__":
    for row in rows():
        print(" | ".join(row))
