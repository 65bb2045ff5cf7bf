"""What a sweep will play: scenario variants, one seed per run, and the batches of games
handed to workers.

Seeds: run ``r`` of a sweep with ``--seed S`` plays with the first 64 bits of
``numpy.random.SeedSequence(S, spawn_key=(r,))`` halved to 63 bits (the engine's seed range).
The seed depends only on S and r, so every variant of a ``--vary`` plays the same seeds
(common random numbers: differences between variants come from the varied number, not
from luck) and a sweep of 200 runs starts with the 100 games of a sweep of 100.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from wargame.analysis.engine_adapter import BotSpec, GameSpec, MetricKey, ScriptedOrder, metric_catalog
from wargame.analysis.vary import Variation, apply_settings, variant_settings
from wargame.scenario.model import Scenario

SEED_RULE = ("seed of run r = first uint64 of numpy.random.SeedSequence(SEED, spawn_key=(r,))"
             ".generate_state(1, uint64), shifted right by 1 bit; every variant plays the same "
             "seeds")
MAX_SWEEP_GAMES = 100_000  # runs x variants
# the finished games' numbers are held in memory (8 bytes each) until written
MAX_SWEEP_VALUES_BYTES = 2 * 1024**3
DEFAULT_BATCH_GAMES = 32


def game_seed(root_seed: int, run: int) -> int:
    state = np.random.SeedSequence(int(root_seed), spawn_key=(int(run),)).generate_state(1, np.uint64)
    return int(state[0]) >> 1


@dataclass(frozen=True)
class Variant:
    index: int
    settings: tuple[tuple[str, float], ...]  # (path, value) pairs; () for the scenario as is
    scenario: Scenario

    @property
    def label(self) -> str:
        return ", ".join(f"{path}={value:g}" for path, value in self.settings) or "as written"


@dataclass(frozen=True)
class BatchTask:
    """One batch of games for a worker: everything it needs, as plain picklable data (the
    scenario as its canonical JSON, re-validated once per worker process)."""

    scenario_json: str
    scenario_hash: str
    games: tuple[GameSpec, ...]
    turns: int
    bots: tuple[BotSpec, ...]
    orders: tuple[ScriptedOrder, ...]
    catalog: tuple[MetricKey, ...]


@dataclass(frozen=True)
class SweepPlan:
    scenario: Scenario
    variants: tuple[Variant, ...]
    variations: tuple[Variation, ...]
    runs: int
    root_seed: int
    turns: int
    bots: tuple[BotSpec, ...]
    orders: tuple[ScriptedOrder, ...]
    catalog: tuple[MetricKey, ...]
    games: tuple[GameSpec, ...]
    batch_games: int

    @property
    def planned_games(self) -> int:
        return len(self.games)

    def tasks(self) -> list[BatchTask]:
        """Batches of at most ``batch_games`` games, never mixing variants."""
        tasks = []
        for variant in self.variants:
            text = json.dumps(variant.scenario.to_json_dict(), sort_keys=True,
                              separators=(",", ":"))
            games = [g for g in self.games if g.variant == variant.index]
            for start in range(0, len(games), self.batch_games):
                tasks.append(BatchTask(text, variant.scenario.content_hash,
                                       tuple(games[start:start + self.batch_games]), self.turns,
                                       self.bots, self.orders, self.catalog))
        return tasks


def plan_sweep(scenario: Scenario, runs: int, root_seed: int, turns: int,
               bots: Sequence[BotSpec] = (), orders: Sequence[ScriptedOrder] = (),
               variations: Sequence[Variation] = (),
               batch_games: int | None = None) -> SweepPlan:
    """Variants (every combination of the varied values) x runs games; game ``v * runs + r``
    is run ``r`` of variant ``v``. Batches hold ``batch_games`` games (default
    ``DEFAULT_BATCH_GAMES``); the results do not depend on it."""
    combos = variant_settings(variations)
    if runs * len(combos) > MAX_SWEEP_GAMES:
        from wargame.errors import UserError

        raise UserError(f"{runs} runs x {len(combos)} variants is more than "
                        f"{MAX_SWEEP_GAMES:,} games")
    variants = tuple(Variant(v, settings, apply_settings(scenario, settings))
                     for v, settings in enumerate(combos))
    catalog = _union_catalog(variants)
    size = runs * len(variants) * turns * len(catalog) * 8
    if size > MAX_SWEEP_VALUES_BYTES:
        from wargame.errors import UserError

        raise UserError(f"{runs * len(variants):,} games x {turns} turns x {len(catalog)} "
                        f"headline numbers would need {size / 1024**3:.1f} GiB of memory "
                        f"(at most {MAX_SWEEP_VALUES_BYTES / 1024**3:.0f}): run fewer games "
                        "or turns, or split the sweep")
    seeds = [game_seed(root_seed, r) for r in range(runs)]
    games = tuple(GameSpec(v * runs + r, v, seeds[r]) for v in range(len(variants))
                  for r in range(runs))
    return SweepPlan(scenario, variants, tuple(variations), runs, root_seed, turns,
                     tuple(bots), tuple(orders), catalog, games,
                     batch_games or DEFAULT_BATCH_GAMES)


def _union_catalog(variants: Sequence[Variant]) -> tuple[MetricKey, ...]:
    """The metrics of every variant (a varied demand can add or remove a supplied sector),
    in the first variant's order, then any new ones."""
    seen: dict[MetricKey, None] = {}
    for variant in variants:
        for key in metric_catalog(variant.scenario):
            seen.setdefault(key, None)
    return tuple(seen)
