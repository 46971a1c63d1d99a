"""Clinical safety content (issue 10): the urgency scale, red flags, cases, the safety-net
card, NICE NG59, exercise stop lines, certainty levels and natural history."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from backlessons import clinical, content
from backlessons.cli import main
from backlessons.errors import ContentError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
# The labels the quiz banks use for the same four levels (issue 11 writes items with them).
AGREED_LABELS = {
    "emergency": "Emergency now (999 / emergency department)",
    "same_day": "Same day",
    "within_week": "Within a week",
    "routine": "Routine",
}


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("quizzes", "demo"))
    return root


def _edit(root: Path, relpath: str, old: str, new: str) -> None:
    path = root / relpath
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relpath}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _messages(root: Path) -> list[str]:
    return [str(p) for p in content.validate_data(root)]


# --- urgency scale and red flags -------------------------------------------------------------


def test_urgency_scale_has_exactly_the_four_agreed_levels():
    """Does urgency_levels.csv hold exactly the four levels, in order, with the agreed labels and an action?"""
    levels = content.urgency_levels()
    assert list(levels.index) == list(content.URGENCIES) == list(AGREED_LABELS)
    assert dict(levels["label"]) == AGREED_LABELS
    assert all(len(a.split()) >= 5 for a in levels["action"])
    assert "999" in levels.loc["emergency", "action"]


def test_every_red_flag_has_one_level_and_an_action():
    """Has every red-flag row exactly one valid urgency level and a plain-language action?"""
    flags = content.red_flags()
    for _, row in flags.iterrows():
        assert row["urgency"] in content.URGENCIES, row["condition"]
        assert len(row["action"].split()) >= 5, row["condition"]
        assert row["source"]


@pytest.mark.parametrize(
    "condition, urgency",
    [
        ("Cauda equina syndrome", "emergency"),
        ("Metastatic spinal cord compression", "emergency"),
        ("Spinal metastases without neurological symptoms", "within_week"),
        ("Abdominal aortic aneurysm", "emergency"),
        ("Spinal infection", "same_day"),
        ("Femoral neck stress fracture", "same_day"),
        ("Sacral stress fracture", "within_week"),
        ("Pars interarticularis stress injury (spondylolysis)", "within_week"),
        ("Relative Energy Deficiency in Sport (REDs)", "within_week"),
    ],
)
def test_red_flags_the_issue_asks_for(condition, urgency):
    """Is each red flag the issue asks for present at the level the brief gives?"""
    flags = content.red_flags().set_index("condition")
    assert flags.loc[condition, "urgency"] == urgency


def test_every_red_flag_of_the_brief_is_a_row():
    """Is every red flag of the evidence brief (sections 3 and 6) a row of red_flags.csv, and nothing else?"""
    assert set(content.red_flags()["condition"]) == {
        "Cauda equina syndrome",
        "Metastatic spinal cord compression",
        "Spinal metastases without neurological symptoms",  # section 3's cancer flag, NG234's one-week path
        "Abdominal aortic aneurysm",
        "Spinal infection",
        "Femoral neck stress fracture",
        "Spinal fracture",
        "Severe or progressive neurological deficit",
        "Sacral stress fracture",
        "Pars interarticularis stress injury (spondylolysis)",
        "Relative Energy Deficiency in Sport (REDs)",
        "Inflammatory back pain (axial spondyloarthritis)",
    }


def test_cauda_equina_row_teaches_the_incomplete_stage_and_safety_netting():
    """Does the cauda equina row name the incomplete stage and written safety-netting?"""
    row = content.red_flags().set_index("condition").loc["Cauda equina syndrome"]
    assert "CES-I" in row["features"] and "CES-R" in row["features"]
    assert "in writing" in row["action"]
    assert "greenhalgh2018" in row["source"]


def test_reds_is_for_every_sex_and_triad_is_gone():
    """Is REDs taught for athletes of any sex, and the outdated 'female athlete triad' absent?"""
    flags = content.red_flags().set_index("condition")
    assert "any sex" in flags.loc["Relative Energy Deficiency in Sport (REDs)", "features"]
    assert not any("triad" in text.lower() and "athlete" in text.lower() for text in flags["features"])


def test_red_flag_with_a_level_missing_from_the_scale_is_reported(data_copy):
    """Does the cross-file check name a red flag whose level the scale file does not list?"""
    _edit(data_copy, "urgency_levels.csv", "routine,Routine,", "routine_care,Routine,")
    messages = _messages(data_copy)
    assert "urgency_levels.csv: row 5 (routine_care): id: 'routine_care' is not one of emergency, same_day, " \
        "within_week, routine" in messages
    assert "urgency_levels.csv: id: level 'routine' is missing" in messages
    assert any(m.startswith("red_flags.csv:") and "urgency: 'routine' is not an id in urgency_levels.csv" in m
               for m in messages)


def test_red_flag_without_an_action_is_reported(data_copy):
    """Is an empty action a clear error naming the file, row and field?"""
    path = data_copy / "red_flags.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("action")] = ""
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    with pytest.raises(ContentError) as err:
        content.red_flags(data_copy)
    assert [str(p) for p in err.value.problems] == [
        "red_flags.csv: row 2 (Cauda equina syndrome): action: must not be empty"
    ]


# --- cases ----------------------------------------------------------------------------------


def test_cases_cover_the_required_vignettes():
    """Are there at least four cases, including a runner with groin pain and an older person with AAA?"""
    cases = content.red_flag_cases()
    assert len(cases) >= 4
    suspects = " ".join(c.suspect.lower() for c in cases.values())
    assert "femoral neck" in suspects and "aortic aneurysm" in suspects
    groin = [c for c in cases.values() if "groin" in c.findings.lower()]
    assert groin and all(c.urgency in content.URGENCIES for c in cases.values())
    assert any(c.age >= 65 and "aneurysm" in c.suspect.lower() for c in cases.values())
    for case in cases.values():
        assert case.sources and set(case.sources) <= content.reference_keys()
        assert case.training and case.findings and case.next_step


def test_case_with_unknown_level_is_reported(data_copy):
    """Does a case with an urgency that is not on the scale give a clear error with its line?"""
    _edit(data_copy, "red_flag_cases.yaml", "urgency: same_day", "urgency: soonish")
    messages = _messages(data_copy)
    assert any(m.startswith("red_flag_cases.yaml:") and "case groin_pain_runner: urgency: 'soonish'" in m
               for m in messages)


# --- safety-net card ------------------------------------------------------------------------


def test_committed_safety_net_card_is_current():
    """Is docs/safety-net-card.md exactly what the package renders now?"""
    committed = (ROOT / "docs" / "safety-net-card.md").read_text(encoding="utf-8")
    assert committed == clinical.safety_net_card_markdown(), \
        "regenerate with: backlessons safety-card --out docs/safety-net-card.md"


def test_safety_card_cli_writes_the_card(tmp_path, capsys):
    """Does `backlessons safety-card --out` write the same Markdown the package renders?"""
    out = tmp_path / "card.md"
    assert main(["safety-card", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == clinical.safety_net_card_markdown()


def test_safety_card_html_is_escaped(monkeypatch):
    """Does card text reach the page escaped?"""
    card = content.safety_net_card()
    fake = type(card)(**{**card.__dict__, "title": "<script>alert(1)</script>"})
    monkeypatch.setattr(content, "safety_net_card", lambda root=None: fake)
    html = clinical.safety_net_card().html
    assert "<script>" not in html and "&lt;script&gt;" in html


# --- NICE NG59 -------------------------------------------------------------------------------


def test_every_nice_row_has_group_recommendation_and_sources():
    """Has every NICE row a valid group, a recommendation and an existing source?"""
    nice = content.nice_ng59()
    assert set(nice["group"]) == set(content.NICE_GROUPS)
    for _, row in nice.iterrows():
        assert row["recommendation"] and row["sources"]
        assert set(row["sources"]) <= content.reference_keys()


def test_nice_covers_the_brief_and_fixes_decompression():
    """Does the NICE table consider decompression for sciatica and rule out fusion, as the brief says?"""
    nice = content.nice_ng59().set_index("id")
    assert nice.loc["spinal_decompression", "group"] == "consider"
    assert nice.loc["spinal_fusion", "group"] == "do_not_offer"
    assert nice.loc["radiofrequency_denervation", "group"] == "consider"
    assert {"1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.1.6"} <= set(nice["section"])
    stenosis = content.causes_treatments().set_index("cause").loc["Spinal stenosis"]
    assert "decompression" in stenosis["nice_ng59"] and "fusion" in stenosis["nice_ng59"]


def test_nice_filter_and_labels():
    """Does nice_recommendations filter by group and topic and show the agreed labels?"""
    nice = content.nice_ng59()
    shown = clinical.nice_recommendations(group="do_not_offer")
    assert f"{(nice['group'] == 'do_not_offer').sum()} shown" in shown.plain
    assert "Do not offer" in shown.html and ">Consider<" not in shown.html
    sciatica = clinical.nice_recommendations(topic="medicines for sciatica")
    assert "Gabapentinoids" in sciatica.html and "NSAID" not in sciatica.html
    with pytest.raises(ContentError, match="group: 'maybe'"):
        clinical.nice_recommendations(group="maybe")


def test_nice_bad_group_is_reported(data_copy):
    """Is an unknown group a clear error naming the row?"""
    _edit(data_copy, "nice_ng59.csv", "traction,devices and passive treatments,do_not_offer",
          "traction,devices and passive treatments,avoid")
    assert any("nice_ng59.csv: row" in m and "(traction): group: 'avoid' is not one of do, consider, do_not_offer" in m
               for m in _messages(data_copy))


# --- exercises ------------------------------------------------------------------------------


def test_every_stop_line_has_a_next_step_and_every_card_a_plan():
    """Does every 'when to stop' line say what to do next, and every card give a frequency and progression?"""
    for name, ex in content.exercises().items():
        assert ex.when_to_stop, name
        for stop in ex.when_to_stop:
            assert stop.sign and len(stop.next_step.split()) >= 5, (name, stop)
        assert "week" in ex.frequency, name
        assert len(ex.progression) >= 2 and all("Week" in step for step in ex.progression), name


def test_side_plank_has_the_neurological_stop_lines_and_superman_the_caution():
    """Does the side plank share the neurological stop lines, and the superman caution young athletes?"""
    signs = {name: [s.sign for s in ex.when_to_stop] for name, ex in content.exercises().items()}
    for line in signs["pelvic_tilt"]:
        assert line in signs["side_plank"]
    assert any("young athlete" in s and "arching backwards" in s for s in signs["superman"])
    note = content.exercise("graded_return_to_running").dose.note
    assert "rule of thumb" in note.lower()


def test_stop_line_without_next_step_is_reported(data_copy):
    """Is a stop line without a next step a schema error with its line number?"""
    _edit(data_copy, "exercises.yaml", "    - sign: Shoulder pain on the supporting side\n      next_step:",
          "    - sign: Shoulder pain on the supporting side\n      then:")
    messages = _messages(data_copy)
    assert any(m.startswith("exercises.yaml:") and "exercise side_plank: when_to_stop: item" in m
               and "next_step" in m for m in messages)


def test_missing_frequency_is_reported(data_copy):
    """Is an exercise without a weekly frequency reported?"""
    text = (data_copy / "exercises.yaml").read_text(encoding="utf-8")
    start = text.index("  frequency:", text.index("bird_dog:"))
    end = text.index("\n", start) + 1
    (data_copy / "exercises.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    assert any("exercise bird_dog: frequency: is missing" in m for m in _messages(data_copy))


# --- certainty ------------------------------------------------------------------------------


def test_certainty_levels_and_claims():
    """Are the four GRADE levels listed, and do claims carry the certainty the brief states?"""
    assert list(content.certainty_levels().index) == ["high", "moderate", "low", "very_low"]
    assert content.claim("C9").certainty == ("moderate", "low", "very_low")
    assert "short term" in content.claim("C9").verdict_note
    c13 = content.claim("C13")
    assert c13.certainty[0] == "moderate" and "15" in c13.certainty_note and "10" in c13.certainty_note
    assert content.claim("C12").certainty == ("low",)
    assert content.claim("C1").certainty == ()


def test_unknown_certainty_is_reported(data_copy):
    """Is a certainty that is not a GRADE level an error naming claims.csv and the claim?"""
    _edit(data_copy, "claims.csv", "owen2020,low,", "owen2020,sort of,")
    assert any("claims.csv: row" in m and "(C12): certainty: 'sort of' is not an id in certainty_levels.csv" in m
               for m in _messages(data_copy))


# --- natural history and corrections --------------------------------------------------------


def test_natural_history_holds_only_the_brief_points():
    """Does the dataset hold exactly the brief's time points and values, each sourced?"""
    data = content.dataset("natural_history")
    got = {(r.course, int(r.week)): float(r.mean_pain) for r in data.itertuples()}
    assert got == {
        ("acute", 0): 52, ("acute", 6): 23, ("acute", 26): 12, ("acute", 52): 6,
        ("persistent", 0): 51, ("persistent", 6): 33, ("persistent", 26): 26, ("persistent", 52): 23,
    }
    assert all(s == ("costa2012",) for s in data["source"])


def test_mitchell_is_never_cited_for_hydration():
    """Does no claim cite Mitchell 2020 in a sentence about hydration?"""
    for cid, row in content.claims().iterrows():
        if "mitchell2020" in row["sources"]:
            assert "hydrat" not in row["why"].lower(), cid


def test_c17_states_the_article_fairly():
    """Is C17 the article's 'may need a break', not 'you should stop'?"""
    assert "may need a break" in content.claim("C17").claim
