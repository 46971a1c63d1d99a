"""Tests for backlessons.content: the shipped data, and one bad file of each kind."""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import pytest
import yaml

from backlessons import content
from backlessons.errors import ContentError, Problem

DATA = Path(__file__).resolve().parents[1] / "data"

LESSON_IDS = (
    "00_start_here",
    "01_causes",
    "02_running_and_the_spine",
    "03_common_injuries_and_treatments",
    "04_prevention",
    "05_running_technique",
    "06_modifying_your_routine",
    "07_rehab_exercises",
    "08_red_flags_and_clinical_reasoning",
    "09_review_and_faq",
)
EXERCISE_NAMES = ("pelvic_tilt", "glute_bridge", "superman", "bird_dog", "side_plank", "graded_return_to_running")
DATASET_NAMES = (
    "ground_reaction_force",
    "imaging_findings",
    "intradiscal_pressure",
    "natural_history",
    "prevalence",
    "prevention",
    "step_rate",
    "training_spikes",
)
# The keys the team agreed on (developers' guide); references.csv must hold exactly these.
REFERENCE_KEYS = frozenset(
    """swain2020 maselli2020 saragiotto2016 belavy2017 mitchell2020 brinjikji2015 hartvigsen2018
    nice_ng59 foster2018 steffens2016 malisoux2020 nigg2015 buist2008 frandsen2025
    heiderscheit2011 lenhart2014 lieberman2015 owen2020 hayden2021 kent2023 lin2006 shiri2017
    dahm2010 vlaeyen2000 leeuw2007 finucane2020 downie2013 harris2016 fredericson2003
    johnson2001 micheli1995 sieper2009 rudwaleit2009 keller1996 cavanagh1980 willson2014
    balague2012 hoy2012 gbd2023 wilke1999 scoliosis2016
    nice_ng234 hawkins2023 jospt2014_aaa nice_ng156 yusuf2019 robertson2017 kahanov2011 masci2006
    mountjoy2023 greenhalgh2018 costa2012 henschke2008 dasilva2019 chiu2015 konstantinou2018""".split()
) | {"dunlosky2013"}  # spaced retrieval practice, cited by notebooks/10_review.ipynb


# --------------------------------------------------------------------------- shipped data


def test_shipped_data_has_no_problems():
    """Does validate_data() find nothing wrong with the shipped data?"""
    assert [str(p) for p in content.validate_data()] == []


def test_lessons():
    """Are there ten lessons, numbered 0–9 in order, each with 3–5 objectives?"""
    lessons = content.lessons()
    assert tuple(lessons["id"]) == LESSON_IDS
    assert list(lessons["number"]) == list(range(10))
    assert all(3 <= len(obj) <= 5 for obj in lessons["objectives"])
    assert all(isinstance(c, tuple) for c in lessons["claims"])
    assert lessons.set_index("id").loc["01_causes", "claims"] == ("C1", "C2", "C4")
    assert lessons.set_index("id").loc["08_red_flags_and_clinical_reasoning", "claims"] == ()


def test_claims():
    """Are there 18 claims C1–C18, each taught by an existing lesson, with a known verdict?"""
    claims = content.claims()
    assert list(claims.index) == [f"C{i}" for i in range(1, 19)]
    assert set(claims["verdict"]) <= set(content.VERDICTS)
    assert set(claims["topic"]) <= set(LESSON_IDS)
    assert claims.loc["C4", "verdict"] == "contradicted"
    assert claims.loc["C4", "topic"] == "01_causes"


def test_claim_dataclass():
    """Does claim() return a frozen Claim whose sources are a tuple of keys?"""
    c6 = content.claim("C6")
    assert isinstance(c6, content.Claim)
    assert (c6.verdict, c6.verdict_note) == ("mixed", "partly contradicted")
    assert c6.sources == ("nice_ng59", "foster2018")
    with pytest.raises(AttributeError):
        c6.verdict = "supported"  # type: ignore[misc]


def test_only_weak_or_unsupported_claims_lack_sources():
    """Is C16 the only claim without sources, and is its verdict one that allows that?"""
    claims = content.claims()
    unsourced = claims[claims["sources"].map(len) == 0]
    assert list(unsourced.index) == ["C16"]
    assert content.claim("C16").verdict in ("weak", "unsupported")


