"""YAML text -> plain data and the line of every value, with bounded work and plain words.

Scenario and orders files are read here. The text is turned into parser *events* (by
libyaml through PyYAML's C parser when it is installed, else by ruamel.yaml's pure-Python
parser: both are iterative, so deep nesting cannot overflow a stack) and the events are
built into plain dicts, lists and scalars by ``_Builder`` without recursion:

* nothing is ever constructed from a tag: any tag other than YAML's plain scalar and
  collection ones is a problem, so nothing in a file can run code;
* values are counted while building, an alias counting the full size of what it repeats,
  and nesting depth is tracked: a 559-byte "billion laughs" alias bomb or ``[`` repeated
  100,000 times is refused at once (``wargame.limits``);
* plain scalars are resolved by YAML 1.2 rules (ruamel.yaml's table: ``no`` and ``on``
  stay text, as they always did in scenario files);
* duplicate keys, empty (null) keys and unknown aliases are problems, never silently
  dropped;
* syntax errors are said in plain words, at the place to fix (an unclosed quote is
  reported where it opens, not where the parser gave up).
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from wargame.limits import MAX_NESTING, MAX_YAML_VALUES

Path_ = tuple[Any, ...]

_YAML_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ, _MERGE = (_YAML_TAG + k for k in ("str", "map", "seq", "merge"))
_SCALAR_KINDS = {"int", "float", "bool", "null"}

__all__ = ["Problem", "Positions", "ParsedYaml", "parse_yaml", "yaml_events", "Path_"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file; line and col are 1-based (0 = position unknown)."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class Positions(dict):
    """(line, col) by path: of a value (scalars) or of its key; ``.keys`` always of the key."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: dict[Path_, tuple[int, int]] = {}


@dataclass
class ParsedYaml:
    """What ``parse_yaml`` found. ``fatal``: the data cannot be used at all (a syntax error,
    a limit reached). ``tainted``: paths whose value was refused (kept as None), so later
    checks do not report the same place again."""

    data: Any
    positions: Positions
    problems: list[Problem]
    fatal: bool = False
    tainted: set[Path_] = field(default_factory=set)
    empty: bool = False  # no value at all (only comments, or nothing)


# --------------------------------------------------------------------------- events


try:
    from yaml import CBaseLoader as _CParser
except ImportError:  # PyYAML without libyaml (or without PyYAML): ruamel's parser below
    _CParser = None


def _c_parser() -> Any:
    return _CParser


def yaml_events(text: str) -> Iterator[Any]:
    """Parser events of ``text``, from libyaml when available. Raises the parser's
    ``MarkedYAMLError``/``YAMLError`` (PyYAML's or ruamel's: the same attributes)."""
    loader_class = _c_parser()
    if loader_class is not None:
        loader = loader_class(text)
        try:
            while loader.check_event():
                yield loader.get_event()
        finally:
            loader.dispose()
        return
    from ruamel.yaml import YAML

    yield from YAML(typ="safe", pure=True).parse(text)


def _yaml_errors() -> tuple[type[BaseException], ...]:
    from ruamel.yaml.error import YAMLError as RuamelError
    from ruamel.yaml.reader import ReaderError as RuamelReaderError

    errors: list[type[BaseException]] = [RuamelError, RuamelReaderError]
    try:
        from yaml import YAMLError
        from yaml.reader import ReaderError

        errors += [YAMLError, ReaderError]
    except ImportError:  # pragma: no cover - PyYAML is a dependency
        pass
    return tuple(errors)


