"""The one module through which batch analysis plays games on the engine.

Sweeps, "was it luck?" and the balance check only need, per game and turn, the headline
numbers (team scores and their objectives, supply met, price indices, budgets, political
capital, how much of each material's price sits at its cap) and the orders given. This
module turns engine results into exactly that: ``PlayedGames``, a (game, turn, metric)
array in the order of a ``metric_catalog``, so the engine's internals can change
(typed results, batched games) by changing this file alone.

It plays a batch of games in lockstep through the batched engine
(``wargame.engine.game.play_batches``: every turn of every game of the batch in one NumPy
pass) and reads what the engine's scores read, for the whole batch at once
(``BatchTurn.score_inputs``), not the full indicator set. The sweep, luck and balance modules never import ``wargame.engine``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from wargame.scenario.model import Scenario

# indicator name -> unit (each name carries its unit or is a share/index by definition)
INDICATOR_UNITS = {
    "score": "weighted objectives (scenario units)",
    "objective_value": "objective's own measure (share, index or ratio to baseline)",
    "supply_met_share": "share 0..1 of the sector's demand met",
    "price_index_vs_baseline": "world price of the last stage / baseline price",
    "price_at_cap_share": "share 0..1 of the material's (stage, actor) prices at the cap",
    "budget_usd_m": "USD million",
    "political_capital": "points",
}


@dataclass(frozen=True)
class MetricKey:
    """One headline number tracked per game and turn. ``subject`` is a team id, a material
    id, ``actor/sector`` for supply, or ``team/N`` for a team's N-th objective (1-based)."""

    indicator: str
    subject: str
    label: str = ""

    @property
    def unit(self) -> str:
        return INDICATOR_UNITS[self.indicator]


@dataclass(frozen=True)
class BotSpec:
    """A team played by a bot; ``posture`` None keeps the scenario's own bot style."""

    team: str
    posture: str | None = None


@dataclass(frozen=True)
class ScriptedOrder:
    """An order given in every game (from an orders file); ``params_json`` is the order's
    parameters as canonical JSON so the order is hashable and pickles small."""

    turn: int
    team: str
    move: str
    params_json: str
    order_id: str = ""


@dataclass(frozen=True)
class GameSpec:
    game: int  # index within the sweep (0-based)
    variant: int  # which scenario variant (0 when nothing is varied)
    seed: int  # the engine seed, in [0, 2**63)


@dataclass(frozen=True)
class PlayedOrder:
    game: int
    turn: int
    team: str
    move: str
    status: str  # the engine's outcome: accepted, rejected, overridden


@dataclass(frozen=True)
class PlayedGames:
    """Games played in one batch: ``values[g, t, k]`` is metric ``k`` of the catalog after
    turn ``t + 1`` of game ``games[g]`` (NaN where it does not apply that turn, e.g. a
    sector whose demand fell to zero)."""

    games: tuple[int, ...]
    values: np.ndarray  # (G, T, K) float64
    orders: tuple[PlayedOrder, ...]
    final_state_hashes: tuple[str, ...]


def engine_model_version() -> str:
    """The engine's model version (sessions and sweeps record it), or ``unversioned`` for
    engines that kept none."""
    try:
        from wargame.engine.version import ENGINE_MODEL_VERSION
    except ImportError:
        return "unversioned"
    return str(ENGINE_MODEL_VERSION)


def bot_postures() -> tuple[str, ...]:
    """Postures a bot can take at set-up (``engine/posture_bots.py``)."""
    from wargame.engine.posture_bots import POSTURES

    return POSTURES


