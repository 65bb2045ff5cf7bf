"""Scenario files -> validated ``Scenario``, with every problem at ``FILE:LINE:COL``.

Designers are not programmers, so the loader reports all problems at once, each pointing
at the line to fix, in plain words. YAML is composed into nodes and built into plain
dicts/lists here (never by a constructor that can make objects): any tag other than the
plain YAML scalar/collection ones is a problem, so nothing in a file can run code.
"""
from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from wargame.resources import DEFAULT_SCENARIO_NAME, default_scenario_path  # noqa: F401 (re-exported)
from wargame.scenario.model import Scenario

Path_ = tuple[Any, ...]

__all__ = [
    "Problem",
    "ScenarioError",
    "load_scenario",
    "load_scenario_text",
    "scenario_from_dict",
    "find_scenarios",
    "default_scenario_path",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario; line and col are 1-based (0 = position unknown)."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class ScenarioError(ValueError):
    """Raised with every problem found, so a designer can fix them in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


# --------------------------------------------------------------------------- YAML -> data

_YAML_TAG = "tag:yaml.org,2002:"
_SCALAR_KINDS = {"int", "float", "bool", "null"}


class Positions(dict):
    """(line, col) by path: of a value (scalars) or of its key; ``.keys`` always of the key."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: dict[Path_, tuple[int, int]] = {}


class _Builder:
    """Builds plain data from composed nodes, recording where each path starts."""

    def __init__(self, filename: str):
        self.filename = filename
        self.positions = Positions()
        self.problems: list[Problem] = []
        self._yaml = YAML(typ="safe", pure=True)
        self._building: set[int] = set()

    def problem(self, node: Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.filename, mark.line + 1, mark.column + 1, message))

    def build(self, node: Node, path: Path_) -> Any:
        tag = node.tag or ""
        if isinstance(node, ScalarNode):
            return self._scalar(node, tag)
        if isinstance(node, (MappingNode, SequenceNode)):
            kind = "map" if isinstance(node, MappingNode) else "seq"
            if tag != _YAML_TAG + kind:
                self.problem(node, f"tag '{_short_tag(tag)}' is not allowed in scenario files "
                                   "(only plain YAML values)")
                return None
            if id(node) in self._building:
                self.problem(node, "an alias refers to itself (recursive anchor)")
                return None
            self._building.add(id(node))
            try:
                return self._mapping(node, path) if kind == "map" else self._sequence(node, path)
            finally:
                self._building.discard(id(node))
        self.problem(node, "unsupported YAML node")
        return None

    def _scalar(self, node: ScalarNode, tag: str) -> Any:
        if not tag.startswith(_YAML_TAG):
            self.problem(node, f"tag '{_short_tag(tag)}' is not allowed in scenario files "
                               "(only plain YAML values)")
            return None
        kind = tag[len(_YAML_TAG):]
        if kind in ("str", "timestamp"):  # dates stay text: they are for display only
            return node.value
        if kind in _SCALAR_KINDS:
            try:
                return getattr(self._yaml.constructor, "construct_yaml_" + kind)(node)
            except (YAMLError, ValueError) as exc:  # e.g. "!!int abc"
                self.problem(node, f"cannot read {node.value!r} as {kind}: {exc}")
                return None
        self.problem(node, f"tag '!!{kind}' is not allowed in scenario files "
                           "(only plain YAML values)")
        return None

    def _sequence(self, node: SequenceNode, path: Path_) -> list[Any]:
        items = []
        for index, child in enumerate(node.value):
            child_path = path + (index,)
            self.positions.setdefault(child_path, _pos(child))
            items.append(self.build(child, child_path))
        return items

    def _mapping(self, node: MappingNode, path: Path_) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, Node] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _YAML_TAG + "merge":
                merges.append(value_node)
                continue
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, "a key must be a plain word, not a list or mapping")
                continue
            key = self._scalar(key_node, key_node.tag or "")
            if isinstance(key, (dict, list)) or key is None:
                continue
            try:
                hash(key)
            except TypeError:  # pragma: no cover - scalars are hashable
                continue
            if key in first_seen:
                line = first_seen[key].start_mark.line + 1
                self.problem(key_node, f"duplicate key '{key}' (first given on line {line})")
                continue
            first_seen[key] = key_node
            child_path = path + (key,)
            self.positions.keys[child_path] = _pos(key_node)
            # a scalar's own position is more precise; a nested block starts on its key
            self.positions[child_path] = _pos(value_node if isinstance(value_node, ScalarNode)
                                              and value_node.start_mark.line
                                              == key_node.start_mark.line else key_node)
            result[key] = self.build(value_node, child_path)
        for merge in merges:  # YAML merge keys (<<: *anchor): explicit keys win
            sources = merge.value if isinstance(merge, SequenceNode) else [merge]
            for source in sources:
                if not isinstance(source, MappingNode):
                    self.problem(source, "'<<' must merge a mapping (an &anchor of one)")
                    continue
                merged = self.build(source, path + ("<<",))
                for key, value in (merged or {}).items():
                    if key not in result:
                        result[key] = value
                        self.positions.setdefault(path + (key,), _pos(merge))
        return result


