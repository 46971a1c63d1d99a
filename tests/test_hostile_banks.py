"""Hostile question banks and content files (issue 13): bounded work, a clear message, never a traceback.

Every hostile input goes through the one YAML loader (backlessons.yamlfile). Each test
checks what a careless colleague or a mischievous learner would see: the file named, the
line where it helps, and memory that stays small (tracemalloc, with generous bounds;
speed targets live in benchmarks/hostile_bench.py, not here).
"""

from __future__ import annotations

import shutil
import textwrap
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backlessons
from backlessons import content, yamlfile
from backlessons.cli import main
from backlessons.errors import ContentError
from backlessons.quiz import load_bank, validate_bank, validate_text

# Nine levels of nine: 9**9 (387 million) strings once expanded, in about 350 bytes.
ALIAS_BOMB = "".join(
    [
        'format: 1\nlesson: bomb\ntitle: t\n',
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
        *(f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi")),
        "questions: *i\n",
    ]
)
MEMORY_BOUND = 64 * 1024 * 1024  # bytes; the attacks above took gigabytes before the fix

QUESTION = """\
format: 1
lesson: hostile
title: Hostile bank
questions:
{questions}"""


def bank_text(questions: str) -> str:
    return QUESTION.format(questions=textwrap.indent(textwrap.dedent(questions).strip("\n"), "  ") + "\n")


def single(options: list[str], extra: str = "") -> str:
    lines = [f"- text: {text}\n  correct: {'true' if i == 0 else 'false'}" for i, text in enumerate(options)]
    return (
        "- id: q1\n  type: single\n  prompt: p\n  explanation: e\n  sources: [swain2020]\n"
        + extra
        + "  options:\n"
        + textwrap.indent("\n".join(lines), "    ")
        + "\n"
    )


def numeric(extra: str) -> str:
    return (
        "- id: n1\n  type: numeric\n  prompt: p\n  explanation: e\n  sources: [swain2020]\n"
        + textwrap.indent(textwrap.dedent(extra).strip("\n"), "  ")
        + "\n"
    )


def write(tmp_path: Path, text: str | bytes, name: str = "hostile.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def bounded(call):
    """Run *call*; return (its result, peak bytes allocated meanwhile)."""
    tracemalloc.start()
    try:
        result = call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak


def messages(path: Path) -> list[str]:
    return [str(problem) for problem in validate_bank(path)]


# --- point 1: alias bombs, depth, size ---------------------------------------------------------


def test_issue13_point1_alias_bomb_is_rejected_quickly(tmp_path, capsys):
    """Does a 355-byte billion-laughs bank give one clear error naming the file, in little memory,
    from validate, load_bank/bl.Quiz and answer-key alike?"""
    assert len(ALIAS_BOMB.encode()) < 400
    path = write(tmp_path, ALIAS_BOMB)
    found, peak = bounded(lambda: messages(path))
    assert peak < MEMORY_BOUND
    assert len(found) == 1 and found[0].startswith(f"{path}:")
    assert "aliases" in found[0] and "expand to more than" in found[0]
    with pytest.raises(ContentError, match="aliases"):
        load_bank(path)
    with pytest.raises(ContentError, match="aliases"):
        backlessons.Quiz(path)
    for argv in (["validate", str(path)], ["answer-key", str(path)]):
        assert main(argv) == 1
        captured = capsys.readouterr()
        assert str(path) in captured.out + captured.err
        assert "Traceback" not in captured.err


@pytest.mark.parametrize(
    "text",
    [
        "[" * 200_000,
        "{a: " * 50_000,
        "- " * 5_000 + "x\n",
        "".join(" " * i + "k:\n" for i in range(2_000)),
    ],
    ids=["flow-lists", "flow-maps", "block-lists", "block-maps"],
)
def test_issue13_point1_deep_nesting_is_rejected(tmp_path, text):
    """Is a file nested thousands of levels deep refused with the depth limit, not a RecursionError?"""
    path = write(tmp_path, text)
    found, peak = bounded(lambda: messages(path))
    assert peak < MEMORY_BOUND
    assert len(found) == 1 and found[0].startswith(f"{path}:")
    assert f"nested more than {yamlfile.MAX_DEPTH} levels" in found[0]


def test_issue13_point1_huge_text_is_rejected(tmp_path):
    """Is a single text of a million characters refused with its line and the limit?"""
    path = write(tmp_path, bank_text(single(["a", "b"], extra=f"  objective: {'x' * 1_000_000}\n")))
    found = messages(path)
    assert found == [f"{path}:10: holds a text of 1,000,000 characters; the limit is {yamlfile.MAX_SCALAR_CHARS:,}"]


def test_issue13_point1_oversized_file_is_refused_before_parsing(tmp_path, monkeypatch):
    """Is a file above the size limit refused by size, without parsing it?"""
    monkeypatch.setattr(yamlfile, "MAX_BYTES", 1000)
    path = write(tmp_path, bank_text(single(["a", "b"], extra=f"  objective: {'x' * 2000}\n")))
    found = messages(path)
    assert len(found) == 1 and found[0].startswith(f"{path}: is larger than")
    with pytest.raises(yamlfile.YamlFileError, match="larger than"):
        yamlfile.load("x" * 1001, "given.yaml")


def test_issue13_point1_messages_quote_bounded_values(tmp_path):
    """Does a message about a huge wrong value quote only a short piece of it?"""
    many = "[" + ", ".join(["1"] * 5_000) + "]"
    path = write(tmp_path, f"format: 1\nlesson: {many}\ntitle: t\nquestions: [1]\n")
    found = messages(path)
    assert any("lesson:" in line for line in found)
    assert all(len(line) < 300 for line in found), [len(line) for line in found]


def test_issue13_point1_binary_file_is_named(tmp_path):
    """Is a binary file (an image renamed .yaml) reported as not UTF-8 text, naming the file?"""
    path = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert messages(path) == [f"{path}: is not UTF-8 text"]


@pytest.mark.parametrize(
    ("tag_line", "shown"),
    [
        ("x: !!binary aGVsbG8=", "!!binary"),
        ("x: !!set {a, b}", "!!set"),
        ("x: !!omap [{a: 1}]", "!!omap"),
        ("x: !!pairs [{a: 1}]", "!!pairs"),
        ("x: !!timestamp 2024-01-01", "!!timestamp"),
        ("x: !!python/object/apply:os.system ['echo hi']", "!!python/object/apply:os.system"),
        ("x: !!python/name:os.system ''", "!!python/name:os.system"),
        ("x: !custom thing", "!custom"),
        ("x: !<tag:example.com,2024:thing> v", "tag:example.com,2024:thing"),
        ("x: !!map [1, 2]", "!!map"),
    ],
)
def test_issue13_point1_every_unsupported_yaml_tag_is_refused(tmp_path, tag_line, shown):
    """Is every tag beyond plain text, numbers, lists and mappings refused with its line?"""
    path = write(tmp_path, f"format: 1\nlesson: tags\n{tag_line}\n")
    found = messages(path)
    assert found == [f"{path}:3: the tag {shown} is not allowed: use plain text, numbers, lists and mappings"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("x: !!str 010", "010"),
        ("x: !!int 12", 12),
        ("x: !!float 1", 1.0),
        ("x: !!bool true", True),
        ("x: !!null ''", None),
        ("x: ! 12", "12"),
    ],
)
def test_issue13_point1_core_tags_are_honoured(line, expected):
    """Do the core tags give the value they name?"""
    value = yamlfile.load(line, "tags.yaml").data["x"]
    assert value == expected and type(value) is type(expected)


def test_issue13_point1_recursive_alias_and_unknown_alias_are_refused():
    """Is an alias to a value that contains it (a cycle), or to no anchor, refused with its line?"""
    with pytest.raises(yamlfile.YamlFileError, match="refers to a value that contains it") as info:
        yamlfile.load("a: &x\n  b: *x\n", "cycle.yaml")
    assert info.value.line == 2
    with pytest.raises(yamlfile.YamlFileError, match="has no anchor"):
        yamlfile.load("a: *nothing\n", "unknown.yaml")


def test_issue13_point1_modest_aliases_still_work():
    """Are a few aliases (reusing a sources list) still fine, with merge keys?"""
    loaded = yamlfile.load("base: &b {x: 1, y: 2}\nuse: {<<: *b, y: 3}\nagain: *b\n", "ok.yaml")
    assert loaded.data["use"] == {"x": 1, "y": 3}
    assert loaded.data["again"] == {"x": 1, "y": 2}


def test_issue13_point1_second_document_is_refused():
    """Is a file with two YAML documents refused instead of silently reading only one?"""
    with pytest.raises(yamlfile.YamlFileError, match="more than one YAML document"):
        yamlfile.load("a: 1\n---\nb: 2\n", "two.yaml")


# --- point 5: YAML 1.2 keeps what the author typed ---------------------------------------------


def test_issue13_point5_unquoted_times_and_numbers_keep_their_text(tmp_path):
    """Do unquoted 5:30, 010, 0.50 and yes stay exactly as typed in shown text?"""
    path = write(tmp_path, bank_text(single(["5:30", "010", "0.50", "yes", "1e3"])))
    bank = load_bank(path)
    assert [option.text for option in bank.questions[0].options] == ["5:30", "010", "0.50", "yes", "1e3"]


def test_issue13_point5_sexagesimal_numeric_answer_is_not_ninety(tmp_path):
    """Is an unquoted numeric answer 1:30 reported as not a number instead of silently becoming 90?"""
    path = write(tmp_path, bank_text(numeric("answer: 1:30")))
    assert messages(path) == [f"{path}:5: question n1: answer: must be a number, not '1:30'"]


def test_issue13_point5_yes_is_not_a_boolean(tmp_path):
    """Is a true/false answer written yes reported (YAML 1.2 has only true and false)?"""
    question = (
        "- id: t1\n  type: true_false\n  prompt: p\n  explanation: e\n  sources: [swain2020]\n  answer: yes\n"
        "  feedback_true: r\n  feedback_false: w\n"
    )
    path = write(tmp_path, bank_text(question))
    assert messages(path) == [f"{path}:5: question t1: answer: must be true or false, not 'yes'"]


def test_issue13_point5_spelled_numbers_are_numbers_that_remember_their_text():
    """Is 010 the number 10 that prints as 010, and 2.5 a plain float?"""
    data = yamlfile.load("a: 010\nb: 0.50\nc: 2.5\nd: 0x1F\ne: 5:30\nf: 2024-01-01\n", "n.yaml").data
    assert (data["a"], str(data["a"])) == (10, "010")
    assert (data["b"], str(data["b"])) == (0.5, "0.50")
    assert type(data["c"]) is float and str(data["c"]) == "2.5"
    assert (data["d"], str(data["d"])) == (31, "0x1F")
    assert data["e"] == "5:30" and data["f"] == "2024-01-01"


def test_issue13_point5_content_files_use_the_same_loader(tmp_path):
    """Does exercises.yaml keep an unquoted 5:30 as text, and report an alias bomb by file and line?"""
    root = tmp_path / "data"
    shutil.copytree(content.data_root(), root)
    exercises = root / "exercises.yaml"
    text = exercises.read_text(encoding="utf-8")
    name = next(iter(content.exercises()))  # the first exercise holds the first "easier:"
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("easier:"))
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines[at] = f"{indent}easier: 5:30"
    exercises.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert content.exercises(root)[name].easier == "5:30"
    exercises.write_text(ALIAS_BOMB.replace("questions", "x"), encoding="utf-8")
    with pytest.raises(ContentError, match=r"exercises\.yaml:\d+: its aliases"):
        content.exercises(root)


