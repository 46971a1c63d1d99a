"""Interactive figures: one function per dataset, each returning a small widget.

Every figure is a :class:`FigureWidget`: its control(s), the plot (a PNG in an
``Image`` widget, redrawn when a control changes), a readout line, and a caption
with the notes the evidence brief requires and the sources from references.csv.

Design choices, and why:

* matplotlib is imported inside the drawing code only, so ``import backlessons``
  stays fast; figures are bare ``matplotlib.figure.Figure`` objects (no pyplot),
  so nothing is registered globally, nothing leaks, and the inline backend never
  shows a figure twice;
* the plot is a PNG in an ``Image`` widget rather than an ``Output`` widget: it
  redraws without a kernel display hook (so tests can check it) and cannot
  duplicate output;
* the datasets are read as :class:`~backlessons.content.Rows` (namedtuples, no pandas), so a
  lesson that shows a figure but no DataFrame never imports pandas;
* only values in ``data/datasets`` are plotted; where a paper gave a trend and
  endpoints (Keller 1996) only the endpoints are points, and where ages were not
  confirmed (imaging at 60 and 70) the plot shows a gap, never an interpolation.
"""

from __future__ import annotations

import base64
import math
from typing import TYPE_CHECKING, Any, Callable, Sequence, TypeVar

import ipywidgets as widgets

from backlessons.display import format_reference_html, frame_html, frame_sources, short_citation
from backlessons.errors import ContentError, Problem
from backlessons.markup import escape
from backlessons.png import png_bytes
from backlessons.widgets._base import StaticFallbackMixin, classed, error_html, lean, lean_layout
from backlessons.widgets.components import AltImage, NamedSlider, select_for_dropdown
from backlessons.widgets.first_frames import frame_key, preload_plotting, shipped_frame, write_frames

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from backlessons.content import Rows

__all__ = [
    "FigureWidget",
    "COURSE_FIGURES",
    "write_course_frames",
    "ground_reaction_force",
    "imaging_findings_by_age",
    "step_rate_loads",
    "training_spikes",
    "intradiscal_pressure",
    "prevention_effects",
    "prevalence",
    "natural_history",
    "spike_percent",
    "spike_category",
    "nearest_measured_age",
]

DrawFunction = Callable[["Figure", dict[str, Any]], str]
#: Text alternative of a plot for the current control values (see FigureWidget.describe).
DescribeFunction = Callable[[dict[str, Any]], str]

_ACCENT = "#d95f02"
_MAIN = "#4c78a8"
_MUTED = "#9aa5b1"


def _sources(data: Rows, extra: Sequence[str] = ()) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*frame_sources(data), *extra]))


