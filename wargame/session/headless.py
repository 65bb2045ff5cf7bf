"""THE headless game loop, behind ``wargame simulate`` with and without ``--db``.

Both run the game through an ``Exercise`` (with ``--db`` on the given database, without it
on a database in memory), so they cannot drift apart: the same
seed and orders give the same turns, explanations are on or off in both, and an illegal
order is treated the same way in both: checked at submission by the engine's rules
(``Exercise.check_orders``), reported, and left out (the team's legal orders go in).
Each turn is committed as it is played, so a killed run keeps every finished turn.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from wargame.engine import Order, TurnResult, describe_order
from wargame.engine.orders import FACILITATOR
from wargame.scenario.model import Scenario
from wargame.session.exercise import Exercise
from wargame.store import SessionStore


@dataclass(frozen=True)
class RefusedOrder:
    """An order left out at submission, with the engine's reasons."""

    turn: int
    team: str
    description: str
    problems: tuple[str, ...]


def play_headless(exercise: Exercise, turns: int, orders: Iterable[tuple[int, Order]] = (),
                  on_turn: Callable[[TurnResult, list[RefusedOrder]], None] | None = None,
                  ) -> list[TurnResult]:
    """Play ``turns`` turns from where ``exercise`` stands: each turn the orders given for
    it are checked and submitted team by team (illegal ones reported through ``on_turn``
    and left out), bots submit their own, the turn is resolved and committed."""
    by_turn: dict[int, dict[str, list[Order]]] = {}
    for turn, order in orders:
        by_turn.setdefault(turn, {}).setdefault(order.team, []).append(order)
    results: list[TurnResult] = []
    for _ in range(turns):
        if exercise.finished:
            break
        if results:
            exercise.next_turn()
        if exercise.phase == "briefing":
            exercise.begin_orders()
        refused: list[RefusedOrder] = []
        for team, team_orders in by_turn.get(exercise.turn, {}).items():
            if team == FACILITATOR:  # white-cell orders (a ruling, a deal): no team pays
                exercise.submit_facilitator_orders(team_orders)
                continue
            check = exercise.check_orders(team, team_orders)
            for index, problems in sorted(check.problems.items()):
                refused.append(RefusedOrder(exercise.turn, team, describe_order(
                    exercise.scenario, check.orders[index]), tuple(problems)))
            exercise.submit_orders(team, check.legal)
        exercise.resolve(force=True)
        result = exercise.commit()
        results.append(result)
        if on_turn is not None:
            on_turn(result, refused)
    return results


@contextlib.contextmanager
def scratch_store() -> Iterator[SessionStore]:
    """A database in memory for one headless run (nothing of it outlives the run: no file,
    no disk writes)."""
    store = SessionStore(memory=True)
    try:
        yield store
    finally:
        store.close()


def simulate(scenario: Scenario, *, seed: int, turns: int, orders: Iterable[tuple[int, Order]],
             bots: Iterable[str] | Mapping[str, str | None], explain: bool, db: str | Path | None = None,
             on_turn: Callable[[TurnResult, list[RefusedOrder]], None] | None = None,
             ) -> tuple[list[TurnResult], str | None]:
    """A whole headless game: saved as a session in ``db``, or played on a scratch database
    when ``db`` is None. ``bots``: the teams bots play, or team -> posture (None: the
    scenario's own style). Returns the results and the saved session's id (None unsaved)."""
    postures = dict(bots) if isinstance(bots, Mapping) else dict.fromkeys(bots)
    setup = {t.id: ({"controller": "bot", "posture": postures[t.id]} if t.id in postures
                    else "human") for t in scenario.teams}

    def run(store: SessionStore, owner: str | None) -> tuple[list[TurnResult], str]:
        exercise = Exercise.create(store, scenario, seed, setup, turn_limit=turns,
                                   owner=owner, explain=explain)
        try:
            results = play_headless(exercise, turns, orders, on_turn)
            exercise.end()
        finally:
            exercise.close()
        return results, exercise.id

    if db is None:
        with scratch_store() as store:
            results, _ = run(store, None)
        return results, None
    return run(SessionStore(db), "wargame simulate")
