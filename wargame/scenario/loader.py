"""Scenario files -> validated ``Scenario``, with every problem at ``FILE:LINE:COL``.

Designers are not programmers, so the loader reports all problems at once, each pointing
at the line to fix, in plain words: YAML problems (``yaml_reader``), the format version
(``upgrade``), the model's rules (pydantic) and the cross-references (``checks``). When
parts of a file fail the model's rules, those parts are set aside and the cross-reference
checks still run on the rest, so one run lists every problem the file has.

Files are hostile until proven otherwise: only a regular file below
``MAX_SCENARIO_BYTES`` is read, and ``yaml_reader`` bounds the work of parsing it.
"""
from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field as dataclass_field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from wargame.resources import DEFAULT_SCENARIO_NAME, default_scenario_path  # noqa: F401 (re-exported)
from wargame.bounded_files import FileRefused, is_regular_file, read_text_bounded
from wargame.limits import MAX_PROBLEMS_SHOWN, MAX_SCENARIO_BYTES
from wargame.scenario.model import Scenario
from wargame.scenario.upgrade import upgrade, version_problem
from wargame.scenario.yaml_reader import Problem, parse_yaml

MAX_ERRORS_EXAMINED = 5 * MAX_PROBLEMS_SHOWN
Path_ = tuple[Any, ...]

__all__ = [
    "Problem",
    "ScenarioError",
    "ScenarioFile",
    "read_scenario",
    "load_scenario",
    "load_scenario_text",
    "scenario_from_dict",
    "find_scenarios",
    "scenario_argument",
    "default_scenario_path",
]


class ScenarioError(ValueError):
    """Raised with every problem found, so a designer can fix them in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


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
    if kind == "finite_number":
        return "must be a finite number (not NaN or infinity)" + got
    if kind in ("float_parsing", "float_type"):
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
        length = len(value) if isinstance(value, str) else "?"
        return f"is too long ({length:,} characters; at most {ctx.get('max_length'):,})"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "none_required":
        return "must be empty" + got
    msg = str(error["msg"])
    return (msg[:1].lower() + msg[1:]) + got


def problems_from_validation(exc: ValidationError, data: Any,
                             positions: dict[Path_, tuple[int, int]],
                             filename: str, tainted: set[Path_] = frozenset()
                             ) -> list[Problem]:
    """One problem per offending place; union branches at one place are merged. Places
    under a ``tainted`` path (a value the YAML reader already refused) are not repeated."""
    grouped: dict[Path_, list[tuple[str, str]]] = {}
    where: dict[Path_, tuple[int, int]] = {}
    errors = exc.errors(include_url=False)
    unlisted = max(0, len(errors) - MAX_ERRORS_EXAMINED)  # bounded work on hostile files
    errors = errors[:MAX_ERRORS_EXAMINED]
    has_children = {tuple(error["loc"][:n]) for error in errors
                    for n in range(len(error["loc"]))}
    for error in errors:
        loc = tuple(error["loc"])
        if tainted and _under(locate(loc, data, {})[0], tainted):
            continue
        if error["type"] == "too_short" and loc in has_children:
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
        missing = [m for kind, m in entries if kind == "missing"]
        if len(missing) > 1:  # several fields missing at one place: one sentence
            names = [m.removeprefix("missing required field ") for m in missing]
            entries = [e for e in entries if e[0] != "missing"] + [(
                "missing", "missing required fields " + ", ".join(names[:-1])
                + " and " + names[-1])]
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
    if unlisted:
        problems.append(Problem(filename, 0, 0, f"... and {unlisted:,} more problems of the "
                                                "kinds above (not examined)"))
    return problems


# --------------------------------------------------------------------------- salvage


def _under(path: Path_, prefixes: set[Path_] | frozenset) -> bool:
    return any(path[:len(prefix)] == prefix for prefix in prefixes)


def _strings(value: Any) -> set[str]:
    """Every text in a value (without recursion): the ids a dropped item defined or named."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


