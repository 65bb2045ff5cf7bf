"""Run a whole game headless: the loop behind ``wargame simulate`` and the benchmarks."""
from __future__ import annotations

from typing import Callable, Iterable, Sequence

from wargame.engine.bots import bot_orders
from wargame.engine.orders import Order
from wargame.engine.resolve import resolve_turn
from wargame.engine.results import TurnResult
from wargame.engine.rules import rules_for
from wargame.engine.setup import initial_state
from wargame.engine.state import GameState
from wargame.scenario.model import Scenario


def run_game(scenario: Scenario, seed: int | None = None, turns: int | None = None,
             orders: Iterable[tuple[int, Order]] = (), bots: Sequence[str] = (),
             explain: bool = True, state: GameState | None = None, deck: bool = True,
             on_turn: Callable[[list[Order], TurnResult], None] | None = None,
             ) -> list[TurnResult]:
    """``orders`` are (turn, Order) pairs; ``bots`` the teams whose orders a bot gives.
    ``on_turn`` sees each turn's orders (as given) and result."""
    rules = rules_for(scenario)
    state = state or initial_state(scenario, seed, rules)
    last_turn = state.turn - 1 + (turns if turns is not None else scenario.turns)
    by_turn: dict[int, list[Order]] = {}
    for turn, order in orders:
        by_turn.setdefault(turn, []).append(order)
    results = []
    while state.turn <= last_turn:
        turn_orders = list(by_turn.get(state.turn, []))
        for team in bots:
            turn_orders += bot_orders(scenario, state, team)
        result = resolve_turn(scenario, state, turn_orders, explain=explain, deck=deck,
                              rules=rules)
        if on_turn:
            on_turn(turn_orders, result)
        results.append(result)
        state = result.state
    return results
