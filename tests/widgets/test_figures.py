"""Figures: controls redraw the plot, notes the evidence requires are shown, output is deterministic."""

from __future__ import annotations

import base64
import re
import subprocess
import sys

import pytest

from backlessons import content, figures
from backlessons.widgets.figures import nearest_measured_age, spike_category, spike_percent

ALL = list(figures.COURSE_FIGURES)


def test_every_figure_function_is_a_course_figure():
    """Is every public function that returns a figure registered, so `make frames` draws its first frame?"""
    import inspect

    returning_a_figure = {name for name in figures.__all__
                          if inspect.isfunction(getattr(figures, name))
                          and inspect.signature(getattr(figures, name)).return_annotation in ("FigureWidget", figures.FigureWidget)}
    assert {f.__name__ for f in figures.COURSE_FIGURES} == returning_a_figure
    assert len(returning_a_figure) == 8


@pytest.mark.parametrize("make", ALL, ids=lambda f: f.__name__)
def test_figure_bundle(make):
    """Does every figure show a PNG, a source caption, and a deterministic answer-free bundle?"""
    fig = make()
    assert bytes(fig.image.value).startswith(b"\x89PNG")
    assert "Source" in fig.caption.value and "bl-figure" in fig._dom_classes
    bundle = fig._repr_mimebundle_()
    assert bundle["text/plain"] == f"Figure: {fig.title} — interactive in JupyterLab"
    assert bundle["text/html"] == make()._repr_mimebundle_()["text/html"]
    # The static view embeds the initial figure, so GitHub and nbviewer show it.
    embedded = re.search(r'<img class="bl-figure-image" alt="[^"]+" src="data:image/png;base64,([^"]+)"', bundle["text/html"])
    assert embedded and base64.b64decode(embedded.group(1)) == bytes(fig.image.value)
    # The same inputs give the same bytes: no dates or random state in the PNG.
    assert bytes(make().image.value) == bytes(fig.image.value)


