"""Question banks: load a YAML file into a Bank, validate it, grade any question.

``load_bank`` raises one ContentError listing every problem; ``validate_*``
return the problems instead. Problems carry the line of the question they
concern, found by a YAML loader that records where each mapping starts.
"""

from __future__ import annotations

import csv
import io
from importlib.resources import files
from pathlib import Path
from typing import Any, Iterable, Mapping

from backlessons import yamlfile
from backlessons.errors import ContentError, Problem
from backlessons.quiz import case, matching, multiple, numeric, ordering, registry, single, true_false
from backlessons.quiz.model import ID_PATTERN, Bank, ParseContext, Question, describe, parse_reveal
from backlessons.quiz.references import as_mapping, parse_references
from backlessons.quiz.registry import QuestionType

__all__ = [
    "QuestionType",
    "QUESTION_TYPES",
    "load_bank",
    "validate_bank",
    "validate_paths",
    "validate_text",
    "parse_bank",
    "parse_question",
    "grade",
    "shipped_banks",
    "reference_keys",
]

BANK_FIELDS = ("format", "lesson", "title", "reveal", "references", "questions")
FORMAT = 1


# The registration: each module declares its TYPE; this order is the order of every list of types.
QUESTION_TYPES: Mapping[str, QuestionType] = registry.QUESTION_TYPES
for _module in (single, multiple, true_false, numeric, matching, ordering, case):
    registry.register(_module.TYPE)
del _module

grade = registry.grade
parse_question = registry.parse_question


# --- YAML with line numbers -------------------------------------------------------------


def _load_yaml(text: str, path: str, key_lines: bool = False) -> tuple[yamlfile.Loaded | None, list[Problem]]:
    """(the loaded file with its lines, or None when it is not YAML; problems), via backlessons.yamlfile."""
    try:
        loaded = yamlfile.load(text, path, key_lines=key_lines)
    except yamlfile.YamlFileError as err:
        message = f"not valid YAML: {err.message}" if err.syntax else err.message
        return None, [Problem(path, "", "", message, err.line)]
    return loaded, [_issue_problem(path, issue) for issue in loaded.issues]


def _shown(qid: str) -> str:
    """A question id short enough for a message (an over-long id is itself reported)."""
    return yamlfile.shorten(qid, 64)


def _issue_problem(path: str, issue: yamlfile.Issue) -> Problem:
    key = issue.keys[-1] if issue.keys else ""
    if issue.kind == "duplicate":
        return Problem(path, "", key, "appears twice in one mapping; YAML would keep only the last", issue.line)
    return Problem(path, "", key, f"contains the bidirectional control character {issue.detail}, which can show "
                   "text in another order than it is stored; remove it", issue.line)


# --- reference keys and shipped banks ---------------------------------------------------------


def reference_keys() -> frozenset[str] | None:
    """Keys of data/references.csv, or None if it cannot be read (then keys are not checked)."""
    from backlessons import content

    try:
        return frozenset(content.reference_keys())
    except ContentError:  # references.csv has problems of its own: still check keys against its key column
        pass
    try:
        text = (files("backlessons") / "data" / "references.csv").read_text(encoding="utf-8")
        rows = csv.DictReader(io.StringIO(text))
        return frozenset(row["key"].strip() for row in rows if row.get("key"))
    except (OSError, KeyError, UnicodeDecodeError, csv.Error):
        return None


def _quizzes_dir() -> Any:
    return files("backlessons") / "data" / "quizzes"


def shipped_banks() -> tuple[str, ...]:
    """Lesson ids that ship a bank in data/quizzes/, sorted."""
    folder = _quizzes_dir()
    if not folder.is_dir():
        return ()
    return tuple(sorted(entry.name[: -len(".yaml")] for entry in folder.iterdir()
                        if entry.name.endswith(".yaml") and entry.is_file()))


# --- parsing ------------------------------------------------------------------------------