@dataclass
class _Salvage:
    """The part of a file that passes the model's rules once failing parts are set aside:
    failing list items are dropped (``kept`` maps new indices to the file's), failing
    optional fields fall back to their defaults, failing required texts get a stand-in."""

    data: dict[str, Any]
    kept: dict[str, list[int]]
    dropped_texts: set[str]

    def original_path(self, path: Path_) -> Path_:
        if len(path) >= 2 and path[0] in self.kept and isinstance(path[1], int):
            return (path[0], self.kept[path[0]][path[1]]) + tuple(path[2:])
        return tuple(path)

    def set_aside(self, errors: list[dict[str, Any]]) -> bool:
        """Remove what the errors point at; False when nothing more can be set aside."""
        drop: dict[str, set[int]] = {}
        changed = False
        for error in errors:
            loc = tuple(error["loc"])
            if not loc or not isinstance(loc[0], str):
                return False
            name = loc[0]
            value = self.data.get(name)
            field = Scenario.model_fields.get(name)
            if field is None:  # an unknown top-level field: drop it
                changed |= name in self.data
                self.data.pop(name, None)
                continue
            if isinstance(value, list) and len(loc) >= 2 and isinstance(loc[1], int) \
                    and loc[1] < len(value):
                drop.setdefault(name, set()).add(loc[1])
            elif not field.is_required():
                if name in self.data:
                    self.dropped_texts |= _strings(self.data.pop(name))
                    changed = True
            elif field.annotation is str or name == "id":
                self.data[name] = "unnamed"
                changed = True
            else:
                return False  # a required list that failed as a whole: nothing to check
        for name, indices in drop.items():
            items = self.data[name]
            self.dropped_texts |= _strings([items[i] for i in indices])
            self.data[name] = [item for i, item in enumerate(items) if i not in indices]
            kept = self.kept.get(name, list(range(len(items))))
            self.kept[name] = [orig for i, orig in enumerate(kept) if i not in indices]
            changed = True
        return changed


def _salvaged_checks(exc: ValidationError, data: dict[str, Any],
                     positions: dict[Path_, tuple[int, int]], filename: str) -> list[Problem]:
    """Cross-reference problems of the parts of a file that pass the model's rules."""
    salvage = _Salvage(dict(data), {}, set())
    errors = exc.errors(include_url=False)
    for _ in range(8):
        if not salvage.set_aside(errors):
            return []
        try:
            scenario = Scenario.model_validate(salvage.data)
        except ValidationError as again:
            errors = again.errors(include_url=False)
            continue
        return _check_problems(scenario, data, positions, filename,
                               salvage.original_path, salvage.dropped_texts)
    return []


# --------------------------------------------------------------------------- public API


def _check_problems(scenario: Scenario, data: Any,
                    positions: dict[Path_, tuple[int, int]], filename: str,
                    original_path: Any = tuple, unknown_ok: set[str] = frozenset()
                    ) -> list[Problem]:
    from wargame.scenario.checks import check_scenario

    problems = []
    for issue in check_scenario(scenario):
        if issue.ref is not None and issue.ref in unknown_ok:
            continue  # it names something set aside for failing the rules
        path = original_path(issue.path)
        found, (line, col) = locate(path, data, positions)
        if issue.at_key and found in getattr(positions, "keys", {}):
            line, col = positions.keys[found]
        label = format_path(path)
        problems.append(Problem(filename, line, col,
                                f"{label}: {issue.message}" if label else issue.message))
    return problems


def _sorted(problems: list[Problem]) -> list[Problem]:
    """By line; problems without a line (a count of the unlisted ones) come last."""
    return sorted(dict.fromkeys(problems),
                  key=lambda p: (p.file, p.line <= 0, p.line, p.col))


