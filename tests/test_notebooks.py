"""Checks on the course notebooks: structure, coverage of claims and question types,
references, answer-free outputs, clean execution and determinism.

nbval (pytest's --nbval) re-runs every notebook and compares its outputs with the
stored ones; these tests check what nbval cannot: that the stored notebooks follow
the course template and keep answer keys off the page.
"""

from __future__ import annotations

import ast
import dataclasses
import html
import json
import re
from configparser import ConfigParser
from pathlib import Path
from typing import Any, Iterator

import nbformat
import pytest

from backlessons import content
from backlessons.quiz import load_bank
from backlessons.quiz.bank import QUESTION_TYPES
from tests.leakcheck import MIN_LEAK_WORDS, answer_texts, leaked, visible_text, words

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LESSON_IDS = tuple(content.lessons()["id"])
# Course notebooks that are not lessons (no lessons.csv row, objectives, claims or quiz of
# their own): the spaced review brings back questions of every lesson.
REVIEW_NOTEBOOK = "10_review"
# Lessons whose interactive element may be a table or case vignettes instead of a figure.
NO_FIGURE_NEEDED = {"00_start_here", "08_red_flags_and_clinical_reasoning"}
DISCLAIMER = "education, not medical advice"
IMPORT_LINE = "import backlessons as bl"


# --- helpers -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Call:
    """One `bl.<name>(...)` code cell: the dotted name after `bl.` and its literal arguments."""

    index: int
    name: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


def read(lesson_id: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{lesson_id}.ipynb", as_version=4)


def dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    raise ValueError(f"not a plain dotted name: {ast.dump(node)}")


def parse_call(index: int, source: str) -> Call:
    """Parse a code cell that must be exactly one `bl.something(literal, ...)` call."""
    tree = ast.parse(source)
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr), \
        f"cell {index}: expected one expression, got {source!r}"
    call = tree.body[0].value
    assert isinstance(call, ast.Call), f"cell {index}: expected a call, got {source!r}"
    name = dotted(call.func)
    assert name.startswith("bl."), f"cell {index}: call must go through `bl.`, got {name}"
    args = tuple(ast.literal_eval(a) for a in call.args)
    kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    return Call(index, name[3:], args, kwargs)


def calls(nb: nbformat.NotebookNode) -> list[Call]:
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    return [parse_call(i, c.source) for i, c in code[1:]]


def markdown_index(nb: nbformat.NotebookNode, pattern: str) -> int:
    """Index of the first Markdown cell matching pattern (multiline regex), else -1."""
    rx = re.compile(pattern, re.MULTILINE | re.IGNORECASE)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and rx.search(cell.source):
            return i
    return -1


