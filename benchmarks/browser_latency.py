"""Browser latency: how long a learner waits after a click, in a real JupyterLab.

In one JupyterLab session and one Chromium page:

* quiz Check: click → the graded feedback is in the page (grading, saving the attempt
  and the widget updates all included);
* bare ipywidgets: a Button whose handler sets a Label, click → the new text;
* their ratio (target <= 1.2x: a quiz should feel as quick as the simplest widget);
* per course notebook, Run All → every widget rendered.

Clicks are timed inside the page (performance.now() around element.click() and a
MutationObserver), so Playwright's own round trips are not counted; the median of 20
clicks after 3 warm-up clicks is reported. Follows the rows() contract of
benchmarks/run.py; run this file directly to print the table.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["rows", "measure", "CLICKS", "WARMUP", "TARGET_RATIO"]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EVERY_TYPE = REPO / "tests" / "fixtures" / "banks" / "every_type.yaml"
CLICKS = 20
WARMUP = 3
TARGET_RATIO = 1.2

Row = tuple[str, str, str, str]

# Click an element and resolve with the milliseconds until `done` matches (and, when
# given, contains `text`).
_TIMED_CLICK = """
async ([click, done, text]) => {
  const matched = () => {
    const el = document.querySelector(done);
    return !!el && (text === null || el.textContent.includes(text));
  };
  const button = document.querySelector(click);
  if (!button) throw new Error('nothing to click: ' + click);
  const start = performance.now();
  const finished = new Promise((resolve, reject) => {
    const observer = new MutationObserver(() => {
      if (matched()) { observer.disconnect(); resolve(performance.now() - start); }
    });
    observer.observe(document.body,
      {subtree: true, childList: true, characterData: true, attributes: true});
    setTimeout(() => { observer.disconnect(); reject(new Error('no update after 15 s')); },
      15000);
  });
  button.click();
  return await finished;
}
"""

BARE_CELL = """\
import ipywidgets as widgets
bare_button = widgets.Button(description="Bare")
bare_button.add_class("bench-bare-button")
bare_label = widgets.Label("0")
bare_label.add_class("bench-bare-label")
def _count(_):
    bare_label.value = str(int(bare_label.value) + 1)