def metric_catalog(scenario: Scenario) -> tuple[MetricKey, ...]:
    """Every headline number of a scenario, in a fixed order: per team its score, its
    objectives, budget and political capital; per material its price index and the share
    of its prices at the cap; per actor and sector with baseline demand, supply met."""
    from wargame.engine import baseline

    keys: list[MetricKey] = []
    for team in scenario.teams:
        keys.append(MetricKey("score", team.id))
        for n, obj in enumerate(team.objectives, start=1):
            keys.append(MetricKey("objective_value", f"{team.id}/{n}",
                                  obj.label or _objective_text(obj)))
        keys.append(MetricKey("budget_usd_m", team.id))
        keys.append(MetricKey("political_capital", team.id))
    for material in scenario.materials:
        keys.append(MetricKey("price_index_vs_baseline", material.id))
        keys.append(MetricKey("price_at_cap_share", material.id))
    has_demand = baseline(scenario).demand.sum(axis=2) > 1e-12  # (A, K)
    for a, k in zip(*np.nonzero(has_demand)):
        keys.append(MetricKey("supply_met_share",
                              f"{scenario.actors[a].id}/{scenario.sectors[k].id}"))
    return tuple(keys)


def _objective_text(obj: object) -> str:
    what = getattr(obj, "indicator")
    about = next((getattr(obj, name) for name in ("sector", "origin", "material")
                  if getattr(obj, name, None)), None)
    return f"{what} {about}" if about else what


def _engine_orders(scenario: Scenario, orders: Sequence[ScriptedOrder]) -> list[tuple[int, object]]:
    from wargame.engine import Order

    return [(o.turn, Order(team=o.team, move=o.move, params=json.loads(o.params_json),
                           id=o.order_id)) for o in orders]


def play_games(scenario: Scenario, games: Sequence[GameSpec], turns: int,
               bots: Sequence[BotSpec], orders: Sequence[ScriptedOrder],
               catalog: Sequence[MetricKey]) -> PlayedGames:
    """Play the games in lockstep for ``turns`` turns, each turn of all of them in one
    batched engine pass (scripted orders plus bots, no explanations), and read their
    headline numbers in ``catalog`` order."""
    from wargame.engine.game import play_batches

    reader = _MetricReader(scenario, catalog)
    values = np.full((len(games), turns, len(catalog)), np.nan)
    played: list[PlayedOrder] = []
    last: list = []
    stream = play_batches(scenario, [g.seed for g in games], turns,
                          _engine_orders(scenario, orders), [b.team for b in bots],
                          postures={b.team: b.posture for b in bots if b.posture})
    for t, batch in enumerate(stream):
        if batch.results:
            values[:, t] = reader.read_batch(batch)
        for spec, result in zip(games, batch.results):
            played += [PlayedOrder(spec.game, result.turn, o.team, o.move, str(o.status))
                       for o in result.outcomes]
        last = batch.results
    hashes = tuple(r.state.content_hash() for r in last) if last else ("",) * len(games)
    return PlayedGames(tuple(g.game for g in games), values, tuple(played), hashes)


def replay_games(scenario: Scenario, seeds: Sequence[int], session_turns: Sequence[object],
                 catalog: Sequence[MetricKey]) -> np.ndarray:
    """A played session's inputs (``session_reader.SessionTurn``: orders, injects fired by
    hand, overrides, per turn) re-run with other ``seeds``, all games in lockstep through
    the batched engine; returns values (G, T, K) in ``catalog`` order."""
    from wargame.engine.game import play_batches

    orders = [(t.turn, o) for t in session_turns for o in t.orders]  # type: ignore[attr-defined]
    injects = [(t.turn, i) for t in session_turns for i in t.injects]  # type: ignore[attr-defined]
    overrides = [(t.turn, o) for t in session_turns for o in t.overrides]  # type: ignore[attr-defined]
    reader = _MetricReader(scenario, catalog)
    values = np.full((len(seeds), len(session_turns), len(catalog)), np.nan)
    if not seeds or not session_turns:
        return values
    stream = play_batches(scenario, list(seeds), len(session_turns), orders, (),
                          injects=injects, overrides=overrides)
    for t, batch in enumerate(stream):
        values[:, t] = reader.read_batch(batch)
    return values


