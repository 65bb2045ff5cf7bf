"""The figures scores read (``indicators.ScoreInputs``) for every game of a batch at once,
straight from the stacked pass (``batch.py``), as arrays with a leading game axis.

A sweep reads these every turn of every game; built one game at a time (dicts per game,
then ``objective_value`` per objective) they cost about as much as the game's part of the
flow. Here every step works on all games together: the per-material figures by the very
functions ``indicators.score_inputs`` uses, the sums over materials per game, then rounded
the same way, so ``stacked_score_values`` gives exactly the numbers of ``score_values``
(``tests/unit/test_stacked_scores.py`` checks every shipped scenario, to the last bit).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from wargame.engine.baseline import Baseline
from wargame.engine.draws import rounded_shares
from wargame.engine.flow import EPS, FlowResult
from wargame.engine.indicators import (
    StackedHeadlines, crma_shares, is_crma_actor, money_cells, origin_contributions,
)
from wargame.engine.results import TurnIndicators
from wargame.engine.rules import CompiledRules
from wargame.engine.state import GameState
from wargame.scenario.model import Objective, Scenario

# objective kind -> its field, in StackedScoreInputs and in the quiet reference alike
_MONEY = {"revenue": "revenue_usd_m_per_turn", "value_added": "value_added_usd_m_per_turn",
          "import_bill": "import_bill_usd_m_per_turn"}


@dataclass(frozen=True)
class StackedScoreInputs:
    """``ScoreInputs`` of G games as arrays (game first), rounded as ``ScoreInputs`` rounds
    them. Where ``ScoreInputs`` leaves an entry out, the array holds what its readers take
    for a missing entry, and ``sector_has_demand`` says which supply figures exist."""

    supply_met_share: np.ndarray  # (G, A, K) share 0..1 (1.0 where there is no demand)
    sector_has_demand: np.ndarray  # (G, A, K) bool: the entry exists in ScoreInputs
    dependency_share: np.ndarray  # (G, I, O) value share 0..1 of I's supply from O (0: left out)
    price_index_vs_baseline: np.ndarray  # (G, M) headline-stage world price / baseline
    budget_usd_m: np.ndarray  # (G, T)
    political_capital: np.ndarray  # (G, T) points
    revenue_usd_m_per_turn: np.ndarray  # (G, A)
    value_added_usd_m_per_turn: np.ndarray  # (G, A)
    import_bill_usd_m_per_turn: np.ndarray  # (G, A)
    crma_share_met: np.ndarray  # (G, A) share 0..1 of the CRMA benchmarks met (0: no rows)
    # (G, M, S, A) USD/kg: each game's prices after the turn (a view of the stacked state's,
    # which the games' states are views of too), for readers of more than the scores
    price_usd_per_kg: np.ndarray


def stacked_score_inputs(rules: CompiledRules, stacked: GameState, flow: FlowResult,
                         states: Sequence[GameState], headlines: StackedHeadlines,
                         political_capital: np.ndarray) -> StackedScoreInputs:
    """Score inputs of the ``states`` (each game's state at the end of the turn) from the
    stacked state and flow they were cut from, the stack's ``headlines`` (supply met and
    price indices are the same figures) and ``political_capital`` (G, T), the games'
    political capital after the turn (the rows their states hold)."""
    base, tiled = rules.baseline, rules.tiled(len(states))
    G, M, A = len(states), base.n_materials, base.n_actors
    contrib = origin_contributions(tiled, stacked.origin, flow).reshape(G, M, A, -1)
    value = contrib.sum(axis=1)
    totals = value.sum(axis=2)
    dep = value / np.maximum(totals, EPS)[:, :, None]
    kept = (dep > 1e-4) & (totals > EPS)[:, :, None]
    imports, revenue, value_added = _money(tiled, stacked, flow, G)
    return StackedScoreInputs(
        supply_met_share=np.where(headlines.has_demand,
                                  np.round(headlines.supply_met_share, 6), 1.0),
        sector_has_demand=headlines.has_demand,
        dependency_share=np.where(kept, np.round(dep, 6), 0.0),
        price_index_vs_baseline=np.round(headlines.price_index, 6),
        budget_usd_m=np.round(np.stack([s.budget for s in states]), 3),
        political_capital=np.round(political_capital, 3),
        revenue_usd_m_per_turn=np.round(revenue, 3),
        value_added_usd_m_per_turn=np.round(value_added, 3),
        import_bill_usd_m_per_turn=np.round(imports, 3),
        crma_share_met=_crma_share_met(rules.scenario, tiled, flow, contrib, G, M),
        price_usd_per_kg=stacked.price.reshape(G, M, *stacked.price.shape[1:]))


def _money(tiled: Baseline, stacked: GameState, flow: FlowResult, games: int,
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(import bill, revenue, value added) per game and actor (G, A), USD m per turn, as
    ``indicators._money`` sums them for one game."""
    cross, sold, added = money_cells(tiled, stacked.price, flow)
    by_game = lambda a: a.reshape(games, -1, *a.shape[1:])  # noqa: E731  (G, M, ...)
    imports = np.einsum("gmsei,gmsi->gi", by_game(cross), by_game(stacked.price)) / 1000.0
    revenue = by_game(sold).sum(axis=(1, 2)) / 1000.0
    value_added = by_game(added).sum(axis=(1, 2)) / 1000.0
    return imports, revenue, value_added


