"""One pass of a planned turn: measures start, policy arrays are built, investments arrive,
material flows, prices clear and run rates adjust.

``simulate_plan`` is what ``resolve_turn`` runs once for the turn itself; ``explain.py``
runs ``prepare_plan`` once per what-if variant (the plan without one order or inject) and
moves all variants through the flow in one stacked pass.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wargame.engine.baseline import Baseline
from wargame.engine.flow import FlowResult, run_flow
from wargame.engine.lifecycle import advance_pipeline, carry_over, start_measure
from wargame.engine.measures import Measure, PipelineEntry
from wargame.engine.market import MarketTurn, market_measures, prepare_market, settle_market
from wargame.engine.market_constants import MarketConstants
from wargame.engine.planning import TurnPlan
from wargame.engine.policy import Policy, build_policy
from wargame.engine.rules import CompiledRules
from wargame.engine.state import GameState
from wargame.scenario.model import Scenario

PC_REGEN = 2.0  # political capital regained each turn
PC_SHORTFALL_PENALTY = 20.0  # lost per turn at a complete shortfall in a team's sectors


@dataclass
class Prepared:
    """A plan made ready for the flow (``exclude``: the group left out, if any)."""

    state: GameState  # a copy: measures started, pipeline advanced
    policy: Policy
    arrivals: list[PipelineEntry]
    measures: list[Measure]
    market: MarketTurn  # what the market feeds the flow (``market.prepare_market``)


def prepare_plan(rules: CompiledRules, plan: TurnPlan, exclude: str | None = None,
                 complete_market: bool = True, share_arrays: bool = False) -> Prepared:
    """Everything before the flow: measures start, policy arrays, pipeline arrivals.
    ``complete_market`` False leaves the market's array-wide inputs (stock targets, plans,
    demand response) to the caller, which completes many games' at once
    (``market.complete_market_turn`` on a stacked state: ``batch.py``). ``share_arrays``:
    the prepared state's arrays are read-only views of the plan's, copied only where the
    turn changes them (a batch stacks them at once: ``GameState.copy``)."""
    sc, base = rules.scenario, rules.baseline
    state = plan.state.copy(share_arrays)
    measures = list(plan.measures)  # the turn itself: all (every measure has a group)
    if exclude is not None:  # a what-if variant: without one group
        measures = [m for m in measures if m.group != exclude]
        restored = list({before.id: before for group, before in plan.undone
                         if group == exclude}.values())
        if restored:  # without an end_measure, what it ended or amended stands as it was
            ids = {m.id for m in restored}
            measures = [m for m in measures if m.id not in ids] + restored
    for measure in measures:
        if measure.start_turn == state.turn:
            start_measure(sc, base, state, measure)
    if exclude is not None:
        state.pipeline = [e for e in state.pipeline if e.group != exclude]
    pol = build_policy(rules, measures, state.turn, plan.turn_seed, state.origin,
                       record=exclude is None)
    delay = pol.delay_probability if pol.delay_probability is not None \
        else sc.delay_probability
    arrivals, delays = advance_pipeline(sc, state, plan.turn_seed, delay)
    if exclude is None:
        pol.draws.extend(delays)
    if complete_market:
        market = prepare_market(rules.market, rules.baseline, state, pol, arrivals)
    else:
        market = market_measures(rules.market, rules.baseline, state, pol, arrivals)
    return Prepared(state, pol, arrivals, measures, market)


def simulate_plan(rules: CompiledRules, plan: TurnPlan, exclude: str | None = None,
                  ) -> tuple[Prepared, FlowResult]:
    """The turn (or a what-if variant of it) played through: the prepared state is
    updated in place to the end of the turn and its measures carried over."""
    prepared = prepare_plan(rules, plan, exclude)
    flow = move_and_clear(rules.scenario, rules.baseline, rules.market, prepared.state,
                          prepared.policy, prepared.market)
    carry_measures(prepared, exclude is None)
    return prepared, flow


def move_and_clear(sc: Scenario, base: Baseline, mc: MarketConstants, state: GameState,
                   pol: Policy, mt: MarketTurn, budgets: bool = True) -> FlowResult:
    """Material flows and the market settles (prices, run rates, demand, contracts), in
    ``state`` (in place). Also run on states stacked along the material axis (``batch.py``,
    with ``budgets=False``: a stacked state has no budgets of its own; each game settles
    its own with ``market.settle_budgets``)."""
    flow = run_flow(base, state, pol, sc.price_response.market_flexibility,
                    sc.price_response.rationing_strength, mt.terms, mt.demand_response,
                    mt.demand_level)
    settle_market(mc, base, sc.price_response, state, pol, flow, mt, budgets=budgets)
    return flow


def carry_measures(prepared: Prepared, record_lapsed: bool = True) -> None:
    """The measures still in force next turn into the prepared state; ``record_lapsed``
    keeps the labels (read aloud next turn) and groups (which orders: the bots read them)
    of those that lapse; what-if variants do not need them."""
    state = prepared.state
    state.measures, lapsed, groups = carry_over(prepared.measures, state.turn)
    if record_lapsed:
        state.last = {**state.last, "lapsed": lapsed, "lapsed_groups": groups}


def update_political_capital(rules: CompiledRules, state: GameState, met: np.ndarray,
                             has: np.ndarray) -> None:
    """Political capital regenerates slowly and drains with shortfalls in the team's
    sectors (``met``: supply met (A, K); ``has``: which of them have demand)."""
    state.political_capital = political_capital_after(
        rules, state.political_capital[None], met[None], has[None])[0]


def political_capital_after(rules: CompiledRules, political_capital: np.ndarray,
                            met: np.ndarray, has: np.ndarray) -> np.ndarray:
    """``update_political_capital`` of G games at once: political capital (G, T) after a
    turn with supply met (G, A, K) where ``has`` (G, A, K) demand. Each game's figures
    are summed alone, in the same order (a batch sets every game's at once)."""
    base = rules.baseline
    members = base.team_members  # (T, A)
    count = np.einsum("ta,ga->gt", members, has.sum(axis=2))  # no BLAS: see flow.py
    total = np.einsum("ta,ga->gt", members, np.where(has, met, 0.0).sum(axis=2))
    shortfall = np.where(count > 0, 1.0 - total / np.maximum(count, 1), 0.0)
    return np.clip(political_capital + PC_REGEN - PC_SHORTFALL_PENALTY * shortfall, 0.0,
                   base.pc_limit)