def read_results(scenario: Scenario, results: Sequence[object],
                 catalog: Sequence[MetricKey]) -> np.ndarray:
    """Headline numbers (T, K) of stored turn results (a session's real path)."""
    reader = _MetricReader(scenario, catalog)
    values = np.full((len(results), len(catalog)), np.nan)
    for t, result in enumerate(results):
        values[t] = reader.read(result)
    return values


class _MetricReader:
    """Reads one turn's catalog values from what the engine's scores read and the state's
    prices: of one game (``read``: ``TurnResult.score_inputs``) or of a batch of games at
    once (``read_batch``: ``BatchTurn.score_inputs``, arrays with a game axis, the same
    numbers). Where each metric comes from is worked out once."""

    def __init__(self, scenario: Scenario, catalog: Sequence[MetricKey]):
        from wargame.engine import rules_for
        from wargame.engine.resolve import quiet_reference

        self.scenario = scenario
        self.size = len(catalog)
        rules = rules_for(scenario)
        self.reference = quiet_reference(rules)
        base = rules.baseline
        # a price is at its cap when it reaches base x price_cap_factor (tolerance: rounding)
        self.price_max = base.price_max[:, :, 0][:, :, None] * (1 - 1e-9)  # (M, S, 1)
        self.stage_mask = base.stage_mask[:, :, None]  # (M, S, 1)
        self.cells = np.maximum(base.stage_mask.sum(axis=1) * base.n_actors, 1)  # (M,)
        self.scores: list[tuple[int, str]] = []
        self.objectives: list[tuple[int, str, int]] = []
        self.by_id: list[tuple[int, str, str]] = []  # (k, ScoreInputs field, id)
        self.supply: list[tuple[int, str, str]] = []
        self.caps: list[tuple[int, int]] = []
        # the same sources as indices into the arrays of a batch's score inputs
        self.by_index: list[tuple[int, str, int]] = []  # (k, StackedScoreInputs field, index)
        self.supply_index: list[tuple[int, int, int]] = []  # (k, actor, sector)
        fields = {"budget_usd_m": "budget_usd_m", "political_capital": "political_capital",
                  "price_index_vs_baseline": "price_index_vs_baseline"}
        for k, key in enumerate(catalog):
            if key.indicator == "score":
                self.scores.append((k, key.subject))
            elif key.indicator == "objective_value":
                team_id, n = key.subject.rsplit("/", 1)
                self.objectives.append((k, team_id, int(n) - 1))
            elif key.indicator in fields:
                self.by_id.append((k, fields[key.indicator], key.subject))
                ids = scenario.material_index if key.indicator == "price_index_vs_baseline" \
                    else scenario.team_index
                if key.subject in ids:
                    self.by_index.append((k, fields[key.indicator], ids[key.subject]))
            elif key.indicator == "price_at_cap_share":
                if key.subject in scenario.material_index:
                    self.caps.append((k, scenario.material_index[key.subject]))
            elif key.indicator == "supply_met_share":
                actor, sector = key.subject.split("/", 1)
                self.supply.append((k, actor, sector))
                if actor in scenario.actor_index and sector in scenario.sector_index:
                    self.supply_index.append((k, scenario.actor_index[actor],
                                              scenario.sector_index[sector]))
        # the supply sources as (catalog columns, actors, sectors) index arrays
        self.supply_columns = tuple(np.array(column, dtype=int)
                                    for column in zip(*self.supply_index))

    def read(self, result: object) -> np.ndarray:
        from wargame.engine.indicators import score_values

        inputs = result.score_inputs  # type: ignore[attr-defined]
        state = result.state  # type: ignore[attr-defined]
        out = np.full(self.size, np.nan)
        scores = score_values(self.scenario, inputs, self.reference)
        for k, team in self.scores:
            if team in scores:
                out[k] = scores[team][0]
        for k, team, n in self.objectives:
            raws = scores[team][1] if team in scores else ()
            if n < len(raws):
                out[k] = raws[n]
        for k, field, key in self.by_id:
            value = getattr(inputs, field).get(key)
            if value is not None:
                out[k] = value
        supplied = inputs.supply_met_share
        for k, actor, sector in self.supply:
            value = supplied.get(actor, {}).get(sector)
            if value is not None:
                out[k] = value
        if self.caps:
            at_cap = ((state.price >= self.price_max) & self.stage_mask).sum(axis=(1, 2))
            share = at_cap / self.cells
            for k, m in self.caps:
                out[k] = share[m]
        return out

    def read_batch(self, batch: object) -> np.ndarray:
        """The catalog values (G, K) of every game of a ``BatchTurn``: ``read`` of each
        game's result, read from arrays over all games at once."""
        from wargame.engine.stacked_scores import stacked_score_values

        inputs = batch.score_inputs  # type: ignore[attr-defined]
        out = np.full((len(batch.results), self.size), np.nan)  # type: ignore[attr-defined]
        scores = stacked_score_values(self.scenario, inputs, self.reference)
        for k, team in self.scores:
            if team in scores:
                out[:, k] = scores[team][0]
        for k, team, n in self.objectives:
            raws = scores[team][1] if team in scores else ()
            if n < len(raws):
                out[:, k] = raws[n]
        for k, field, index in self.by_index:
            out[:, k] = getattr(inputs, field)[:, index]
        if self.supply_index:  # every (actor, sector) column at once
            ks, actors, sectors = self.supply_columns
            out[:, ks] = np.where(inputs.sector_has_demand[:, actors, sectors],
                                  inputs.supply_met_share[:, actors, sectors], np.nan)
        if self.caps:
            price = inputs.price_usd_per_kg  # (G, M, S, A)
            at_cap = ((price >= self.price_max) & self.stage_mask).sum(axis=(2, 3))
            share = at_cap / self.cells
            for k, m in self.caps:
                out[:, k] = share[:, m]
        return out


