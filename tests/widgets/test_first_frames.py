"""First frames: each course figure opens on a shipped PNG that is exactly what it would draw.

A frame is shown only while its key (a hash of everything the drawing reads) matches, so
an edit to the data or the drawing code makes the figure draw live; these tests fail
until ``make frames`` draws the frames again.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from backlessons.widgets import figures, first_frames
from backlessons.widgets.first_frames import FRAMES, frame_key, shipped_frame, write_frames

COURSE = list(figures.COURSE_FIGURES)
# PNGs from another matplotlib or FreeType build differ a little in the text's anti-aliasing:
# the mean difference over every channel of every pixel (0-255) may not exceed this.
MEAN_PIXEL_TOLERANCE = 1.0


def _pixels(png: bytes):
    from PIL import Image

    return Image.open(io.BytesIO(png)).convert("RGBA")


def _mean_difference(a: bytes, b: bytes) -> float:
    from PIL import ImageChops, ImageStat

    first, second = _pixels(a), _pixels(b)
    assert first.size == second.size, f"sizes differ: {first.size} vs {second.size}"
    return sum(ImageStat.Stat(ImageChops.difference(first, second)).mean) / 4


def _index() -> dict:
    return json.loads((FRAMES / "index.json").read_text(encoding="utf-8"))["frames"]


@pytest.mark.parametrize("make", COURSE, ids=lambda f: f.__name__)
def test_every_course_figure_opens_on_its_current_shipped_frame(make):
    """Is each course figure's shipped frame current (else: run `make frames`), and is it what the figure shows?"""
    figure = make()
    entry = _index().get(figure.name)
    assert entry is not None, f"no shipped frame for {figure.name}: run `make frames`"
    assert entry["key"] == figure.frame_key(), f"the frame of {figure.name} is out of date: run `make frames`"
    shipped = (FRAMES / entry["png"]).read_bytes()
    assert bytes(figure.image.value) == shipped
    assert figure.readout.value == entry["readout"]


@pytest.mark.parametrize("make", COURSE, ids=lambda f: f.__name__)
def test_a_shipped_frame_matches_a_live_drawing(make):
    """Does the shipped frame look like the live drawing (same size, near-identical pixels) with the same readout and alt text?"""
    figure = make()
    live_png, live_readout = figure.render()
    assert live_readout == figure.readout.value
    assert _mean_difference(live_png, bytes(figure.image.value)) <= MEAN_PIXEL_TOLERANCE
    assert figure.image.alt == figure.describe(readout=live_readout)


def test_other_control_values_are_drawn_live():
    """Is a figure made with non-default values drawn live, never shown a frame for other values?"""
    figure = figures.imaging_findings_by_age(age=65)
    assert shipped_frame(figure.name, figure.frame_key) is None
    png, readout = figure.render()
    assert bytes(figure.image.value) == png and figure.readout.value == readout
    assert "Age 65" in readout


def test_a_control_change_after_a_frame_draws_live():
    """After opening on its frame, does a control change draw the plot live, and going back show the same plot?"""
    figure = figures.natural_history()
    first = bytes(figure.image.value)
    figure.controls["week"].value = 52
    assert bytes(figure.image.value) != first and "Week 52" in figure.readout.value
    assert (bytes(figure.image.value), figure.readout.value) == figure.render()
    figure.controls["week"].value = 6
    assert _mean_difference(bytes(figure.image.value), first) <= MEAN_PIXEL_TOLERANCE


@pytest.mark.parametrize("change", ["data", "notes", "title", "size", "params", "code"])
def test_the_key_follows_every_input(change, tmp_path):
    """Does a change to any input of the drawing (data, notes, title, size, control values, code) change the key?"""
    figure = figures.training_spikes()
    args = dict(name=figure.name, title=figure.title, size=(7.0, 4.2), params=figure.params, notes=figure.notes,
                sources=figure.sources, data=figure.data, draw=figure._draw)
    assert frame_key(**args) == figure.frame_key()
    if change == "data":
        from backlessons.content import Rows

        records = [dict(r) for r in figure.data.records]
        records[0]["hazard_ratio"] = 9.9
        args["data"] = Rows(figure.data.table, records)
    elif change == "notes":
        args["notes"] = (*figure.notes, "one more note")
    elif change == "title":
        args["title"] = figure.title + "!"
    elif change == "size":
        args["size"] = (7.0, 4.3)
    elif change == "params":
        args["params"] = {**figure.params, "planned": 13.0}
    else:
        code = tmp_path / "draw.py"
        code.write_text("def draw(fig, p):\n    return ''\n", encoding="utf-8")
        namespace: dict = {}
        exec(compile(code.read_text(encoding="utf-8"), str(code), "exec"), namespace)
        args["draw"] = namespace["draw"]
        changed = frame_key(**args)
        code.unlink()  # code whose source is gone: a key of its own, never a shipped one
        first_frames._file_digest.cache_clear()
        assert frame_key(**args) not in {changed, figure.frame_key()}
    assert frame_key(**args) != figure.frame_key()


def _copy_frames(tmp_path: Path) -> Path:
    folder = tmp_path / "frames"
    folder.mkdir()
    for path in FRAMES.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_a_damaged_or_missing_frame_is_never_shown(tmp_path):
    """Is a frame whose PNG is damaged or missing, or a folder without an index, ignored (drawn live)?"""
    figure = figures.prevalence()
    key = figure.frame_key
    folder = _copy_frames(tmp_path)
    first_frames._index.cache_clear()
    assert shipped_frame("prevalence", key, folder) is not None
    (folder / "prevalence.png").write_bytes(b"\x89PNG not the drawn frame")
    assert shipped_frame("prevalence", key, folder) is None
    (folder / "prevalence.png").unlink()
    assert shipped_frame("prevalence", key, folder) is None
    first_frames._index.cache_clear()
    assert shipped_frame("prevalence", key, tmp_path / "empty") is None
    # A figure with no frame by its name is never hashed.
    assert shipped_frame("my_own_figure", lambda: pytest.fail("hashed a figure with no frame"), folder) is None