def test_unknown_claim_raises_content_error():
    """Is asking for a claim that does not exist a ContentError naming the id?"""
    with pytest.raises(ContentError, match="no claim 'C99'"):
        content.claim("C99")


def test_references_are_exactly_the_agreed_keys():
    """Does references.csv hold exactly the agreed keys, each with a year and a journal or note?"""
    refs = content.references()
    assert frozenset(refs.index) == REFERENCE_KEYS
    assert content.reference_keys() == REFERENCE_KEYS
    assert refs["year"].dtype.kind == "i"
    assert ((refs["journal"] != "") | (refs["note"] != "")).all()
    assert refs.loc["nice_ng59", "note"] == "guideline NG59, updated 2020"
    assert refs.loc["fredericson2003", "volume"] == "31(2)"
    assert refs.loc["fredericson2003", "pages"] == ""


def test_causes_treatments_pairs_match_the_article_table():
    """Does the causes/treatments table keep the article's five pairs in order?"""
    table = content.causes_treatments()
    assert list(zip(table["cause"], table["article_treatment"])) == [
        ("Muscle strain", "Strengthening exercises"),
        ("Disc degeneration", "Physical therapy"),
        ("Spondylolisthesis", "Medications"),
        ("Herniated disc", "Injections"),
        ("Spinal stenosis", "Surgery"),
    ]


def test_red_flags_include_cauda_equina_as_emergency():
    """Is cauda equina syndrome listed as an emergency, with every urgency an allowed value?"""
    flags = content.red_flags().set_index("condition")
    assert flags.loc["Cauda equina syndrome", "urgency"] == "emergency"
    assert set(flags["urgency"]) <= set(content.URGENCIES)
    assert len(flags) >= 8


def test_exercises():
    """Are the six exercises loaded as frozen dataclasses with whole-number doses?"""
    exercises = content.exercises()
    assert set(EXERCISE_NAMES) <= set(exercises)
    for name in EXERCISE_NAMES:
        ex = content.exercise(name)
        assert ex.name == name
        assert ex.diagram == f"{name}.svg"
        assert ex.steps and ex.when_to_stop and ex.sources
        for value in (ex.dose.sets, ex.dose.reps, ex.dose.hold_seconds):
            assert isinstance(value, int) and value >= 0
    assert [n for n, ex in exercises.items() if ex.from_article] == ["pelvic_tilt", "glute_bridge", "superman"]
    assert content.exercise("glute_bridge").dose == content.Dose(1, 10, 5, content.exercise("glute_bridge").dose.note)
    assert content.exercise("glute_bridge").dose.describe() == "1 set × 10 reps, hold 5 s"
    assert content.exercise("graded_return_to_running").dose.describe() == ""


def test_unknown_exercise_raises_content_error():
    """Is asking for an exercise that does not exist a ContentError listing the known ones?"""
    with pytest.raises(ContentError, match="no such exercise .*glute_bridge"):
        content.exercise("plank_to_nowhere")


def test_diagrams_have_titles():
    """Does every exercise's diagram load as SVG with a <title>?"""
    for name in EXERCISE_NAMES:
        svg = content.diagram_svg(name)
        assert svg.lstrip().startswith("<svg") and "<title" in svg


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_datasets_are_non_empty_with_sources(name):
    """Is each dataset non-empty, with a source tuple of known keys on every row?"""
    frame = content.dataset(name)
    assert len(frame) > 0
    assert "source" in frame.columns
    for keys in frame["source"]:
        assert isinstance(keys, tuple) and keys and set(keys) <= REFERENCE_KEYS


def test_dataset_names():
    """Does dataset_names() list exactly the dataset files?"""
    assert content.dataset_names() == DATASET_NAMES


def test_unknown_dataset_raises_content_error():
    """Is an unknown or path-like dataset name a ContentError, never a file read outside datasets/?"""
    with pytest.raises(ContentError, match="no such dataset"):
        content.dataset("../claims")
    with pytest.raises(ContentError, match="no such dataset"):
        content.dataset("spine_wear")