def _pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML_TAG):] if tag.startswith(_YAML_TAG) else tag


def parse_yaml(text: str, filename: str) -> tuple[Any, dict[Path_, tuple[int, int]],
                                                  list[Problem]]:
    """YAML text -> (plain data, positions by path, problems). Never constructs objects."""
    yaml = YAML(typ="safe", pure=True)
    try:
        root = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context}"
            if exc.context_mark is not None and exc.context_mark is not mark:
                message += f" that started on line {exc.context_mark.line + 1}"
            message += ")"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, {}, [Problem(filename, line, col, f"YAML syntax error: {message}")]
    except YAMLError as exc:
        return None, {}, [Problem(filename, 1, 1, f"YAML syntax error: {exc}")]
    if root is None:
        return None, {}, [Problem(filename, 1, 1, "the file is empty")]
    builder = _Builder(filename)
    builder.positions[()] = _pos(root)
    data = builder.build(root, ())
    if not builder.problems and not isinstance(data, dict):
        builder.problem(root, "a scenario file must be a mapping of fields "
                              "(id:, title:, actors:, ...)")
    return data, builder.positions, builder.problems


# --------------------------------------------------------------------------- paths -> lines


def locate(path: Path_, data: Any, positions: dict[Path_, tuple[int, int]]
           ) -> tuple[Path_, tuple[int, int]]:
    """The deepest part of ``path`` present in the file, and its (line, col).

    Elements that are not in the data (pydantic's union-branch names) are skipped; an
    effect argument written under an explicit ``args:`` mapping is found there too.
    """
    found: Path_ = ()
    node = data
    for element in path:
        if isinstance(node, dict):
            if element in node:
                found, node = found + (element,), node[element]
            elif isinstance(node.get("args"), dict) and element in node["args"]:
                found, node = found + ("args", element), node["args"][element]
        elif isinstance(node, list) and isinstance(element, int) and 0 <= element < len(node):
            found, node = found + (element,), node[element]
    probe = found
    while probe not in positions and probe:
        probe = probe[:-1]
    return found, positions.get(probe, (1, 1) if positions else (0, 0))


def format_path(path: Path_) -> str:
    text = ""
    for element in path:
        if isinstance(element, int):
            text += f"[{element}]"
        else:
            text += ("." if text else "") + str(element)
    return text


# --------------------------------------------------------------------------- pydantic errors


def _got(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types a field annotation may hold (through Annotated/Optional/Union)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def _model_at(loc: Path_) -> type[BaseModel] | None:
    """Which model class a pydantic ``loc`` (without its last element) points into."""
    current: list[Any] = [Scenario]
    for element in loc:
        nxt: list[Any] = []
        for candidate in current:
            origin = typing.get_origin(candidate)
            if isinstance(candidate, type) and issubclass(candidate, BaseModel) \
                    and isinstance(element, str):
                for name, field in candidate.model_fields.items():
                    if element in (name, field.alias):
                        nxt.extend(_unwrap(field.annotation))
            elif origin in (tuple, list) and isinstance(element, int):
                nxt.extend(_unwrap(typing.get_args(candidate)[0]))
        if nxt:
            current = nxt
    for candidate in current:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def _message(error: dict[str, Any], found: Path_) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    loc = tuple(error["loc"])
    got = f" (got {_got(value)})"
    if kind == "missing":
        return f"missing required field '{loc[-1]}'"
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        hint = ""
        if model is not None:
            names = _field_names(model)
            close = difflib.get_close_matches(str(loc[-1]), names, n=1)
            hint = (f" (did you mean '{close[0]}'?)" if close
                    else f" (allowed: {', '.join(names)})")
        return f"unknown field '{loc[-1]}'{hint}"
    if kind in ("value_error", "assertion_error"):
        text = str(ctx.get("error", error["msg"]))
        return text.removeprefix("Value error, ")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "must be a whole number" + got
    if kind in ("float_parsing", "float_type", "finite_number"):
        return "must be a number" + got
    if kind in ("bool_parsing", "bool_type"):
        return "must be true or false" + got
    if kind in ("string_type",):
        return "must be text" + got
    if kind == "string_pattern_mismatch":
        return (f"{_got(value)} is not a valid id: use letters, digits, '_' or '-', "
                "starting with a letter")
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '?')}" + got
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {"greater_than_equal": ("at least", "ge"), "greater_than": ("more than", "gt"),
                 "less_than_equal": ("at most", "le"), "less_than": ("less than", "lt")}[kind]
        return f"must be {words[0]} {_fmt(ctx.get(words[1]))}" + got
    if kind in ("tuple_type", "list_type"):
        return "must be a list" + got
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        if ctx.get("class_name") == "Figure":
            return "must be a number or {value: ..., source: ..., note: ...}" + got
        return "must be a mapping of fields" + got
    if kind == "too_short":
        return f"must have at least {ctx.get('min_length')} item(s)" + got
    if kind == "too_long":
        return f"must have at most {ctx.get('max_length')} item(s)" + got
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "none_required":
        return "must be empty" + got
    msg = str(error["msg"])
    return (msg[:1].lower() + msg[1:]) + got


