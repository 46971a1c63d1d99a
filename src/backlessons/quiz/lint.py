"""Item-writing checks for question banks (``backlessons lint``).

Validation (:mod:`backlessons.quiz.bank`) says whether a bank *works*; lint says
whether its items are likely to tell a learner who understands from one who does
not. The rules follow the multiple-choice item-writing guidelines of Haladyna,
Downing & Rodriguez (2002, Appl Meas Educ 15:309) as the course applies them
(``docs/question-bank.md`` lists every rule with its thresholds).

Each rule is a small function with an id in :data:`RULES`; it receives one
question (a case part is a question too) and the bank, and yields
``(field, message)`` pairs. Rules read the fields a question has (``options``,
``pairs``, ``ranges``, ``tolerance`` …), never its type name, so a new question type
with options is checked like single and multiple. The runner turns those into :class:`LintWarning`
lines ``file:line: question id: field: rule: message``, the line being that of
the field itself, found in the YAML node tree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from backlessons import yamlfile
from backlessons.errors import ContentError, Problem
from backlessons.quiz.model import Bank, Question, Reference

__all__ = [
    "LintWarning",
    "Rule",
    "RULES",
    "lint_bank",
    "lint_paths",
    "LONGEST_RATIO",
    "LONGEST_MIN_EXTRA",
    "MIN_OPTIONS",
    "MIN_QUOTED_WORDS",
    "TOLERANCE_SHARE_OF_ANSWER",
    "TOLERANCE_SHARE_OF_GAP",
]

# "Markedly the longest": at least 1.4 times and at least 12 characters longer than the
# longest wrong option (Markdown markers not counted). Both, so "Yes"/"No" never trip it.
LONGEST_RATIO = 1.4
LONGEST_MIN_EXTRA = 12
# Three good options are enough (Haladyna et al. 2002); two leave a coin toss.
MIN_OPTIONS = 3
# A tolerance wider than half the answer, or than half the gap to the nearest range of
# typical wrong answers, accepts answers the item means to reject.
TOLERANCE_SHARE_OF_ANSWER = 0.5
TOLERANCE_SHARE_OF_GAP = 0.5
# A right option quoted in a wrong option's feedback or the hint gives it away; shorter
# right options ("Yes", "Rest") are too common as words to count as quoted.
MIN_QUOTED_WORDS = 3

_ALL_NONE = re.compile(r"\b(?:all|none|both|neither)\s+of\s+(?:the\s+)?(?:above|these|them|the\s+options)\b", re.I)
_ABSOLUTES = re.compile(r"\b(?:always|never|only|all|none|every|everyone|everything|everybody)\b", re.I)
_OF_ALL = re.compile(r"\bof\s+all\b", re.I)  # "half of all runners" counts, it is no absolute
_NEGATIVES = re.compile(r"\b(?:not|except|never|cannot|none|least)\b|\b\w+n['\u2019]t\b", re.I)
_AT_LEAST = re.compile(r"\bat\s+least\b", re.I)
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__", re.S)
_MARKUP = re.compile(r"[*_`]")
_NUMBER = re.compile(r"(?<![\w.,])[-\u2212]?\d+(?:[.,]\d+)?(?![\d])")
_BRACKET_KEY = re.compile(r"\[([a-z0-9_]+)\]")
_NAME_YEAR = re.compile(
    r"(?P<name>[A-Z][\w'\u2019-]+)"  # first author (or group) name
    r"(?:\s+et\s+al\.?|\s*(?:&|and)\s+[A-Z][\w'\u2019-]+)?"  # et al. / & second author
    r",?\s*\(?\s*(?P<year>(?:18|19|20)\d\d)[a-z]?\b"
)
_CODE = re.compile(r"\b[A-Z]{2,}\d+\b")


@dataclass(frozen=True)
class LintWarning:
    """One item-writing warning; ``str()`` is the line ``backlessons lint`` prints."""

    path: str
    line: int | None
    where: str
    field: str
    rule: str
    message: str

    def __str__(self) -> str:
        location = f"{self.path}:{self.line}" if self.line else self.path
        parts = [location] + [part for part in (self.where, self.field, self.rule) if part]
        return ": ".join(parts + [self.message])


@dataclass
class _Item:
    """A question or case part as the rules see it."""

    question: Question
    where: str  # "question q1" or "question case/part"
    top: str  # id of the top-level question it belongs to
    node: _Node | None  # its mapping in the file, for line numbers
    sources: tuple[str, ...]  # its own, or for a part the case's too


@dataclass
class _BankView:
    bank: Bank
    items: list[_Item]
    references: Mapping[str, Reference | Mapping[str, str]]
    # value that gives an answer away → the numeric items it belongs to (a dict: lookups stay
    # constant-time however many items a bank has)
    numeric_answers: dict[float, list[_Item]] = field(default_factory=dict)
    citations: _CitationIndex = field(init=False)
    tops: dict[str, Question] = field(init=False)  # top-level question by id: a case part follows its case's reveal

    def __post_init__(self) -> None:
        self.citations = _CitationIndex.build(self.references)
        self.tops = {question.id: question for question in self.bank.questions}
        for item in self.items:
            if hasattr(item.question, "tolerance"):  # a numeric answer
                answer = float(item.question.answer)  # type: ignore[attr-defined]
                ignored = getattr(item.question, "direction", "matters") == "ignored"
                for value in {answer, abs(answer)} if ignored else {answer}:
                    self.numeric_answers.setdefault(value + 0.0, []).append(item)  # + 0.0: -0.0 is 0.0


Finding = tuple[str, str]


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    check: Callable[[_Item, _BankView], Iterable[Finding]] = field(repr=False)


RULES: dict[str, Rule] = {}


def _rule(rule_id: str, summary: str) -> Callable[[Callable[[_Item, _BankView], Iterable[Finding]]], Any]:
    def register(func: Callable[[_Item, _BankView], Iterable[Finding]]) -> Any:
        RULES[rule_id] = Rule(rule_id, summary, func)
        return func

    return register


# --- text helpers ------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Text without Markdown markers and with single spaces: what a reader compares."""
    return " ".join(_MARKUP.sub("", text).split())


