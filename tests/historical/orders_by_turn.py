"""A historical episode's orders file as the engine's orders, by turn (shared by the
episodes' move modules, ``senkaku_moves.py`` and ``drc_moves.py``)."""
from __future__ import annotations

from pathlib import Path

from wargame.engine import Order
from wargame.scenario.loader import load_scenario
from wargame.scenario.orders_file import load_orders_file


def orders_by_turn(scenario: Path, orders: Path, turns: int) -> dict[int, list[Order]]:
    """The orders file's moves by turn, checked against the scenario."""
    sc = load_scenario(scenario)
    moves: dict[int, list[Order]] = {}
    for item in load_orders_file(orders, sc, turns):
        moves.setdefault(item.turn, []).append(
            Order(item.team, item.move, dict(item.params), id=item.id))
    return moves