def test_an_index_of_another_format_is_ignored_and_a_broken_one_named(tmp_path):
    """Is an index written under another key recipe ignored, and a broken one reported with its path?"""
    folder = _copy_frames(tmp_path)
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    shipped_key = index["frames"]["prevalence"]["key"]
    key = lambda: shipped_key  # noqa: E731
    index["format"] = -1
    (folder / "index.json").write_text(json.dumps(index), encoding="utf-8")
    first_frames._index.cache_clear()
    assert shipped_frame("prevalence", key, folder) is None
    (folder / "index.json").write_text("{not json", encoding="utf-8")
    first_frames._index.cache_clear()
    with pytest.raises(ValueError, match=r"index\.json: not valid JSON.*make frames"):
        shipped_frame("prevalence", key, folder)
    first_frames._index.cache_clear()


def test_writing_frames_rewrites_only_what_changed(tmp_path):
    """Does `make frames` write every frame once, leave identical files alone and remove a retired figure's PNG?"""
    folder = tmp_path / "frames"
    written = write_frames(COURSE, folder)
    assert sorted(written) == sorted([*(p.name for p in FRAMES.glob("*.png")), "index.json"])
    (folder / "retired_figure.png").write_bytes(b"old")
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    time.sleep(0.01)
    assert write_frames(COURSE, folder) == ["retired_figure.png"]
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == {
        name: stamp for name, stamp in stamps.items() if name != "retired_figure.png"}
    shipped = json.loads((FRAMES / "index.json").read_text(encoding="utf-8"))["frames"]
    rewritten = json.loads((folder / "index.json").read_text(encoding="utf-8"))["frames"]
    assert {n: (e["key"], e["readout"]) for n, e in rewritten.items()} == {
        n: (e["key"], e["readout"]) for n, e in shipped.items()}
    for entry in rewritten.values():
        assert hashlib.sha256((folder / entry["png"]).read_bytes()).hexdigest() == entry["png_sha256"]
    first_frames._index.cache_clear()


def test_a_lesson_s_figures_open_without_matplotlib():
    """Do a lesson's figures open without importing matplotlib, and does the first control change load it?"""
    code = (
        "import sys, backlessons as bl\n"
        "figures = [bl.figures.prevalence(), bl.figures.natural_history(), bl.figures.ground_reaction_force()]\n"
        "print('matplotlib' in sys.modules)\n"
        "figures[1].controls['week'].value = 52\n"
        "print('matplotlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_preloading_waits_for_an_idle_kernel():
    """Does the background import wait while cells run and start once the kernel has been idle long enough?"""
    now = [100.0]
    watch = first_frames._IdleWatch(lambda: now[0])
    assert watch.idle_for() == 0.0  # made inside a running cell
    now[0] += 5
    assert watch.idle_for() == 0.0
    watch.idle()
    now[0] += 0.4
    assert watch.idle_for() == pytest.approx(0.4)
    watch.busy()
    now[0] += 3
    assert watch.idle_for() == 0.0
    watch.idle()
    now[0] += 1.5
    assert watch.idle_for() == pytest.approx(1.5)


def test_preloading_stops_once_a_control_change_has_loaded_matplotlib():
    """Does the waiting thread end, importing nothing, when matplotlib is already loaded?"""
    importlib.import_module("matplotlib.backends.backend_agg")  # as a control change would
    watch = first_frames._IdleWatch(time.monotonic)  # busy: without the check it would wait forever
    done = []
    thread = threading.Thread(target=lambda: done.append(watch.then_import(idle_seconds=1e9)), daemon=True)
    thread.start()
    thread.join(10)
    assert done == [None]


def test_preloading_needs_a_kernel():
    """Outside IPython, is nothing started (the figure loads matplotlib when a control changes)?"""
    code = ("import sys, backlessons as bl\nbl.figures.prevalence()\n"
            "from backlessons.widgets.first_frames import preload_plotting\n"
            "import threading\nprint(preload_plotting(), [t.name for t in threading.enumerate()])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False ['MainThread']"


@pytest.mark.slow
def test_a_kernel_loads_matplotlib_while_idle_not_while_running_cells(tmp_path):
    """In a real kernel: cells run back to back never wait for matplotlib; an idle pause loads it."""
    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, "BACKLESSONS_HOME": str(tmp_path)}
    manager, client = start_new_kernel(kernel_name="python3", env=env)

    def run(code: str) -> str:
        out: list[str] = []
        reply = client.execute_interactive(
            code, timeout=60,
            output_hook=lambda m: out.append(m["content"]["text"]) if m["msg_type"] == "stream" else None)
        assert reply["content"]["status"] == "ok", reply["content"]
        return "".join(out).strip()

    try:
        run("import sys, backlessons as bl\nfigure = bl.figures.natural_history()")
        assert run("print('matplotlib' in sys.modules)") == "False"
        time.sleep(first_frames.IDLE_SECONDS + 1.0)  # idle: the background import starts
        # Busy again, the import (once started) still finishes.
        assert run("import threading\n"
                   "[t.join(60) for t in threading.enumerate() if t.name == 'backlessons-preload-plotting']\n"
                   "print('matplotlib.figure' in sys.modules)") == "True"
        assert run("figure.controls['week'].value = 52\nprint(figure.readout.value)").startswith(
            '<p class="bl-readout">Week 52')
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
