"""Many games' turns resolved in one pass: each game's turn is planned and prepared on its
own (orders, injects, measures, policy arrays, investments arriving), then every game's
state moves through the flow and the market in ONE NumPy pass, stacked along the material
axis exactly as ``explain.py`` stacks what-if variants (materials never interact within a
turn), and each game's turn is finished on its own part of the stack (``finish_turn``).

Every step is the engine's own function (``plan_turn``, ``prepare_plan``,
``complete_market_turn``, ``move_and_clear``, ``political_capital_after``,
``carry_measures``, ``finish_turn``): a change to the rules changes batches alike. What
reads only arrays is done once for the stack: the market's inputs (stock targets, plans,
demand response), the headlines each game keeps, political capital. Each game is prepared
on read-only views of its state (copied where its turn changes them) and keeps views of
its part of the stack. ``resolve_turns`` equals ``resolve_turn(..., explain=False)`` game
for game, to the state hash (``tests/unit/test_batch_engine.py``; one known exception,
a strict xfail there: a stage of the flow takes the licensed branch for the whole stack).

Budgets: a stacked state has no budgets of its own, so the stacked market pass leaves them
alone, and a game whose policy moves money at the market (tariff and export-duty revenue,
price-floor payments) settles it with ``market.settle_budgets`` on its own part of the
stack. The market's memory (``MarketState``) is stacked and split like the arrays.

``resolve_batch`` also keeps the stacked pass for the figures scores read
(``stacked_scores.py``): a sweep reads them for all games at once instead of building
each game's ``ScoreInputs``.
"""
from __future__ import annotations

from functools import cached_property
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from wargame.engine.baseline import Baseline
from wargame.engine.flow import FlowResult
from wargame.engine.indicators import stacked_headlines, stacked_last_headlines
from wargame.engine.market import complete_market_turn, settle_budgets, stack_market_turns
from wargame.engine.orders import Order, Override
from wargame.engine.planning import KnownOrders, plan_turn
from wargame.engine.policy import stack_policies
from wargame.engine.resolve import finish_turn
from wargame.engine.results import TurnResult
from wargame.engine.rules import CompiledRules
from wargame.engine.simulate import (
    Prepared, carry_measures, move_and_clear, political_capital_after, prepare_plan,
)
from wargame.engine.stacked_scores import StackedScoreInputs, stacked_score_inputs
from wargame.engine.state import ARRAY_FIELDS, GameState, stack_states
from wargame.scenario.model import Inject


class BatchTurn:
    """One turn of a batch of games: each game's result (in the order of its state) and the
    score inputs of all of them, read from the stacked pass when first asked for."""

    def __init__(self, results: list[TurnResult],
                 build_scores: Callable[[], StackedScoreInputs] | None):
        self.results = results
        self._build_scores = build_scores

    @cached_property
    def score_inputs(self) -> StackedScoreInputs | None:
        """What scores read, for every game at once (None for an empty batch)."""
        return self._build_scores() if self._build_scores is not None else None


def resolve_turns(rules: CompiledRules, states: Sequence[GameState],
                  orders: Sequence[Sequence[Order]], deck: bool = True,
                  injects: Sequence[str | Inject] = (),
                  overrides: Sequence[Override | Mapping[str, Any]] = ()) -> list[TurnResult]:
    """One turn of each game (``states[n]`` with ``orders[n]``; ``injects`` fired by hand
    and the facilitator's ``overrides`` in every game), without explanations."""
    return resolve_batch(rules, states, orders, deck, injects, overrides).results