# --- point 6: confusables, ranges, bidi, long ids, units ---------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Rest", "Re\u200bst"),  # zero-width space
        ("Rest", "Rest\u2060"),  # word joiner
        ("Café", "Cafe\u0301"),  # composed vs combining accent (NFC)
        ("ﬁrst", "first"),  # ligature (NFKC)
        ("Rest", "Ｒｅｓｔ"),  # full-width letters (NFKC)
        ("Rest\u00ad", "Rest"),  # soft hyphen
    ],
)
def test_issue13_point6_options_differing_only_invisibly_are_duplicates(tmp_path, first, second):
    """Are two options that look the same to a learner reported as a repeat?"""
    path = write(tmp_path, bank_text(single([f'"{first}"', f'"{second}"'])))
    found = messages(path)
    assert len(found) == 1 and "options[1]" in found[0] and found[0].startswith(f"{path}:5: question q1:")


def test_issue13_point6_feedback_range_containing_the_answer_is_rejected(tmp_path):
    """Is a feedback range that holds the right answer reported (the learner would see 'Correct.' and 'Too low')?"""
    path = write(tmp_path, bank_text(numeric("""
        answer: 2.5
        ranges:
          - {max: 3, feedback: "Too low"}
          - {min: 4, feedback: "Too high"}
    """)))
    found = messages(path)
    assert len(found) == 1
    assert found[0].startswith(f"{path}:5: question n1: ranges[0]: contains the right answer 2.5")


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u2069"])
def test_issue13_point6_bidirectional_override_is_rejected(tmp_path, char):
    """Is a bidirectional control character in any text reported with its question, field and code point?"""
    path = write(tmp_path, bank_text(single([f'"Rest{char}"', "Run"])))
    found = messages(path)
    assert len(found) == 1
    assert found[0].startswith(f"{path}:11: question q1: text: contains the bidirectional control character U+")