def problems_from_validation(exc: ValidationError, data: Any,
                             positions: dict[Path_, tuple[int, int]],
                             filename: str) -> list[Problem]:
    """One problem per offending place; union branches at one place are merged."""
    grouped: dict[Path_, list[tuple[str, str]]] = {}
    where: dict[Path_, tuple[int, int]] = {}
    errors = exc.errors(include_url=False)
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "too_short" and any(
                len(other["loc"]) > len(loc) and tuple(other["loc"][:len(loc)]) == loc
                for other in errors):
            continue  # a list whose items failed is also "too short": say it once
        shown, position = locate(loc, data, positions)  # a missing field: its parent
        if error["type"] == "extra_forbidden" and shown in getattr(positions, "keys", {}):
            position = positions.keys[shown]  # the misspelt key itself
        grouped.setdefault(shown, []).append((error["type"], _message(error, shown)))
        where[shown] = position
    problems = []
    for shown, entries in grouped.items():
        if len(entries) > 1:
            entries = [e for e in entries if e[0] != "none_required"] or entries
        messages = list(dict.fromkeys(message for _, message in entries))
        suffix = ""
        got = [m[m.rfind(" (got "):] for m in messages if m.endswith(")") and " (got " in m]
        if len(messages) > 1 and len(got) == len(messages) and len(set(got)) == 1:
            suffix = got[0]  # "a or b (got x)" rather than "a (got x) or b (got x)"
            messages = [m[: -len(suffix)] for m in messages]
        label = format_path(shown)
        text = (" or ".join(messages) if len(messages) <= 3 else messages[0]) + suffix
        line, col = where[shown]
        problems.append(Problem(filename, line, col, f"{label}: {text}" if label else text))
    return problems


# --------------------------------------------------------------------------- public API


def _check_problems(scenario: Scenario, data: Any,
                    positions: dict[Path_, tuple[int, int]], filename: str) -> list[Problem]:
    from wargame.scenario.checks import check_scenario

    problems = []
    for issue in check_scenario(scenario):
        found, (line, col) = locate(issue.path, data, positions)
        if issue.at_key and found in getattr(positions, "keys", {}):
            line, col = positions.keys[found]
        label = format_path(issue.path)
        problems.append(Problem(filename, line, col,
                                f"{label}: {issue.message}" if label else issue.message))
    return problems


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line, p.col))


def load_scenario_text(text: str, filename: str = "<text>") -> Scenario:
    """Parse and validate scenario YAML; raises ``ScenarioError`` with every problem."""
    data, positions, problems = parse_yaml(text, filename)
    if problems:
        raise ScenarioError(_sorted(problems))
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_sorted(problems_from_validation(exc, data, positions, filename)))
    problems = _check_problems(scenario, data, positions, filename)
    if problems:
        raise ScenarioError(_sorted(problems))
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario file; a missing or unreadable file is a ``ScenarioError`` too."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise ScenarioError([Problem(name, 0, 0, "no such file")])
    if path.is_dir():
        raise ScenarioError([Problem(name, 0, 0, "is a directory, not a scenario file")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError([Problem(name, 0, 0, f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(name, 0, 0, f"cannot read: {exc.strerror}")]) from None
    return load_scenario_text(text, name)


def scenario_from_dict(data: dict[str, Any], name: str = "<stored scenario>") -> Scenario:
    """Re-validate a stored JSON dump (no line numbers: problems name the field path)."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, data, {}, name)) from None
    problems = _check_problems(scenario, data, {}, name)
    if problems:
        raise ScenarioError(problems)
    return scenario


def find_scenarios(directory: str | Path) -> list[Path]:
    """Scenario files (``*.yaml``/``*.yml``) directly in ``directory``, sorted by name."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir()
                  if p.is_file() and p.suffix in (".yaml", ".yml"))
