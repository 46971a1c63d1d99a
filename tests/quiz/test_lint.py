"""backlessons lint: each item-writing rule against a bad and a good example, with exact lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from backlessons.cli import main
from backlessons.instructor.scaffold import new_bank
from backlessons.quiz.lint import RULES, LintWarning, lint_bank, lint_paths

from .conftest import FIXTURES, INVALID

LINT = FIXTURES / "lint"  # one bank per defect: questions "bad…" have it, "good" is the same item fixed

# (fixture, the exact (line, question, field, rule) of every warning; the good questions give none)
CASES = [
    ("all-of-the-above.yaml", [(17, "question bad", "options[2].text", "all-none-of-the-above")]),
    ("absolute-in-wrong-option.yaml", [
        (17, "question bad", "options[2].text", "absolute-in-wrong-option"),
        (34, "question bad-statement", "prompt", "absolute-in-wrong-option"),
    ]),
    ("longest-correct-option.yaml", [(14, "question bad", "options[1].text", "longest-correct-option")]),
    ("negative-stem.yaml", [(8, "question bad", "prompt", "negative-stem")]),
    ("overlapping-options.yaml", [
        (15, "question bad", "options[1].text", "overlapping-options"),
        (28, "question bad-stem", "options[1].text", "overlapping-options"),
    ]),
    ("too-few-options.yaml", [
        (11, "question bad", "options", "too-few-options"),
        (35, "question bad-matching", "pairs", "too-few-options"),
    ]),
    ("missing-feedback.yaml", [
        (14, "question bad", "options[1].feedback", "missing-feedback"),
        (31, "question bad-numeric", "ranges", "missing-feedback"),
    ]),
    ("tolerance-too-wide.yaml", [
        (12, "question bad", "tolerance", "tolerance-too-wide"),
        (22, "question bad-near-range", "tolerance", "tolerance-too-wide"),
    ]),
    ("cites-unlisted-source.yaml", [
        (9, "question bad", "explanation", "cites-unlisted-source"),
        (22, "question bad-bracket", "explanation", "cites-unlisted-source"),
    ]),
    ("answer-in-other-item.yaml", [(24, "question bad", "options[1].text", "answer-in-other-item")]),
    ("answer-in-own-feedback.yaml", [
        (16, "question bad", "ranges[0].feedback", "answer-in-own-feedback"),
        (22, "question bad-hint", "hint", "answer-in-own-feedback"),
    ]),
    ("answer-in-wrong-feedback.yaml", [
        (16, "question bad", "options[1].feedback", "answer-in-wrong-feedback"),
        (24, "question bad-hint", "hint", "answer-in-wrong-feedback"),
    ]),
]


def _found(path: Path) -> list[tuple[int | None, str, str, str]]:
    warnings, problems = lint_bank(path)
    assert problems == []
    return [(w.line, w.where, w.field, w.rule) for w in warnings]


@pytest.mark.parametrize(("name", "expected"), CASES, ids=[name for name, _ in CASES])
def test_rule_flags_the_bad_example_at_its_line_and_not_the_good(name: str, expected) -> None:
    """Does lint warn exactly on the bad questions, at the field's own line, and stay quiet on the good one?"""
    assert _found(LINT / name) == expected


def test_every_rule_has_a_fixture_and_every_fixture_a_rule() -> None:
    """Is each rule held against a bad example, and is each fixture in the table?"""
    covered = {rule for _, expected in CASES for *_, rule in expected}
    assert covered == set(RULES)
    assert sorted(p.name for p in LINT.glob("*.yaml")) == sorted(name for name, _ in CASES)


def test_warning_line_format() -> None:
    """Does a warning print as file:line: question id: field: rule: message?"""
    warning = LintWarning("week3.yaml", 12, "question q1", "options[2].text", "all-none-of-the-above", "msg")
    assert str(warning) == "week3.yaml:12: question q1: options[2].text: all-none-of-the-above: msg"