def _norm(text: str) -> str:
    """Lower case, no accents, no punctuation at word edges: for containment tests."""
    folded = unicodedata.normalize("NFKD", _plain(text)).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.findall(r"[a-z0-9%]+(?:[.,'][a-z0-9]+)*", folded))


def _contains_words(longer: str, shorter: str) -> bool:
    return f" {shorter} " in f" {longer} "


def _options(question: Question) -> Sequence[Any]:
    return getattr(question, "options", ())


def _option_letter(index: int) -> str:
    from backlessons.markup import letter

    return letter(index)


# --- the rules ---------------------------------------------------------------------------------


@_rule("all-none-of-the-above", "an option reads 'all of the above', 'none of the above' or the like")
def _all_none(item: _Item, _bank: _BankView) -> Iterator[Finding]:
    for index, option in enumerate(_options(item.question)):
        found = _ALL_NONE.search(_plain(option.text))
        if found:
            yield (f"options[{index}].text",
                   f"{found.group(0)!r} lets a learner answer from two options without knowing the third; "
                   "write a real option instead")


def _absolute_words(text: str) -> list[str]:
    """Absolutes in *text*, leaving out those the all/none-of-the-above rule reports and 'of all'."""
    rest = _OF_ALL.sub(" ", _ALL_NONE.sub(" ", _plain(text)))
    return sorted({word.casefold() for word in _ABSOLUTES.findall(rest)})


@_rule("absolute-in-wrong-option", "a wrong option (or a false true/false statement) uses always, never, only, all, none, every")
def _absolutes(item: _Item, _bank: _BankView) -> Iterator[Finding]:
    question = item.question
    for index, option in enumerate(_options(question)):
        if option.correct:
            continue
        words = _absolute_words(option.text)
        if words:
            yield (f"options[{index}].text",
                   f"wrong option says {', '.join(words)}: learners rule out absolutes without knowing the "
                   "content; state the misconception as people hold it")
    if getattr(question, "answer", None) is False:  # a statement that is false
        words = _absolute_words(question.prompt)
        if words:
            yield ("prompt", f"false statement says {', '.join(words)}: an absolute gives 'false' away; "
                             "state the misconception as people hold it")


@_rule("longest-correct-option",
       f"the correct option is markedly the longest (at least {LONGEST_RATIO}x and {LONGEST_MIN_EXTRA} characters "
       "longer than every wrong option)")
