"""First frames: each course figure's opening plot, drawn ahead of time and shipped.

A figure's first frame (its plot for the default control values) is the same in every
kernel, so ``make frames`` draws it once into ``widgets/frames/`` and a figure shows that
PNG instead of drawing it: a lesson's first figure then appears without loading
matplotlib, which is most of what a learner waits for in a figure cell (about 0.4 s of
imports and 0.3 s of first drawing on a 2-core machine). matplotlib loads when a control
first changes, or earlier while the kernel sits idle (``preload_plotting``).

A frame is used only while its key matches: a hash of everything its drawing reads
(the figure's rows, facts and references, title, notes, size and control values, and the
drawing code). Edit any of them and the figure is drawn live again, so a stale frame is
never shown; tests/widgets/test_first_frames.py then says to run ``make frames``.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

if TYPE_CHECKING:
    from backlessons.content import Rows

__all__ = ["Frame", "FRAMES", "frame_key", "shipped_frame", "write_frames", "preload_plotting", "IDLE_SECONDS"]

#: Where the frames live: ``index.json`` (key, readout and PNG digest per figure) and the PNGs.
FRAMES = Path(__file__).with_name("frames")
_INDEX = "index.json"
# Raise when the key's recipe changes, so frames drawn under the old recipe are ignored.
_FORMAT = 1
#: Seconds the kernel must sit idle before matplotlib is loaded in the background: longer
#: than the pauses of a learner stepping through cells (the import would slow the next
#: one), shorter than reading a figure before moving its control.
IDLE_SECONDS = 2.0


@dataclass(frozen=True)
class Frame:
    """A shipped first frame: its PNG bytes and the readout HTML drawn with it."""

    name: str
    png: bytes
    readout: str


@functools.cache
def _file_digest(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:  # code without its source (a .pyc-only install): no frame can match
        return f"missing: {path}"


def _code_files(draw: Callable[..., Any]) -> list[str]:
    """The files whose code shapes a frame: the drawing function's module, the PNG writer,
    the short citations in the labels (display, over content's reference formatter) and
    the escaping of the readout."""
    from backlessons import display, markup, png
    from backlessons.content import citations

    return [draw.__code__.co_filename, str(png.__file__), str(display.__file__), str(citations.__file__),
            str(markup.__file__)]


def frame_key(name: str, title: str, size: Sequence[float], params: dict[str, Any], notes: Sequence[str],
              sources: Sequence[str], data: Rows, draw: Callable[..., Any]) -> str:
    """The hash of everything a figure's frame is drawn from (see the module docstring)."""
    from backlessons import content

    references = content.rows("references").by_index()
    recipe = {
        "format": _FORMAT,
        "figure": [name, title, list(size), sorted(params.items()), list(notes), list(sources)],
        "data": list(data.records),
        "facts": [row._asdict() for row in content.rows("figure_facts").where("figure", name)],
        "references": [references[key]._asdict() for key in sources if key in references],
        "code": [_file_digest(path) for path in _code_files(draw)],
    }
    text = json.dumps(recipe, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def _index(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / _INDEX
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:  # a checkout before its first `make frames`: every figure is drawn live
        return {}
    try:
        index = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"{path}: not valid JSON ({err}); run `make frames` to write it again") from None
    if not isinstance(index, dict) or index.get("format") != _FORMAT:
        return {}  # drawn under another key recipe: not trusted
    return index.get("frames", {})


def shipped_frame(name: str, key: Callable[[], str], folder: Path = FRAMES) -> Frame | None:
    """The shipped frame of figure *name* if it was drawn from exactly the inputs whose
    hash ``key()`` gives, else None (the figure is then drawn live).

    *key* is called only when a frame by that name exists, so a figure of the learner's
    own never pays for hashing.
    """
    entry = _index(folder).get(name)
    if entry is None or entry.get("key") != key():
        return None
    try:
        png = (folder / entry["png"]).read_bytes()
    except FileNotFoundError:
        return None
    if hashlib.sha256(png).hexdigest() != entry.get("png_sha256"):
        return None  # the PNG is not the one the index describes
    return Frame(name, png, entry["readout"])


def write_frames(makers: Iterable[Callable[[], Any]], folder: Path = FRAMES) -> list[str]:
    """Draw the first frame of each figure *makers* make (called with no arguments) into *folder*.

    ``make frames`` passes the course figures (``figures.write_course_frames``). Only files
    whose bytes change are written; PNGs of figures that are no longer made are removed.
    Returns the names of the files written or removed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    changed: list[str] = []
    entries: dict[str, dict[str, str]] = {}
    for make in makers:
        figure = make()
        png, readout = figure.render()  # always drawn live, never read back from a frame
        filename = f"{figure.name}.png"
        entries[figure.name] = {"key": figure.frame_key(), "png": filename,
                                "png_sha256": hashlib.sha256(png).hexdigest(), "readout": readout}
        if _write_if_changed(folder / filename, png):
            changed.append(filename)
    index = json.dumps({"format": _FORMAT, "frames": entries}, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if _write_if_changed(folder / _INDEX, index.encode("utf-8")):
        changed.append(_INDEX)
    drawn = {entry["png"] for entry in entries.values()}
    for stale in sorted(folder.glob("*.png")):
        if stale.name not in drawn:
            stale.unlink()
            changed.append(stale.name)
    _index.cache_clear()
    return changed


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


# --- loading matplotlib while the learner reads ----------------------------------------------

_preload_started = threading.Event()


def preload_plotting(idle_seconds: float = IDLE_SECONDS, clock: Callable[[], float] = time.monotonic) -> bool:
    """Load matplotlib in the background once the IPython kernel has been idle *idle_seconds*.

    A figure shown from its first frame needs matplotlib only when a control changes;
    loading it while the learner reads keeps that first change as quick as the ones after.
    Waiting for an idle kernel keeps the import from slowing the cells the learner runs
    (and a notebook run top to bottom never waits for it). Started at most once per
    process; returns whether this call started it (False outside IPython).
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - ipywidgets depends on IPython
        return False
    shell = get_ipython()
    if shell is None or _preload_started.is_set():
        return False
    _preload_started.set()
    watch = _IdleWatch(clock)
    shell.events.register("pre_run_cell", watch.busy)
    shell.events.register("post_run_cell", watch.idle)
    threading.Thread(target=watch.then_import, args=(idle_seconds,), name="backlessons-preload-plotting",
                     daemon=True).start()
    return True


class _IdleWatch:
    """When the kernel last finished a cell, and whether one is running now."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._running = True  # called from inside the cell that showed the figure
        self._since = clock()

    def busy(self, *_args: Any) -> None:
        self._running = True

    def idle(self, *_args: Any) -> None:
        self._running = False
        self._since = self._clock()

    def idle_for(self) -> float:
        return 0.0 if self._running else self._clock() - self._since

    def then_import(self, idle_seconds: float, poll: float = 0.1) -> None:
        modules = ("matplotlib.figure", "matplotlib.backends.backend_agg")  # what make_figure imports
        while self.idle_for() < idle_seconds:
            if all(module in sys.modules for module in modules):
                return  # a control change got there first
            time.sleep(poll)
        try:
            for module in modules:
                importlib.import_module(module)
        except ImportError:
            return  # the first control change imports it again and shows the error there