def test_issue13_point6_a_200_kb_id_is_rejected_with_a_short_message(tmp_path):
    """Is a 200 kB id refused, and an over-long but loadable id reported in a short message?"""
    huge = write(tmp_path, bank_text(single(["a", "b"]).replace("id: q1", "id: " + "q" * 200_000)), "huge.yaml")
    found = messages(huge)
    assert len(found) == 1 and "holds a text of 200,000 characters" in found[0]
    long = write(tmp_path, bank_text(single(["a", "b"]).replace("id: q1", "id: " + "q" * 5_000)), "long.yaml")
    found = messages(long)
    assert len(found) == 1 and "is 5,000 characters long; keep ids to 64" in found[0]
    assert len(found[0]) < 400


@pytest.mark.parametrize("unit", ["-5", "-kg", '"+%"', "5 s", '"−1 BW"', ".5"])
def test_issue13_point6_negative_or_numeric_unit_is_rejected(tmp_path, unit):
    """Is a unit that would be read as part of the number (a sign, digit or decimal mark) reported?"""
    path = write(tmp_path, bank_text(numeric(f"answer: 2\nunit: {unit}")))
    found = messages(path)
    assert len(found) == 1 and found[0].startswith(f"{path}:5: question n1: unit: ")
    assert "not a unit" in found[0] or "must be a unit such as BW or %, not the number" in found[0]