def _longest(item: _Item, _bank: _BankView) -> Iterator[Finding]:
    options = _options(item.question)
    right = [(i, len(_plain(o.text))) for i, o in enumerate(options) if o.correct]
    wrong = [len(_plain(o.text)) for o in options if not o.correct]
    if not right or not wrong:
        return
    longest_wrong = max(wrong)
    shortest_right = min(length for _, length in right)
    if shortest_right >= LONGEST_RATIO * longest_wrong and shortest_right - longest_wrong >= LONGEST_MIN_EXTRA:
        index = min(right, key=lambda pair: pair[1])[0]
        yield (f"options[{index}].text",
               f"the correct option ({shortest_right} characters) is much longer than every wrong one "
               f"(at most {longest_wrong}); test-wise learners pick the longest, so even out the lengths")


def _unemphasised_negatives(text: str) -> list[str]:
    outside = _AT_LEAST.sub(" ", _BOLD.sub(" ", text))
    return sorted({word for word in _NEGATIVES.findall(_plain(outside))}, key=str.casefold)


@_rule("negative-stem", "the prompt uses a negative (not, except, never, cannot, none, least, n't) that is not in bold")
def _negative_stem(item: _Item, _bank: _BankView) -> Iterator[Finding]:
    words = _unemphasised_negatives(item.question.prompt)
    if words:
        yield ("prompt", f"negative {', '.join(repr(w) for w in words)} is easy to miss; ask the question "
                         "positively, or put the negative in bold (**NOT**)")


@_rule("overlapping-options", "one option's text is contained in another's, or an option repeats the prompt")
def _overlap(item: _Item, _bank: _BankView) -> Iterator[Finding]:
    options = _options(item.question)
    texts = [_norm(o.text) for o in options]
    prompt = _norm(item.question.prompt)
    for j, longer in enumerate(texts):
        for i, shorter in enumerate(texts):
            if i != j and shorter and len(shorter) < len(longer) and _contains_words(longer, shorter):
                yield (f"options[{j}].text",
                       f"contains option {_option_letter(i)} ({options[i].text.strip()!r}): overlapping options "
                       "can both be right, or point at the answer")
                break
        if len(longer.split()) >= 3 and _contains_words(prompt, longer):
            yield (f"options[{j}].text", "repeats words of the prompt word for word: it points at itself")


@_rule("too-few-options", f"a single or multiple question with fewer than {MIN_OPTIONS} options, or a matching "
                          f"question with fewer than {MIN_OPTIONS} right-hand choices")
def _too_few(item: _Item, _bank: _BankView) -> Iterator[Finding]:
    question = item.question
    options = _options(question)
    if options and len(options) < MIN_OPTIONS:
        yield ("options", f"{len(options)} options: a guess is right too often; add a wrong option that "
                          "names a real misconception")
    if hasattr(question, "right_options"):  # matching
        rights = len(question.right_options)  # type: ignore[attr-defined]
        if rights < MIN_OPTIONS:
            yield ("pairs", f"{rights} right-hand choices: the last match is free; add a pair or a distractor")


@_rule("missing-feedback", "an option, a matching pair, or a numeric question (no ranges) without feedback")
def _missing_feedback(item: _Item, _bank: _BankView) -> Iterator[Finding]:
    question = item.question
    for index, option in enumerate(_options(question)):
        if not option.feedback.strip():
            kind = "right" if option.correct else "wrong"
            yield (f"options[{index}].feedback",
                   f"the {kind} option {_option_letter(index)} has no feedback: say why it is {kind}")
    for index, pair in enumerate(getattr(question, "pairs", ())):
        if not pair.feedback.strip():
            yield (f"pairs[{index}].feedback", "no feedback for a wrong match of this item")
    if hasattr(question, "tolerance") and not getattr(question, "ranges", ()):
        yield ("ranges", "no ranges: a wrong number gets no feedback; add ranges for the typical mistakes")


@_rule("tolerance-too-wide",
       f"a numeric tolerance over {TOLERANCE_SHARE_OF_ANSWER:g} x |answer|, or at least "
       f"{TOLERANCE_SHARE_OF_GAP:g} x the gap between the answer and the nearest range")
