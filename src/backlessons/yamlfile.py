"""The one YAML loader for question banks and content files: YAML 1.2 rules, line numbers, hard limits.

Why not ``yaml.safe_load``: YAML 1.1 changes what an author typed (``5:30`` becomes
330, ``010`` becomes 8, ``yes`` becomes True), and a 355-byte file of nested aliases
("billion laughs") expands to billions of values. This module reads the event stream
of ruamel.yaml's parser (no recursion, so deep nesting cannot overflow the stack) and
builds plain Python values itself:

* **YAML 1.2 core schema.** Only ``null``/``~``, ``true``/``false``, decimal, ``0o``
  and ``0x`` integers and decimal floats are typed; everything else stays text. A number
  spelled in a non-canonical way (``010``, ``0.50``, ``+5``, ``1e3``) is a
  :class:`SpelledInt`/:class:`SpelledFloat`: a number to arithmetic, but ``str()``
  gives back exactly what was typed, so a text field keeps its text.
* **Limits** (:data:`MAX_BYTES`, :data:`MAX_DEPTH`, :data:`MAX_SCALAR_CHARS`,
  :data:`MAX_ALIAS_VALUES`): any input is read in time and memory proportional to
  its size, and breaking a limit is one :class:`YamlFileError` naming file and line.
* **Only plain data.** Tags other than the core ones (``!!binary``, ``!!set``,
  ``!!python/...``, local ``!tags``) are refused; aliases refer to the same object
  (nothing is copied), and an alias to a collection that is still open (a cycle) is refused.
* **Lines.** ``starts``/``ends`` give the first and last line of every mapping and
  list by ``id()``; on request (``key_lines=True``) ``key_lines`` gives the line of
  every mapping key by path, ``field_lines`` the line of each key of each mapping and
  ``item_lines`` the line of each entry of each list (by the collection's ``id()``).
* **Issues** that do not stop loading come back as :class:`Issue` for the caller to
  word: a key repeated in one mapping (``duplicate``), a bidirectional-override
  character in text (``bidi``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_SCALAR_CHARS",
    "MAX_ALIAS_VALUES",
    "BIDI_CONTROLS",
    "Issue",
    "Loaded",
    "SpelledFloat",
    "SpelledInt",
    "YamlFileError",
    "load",
    "read_text",
    "shorten",
]

MAX_BYTES = 10 * 1024 * 1024  # the largest shipped bank is about 30 kB
MAX_DEPTH = 64  # a bank needs about 6 levels (questions > case > parts > options > ...)
MAX_SCALAR_CHARS = 100_000  # a long case vignette is a few thousand
MAX_ALIAS_VALUES = 100_000  # values reached through aliases, counted as if copied out

# Characters that make text display in another order than it is stored ("Trojan Source").
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BIDI_SEARCH = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")

_CORE = "tag:yaml.org,2002:"
_NULL = re.compile(r"~|null|Null|NULL|")
_TRUE = re.compile(r"true|True|TRUE")
_FALSE = re.compile(r"false|False|FALSE")
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
_SHOWN = 40  # characters of a value quoted in a message


class YamlFileError(ValueError):
    """The file cannot be loaded: a syntax error (``syntax`` True) or a broken limit or rule."""

    def __init__(self, path: str, message: str, line: int | None = None, *, syntax: bool = False) -> None:
        self.path = path
        self.message = message
        self.line = line
        self.syntax = syntax
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


class SpelledInt(int):
    """An int typed in a non-canonical way (``010``, ``+5``, ``0x1F``); ``str()`` gives the text back."""

    text: str

    def __new__(cls, value: int, text: str) -> "SpelledInt":
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __str__(self) -> str:
        return self.text


class SpelledFloat(float):
    """A float typed in a non-canonical way (``0.50``, ``1e3``); ``str()`` gives the text back."""

    text: str

    def __new__(cls, value: float, text: str) -> "SpelledFloat":
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Issue:
    """Something wrong that did not stop loading. ``keys``: mapping keys from the top, as text."""

    kind: str  # "duplicate" or "bidi"
    keys: tuple[str, ...]
    line: int
    detail: str = ""


@dataclass
class Loaded:
    data: Any
    starts: dict[int, int] = field(default_factory=dict)  # id(mapping or list) -> first line
    ends: dict[int, int] = field(default_factory=dict)  # id(mapping or list) -> last line
    key_lines: dict[tuple[str, ...], int] = field(default_factory=dict)  # key path -> line (first seen)
    field_lines: dict[int, dict[str, int]] = field(default_factory=dict)  # id(mapping) -> key -> line (first seen)
    item_lines: dict[int, list[int]] = field(default_factory=dict)  # id(list) -> line of each entry
    issues: list[Issue] = field(default_factory=list)


def shorten(text: str, limit: int = _SHOWN) -> str:
    """*text* cut to *limit* characters, for a message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def read_text(source: Any, label: str) -> str:
    """UTF-8 text of a ``Path`` or ``Traversable``; YamlFileError before reading more than MAX_BYTES.

    UnicodeDecodeError and OSError pass through for the caller to word.
    """
    with source.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise YamlFileError(label, _too_large())
    return data.decode("utf-8")


