"""Orders files for ``wargame simulate --orders FILE``: a YAML list of
``{turn, team, move, params, id}`` items, read with bounded work and checked item by item.

Every problem names the item and its line (``FILE: item 3 (line 7): ...``), and all are
listed at once. What is checked here is what the file alone can get wrong: the shape of
each item, a turn inside the game, a known team (or the white cell, ``facilitator``, which
may give any move: a ruling, a deal) and move the team may use, and parameters
that are short plain values with finite numbers. Whether a parameter suits its move (a
known material, a value within the move's min and max) is the engine's rule, applied when
the order is submitted, exactly as for an order given in the app.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wargame.bounded_files import FileRefused, read_text_bounded
from wargame.errors import UserError
from wargame.limits import MAX_ID_CHARS, MAX_ORDERS_BYTES, MAX_PROBLEMS_SHOWN
from wargame.scenario.model import Scenario, plain_name, plain_value
from wargame.scenario.yaml_reader import parse_yaml

FIELDS = ("turn", "team", "move", "params", "id")
WHITE_CELL = "facilitator"  # the white cell may give any move (``engine.orders.FACILITATOR``)

__all__ = ["ScriptedOrder", "OrdersFileError", "load_orders_file", "orders_from_text"]


@dataclass(frozen=True)
class ScriptedOrder:
    """One order of an orders file, checked against the scenario; ``item`` and ``line``
    say where it was written (1-based)."""

    turn: int
    team: str
    move: str
    params: dict[str, Any]
    id: str
    item: int
    line: int


class OrdersFileError(UserError):
    """Every problem of an orders file, one per line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        tail = [f"... and {more} more"] if more > 0 else []
        super().__init__("bad orders file:\n  " + "\n  ".join(shown + tail))


def _keys_text(keys: Any) -> str:
    return ", ".join(sorted(str(k)[:40] for k in keys))


def _check_item(item: Any, scenario: Scenario, turns: int) -> tuple[list[str], dict | None]:
    """Problems of one item, and the item's fields when it can become an order."""
    if not isinstance(item, dict):
        return ["expected a mapping with turn, team, move, params"], None
    problems = []
    unknown = [k for k in item if k not in FIELDS]
    if unknown:
        problems.append(f"unknown field(s) {_keys_text(unknown)} (allowed: "
                        f"{', '.join(FIELDS)})")
    turn = item.get("turn")
    if not isinstance(turn, int) or isinstance(turn, bool) or turn < 1:
        problems.append(f"'turn' must be a whole number from 1 to {turns} "
                        f"(got {str(turn)[:40]!r})")
    elif turn > turns:
        problems.append(f"turn {turn} is after the last turn of this game ({turns}); it "
                        "would never be played")
    team, move = item.get("team"), item.get("move")
    if not isinstance(team, str) or (team not in scenario.team_index and team != WHITE_CELL):
        problems.append(f"unknown team {str(team)[:40]!r} (known: "
                        f"{', '.join(scenario.team_index)})")
    if not isinstance(move, str) or move not in scenario.move_index:
        problems.append(f"unknown move {str(move)[:40]!r}")
    elif isinstance(team, str) and team in scenario.team_index \
            and not scenario.move_index[move].allowed_for(team):
        problems.append(f"team {team!r} may not use move {move!r}")
    params = item.get("params")
    if params is None:
        params = {}
    if not isinstance(params, dict):
        problems.append("'params' must be a mapping of parameter: value")
    else:
        for name, value in params.items():
            if not isinstance(name, str) or len(name) > MAX_ID_CHARS:
                problems.append(f"parameter name {str(name)[:40]!r} must be a short word")
                continue
            try:
                plain_name(name)
                plain_value(value)
            except ValueError as exc:
                problems.append(f"parameter '{name}': {exc}")
    order_id = item.get("id")
    if order_id is not None:
        if isinstance(order_id, bool) or not isinstance(order_id, (str, int)) \
                or len(str(order_id)) > MAX_ID_CHARS:
            problems.append(f"'id' must be a short text (at most {MAX_ID_CHARS} characters)")
        else:
            try:
                plain_name(str(order_id))
            except ValueError as exc:
                problems.append(f"'id' {exc}")
    return problems, (None if problems else item)


def orders_from_text(text: str, filename: str, scenario: Scenario,
                     turns: int | None = None) -> list[ScriptedOrder]:
    """The orders of an orders file's text; raises ``OrdersFileError`` with every problem."""
    turns = turns or scenario.turns
    parsed = parse_yaml(text, filename)
    if parsed.empty:
        return []
    problems = [str(problem) for problem in parsed.problems]
    if parsed.fatal:
        raise OrdersFileError(problems)
    raw = parsed.data
    if raw is None:
        if problems:
            raise OrdersFileError(problems)
        return []
    if not isinstance(raw, list):
        raise OrdersFileError(problems + [f"{filename}: expected a list of {{turn, team, "
                                          "move, params} items (each line starting '- ')"])
    orders: list[ScriptedOrder] = []
    seen_ids: dict[str, int] = {}
    for index, item in enumerate(raw):
        number = index + 1
        line = parsed.positions.get((index,), (0, 0))[0]
        where = f"{filename}: item {number} (line {line})"
        item_problems, fields = _check_item(item, scenario, turns)
        if fields is not None:
            order_id = str(fields.get("id") or f"t{fields['turn']}-{fields['team']}-{number}")
            if order_id in seen_ids:
                item_problems.append(f"id '{order_id}' is also the id of item "
                                     f"{seen_ids[order_id]}")
            seen_ids.setdefault(order_id, number)
        problems.extend(f"{where}: {problem}" for problem in item_problems)
        if fields is not None and not item_problems:
            orders.append(ScriptedOrder(turn=fields["turn"], team=fields["team"],
                                        move=fields["move"],
                                        params=dict(fields.get("params") or {}),
                                        id=order_id, item=number, line=line))
    if problems:
        raise OrdersFileError(problems)
    return orders


def load_orders_file(path: str | Path, scenario: Scenario,
                     turns: int | None = None) -> list[ScriptedOrder]:
    """Read and check an orders file (a regular file of at most ``MAX_ORDERS_BYTES``) for a
    game of ``turns`` turns (default: the scenario's)."""
    try:
        text = read_text_bounded(path, MAX_ORDERS_BYTES, "orders file")
    except FileRefused as exc:
        raise OrdersFileError([str(exc)]) from None
    return orders_from_text(text, str(path), scenario, turns)
