"""``resolve_turn``: one turn, orchestrated. Pure and deterministic: the same scenario,
state, orders and injects give the same result, whatever order the orders come in.

The turn, step by step (each step in its own module):

1. ``planning.plan_turn``: the turn seed is drawn from the state's RNG; orders are sorted
   canonically, checked, charged and bound into measures with stable ids, with standing
   orders (turn 1) and the injects that fire;
2. ``simulate.simulate_plan``: measures start, policy arrays are built, investments
   arrive, material flows (``flow.py``), prices clear (``market.py``), measures carry over;
3. political capital moves with the team's shortfalls (``simulate.py``);
4. ``explain.py``: one line per order and event of the turn, leave-one-out explanations
   of the headlines (stacked), and the narration of the turn;
5. ``indicators.py``: the typed indicators and scores, built when first read.
"""
from __future__ import annotations

import dataclasses
from functools import partial
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from wargame.engine.conditions import record_turn
from wargame.engine.draws import initial_rng_state
from wargame.engine.explain import explain_turn, inject_lines, narrate
from wargame.engine.flow import FlowResult, ledger_gap
from wargame.engine.indicators import (
    build_indicators, capacity_reader, headline_dict, headline_values, last_headlines,
    score_inputs, stage_price_index, with_scores,
)
from wargame.engine.orders import Order, Override
from wargame.engine.planning import TurnPlan, plan_turn
from wargame.engine.policy import Policy, turn_draws
from wargame.engine.results import Explanation, TurnIndicators, TurnResult
from wargame.engine.rules import CompiledRules, rules_for
from wargame.engine.setup import initial_state
from wargame.engine.simulate import Prepared, simulate_plan, update_political_capital
from wargame.engine.state import GameState
from wargame.scenario.model import Inject, Scenario


def resolve_turn(scenario: Scenario, state: GameState, orders: Sequence[Order] = (),
                 injects: Iterable[str | Inject] = (), rng: Any = None, explain: bool = True,
                 overrides: Iterable[Override | Mapping[str, Any]] = (), deck: bool = True,
                 rules: CompiledRules | None = None, last_turn: int | None = None
                 ) -> TurnResult:
    """Resolve one turn of ``scenario`` from ``state`` (which is not changed).

    ``orders`` in any order (they are sorted canonically); ``injects`` fired by hand (deck
    ids or ``Inject`` objects); ``overrides`` the facilitator's rulings; ``deck=False``
    leaves the scenario's scheduled and random injects out (a quiet baseline run);
    ``rng`` a seed replacing the state's RNG (for what-if runs; by default the state's own
    RNG is used, so a session replays exactly); ``rules`` the scenario's
    ``CompiledRules`` (by default ``rules_for(scenario)``); ``last_turn`` the exercise's
    last turn when a session ends before the scenario does (only explanations read it)."""
    return _resolve(scenario, state, orders, injects, rng, explain, overrides, deck, rules,
                    scored=True, last_turn=last_turn)


def quiet_reference(rules: CompiledRules) -> TurnIndicators:
    """Indicators of a quiet turn 1 (no orders, no deck; seed 0): what revenue, value
    added and import bill are scored against. Computed once per ``CompiledRules``."""
    def build() -> TurnIndicators:
        quiet = _resolve(rules.scenario, initial_state(rules.scenario, 0, rules), (), (),
                         None, False, (), False, rules, scored=False)
        return quiet.indicators
    return rules.quiet_reference(build)


def baseline_preview(scenario: Scenario, rules: CompiledRules | None = None) -> TurnIndicators:
    """The baseline world before any turn is played, without committing anything: the
    indicators of a quiet turn 1 (no orders, no events; standing orders in force), the
    same figures scores are measured against. For the first briefing and the map."""
    return quiet_reference(rules or rules_for(scenario))


def _resolve(scenario: Scenario, state: GameState, orders: Sequence[Order],
             injects: Iterable[str | Inject], rng: Any, explain: bool,
             overrides: Iterable[Override | Mapping[str, Any]], deck: bool,
             rules: CompiledRules | None, scored: bool, last_turn: int | None = None
             ) -> TurnResult:
    rules = rules or rules_for(scenario)
    rules.check(scenario)
    if rng is not None:
        state = state.copy()
        state.rng_state = initial_rng_state(int(rng))
    plan = plan_turn(rules, state, list(orders), injects, overrides, deck)
    if last_turn is not None:
        plan = dataclasses.replace(plan, last_turn=int(last_turn))
    prepared, flow = simulate_plan(rules, plan)
    return finish_turn(rules, state, plan, prepared, flow, explain, scored)