bare_button.on_click(_count)
widgets.HBox([bare_button, bare_label])"""

# The first question of every_type.yaml is single choice: its Check and its feedback
# are the first .bl-check / .bl-feedback in the page.
QUIZ_CHECK = ".bl-quiz .bl-question .bl-check"
QUIZ_RESULT = ".bl-quiz .bl-question .bl-feedback .bl-result"


def _lab() -> Any:
    browser_tests = str(REPO / "tests" / "browser")
    if browser_tests not in sys.path:  # rows() and measure() both call this
        sys.path.insert(0, browser_tests)
    import lab  # noqa: PLC0415 - shared with the browser tests, found via the path above

    return lab


def _timed(page: Any, click: str, done: str, text: str | None = None) -> float:
    return float(page.evaluate(_TIMED_CLICK, [click, done, text]))


def _bare_clicks(page: Any, n: int) -> list[float]:
    label = page.locator(".bench-bare-label")
    times = []
    for _ in range(n):
        expected = str(int(label.inner_text()) + 1)
        times.append(_timed(page, ".bench-bare-button", ".bench-bare-label", expected))
        # Label text is "N"; textContent.includes could match "1" inside "10": re-check.
        assert label.inner_text() == expected
    return times


def _quiz_clicks(page: Any, n: int) -> list[float]:
    question = page.locator(".bl-quiz .bl-question").first
    radio = question.locator('.bl-choice input[type="radio"]').first
    times = []
    for _ in range(n):
        radio.check()
        question.locator(".bl-check").wait_for()
        page.wait_for_function(
            "sel => !document.querySelector(sel).disabled", arg=QUIZ_CHECK
        )
        times.append(_timed(page, QUIZ_CHECK, QUIZ_RESULT))
        # Untimed: Try again clears the answer and the feedback for the next round.
        question.locator(".bl-try-again").click()
        page.wait_for_function("sel => !document.querySelector(sel)", arg=QUIZ_RESULT)
    return times


def measure(clicks: int = CLICKS, warmup: int = WARMUP) -> dict[str, Any]:
    """Run the measurements; returns medians (ms), raw click times and Run All seconds."""
    lab = _lab()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="backlessons-browser-bench-") as tmp_name:
        tmp = Path(tmp_name)
        root = tmp / "notebooks"
        root.mkdir()
        course = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        for path in course:
            (root / path.name).write_bytes(path.read_bytes())
        lab.write_notebook(
            root / "bench_latency.ipynb",
            "import backlessons as bl",
            BARE_CELL,
            f"bl.Quiz(r'{EVERY_TYPE}')",
        )
        result: dict[str, Any] = {"run_all": {}}
        with lab.run_lab(root, tmp / "lab") as server, sync_playwright() as playwright:
            browser = lab.launch_browser(playwright)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.on("dialog", lambda d: d.accept())
                run = lab.run_notebook(page, server, "bench_latency.ipynb", screenshot=False)
                if run.errors or run.views != 2:
                    raise RuntimeError(f"benchmark notebook did not render: {run}")
                # Interleave the two kinds so a slow patch of the machine hits both.
                _bare_clicks(page, warmup)
                _quiz_clicks(page, warmup)
                bare: list[float] = []
                quiz: list[float] = []
                for _ in range(clicks // 5):
                    bare += _bare_clicks(page, 5)
                    quiz += _quiz_clicks(page, 5)
                result["bare_ms"], result["quiz_ms"] = bare, quiz
                page.close()
                lab.shutdown_kernels(server)
                for path in course:
                    page = context.new_page()
                    page.on("dialog", lambda d: d.accept())
                    run = lab.run_notebook(page, server, path.name, screenshot=False)
                    result["run_all"][path.stem] = (run.seconds, run.views, run.expected_views,
                                                    bool(run.errors or run.widget_problems))
                    page.close()
                    lab.shutdown_kernels(server)
                context.close()
            finally:
                browser.close()
    return result


def rows() -> list[Row]:
    """The benchmark table rows (see benchmarks/run.py for the contract)."""
    lab = _lab()
    if not lab.chromium_path():
        why = "not available: Chromium not found (apt-get install chromium, or set BACKLESSONS_CHROMIUM)"
        return [("click -> feedback latency ratio", "-", f"<= {TARGET_RATIO}x", why)]
    start = time.monotonic()
    data = measure()
    print(f"browser_latency: measured in {time.monotonic() - start:.0f} s", file=sys.stderr)
    quiz = statistics.median(data["quiz_ms"])
    bare = statistics.median(data["bare_ms"])
    ratio = quiz / bare
    out: list[Row] = [
        (f"quiz Check click -> feedback (median of {len(data['quiz_ms'])})", f"{quiz:.0f} ms", "-", "info"),
        (f"bare Button click -> Label (median of {len(data['bare_ms'])})", f"{bare:.0f} ms", "-", "info"),
        (
            "click -> feedback latency ratio (quiz / bare ipywidgets)",
            f"{ratio:.2f}x ({quiz:.0f} ms / {bare:.0f} ms)",
            f"<= {TARGET_RATIO}x",
            "ok" if ratio <= TARGET_RATIO else "MISS",
        ),
    ]
    for name, (seconds, views, expected, failed) in data["run_all"].items():
        status = "info"
        if failed or views != expected:
            status = f"not available: {views}/{expected} widgets rendered" + (", errors" if failed else "")
        out.append((f"Run All -> widgets rendered: {name}", f"{seconds:.1f} s ({views} widgets)", "-", status))
    return out


def _table(table_rows: list[Row]) -> str:
    header = ("benchmark", "result", "target", "status")
    widths = [max(len(r[i]) for r in [header, *table_rows]) for i in range(4)]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                      *map(line, table_rows)])  # fmt: skip


if __name__ == "__main__":
    print(_table(rows()))
