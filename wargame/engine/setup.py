"""``initial_state``: the world at the start of turn 1 of a new game.

Kept out of ``state.py`` so that the state depends on nothing that moves material
(``state`` -> ``measures`` only; this module uses the flow to settle, before the game
starts, where trade puts origin shares and the licence queues that standing measures keep
on file: routine licensing in force from day one is part of the baseline, not a shock on
turn 1).
"""
from __future__ import annotations

import numpy as np

from wargame.engine.draws import initial_rng_state
from wargame.engine.flow import run_flow
from wargame.engine.market import initial_market, prepare_market
from wargame.engine.planning import standing_measures
from wargame.engine.policy import build_policy, empty_policy
from wargame.engine.rules import CompiledRules, rules_for
from wargame.engine.state import GameState
from wargame.scenario.model import Scenario

SETTLING_FLOWS = 2  # quiet flows run to settle origin shares before turn 1
QUEUE_SETTLING_FLOWS = 4  # flows under standing licences to settle their queues


def initial_state(scenario: Scenario, seed: int | None = None,
                  rules: CompiledRules | None = None) -> GameState:
    """The world at the start of turn 1 with the scenario's default seed or ``seed``.
    Standing measures (``in_force``) are applied by ``resolve_turn`` on turn 1, from the
    scenario, so they need no orders. Only the RNG depends on the seed: the settled world
    is built once per ``CompiledRules`` and copied (a sweep starts thousands of games)."""
    rules = rules or rules_for(scenario)
    rules.check(scenario)
    seed = scenario.default_seed if seed is None else int(seed)
    state = rules.start_world(lambda: _settled_world(rules)).copy()
    state.rng_state = initial_rng_state(seed)
    state.seed = seed
    return state


def _settled_world(rules: CompiledRules) -> GameState:
    """The start of turn 1 before the seed is set: two quiet flows settle origin shares,
    a few under the standing licences settle their queues (all without draws of the game's
    own: queues are drawn with seed 0)."""
    scenario, base = rules.scenario, rules.baseline
    M, S, A = base.capacity.shape
    origin = np.zeros((M, S, A, A))
    origin[:, :, np.arange(A), np.arange(A)] = 1.0  # before any flow, holdings are own origin
    state = GameState(
        turn=1,
        capacity=base.capacity.copy(),
        recycle_capacity=base.recycle_capacity.copy(),
        utilisation=base.utilisation.copy(),
        base_utilisation=base.utilisation.copy(),
        stock=base.stock.copy(),
        stock_target=base.stock.copy(),
        strategic=base.strategic.copy(),
        price=rules.market.reference_price.copy(),
        origin=origin,
        budget=np.array([float(t.budget.value) for t in scenario.teams]),
        political_capital=np.array([float(t.political_capital.value) for t in scenario.teams]),
    )
    # two quiet flows on a copy, so that origin shares (which country's material each
    # actor's output carries) start where trade puts them, not at 'all own origin'
    scratch = state.copy()
    for _ in range(SETTLING_FLOWS):
        run_flow(base, scratch, empty_policy(base))
    state.origin = scratch.origin
    state.market = initial_market(rules.market, base)
    _settle_licence_queues(rules, state)
    return state


def _settle_licence_queues(rules: CompiledRules, state: GameState) -> None:
    """Applications that standing licences keep on file in a steady state (a few flows
    under the standing measures, on a copy, drawn with seed 0)."""
    measures = standing_measures(rules, 1)
    if not any(m.primitive in ("export_restriction", "extraterritorial_rule")
               for m in measures):
        return
    scratch = state.copy()
    for _ in range(QUEUE_SETTLING_FLOWS):
        pol = build_policy(rules, measures, 1, 0, scratch.origin, record=False)
        market = prepare_market(rules.market, rules.baseline, scratch, pol, [])
        flow = run_flow(rules.baseline, scratch, pol, rules.scenario.price_response.market_flexibility,
                        rules.scenario.price_response.rationing_strength, market.terms)
        if flow.licence_queue is not None:
            scratch.market.licence_queue = flow.licence_queue
        scratch.stock, scratch.strategic = state.stock.copy(), state.strategic.copy()
    state.market.licence_queue = scratch.market.licence_queue