def test_messages_name_the_evidence() -> None:
    """Do messages carry the numbers behind the warning (lengths, tolerance, cited key, line of the answer)?"""
    text = {w.rule: w.message for path in LINT.glob("*.yaml") for w in lint_bank(path)[0]}
    assert "(74 characters)" in text["longest-correct-option"] and "at most 30" in text["longest-correct-option"]
    assert "shows 11.9, the answer of question point-prevalence (line 11)" in text["answer-in-other-item"]
    quoted = [w.message for w in lint_bank(LINT / "answer-in-wrong-feedback.yaml")[0]]
    assert quoted[0].startswith("quotes the right option A ('No single type stood out'), shown after a wrong try")


def test_author_year_and_guideline_citations_are_recognised(write_bank) -> None:
    """Are 'Name et al. (year)', 'Name year', '& co-author' and a guideline code (NG59) matched to their keys?"""
    path = write_bank("""
        - id: q
          type: true_false
          prompt: "Do runners' discs look healthy?"
          explanation: "Hoy et al. (2012); Balagué 2012; (Shiri & Falah-Hassani 2017); NICE NG59; Swain 2020."
          sources: [swain2020]
          answer: true
          feedback_true: "Right."
          feedback_false: "Look again."
    """)
    (warning,) = lint_bank(path)[0]
    assert warning.message.startswith("cites balague2012, hoy2012, nice_ng59, shiri2017,")


@pytest.mark.parametrize("citation, key", [("da Silva et al. (2019)", "dasilva2019"), ("(da Silva 2019)", "dasilva2019"),
                                           ("Menezes Costa et al. 2012", "costa2012"), ("(Menezes Costa 2012)", "costa2012")])
def test_surnames_with_a_particle_are_recognised(write_bank, citation, key) -> None:
    """Is a citation of a first author whose surname starts with a particle ('da Silva') matched to its key?"""
    question = f"""
        - id: q
          type: true_false
          prompt: "Does back pain often come back?"
          explanation: "It often does {citation}."
          sources: [SOURCES]
          answer: true
          feedback_true: "Right."
          feedback_false: "Look again."
    """
    (warning,) = lint_bank(write_bank(question.replace("SOURCES", "swain2020")))[0]
    assert (warning.rule, warning.message.split(",")[0]) == ("cites-unlisted-source", f"cites {key}")
    assert lint_bank(write_bank(question.replace("SOURCES", key)))[0] == []


def test_direction_ignored_answer_is_found_without_its_sign(write_bank) -> None:
    """With direction: ignored, does a -14 answer count as given away by a '14' elsewhere?"""
    path = write_bank("""
        - id: change
          type: numeric
          prompt: "By how many points did the score change?"
          explanation: "It fell."
          sources: [swain2020]
          answer: -14
          direction: ignored
          ranges: [{min: 20, feedback: "Too far."}]
        - id: other
          type: true_false
          prompt: "A fall of 14 points matters."
          explanation: "It does."
          sources: [swain2020]
          answer: true
          feedback_true: "Right."
          feedback_false: "Look again."
    """)
    assert [(w.where, w.rule) for w in lint_bank(path)[0]] == [("question other", "answer-in-other-item")]


def test_invalid_bank_gives_problems_not_warnings() -> None:
    """Is a bank that does not validate reported with its problems (lint reads valid banks only)?"""
    warnings, problems = lint_bank(INVALID / "single-two-correct.yaml")
    assert warnings == [] and [p.field for p in problems] == ["options"]


def test_folder_is_linted_file_by_file() -> None:
    """Does a folder lint every bank in it?"""
    warnings, problems = lint_paths([LINT])
    assert problems == []
    assert {Path(w.path).name for w in warnings} == {name for name, _ in CASES}