def _too_large() -> str:
    return f"is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into smaller files"


@dataclass
class _Open:
    """A mapping or list being filled."""

    value: Any
    line: int
    anchor: str | None
    keys: tuple[str, ...]  # key path of this collection
    size: int = 1  # values inside, aliases counted as copied out
    key: Any = None  # a mapping's key waiting for its value
    key_line: int = 0
    has_key: bool = False
    merges: list[tuple[Any, int]] = field(default_factory=list)
    explicit: set[Any] = field(default_factory=set)


def _resolve_plain(text: str) -> Any:
    """A plain (unquoted, untagged) scalar under the YAML 1.2 core schema."""
    first = text[:1]
    if not first or first in "~nNtTfF":
        if _NULL.fullmatch(text):
            return None
        if _TRUE.fullmatch(text):
            return True
        if _FALSE.fullmatch(text):
            return False
        return text
    if not (first.isdigit() or first in "+-."):
        return text
    if _INT.fullmatch(text):
        number = int(text)
        return number if str(number) == text else SpelledInt(number, text)
    if _OCT.fullmatch(text):
        return SpelledInt(int(text[2:], 8), text)
    if _HEX.fullmatch(text):
        return SpelledInt(int(text[2:], 16), text)
    if _FLOAT.fullmatch(text):
        number = float(text)
        return number if repr(number) == text else SpelledFloat(number, text)
    if _INF.fullmatch(text):
        return SpelledFloat(float("-inf" if first == "-" else "inf"), text)
    if _NAN.fullmatch(text):
        return SpelledFloat(float("nan"), text)
    return text


def _tagged_scalar(tag: str, text: str) -> Any:
    """A scalar with an explicit core tag (``!!str 010``); ValueError names what is wrong."""
    kind = tag[len(_CORE):]
    if kind == "str":
        return text
    value = _resolve_plain(text)
    wanted = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}[kind]
    if isinstance(value, bool) and kind != "bool" or not isinstance(value, wanted):
        raise ValueError(f"{shorten(text)!r} is not a valid !!{kind}")
    return float(value) if kind == "float" else value


_SCALAR_TAGS = {f"{_CORE}{kind}" for kind in ("str", "int", "float", "bool", "null")}


def _tag_error(path: str, tag: str, line: int) -> YamlFileError:
    shown = "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag
    return YamlFileError(
        path, f"the tag {shorten(shown)} is not allowed: use plain text, numbers, lists and mappings", line
    )


