"""``--vary PATH=a,b,c``: scenario numbers addressed by a dotted path, set on a copy of the
validated scenario, which is then validated again like a file.

A path walks the scenario's fields (``price_response.market_flexibility``); a list is entered by an
entry's id (``teams.beijing.budget``, ``materials.ndpr.elasticity``) or, for lists without
ids (capacities, stocks, demand), by position from 0 (``demand.3.tonnes_per_year``). A
sourced figure (``{value, source}``) is addressed by its field: its value changes, its
source stays. Only numbers can be varied; the number of turns and the seed have their own
options (``--turns``, ``--seed``).
"""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Any, Sequence

from wargame.errors import UserError
from wargame.scenario.model import Scenario

MAX_VALUES_PER_PATH = 100
OWN_OPTIONS = {"turns": "--turns", "default_seed": "--seed", "schema_version": None}


@dataclass(frozen=True)
class Variation:
    """One ``--vary``: a path and the values it takes."""

    path: str
    values: tuple[float, ...]


def parse_vary(text: str) -> Variation:
    """``PATH=a,b,c`` -> Variation; the values must be finite numbers."""
    path, sep, raw = text.partition("=")
    path = path.strip()
    if not sep or not path or not raw.strip():
        raise UserError(f"--vary {text!r}: write PATH=a,b,c (for example "
                        "price_response.market_flexibility=0.3,0.6)")
    values = []
    for item in raw.split(","):
        item = item.strip()
        try:
            value = float(item)
        except ValueError:
            raise UserError(f"--vary {path}: {item!r} is not a number") from None
        if not math.isfinite(value):
            raise UserError(f"--vary {path}: {item!r} is not a finite number")
        values.append(value)
    if len(values) > MAX_VALUES_PER_PATH:
        raise UserError(f"--vary {path}: at most {MAX_VALUES_PER_PATH} values (got {len(values)})")
    if len(set(values)) != len(values):
        raise UserError(f"--vary {path}: a value is given twice")
    return Variation(path, tuple(values))


def apply_settings(scenario: Scenario, settings: Sequence[tuple[str, float]]) -> Scenario:
    """The scenario with each (path, value) set, validated again; a bad path or a value the
    scenario's rules refuse is a ``UserError`` naming the path."""
    from wargame.scenario.loader import ScenarioError, scenario_from_dict

    if not settings:
        return scenario
    data = scenario.to_json_dict()
    for path, value in settings:
        _set(data, path, value)
    label = ", ".join(f"{path}={value:g}" for path, value in settings)
    try:
        return scenario_from_dict(data, name=f"--vary {label}")
    except ScenarioError as exc:
        problems = "; ".join(p.message for p in exc.problems[:5])
        raise UserError(f"--vary {label}: the scenario refuses it: {problems}") from None


def check_path(scenario: Scenario, path: str) -> None:
    """Raise ``UserError`` unless ``path`` names a number of the scenario."""
    _set(scenario.to_json_dict(), path, None)


def _set(data: dict[str, Any], path: str, value: float | None) -> None:
    """Set the number at ``path`` in the scenario's JSON form (``value`` None: only check)."""
    parts = path.split(".")
    if parts[0] in OWN_OPTIONS:
        option = OWN_OPTIONS[parts[0]]
        raise UserError(f"--vary {path}: cannot be varied" +
                        (f"; use {option}" if option else ""))
    node: Any = data
    walked: list[str] = []
    parent: Any = None
    for part in parts:
        where = ".".join(walked) or "the scenario"
        if isinstance(node, dict):
            if part not in node:
                raise UserError(f"--vary {path}: {where} has no field '{part}'"
                                f"{_hint(data, walked, part, list(node))}")
            parent, key = node, part
        elif isinstance(node, list):
            index = _entry(node, part)
            if index is None:
                ids = [str(e.get("id")) for e in node if isinstance(e, dict) and "id" in e]
                known = f"ids: {', '.join(ids[:20])}" if ids else \
                    f"positions 0 to {len(node) - 1}" if node else "it is empty"
                raise UserError(f"--vary {path}: {where} has no entry '{part}' ({known})")
            parent, key = node, index
        else:
            raise UserError(f"--vary {path}: {where} is a single value, it has no '{part}'")
        node = parent[key]
        walked.append(part)
    if isinstance(node, dict) and "value" in node and set(node) <= {"value", "source", "note"}:
        parent, key, node = node, "value", node["value"]  # a sourced figure
    if isinstance(node, bool) or not isinstance(node, (int, float)):
        what = "a group of fields (" + ", ".join(list(node)[:12]) + ")" \
            if isinstance(node, dict) else "a list" if isinstance(node, list) \
            else "not set" if node is None else f"not a number ({node!r})"
        raise UserError(f"--vary {path}: this is {what}; only numbers can be varied")
    if value is None:
        return
    if isinstance(node, int) and not value.is_integer():
        raise UserError(f"--vary {path}: takes whole numbers (got {value:g})")
    parent[key] = int(value) if isinstance(node, int) else float(value)


def _entry(entries: list[Any], part: str) -> int | None:
    for n, entry in enumerate(entries):
        if isinstance(entry, dict) and entry.get("id") == part:
            return n
    if part.isdigit() and int(part) < len(entries):
        return int(part)
    return None


def _hint(data: dict[str, Any], walked: list[str], part: str, fields: list[str]) -> str:
    """Where the field lives if not here: an actor's budget is its team's."""
    if len(walked) == 2 and walked[0] == "actors":
        actor = next((a for a in data.get("actors", []) if a.get("id") == walked[1]), {})
        team = actor.get("team")
        teams = data.get("teams", [])
        if team and teams and part in teams[0]:
            return (f"; {walked[1]} is played by team {team}: "
                    f"did you mean teams.{team}.{part}?")
    close = difflib.get_close_matches(part, fields, n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f" (its fields: {', '.join(fields[:16])})"


def variant_settings(variations: Sequence[Variation]) -> list[tuple[tuple[str, float], ...]]:
    """Every combination of the varied values (the first path changes slowest); one empty
    combination when nothing is varied."""
    combos: list[tuple[tuple[str, float], ...]] = [()]
    for variation in variations:
        combos = [combo + ((variation.path, value),) for combo in combos
                  for value in variation.values]
    return combos