# --- fuzz: anything at all gives problems, never an exception ---------------------------------

YAML_ALPHABET = st.sampled_from(list("[]{}:,-?&*!|>'\"#%@`\n\t ") + ["a", "1", "0x", ".5", "<<", "~", "---", "\u202e", "\u200b"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(YAML_ALPHABET, max_size=60).map("".join))
def test_issue13_fuzz_any_text_gives_problems_not_exceptions(text):
    """Does any text made of YAML's special characters give a list of problems naming the file, never an exception?"""
    for problem in validate_text(text, "fuzz.yaml"):
        assert problem.path == "fuzz.yaml"
        assert len(str(problem)) < 1000


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200))
def test_issue13_fuzz_any_bytes_give_problems_not_exceptions(tmp_path_factory, data):
    """Do any bytes in a bank file give problems naming the file, never an exception?"""
    path = tmp_path_factory.mktemp("fuzz") / "bytes.yaml"
    path.write_bytes(data)
    for problem in validate_bank(path):
        assert problem.path == str(path)


INVISIBLE = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])


@settings(max_examples=40, deadline=None)
@given(word=st.text(alphabet=st.characters(categories=["Lu", "Ll"]), min_size=1, max_size=12),
       hidden=INVISIBLE, at=st.integers(min_value=0, max_value=12))
def test_issue13_fuzz_invisible_characters_never_make_options_different(tmp_path_factory, word, hidden, at):
    """Wherever an invisible character hides in an option, is the option still a repeat of the plain one?"""
    twin = word[:at] + hidden + word[at:]
    path = tmp_path_factory.mktemp("twins") / "twins.yaml"
    path.write_text(bank_text(single([f'"{word}"', f'"{twin}"'])), encoding="utf-8")
    assert any("options[1]" in str(problem) for problem in validate_bank(path))


# --- libyaml and the pure-Python parser read alike ---------------------------------------------


def _shipped_yaml_files():
    from pathlib import Path

    data = Path(__file__).resolve().parents[1] / "data"
    return sorted([*data.glob("quizzes/*.yaml"), *data.glob("*.yaml")])


def test_libyaml_is_used_when_installed():
    """Is ruamel's libyaml parser available here, so banks are read at C speed (pyproject asks for it)?"""
    import ruamel.yaml.main

    assert ruamel.yaml.main.CParser is not None


@pytest.mark.parametrize("path", _shipped_yaml_files(), ids=lambda p: p.name)
def test_libyaml_and_pure_parser_give_the_same_values_and_lines(path):
    """Does every shipped YAML file load to the same values, lines and issues with either parser?"""
    from backlessons import yamlfile

    text = path.read_text(encoding="utf-8")
    fast = yamlfile.load(text, path.name, key_lines=True)
    pure = yamlfile.load(text, path.name, key_lines=True, libyaml=False)
    assert fast.data == pure.data
    assert sorted(fast.starts.values()) == sorted(pure.starts.values())
    assert sorted(fast.ends.values()) == sorted(pure.ends.values())
    assert fast.key_lines == pure.key_lines and fast.issues == pure.issues


@pytest.mark.parametrize("text", [
    "a: [1, 2\nb: 3\n", "a: 'open\n", "a:\n\t- tab\n", "%YAML 1.2\n---\na: 1\n", "a: b: c\n", "key: \x07bell\n",
    "- a\nb: c\n",
])
def test_a_broken_file_gets_the_same_message_from_either_parser(text):
    """Is a syntax error worded and placed the same whether libyaml is installed or not?"""
    from backlessons import yamlfile

    outcomes = []
    for libyaml in (True, False):
        try:
            loaded = yamlfile.load(text, "bank.yaml", libyaml=libyaml)
            outcomes.append(("ok", loaded.data))
        except yamlfile.YamlFileError as err:
            outcomes.append(("error", str(err), err.line))
    assert outcomes[0] == outcomes[1]