@dataclass(frozen=True)
class MetricBounds:
    """Where a metric is pinned by a rule of the engine (a cap, a floor, a limit): reaching
    one in many games says more about the scenario's numbers than about play."""

    low: float | None  # reached when the value is at or below it
    high: float | None  # reached when the value is at or above it
    low_means: str
    high_means: str

    def reached(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(at the low bound, at the high bound) per value, within a relative 1e-6 (the
        engine rounds its indicators to 6 decimals); NaN reaches neither."""
        low = values <= self.low + 1e-6 * abs(self.low) if self.low is not None \
            else np.zeros(values.shape, bool)
        high = values >= self.high - 1e-6 * abs(self.high) if self.high is not None \
            else np.zeros(values.shape, bool)
        return low, high


def metric_bounds(scenario: Scenario, key: MetricKey) -> MetricBounds | None:
    """The engine's bounds of one metric, or None when it has none worth reporting."""
    from wargame.engine import baseline

    if key.indicator == "price_at_cap_share":
        # any (stage, actor) price of the material at base x price_cap_factor
        return MetricBounds(None, 1e-12, "", "a price at its cap")
    if key.indicator == "price_index_vs_baseline" and key.subject in scenario.material_index:
        material = scenario.material(key.subject)
        return MetricBounds(material.price_floor_factor, material.price_cap_factor,
                            "the world price at its floor", "the world price at its cap")
    if key.indicator == "political_capital" and key.subject in scenario.team_index:
        limit = float(baseline(scenario).pc_limit[scenario.team_index[key.subject]])
        return MetricBounds(0.0, limit, "political capital exhausted",
                            "political capital at its ceiling")
    if key.indicator == "budget_usd_m":
        return MetricBounds(0.0, None, "budget exhausted", "")
    if key.indicator == "supply_met_share":
        return MetricBounds(0.0, None, "no supply at all", "")
    return None