def load(text: str, path: str, *, key_lines: bool = False, libyaml: bool = True) -> Loaded:
    """Load one YAML document from *text*; *path* labels the messages. Raises YamlFileError.

    The events come from libyaml's parser when ``ruamel.yaml.clib`` is installed (about
    twenty times faster than the pure-Python one, which a first quiz waits for), else
    from ruamel's own. A text that does not parse is read again by the pure-Python
    parser (*libyaml* False), so every syntax error is worded the same either way.
    """
    if len(text) > MAX_BYTES:  # characters, not bytes: text given directly is at least this big
        raise YamlFileError(path, _too_large())
    import ruamel.yaml
    from ruamel.yaml import events as ev

    result = Loaded(data=None)
    stack: list[_Open] = []
    anchors: dict[str, tuple[Any, int]] = {}  # name -> (value, size)
    open_anchors: set[str] = set()
    alias_values = 0
    documents = 0
    with_lines = key_lines

    def add(value: Any, size: int, line: int) -> None:
        """Put a finished value into the open collection (or make it the document)."""
        if not stack:
            result.data = value
            return
        top = stack[-1]
        top.size += size
        if isinstance(top.value, list):
            top.value.append(value)
            if with_lines:
                result.item_lines.setdefault(id(top.value), []).append(line)
            return
        if not top.has_key:
            if isinstance(value, (dict, list)):
                raise YamlFileError(path, "a mapping key must be a single value, not a list or mapping", line)
            top.key, top.key_line, top.has_key = value, line, True
            return
        key = top.key
        top.has_key = False
        if key == "<<" and not isinstance(key, bool):
            top.merges.append((value, top.key_line))
            return
        mapping = top.value
        if key in top.explicit:
            result.issues.append(Issue("duplicate", (*top.keys, str(key)), top.key_line))
        top.explicit.add(key)
        mapping[key] = value
        if with_lines:
            result.key_lines.setdefault((*top.keys, str(key)), top.key_line)
            result.field_lines.setdefault(id(mapping), {}).setdefault(str(key), top.key_line)

    def child_keys() -> tuple[str, ...]:
        if not stack:
            return ()
        top = stack[-1]
        return (*top.keys, str(top.key)) if isinstance(top.value, dict) and top.has_key else top.keys

    def close(event: Any) -> None:
        done = stack.pop()
        value = done.value
        if done.merges:
            _merge(path, value, done)
        end = event.end_mark
        # A block collection ends on the next token: at column 0 that token is on the next line.
        result.ends[id(value)] = end.line + 1 if end.column else end.line
        if done.anchor is not None:
            anchors[done.anchor] = (value, done.size)
            open_anchors.discard(done.anchor)
        add(value, done.size, done.line)

    def open_collection(event: Any, value: Any) -> None:
        line = event.start_mark.line + 1
        tag = event.tag
        expected = f"{_CORE}map" if isinstance(value, dict) else f"{_CORE}seq"
        if tag not in (None, "!", expected):
            raise _tag_error(path, tag, line)
        if len(stack) >= MAX_DEPTH:
            raise YamlFileError(path, f"is nested more than {MAX_DEPTH} levels deep", line)
        result.starts[id(value)] = line
        if event.anchor is not None:
            open_anchors.add(event.anchor)
        stack.append(_Open(value, line, event.anchor, child_keys()))

    parser = ruamel.yaml.YAML(typ="safe", pure=not libyaml)
    libyaml = libyaml and getattr(ruamel.yaml.main, "CParser", None) is not None
    try:
        for event in parser.parse(text):
            kind = type(event)
            if kind is ev.ScalarEvent:
                line = event.start_mark.line + 1
                value = event.value
                if len(value) > MAX_SCALAR_CHARS:
                    raise YamlFileError(
                        path, f"holds a text of {len(value):,} characters; the limit is {MAX_SCALAR_CHARS:,}", line
                    )
                tag = event.tag
                if tag is None:
                    plain = event.implicit[0] and not event.style
                    value = _resolve_plain(value) if plain else value
                elif tag == "!":
                    pass
                elif tag in _SCALAR_TAGS:
                    try:
                        value = _tagged_scalar(tag, value)
                    except ValueError as err:
                        raise YamlFileError(path, str(err), line) from None
                else:
                    raise _tag_error(path, tag, line)
                if isinstance(value, str) and _BIDI_SEARCH.search(value):
                    char = _BIDI_SEARCH.search(value).group()  # type: ignore[union-attr]
                    result.issues.append(Issue("bidi", child_keys(), line, f"U+{ord(char):04X}"))
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
                add(value, 1, line)
            elif kind is ev.MappingStartEvent:
                open_collection(event, {})
            elif kind is ev.SequenceStartEvent:
                open_collection(event, [])
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                close(event)
            elif kind is ev.AliasEvent:
                line = event.start_mark.line + 1
                name = event.anchor
                if name in open_anchors:
                    raise YamlFileError(path, f"the alias *{shorten(name)} refers to a value that contains it", line)
                if name not in anchors:
                    raise YamlFileError(path, f"the alias *{shorten(name)} has no anchor &{shorten(name)} before it", line)
                value, size = anchors[name]
                alias_values += size
                if alias_values > MAX_ALIAS_VALUES:
                    raise YamlFileError(
                        path,
                        f"its aliases (*name) expand to more than {MAX_ALIAS_VALUES:,} values; "
                        "write the values out instead",
                        line,
                    )
                add(value, size, line)
            elif kind is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlFileError(
                        path, "holds more than one YAML document (a second '---'); keep one", event.start_mark.line + 1
                    )
    except YamlFileError:
        raise
    except ruamel.yaml.error.YAMLError as err:
        if libyaml:
            return load(text, path, key_lines=key_lines, libyaml=False)
        if isinstance(err, ruamel.yaml.error.MarkedYAMLError):
            mark = err.problem_mark or err.context_mark
            raise _syntax_error(path, err, mark.line + 1 if mark else None) from None
        if isinstance(err, ruamel.yaml.reader.ReaderError):
            line = text.count("\n", 0, max(err.position, 0)) + 1
            char = f"{err.character:#06x}" if isinstance(err.character, int) else repr(err.character)
            raise YamlFileError(path, f"character {char} is not allowed", line, syntax=True) from None
        raise YamlFileError(path, shorten(str(err).splitlines()[0] if str(err) else "cannot be parsed", 200),
                            syntax=True) from None
    return result


def _syntax_error(path: str, err: Any, line: int | None) -> YamlFileError:
    problem = err.problem or err.context or "cannot be parsed"
    error = YamlFileError(path, problem, line, syntax=True)
    # Kept for callers that point at where an unclosed bracket was opened.
    error.context = err.context if err.problem else None  # type: ignore[attr-defined]
    error.context_line = err.context_mark.line + 1 if err.context_mark else None  # type: ignore[attr-defined]
    return error


def _merge(path: str, mapping: dict[Any, Any], done: _Open) -> None:
    """Apply ``<<: *base`` merge keys: keys written in the mapping win over merged ones."""
    for value, line in done.merges:
        sources = value if isinstance(value, list) else [value]
        for source in sources:
            if not isinstance(source, dict):
                raise YamlFileError(path, "a merge key '<<' needs a mapping or a list of mappings", line)
            for key, item in source.items():
                if key not in done.explicit:
                    mapping.setdefault(key, item)