def _crma_share_met(sc: Scenario, tiled: Baseline, flow: FlowResult, contrib: np.ndarray,
                    G: int, M: int) -> np.ndarray:
    """Per game and actor, the ``crma`` objective's value: the share of the four CRMA
    benchmarks met over the materials the actor uses (``indicators._crma_rows``)."""
    out = np.zeros((G, len(sc.actors)))
    stacked_contrib = contrib.reshape(G * M, *contrib.shape[2:])  # (G x M, I, O)
    for a, actor in enumerate(sc.actors):
        if not is_crma_actor(actor):
            continue
        used, *_shares, met = crma_shares(tiled, flow, stacked_contrib, a)
        met_sum = np.where(used, met, 0).reshape(G, M).sum(axis=1)
        rows = used.reshape(G, M).sum(axis=1)
        out[:, a] = met_sum / (4.0 * np.maximum(rows, 1))
    return out


def stacked_score_values(sc: Scenario, inputs: StackedScoreInputs,
                         reference: TurnIndicators,
                         ) -> dict[str, tuple[np.ndarray, tuple[np.ndarray, ...]]]:
    """Per team: (each game's total score (G,), rounded as ``TeamScore.total``; each
    objective's raw value (G,)): ``indicators.score_values`` for every game at once."""
    all_raws, totals = [], []
    for team in sc.teams:
        raws = tuple(_objective_values(sc, team.id, obj, inputs, reference)
                     for obj in team.objectives)
        total = np.zeros(inputs.budget_usd_m.shape[0])
        for obj, raw in zip(team.objectives, raws):
            total = total + obj.weight * raw
        all_raws.append(raws)
        totals.append(total)
    # Python's round(x, 6) of each total, all teams' in one pass
    rounded = rounded_shares(np.array(totals)) if totals else ()
    return {team.id: (total, raws) for team, total, raws in zip(sc.teams, rounded, all_raws)}


def _objective_values(sc: Scenario, team_id: str, obj: Objective, inputs: StackedScoreInputs,
                      reference: TurnIndicators) -> np.ndarray:
    """One objective's raw value in every game (G,): ``indicators.objective_value``, with
    the same fallbacks where the scenario does not know a named actor, sector or origin."""
    games = inputs.budget_usd_m.shape[0]
    actor = obj.actor or (sc.team_actors(team_id) or (None,))[0]
    a = sc.actor_index.get(actor) if actor is not None else None
    kind = obj.indicator
    if kind == "supply_met":
        k = sc.sector_index.get(obj.sector) if obj.sector is not None else None
        return inputs.supply_met_share[:, a, k] if a is not None and k is not None \
            else np.ones(games)
    if kind == "dependency":
        o = sc.actor_index.get(obj.origin) if obj.origin is not None else None
        return inputs.dependency_share[:, a, o] if a is not None and o is not None \
            else np.zeros(games)
    if kind == "price":
        m = sc.material_index.get(obj.material) if obj.material is not None else None
        return inputs.price_index_vs_baseline[:, m] if m is not None else np.ones(games)
    team, t = sc.team(team_id), sc.team_index[team_id]
    if kind == "budget":
        return inputs.budget_usd_m[:, t] / max(float(team.budget.value), 1.0)
    if kind == "political_capital":
        return inputs.political_capital[:, t] / max(float(team.political_capital.value), 1.0)
    if kind in _MONEY:
        field = _MONEY[kind]
        ref = getattr(reference, field).get(actor) or 1.0
        value = getattr(inputs, field)[:, a] if a is not None else np.zeros(games)
        return value / max(abs(ref), 1e-6)
    if kind == "crma":
        return inputs.crma_share_met[:, a] if a is not None else np.zeros(games)
    return np.zeros(games)