# YAML 1.2 implicit resolvers (ruamel.yaml's table for version 1.2, copied so that the fast
# path does not import ruamel): tag and pattern by first character of a plain scalar.
_IMPLICIT_1_2 = (
    ("bool", "tTfF", r"^(?:true|True|TRUE|false|False|FALSE)$"),
    ("float", "-+0123456789.", r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$"""),
    ("int", "-+0123456789", r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$"""),
    ("merge", "<", r"^(?:<<)$"),
    ("null", "~nN", r"^(?:~|null|Null|NULL|)$"),
    ("timestamp", "0123456789", r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$"""),
    ("value", "=", r"^(?:=)$"),
)


@functools.lru_cache(maxsize=1)
def _resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for kind, first, pattern in _IMPLICIT_1_2:
        compiled = re.compile(pattern, re.X)
        for char in first:
            table.setdefault(char, []).append((_YAML_TAG + kind, compiled))
    table.setdefault("", []).append((_YAML_TAG + "null", re.compile(r"^$")))
    return table


def _resolve_plain(value: str) -> str:
    for tag, regexp in _resolvers().get(value[:1], ()):
        if regexp.match(value):
            return tag
    return _STR


def _construct(kind: str, value: str, explicit: bool) -> Any:
    """An int/float/bool/null scalar by YAML 1.2 rules (``1_000``, ``0x1f``, ``0o17``,
    ``.inf``, ``~``), as ruamel.yaml reads them; raises ValueError when an explicit tag
    does not fit (``!!int abc``)."""
    if explicit and _resolve_plain(value) != _YAML_TAG + kind and not (
            kind == "float" and _resolve_plain(value) == _YAML_TAG + "int"):
        raise ValueError(f"not a YAML {kind}")
    if kind == "null":
        return None
    if kind == "bool":
        return value.lower() == "true"
    text = value.replace("_", "")
    sign = -1 if text[:1] == "-" else 1
    if text[:1] in ("-", "+"):
        text = text[1:]
    if kind == "int":
        for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
            if text[:2].lower() == prefix:
                return sign * int(text[2:], base)
        return sign * int(text)
    lowered = text.lower()
    if lowered == ".inf":
        return sign * math.inf
    if lowered == ".nan":
        return math.nan
    return sign * float(text)


def _too_deep(limit: int) -> str:
    return (f"lists and mappings are nested more than {limit} levels deep here; a real file "
            "needs far fewer: check for unclosed brackets")


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML_TAG):] if tag.startswith(_YAML_TAG) else tag


def _tag_refused(tag: str) -> str:
    return f"tag '{_short_tag(tag)}' is not allowed (only plain YAML values)"


# --------------------------------------------------------------------------- building


class _LimitReached(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


@dataclass
class _Anchor:
    value: Any
    size: int  # values it stands for (each use of the alias counts them all)
    pos: tuple[int, int]


@dataclass
class _Frame:
    """An open list or mapping."""

    is_map: bool
    path: Path_
    pos: tuple[int, int]
    anchor: str | None
    start_count: int
    refused: bool  # its tag was refused: built, then dropped
    value: Any
    # mappings: the key waiting for its value, and bookkeeping
    key: Any = None
    key_pos: tuple[int, int] | None = None
    key_state: str = "key"  # "key": next is a key; "value": next is its value
    key_skip: bool = False  # this key's value is dropped (bad/duplicate key)
    key_merge: bool = False
    first_seen: dict[Any, int] = field(default_factory=dict)
    merges: list[tuple[Any, tuple[int, int]]] = field(default_factory=list)


class _Builder:
    """Builds plain data from parser events, with positions, limits and problems."""

    def __init__(self, filename: str, max_values: int, max_depth: int):
        self.filename = filename
        self.max_values = max_values
        self.max_depth = max_depth
        self.positions = Positions()
        self.problems: list[Problem] = []
        self.tainted: set[Path_] = set()
        self.anchors: dict[str, _Anchor] = {}
        self.open_anchors: set[str] = set()
        self.stack: list[_Frame] = []
        self.count = 0
        self.root: Any = None
        self.root_pos: tuple[int, int] = (1, 1)
        self.documents = 0

    # ---- helpers
    def problem(self, pos: tuple[int, int], message: str) -> None:
        self.problems.append(Problem(self.filename, pos[0], pos[1], message))

    def _count(self, n: int, pos: tuple[int, int]) -> None:
        self.count += n
        if self.count > self.max_values:
            raise _LimitReached(Problem(
                self.filename, pos[0], pos[1],
                f"the file expands to more than {self.max_values:,} values (through "
                "&anchors and *aliases, or sheer size); a real file needs far fewer: "
                "remove the alias chain (an 'alias bomb'?) or split the file"))

    def _child_path(self) -> Path_:
        """Where the next value goes (under ``_NOWHERE``: a key, or a dropped value)."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if not top.is_map:
            return top.path + (len(top.value),)
        if top.key_state == "key" or top.key_skip:
            return top.path + (_NOWHERE,)
        if top.key_merge:
            return top.path + ("<<",)
        return top.path + (top.key,)

    # ---- events
    def feed(self, event: Any) -> None:
        kind = type(event).__name__
        if kind == "ScalarEvent":
            self.scalar(event)
        elif kind in ("MappingStartEvent", "SequenceStartEvent"):
            self.start(event, kind == "MappingStartEvent")
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            frame = self.stack.pop()
            if frame.anchor is not None:
                self.open_anchors.discard(frame.anchor)
            value = frame.value
            if frame.is_map:
                self._apply_merges(frame)
            size = self.count - frame.start_count
            if frame.refused:
                value = None
            if frame.anchor is not None:
                self.anchors[frame.anchor] = _Anchor(value, size, frame.pos)
            self.place(value, frame.pos, is_scalar=False, refused=frame.refused)
        elif kind == "AliasEvent":
            self.alias(event)
        elif kind == "DocumentStartEvent":
            self.documents += 1
            if self.documents > 1:
                pos = _pos(event)
                raise _LimitReached(Problem(
                    self.filename, pos[0], pos[1],
                    "a second YAML document starts here ('---'): a file holds one; remove "
                    "the '---' line or split the file"))

    def start(self, event: Any, is_map: bool) -> None:
        pos = _pos(event)
        if len(self.stack) >= self.max_depth:
            raise _LimitReached(Problem(self.filename, pos[0], pos[1],
                                        _too_deep(self.max_depth)))
        self._count(1, pos)
        tag = event.tag
        refused = tag not in (None, "!", _MAP if is_map else _SEQ)
        path = self._child_path()
        if refused:
            self.problem(pos, _tag_refused(tag))
            self.tainted.add(path)
        anchor = event.anchor
        if anchor is not None:
            self.open_anchors.add(anchor)
        self.stack.append(_Frame(is_map, path, pos, anchor,
                                 self.count - 1, refused, {} if is_map else []))

    def scalar(self, event: Any) -> None:
        pos = _pos(event)
        self._count(1, pos)
        tag = event.tag
        if tag is None:
            tag = _resolve_plain(event.value) if event.implicit[0] else _STR
        elif tag == "!":
            tag = _STR
        value: Any = None
        refused = False
        if not tag.startswith(_YAML_TAG):
            refused = True
            self.problem(pos, _tag_refused(tag))
        else:
            kind = tag[len(_YAML_TAG):]
            if kind in ("str", "timestamp", "value"):  # dates stay text (display only)
                value = event.value
            elif kind in _SCALAR_KINDS:
                try:
                    value = _construct(kind, event.value, explicit=event.tag is not None)
                except ValueError:  # e.g. "!!int abc", or 5,000 digits
                    refused = True
                    self.problem(pos, f"cannot read {event.value[:40]!r} as {kind}")
            elif kind == "merge":  # '<<' merges as a key; as a value it is text
                value = _MergeKey if self._expecting_key() else event.value
            else:
                refused = True
                self.problem(pos, _tag_refused(tag))
        if event.anchor is not None:
            self.anchors[event.anchor] = _Anchor(None if refused else value, 1, pos)
        self.place(value, pos, is_scalar=True, refused=refused)

    def alias(self, event: Any) -> None:
        pos = _pos(event)
        name = event.anchor
        if name in self.open_anchors:
            self.problem(pos, f"alias '*{name}' refers to itself (a recursive anchor)")
            self.place(None, pos, is_scalar=True, refused=True)
            return
        anchor = self.anchors.get(name)
        if anchor is None:
            self.problem(pos, f"alias '*{name}' refers to no anchor: write '&{name}' on "
                              "the value it should repeat, before this line")
            self.place(None, pos, is_scalar=True, refused=True)
            return
        self._count(anchor.size, pos)
        self.place(anchor.value, pos, is_scalar=True, refused=False)

    def _expecting_key(self) -> bool:
        return bool(self.stack) and self.stack[-1].is_map and self.stack[-1].key_state == "key"

    # ---- placing a finished value in its parent
    def place(self, value: Any, pos: tuple[int, int], is_scalar: bool, refused: bool) -> None:
        if not self.stack:
            self.root, self.root_pos = value, pos
            return
        top = self.stack[-1]
        if not top.is_map:
            path = top.path + (len(top.value),)
            self.positions.setdefault(path, pos)
            if refused:
                self.tainted.add(path)
            top.value.append(value)
            return
        if top.key_state == "key":
            self._take_key(top, value, pos, is_scalar, refused)
            return
        top.key_state = "key"
        if top.key_skip:
            return
        if top.key_merge:
            top.merges.append((value, pos))
            return
        path = top.path + (top.key,)
        self.positions.keys[path] = top.key_pos
        # a scalar's own position is more precise; a nested block starts on its key
        self.positions[path] = pos if is_scalar and pos[0] == top.key_pos[0] else top.key_pos
        if refused:
            self.tainted.add(path)
        top.value[top.key] = value

    def _take_key(self, top: _Frame, key: Any, pos: tuple[int, int], is_scalar: bool,
                  refused: bool) -> None:
        top.key_state, top.key, top.key_pos = "value", key, pos
        top.key_skip = top.key_merge = False
        if key is _MergeKey:
            top.key_merge = True
            return
        if refused:
            top.key_skip = True
        elif isinstance(key, (dict, list)) or not is_scalar and key is not None:
            self.problem(pos, "a key must be a plain word, not a list or mapping")
            top.key_skip = True
        elif key is None:
            self.problem(pos, "a key is empty ('~', 'null' or nothing before ':'): give it "
                              "a name, or put it in quotes if it is meant as text")
            top.key_skip = True
        elif key in top.first_seen:
            self.problem(pos, f"duplicate key '{key}' (first given on line "
                              f"{top.first_seen[key]}); keep one")
            top.key_skip = True
        else:
            top.first_seen[key] = pos[0]

    def _apply_merges(self, frame: _Frame) -> None:
        """YAML merge keys (``<<: *anchor`` or a list of them): explicit keys win."""
        for value, pos in frame.merges:
            sources = value if isinstance(value, list) else [value]
            for source in sources:
                if not isinstance(source, dict):
                    self.problem(pos, "'<<' must merge a mapping (an &anchor of one)")
                    continue
                for key, item in source.items():
                    if key not in frame.value:
                        frame.value[key] = item
                        self.positions.setdefault(frame.path + (key,), pos)


class _MergeKeyType:
    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "<<"


_MergeKey = _MergeKeyType()
_NOWHERE = object()  # path element of values that are not kept (keys, dropped values)


def _pos(event_or_mark: Any) -> tuple[int, int]:
    mark = getattr(event_or_mark, "start_mark", event_or_mark)
    return mark.line + 1, mark.column + 1


# --------------------------------------------------------------------------- syntax errors


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _char_at(text: str, mark: Any) -> str:
    index = getattr(mark, "index", None)
    if isinstance(index, int) and 0 <= index < len(text):
        return text[index]
    lines = text.split("\n")
    if 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


_CLOSERS = {"flow sequence": ("list", "[", "]"), "flow mapping": ("mapping", "{", "}")}


def syntax_problem(exc: BaseException, text: str, filename: str) -> Problem:
    """A parser error said in plain words, at the place to fix."""
    if not hasattr(exc, "problem_mark"):  # a ReaderError: a character YAML does not allow
        position = getattr(exc, "position", 0) or 0
        character = getattr(exc, "character", "")
        code = character if isinstance(character, int) else ord(character or "\0")
        line, col = _line_col(text, position) if isinstance(position, int) else (1, 1)
        return Problem(filename, line, col,
                       f"the file contains the control character U+{code:04X}, which YAML "
                       "does not allow: is it a text file? remove that character")
    context = (getattr(exc, "context", None) or "").strip()
    problem = (getattr(exc, "problem", None) or "").strip()
    context_mark = getattr(exc, "context_mark", None)
    problem_mark = getattr(exc, "problem_mark", None) or context_mark
    where = context_mark or problem_mark
    opened = f" that started on line {context_mark.line + 1}" if context_mark else ""

    def at(mark: Any, message: str) -> Problem:
        line, col = _pos(mark) if mark is not None else (1, 1)
        return Problem(filename, line, col, f"YAML syntax error: {message}")

    if "nesting depth" in problem:
        line, col = _pos(problem_mark) if problem_mark is not None else (1, 1)
        return Problem(filename, line, col, _too_deep(MAX_NESTING))
    if "quoted scalar" in context:
        quote = _char_at(text, context_mark) if context_mark else '"'
        if "end of stream" in problem or "document" in problem:
            return at(context_mark, f"the quote {quote} opened here is never closed: add "
                                    f"the closing {quote} at the end of the text")
        if "escape" in problem:
            return at(problem_mark, "unknown escape (a backslash and a letter) in text in "
                                    "double quotes: write \\\\ for a backslash, or use "
                                    "single quotes")
        return at(context_mark, f"the text in quotes opened here is not closed properly "
                                f"({problem})")
    for kind, (word, opener, closer) in _CLOSERS.items():
        if kind in context:
            return at(problem_mark, f"the {word} '{opener}'{opened} is not closed here: "
                                    f"add '{closer}' (or a ',' between its items)")
    if "mapping values are not allowed" in problem:
        return at(problem_mark, "a second ': ' on this line: put text that contains ': ' "
                                "in quotes, or start the nested mapping on a new line")
    if "cannot start any token" in problem:
        char = _char_at(text, problem_mark) if problem_mark else ""
        if char == "\t":
            return at(problem_mark, "a tab character: YAML indents with spaces only")
        return at(problem_mark, f"the character {char!r} cannot start a value here: put the "
                                "text in quotes")
    if "simple key" in context and "':'" in problem:
        return at(context_mark, "this line has no ':' after its key (each line of a mapping "
                                "is 'key: value'); or a quote or bracket before it is not "
                                "closed")
    if "block mapping" in context or "block collection" in context:
        return at(problem_mark, f"this line does not fit the indentation of the block{opened}:"
                                " indent it like the lines it belongs with (spaces only); a "
                                "'- ' item must sit under a key")
    if "alias" in problem and "anchor" in problem:
        return at(problem_mark, problem)
    message = problem or context or "invalid YAML"
    if context and problem:
        message = f"{problem} ({context}{opened})"
    return at(where, message)


# --------------------------------------------------------------------------- public


def parse_yaml(text: str, filename: str, max_values: int = MAX_YAML_VALUES,
               max_depth: int = MAX_NESTING) -> ParsedYaml:
    """YAML text -> plain data, positions by path and problems. Never constructs objects;
    stops at the first syntax error or limit (``fatal``)."""
    builder = _Builder(filename, max_values, max_depth)
    try:
        for event in yaml_events(text):
            builder.feed(event)
    except _LimitReached as exc:
        return ParsedYaml(None, Positions(), builder.problems + [exc.problem], fatal=True)
    except _yaml_errors() as exc:
        return ParsedYaml(None, Positions(), [syntax_problem(exc, text, filename)],
                          fatal=True)
    if builder.documents == 0 or (builder.root is None and not builder.problems):
        return ParsedYaml(None, Positions(), [Problem(filename, 1, 1, "the file is empty")],
                          fatal=True, empty=True)
    builder.positions[()] = builder.root_pos
    return ParsedYaml(builder.root, builder.positions, builder.problems,
                      tainted=builder.tainted)