@pytest.mark.parametrize(
    "make, key, value",
    [
        (figures.ground_reaction_force, "speed", 5.0),
        (figures.imaging_findings_by_age, "age", 65),
        (figures.step_rate_loads, "change", 3),
        (figures.training_spikes, "planned", 30.0),
        (figures.intradiscal_pressure, "posture", "lifting 20 kg, rounded back"),
        (figures.natural_history, "week", 52),
    ],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_control_redraws(make, key, value):
    """Does changing the control redraw the plot and the readout?"""
    fig = make()
    png, readout = bytes(fig.image.value), fig.readout.value
    fig.controls[key].value = value
    assert bytes(fig.image.value) != png and fig.readout.value != readout


def test_ground_reaction_force_plots_only_stated_endpoints():
    """Are Keller's two stated values the only Keller points, with the line labelled as the paper's trend?"""
    fig = figures.ground_reaction_force()
    mpl_fig, readout = fig.make_figure()
    ax = mpl_fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    points = lines["values stated by Keller 1996 (peak vertical force)"]
    assert list(points.get_xdata()) == [1.5, 6.0] and list(points.get_ydata()) == [1.2, 2.5]
    assert "the paper's linear trend (between the two stated values)" in lines
    assert "not a measured value" in readout
    assert "more than 50% higher" in fig.caption.value


def test_imaging_gap_is_a_gap():
    """Does no plotted line join age 50 to age 80 (60 and 70 were not confirmed)?"""
    fig = figures.imaging_findings_by_age()
    mpl_fig, _ = fig.make_figure()
    for line in mpl_fig.axes[0].get_lines():
        xs = list(line.get_xdata())
        if line.get_linestyle() not in ("None", "", " ") and len(xs) > 1:
            assert max(xs) <= 50, f"{line.get_label()} is drawn across the 60–70 gap"
    assert 60 not in set(content.dataset("imaging_findings")["age"])
    assert "gap" in fig.caption.value


@pytest.mark.parametrize("age, nearest", [(20, 20), (44, 40), (45, 40), (46, 50), (65, 50), (66, 80), (80, 80)])
def test_nearest_measured_age(age, nearest):
    """Is the highlighted column the nearest measured age (the younger on a tie)?"""
    assert nearest_measured_age(age, [20, 30, 40, 50, 80]) == nearest


def test_imaging_readout_says_when_age_has_no_data():
    """At 65, does the readout say there are no data and name the nearest measured age?"""
    fig = figures.imaging_findings_by_age(age=65)
    assert "no data at this age; the nearest measured age is 50" in fig.readout.value


@pytest.mark.parametrize(
    "planned, longest, spike",
    [(10, 10, "-10% to +10% (reference)"), (9, 10, "-10% to +10% (reference)"), (11, 10, "-10% to +10% (reference)"),
     (12, 10, ">10% to 30%"), (13, 10, ">10% to 30%"), (15, 10, ">30% to 100%"), (20, 10, ">30% to 100%"),
     (25, 10, ">100%"), (8, 10, None)],
)
def test_spike_category(planned, longest, spike):
    """Does a planned run fall in the right Frandsen band, boundaries included?"""
    row = spike_category(spike_percent(planned, longest), content.dataset("training_spikes"))
    assert (row.spike if row is not None else None) == spike


def test_training_spikes_readout_and_notes():
    """Does the readout give the band's hazard ratio and CI, and the caption say the outcome is not LBP?"""
    fig = figures.training_spikes(planned_km=14, longest_km=10)
    assert "+40% change" in fig.readout.value and "1.52 (95% CI 1.16–2)" in fig.readout.value
    assert "not LBP" in fig.caption.value and "Not monotonic" in fig.caption.value


def test_spike_percent_rejects_zero():
    """Is a longest recent run of 0 km refused with a clear error?"""
    with pytest.raises(ValueError, match="more than 0 km"):
        spike_percent(5, 0)


def test_step_rate_is_about_knee_and_hip():
    """Does the step-rate figure say it is knee/hip, not spine, and mark model estimates?"""
    fig = figures.step_rate_loads()
    assert "Knee/hip, not spine" in fig.caption.value and "no spinal-load" in fig.caption.value
    assert "−14%" in fig.readout.value and "model estimate" in fig.readout.value
    labels = [label for label, _ in fig.controls["change"].options]
    assert labels == ["step rate +10%", "step rate +5%", "step rate −10%", "stride length −10%", "stride length +10%"]


def test_intradiscal_pressure_says_n_is_one():
    """Does the pressure figure say n = 1 on the plot and in the caption, and plot no walking/jogging?"""
    fig = figures.intradiscal_pressure()
    mpl_fig, readout = fig.make_figure()
    texts = [t.get_text() for t in mpl_fig.axes[0].texts]
    assert any("n = 1" in t for t in texts) and "n = 1" in fig.caption.value and "n = 1" in readout
    assert not any("walk" in p or "jog" in p for p in fig.controls["posture"].options)


def test_matplotlib_not_imported_by_package_import():
    """Does `import backlessons` (and its widgets) leave matplotlib unimported?"""
    code = "import sys, backlessons, backlessons.widgets.figures, backlessons.widgets; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("make", ALL, ids=lambda f: f.__name__)
def test_figure_has_text_alternative_data_table_and_named_controls(make):
    """Does every plot carry a text alternative naming it, a "Show the data" table, and named controls?"""
    from backlessons.widgets.components import AltImage, NamedSlider

    fig = make()
    assert isinstance(fig.image, AltImage) and fig.image.alt.startswith(f"Plot: {fig.title}.")
    assert "<summary>Show the data</summary>" in fig.data_table.value and "<table" in fig.data_table.value
    assert fig.data_table in fig.children
    for shown in fig.shown_controls:
        assert shown.description.strip(), "a control without a name"
        if isinstance(shown, NamedSlider):
            assert shown not in fig.controls.values()  # the named slider stands in for ipywidgets'


def test_alt_text_follows_the_controls():
    """When the age slider moves (in the page or in code), do the alt text and the readout follow?"""
    fig = figures.imaging_findings_by_age(40)
    assert "Age (years): 40" in fig.image.alt
    slider = fig.shown_controls[0]
    slider.value = 50  # what the learner's browser sends
    assert fig.controls["age"].value == 50
    assert "Age (years): 50" in fig.image.alt and "Age (years): 40" not in fig.image.alt
    fig.controls["age"].value = 60
    assert slider.value == 60 and "Age (years): 60" in fig.image.alt


def test_drop_down_is_shown_as_a_keyboard_usable_select_that_follows_the_figure():
    """Is a figure's drop-down shown as the package's TextSelect (JupyterLab takes ipywidgets'
    drop-down arrow keys), and do a choice in the page and a value set in code stay in step?"""
    from backlessons.widgets.components import TextSelect

    fig = figures.natural_history(6)
    week = fig.controls["week"]
    select, = fig.shown_controls
    assert isinstance(select, TextSelect) and select not in fig.controls.values()
    assert select.description == "Week" and select.required
    assert select.labels == [str(label) for label, _ in week.options]
    assert select.labels[select.value] == "week 6" and "week 6" in fig.image.alt.lower()
    select.value = select.labels.index("week 52")  # what the learner's browser sends
    assert week.value == 52 and "week 52" in fig.image.alt.lower()
    week.value = 0
    assert select.labels[select.value] == "week 0"


def test_figure_can_bring_its_own_description():
    """Does a figure's own describe function, given the control values, replace the generic alt text?"""
    fig = figures.FigureWidget("demo", "Demo", lambda f, p: "", {}, content.rows("dataset", "prevalence"), (),
                               describe=lambda params: f"Demo with {len(params)} controls")
    assert fig.image.alt == "Demo with 0 controls"


# --- facts come from data --------------------------------------------------------------------

STUDY_FACTS_ONCE_TYPED_IN_CODE = (
    "Keller", "Cavanagh", "Frandsen", "Wilke", "Steffens", "Costa", "Maselli", "Brinjikji", "Belav", "Lenhart",
    "Shiri", "0.7", "20.2", "13 men", "5,205", "588,071", "30,850", "11,166", "3,110", "19 studies",
    "45-year-old", "n = 1", "60 and 70",
)


def test_figure_code_types_no_study_facts():
    """Does the figures module hold no study names or numbers in its strings (they live in data/)?"""
    import ast
    from pathlib import Path

    import backlessons.widgets.figures as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    strings = [node.value for node in ast.walk(tree)
               if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]
    typed = sorted({fact for fact in STUDY_FACTS_ONCE_TYPED_IN_CODE for text in strings if fact in text})
    assert typed == []


def _with_facts(monkeypatch, changes):
    """content.rows("figure_facts") (what the figures read) with some values replaced: {(figure, fact): value}."""
    shipped_rows = content.rows
    shipped = shipped_rows("figure_facts")
    records = [dict(rec) for rec in shipped.records]
    for (figure, fact), value in changes.items():
        matches = [rec for rec in records if (rec["figure"], rec["fact"]) == (figure, fact)]
        assert len(matches) == 1, (figure, fact)
        matches[0]["value"] = value
    edited = content.Rows(shipped.table, records, shipped.index)

    def rows(kind, name="", root=None):
        return edited if kind == "figure_facts" and root is None else shipped_rows(kind, name, root)

    monkeypatch.setattr(content, "rows", rows)


def test_captions_and_readouts_follow_the_facts_file(monkeypatch):
    """When figure_facts.csv says something else, do the captions, plot texts and readouts say it too?"""
    _with_facts(monkeypatch, {
        ("prevalence", "runner_studies"): "23",
        ("ground_reaction_force", "men"): "14",
        ("intradiscal_pressure", "participants"): "2",
        ("intradiscal_pressure", "participant"): "two healthy adults",
        ("prevention", "summary"): "Exercise & education <helped>.",
    })
    assert "span 23 studies" in figures.prevalence().caption.value
    assert "14 men and 10 women" in figures.ground_reaction_force().caption.value
    pressure = figures.intradiscal_pressure()
    mpl_fig, readout = pressure.make_figure()
    assert "n = 2: two healthy adults" in [t.get_text() for t in mpl_fig.axes[0].texts]
    assert "measured in 2 people (n = 2)" in readout and pressure.title.endswith("(Wilke 1999, n = 2)")
    assert "Exercise &amp; education &lt;helped&gt;." in figures.prevention_effects().readout.value


def test_a_missing_or_unreadable_fact_names_the_file_figure_and_fact(monkeypatch):
    """Does a fact the plot needs as a number, given as words, stop the figure with a ContentError naming it?"""
    from backlessons.errors import ContentError

    _with_facts(monkeypatch, {("ground_reaction_force", "slow_speeds_up_to_m_s"): "three"})
    with pytest.raises(ContentError, match=r"figure_facts.csv: figure ground_reaction_force \(slow_speeds_up_to_m_s\): "
                                           r"value: 'three' is not a number"):
        figures.ground_reaction_force()


def test_readouts_derived_from_the_datasets():
    """Are the runners' prevalence range and the spikes' reference band read from the datasets, as shown before?"""
    prevalence = content.dataset("prevalence")
    runners = prevalence[(prevalence["population"] == "runners") & prevalence["measure"].str.startswith("prevalence")]
    low, high = min(runners["value"].astype(float)), max(runners["value"].astype(float))
    assert f"prevalence is low ({low:g}–{high:g}%)" in figures.prevalence().readout.value == (
        '<p class="bl-readout">Low back pain is common in everyone; among runners the reported prevalence is low '
        "(0.7–20.2%), across studies with mixed definitions.</p>")
    short = figures.training_spikes(planned_km=5, longest_km=10).readout.value
    assert "shorter than the reference band (−10% to +10%)" in short