def _num(value: Any) -> float | None:
    """A float, or None for an empty cell."""
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _plain(html: str) -> str:
    """The text of an HTML fragment (tags dropped, entities decoded, spaces collapsed)."""
    import html as html_module
    import re

    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _control_text(control: widgets.ValueWidget, value: Any) -> str:
    if isinstance(control, widgets.Dropdown):
        for label, option in getattr(control, "_options_full", ()) or ():
            if option == value:
                return str(label)
    return _fmt(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _fmt(value: float) -> str:
    return f"{value:g}"


def _signed_percent(value: float | None) -> str:
    """'−10%' / '+10%' (a true minus sign), as the course writes a band's edges."""
    if value is None:
        return "open"
    return f"{'−' if value < 0 else '+'}{_fmt(abs(value))}%"


def _and(values: Sequence[Any]) -> str:
    """'60 and 70', '40, 50 and 60'."""
    words = [str(v) for v in values]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


class FigureWidget(StaticFallbackMixin, widgets.VBox):
    """Control(s) + plot + readout + caption; redraws the plot when a control changes.

    *data* is the dataset's rows, shown under the plot as the "Show the data" table.
    """

    def __init__(
        self,
        name: str,
        title: str,
        draw: DrawFunction,
        controls: dict[str, widgets.ValueWidget],
        data: Rows,
        sources: Sequence[str],
        notes: Sequence[str] = (),
        size: tuple[float, float] = (7.0, 4.2),
        describe: DescribeFunction | None = None,
    ) -> None:
        self.name = name
        self._describe = describe
        self.title = title
        self.data = data
        self.sources = tuple(sources)
        self.notes = tuple(notes)
        self._draw = draw
        self._size = size
        self.controls = controls
        for control in controls.values():
            classed(control, "bl-figure-control")
            control.observe(self._on_change, names="value")
        # ipywidgets' sliders have no accessible name: a named native slider is shown
        # instead, linked to the control (tests and callers keep using self.controls).
        self.shown_controls = [self._accessible(control) for control in controls.values()]
        # The plot carries a text alternative that follows the controls.
        self.image = lean(AltImage, "bl-figure-image")
        self.readout = lean(widgets.HTML, "bl-figure-readout", value="")
        self.caption = lean(widgets.HTML, "bl-figure-caption", value=self._caption_html())
        self.data_table = lean(widgets.HTML, "bl-figure-data-toggle", value=self._data_toggle_html())
        children: list[widgets.Widget] = []
        if controls:
            children.append(lean(widgets.HBox, "bl-figure-controls", children=self.shown_controls))
        children += [self.image, self.readout, self.caption, self.data_table]
        super().__init__(children=children, layout=lean_layout(),
                         _dom_classes=("bl-figure", f"bl-figure-{name.replace('_', '-')}"))
        frame = shipped_frame(name, self.frame_key)
        if frame is None:
            self.redraw()
        else:
            self._show(frame.png, frame.readout)
            preload_plotting()
        self._initial_png = self.image.value
        self._initial_readout = self.readout.value
        self._initial_alt = self.image.alt

    @property
    def params(self) -> dict[str, Any]:
        return {key: control.value for key, control in self.controls.items()}

    def make_figure(self, params: dict[str, Any] | None = None) -> tuple[Figure, str]:
        """The matplotlib Figure and readout HTML for *params* (default: the controls' values)."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=self._size, dpi=100)
        # One Agg canvas for the layout and the PNG: savefig then draws with the renderer
        # tight_layout measured the text with (its text sizes are cached), not a new one.
        FigureCanvasAgg(fig)
        readout = self._draw(fig, self.params if params is None else params)
        fig.tight_layout()
        # tight_layout leaves a placeholder layout engine behind, which makes savefig draw the
        # whole figure once more before the real draw; the layout is final, so drop it.
        fig.set_layout_engine(None)
        return fig, readout

    def render(self, params: dict[str, Any] | None = None) -> tuple[bytes, str]:
        """PNG bytes and readout HTML for *params* (default: the controls' values)."""
        fig, readout = self.make_figure(params)
        return png_bytes(fig), readout

    def frame_key(self) -> str:
        """The hash of everything the plot is drawn from for the current control values
        (``first_frames.frame_key``): a shipped first frame is shown only when it matches."""
        return frame_key(self.name, self.title, self._size, self.params, self.notes, self.sources, self.data,
                         self._draw)

    def redraw(self) -> None:
        self._show(*self.render())

    def _show(self, png: bytes, readout: str) -> None:
        self.image.value = png
        self.readout.value = readout
        self.image.alt = self.describe(readout=readout)

    def describe(self, params: dict[str, Any] | None = None, *, readout: str | None = None) -> str:
        """The plot's text alternative for *params* (default: the controls' values).

        A figure may pass its own ``describe`` function; otherwise the title, the
        control values and the readout line (what the plot shows for them) are used.
        """
        params = self.params if params is None else params
        if self._describe is not None:
            return self._describe(params)
        parts = [f"Plot: {self.title}."]
        settings = [
            f"{control.description or key}: {_control_text(control, params[key])}"
            for key, control in self.controls.items() if key in params
        ]
        if settings:
            parts.append("Showing " + "; ".join(settings) + ".")
        if readout is None:
            readout = self.make_figure(params)[1]
        text = _plain(readout)
        if text:
            parts.append(text)
        parts.append("The data are in the table under the plot.")
        return " ".join(parts)

    @staticmethod
    def _accessible(control: widgets.ValueWidget) -> widgets.Widget:
        """What the page shows for *control*; *control* keeps the value (the figure's API).

        ipywidgets' drop-down loses its arrow keys to JupyterLab's notebook (they move to the
        next cell), so a drop-down is shown as the package's TextSelect, which keeps them.
        """
        if isinstance(control, widgets.Dropdown):
            return classed(select_for_dropdown(control), "bl-figure-control", "bl-figure-select")
        if not isinstance(control, (widgets.IntSlider, widgets.FloatSlider)):
            return control
        shown = classed(
            NamedSlider(value=control.value, min=control.min, max=control.max, step=control.step,
                        description=control.description),
            "bl-figure-control", "bl-named-slider",
        )
        widgets.link((shown, "value"), (control, "value"))
        return shown

    def _data_toggle_html(self) -> str:
        return (
            f'<details class="bl-figure-data"><summary>Show the data</summary>{self._data_html()}</details>'
        )

    def _on_change(self, _change: dict[str, Any]) -> None:
        try:
            self.redraw()
        except Exception as exc:  # noqa: BLE001 - callbacks fail silently in JupyterLab otherwise
            self.readout.value = error_html("while redrawing the figure", exc)

    def _caption_html(self) -> str:
        notes = "".join(f'<p class="bl-figure-note">{escape(n)}</p>' for n in self.notes)
        refs = " ".join(format_reference_html(k) for k in self.sources)
        label = "Source" if len(self.sources) == 1 else "Sources"
        return f'{notes}<p class="bl-figure-source">{label}: {refs}</p>'

    def _data_html(self) -> str:
        return frame_html(self.data, "bl-figure-data")

    def _plain_text(self) -> str:
        return f"Figure: {self.title} — interactive in JupyterLab"

    def _static_html(self) -> str:
        # The initial figure is embedded so GitHub and nbviewer show it; its bytes can differ
        # between matplotlib builds, so notebooks/sanitize.cfg masks the base64 for nbval.
        png = base64.b64encode(self._initial_png).decode("ascii")
        return (
            f'<div class="bl-figure bl-static"><p class="bl-figure-title"><strong>{escape(self.title)}</strong></p>'
            f'<img class="bl-figure-image" alt="{escape(self._initial_alt)}" src="data:image/png;base64,{png}">'
            f"{self._initial_readout}{self.caption.value}{self._data_toggle_html()}</div>"
        )


def _dataset(name: str) -> Rows:
    """A dataset's rows without pandas (same columns and values as ``content.dataset``)."""
    from backlessons import content

    return content.rows("dataset", name)


#: The course's figure functions, in the order they are defined; ``make frames`` calls each
#: with its defaults and ships the first frame (``first_frames.py``).
COURSE_FIGURES: list[Callable[[], FigureWidget]] = []

F = TypeVar("F", bound=Callable[..., FigureWidget])


def _course_figure(make: F) -> F:
    COURSE_FIGURES.append(make)
    return make


def write_course_frames() -> list[str]:
    """Draw every course figure's first frame into ``widgets/frames`` (``make frames``);
    returns the files written or removed (none when every frame is current)."""
    return write_frames(COURSE_FIGURES)


class FigureFacts:
    """A figure's rows of ``figure_facts.csv``: named values, caption notes and their sources."""

    def __init__(self, figure: str) -> None:
        from backlessons import content

        rows = content.rows("figure_facts").where("figure", figure)
        self.figure = figure
        self.values = {str(r.fact): str(r.value) for r in rows if r.fact != "note"}
        self.sources = tuple(dict.fromkeys(k for r in rows for k in r.source))
        self.notes = tuple(str(r.value).format_map(self.values) for r in rows if r.fact == "note")

    def text(self, fact: str) -> str:
        """A fact as typed in the file (``"5,205"``)."""
        if fact not in self.values:
            raise ContentError([Problem("figure_facts.csv", f"figure {self.figure}", "fact", f"'{fact}' is missing")])
        return self.values[fact]

    def number(self, fact: str) -> float:
        """A fact the plot draws with (a band's edge, a count)."""
        text = self.text(fact)
        value = _num(text.replace(",", ""))
        if value is None:
            raise ContentError([Problem("figure_facts.csv", f"figure {self.figure} ({fact})", "value",
                                        f"'{text}' is not a number")])
        return value


# --- ground reaction force (Keller 1996, Cavanagh 1980) ------------------------------------


@_course_figure
def ground_reaction_force(speed: float = 3.0) -> FigureWidget:
    """Peak vertical ground reaction force against running speed, with a speed slider."""
    data = _dataset("ground_reaction_force")
    facts = FigureFacts("ground_reaction_force")
    trend = sorted(data.where("measure", "peak vertical force"), key=lambda r: r.speed_m_s)
    others = [r for r in data if r.measure != "peak vertical force"]
    (x0, y0), (x1, y1) = [(float(r.speed_m_s), float(r.force_bw)) for r in (trend[0], trend[-1])]
    trend_cite = short_citation(trend[0].source)
    slow_top, running_from = facts.number("slow_speeds_up_to_m_s"), facts.number("running_speeds_from_m_s")
    excess = facts.number("slow_jogging_excess_percent")

    def draw(fig: Figure, p: dict[str, Any]) -> str:
        s = float(p["speed"])
        ax = fig.subplots()
        ax.axvspan(x0, slow_top, color="#eef3f8", zorder=0)
        ax.axvspan(running_from, x1, color="#f8f1ea", zorder=0)
        ax.text((x0 + slow_top) / 2, 0.15, "walking / slow jogging", ha="center", fontsize=8)
        ax.text((running_from + x1) / 2, 0.15, "running", ha="center", fontsize=8)
        ax.plot([x0, x1], [y0, y1], ls="--", color=_MAIN, label="the paper's linear trend (between the two stated values)")
        ax.plot([x0, x1], [y0, y1], "o", color=_MAIN, ms=8, label=f"values stated by {trend_cite} (peak vertical force)")
        ax.annotate("stayed about constant\nin sprinting", (x1, y1), textcoords="offset points", xytext=(-10, 12), ha="right", fontsize=8)
        # Slow jogging sat above the trend (more than `excess` % higher than walking or fast
        # running); the paper gives no exact value, so this is an arrow and a label, never a point.
        jog_x = slow_top - 0.5  # where the arrow is drawn, inside the slow band
        jog_trend = y0 + (y1 - y0) * (jog_x - x0) / (x1 - x0)
        jog_top = jog_trend * (1 + excess / 100)
        ax.annotate("", xy=(jog_x, jog_top), xytext=(jog_x, jog_trend),
                    arrowprops={"arrowstyle": "-|>", "color": _ACCENT, "lw": 1.5})
        ax.text(jog_x, jog_top + 0.1,
                f"slow jogging: above the trend,\n>{_fmt(excess)}% higher than walking\n(no exact value reported)",
                ha="center", va="bottom", fontsize=7, color=_ACCENT)
        for r in others:
            ax.plot([r.speed_m_s], [r.force_bw], "s", color=_MUTED, ms=7,
                    label=f"{r.measure} ({r.note}; {short_citation(r.source)}), a different measure")
        marker_y = y0 + (y1 - y0) * (s - x0) / (x1 - x0)
        ax.axvline(s, color=_ACCENT, lw=1)
        ax.plot([s], [marker_y], "D", color=_ACCENT, ms=7, label="you are here (on the trend line)")
        ax.set_xlim(1.0, 6.5)
        ax.set_ylim(0, 4.5)
        ax.set_xlabel("Speed (m/s)")
        ax.set_ylabel("Vertical ground reaction force (body weights, BW)")
        ax.set_title("Ground reaction force rises with speed", fontsize=11)
        ax.legend(fontsize=7, loc="upper left")
        surname = trend_cite.split(" ")[0]
        band = ("walking or slow jogging" if s <= slow_top else "running" if s >= running_from
                else f"between the two speed bands {surname} tested")
        return (
            f'<p class="bl-readout">{_fmt(s)} m/s: {band}. The marker sits on the paper\'s linear trend '
            "line; it is an illustration of the trend, not a measured value.</p>"
        )

    slider = widgets.FloatSlider(value=speed, min=x0, max=x1, step=0.5, description="Speed (m/s)",
                                 readout_format=".1f", style={"description_width": "initial"}, continuous_update=False)
    return FigureWidget("ground_reaction_force", f"Ground reaction force vs running speed ({trend_cite})", draw,
                        {"speed": slider}, data, _sources(data, facts.sources), facts.notes)


# --- imaging findings in people without pain (Brinjikji 2015) ------------------------------


def nearest_measured_age(age: int, measured: Sequence[int]) -> int:
    """The measured age closest to *age* (the younger one on a tie)."""
    return min(sorted(measured), key=lambda a: (abs(a - age), a))


@_course_figure
def imaging_findings_by_age(age: int = 40) -> FigureWidget:
    """Imaging findings in people without back pain by age, with an age slider."""
    data = _dataset("imaging_findings")
    facts = FigureFacts("imaging_findings")
    measured = sorted({int(a) for a in data["age"]})
    findings = list(dict.fromkeys(data["finding"]))
    # Decades inside the measured range with no confirmed value: a gap, never a line.
    gap = [a for a in range(measured[0], measured[-1], 10) if a not in measured]
    study = short_citation(frame_sources(data)[0])  # the study the dataset reports

    def draw(fig: Figure, p: dict[str, Any]) -> str:
        chosen = int(p["age"])
        nearest = nearest_measured_age(chosen, measured)
        ax = fig.subplots()
        if gap:
            ax.axvspan(gap[0] - 5, gap[-1] + 5, color="#f2f2f2", zorder=0)
            ax.text((gap[0] + gap[-1]) / 2, 3, f"gap: no confirmed\ndata at {_and(gap)}", ha="center",
                    fontsize=8, color="#555555")
        ax.axvspan(nearest - 2.5, nearest + 2.5, color="#fde6d2", zorder=0)
        for index, finding in enumerate(findings):
            rows = sorted(data.where("finding", finding), key=lambda r: r.age)
            ages = [int(r.age) for r in rows]
            values = [float(r.percent) for r in rows]
            colour = f"C{index}"
            # Solid line only between neighbouring measured ages below the gap; the points after it stand alone.
            young = [(a, v) for a, v in zip(ages, values) if not gap or a < gap[0]]
            old = [(a, v) for a, v in zip(ages, values) if gap and a > gap[0]]
            ax.plot([a for a, _ in young], [v for _, v in young], "-o", color=colour, label=finding, ms=4)
            if old:
                ax.plot([a for a, _ in old], [v for _, v in old], "o", color=colour, ms=5)
        ax.set_xticks(measured)
        ax.set_xlim(15, 85)
        ax.set_ylim(0, 100)
        ax.set_xlabel("Age (years)")
        ax.set_ylabel("People without back pain with the finding (%)")
        ax.set_title("Scan findings are common in people without pain", fontsize=11)
        ax.legend(fontsize=7, loc="upper left")
        at = data.where("age", nearest)
        listing = "; ".join(f"{escape(r.finding)} {_fmt(float(r.percent))}%" for r in at)
        reported = {r.finding for r in at}
        missing = [f for f in findings if f not in reported]
        if missing:
            listing += f"; not reported at this age: {escape(', '.join(missing))}"
        where = (
            f"Age {chosen}: a measured age."
            if chosen == nearest
            else f"Age {chosen}: no data at this age; the nearest measured age is {nearest}."
        )
        return f'<p class="bl-readout">{where} People without pain at {nearest}: {listing}.</p>'

    slider = widgets.IntSlider(value=age, min=measured[0], max=measured[-1], step=1, description="Age (years)",
                               style={"description_width": "initial"}, continuous_update=False)
    return FigureWidget("imaging_findings", f"Imaging findings in people without back pain, by age ({study})",
                        draw, {"age": slider}, data, _sources(data, facts.sources), facts.notes)


# --- step rate and stride length (knee and hip, not spine) ---------------------------------


def _change_label(variable: str, change: float) -> str:
    sign = "+" if change > 0 else "−"
    return f"{variable} {sign}{_fmt(abs(change))}%"


@_course_figure
def step_rate_loads(change: str | None = None) -> FigureWidget:
    """What a change in step rate or stride length did to knee and hip loading, with a selector."""
    data = _dataset("step_rate")
    keys = list(dict.fromkeys((str(r.variable), float(r.change_percent)) for r in data))
    labels = [_change_label(v, c) for v, c in keys]
    options = list(zip(labels, range(len(keys))))

    def draw(fig: Figure, p: dict[str, Any]) -> str:
        variable, amount = keys[int(p["change"])]
        rows = [r for r in data if r.variable == variable and float(r.change_percent) == amount]
        ax = fig.subplots()
        names, values, texts = [], [], []
        for r in rows:
            per = f", {r.per}" if r.per else ""  # empty optional text is ""
            names.append(f"{r.joint}: {r.outcome}{per}\n({r.method})")
            effect = _num(r.effect_percent)
            signed = None if effect is None else (-effect if r.direction == "decrease" else effect)
            values.append(signed)
            texts.append(
                f"{escape(r.joint)}, {escape(r.outcome)}{escape(per)}: "
                + (f"{'−' if signed < 0 else '+'}{_fmt(abs(signed))}%" if signed is not None else f"{escape(r.direction)}d (no percentage reported)")
                + f" ({escape(r.method)}; {escape(short_citation(r.source))})"
            )
        positions = list(range(len(names)))
        for y, v, r in zip(positions, values, rows):
            if v is None:
                arrow = "▼ decreased" if r.direction == "decrease" else "▲ increased"
                ax.text(0, y, f"{arrow} (no % reported)", va="center", ha="center", fontsize=8,
                        bbox={"boxstyle": "round", "fc": "#f2f2f2", "ec": _MUTED})
            else:
                ax.barh([y], [v], height=0.5, color=_MAIN if v < 0 else _ACCENT)
                ax.text(v, y, f" {_fmt(v)}% ", va="center", ha="left" if v > 0 else "right", fontsize=8)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(positions, names, fontsize=7)
        ax.set_xlim(-40, 40)
        ax.set_ylim(len(names) - 0.4, -0.6)
        ax.set_xlabel("Change in the knee or hip measure (%)")
        ax.set_title(f"{_change_label(variable, amount)}: knee and hip, not spine", fontsize=11)
        return f'<p class="bl-readout">{escape(_change_label(variable, amount))}: ' + "; ".join(texts) + ".</p>"

    initial = labels.index(change) if change in labels else 0
    selector = widgets.Dropdown(options=options, value=initial, description="Change",
                                style={"description_width": "initial"})
    facts = FigureFacts("step_rate")
    return FigureWidget("step_rate", "Step rate and stride length: knee and hip loading", draw,
                        {"change": selector}, data, _sources(data, facts.sources), facts.notes, size=(7.5, 4.0))


# --- training spikes (Frandsen 2025) -------------------------------------------------------


def spike_percent(planned_km: float, longest_km: float) -> float:
    """How much longer a planned run is than the longest run of the past 30 days, in percent."""
    if longest_km <= 0:
        raise ValueError("the longest recent run must be more than 0 km")
    return (planned_km - longest_km) / longest_km * 100.0


def _is_reference(row: Any) -> bool:
    # content.dataset gives a bool; a frame built by hand may hold "true" or "1".
    return str(row.is_reference).strip().lower() in {"true", "1"}


def spike_category(percent: float, data: Rows | pd.DataFrame) -> Any | None:
    """The dataset row whose (lower, upper] band holds *percent*; the reference band includes −10%.

    *data* is ``content.rows("dataset", "training_spikes")`` or its DataFrame. None below the
    reference band (a run much shorter than usual was not a reported category).
    """
    # A DataFrame iterates over its column names; its rows come from itertuples.
    rows = data.itertuples() if hasattr(data, "itertuples") else data
    for r in rows:
        low, high = _num(r.lower_percent), _num(r.upper_percent)
        reference = _is_reference(r)
        above_low = low is None or percent > low or (reference and percent >= low)
        below_high = high is None or percent <= high
        if above_low and below_high:
            return r
    return None


@_course_figure
def training_spikes(planned_km: float = 12.0, longest_km: float = 10.0) -> FigureWidget:
    """Hazard of an overuse running injury by single-run spike, with planned and longest-run sliders."""
    data = _dataset("training_spikes")
    facts = FigureFacts("training_spikes")
    study = short_citation(frame_sources(data)[0])  # the study the dataset reports
    reference = [r for r in data if _is_reference(r)]
    reference_band = (f"{_signed_percent(_num(reference[0].lower_percent))} to "
                      f"{_signed_percent(_num(reference[0].upper_percent))}") if reference else "none reported"

    def draw(fig: Figure, p: dict[str, Any]) -> str:
        planned, longest = float(p["planned"]), float(p["longest"])
        percent = spike_percent(planned, longest)
        chosen = spike_category(percent, data)
        ax = fig.subplots()
        ax.axhline(1.0, color="black", lw=0.8, ls="--")
        for x, r in enumerate(data):
            hr, low, high = float(r.hazard_ratio), _num(r.ci_low), _num(r.ci_high)
            colour = _ACCENT if chosen is not None and r.spike == chosen.spike else _MAIN
            if low is not None and high is not None:
                ax.errorbar([x], [hr], yerr=[[hr - low], [high - hr]], fmt="o", color=colour, capsize=5, ms=8)
            else:
                ax.plot([x], [hr], "o", color=colour, ms=8)
        ax.set_xticks(range(len(data)), [str(s) for s in data["spike"]], fontsize=8)
        ax.set_xlabel("Longest single run vs the longest run of the previous 30 days")
        ax.set_ylabel("Hazard rate ratio, overuse injury (95% CI)")
        ax.set_ylim(0, 4)
        ax.set_title("Single-run spikes and overuse running injury", fontsize=11)
        head = f"A {_fmt(round(planned, 1))} km run after a longest recent run of {_fmt(round(longest, 1))} km is a {percent:+.0f}% change"
        if chosen is None:
            return (f'<p class="bl-readout">{head}: shorter than the reference band ({reference_band}), '
                    "which was not one of the reported categories.</p>")
        low, high = _num(chosen.ci_low), _num(chosen.ci_high)
        if _is_reference(chosen):
            what = "the reference band (hazard ratio 1)"
        else:
            what = (f"band {escape(chosen.spike)}: hazard rate ratio {_fmt(float(chosen.hazard_ratio))} "
                    f"(95% CI {_fmt(low)}–{_fmt(high)})" if low is not None and high is not None
                    else f"band {escape(chosen.spike)}: hazard rate ratio {_fmt(float(chosen.hazard_ratio))}")
        return f'<p class="bl-readout">{head}: {what}.</p>'

    style = {"description_width": "initial"}
    controls = {
        "planned": widgets.FloatSlider(value=planned_km, min=1, max=60, step=0.5, description="Planned run (km)",
                                       style=style, continuous_update=False),
        "longest": widgets.FloatSlider(value=longest_km, min=1, max=40, step=0.5,
                                       description="Longest run in the past 30 days (km)", style=style,
                                       continuous_update=False),
    }
    return FigureWidget("training_spikes", f"Single-run spikes and overuse-injury hazard ({study})", draw,
                        controls, data, _sources(data, facts.sources), facts.notes)


# --- intradiscal pressure (Wilke 1999, n = 1) -----------------------------------------------


@_course_figure
def intradiscal_pressure(posture: str = "relaxed standing") -> FigureWidget:
    """Disc pressure at L4–L5 in one person across postures, with a posture dropdown."""
    data = _dataset("intradiscal_pressure")
    facts = FigureFacts("intradiscal_pressure")
    postures = [str(p) for p in data["posture"]]
    study = short_citation(frame_sources(data)[0])  # the study the dataset reports
    n = facts.text("participants")
    people = "one person" if facts.number("participants") == 1 else f"{n} people"
    low, high = facts.text("anabolic_from_mpa"), facts.text("anabolic_to_mpa")
    anabolic_cite = short_citation([k for k in facts.sources if k not in set(frame_sources(data))])

    def draw(fig: Figure, p: dict[str, Any]) -> str:
        chosen = str(p["posture"])
        ax = fig.subplots()
        ax.axvspan(float(low), float(high), color="#e6f2e6", zorder=0,
                   label=f"{low}–{high} MPa: range cited as likely anabolic for disc cells ({anabolic_cite})")
        values = [float(v) for v in data["pressure_mpa"]]
        colours = [_ACCENT if name == chosen else _MAIN for name in postures]
        ax.barh(range(len(postures)), values, color=colours)
        ax.set_yticks(range(len(postures)), postures, fontsize=7)
        ax.invert_yaxis()
        ax.set_xlabel("Intradiscal pressure at L4–L5 (MPa)")
        ax.set_title(f"Disc pressure by posture — {people} (n = {n})", fontsize=11)
        ax.text(0.98, 0.02, f"n = {n}: {facts.text('participant')}", transform=ax.transAxes, ha="right", va="bottom",
                fontsize=8, bbox={"fc": "white", "ec": _MUTED})
        ax.legend(fontsize=7, loc="upper right")
        value = float(data.where("posture", chosen)[0].pressure_mpa)
        not_shown = facts.text("not_shown")
        return (f'<p class="bl-readout">{escape(chosen)}: {_fmt(value)} MPa, measured in {people} (n = {escape(n)}). '
                f"{escape(not_shown[:1].upper() + not_shown[1:])} were measured too, but their values could not be "
                "confirmed, so they are not shown.</p>")

    dropdown = widgets.Dropdown(options=postures, value=posture if posture in postures else postures[0],
                                description="Posture", style={"description_width": "initial"})
    return FigureWidget("intradiscal_pressure", f"Intradiscal pressure by posture ({study}, n = {n})", draw,
                        {"posture": dropdown}, data, _sources(data, facts.sources), facts.notes, size=(7.5, 4.6))


# --- static figures ------------------------------------------------------------------------


@_course_figure
def prevention_effects() -> FigureWidget:
    """Risk ratios for preventing low back pain (Steffens 2016; Shiri 2017), a static forest plot."""
    data = _dataset("prevention")
    facts = FigureFacts("prevention")

    def draw(fig: Figure, _p: dict[str, Any]) -> str:
        ax = fig.subplots()
        ax.axvline(1.0, color="black", lw=0.8, ls="--")
        labels = []
        for y, r in enumerate(data):
            rr, low, high = _num(r.risk_ratio), _num(r.ci_low), _num(r.ci_high)
            labels.append(f"{r.intervention}\n({r.outcome})")
            if rr is None:
                ax.text(1.0, y, f"{r.effect} (no risk ratio confirmed)", va="center", ha="center", fontsize=8,
                        bbox={"fc": "#f2f2f2", "ec": _MUTED})
            elif low is not None and high is not None:
                ax.errorbar([rr], [y], xerr=[[rr - low], [high - rr]], fmt="o", color=_MAIN, capsize=4)
            else:
                ax.plot([rr], [y], "o", color=_MAIN)
        ax.set_yticks(range(len(labels)), labels, fontsize=7)
        ax.invert_yaxis()
        ax.set_xlim(0.2, 1.6)
        ax.set_xlabel("Risk ratio (95% CI); below 1 = fewer episodes")
        ax.set_title("Preventing low back pain", fontsize=11)
        return f'<p class="bl-readout">{escape(facts.text("summary"))}</p>'

    return FigureWidget("prevention", "Preventing low back pain: risk ratios", draw, {}, data,
                        _sources(data, facts.sources), facts.notes, size=(7.5, 4.2))


@_course_figure
def prevalence() -> FigureWidget:
    """How common low back pain is: percentages and people affected, a static chart."""
    data = _dataset("prevalence")
    facts = FigureFacts("prevalence")
    runner_values = [float(r.value) for r in data.where("population", "runners")
                     if str(r.measure).startswith("prevalence")]

    def draw(fig: Figure, _p: dict[str, Any]) -> str:
        percent = data.where("unit", "percent")
        people = [r for r in data if r.unit != "percent"]
        ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [2.2, 1]})
        labels = [f"{r.measure} ({r.population})" for r in percent]
        colours = [_ACCENT if r.population == "runners" else _MAIN for r in percent]
        ax1.barh(range(len(labels)), [float(r.value) for r in percent], color=colours)
        ax1.set_yticks(range(len(labels)), labels, fontsize=7)
        ax1.invert_yaxis()
        ax1.set_xlim(0, 100)
        ax1.set_xlabel("Percent of people (%)")
        people_values = [float(r.value) for r in people]
        ax2.bar(range(len(people)), people_values, color=_MAIN)
        # "people with low back pain in 2050 (projected)" → "2050\n(projected)": the axis says the rest.
        short = [str(r.measure).replace("people with low back pain in ", "").replace(" (", "\n(") for r in people]
        ax2.set_xticks(range(len(people)), short, fontsize=7)
        for x, v in enumerate(people_values):
            ax2.text(x, v, f"{_fmt(v)}", ha="center", va="bottom", fontsize=8)
        ax2.set_ylabel("People with low back pain (millions)")
        fig.suptitle("How common is low back pain?", fontsize=11)
        return ('<p class="bl-readout">Low back pain is common in everyone; among runners the reported '
                f"prevalence is low ({_fmt(min(runner_values))}–{_fmt(max(runner_values))}%), across studies "
                "with mixed definitions.</p>")

    return FigureWidget("prevalence", "How common low back pain is", draw, {}, data, _sources(data, facts.sources),
                        facts.notes, size=(8.5, 4.2))