@dataclass(frozen=True)
class ScenarioFile:
    """A loaded scenario, the notes of its loading (format upgrades), and where each part
    of it is in the file (``location``: for lint warnings at FILE:LINE:COL)."""

    scenario: Scenario
    notes: tuple[str, ...] = ()
    data: Any = dataclass_field(default=None, repr=False, compare=False)
    positions: Any = dataclass_field(default=None, repr=False, compare=False)

    def location(self, path: Path_, at_key: bool = False) -> tuple[int, int]:
        """(line, col) of the deepest part of ``path`` in the file ((0, 0): unknown)."""
        if self.positions is None:
            return (0, 0)
        found, where = locate(path, self.data, self.positions)
        if at_key and found in getattr(self.positions, "keys", {}):
            return self.positions.keys[found]
        return where


def _version(data: dict[str, Any], positions: dict[Path_, tuple[int, int]],
             filename: str) -> tuple[dict[str, Any], list[str]]:
    """The file's data at the current format version, or the refusal of its version."""
    version = data.get("schema_version", 1)
    problem = version_problem(version)
    if problem is not None:
        line, col = positions.get(("schema_version",), positions.get((), (1, 1)))
        raise ScenarioError([Problem(filename, line, col, problem)])
    return upgrade(data, version)


def read_scenario_text(text: str, filename: str = "<text>") -> ScenarioFile:
    """Parse and validate scenario YAML; raises ``ScenarioError`` with every problem."""
    parsed = parse_yaml(text, filename)
    if parsed.fatal:
        raise ScenarioError(_sorted(parsed.problems))
    data, positions = parsed.data, parsed.positions
    if not isinstance(data, dict):
        raise ScenarioError(_sorted(parsed.problems + [Problem(
            filename, *positions.get((), (1, 1)),
            "a scenario file must be a mapping of fields (id:, title:, actors:, ...)")]))
    data, notes = _version(data, positions, filename)
    problems = list(parsed.problems)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems += problems_from_validation(exc, data, positions, filename, parsed.tainted)
        problems += _salvaged_checks(exc, data, positions, filename)
        raise ScenarioError(_sorted(problems)) from None
    problems += _check_problems(scenario, data, positions, filename)
    if problems:
        raise ScenarioError(_sorted(problems))
    return ScenarioFile(scenario, tuple(notes), data, positions)


def load_scenario_text(text: str, filename: str = "<text>") -> Scenario:
    """Parse and validate scenario YAML; raises ``ScenarioError`` with every problem."""
    return read_scenario_text(text, filename).scenario


def read_scenario(path: str | Path) -> ScenarioFile:
    """Load a scenario file with its loading notes; a missing, unreadable, oversized or
    non-regular file is a ``ScenarioError`` too (read with bounded work)."""
    name = str(path)
    try:
        text = read_text_bounded(path, MAX_SCENARIO_BYTES, "scenario file")
    except FileRefused as exc:
        raise ScenarioError([Problem(name, 0, 0, exc.problem)]) from None
    return read_scenario_text(text, name)


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario file; every problem (or a refused file) is a ``ScenarioError``."""
    return read_scenario(path).scenario


def scenario_from_dict(data: dict[str, Any], name: str = "<stored scenario>") -> Scenario:
    """Re-validate a stored JSON dump (no line numbers: problems name the field path)."""
    if not isinstance(data, dict):
        raise ScenarioError([Problem(name, 0, 0, "the stored scenario is not a mapping")])
    data, _notes = _version(data, {}, name)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, data, {}, name)) from None
    problems = _check_problems(scenario, data, {}, name)
    if problems:
        raise ScenarioError(problems)
    return scenario


def scenario_argument(text: str | Path) -> Path:
    """What a command line's SCENARIO names: a file, or else a shipped scenario's id
    (``wargame simulate managed-rivalry``). A name that is neither comes back unchanged, so
    loading it says "no such file"."""
    path = Path(text)
    if path.exists() or path.suffix in (".yaml", ".yml") or len(path.parts) > 1:
        return path
    for shipped in find_scenarios(default_scenario_path().parent):
        if shipped.stem == str(text):
            return shipped
    return path


def find_scenarios(directory: str | Path) -> list[Path]:
    """Scenario files (``*.yaml``/``*.yml``) directly in ``directory``, sorted by name."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir()
                  if p.suffix in (".yaml", ".yml") and is_regular_file(p))