def test_imaging_has_no_unconfirmed_ages():
    """Are the unconfirmed ages 60 and 70 absent from the imaging dataset?"""
    imaging = content.dataset("imaging_findings")
    assert set(imaging["age"]) == {20, 30, 40, 50, 80}
    disc = imaging[imaging["finding"] == "disc degeneration"].set_index("age")["percent"]
    assert disc.to_dict() == {20: 37, 30: 52, 40: 68, 50: 80, 80: 96}


def test_training_spikes_reference_row():
    """Is the reference spike row a hazard ratio of 1 without an interval, and the only one?"""
    spikes = content.dataset("training_spikes")
    ref = spikes[spikes["is_reference"]]
    assert len(ref) == 1
    assert ref["hazard_ratio"].iloc[0] == 1.0
    assert math.isnan(ref["ci_low"].iloc[0]) and math.isnan(ref["ci_high"].iloc[0])
    assert math.isnan(spikes.loc[spikes["spike"] == ">100%", "upper_percent"].iloc[0])


def test_intradiscal_pressure_has_no_walking_or_jogging():
    """Are walking and jogging absent from the intradiscal pressure data (values unconfirmed)?"""
    postures = " ".join(content.dataset("intradiscal_pressure")["posture"])
    assert "walk" not in postures and "jog" not in postures


def test_loaders_return_copies():
    """Can a caller change a returned DataFrame or dict without changing the next result?"""
    claims = content.claims()
    claims.loc["C1", "verdict"] = "supported"
    assert content.claims().loc["C1", "verdict"] == "weak"
    frame = content.dataset("prevention")
    frame["risk_ratio"] = 0.0
    assert content.dataset("prevention")["risk_ratio"].iloc[0] == 0.55
    exercises = content.exercises()
    exercises.clear()
    assert content.exercises()


def _csv_key_cells(path: Path) -> list[tuple[str, str]]:
    """(where, key) for every key in a sources/source column, read with the csv module."""
    found = []
    with path.open(newline="", encoding="utf-8") as handle:
        for n, row in enumerate(csv.DictReader(handle), start=2):
            for column in ("sources", "source"):
                for key in filter(None, (row.get(column) or "").split(";")):
                    found.append((f"{path.name} row {n}", key.strip()))
    return found