# --- natural history of low back pain (da C Menezes Costa 2012) -----------------------------


@_course_figure
def natural_history(week: int = 6) -> FigureWidget:
    """Average pain over a year in acute and persistent low back pain, with a week selector.

    Only the measured time points are markers; the thin lines only join neighbouring points.
    """
    data = _dataset("natural_history")
    facts = FigureFacts("natural_history")
    weeks = sorted({int(w) for w in data["week"]})
    courses = list(dict.fromkeys(data["course"]))
    colours = {"acute": _MAIN, "persistent": _ACCENT}

    def draw(fig: Figure, p: dict[str, Any]) -> str:
        chosen = int(p["week"])
        ax = fig.subplots()
        for course in courses:
            rows = sorted(data.where("course", course), key=lambda r: r.week)
            xs, ys = [int(r.week) for r in rows], [float(r.mean_pain) for r in rows]
            colour = colours.get(course, _MUTED)
            ax.plot(xs, ys, ls=":", lw=1, color=colour)
            ax.plot(xs, ys, "o", ms=7, color=colour, label=f"{course} low back pain (measured average)")
        ax.plot([], [], ls=":", lw=1, color="black", label="dotted lines only join measured points")
        ax.axvline(chosen, color="#555555", lw=0.8)
        ax.set_xticks(weeks)
        ax.set_xlim(-2, 56)
        ax.set_ylim(0, 100)
        ax.set_xlabel("Weeks since the start of the study")
        ax.set_ylabel("Average pain (0–100)")
        ax.set_title(f"Back pain usually eases, most in the first {weeks[1]} weeks", fontsize=11)
        ax.legend(fontsize=7, loc="upper right")
        listing = "; ".join(f"{escape(r.course)} {_fmt(float(r.mean_pain))}/100" for r in data.where("week", chosen))
        return (f'<p class="bl-readout">Week {chosen}: average pain {listing}. '
                "These are averages: individual people vary.</p>")

    # Four measured weeks: a drop-down (named by its label) rather than a slider between them.
    selector = widgets.Dropdown(options=[(f"week {w}", w) for w in weeks],
                                value=week if week in weeks else weeks[0], description="Week",
                                style={"description_width": "initial"})
    return FigureWidget("natural_history", "Average pain over a year: acute and persistent low back pain", draw,
                        {"week": selector}, data, _sources(data, facts.sources), facts.notes)