def parse_bank(data: Any, path: str, lines: Mapping[int, int] | None = None,
               keys: frozenset[str] | None = None, expected_lesson: str | None = None) -> tuple[Bank | None, list[Problem]]:
    """Turn loaded YAML *data* into a Bank; return (None, problems) if anything is wrong."""
    lines = lines or {}
    if not isinstance(data, dict):
        message = "is empty" if data is None else "must be a mapping with format, lesson, title and questions"
        return None, [Problem(path, "", "", message)]
    problems: list[Problem] = []

    def file_problem(field_name: str, message: str) -> None:
        problems.append(Problem(path, "", field_name, message))

    for key in data:
        if key not in BANK_FIELDS:
            file_problem(str(key), "unknown field")
    # The bank's own reveal rule and references come first: every question may use them.
    reveal = parse_reveal(data.get("reveal"), lambda name, message: problems.append(
        Problem(path, "", name, message, lines.get(id(data.get("reveal"))))))
    own_references, found, declared = parse_references(data.get("references"), path, lines, keys,
                                                       lines.get(id(data.get("references"))))
    problems.extend(found)
    question_keys = keys | declared if keys is not None else None
    fmt = data.get("format")
    if fmt is None:
        file_problem("format", f"is required: {FORMAT}")
    elif type(fmt) is not int or fmt != FORMAT:
        file_problem("format", f"{describe(fmt)} is not a supported format (use {FORMAT})")
    lesson = data.get("lesson")
    if lesson is None:
        file_problem("lesson", "is required")
    elif not isinstance(lesson, str) or not ID_PATTERN.fullmatch(lesson):
        file_problem("lesson", f"{describe(lesson)} must use only a-z, 0-9, '_' and '-'")
    elif expected_lesson is not None and lesson != expected_lesson:
        file_problem("lesson", f"{lesson!r} does not match the file name {expected_lesson}.yaml")
    title = data.get("title")
    if title is None:
        file_problem("title", "is required")
    elif not isinstance(title, str) or not title.strip():
        file_problem("title", "must be non-empty text")
    entries = data.get("questions")
    if entries is None:
        file_problem("questions", "is required: a list of questions")
        entries = []
    elif not isinstance(entries, list) or not entries:
        file_problem("questions", "must be a non-empty list of questions")
        entries = []

    questions: list[Question] = []
    first_use: dict[str, str] = {}
    for index, raw in enumerate(entries):
        qid = raw.get("id") if isinstance(raw, dict) else None
        named = isinstance(qid, str) and bool(qid)
        ctx = ParseContext(
            path=path,
            where=f"question {_shown(qid)}" if named else f"question #{index + 1}",
            line=lines.get(id(raw)),
            reference_keys=question_keys,
            lines=lines,
            own_references=as_mapping(own_references),
            reveal=reveal,
        )
        if named:
            if qid in first_use:
                ctx.problem("id", f"{_shown(qid)!r} is already used by an earlier question{first_use[qid]}")
            else:
                earlier = lines.get(id(raw))
                first_use[qid] = f" (line {earlier})" if earlier else ""
        question, found = parse_question(raw, ctx)
        problems.extend(found)
        if question is not None:
            questions.append(question)
    if problems:
        return None, problems
    return Bank(lesson=lesson, title=title, path=path, questions=tuple(questions), reveal=reveal,
                references=own_references), []


def validate_text(text: str, path: str = "bank.yaml", *, expected_lesson: str | None = None) -> list[Problem]:
    """Every problem in the bank source *text*; ``path`` labels the messages."""
    return _parse_text(text, path, expected_lesson)[1]


def _parse_text(text: str, path: str, expected_lesson: str | None,
                key_lines: bool = False) -> tuple[Bank | None, list[Problem], yamlfile.Loaded | None]:
    loaded, problems = _load_yaml(text, path, key_lines)
    if loaded is None:
        return None, problems, None
    problems = [_attribute(problem, loaded.data, loaded.starts, loaded.ends) for problem in problems]
    bank, found = parse_bank(loaded.data, path, loaded.starts, reference_keys(), expected_lesson)
    problems = problems + found
    return (bank if not problems else None), problems, loaded