def output_text(nb: nbformat.NotebookNode) -> str:
    """Every textual output of a notebook, as a reader would see it."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                parts.append(out.text)
            for value in out.get("data", {}).values():
                if isinstance(value, str):
                    parts.append(visible_text(value))
    return "\n".join(parts)


def quiz_lessons() -> list[str]:
    return [c.args[0] for lesson in LESSON_IDS for c in calls(read(lesson)) if c.name == "Quiz"]


# --- structure -----------------------------------------------------------------------


def test_every_lesson_has_a_notebook() -> None:
    """Is there exactly one course notebook per lesson in lessons.csv, and nothing else?"""
    found = {p.stem for p in NOTEBOOKS.glob("*.ipynb")}
    assert found == set(LESSON_IDS) | {REVIEW_NOTEBOOK}


def test_review_notebook_is_thin_and_shows_the_empty_review() -> None:
    """Is the review notebook a title, the education-not-advice note, prose, the import, one bl.Review call and its
    references, and does its stored output show the dateless 'nothing to review yet' state of a fresh store?"""
    from backlessons.widgets.review import NOTHING_ANSWERED

    nb = read(REVIEW_NOTEBOOK)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# 10 · ")
    assert markdown_index(nb, re.escape(DISCLAIMER)) > 0
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].source.strip() == IMPORT_LINE
    found = calls(nb)
    assert [(c.name, c.args, c.kwargs) for c in found] == [
        ("Review", (), {"n": 10}),
        ("references", (["dunlosky2013"],), {}),
    ]
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "(Dunlosky et al. 2013)" in prose
    review_cell = nb.cells[found[0].index]
    assert review_cell.execution_count is not None
    shown = output_text(nbformat.from_dict({"cells": [review_cell]}))
    assert NOTHING_ANSWERED in shown
    assert not re.search(r"\b20\d\d\b", shown), "the stored review output must hold no date"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_notebook_is_thin(lesson_id: str) -> None:
    """Is the first code cell the import and every other code cell one `bl.` call with literal arguments?"""
    nb = read(lesson_id)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and code[0].source.strip() == IMPORT_LINE
    for cell in code[1:]:
        assert "\n" not in cell.source.strip(), f"multi-line code cell: {cell.source!r}"
    calls(nb)  # raises on anything that is not a single bl. call
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["kernelspec"]["language"] == "python"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_notebook_sections_in_order(lesson_id: str) -> None:
    """Does the notebook have title, objectives, disclaimer, cards/figures, quiz, Takeaways and References, in that order?"""
    nb = read(lesson_id)
    lesson = content.lessons().set_index("id").loc[lesson_id]
    found = calls(nb)

    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), "no title"
    objectives = markdown_index(nb, r"^## Learning objectives")
    disclaimer = markdown_index(nb, re.escape(DISCLAIMER))
    takeaways = markdown_index(nb, r"^## Takeaways")
    references = markdown_index(nb, r"^## References")
    for name, index in [("Learning objectives", objectives), ("the education-not-advice note", disclaimer),
                        ("Takeaways", takeaways), ("References", references)]:
        assert index > 0, f"missing: {name}"
    bullets = [line[2:].strip() for line in nb.cells[objectives].source.splitlines()
               if line.startswith("- ")]
    assert 3 <= len(bullets) <= 5
    assert [b.lower() for b in bullets] == [o.lower() for o in lesson["objectives"]], \
        "objectives differ from data/lessons.csv"

    cards = [c for c in found if c.name == "EvidenceCard"]
    assert set(lesson["claims"]) <= {c.args[0] for c in cards}, "a claim of this lesson has no card"
    interactive = [c for c in found if c.name.startswith("figures.") or c.name == "ExerciseCard"]
    if lesson_id not in NO_FIGURE_NEEDED:
        assert interactive, "no interactive figure"

    quizzes = [c for c in found if c.name == "Quiz"]
    assert [q.args for q in quizzes] == [(lesson_id,)]
    assert len(load_bank(lesson_id).questions) >= 5

    ref_calls = [c for c in found if c.name == "references"]
    assert [c.args for c in ref_calls] == [(lesson_id,)]

    body = [c.index for c in cards + interactive]
    assert 0 < objectives < disclaimer < min(body, default=quizzes[0].index)
    assert max(body, default=disclaimer) < quizzes[0].index < takeaways < references
    assert references < ref_calls[0].index == len(nb.cells) - 1


def test_every_claim_is_taught_in_its_lesson() -> None:
    """Does each claim C1–C18 have an evidence card in the lesson claims.csv names as its topic?"""
    shown: dict[str, set[str]] = {}
    for lesson_id in LESSON_IDS:
        for c in calls(read(lesson_id)):
            if c.name == "EvidenceCard":
                shown.setdefault(c.args[0], set()).add(lesson_id)
    claims = content.claims()
    assert set(shown) == set(claims.index), "cards for unknown claims, or claims without a card"
    for claim_id, topic in claims["topic"].items():
        assert topic in shown[claim_id], f"{claim_id} is not shown in {topic}"


def test_course_uses_every_question_type() -> None:
    """Do the course's quizzes together hold at least 80 questions of every type?"""
    banks = [load_bank(lesson) for lesson in quiz_lessons()]
    questions = [q for bank in banks for q in bank.questions]
    assert len(questions) >= 80
    assert {q.type for q in questions} == set(QUESTION_TYPES)


# --- outputs -------------------------------------------------------------------------


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_notebook_executed_cleanly(lesson_id: str) -> None:
    """Was every code cell executed, without an error or anything written to stderr?"""
    nb = read(lesson_id)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"cell {i} never executed"
        assert cell.outputs or i == 0 or cell.source.strip() == IMPORT_LINE, f"cell {i} shows nothing"
        for out in cell.outputs:
            assert out.output_type != "error", f"cell {i}: {out.get('ename')}: {out.get('evalue')}"
            assert not (out.output_type == "stream" and out.name == "stderr"), \
                f"cell {i} wrote to stderr: {out.text[:200]!r}"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_outputs_hold_no_answers(lesson_id: str) -> None:
    """Does no explanation or feedback of any question appear in the stored outputs?"""
    nb = read(lesson_id)
    assert "widgets" not in nb.metadata, "widget state is stored in the notebook"
    page = output_text(nb)
    for lesson in quiz_lessons():
        for q in load_bank(lesson).questions:
            for answer in answer_texts(q):
                assert not leaked(answer, page), f"{lesson} question {q.id}: {answer[:80]!r}"