def _tolerance(item: _Item, _bank: _BankView) -> Iterator[Finding]:
    question = item.question
    if not hasattr(question, "tolerance"):
        return
    answer = float(question.answer)  # type: ignore[attr-defined]
    margin = question.tolerance.margin(answer)  # type: ignore[attr-defined]
    if margin == 0:
        return
    if answer and margin > TOLERANCE_SHARE_OF_ANSWER * abs(answer):
        yield ("tolerance", f"accepts {answer:g} ± {margin:g}, more than half the answer: answers that mean "
                            "something else count as right")
        return
    gaps = []
    for index, numeric_range in enumerate(question.ranges):  # type: ignore[attr-defined]
        low = numeric_range.low if numeric_range.low is not None else float("-inf")
        high = numeric_range.high if numeric_range.high is not None else float("inf")
        gap = max(low - answer, answer - high, 0.0)
        gaps.append((gap, index))
    if gaps:
        gap, index = min(gaps)
        if margin >= TOLERANCE_SHARE_OF_GAP * gap:
            yield ("tolerance", f"accepts {answer:g} ± {margin:g}, but ranges[{index}] (feedback for a typical "
                                f"mistake) is only {gap:g} away: narrow the tolerance or move the range")


@dataclass
class _CitationIndex:
    """How each reference can be cited: (first author or acronym, year) and codes (NG59) → keys."""

    by_name_year: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    by_code: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, references: Mapping[str, Any]) -> _CitationIndex:
        index = cls()
        for key, ref in references.items():
            authors, year, note = _ref_field(ref, "authors"), _ref_field(ref, "year"), _ref_field(ref, "note")
            first = authors.split()[0] if authors.split() else ""
            for name in {first, *_particle_surname(authors), *re.findall(r"\(([A-Z]{2,})\)", authors)}:
                if name:
                    index.by_name_year.setdefault((_norm(name), year), set()).add(key)
            for code in _CODE.findall(note):
                index.by_code.setdefault(code, set()).add(key)
        return index


def _particle_surname(authors: str) -> list[str]:
    """The capitalised words of a surname that starts with a particle ('da Silva T' → Silva;
    'da C Menezes Costa L' → Menezes, Costa), so 'da Silva 2019' and 'Menezes Costa 2012' are
    recognised as citations. Initials (one to three capitals) are skipped; other authors never count."""
    words = re.split(r"\s+(?:et\s+al\b|&|and)\s*", authors, maxsplit=1)[0].split()
    if not words or not words[0][:1].islower():
        return []
    return [w for w in words[1:] if w[:1].isupper() and not re.fullmatch(r"[A-Z]{1,3}\.?", w)]


def _cited_keys(text: str, index: _CitationIndex) -> set[str]:
    """Reference keys *text* cites: ``[key]``, 'Name (year)' / 'Name et al. year', or a code such as NG59."""
    keys = set(_BRACKET_KEY.findall(text))
    plain = _plain(text)
    for match in _NAME_YEAR.finditer(plain):
        keys |= index.by_name_year.get((_norm(match.group("name")), match.group("year")), set())
    for code in _CODE.findall(plain):
        keys |= index.by_code.get(code, set())
    return keys


def _ref_field(ref: Any, name: str) -> str:
    value = ref.get(name, "") if isinstance(ref, Mapping) else getattr(ref, name, "")
    text = "" if value is None else str(value)
    return "" if text in ("nan", "<NA>") else text.strip()


def _texts_with_citations(question: Question) -> Iterator[tuple[str, str]]:
    yield "explanation", question.explanation
    yield "hint", question.hint
    for index, option in enumerate(_options(question)):
        yield f"options[{index}].feedback", option.feedback
    for name in ("feedback_true", "feedback_false"):
        if hasattr(question, name):
            yield name, getattr(question, name)
    for index, pair in enumerate(getattr(question, "pairs", ())):
        yield f"pairs[{index}].feedback", pair.feedback
    for index, numeric_range in enumerate(getattr(question, "ranges", ())):
        yield f"ranges[{index}].feedback", numeric_range.feedback


@_rule("cites-unlisted-source", "the explanation or a feedback cites a reference the item's sources do not list")
def _unlisted(item: _Item, bank: _BankView) -> Iterator[Finding]:
    listed = set(item.sources)
    for name, text in _texts_with_citations(item.question):
        if not text:
            continue
        missing = sorted(_cited_keys(text, bank.citations) - listed)
        if missing:
            yield (name, f"cites {', '.join(missing)}, which sources does not list; add "
                         f"{'it' if len(missing) == 1 else 'them'} to sources")