def test_cli_exit_status_warns_then_fails_when_strict(capsys) -> None:
    """Does `lint` exit 0 with warnings, 1 with --strict, and print one line per warning?"""
    bad = str(LINT / "negative-stem.yaml")
    assert main(["lint", bad]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{bad}:8: question bad: prompt: negative-stem: negative 'NOT' is easy to miss; "
                   "ask the question positively, or put the negative in bold (**NOT**)"]
    assert main(["lint", "--strict", bad]) == 1
    assert main(["lint", "--strict", str(INVALID / "single-two-correct.yaml")]) == 1


def test_new_bank_passes_lint_strict(tmp_path) -> None:
    """Does `bank new` write a bank that passes `lint --strict`, with a hint on every question?"""
    path = new_bank("week3", directory=tmp_path)
    assert lint_bank(path) == ([], [])
    assert main(["lint", "--strict", str(path)]) == 0
    from backlessons.quiz import load_bank

    bank = load_bank(path)
    assert all(question.hint for question in bank.questions)


def test_no_paths_lints_every_shipped_bank() -> None:
    """Without paths, does lint read every shipped bank (valid ones: problems empty)?"""
    from backlessons.quiz import shipped_banks

    warnings, problems = lint_paths()
    assert problems == []
    assert {Path(w.path).stem for w in warnings} <= set(shipped_banks())


def test_docs_name_every_rule_and_threshold() -> None:
    """Does docs/question-bank.md list every rule id and the thresholds the code uses?"""
    from backlessons.quiz import lint

    doc = (Path(__file__).resolve().parents[2] / "docs" / "question-bank.md").read_text(encoding="utf-8")
    assert [rule for rule in RULES if f"`{rule}`" not in doc] == []
    assert f"at least {lint.LONGEST_RATIO:g} times" in doc and f"at least {lint.LONGEST_MIN_EXTRA} characters" in doc
    assert f"fewer than {lint.MIN_OPTIONS} options" in doc
    assert f"{lint.MIN_QUOTED_WORDS} words or more" in doc
    assert f"margin > {lint.TOLERANCE_SHARE_OF_ANSWER:g} ×" in doc and f"margin ≥ {lint.TOLERANCE_SHARE_OF_GAP:g} ×" in doc


def test_answer_is_found_however_the_number_is_written(write_bank) -> None:
    """Is an answer of 0.3 found as '0,30' (decimal comma, trailing zero) in another item, and 0.31 not?"""
    path = write_bank("""
        - id: ratio
          type: numeric
          prompt: "Which ratio?"
          explanation: "0.3."
          sources: [swain2020]
          answer: 0.3
          ranges: [{min: 1, feedback: "Too high."}]
        - id: leaks
          type: true_false
          prompt: "A ratio of 0,30 is small."
          explanation: "It is."
          sources: [swain2020]
          answer: true
          feedback_true: "Right."
          feedback_false: "Look again."
        - id: near
          type: true_false
          prompt: "A ratio of 0.31 is small."
          explanation: "It is."
          sources: [swain2020]
          answer: true
          feedback_true: "Right."
          feedback_false: "Look again."
    """)
    assert [(w.where, w.field) for w in lint_bank(path)[0]] == [("question leaks", "prompt")]