def test_leak_check_finds_a_planted_explanation() -> None:
    """Would the answer check notice an explanation that reached the page as HTML?"""
    q = load_bank("01_causes").questions[0]
    explanation = next(a for a in answer_texts(q) if len(words(a)) >= 2 * MIN_LEAK_WORDS)
    page = f"<div class='x'><p>{html.escape(explanation)}</p></div>"
    assert leaked(explanation, visible_text(page))
    assert not leaked(explanation, visible_text(page.replace(words(explanation)[3], "zzz")))


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_references_shown_exist(lesson_id: str) -> None:
    """Is every reference the lesson's list shows a key of references.csv, and are the lesson's claims' sources among them?"""
    nb = read(lesson_id)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "bl.references(" in c.source)
    shown_html = "".join(v for out in cell.outputs for k, v in out.get("data", {}).items()
                         if k == "text/html")
    keys = set(re.findall(r'data-key="([^"]+)"', shown_html))
    assert keys, "the reference list shows no keys"
    assert keys <= content.reference_keys()
    lesson = content.lessons().set_index("id").loc[lesson_id]
    for claim_id in lesson["claims"]:
        assert set(content.claim(claim_id).sources) <= keys, f"sources of {claim_id} not listed"


# An author-year citation in the prose: "Swain et al. 2020", "Keller and colleagues (1996)",
# "Micheli & Wood 1995". A year followed by a capitalised word ("GBD 2021 Low Back...") is
# part of a name, not a citation year.
CITATION = re.compile(
    r"\b([A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?)"
    r"(?:\s+et\s+al\.|\s+and\s+colleagues|\s+(?:&|and)\s+[A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?)?"
    r",?\s+\(?((?:19|20)\d\d)\b(?!\s+[A-Z][a-z])"
)


def cited_keys(name: str, year: str) -> set[str]:
    """Reference keys whose authors include *name* and whose year is *year*."""
    refs = content.references()
    return {key for key, row in refs.iterrows()
            if str(row["year"]) == year and re.search(rf"\b{re.escape(name)}\b", str(row["authors"]))}


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_prose_citations_are_in_the_reference_list(lesson_id: str) -> None:
    """Does every author-year citation in the lesson's prose name a reference its References list shows?"""
    from backlessons.display import lesson_reference_keys

    nb = read(lesson_id)
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    shown = set(lesson_reference_keys(lesson_id))
    citations = CITATION.findall(prose)
    assert citations or lesson_id == "00_start_here", "no citations found: is the pattern still right?"
    for name, year in citations:
        keys = cited_keys(name, year)
        assert keys, f"{name} {year} is not in references.csv"
        assert keys & shown, f"{name} {year} ({', '.join(sorted(keys))}) is missing from the reference list"
    if "NICE" in prose:
        assert "nice_ng59" in shown


def split_keys(value: Any) -> set[str]:
    """Reference keys from a data cell: a tuple of keys or a "a;b" string."""
    items = value if isinstance(value, (tuple, list)) else str(value).split(";")
    return {k.strip() for k in items if k and k.strip()}