def _shown_before_check(question: Question) -> Iterator[tuple[str, str]]:
    """(field, text) a learner reads before answering: where a number gives another item away."""
    yield "prompt", question.prompt
    if hasattr(question, "vignette"):
        yield "vignette", question.vignette  # type: ignore[attr-defined]
    for index, option in enumerate(_options(question)):
        yield f"options[{index}].text", option.text
    for index, pair in enumerate(getattr(question, "pairs", ())):
        yield f"pairs[{index}].left", pair.left
        yield f"pairs[{index}].right", pair.right
    for index, text in enumerate(getattr(question, "distractors", ())):
        yield f"distractors[{index}]", text
    for index, text in enumerate(getattr(question, "items", ())):
        yield f"items[{index}]", text


def _numbers(text: str) -> set[float]:
    values = set()
    for token in _NUMBER.findall(_plain(text)):
        try:
            values.add(float(token.replace("\u2212", "-").replace(",", ".")))
        except ValueError:
            continue
    return values


@_rule("answer-in-other-item", "a numeric answer appears in another item's prompt, options or other text shown before Check")
def _answer_elsewhere(item: _Item, bank: _BankView) -> Iterator[Finding]:
    if not bank.numeric_answers:
        return
    for name, text in _shown_before_check(item.question):
        # Typed numbers parse to the same float as YAML's (0.30 and 0.3 alike), so equality is exact.
        others = {id(other): other for value in _numbers(text) for other in bank.numeric_answers.get(value + 0.0, ())
                  if other.top != item.top}
        for other in others.values():
            answer = float(other.question.answer)  # type: ignore[attr-defined]
            line = _line(other.node, "answer")
            at = f" (line {line})" if line else ""
            yield (name, f"shows {answer:g}, the answer of {other.where}{at}: a learner can copy it from here")


def _answer_values(question: Question) -> set[float]:
    """The values that give a numeric question's answer away: the answer, and its size when the sign is ignored."""
    answer = float(question.answer)  # type: ignore[attr-defined]
    ignored = getattr(question, "direction", "matters") == "ignored"
    return {v + 0.0 for v in ({answer, abs(answer)} if ignored else {answer})}  # + 0.0: -0.0 is 0.0


def _revealed_at_first_check(item: _Item, bank: _BankView) -> bool:
    """Does the explanation, with the answer, come with the first Check anyway (nothing to give away)?"""
    rule = bank.tops.get(item.top, item.question).reveal  # a case part follows its case's rule
    return rule.after == "always" or (rule.after == "tries" and rule.tries == 1)


@_rule("answer-in-own-feedback",
       "a numeric answer appears in its own hint or range feedback, shown after a wrong try before the reveal")
def _answer_in_own_feedback(item: _Item, bank: _BankView) -> Iterator[Finding]:
    if not hasattr(item.question, "tolerance") or _revealed_at_first_check(item, bank):
        return
    values = _answer_values(item.question)
    answer = float(item.question.answer)  # type: ignore[attr-defined]
    texts = [("hint", item.question.hint)] + [(f"ranges[{index}].feedback", numeric_range.feedback)
                                              for index, numeric_range in enumerate(getattr(item.question, "ranges", ()))]
    for name, text in texts:
        if text and _numbers(text) & values:
            yield (name, f"shows {answer:g}, the answer, after a wrong try and before the reveal: "
                         "say what went wrong, not the number")


@_rule("answer-in-wrong-feedback",
       f"a right option's text ({MIN_QUOTED_WORDS} words or more) appears in a wrong option's feedback or the hint, "
       "shown after a wrong try before the reveal")
def _answer_in_wrong_feedback(item: _Item, bank: _BankView) -> Iterator[Finding]:
    options = _options(item.question)  # options, not the type name: single, multiple and new choice types alike
    if not options or _revealed_at_first_check(item, bank):
        return
    right = [(index, _norm(option.text)) for index, option in enumerate(options) if option.correct]
    right = [(index, text) for index, text in right if len(text.split()) >= MIN_QUOTED_WORDS]
    if not right:
        return
    texts = [("hint", item.question.hint)] + [(f"options[{index}].feedback", option.feedback)
                                              for index, option in enumerate(options) if not option.correct]
    for name, text in texts:
        said = _norm(text) if text else ""
        for index, right_text in right:
            if said and _contains_words(said, right_text):
                yield (name, f"quotes the right option {_option_letter(index)} ({options[index].text.strip()!r}), "
                             "shown after a wrong try before the reveal: name the misconception and the evidence, "
                             "not the answer")


