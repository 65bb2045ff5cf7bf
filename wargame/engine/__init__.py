"""The rules engine: pure Python + NumPy (+ pydantic for its typed records); no Qt, no
database, no YAML, no file I/O.

``resolve_turn(scenario, state, orders, injects, ..., rules=None) -> TurnResult`` is the
heart. Architecture (modules in dependency order, lowest first)::

    baseline.py    Baseline: per-turn constants a scenario implies (arrays [material,
                   stage, actor]), read-only
    rules.py       CompiledRules: everything derived from a scenario once (baseline,
                   compiled measures, bound arguments, quiet-turn reference, tiled
                   baselines, bot interests); rules_for(scenario) caches by content hash
    draws.py       the turn seed and keyed draws (stable keys), LicenceDraw / DelayDraw
    lookups.py     bound arguments (ids, $all, stage names) to array indices
    measures.py    Measure and PipelineEntry: the records of measures in force and of
                   capacity being built
    state.py       GameState: the world at the start of a turn (serialisable, hashable)
    lifecycle.py   one-offs when a measure starts; investments arriving or slipping;
                   measures carried to the next turn
    orders.py      Order, Override, validate_order, binding parameters into arguments
    policy.py      Policy: measures compiled and applied to one turn's trade arrays
    flow.py        one turn of material moving stage by stage (allocation, rationing)
    market.py      prices clearing and producers' run rates (issue 8 rebuilds this)
    setup.py       initial_state: a new game's first state
    results.py     the typed contract: TurnResult, TurnIndicators, FlowRow, TeamScore,
                   OrderOutcome (OutcomeStatus), FiredInject, Explanation
    wording.py     names read aloud and narration sentences (pure text)
    phrases.py     moves as a team would say them (labels, order descriptions)
    planning.py    plan_turn: canonical order, checks, costs, measures with stable ids
    simulate.py    one pass of a planned turn (also run per what-if variant)
    indicators.py  TurnIndicators and scores (with per-objective breakdown)
    explain.py     stacked leave-one-out explanations and narration
    resolve.py     resolve_turn: the orchestration of one turn; baseline_preview
    arrivals.py    capacity_arrivals: when an order's new capacity would arrive
    conditions.py  the inject deck at play: conditional injects, follow-up chains, the
                   figures conditions read (DeckState in the state); deck_view.py:
                   upcoming_deck, the facilitator's list of what may still fire
    view.py        team_view: a team's fog-of-war TeamView
    batch.py       resolve_turns: many games' turns in one stacked flow and market pass
    bot_params.py  how bots set a move's parameters
    posture_bots.py  bots with a posture (hawkish, balanced, dovish)
    bots.py        bot_orders: the scenario's style bots, or a posture bot
    game.py        run_game, a whole game headless; play_games, many in lockstep
    version.py     ENGINE_MODEL_VERSION, bumped on purpose when outcomes change

Typed contracts (field names carry units; ``results.py`` documents every field):

- ``TurnResult``: ``turn``, ``state`` (GameState), ``outcomes`` (OrderOutcome, canonical
  order), ``indicators`` (TurnIndicators, built on first read), ``explanations``
  (Explanation), ``injects_fired`` (FiredInject), ``draws`` (LicenceDraw | DelayDraw),
  ``ledger_gap``; ``to_dict``/``from_dict`` is the store's payload (finite JSON).
- ``TurnIndicators`` (pydantic, frozen; ``to_json_dict``/``from_json_dict``): the per-actor
  part ``ActorIndicators`` plus prices, budgets, political capital, ``flows``
  (``FlowRow``: exporter, importer, material, stage, tonnes_per_turn, tonnes_per_year,
  status ``FlowStatus``), ``crma_benchmarks`` (``CrmaBenchmarks`` rows) and ``scores``
  (``TeamScore``: total and ``ScoreTerm`` label, indicator, raw_value, weight,
  contribution).
- ``OrderOutcome`` (order_id, team, move, status ``OutcomeStatus``, detail, description),
  ``FiredInject`` (inject_id, title, text, how), ``Explanation`` (text, groups, public).
- ``Measure`` (id, group, label, team, primitive, args, start_turn, end_turn, public) and
  ``PipelineEntry`` (id, group, label, team, public, actor, material, stage,
  tonnes_per_year, tonnes_per_turn, due_turn, recycled, delay_probability).
- ``TeamView`` (team, turn, actors, budget_usd_m, political_capital, own
  ``OwnIndicators``, public ``PublicIndicators``, measures ``VisibleMeasure``, pipeline
  ``PipelineEntry``, moves ``MoveOption``), from ``team_view``.
- Inputs: ``Order`` (team, move, params, id) and ``Override`` (order_id, status, reason;
  a ``scaled`` override also names a numeric ``param`` and a ``factor``).
- ``CompiledRules``: ``rules_for(scenario)`` (cached by content hash) or
  ``compile_rules(scenario)``; pass it as ``resolve_turn(..., rules=rules)``.

Randomness: one turn seed per turn from the state's PCG64 stream; every draw keyed by the
turn seed and a stable id (order id + effect index, inject id + turn, standing order index),
so setting one order aside changes only its own draws and the order of the orders list does
not matter (``draws.py``, ``planning.py``). Outcomes change only with a bump of
``ENGINE_MODEL_VERSION``; ``tests/golden`` holds the master.
"""
from wargame.engine.bots import bot_orders
from wargame.engine.conditions import DeckState, UpcomingInject
from wargame.engine.deck_view import upcoming_deck
from wargame.engine.draws import DelayDraw, LicenceDraw
from wargame.engine.game import run_game
from wargame.engine.measures import Measure, PipelineEntry
from wargame.engine.orders import (
    FACILITATOR, Order, Override, order_cost, scalable_params, scaled_order, validate_order,
)
from wargame.engine.phrases import describe_move, describe_order
from wargame.engine.arrivals import capacity_arrivals
from wargame.engine.resolve import baseline_preview, resolve_turn
from wargame.engine.results import (
    OUTCOME_ACCEPTED, ActorIndicators, OUTCOME_NO_QUORUM, OUTCOME_OVERRIDDEN, OUTCOME_REJECTED,
    CrmaBenchmarks, Explanation,
    FiredInject, FlowRow, FlowStatus, OrderOutcome, OutcomeStatus, ScoreTerm, TeamScore,
    TurnIndicators, TurnResult,
)
from wargame.engine.rules import CompiledRules, baseline, compile_rules, rules_for
from wargame.engine.setup import initial_state
from wargame.engine.state import GameState
from wargame.engine.version import ENGINE_MODEL_VERSION
from wargame.engine.view import TeamView, team_view

__all__ = [
    "ActorIndicators", "CompiledRules", "CrmaBenchmarks", "DeckState", "DelayDraw", "ENGINE_MODEL_VERSION", "Explanation",
    "FACILITATOR", "FiredInject", "FlowRow", "FlowStatus", "GameState", "LicenceDraw",
    "Measure", "OUTCOME_ACCEPTED", "OUTCOME_NO_QUORUM", "OUTCOME_OVERRIDDEN", "OUTCOME_REJECTED", "Order",
    "OrderOutcome", "OutcomeStatus", "Override", "PipelineEntry", "ScoreTerm", "TeamScore",
    "TeamView", "TurnIndicators", "TurnResult", "UpcomingInject", "baseline",
    "baseline_preview", "bot_orders", "capacity_arrivals", "compile_rules", "describe_move",
    "describe_order", "initial_state", "order_cost", "resolve_turn", "rules_for", "run_game",
    "scalable_params", "scaled_order", "team_view", "upcoming_deck", "validate_order",
]