def _yaml_sources(node: Any, where: str) -> list[tuple[str, str]]:
    """Every item of every `sources` list anywhere in a YAML document."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "sources" and isinstance(value, list):
                found.extend((where, str(item)) for item in value)
            else:
                found.extend(_yaml_sources(value, where))
    elif isinstance(node, list):
        for item in node:
            found.extend(_yaml_sources(item, where))
    return found


def test_every_source_key_used_anywhere_exists():
    """Does every source key in data/ (CSV files, exercises and quiz banks) exist in references.csv?"""
    with (DATA / "references.csv").open(newline="", encoding="utf-8") as handle:
        keys = {row["key"] for row in csv.DictReader(handle)}
    used: list[tuple[str, str]] = []
    for path in sorted(DATA.rglob("*.csv")):
        if path.name != "references.csv" and "demo" not in path.parts:
            used.extend(_csv_key_cells(path))
    for path in sorted(DATA.rglob("*.yaml")):
        used.extend(_yaml_sources(yaml.safe_load(path.read_text(encoding="utf-8")), path.name))
    assert len(used) > 50  # the walk really found the cells
    missing = [(where, key) for where, key in used if key not in keys]
    assert missing == []


def test_every_reference_is_cited_somewhere():
    """Is every reference cited by at least one data file or quiz bank (no orphans)?"""
    used = {key for path in DATA.rglob("*.csv") if path.name != "references.csv" for _, key in _csv_key_cells(path)}
    for path in DATA.rglob("*.yaml"):
        used |= {key for _, key in _yaml_sources(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)}
    # vlaeyen2000 and leeuw2007 (fear-avoidance model) belong to lesson prose, not to a data table;
    # dunlosky2013 (spaced retrieval practice) to the review notebook's prose.
    orphans = REFERENCE_KEYS - used - {"vlaeyen2000", "leeuw2007", "dunlosky2013"}
    assert sorted(orphans) == []


# --------------------------------------------------------------------------- bad files


def _line_of(needle: str, nth: int = 1) -> Callable[[str], int]:
    """The 1-based number of the nth line of the damaged YAML that contains needle."""

    def find(text: str) -> int:
        hits = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
        assert len(hits) >= nth, f"{needle!r} is not in the damaged file {nth} time(s)"
        return hits[nth - 1]

    return find


def _replace(relpath: str, old: str, new: str) -> Callable[[Path], None]:
    """A defect: replace the first occurrence of old (which must be present) with new."""

    def inject(root: Path) -> None:
        path = root / relpath
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {relpath}: the defect table is out of date"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return inject


def _delete(relpath: str) -> Callable[[Path], None]:
    def inject(root: Path) -> None:
        (root / relpath).unlink()

    return inject


# (defect id, defect, loader call, expected message[, line finder(s)]). In a YAML message
# `{line}` (and any other placeholder) is filled in by the line finders, run on the
# damaged exercises.yaml, so the table does not break when the data grows.
BAD_FILES = [
    (
        "claims-unknown-verdict",
        _replace("claims.csv", "during running.,weak,", "during running.,maybe,"),
        lambda root: content.claims(root),
        "claims.csv: row 8 (C7): verdict: 'maybe' is not one of supported, mixed, weak, contradicted, unsupported",
    ),
    (
        "claims-unknown-source-key",
        _replace("claims.csv", "studied at all.\",swain2020", "studied at all.\",swain2021"),
        lambda root: content.claims(root),
        "claims.csv: row 2 (C1): sources: 'swain2021' is not a key in references.csv",
    ),
    (
        "claims-mixed-verdict-without-sources",
        _replace("claims.csv", "running makes the spinal muscles stronger.\",belavy2017", "running makes the spinal muscles stronger.\","),
        lambda root: content.claims(root),
        "claims.csv: row 4 (C3): sources: must not be empty unless the verdict is weak or unsupported",
    ),
    (
        "claims-duplicate-id",
        _replace("claims.csv", "C2,01_causes", "C1,01_causes"),
        lambda root: content.claims(root),
        "claims.csv: row 3 (C1): id: 'C1' is a duplicate of row 2",
    ),
    (
        "claims-topic-not-a-lesson",
        _replace("claims.csv", "C1,01_causes", "C1,01_cause"),
        lambda root: content.claims(root),
        "claims.csv: row 2 (C1): topic: '01_cause' is not a lesson id in lessons.csv",
    ),
    (
        "claims-misspelt-column",
        _replace("claims.csv", "verdict_note,why,", "verdict_note,wy,"),
        lambda root: content.claims(root),
        "claims.csv: why: required column is missing\n"
        "claims.csv: wy: unknown column (expected id, topic, claim, verdict, verdict_note, why, sources, certainty, "
        "certainty_note)",
    ),
    (
        "claims-row-with-missing-cell",
        _replace("claims.csv", "cues.,swain2020,,", "cues.,,"),
        lambda root: content.claims(root),
        "claims.csv: row 8: has 8 cells, the header has 9",
    ),
    (
        "lessons-two-objectives",
        _replace(
            "lessons.csv",
            "Describe how the ten lessons are organised | Explain what the verdicts supported, mixed, weak, "
            "contradicted and unsupported mean | Find the source behind any statement in the course | ",
            "",
        ),
        lambda root: content.lessons(root),
        "lessons.csv: row 2 (00_start_here): objectives: has 2 objectives, expected 3 to 5 separated by ' | '",
    ),
    (
        "lessons-number-not-a-number",
        _replace("lessons.csv", "01_causes,1,", "01_causes,one,"),
        lambda root: content.lessons(root),
        "lessons.csv: row 3 (01_causes): number: 'one' is not a whole number",
    ),
    (
        "lessons-unknown-claim",
        _replace("lessons.csv", "C1;C2;C4", "C1;C2;C44"),
        lambda root: content.lessons(root),
        "lessons.csv: row 3 (01_causes): claims: 'C44' is not an id in claims.csv",
    ),
    (
        "references-year-not-a-number",
        _replace("references.csv", "swain2020,Swain CTV et al.,2020", "swain2020,Swain CTV et al.,20x0"),
        lambda root: content.references(root),
        "references.csv: row 2 (swain2020): year: '20x0' is not a whole number",
    ),
    (
        "references-duplicate-key",
        _replace("references.csv", "maselli2020,", "swain2020,"),
        lambda root: content.references(root),
        "references.csv: row 3 (swain2020): key: 'swain2020' is a duplicate of row 2",
    ),
    (
        "references-file-missing",
        _delete("references.csv"),
        lambda root: content.red_flags(root),
        "references.csv: file not found",
    ),
    (
        "causes-treatments-empty-evidence",
        _replace(
            "causes_treatments.csv",
            "Physical therapy,\"Disc degeneration on a scan is common in people without pain (37% at age 20, "
            "96% at age 80), so it says little about the cause of someone's pain, and runners tend to have "
            "healthier discs. Physical therapy built around exercise and advice to stay active fits the "
            "evidence; imaging is overused.\",",
            "Physical therapy,,",
        ),
        lambda root: content.causes_treatments(root),
        "causes_treatments.csv: row 3 (Disc degeneration): evidence: must not be empty",
    ),
    (
        "red-flags-unknown-urgency",
        _replace("red_flags.csv", "emergency,\"Call 999", "asap,\"Call 999"),
        lambda root: content.red_flags(root),
        "red_flags.csv: row 2 (Cauda equina syndrome): urgency: 'asap' is not one of emergency, same_day, "
        "within_week, routine",
    ),
    (
        "exercises-hold-seconds-in-words",
        _replace("exercises.yaml", "hold_seconds: 5", "hold_seconds: five"),
        lambda root: content.exercises(root),
        "exercises.yaml:{line}: exercise pelvic_tilt: dose.hold_seconds: 'five' is not a whole number of 0 or more",
        _line_of("hold_seconds: five"),
    ),
    (
        "exercises-invalid-yaml",
        _replace("exercises.yaml", "sources: [hayden2021, owen2020]", "sources: [hayden2021, owen2020"),
        lambda root: content.exercises(root),
        "exercises.yaml:{line}: is not valid YAML: while parsing a flow sequence (opened on line {opened}), "
        "expected ',' or ']', but got ':'",
        {"line": _line_of("glute_bridge:"), "opened": _line_of("sources: [hayden2021, owen2020")},
    ),
    (
        "exercises-unknown-source-key",
        _replace("exercises.yaml", "sources: [frandsen2025,", "sources: [frandsen2052,"),
        lambda root: content.exercises(root),
        "exercises.yaml:{line}: exercise graded_return_to_running: sources: 'frandsen2052' is not a key in references.csv",
        _line_of("frandsen2052"),
    ),
    (
        "exercises-diagram-file-missing",
        _delete("diagrams/superman.svg"),
        lambda root: content.exercises(root),
        "exercises.yaml:{line}: exercise superman: diagram: 'diagrams/superman.svg' does not exist",
        _line_of("diagram: superman.svg"),
    ),
    (
        "exercises-duplicate-name",
        _replace("exercises.yaml", "glute_bridge:\n", "pelvic_tilt:\n"),
        lambda root: content.exercises(root),
        "exercises.yaml:{line}: exercise pelvic_tilt: name appears twice (YAML would silently keep only the last)",
        _line_of("pelvic_tilt:", nth=2),
    ),
    (
        "exercises-from-article-not-boolean",
        _replace("exercises.yaml", "from_article: false", "from_article: maybe"),
        lambda root: content.exercises(root),
        "exercises.yaml:{line}: exercise bird_dog: from_article: 'maybe' is not one of true, false",
        _line_of("from_article: maybe"),
    ),
    (
        "exercises-misspelt-field",
        _replace("exercises.yaml", "  steps:\n    - Breathe out and gently draw", "  setps:\n    - Breathe out and gently draw"),
        lambda root: content.exercises(root),
        "exercises.yaml:{line}: exercise pelvic_tilt: setps: unknown field (expected title, from_article, purpose, "
        "starting_position, steps, dose, common_faults, easier, harder, when_to_stop, frequency, progression, diagram, sources)\n"
        "exercises.yaml:{name}: exercise pelvic_tilt: steps: is missing",
        {"line": _line_of("setps:"), "name": _line_of("pelvic_tilt:")},
    ),
    (
        "exercises-dose-field-twice",
        _replace("exercises.yaml", "    reps: 8\n", "    reps: 8\n    reps: 6\n"),
        lambda root: content.exercises(root),
        "exercises.yaml:{line}: exercise bird_dog: dose.reps: field appears twice (YAML would silently keep only the last)",
        _line_of("reps: 6"),
    ),
    (
        "exercises-top-level-list",
        lambda root: (root / "exercises.yaml").write_text("- pelvic_tilt\n- glute_bridge\n", encoding="utf-8"),
        lambda root: content.exercises(root),
        "exercises.yaml: must be a mapping of exercise name to exercise",
    ),
    (
        "lessons-number-does-not-match-id",
        _replace("lessons.csv", "02_running_and_the_spine,2,", "02_running_and_the_spine,3,"),
        lambda root: content.lessons(root),
        "lessons.csv: row 4 (02_running_and_the_spine): number: 3 does not match the id's prefix\n"
        "lessons.csv: row 5 (03_common_injuries_and_treatments): number: '3' is a duplicate of row 4",
    ),
    (
        "red-flags-not-utf8",
        lambda root: (root / "red_flags.csv").write_bytes(b"condition,features\nCauda equina,\xff\xfe\n"),
        lambda root: content.red_flags(root),
        "red_flags.csv: is not valid UTF-8 (invalid start byte)",
    ),
    (
        "imaging-percent-not-a-number",
        _replace("datasets/imaging_findings.csv", "disc degeneration,20,37,", "disc degeneration,20,high,"),
        lambda root: content.dataset("imaging_findings", root),
        "datasets/imaging_findings.csv: row 2: percent: 'high' is not a number",
    ),
    (
        "imaging-percent-above-100",
        _replace("datasets/imaging_findings.csv", "disc degeneration,80,96,", "disc degeneration,80,196,"),
        lambda root: content.dataset("imaging_findings", root),
        "datasets/imaging_findings.csv: row 6: percent: 196 is above the maximum 100",
    ),
    (
        "training-spikes-ratio-outside-interval",
        _replace("datasets/training_spikes.csv", "1.64,1.31,2.05", "1.04,1.31,2.05"),
        lambda root: content.dataset("training_spikes", root),
        "datasets/training_spikes.csv: row 3 (>10% to 30%): hazard_ratio: 1.04 is outside its interval 1.31–2.05",
    ),
    (
        "training-spikes-is-reference-yes",
        _replace("datasets/training_spikes.csv", "1.0,,,true,", "1.0,,,yes,"),
        lambda root: content.dataset("training_spikes", root),
        "datasets/training_spikes.csv: row 2 (-10% to +10% (reference)): is_reference: 'yes' is not one of true, false",
    ),
    (
        "prevention-interval-with-one-end",
        _replace("datasets/prevention.csv", "0.55,0.41,0.74", "0.55,0.41,"),
        lambda root: content.dataset("prevention", root),
        "datasets/prevention.csv: row 2 (exercise and education): ci_low: give both ci_low and ci_high, or neither",
    ),
    (
        "step-rate-unknown-method",
        _replace("datasets/step_rate.csv", "decrease,model estimate,lenhart2014", "decrease,estimated,lenhart2014"),
        lambda root: content.dataset("step_rate", root),
        "datasets/step_rate.csv: row 2: method: 'estimated' is not one of model estimate, measured",
    ),
    (
        "prevalence-empty-source",
        _replace("datasets/prevalence.csv", "percent,hoy2012", "percent,"),
        lambda root: content.dataset("prevalence", root),
        "datasets/prevalence.csv: row 4: source: must not be empty",
    ),
    (
        "ground-reaction-force-no-source-column",
        _replace("datasets/ground_reaction_force.csv", "note,source", "note,sauce"),
        lambda root: content.dataset("ground_reaction_force", root),
        "datasets/ground_reaction_force.csv: source: required column is missing\n"
        "datasets/ground_reaction_force.csv: sauce: unknown column "
        "(expected measure, speed_m_s, force_bw, gait, note, source)",
    ),
    (
        "intradiscal-pressure-unknown-group",
        _replace("datasets/intradiscal_pressure.csv", "relaxed standing,standing,", "relaxed standing,upright,"),
        lambda root: content.dataset("intradiscal_pressure", root),
        "datasets/intradiscal_pressure.csv: row 6 (relaxed standing): group: "
        "'upright' is not one of lying, standing, sitting, lifting",
    ),
    (
        "diagram-with-script",
        _replace("diagrams/bird_dog.svg", "</svg>", "<script>alert(1)</script></svg>"),
        lambda root: content.diagram_svg("bird_dog", root),
        "diagrams/bird_dog.svg: script: <script> is not allowed",
    ),
    (
        "diagram-without-title",
        _replace("diagrams/side_plank.svg", '<title id="title">Side plank</title>', ""),
        lambda root: content.diagram_svg("side_plank", root),
        "diagrams/side_plank.svg: title: has no <title> element (needed by screen readers)",
    ),
    (
        "diagram-external-link",
        _replace("diagrams/superman.svg", "</svg>", '<image href="https://example.org/x.png"/></svg>'),
        lambda root: content.diagram_svg("superman", root),
        "diagrams/superman.svg: href: external reference 'https://example.org/x.png' is not allowed",
    ),
]
@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of the shipped data folder that a test may damage."""
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("quizzes", "demo"))
    return root