def _attribute(problem: Problem, data: Any, lines: Mapping[int, int], ends: Mapping[int, int]) -> Problem:
    """Name the question a line-only problem (a duplicate key) falls in, if any."""
    entries = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(entries, list) or problem.line is None:
        return problem
    where = ""
    for index, raw in enumerate(entries):
        start, end = lines.get(id(raw)), ends.get(id(raw))
        if start is not None and end is not None and start <= problem.line <= end:
            qid = raw.get("id")
            where = f"question {_shown(qid)}" if isinstance(qid, str) and qid else f"question #{index + 1}"
    return Problem(problem.path, where, problem.field, problem.message, problem.line) if where else problem


def bank_source(lesson_or_path: str | Path) -> tuple[str, str | None, Any]:
    """(label for messages, expected lesson id if shipped, readable file) for a lesson id or a path."""
    if isinstance(lesson_or_path, str) and ID_PATTERN.fullmatch(lesson_or_path) and not Path(lesson_or_path).is_file():
        return f"quizzes/{lesson_or_path}.yaml", lesson_or_path, _quizzes_dir() / f"{lesson_or_path}.yaml"
    return str(lesson_or_path), None, Path(lesson_or_path)


def read_and_parse(lesson_or_path: str | Path) -> tuple[Bank | None, list[Problem]]:
    """(the bank or None, its problems) for a lesson id or a path."""
    bank, problems, _loaded = read_bank(lesson_or_path)
    return bank, problems


def read_bank(lesson_or_path: str | Path, *, key_lines: bool = False
              ) -> tuple[Bank | None, list[Problem], yamlfile.Loaded | None]:
    """(bank or None, problems, the loaded file or None) for a lesson id or a bank path.

    *key_lines* asks the loader for the line of every field (lint reports them), so a
    bank is read once for both.
    """
    if not isinstance(lesson_or_path, (str, Path)):
        return None, [Problem(str(lesson_or_path), "", "", "is neither a lesson id nor a path to a .yaml file")], None
    label, lesson, source = bank_source(lesson_or_path)
    if not source.is_file():
        if lesson is not None:
            shipped = ", ".join(shipped_banks()) or "none"
            message = f"no shipped bank for lesson {lesson!r} (shipped: {shipped})"
        else:
            message = "is a folder, not a bank file" if Path(label).is_dir() else "file not found"
        return None, [Problem(label, "", "", message)], None
    try:
        text = yamlfile.read_text(source, label)
    except yamlfile.YamlFileError as err:
        return None, [Problem(label, "", "", err.message)], None
    except UnicodeDecodeError:
        return None, [Problem(label, "", "", "is not UTF-8 text")], None
    except OSError as err:
        return None, [Problem(label, "", "", f"cannot be read: {err.strerror or err}")], None
    return _parse_text(text, label, lesson, key_lines)


def load_bank(lesson_or_path: str | Path) -> Bank:
    """Load a shipped lesson's bank (``"01_causes"``) or a bank file; ContentError lists every problem."""
    bank, problems = read_and_parse(lesson_or_path)
    if problems or bank is None:
        raise ContentError(problems)
    return bank


def validate_bank(path: str | Path) -> list[Problem]:
    """Every problem in one bank (a path, or a shipped lesson id); empty if it is valid."""
    return read_and_parse(path)[1]


def validate_paths(paths: Iterable[str | Path] | None = None) -> list[Problem]:
    """Problems in bank files and folders of them; no paths: every shipped bank and data file."""
    paths = list(paths or ())
    problems: list[Problem] = []
    if not paths:
        from backlessons import content  # the data files' loaders: needed only for this whole-course check

        for lesson in shipped_banks():
            problems.extend(validate_bank(lesson))
        problems.extend(content.validate_data())
        return problems
    for given in paths:
        folder = Path(given)
        if folder.is_dir():
            banks = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
            if not banks:
                problems.append(Problem(str(given), "", "", "folder holds no .yaml banks"))
            for bank_path in banks:
                problems.extend(validate_bank(bank_path))
        else:
            problems.extend(validate_bank(given))
    return problems