def test_lint_reads_lines_through_the_course_loader_not_pyyaml() -> None:
    """Does lint find field lines with backlessons.yamlfile, so no module of the package imports PyYAML?"""
    import ast

    src = Path(__file__).resolve().parents[2] / "src" / "backlessons"
    importers = []
    for path in sorted(src.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            if any(name == "yaml" or name.startswith("yaml.") for name in names):
                importers.append(path.name)
    assert importers == []


def test_loader_gives_the_line_of_each_field_and_entry() -> None:
    """Does yamlfile.load(key_lines=True) give the line of every key of a mapping and every entry of a list?"""
    from backlessons import yamlfile

    loaded = yamlfile.load("q:\n  - id: a\n    items:\n      - x\n      - {k: 1}\n  - {id: b, items: [y, z]}\n",
                           "t.yaml", key_lines=True)
    first, second = loaded.data["q"]
    assert loaded.field_lines[id(first)] == {"id": 2, "items": 3}
    assert loaded.item_lines[id(first["items"])] == [4, 5]
    assert loaded.item_lines[id(loaded.data["q"])] == [2, 6]
    assert loaded.field_lines[id(second)] == {"id": 6, "items": 6}


@pytest.mark.parametrize(("reveal", "warned"), [("", True), ("reveal: {after: always}", False)])
def test_a_case_part_gives_its_answer_away_only_under_the_case_rule(write_bank, reveal, warned) -> None:
    """Is a part's answer in its range feedback flagged by the case's reveal rule (parts have none of their own)?"""
    path = write_bank(f"""
        - id: club
          type: case
          prompt: "Read the case and answer."
          vignette: "Twenty of every hundred runners in a club would have an episode."
          explanation: "With a ratio of 0.55, eleven of every hundred still would."
          sources: [steffens2016]
          {reveal}
          parts:
            - id: left
              type: numeric
              prompt: "With a risk ratio of 0.55, how many of every hundred still have an episode?"
              answer: 11
              tolerance: {{absolute: 0.5}}
              ranges:
                - min: 8.5
                  max: 9.5
                  feedback: "That is how many are spared (20 - 11)."
    """)
    found = [(w.where, w.field, w.rule) for w in lint_bank(path)[0]]
    assert found == ([("question club/left", "ranges[0].feedback", "answer-in-own-feedback")] if warned else [])


@pytest.mark.parametrize(("reveal", "warned"), [("", True), ("reveal: {after: correct}", True),
                                                ("reveal: {after: always}", False)])
def test_a_case_part_quoting_its_right_option_is_flagged_under_the_case_rule(write_bank, reveal, warned) -> None:
    """Is a part's wrong-option feedback that quotes the right option flagged unless the case reveals at once?"""
    path = write_bank(f"""
        - id: club
          type: case
          prompt: "Read the case and answer."
          vignette: "A club runner with a first episode of back pain asks how to prevent the next one."
          explanation: "Exercise lowered the risk of another episode (Steffens 2016)."
          sources: [steffens2016]
          {reveal}
          parts:
            - id: advice
              type: single
              prompt: "What would you tell her about preventing the next episode?"
              options:
                - text: "Exercise lowered the risk of another episode"
                  correct: true
                  feedback: "Right (Steffens 2016)."
                - text: "Insoles lowered the risk of another episode"
                  feedback: "This is the belief that cushioning protects the back; insoles made no difference (Steffens 2016)."
                - text: "Back belts lowered the risk of another episode"
                  feedback: "Belts made no difference, but exercise lowered the risk of another episode (Steffens 2016)."
    """)
    found = [(w.where, w.field, w.rule) for w in lint_bank(path)[0]]
    assert found == ([("question club/advice", "options[2].feedback", "answer-in-wrong-feedback")] if warned else [])


def test_a_short_right_option_in_wrong_feedback_is_not_flagged(write_bank) -> None:
    """Does a right option under three words ("Yes") pass when a wrong option's feedback uses the same word?"""
    path = write_bank("""
        - id: q
          type: single
          prompt: "Can a runner with a first episode of back pain keep running?"
          explanation: "Yes, adjusted to symptoms (NICE NG59)."
          sources: [nice_ng59]
          hint: "Yes or no is the whole question: think of what staying active means."
          options:
            - text: "Yes"
              correct: true
              feedback: "Right (NICE NG59)."
            - text: "After a scan"
              feedback: "Yes, many think so; imaging is not needed first (NICE NG59)."
            - text: "After two weeks of rest"
              feedback: "Rest is not advised (NICE NG59)."
    """)
    assert [w.rule for w in lint_bank(path)[0]] == []
