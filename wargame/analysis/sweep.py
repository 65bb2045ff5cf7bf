"""Run a planned sweep on a runner and gather its games, sorted by game, with a progress
bar; a Ctrl+C (``KeyboardInterrupt``) stops it and keeps every game that had finished."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Callable

import numpy as np

from wargame.analysis.engine_adapter import GameSpec, PlayedGames, PlayedOrder
from wargame.analysis.runners import Runner, remember_scenario
from wargame.analysis.sweep_plan import SweepPlan


@dataclass(frozen=True)
class SweepResults:
    """The finished games of a sweep, in game order. ``values[g, t, k]``: metric ``k`` of
    ``plan.catalog`` after turn ``t + 1`` of ``games[g]``."""

    plan: SweepPlan
    games: tuple[GameSpec, ...]
    values: np.ndarray  # (G, T, K)
    orders: tuple[PlayedOrder, ...]  # sorted by game, then turn
    final_state_hashes: tuple[str, ...]
    runner: dict[str, object]

    @property
    def complete(self) -> bool:
        return len(self.games) == self.plan.planned_games

    def variant_rows(self, variant: int) -> np.ndarray:
        """Row indices of ``values`` that belong to one variant."""
        return np.array([n for n, g in enumerate(self.games) if g.variant == variant], dtype=int)


def run_sweep(plan: SweepPlan, runner: Runner, progress: bool = True,
              on_batch: Callable[[PlayedGames], None] | None = None) -> SweepResults:
    """Play every batch of ``plan`` on ``runner``. Interrupted (Ctrl+C, or ``on_batch``
    raising ``KeyboardInterrupt``), it returns the finished games; ``complete`` says so."""
    from tqdm.auto import tqdm

    for variant in plan.variants:
        remember_scenario(variant.scenario)
    finished: dict[int, tuple[np.ndarray, str]] = {}
    orders_by_game: dict[int, list[PlayedOrder]] = {}
    bar = tqdm(total=plan.planned_games, unit="game", disable=None if progress else True,
               file=sys.stderr, dynamic_ncols=True, leave=False)
    stream = runner.results(plan.tasks())
    try:
        for batch in stream:
            for g, game in enumerate(batch.games):
                finished[game] = (batch.values[g], batch.final_state_hashes[g])
            for order in batch.orders:
                orders_by_game.setdefault(order.game, []).append(order)
            bar.update(len(batch.games))
            if on_batch is not None:
                on_batch(batch)
    except KeyboardInterrupt:
        pass
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
        bar.close()
    specs = {g.game: g for g in plan.games}
    done = sorted(finished)
    K = len(plan.catalog)
    values = np.stack([finished[g][0] for g in done]) if done \
        else np.zeros((0, plan.turns, K))
    orders = tuple(o for g in done for o in sorted(orders_by_game.get(g, []),
                                                   key=lambda o: o.turn))
    return SweepResults(plan, tuple(specs[g] for g in done), values, orders,
                        tuple(finished[g][1] for g in done), dict(runner.description))