def call_sources(c: Call) -> set[str]:
    """The reference keys a card, figure, table or quiz call puts on the page."""
    import backlessons as bl

    if c.name == "EvidenceCard":
        return set(content.claim(c.args[0]).sources)
    if c.name.startswith("figures."):
        return set(getattr(bl.figures, c.name.split(".", 1)[1])(*c.args, **c.kwargs).sources)
    if c.name == "ExerciseCard":
        return set(content.exercise(c.args[0]).sources)
    if c.name == "table":
        frame = getattr(content, c.args[0])()
        column = "source" if "source" in frame.columns else "sources"
        return {k for v in frame[column] for k in split_keys(v)}
    if c.name == "Quiz":
        keys: set[str] = set()
        stack = list(load_bank(c.args[0]).questions)
        while stack:  # case questions carry their own parts
            q = stack.pop()
            keys |= set(q.sources)
            stack.extend(getattr(q, "parts", ()))
        return keys
    if c.name != "references":
        # Clinical cards, tables and cases (issue 10) say what they cite in `sources`.
        shown = getattr(bl, c.name.split(".")[0])
        for part in c.name.split(".")[1:]:
            shown = getattr(shown, part)
        return set(getattr(shown(*c.args, **c.kwargs), "sources", ()))
    return set()


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_figure_and_exercise_sources_are_in_the_reference_list(lesson_id: str) -> None:
    """Does the lesson's reference list include every source printed under its figures and exercise cards?"""
    from backlessons.display import lesson_reference_keys

    shown = set(lesson_reference_keys(lesson_id))
    for c in calls(read(lesson_id)):
        if c.name.startswith("figures.") or c.name == "ExerciseCard":
            missing = call_sources(c) - shown
            assert not missing, f"{c.name}: {', '.join(sorted(missing))} missing from the reference list"


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_reference_list_holds_only_what_the_lesson_cites(lesson_id: str) -> None:
    """Is every reference in the lesson's list cited by its prose, cards, figures, tables or quiz?"""
    from backlessons.display import lesson_reference_keys

    nb = read(lesson_id)
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    cited = {k for name, year in CITATION.findall(prose) for k in cited_keys(name, year)}
    if "NICE" in prose:
        cited.add("nice_ng59")
    for c in calls(nb):
        cited |= call_sources(c)
    extra = set(lesson_reference_keys(lesson_id)) - cited
    assert not extra, f"listed but not cited in {lesson_id}: {', '.join(sorted(extra))}"


def test_citation_pattern_reads_the_course_styles() -> None:
    """Does the citation pattern find each citation style the course uses, and skip group names?"""
    text = ("(Swain et al. 2020; Mitchell et al.\n2020), Keller and colleagues (1996), "
            "Micheli & Wood 1995, (Belavý et al. 2017), GBD 2021 Low Back Pain Collaborators 2023")
    assert CITATION.findall(text) == [("Swain", "2020"), ("Mitchell", "2020"), ("Keller", "1996"),
                                      ("Micheli", "1995"), ("Belavý", "2017"), ("Collaborators", "2023")]


# --- determinism and no writes -------------------------------------------------------


def sanitize(text: str) -> str:
    cfg = ConfigParser()
    cfg.read(NOTEBOOKS / "sanitize.cfg")
    for section in cfg.sections():
        text = re.sub(cfg[section]["regex"], cfg[section]["replace"], text)
    return text


def comparable_outputs(nb: nbformat.NotebookNode, skip: frozenset[str] = frozenset()) -> list[list[Any]]:
    """Each cell's outputs as nbval compares them: sanitized, without metadata or counts."""
    # Model ids are random; nbval ignores them too.
    skip = skip | {"application/vnd.jupyter.widget-view+json"}
    cells = []
    for cell in nb.cells:
        items: list[Any] = []
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                items.append(("stream", out.name, sanitize(out.text)))
            elif out.output_type == "error":
                items.append(("error", out.ename, out.evalue))
            else:
                data = {k: v if isinstance(v, str) else json.dumps(v, sort_keys=True)
                        for k, v in out.data.items() if k not in skip}
                items.append((out.output_type, sorted((k, sanitize(v)) for k, v in data.items())))
        cells.append(items)
    return cells


def snapshot(*folders: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns)
            for folder in folders for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_execution_is_deterministic_and_writes_nothing_in_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Does running a notebook twice give the same outputs as the stored ones, and leave notebooks/ and data/ untouched?"""
    from nbclient import NotebookClient

    lesson_id = "01_causes"
    before = snapshot(NOTEBOOKS, ROOT / "data")
    monkeypatch.setenv("BACKLESSONS_HOME", str(tmp_path))  # the kernel inherits it
    runs = []
    for _ in range(2):
        nb = read(lesson_id)
        # Run where a learner would: in notebooks/, so a stray relative write would show.
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
        runs.append(nb)
    # Two runs on one machine must match byte for byte, PNGs included; against the stored
    # notebook, skip PNGs as nbval does (they may differ between matplotlib builds).
    assert comparable_outputs(runs[0]) == comparable_outputs(runs[1])
    png = frozenset({"image/png"})
    assert comparable_outputs(runs[0], png) == comparable_outputs(read(lesson_id), png), \
        "stored outputs are out of date: run `make execute`"
    assert snapshot(NOTEBOOKS, ROOT / "data") == before, "executing the notebook wrote into the repository"