# --- running ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    """A mapping of the bank file and the lines the loader recorded for it and its fields."""

    value: dict[Any, Any]
    loaded: yamlfile.Loaded

    def child(self, key: str, index: int) -> _Node | None:
        """The *index*-th mapping of the list under *key* (a question's part), if it is one."""
        entries = self.value.get(key)
        entry = entries[index] if isinstance(entries, list) and index < len(entries) else None
        return _Node(entry, self.loaded) if isinstance(entry, dict) else None


def _line(node: _Node | None, path: str) -> int | None:
    """The line of field *path* ("options[2].text") under mapping *node*; its nearest present parent otherwise."""
    if node is None:
        return None
    lines = node.loaded
    best = lines.starts.get(id(node.value))
    current: Any = node.value
    for step in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if step.startswith("["):
            index = int(step[1:-1])
            if not isinstance(current, list) or index >= len(current):
                break
            entry_lines = lines.item_lines.get(id(current), [])
            best = entry_lines[index] if index < len(entry_lines) else best
            current = current[index]
        else:
            if not isinstance(current, dict) or step not in current:
                break
            best = lines.field_lines.get(id(current), {}).get(step, best)  # `options:` itself, not its first entry
            current = current[step]
    return best


def _items(bank: Bank, loaded: yamlfile.Loaded) -> list[_Item]:
    entries = loaded.data.get("questions") if isinstance(loaded.data, dict) else None
    nodes = [_Node(entry, loaded) if isinstance(entry, dict) else None
             for entry in (entries if isinstance(entries, list) else [])]
    items: list[_Item] = []
    for index, question in enumerate(bank.questions):
        node = nodes[index] if index < len(nodes) else None
        items.append(_Item(question, f"question {question.id}", question.id, node, question.sources))
        for part_index, part in enumerate(getattr(question, "parts", ()) or ()):
            part_node = node.child("parts", part_index) if node is not None else None
            sources = tuple(dict.fromkeys((*part.sources, *question.sources)))
            items.append(_Item(part, f"question {question.id}/{part.id}", question.id, part_node, sources))
    return items


def _shipped_references() -> dict[str, Mapping[str, str]]:
    from backlessons import content

    try:
        frame = content.references()
    except ContentError:  # references.csv has problems: cite-checks see only the bank's own references
        return {}
    return {str(key): {name: str(row.get(name, "")) for name in ("authors", "year", "note")}
            for key, row in frame.iterrows()}


def lint_bank(lesson_or_path: str | Path, *, rules: Iterable[str] | None = None,
              shipped_references: Mapping[str, Any] | None = None) -> tuple[list[LintWarning], list[Problem]]:
    """(warnings, problems) for one bank: a path or a shipped lesson id.

    A bank that does not validate gets its problems and no warnings (lint reads valid banks).
    *rules* limits the check to those rule ids.
    """
    from backlessons.quiz.bank import bank_source, read_bank

    # One read: the loader gives the bank and the line of each field.
    bank, problems, loaded = read_bank(lesson_or_path, key_lines=True)
    if problems or bank is None or loaded is None:
        return [], problems
    label = bank_source(lesson_or_path)[0]
    references: dict[str, Any] = dict(_shipped_references() if shipped_references is None else shipped_references)
    references.update({ref.key: ref for ref in bank.references})
    view = _BankView(bank, _items(bank, loaded), references)
    chosen = [RULES[rule_id] for rule_id in (rules or RULES)]
    warnings = []
    for item in view.items:
        for rule in chosen:
            for field_name, message in rule.check(item, view):
                warnings.append(LintWarning(label, _line(item.node, field_name), item.where, field_name, rule.id,
                                            message))
    warnings.sort(key=lambda w: (w.line or 0, list(RULES).index(w.rule)))
    return warnings, []


def lint_paths(paths: Iterable[str | Path] | None = None) -> tuple[list[LintWarning], list[Problem]]:
    """Lint bank files, folders of them, or (no paths) every shipped bank."""
    from backlessons.quiz.bank import shipped_banks

    given = list(paths or ())
    targets: list[str | Path] = []
    problems: list[Problem] = []
    if not given:
        targets = list(shipped_banks())
    for entry in given:
        folder = Path(entry)
        if folder.is_dir():
            banks = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
            if not banks:
                problems.append(Problem(str(entry), "", "", "folder holds no .yaml banks"))
            targets += banks
        else:
            targets.append(entry)
    shipped = _shipped_references()
    warnings: list[LintWarning] = []
    for target in targets:
        found, broken = lint_bank(target, shipped_references=shipped)
        warnings += found
        problems += broken
    return warnings, problems