def _narration(rules: CompiledRules, plan: TurnPlan, pol: Policy, arrivals: list,
               ) -> list[Explanation]:
    """A turn's lines without explanations of the headlines: injects, draws, arrivals."""
    return inject_lines(plan.fired) + narrate(rules, plan, turn_draws(pol), arrivals)


def finish_turn(rules: CompiledRules, state: GameState, plan: TurnPlan, prepared: Prepared,
                flow: FlowResult | Callable[[], FlowResult], explain: bool = False,
                scored: bool = True,
                headlines: tuple[np.ndarray, ...] | None = None,
                political_capital: np.ndarray | None = None,
                kept: dict[str, Any] | None = None) -> TurnResult:
    """Everything after the flow: political capital, explanations, the headlines kept for
    next turn, and the result (indicators built when first read). ``state`` is the turn's
    starting state; ``prepared.state`` becomes the next one. ``batch.py`` calls this for
    each game of a stacked pass, with the game's ``headlines`` (met, has, price index,
    stage price index) worked out for the whole stack (``indicators.stacked_headlines``),
    its political capital after the turn (``political_capital``) and the headlines it keeps
    for the next turn (``kept``: ``indicators.stacked_last_headlines``). Its ``flow`` may
    come as a function giving it, called when the flow is first read (a batch cuts a
    game's part of the stacked flow only for the readers of more than its headlines)."""
    scenario, base = rules.scenario, rules.baseline
    flow_of: Callable[[], FlowResult] = flow if callable(flow) else partial(_same, flow)
    new_state, pol = prepared.state, prepared.policy
    turn = state.turn
    if headlines is None:
        flow = flow_of()
        met, has, price_index = headline_values(base, new_state.price, pol.sector_cap,
                                                flow.sector_demand, flow.sector_met)
        stage_index = stage_price_index(base, new_state.price)
    else:
        met, has, price_index, stage_index = headlines
    if political_capital is None:
        update_political_capital(rules, new_state, met, has)
    else:  # worked out for the whole batch (``simulate.political_capital_after``)
        new_state.political_capital = political_capital
    explanations: list[Explanation] | Callable[[], list[Explanation]]
    if explain:
        explanations = explain_turn(rules, plan, prepared, flow_of(),
                                    headline_dict(scenario, met, has, price_index,
                                                  stage_index, base), state)
    else:  # narrated when first read (sweeps never read it)
        explanations = partial(_narration, rules, plan, pol, prepared.arrivals)
    if kept is None:
        kept = last_headlines(scenario, met, has, price_index, stage_index)
    new_state.last = {**kept,
                      "lapsed": new_state.last.get("lapsed", []),
                      "lapsed_groups": new_state.last.get("lapsed_groups", [])}
    # the figures the deck's conditions read, recorded now (built once, scored later)
    plain = build_indicators(rules, new_state, pol, flow_of(), turn) if rules.deck.records \
        else None
    if plain is not None:
        new_state.deck = record_turn(rules.deck, scenario, new_state.deck, plain,
                                     capacity_reader(rules, new_state))
    new_state.turn = turn + 1

    def build() -> TurnIndicators:  # the state is never changed after the turn
        reference = quiet_reference(rules) if scored else None
        if plain is None:
            return build_indicators(rules, new_state, pol, flow_of(), turn, reference)
        return with_scores(scenario, plain, reference)

    return TurnResult(turn=turn, state=new_state, outcomes=list(plan.outcomes),
                      explanations=explanations, injects_fired=list(plan.fired),
                      draws=partial(turn_draws, pol), indicators=build,
                      ledger_gap=lambda: float(np.abs(ledger_gap(base, flow_of())).max()),
                      score_inputs=lambda: score_inputs(rules, new_state, pol, flow_of()))


def _same(flow: FlowResult) -> FlowResult:
    return flow
