"""Run a whole game headless: the loop behind ``wargame simulate`` and the benchmarks."""
from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from wargame.engine.batch import BatchTurn, resolve_batch
from wargame.engine.bots import batch_bot_orders, bot_orders
from wargame.engine.orders import Order, Override
from wargame.engine.resolve import resolve_turn
from wargame.engine.results import TurnResult
from wargame.engine.rules import rules_for
from wargame.engine.setup import initial_state
from wargame.engine.state import GameState
from wargame.scenario.model import Inject, Scenario


def run_game(scenario: Scenario, seed: int | None = None, turns: int | None = None,
             orders: Iterable[tuple[int, Order]] = (), bots: Sequence[str] = (),
             explain: bool = True, state: GameState | None = None, deck: bool = True,
             on_turn: Callable[[list[Order], TurnResult], None] | None = None,
             postures: Mapping[str, str] | None = None) -> list[TurnResult]:
    """``orders`` are (turn, Order) pairs; ``bots`` the teams whose orders a bot gives;
    ``postures`` a bot posture per team (``posture_bots.py``; none: the scenario's style).
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
            turn_orders += bot_orders(scenario, state, team, (postures or {}).get(team))
        result = resolve_turn(scenario, state, turn_orders, explain=explain, deck=deck,
                              rules=rules)
        if on_turn:
            on_turn(turn_orders, result)
        results.append(result)
        state = result.state
    return results


def play_games(scenario: Scenario, seeds: Sequence[int], turns: int | None = None,
               orders: Iterable[tuple[int, Order]] = (), bots: Sequence[str] = (),
               deck: bool = True, injects: Iterable[tuple[int, str | Inject]] = (),
               overrides: Iterable[tuple[int, Override | Mapping[str, Any]]] = (),
               postures: Mapping[str, str] | None = None) -> Iterator[list[TurnResult]]:
    """Many games of one scenario in lockstep, one seed each, the same scripted ``orders``
    (and injects fired by hand, and facilitator ``overrides``, as (turn, item) pairs) and
    ``bots`` (with ``postures``, as in ``run_game``) in every game, each turn of all of them resolved in one batched pass
    (``batch.resolve_turns``; no explanations). Yields each turn's results, one per game,
    in the order of ``seeds``: the same results ``run_game(..., explain=False)`` gives."""
    for batch in play_batches(scenario, seeds, turns, orders, bots, deck, injects, overrides,
                              postures):
        yield batch.results


def play_batches(scenario: Scenario, seeds: Sequence[int], turns: int | None = None,
                 orders: Iterable[tuple[int, Order]] = (), bots: Sequence[str] = (),
                 deck: bool = True, injects: Iterable[tuple[int, str | Inject]] = (),
                 overrides: Iterable[tuple[int, Override | Mapping[str, Any]]] = (),
                 postures: Mapping[str, str] | None = None) -> Iterator[BatchTurn]:
    """``play_games``, yielding each turn as a ``batch.BatchTurn``: the results and the
    score inputs of every game at once (what sweeps read)."""
    rules = rules_for(scenario)
    states = [initial_state(scenario, seed, rules) for seed in seeds]
    by_turn: dict[int, list[Order]] = {}
    for turn, order in orders:
        by_turn.setdefault(turn, []).append(order)
    fired: dict[int, list[str | Inject]] = {}
    for turn, inject in injects:
        fired.setdefault(turn, []).append(inject)
    rulings: dict[int, list[Override | Mapping[str, Any]]] = {}
    for turn, ruling in overrides:
        rulings.setdefault(turn, []).append(ruling)
    for _ in range(turns if turns is not None else scenario.turns):
        turn = states[0].turn if states else 0
        given = [list(by_turn.get(state.turn, [])) for state in states]
        for team in bots:  # the same order objects in every game: read only
            for turn_orders, more in zip(given, batch_bot_orders(
                    rules, states, team, (postures or {}).get(team))):
                turn_orders += more
        batch = resolve_batch(rules, states, given, deck, fired.get(turn, ()),
                              rulings.get(turn, ()))
        yield batch
        states = [r.state for r in batch.results]