def resolve_batch(rules: CompiledRules, states: Sequence[GameState],
                  orders: Sequence[Sequence[Order]], deck: bool = True,
                  injects: Sequence[str | Inject] = (),
                  overrides: Sequence[Override | Mapping[str, Any]] = ()) -> BatchTurn:
    """``resolve_turns``, keeping the stacked pass for ``BatchTurn.score_inputs``."""
    sc, base = rules.scenario, rules.baseline
    if len(states) != len(orders):
        raise ValueError("resolve_turns: one list of orders per state")
    if not states:
        return BatchTurn([], None)
    known = KnownOrders()  # the games mostly give the same order objects: looked up once
    plans = [plan_turn(rules, state, list(given), injects, overrides, deck, known)
             for state, given in zip(states, orders)]
    prepared = [prepare_plan(rules, plan, complete_market=False, share_arrays=True)
                for plan in plans]
    M = base.n_materials
    copies = len(prepared)
    tiled, tiled_market = rules.tiled(copies), rules.tiled_market(copies)
    stacked = stack_states([p.state for p in prepared])
    policy = stack_policies([p.policy for p in prepared])
    tariffs = policy.tariff.reshape(copies, -1).any(axis=1)  # which games levy any
    # price floors keep their producers running: shift them to their game's materials
    policy.floors = [(payer, producer, m + n * M, s, floor, mid)
                     for n, p in enumerate(prepared)
                     for payer, producer, m, s, floor, mid in p.policy.floors]
    market = complete_market_turn(
        tiled_market, tiled, stacked, _stacked_cover_days(prepared, base),
        stack_market_turns([p.market for p in prepared], [M] * copies))
    flow = move_and_clear(sc, tiled, tiled_market, stacked, policy, market, budgets=False)
    # the headlines every game keeps for its next turn, and its scores read, for all at once
    headlines = stacked_headlines(tiled, stacked.price,
                                  np.stack([p.policy.sector_cap for p in prepared]), flow, copies)
    # every game's political capital after the turn, from the stack's headlines
    capital = political_capital_after(
        rules, np.stack([p.state.political_capital for p in prepared]),
        headlines.supply_met_share, headlines.has_demand)
    kept = stacked_last_headlines(sc, headlines)
    results = []
    first_pool = 0
    for n, (state, plan, game) in enumerate(zip(states, plans, prepared)):
        part = slice(n * M, (n + 1) * M)
        pools = len(game.market.terms.quotas)
        game_flow = _FlowPart(flow, part, slice(first_pool, first_pool + pools))
        first_pool += pools
        # each game's part of the stacked arrays (contiguous views, no copy: the stack is
        # this turn's own, and the next turn copies a state before changing it)
        for name in ARRAY_FIELDS:
            setattr(game.state, name, getattr(stacked, name)[part])
        if game.state.market is not None and stacked.market is not None:
            own, ms = game.state.market, stacked.market
            own.demand_level = ms.demand_level[:, :, part].copy()
            for name in ("contract", "sales", "unsold", "input_met", "licence_queue"):
                setattr(own, name, getattr(ms, name)[part])
        if game.policy.floors or tariffs[n] or game.market.duty is not None:
            settle_budgets(base, game.state, game.policy, game_flow(), game.market)
        carry_measures(game)
        results.append(finish_turn(rules, state, plan, game, game_flow, explain=False,
                                   headlines=headlines.of_game(n),
                                   political_capital=capital[n], kept=kept[n]))
    return BatchTurn(results, lambda: stacked_score_inputs(
        rules, stacked, flow, [r.state for r in results], headlines, capital))


class _FlowPart:
    """A game's part of the stacked flow (``FlowResult.part``), cut when first read: a
    sweep reads it only to settle the market money of the games that move some."""

    __slots__ = ("_flow", "_materials", "_pools", "_part")

    def __init__(self, flow: FlowResult, materials: slice, pools: slice):
        self._flow, self._materials, self._pools = flow, materials, pools
        self._part: FlowResult | None = None

    def __call__(self) -> FlowResult:
        if self._part is None:
            self._part = self._flow.part(self._materials, self._pools)
        return self._part


def _stacked_cover_days(prepared: list[Prepared], base: Baseline) -> np.ndarray | None:
    """The games' extra stock cover (``set_parameter stock_cover_days``) stacked; a game
    without any adds zero days, which leaves its normal stock exactly as it was."""
    if all(p.policy.cover_days is None for p in prepared):
        return None
    none = np.zeros((base.n_materials, base.n_stages, base.n_actors))
    return np.concatenate([none if p.policy.cover_days is None else p.policy.cover_days
                           for p in prepared])