def test_clean_copy_validates(data_copy):
    """Does an untouched copy of the data validate, so every failure below is the injected defect?"""
    assert content.validate_data(data_copy) == []


def _damage(case: tuple, root: Path) -> str:
    """Inject the case's defect into root and return its expected message."""
    _, inject, _, expected, *line_finder = case
    inject(root)
    if line_finder:
        text = (root / "exercises.yaml").read_text(encoding="utf-8")
        finders = line_finder[0] if isinstance(line_finder[0], dict) else {"line": line_finder[0]}
        expected = expected.format(**{name: find(text) for name, find in finders.items()})
    return expected


@pytest.mark.parametrize("case", BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_bad_file_raises_one_clear_error(case, data_copy):
    """Is a damaged file a ContentError with exactly the expected file: row (id): field: problem message?"""
    expected = _damage(case, data_copy)
    with pytest.raises(ContentError) as info:
        case[2](data_copy)
    assert str(info.value) == expected
    assert all(isinstance(p, Problem) for p in info.value.problems)


@pytest.mark.parametrize("case", BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_validate_data_reports_the_defect(case, data_copy):
    """Does validate_data() list the injected defect instead of raising?"""
    expected = _damage(case, data_copy)
    problems = [str(p) for p in content.validate_data(data_copy)]
    assert expected.splitlines()[0] in problems


def test_every_problem_is_listed_not_only_the_first(data_copy):
    """Are two defects in one file reported together, in file order?"""
    _replace("claims.csv", "during running.,weak,", "during running.,maybe,")(data_copy)
    _replace("claims.csv", "C9,04_prevention", "C9,04_prevent")(data_copy)
    with pytest.raises(ContentError) as info:
        content.claims(data_copy)
    assert [str(p) for p in info.value.problems] == [
        "claims.csv: row 8 (C7): verdict: 'maybe' is not one of supported, mixed, weak, contradicted, unsupported",
        "claims.csv: row 10 (C9): topic: '04_prevent' is not a lesson id in lessons.csv",
    ]


def test_row_number_counts_lines_of_multiline_cells(data_copy):
    """Does a row number stay the editor's line number when an earlier cell spans two lines?"""
    _replace("claims.csv", "An umbrella review of 41 reviews", "An umbrella review\nof 41 reviews")(data_copy)
    _replace("claims.csv", "C2,01_causes", "C1,01_causes")(data_copy)
    with pytest.raises(ContentError) as info:
        content.claims(data_copy)
    assert str(info.value) == "claims.csv: row 4 (C1): id: 'C1' is a duplicate of row 2"


def test_shipped_loaders_are_cached():
    """Do repeated calls for the shipped data reuse one parsed table, and one DataFrame for the frame loaders?"""
    from backlessons.content import api

    api._shipped.cache_clear()
    api._shipped_frame.cache_clear()
    first = content.claims()
    content.claims()
    content.rows("claims")
    assert api._shipped.cache_info().misses == 1 and api._shipped.cache_info().hits >= 1
    assert api._shipped_frame.cache_info().hits == 1
    first.loc["C1", "verdict"] = "changed by a caller"
    assert content.claims().loc["C1", "verdict"] != "changed by a caller"  # each caller has its own copy


def _table_kinds() -> list[tuple[str, str]]:
    from backlessons.content.api import TABLE_KINDS

    return [(kind, "") for kind in TABLE_KINDS if kind != "dataset"] + [("dataset", n) for n in content.dataset_names()]


@pytest.mark.parametrize("kind, name", _table_kinds())
def test_rows_hold_what_the_dataframe_holds(kind, name):
    """Does content.rows give, without pandas, the same values in the same order as the DataFrame loader?"""
    rows = content.rows(kind, name)
    frame = content.dataset(name) if kind == "dataset" else getattr(content, kind)()
    if rows.index:
        assert frame.index.name == rows.index and list(frame.index) == rows[rows.index]
        frame = frame.reset_index()
    assert list(frame.columns) == list(rows.columns) and len(frame) == len(rows) > 0
    for row, expected in zip(rows, frame.to_dict("records")):
        for column, value in expected.items():
            got = getattr(row, column)
            assert got == value or (got != got and value != value), (kind, name, column)  # NaN equals NaN here


def test_rows_answer_by_column_and_by_index():
    """Do Rows give a column's values, the rows matching a value, and the rows by their index?"""
    levels = content.rows("urgency_levels")
    assert levels["id"][0] == "emergency" and list(levels.by_index()) == levels["id"]
    assert [r.id for r in content.rows("claims").where("topic", "01_causes")] == ["C1", "C2", "C4"]
    with pytest.raises(KeyError):
        levels["no_such_column"]
    with pytest.raises(TypeError, match="lessons.csv has no index column"):
        content.rows("lessons").by_index()
    with pytest.raises(ValueError, match="no table kind 'exercises'"):
        content.rows("exercises")


def test_import_does_not_load_plotting_or_widgets():
    """Does importing backlessons.content keep matplotlib and ipywidgets out of the process?"""
    import subprocess
    import sys

    code = (
        "import sys, backlessons.content as c; c.claims(); "
        "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_dataset_dtypes():
    """Are numbers parsed as numbers and empty optional numbers as NaN, not strings?"""
    steps = content.dataset("step_rate")
    assert steps["change_percent"].dtype.kind == "f"
    assert steps["effect_percent"].isna().sum() == 4  # Heiderscheit gives no percentages
    assert pd.api.types.is_bool_dtype(content.dataset("training_spikes")["is_reference"])
    assert content.dataset("imaging_findings")["age"].dtype.kind == "i"


# --- figure_facts.csv ---------------------------------------------------------------------


def test_figure_facts_are_read_with_their_sources():
    """Does figure_facts.csv give each figure's named facts and notes, with reference keys as tuples?"""
    facts = content.figure_facts()
    runners = facts[(facts["figure"] == "prevalence") & (facts["fact"] == "runner_studies")]
    assert list(runners["value"]) == ["19"] and runners["source"].iloc[0] == ("maselli2020",)
    assert set(facts["figure"]) <= set(content.dataset_names())


@pytest.mark.parametrize(
    "row, expected",
    [
        ("nosuch,studies,3,maselli2020", "figure: 'nosuch' is not a dataset in datasets/"),
        ("prevalence,studies,3,", "source: must not be empty"),
        ("prevalence,studies,3,nokey", "source: 'nokey' is not a key in references.csv"),
        ("prevalence,runner_studies,20,maselli2020", "fact: 'runner_studies' is already given for prevalence in row"),
        ("prevalence,note,{runner_count} studies,maselli2020", "value: {runner_count} is not a fact of prevalence"),
        ("prevalence,note,an { open brace,maselli2020", "value: has a '{' or '}' that does not pair up"),
        ("prevalence,Bad Name,3,maselli2020", "fact: 'Bad Name' is not a valid fact name"),
    ],
)
def test_figure_facts_problems_name_row_and_field(data_copy, row, expected):
    """Does each defect in figure_facts.csv come back as one problem naming the file, the row and the field?"""
    path = data_copy / "figure_facts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, row]) + "\n", encoding="utf-8")
    messages = [str(p) for p in content.validate_data(data_copy)]
    line = len(lines) + 1
    assert any(m.startswith(f"figure_facts.csv: row {line}") and expected in m for m in messages), messages
