"""``resolve_turn``: apply orders and injects, move material, clear prices, score, explain.

Pure and deterministic: the same scenario, state, orders and injects give the same result.
All randomness comes from the RNG state kept in ``GameState``: one turn seed is drawn from it
per turn and every draw of the turn is keyed on that seed and the drawing measure's id, so
leave-one-out explanations see exactly the same draws (common random numbers).
"""
from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from wargame.engine.flow import EPS, FlowResult, ledger_gap, run_flow
from wargame.engine.orders import (
    FACILITATOR, Order, bind_effect_args, describe_order, order_cost, order_duration, validate_order,
    with_defaults,
)
from wargame.engine.policy import (
    STATUS_NAMES, Policy, build_policy, keyed_uniform, stack_policies, stage_index,
)
from wargame.engine.state import Baseline, GameState, baseline, stack_states, tiled_baseline
from wargame.scenario.model import Inject, Scenario
from wargame.scenario.primitives import PERMANENT_PRIMITIVES

OUTCOME_ACCEPTED = "accepted"
OUTCOME_REJECTED = "rejected"
OUTCOME_OVERRIDDEN = "overridden"
PC_REGEN = 2.0  # political capital regained each turn
PC_SHORTFALL_PENALTY = 20.0  # lost per turn at a complete shortfall in a team's sectors


class OrderOutcome:
    """What became of one order. The public description is written when first read (it
    is presentation, not part of resolving the turn)."""

    __slots__ = ("order_id", "team", "move", "status", "detail", "_description")

    def __init__(self, order_id: str, team: str, move: str, status: str, detail: str = "",
                 description: str | Callable[[], str] = ""):
        self.order_id, self.team, self.move = order_id, team, move
        self.status, self.detail = status, detail
        self._description = description

    @property
    def description(self) -> str:
        if callable(self._description):
            self._description = self._description()
        return self._description

    @description.setter
    def description(self, value: str) -> None:
        self._description = value

    def to_dict(self) -> dict[str, Any]:
        return {"order_id": self.order_id, "team": self.team, "move": self.move,
                "status": self.status, "detail": self.detail, "description": self.description}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "OrderOutcome":
        return cls(**raw)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OrderOutcome) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"OrderOutcome({self.order_id!r}, {self.team!r}, {self.move!r}, {self.status!r})"


class TurnResult:
    """A resolved turn. ``indicators`` (the JSON-safe dict the UI, store and reports read)
    is built on first access: resolving and explaining need only the arrays."""

    def __init__(self, turn: int, state: GameState, outcomes: list[OrderOutcome],
                 indicators: dict[str, Any] | None, explanations: list[str],
                 injects_fired: list[dict[str, Any]] | None = None,
                 draws: list[dict[str, Any]] | None = None,
                 ledger_gap: float | Callable[[], float] = 0.0,
                 build_indicators: Callable[[], dict[str, Any]] | None = None):
        self.turn = turn
        self.state = state
        self.outcomes = outcomes
        self._indicators = indicators
        self._build = build_indicators
        self.explanations = explanations
        self.injects_fired = injects_fired or []
        self.draws = draws or []
        self._ledger_gap = ledger_gap

    @property
    def indicators(self) -> dict[str, Any]:
        if self._indicators is None:
            self._indicators = self._build() if self._build else {}
            self._build = None
        return self._indicators

    @property
    def ledger_gap(self) -> float:
        """Largest per-material gap in the material balance (tonnes; ~0 when conserved)."""
        if callable(self._ledger_gap):
            self._ledger_gap = self._ledger_gap()
        return self._ledger_gap

    @indicators.setter
    def indicators(self, value: dict[str, Any]) -> None:
        self._indicators, self._build = value, None

    def __repr__(self) -> str:
        return f"TurnResult(turn={self.turn}, outcomes={len(self.outcomes)}, state={self.state.content_hash()[:10]})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TurnResult) and self.to_dict() == other.to_dict()

    def to_dict(self) -> dict[str, Any]:
        return {"turn": self.turn, "state": self.state.to_dict(),
                "outcomes": [o.to_dict() for o in self.outcomes],
                "indicators": self.indicators, "explanations": list(self.explanations),
                "injects_fired": self.injects_fired, "draws": self.draws,
                "ledger_gap": self.ledger_gap}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "TurnResult":
        return cls(turn=int(raw["turn"]), state=GameState.from_dict(raw["state"]),
                   outcomes=[OrderOutcome.from_dict(o) for o in raw["outcomes"]],
                   indicators=raw["indicators"], explanations=list(raw["explanations"]),
                   injects_fired=list(raw.get("injects_fired", [])),
                   draws=list(raw.get("draws", [])), ledger_gap=float(raw.get("ledger_gap", 0)))


# ----------------------------------------------------------------- measures from orders

def _bind_measures(sc: Scenario, effects: Sequence[Any], params: dict[str, Any],
                   team: str | None, self_actor: str | None, group: str, label: str,
                   turn: int, duration: int, next_id: int) -> tuple[list[dict[str, Any]], int]:
    """One measure per effect, arguments bound; capacity-building effects are permanent."""
    measures = []
    cache = sc.__dict__.setdefault("_wargame_bound_args", {})
    if len(cache) > 4096:
        cache.clear()
    try:
        given = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    except TypeError:  # an unhashable parameter: bind without sharing
        given = None
    for effect in effects:
        # the same order bound again shares its arguments (and so their compiled form)
        key = (id(effect), given, self_actor, team) if given is not None else None
        entry = cache.get(key) if key is not None else None
        if entry is not None and entry[0] is effect:
            args = entry[1]
        else:
            args = bind_effect_args(sc, effect.primitive, effect.args, params, self_actor, team)
            if key is not None:
                cache[key] = (effect, args)
        end = None if duration == 0 or effect.primitive in PERMANENT_PRIMITIVES else turn + duration
        measures.append({"id": f"x{next_id}", "group": group, "label": label, "team": team,
                         "primitive": effect.primitive, "args": args, "start": turn, "end": end})
        next_id += 1
    return measures, next_id


def _measures_for(sc: Scenario, move_id: str, params: dict[str, Any], team: str | None,
                  self_actor: str | None, group: str, label: str, turn: int,
                  duration: int, next_id: int) -> tuple[list[dict[str, Any]], int]:
    return _bind_measures(sc, sc.move_index[move_id].effects, params, team, self_actor, group,
                          label, turn, duration, next_id)


def _inject_measures(sc: Scenario, inject: Inject, turn: int, next_id: int,
                     ) -> tuple[list[dict[str, Any]], int]:
    """An inject's effects bind the same way every time it fires: deck injects reuse their
    bound arguments (and so their compiled form)."""
    team = sc.actor(inject.by).team if inject.by in sc.actor_index else None
    cache = sc.__dict__.setdefault("_wargame_inject_args", {})
    bound = cache.get(inject.id) if any(i is inject for i in sc.injects) else None
    if bound is None:
        bound = [bind_effect_args(sc, e.primitive, e.args, {}, inject.by, team)
                 for e in inject.effects]
        if any(i is inject for i in sc.injects):
            cache[inject.id] = bound
    measures = []
    for effect, args in zip(inject.effects, bound):
        end = None if inject.duration == 0 or effect.primitive in PERMANENT_PRIMITIVES \
            else turn + inject.duration
        measures.append({"id": f"x{next_id}", "group": f"inject:{inject.id}",
                         "label": f"the inject '{inject.title}'", "team": team,
                         "primitive": effect.primitive, "args": args, "start": turn, "end": end})
        next_id += 1
    return measures, next_id


def _start_measure(sc: Scenario, base: Baseline, state: GameState, measure: dict[str, Any]) -> None:
    """One-off consequences when a measure starts: capacity into the pipeline, stock, price,
    budget or political capital changes."""
    prim, args = measure["primitive"], measure["args"]
    years = base.turn_fraction
    if prim in ("invest_capacity", "equity_stake", "recycling"):
        actor = args.get("actor") if prim != "equity_stake" else args.get("host")
        if actor not in sc.actor_index or args.get("material") not in sc.material_index:
            return
        m = sc.material_index[args["material"]]
        s = stage_index(sc, m, args.get("stage"))
        tonnes = float(args.get("tonnes_per_year") or 0) * years
        if tonnes <= 0:
            return
        lead_years = args.get("lead_time_years")
        lead = base.lead_turns[m, s] if lead_years in (None, "") else \
            max(1, round(float(lead_years) / years))
        state.pipeline.append({
            "id": measure["id"], "group": measure["group"], "label": measure["label"],
            "due": measure["start"] + int(lead), "actor": actor, "material": args["material"],
            "stage": sc.materials[m].stages[s].id, "tonnes": tonnes,
            "recycled": prim == "recycling",
            "delay_probability": args.get("delay_probability"),
        })
    elif prim == "set_parameter":
        parameter, op = args.get("parameter"), args.get("op") or "scale"
        value = float(args.get("value") or 0)
        if parameter == "capacity" and op in ("add", "set") and measure["end"] is None:
            _permanent_capacity_change(sc, base, state, args, op, value)
            return
        if parameter in ("budget", "political_capital") and args.get("team") in sc.team_index:
            arr = state.budget if parameter == "budget" else state.political_capital
            t = sc.team_index[args["team"]]
            arr[t] = _one_off(arr[t], op, value)
        elif parameter in ("stock", "price") and args.get("material") in sc.material_index:
            m = sc.material_index[args["material"]]
            stages = [stage_index(sc, m, args["stage"])] if args.get("stage") else \
                list(range(base.stage_count[m]))
            actors = [sc.actor_index[args["actor"]]] if args.get("actor") in sc.actor_index \
                else list(range(base.n_actors))
            arr = state.stock if parameter == "stock" else state.price
            for s in stages:
                for a in actors:
                    scale = years if (parameter == "stock" and op != "scale") else 1.0
                    arr[m, s, a] = max(0.0, _one_off(arr[m, s, a], op, value * scale))


def _permanent_capacity_change(sc: Scenario, base: Baseline, state: GameState,
                               args: dict[str, Any], op: str, value: float) -> None:
    """A permanent 'add' or 'set' of capacity (t/yr) changes the state itself, so it works
    where there was no capacity before (a new plant); new capacity runs at full rate."""
    if args.get("material") not in sc.material_index:
        return
    m = sc.material_index[args["material"]]
    stages = [stage_index(sc, m, args["stage"])] if args.get("stage") else list(range(base.stage_count[m]))
    actors = [sc.actor_index[args["actor"]]] if args.get("actor") in sc.actor_index \
        else list(range(base.n_actors))
    for s in stages:
        for a in actors:
            old = state.capacity[m, s, a]
            new = max(0.0, old + value * base.turn_fraction if op == "add" else value * base.turn_fraction)
            if new > old:
                added = new - old
                state.base_utilisation[m, s, a] = (state.base_utilisation[m, s, a] * old + added) / new
                state.utilisation[m, s, a] = (state.utilisation[m, s, a] * old + added) / new
            state.capacity[m, s, a] = new


def _one_off(current: float, op: str, value: float) -> float:
    if op == "set":
        return value
    if op == "add":
        return current + value
    return current * value


def _advance_pipeline(sc: Scenario, base: Baseline, state: GameState, pol: Policy,
                      turn_seed: int, default_delay: float) -> list[dict[str, Any]]:
    arrivals, keep = [], []
    for entry in state.pipeline:
        if entry["due"] > state.turn:
            keep.append(entry)
            continue
        p = entry.get("delay_probability")
        p = (pol.delay_probability if pol.delay_probability is not None else default_delay) \
            if p is None else float(p)
        slip = keyed_uniform(turn_seed, f"{entry['id']}:delay") < p
        pol.draws.append({"kind": "delay", "measure": entry["id"], "slipped": bool(slip),
                          "probability": p})
        if slip:
            entry = dict(entry, due=entry["due"] + 1)
            keep.append(entry)
            continue
        m = sc.material_index[entry["material"]]
        s = sc.materials[m].stage_index(entry["stage"])
        a = sc.actor_index[entry["actor"]]
        if entry.get("recycled"):
            state.recycle_capacity[m, s, a] += entry["tonnes"]
        else:
            old = state.capacity[m, s, a]
            new = old + entry["tonnes"]
            # new plant runs at full rate; blend the actor's utilisation accordingly
            state.base_utilisation[m, s, a] = (state.base_utilisation[m, s, a] * old + entry["tonnes"]) / new
            state.utilisation[m, s, a] = (state.utilisation[m, s, a] * old + entry["tonnes"]) / new
            state.capacity[m, s, a] = new
        arrivals.append(entry)
    state.pipeline = keep
    return arrivals


# ----------------------------------------------------------------- core simulation

@dataclass
class _TurnPlan:
    measures: list[dict[str, Any]]  # active this turn (new + ongoing)
    fired: list[dict[str, Any]]
    outcomes: list[OrderOutcome]
    state: GameState  # state after costs and expiry, before one-offs
    turn_seed: int


def _prepare(sc: Scenario, base: Baseline, plan: _TurnPlan, exclude: str | None = None,
             ) -> tuple[GameState, Policy, list[dict[str, Any]], list[dict[str, Any]]]:
    """Everything before the flow: measures start, policy arrays, pipeline arrivals."""
    state = plan.state.copy()
    measures = [m for m in plan.measures if m["group"] != exclude]
    for measure in measures:
        if measure["start"] == state.turn:
            _start_measure(sc, base, state, measure)
    if exclude is not None:
        state.pipeline = [e for e in state.pipeline if e.get("group") != exclude]
    pol = build_policy(sc, base, measures, state.turn, plan.turn_seed, state.origin,
                       record=exclude is None)
    arrivals = _advance_pipeline(sc, base, state, pol, plan.turn_seed, sc.delay_probability)
    return state, pol, arrivals, measures


def _simulate(sc: Scenario, base: Baseline, plan: _TurnPlan, exclude: str | None = None,
              ) -> tuple[GameState, FlowResult, Policy, list[dict[str, Any]]]:
    state, pol, arrivals, measures = _prepare(sc, base, plan, exclude)
    flow = run_flow(base, state, pol, sc.price_response.market_flexibility,
                    sc.price_response.rationing_strength)
    _clear_prices(sc, base, state, pol, flow)
    _update_utilisation(base, state, pol, flow)
    lapsing = {m["label"] for m in measures if m["end"] is not None and m["end"] <= state.turn + 1}
    state.measures = [m for m in measures if m["end"] is None or m["end"] > state.turn + 1]
    state.measures = [m for m in state.measures
                      if m["primitive"] not in PERMANENT_PRIMITIVES or m["primitive"] == "equity_stake"]
    if exclude is None:
        state.last = {**state.last, "lapsed": sorted(lapsing)}
    return state, flow, pol, arrivals


def _what_if_headlines(sc: Scenario, base: Baseline, plan: _TurnPlan, excludes: list[str],
                       ) -> list[dict[tuple[str, str, str], float]]:
    """Headlines of the turn re-resolved without each group in ``excludes``, all variants
    stacked along the material axis and moved in a single flow pass."""
    if not excludes:
        return []
    prepared = [_prepare(sc, base, plan, group) for group in excludes]
    count = len(prepared)
    tiled = tiled_baseline(base, count)
    state = stack_states([p[0] for p in prepared])
    pol = stack_policies([p[1] for p in prepared])
    flow = run_flow(tiled, state, pol, sc.price_response.market_flexibility,
                    sc.price_response.rationing_strength)
    _clear_prices(sc, tiled, state, pol, flow, budgets=False)
    M = base.n_materials
    heads = []
    for n, (_st, variant_pol, _arr, _meas) in enumerate(prepared):
        part = slice(n * M, (n + 1) * M)
        heads.append(_headline_arrays(sc, base, state.price[part], variant_pol.sector_cap,
                                      flow.sector_demand[:, :, part], flow.sector_met[:, :, part],
                                      flow.need[part]))
    return heads


def _clear_prices(sc: Scenario, base: Baseline, state: GameState, pol: Policy,
                  flow: FlowResult, budgets: bool = True) -> None:
    resp = sc.price_response
    need, got = flow.need, flow.delivered_use
    buyer = np.where(need > EPS, need / np.maximum(got, EPS * 1e3 + need * 1e-3), 1.0)
    # a glut is output that found no buyer; stock offered for sale and kept is not one
    seller = np.where(flow.production > EPS,
                      np.minimum(flow.sold / np.maximum(flow.production, EPS), 1.0), 1.0)
    ratio = np.clip(buyer * seller, 0.05, 20.0)
    base_price = base.base_price[:, :, None]
    target = np.clip(base_price * ratio ** base.price_exponent, base.price_min, base.price_max)
    price = state.price + resp.smoothing * (target - state.price)
    balanced = np.abs(ratio - 1.0) < 1e-3
    price = np.where(balanced, price + resp.pullback * (base_price - price), price)
    has_tariffs = bool(pol.tariff.any())
    if has_tariffs:
        # tariffs raise the landed price of what the importer buys from tariffed exporters
        imports = flow.flows * (1 - np.eye(base.n_actors))[None, None]
        tariffed = (imports * pol.tariff).sum(axis=2)  # (M, S, I) tonnes x rate
        received = np.maximum(flow.flows.sum(axis=2), EPS)
        price = price * (1.0 + tariffed / received)
    state.price = np.maximum(price, 0.0)
    if not budgets:
        return
    if has_tariffs:
        # tariff revenue to the importer's team
        revenue = (imports * pol.tariff * state.price[:, :, :, None]).sum(axis=(0, 1, 2)) / 1000.0
        state.budget = state.budget + base.team_members @ revenue
    # price floors: the payer tops producers up to the floor on their output
    for payer, producer, m, s, floor, _mid in pol.floors:
        gap = max(0.0, floor - float(state.price[m, s, producer]))
        state.budget[payer] -= gap * float(flow.production[m, s, producer]) / 1000.0


def _update_utilisation(base: Baseline, state: GameState, pol: Policy, flow: FlowResult) -> None:
    """Producers run to what they can sell: stock piling up well above target (and above
    half a turn's output) cuts the run rate, gradually; once it clears they return to their
    base rate at once, and while their market is short (price above baseline) they run
    spare capacity too. A price floor keeps a producer at least at its base rate."""
    capacity = np.maximum(state.capacity * pol.cap_mult, EPS)
    normal_output = capacity * state.base_utilisation
    allowance = np.maximum(REBUILD_TARGET * state.stock_target, 0.5 * normal_output)
    excess = np.maximum(state.stock - allowance, 0.0)
    cut = np.clip(excess / np.maximum(normal_output, EPS), 0.0, 0.8)
    # a short market (price above baseline) calls spare capacity into use
    scarce = state.price > base.base_price[:, :, None] * 1.02
    desired = np.where(scarce, 1.0, state.base_utilisation * (1.0 - cut))
    desired = np.where(capacity > EPS * 10, desired, state.utilisation)
    for _payer, producer, m, s, _floor, _mid in pol.floors:
        desired[m, s, producer] = state.base_utilisation[m, s, producer]
    step = np.where(desired > state.utilisation, 1.0, 0.5)
    state.utilisation = np.clip(state.utilisation + step * (desired - state.utilisation), 0.0, 1.0)


REBUILD_TARGET = 1.5


# ----------------------------------------------------------------- indicators

def _indicators(sc: Scenario, base: Baseline, state: GameState, pol: Policy,
                flow: FlowResult, turn: int) -> dict[str, Any]:
    A, M, K = base.n_actors, base.n_materials, base.n_sectors
    actors = [a.id for a in sc.actors]
    materials = [m.id for m in sc.materials]
    sectors = [k.id for k in sc.sectors]
    met_by_material = flow.sector_met  # (A, K, M)
    demand = flow.sector_demand
    has_demand = demand > EPS
    met = np.where(has_demand, met_by_material, np.inf).min(axis=2)
    met = np.where(np.isfinite(met), met, 1.0)
    met = np.minimum(met, pol.sector_cap)
    supply_met = {actors[a]: {sectors[k]: round(float(met[a, k]), 6)
                              for k in range(K) if has_demand[a, k].any()}
                  for a in range(A)}
    supply_met = {a: v for a, v in supply_met.items() if v}
    shortfall = {actors[a]: {sectors[k]: round(float(((1 - met_by_material[a, k]) * demand[a, k]).sum()
                                                     / base.turn_fraction), 3)
                             for k in range(K) if has_demand[a, k].any()}
                 for a in range(A)}
    shortfall = {a: v for a, v in shortfall.items() if v}
    # prices: consumption-weighted mean across actors, and per actor (two-tier pricing)
    mean_price = market_price(base, state.price)
    prices: dict[str, dict[str, float]] = {}
    prices_by_actor: dict[str, dict[str, dict[str, float]]] = {}
    price_index: dict[str, float] = {}
    for m, mat in enumerate(sc.materials):
        prices[mat.id] = {st.id: round(float(mean_price[m, s]), 4) for s, st in enumerate(mat.stages)}
        prices_by_actor[mat.id] = {st.id: {actors[a]: round(float(state.price[m, s, a]), 4)
                                           for a in range(A)}
                                   for s, st in enumerate(mat.stages)}
        last = len(mat.stages) - 1
        price_index[mat.id] = round(float(mean_price[m, last] / max(base.base_price[m, last], EPS)), 6)
    # origin dependency of final consumption, value-weighted over materials
    value = np.zeros((A, A))
    value_by_material = np.zeros((M, A, A))
    imports_value = np.zeros(A)
    export_value = np.zeros(A)
    for m in range(M):
        last = base.stage_count[m] - 1
        f = flow.flows[m, last]  # (E, I)
        contrib = np.einsum("ei,eo->io", f, state.origin[m, last]) * base.base_price[m, last]
        value_by_material[m] = contrib
        value += contrib
    for m in range(M):
        for s in range(base.stage_count[m]):
            f = flow.flows[m, s] * (1 - np.eye(A))
            imports_value += (f * state.price[m, s][None, :]).sum(axis=0) / 1000.0
            export_value += (f * state.price[m, s][:, None]).sum(axis=1) / 1000.0
    totals = np.maximum(value.sum(axis=1, keepdims=True), EPS)
    dep = value / totals
    dependency = {actors[a]: {actors[o]: round(float(dep[a, o]), 6) for o in range(A) if dep[a, o] > 1e-4}
                  for a in range(A) if value[a].sum() > EPS}
    dependency_by_material = {}
    for m in range(M):
        tot = value_by_material[m].sum(axis=1)
        dependency_by_material[materials[m]] = {
            actors[a]: {actors[o]: round(float(value_by_material[m, a, o] / tot[a]), 6)
                        for o in range(A) if value_by_material[m, a, o] / max(tot[a], EPS) > 1e-3}
            for a in range(A) if tot[a] > EPS}
    # producers: revenue (value of output sold) and domestic value added
    revenue = np.zeros(A)
    value_added = np.zeros(A)
    ore_home = {}
    for m in range(M):
        n = base.stage_count[m]
        for s in range(n):
            revenue += flow.sold[m, s] * state.price[m, s] / 1000.0
            out_value = flow.production[m, s] * state.price[m, s] / 1000.0
            in_value = (flow.delivered_use[m, s - 1] * state.price[m, s - 1] / 1000.0) if s else 0.0
            value_added += out_value - in_value
        mined = flow.production[m, 0]
        own = np.diagonal(flow.flows[m, 0])
        ore_home[materials[m]] = {actors[a]: round(float(own[a] / mined[a]), 6)
                                  for a in range(A) if mined[a] > EPS}
    # the EU's CRMA 2030 benchmarks, for every actor whose id or bloc is EU
    crma = {}
    for a, actor in enumerate(sc.actors):
        if actor.id.upper() != "EU" and (actor.bloc or "").upper() != "EU":
            continue
        per_material = {}
        for m in range(M):
            n = base.stage_count[m]
            consumption = float(flow.delivered_use[m, n - 1, a])
            if consumption <= EPS:
                continue
            extraction = float(flow.production[m, 0, a]) / consumption
            processing = float(flow.production[m, min(1, n - 1), a]) / consumption
            recycling = float(flow.recycled[m, :, a].sum()) / consumption
            third = max((float(dep_m) for o, dep_m in
                         enumerate(value_by_material[m, a] / max(value_by_material[m, a].sum(), EPS))
                         if o != a), default=0.0)
            per_material[materials[m]] = {
                "extraction": round(extraction, 6), "processing": round(processing, 6),
                "recycling": round(recycling, 6), "largest_third_country": round(third, 6),
                "met": int(extraction >= 0.10) + int(processing >= 0.40) + int(recycling >= 0.25)
                + int(third <= 0.65)}
        crma[actor.id] = per_material
    flows_out: dict[str, dict[str, list[list[Any]]]] = {}
    for m, mat in enumerate(sc.materials):
        flows_out[mat.id] = {}
        for s, st in enumerate(mat.stages):
            f = flow.flows[m, s]
            rows = []
            for e in range(A):
                for i in range(A):
                    if e != i and (f[e, i] > 1e-6 or pol.status[m, s, e, i] > 0 and flow.requested[m, s, e, i] > 1e-6):
                        rows.append([actors[e], actors[i], round(float(f[e, i] / base.turn_fraction), 3),
                                     STATUS_NAMES[int(pol.status[m, s, e, i])]])
            flows_out[mat.id][st.id] = rows
    stocks = {actors[a]: {materials[m]: round(float((state.stock[m, :, a] + state.strategic[m, :, a]).sum()), 3)
                          for m in range(M) if (state.stock[m, :, a] + state.strategic[m, :, a]).sum() > EPS}
              for a in range(A)}
    return {
        "turn": turn,
        "prices": prices,
        "prices_by_actor": prices_by_actor,
        "price_index": price_index,
        "supply_met": supply_met,
        "material_met": {actors[a]: {materials[m]: round(float(
            flow.delivered_use[m, base.stage_count[m] - 1, a] /
            max(flow.need[m, base.stage_count[m] - 1, a], EPS)), 6)
            for m in range(M) if flow.need[m, base.stage_count[m] - 1, a] > EPS} for a in range(A)},
        "shortfall_tonnes": shortfall,
        "dependency": dependency,
        "dependency_by_material": dependency_by_material,
        "import_bill": {actors[a]: round(float(imports_value[a]), 3) for a in range(A)},
        "export_revenue": {actors[a]: round(float(export_value[a]), 3) for a in range(A)},
        "revenue": {actors[a]: round(float(revenue[a]), 3) for a in range(A)},
        "value_added": {actors[a]: round(float(value_added[a]), 3) for a in range(A)},
        "ore_processed_home": ore_home,
        "crma": crma,
        "budget": {t.id: round(float(state.budget[i]), 3) for i, t in enumerate(sc.teams)},
        "political_capital": {t.id: round(float(state.political_capital[i]), 3)
                              for i, t in enumerate(sc.teams)},
        "flows": flows_out,
        "stocks": {a: v for a, v in stocks.items() if v},
    }


def _objective_value(sc: Scenario, team_id: str, obj: Any, ind: dict[str, Any],
                     base_budget: float, base_pc: float) -> float:
    actor = obj.actor or (sc.team_actors(team_id) or (None,))[0]
    kind = obj.indicator
    if kind == "supply_met":
        return float(ind["supply_met"].get(actor, {}).get(obj.sector, 1.0))
    if kind == "dependency":
        return float(ind["dependency"].get(actor, {}).get(obj.origin, 0.0))
    if kind == "price":
        return float(ind["price_index"].get(obj.material, 1.0))
    if kind == "budget":
        return float(ind["budget"][team_id]) / max(base_budget, 1.0)
    if kind == "political_capital":
        return float(ind["political_capital"][team_id]) / max(base_pc, 1.0)
    if kind in ("revenue", "value_added", "import_bill"):
        ref = ind.get("_reference", {}).get(kind, {}).get(actor) or 1.0
        return float(ind[kind].get(actor, 0.0)) / max(abs(ref), 1e-6)
    if kind == "crma":
        per = ind["crma"].get(actor, {})
        return sum(v["met"] for v in per.values()) / (4.0 * max(len(per), 1))
    return 0.0


def _scores(sc: Scenario, ind: dict[str, Any]) -> dict[str, float]:
    scores = {}
    for team in sc.teams:
        total = sum(obj.weight * _objective_value(sc, team.id, obj, ind, float(team.budget.value),
                                                  float(team.political_capital.value))
                    for obj in team.objectives)
        scores[team.id] = round(total, 6)
    return scores


def market_price(base: Baseline, price: np.ndarray) -> np.ndarray:
    """The international price per material and stage (M, S): the mean of what importers
    pay, weighted by their baseline use. China's domestic price under its own export
    controls is not the world's price (2011: FOB China rose tenfold while prices inside
    China fell), so exporters' home prices stay in ``prices_by_actor``."""
    weight = base.price_weight
    return (price * weight).sum(axis=2) / weight.sum(axis=2)


def _update_political_capital(sc: Scenario, base: Baseline, state: GameState,
                              met: np.ndarray, has: np.ndarray) -> None:
    """Political capital regenerates slowly and drains with shortfalls in the team's sectors."""
    members = base.team_members  # (T, A)
    count = members @ has.sum(axis=1)
    total = members @ np.where(has, met, 0.0).sum(axis=1)
    shortfall = np.where(count > 0, 1.0 - total / np.maximum(count, 1), 0.0)
    limit = base.pc_limit
    state.political_capital = np.clip(
        state.political_capital + PC_REGEN - PC_SHORTFALL_PENALTY * shortfall, 0.0, limit)


# ----------------------------------------------------------------- resolve_turn

_BIT_GENERATOR = np.random.PCG64(0)  # reused: only its state is set and read


def _turn_seed(state: GameState) -> tuple[int, dict[str, Any]]:
    """The turn's seed: the next 63 bits of the state's PCG64 stream, and the advanced state."""
    _BIT_GENERATOR.state = state.rng_state
    seed = int(_BIT_GENERATOR.random_raw()) >> 1
    return seed, _BIT_GENERATOR.state


def _deck_injects(sc: Scenario, turn: int, turn_seed: int) -> list[tuple[Inject, str]]:
    fired = []
    for inject in sc.injects:
        if inject.turn is not None:
            if inject.turn == turn:
                fired.append((inject, "scheduled"))
        elif inject.probability is not None:
            if turn < inject.from_turn or (inject.until_turn is not None and turn > inject.until_turn):
                continue
            if keyed_uniform(turn_seed, f"inject:{inject.id}") < inject.probability:
                fired.append((inject, "drawn"))
    return fired


def _team_label(sc: Scenario, team: str | None) -> str:
    if team == FACILITATOR:
        return "the white cell"
    return sc.team(team).name if team in sc.team_index else (team or "")


def plan_turn(sc: Scenario, state: GameState, orders: Sequence[Order],
              injects: Iterable[str | Inject] = (), overrides: Iterable[dict[str, Any]] = (),
              deck: bool = True) -> _TurnPlan:
    base = baseline(sc)
    # only the budgets change here; the arrays are copied before the flow touches them
    st = dataclasses.replace(state, budget=state.budget.copy(),
                             political_capital=state.political_capital.copy())
    turn = st.turn
    turn_seed, st.rng_state = _turn_seed(st)
    measures = list(st.measures)
    fired: list[dict[str, Any]] = []
    outcomes: list[OrderOutcome] = []
    next_id = st.next_id
    if turn == 1:
        for n, standing in enumerate(sc.in_force):
            if standing.move not in sc.move_index or standing.team not in sc.team_index:
                continue
            move = sc.move_index[standing.move]
            params = with_defaults(move, standing.params)
            actors = sc.team_actors(standing.team)
            new, next_id = _measures_for(
                sc, standing.move, params, standing.team, actors[0] if actors else None,
                f"standing:{n}", f"{possessive(_team_label(sc, standing.team))} {move.name} (in force)",
                turn, 0, next_id)
            measures += new
    overrides_by_id = {o["order_id"]: o for o in overrides}
    accepted: list[Order] = []
    for n, order in enumerate(orders):
        oid = order.id or f"t{turn}-{order.team}-{n + 1}"
        description = functools.partial(describe_order, sc, order)
        override = overrides_by_id.get(oid)
        problems = validate_order(sc, st, order, accepted)
        if override and override.get("status") == OUTCOME_REJECTED:
            outcomes.append(OrderOutcome(oid, order.team, order.move, OUTCOME_OVERRIDDEN,
                                         f"set aside by the facilitator: {override.get('reason', '')}",
                                         description))
            continue
        if problems and not (override and override.get("status") == OUTCOME_ACCEPTED):
            outcomes.append(OrderOutcome(oid, order.team, order.move, OUTCOME_REJECTED,
                                         "; ".join(problems), description))
            continue
        move = sc.move_index[order.move]
        params = with_defaults(move, order.params)
        budget, capital = order_cost(move, params)
        if order.team in sc.team_index:
            t = sc.team_index[order.team]
            st.budget[t] -= budget
            st.political_capital[t] = max(0.0, st.political_capital[t] - capital)
        else:  # the white cell pays nothing
            budget, capital = 0.0, 0.0
        actors = sc.team_actors(order.team) if order.team in sc.team_index else ()
        new, next_id = _measures_for(
            sc, order.move, params, order.team, actors[0] if actors else None, f"order:{oid}",
            f"{possessive(_team_label(sc, order.team))} {move.name}", turn, order_duration(move, params),
            next_id)
        measures += new
        accepted.append(order)
        status = OUTCOME_OVERRIDDEN if override else OUTCOME_ACCEPTED
        detail = f"admitted by the facilitator: {override.get('reason', '')}" if override else \
            (f"costs USD {budget:,.0f} m" if budget else "") + \
            (f", {capital:g} political capital" if capital else "")
        outcomes.append(OrderOutcome(oid, order.team, order.move, status, detail.strip(", "),
                                     description))
    deck = _deck_injects(sc, turn, turn_seed) if deck else []
    by_id = {i.id: i for i in sc.injects}
    for item in injects:
        if isinstance(item, Inject):
            deck.append((item, "by hand"))
        elif item in by_id:
            deck.append((by_id[item], "by hand"))
    for inject, how in deck:
        new, next_id = _inject_measures(sc, inject, turn, next_id)
        measures += new
        fired.append({"id": inject.id, "title": inject.title, "text": inject.text, "how": how})
    st.next_id = next_id
    return _TurnPlan(measures=measures, fired=fired, outcomes=outcomes, state=st,
                     turn_seed=turn_seed)


def _reference(sc: Scenario) -> dict[str, Any]:
    """Quiet-turn figures that revenue, value added and import bill are scored against."""
    cached = sc.__dict__.get("_wargame_reference")
    if cached is None:
        from wargame.engine.state import initial_state

        result = resolve_turn(sc, initial_state(sc, 0), (), explain=False, deck=False,
                              _score=False)
        ind = result.indicators
        cached = {k: ind[k] for k in ("revenue", "value_added", "import_bill")}
        sc.__dict__["_wargame_reference"] = cached
    return cached


def resolve_turn(scenario: Scenario, state: GameState, orders: Sequence[Order] = (),
                 injects: Iterable[str | Inject] = (), rng: Any = None, explain: bool = True,
                 overrides: Iterable[dict[str, Any]] = (), deck: bool = True,
                 _score: bool = True) -> TurnResult:
    """Resolve one turn. ``rng`` may be a seed to replace the state's RNG (for what-if runs);
    by default the state's own RNG state is used so a session replays exactly. ``deck=False``
    leaves the scenario's scheduled and random injects out (a quiet baseline run)."""
    if rng is not None:
        state = state.copy()
        state.rng_state = np.random.Generator(np.random.PCG64(int(rng))).bit_generator.state
    base = baseline(scenario)
    plan = plan_turn(scenario, state, list(orders), injects, overrides, deck)
    new_state, flow, pol, arrivals = _simulate(scenario, base, plan)
    turn = state.turn
    met, has, price_index = _headline_values(base, new_state.price, pol.sector_cap,
                                             flow.sector_demand, flow.sector_met, flow.need)
    _update_political_capital(scenario, base, new_state, met, has)
    explanations = [f"Inject: {f['title']}." + (f" {f['text']}" if f["text"] else "")
                    for f in plan.fired]
    if explain:
        explanations += _explain(scenario, base, plan,
                                 _headline_dict(scenario, met, has, price_index), state)
    explanations += _narrate(scenario, pol, arrivals)
    new_state.turn = turn + 1
    new_state.last = {**_last_headlines(scenario, met, has, price_index),
                      "lapsed": new_state.last.get("lapsed", [])}
    snapshot = new_state  # states are never mutated after a turn; the builder may read it later

    def build() -> dict[str, Any]:
        ind = _indicators(scenario, base, snapshot, pol, flow, turn)
        if _score:
            ind["_reference"] = _reference(scenario)
            ind["scores"] = _scores(scenario, ind)
            del ind["_reference"]
        return ind

    return TurnResult(turn=turn, state=new_state, outcomes=plan.outcomes, indicators=None,
                      explanations=explanations, injects_fired=plan.fired, draws=pol.draws,
                      ledger_gap=lambda: float(np.abs(ledger_gap(base, flow)).max()),
                      build_indicators=build)


def _last_headlines(sc: Scenario, met: np.ndarray, has: np.ndarray,
                    price_index: np.ndarray) -> dict[str, Any]:
    """Headlines kept in the state so the next turn can say what changed (JSON-safe,
    compact: supply met as an actor x sector table with the pairs that have demand)."""
    return {"supply_table": np.round(met, 6).tolist(), "has_demand": has.tolist(),
            "price_index": dict(zip((m.id for m in sc.materials),
                                    np.round(price_index, 6).tolist()))}


def _before_headlines(sc: Scenario, last: dict[str, Any]) -> dict[tuple[str, str, str], float]:
    if not last:
        return {}
    heads: dict[tuple[str, str, str], float] = {}
    table, has = last.get("supply_table"), last.get("has_demand")
    if table is not None and has is not None:
        for a, actor in enumerate(sc.actors):
            for k, sector in enumerate(sc.sectors):
                if has[a][k]:
                    heads[("supply", actor.id, sector.id)] = table[a][k]
    for actor, sectors in (last.get("supply_met") or {}).items():  # older states
        for sector, value in sectors.items():
            heads[("supply", actor, sector)] = value
    for material, value in (last.get("price_index") or {}).items():
        heads[("price", material, "")] = value
    return heads


# ----------------------------------------------------------------- explanations

_TAKES_THE = ("United ", "European ", "Rest of", "Democratic ", "Republic ", "Philippines",
              "Netherlands", "Gulf ")


def country(name: str) -> str:
    """'United States' -> 'the United States', for names read aloud inside a sentence."""
    return f"the {name}" if name.startswith(_TAKES_THE) else name


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _level_name(sc: Scenario, level: Any) -> str:
    found = sc.level_index.get(str(level))
    return found.name.lower() if found else str(level).replace("_", " ")


def _join(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


ROUTINE_APPROVAL = 0.9  # licence draws at or above this are routine, not news


def _narrate(sc: Scenario, pol: Policy, arrivals: list[dict[str, Any]]) -> list[str]:
    """What happened this turn that is not a headline number: restrictive licence draws,
    investment slips and arrivals."""
    lines = []
    for draw in pol.draws:
        if draw["kind"] == "licence" and draw["approved"] and \
                min(draw["approved"].values()) < ROUTINE_APPROVAL:
            exporter = country(sc.actor(draw["exporter"]).name)
            mat = sc.material(draw["material"]).name
            values = list(draw["approved"].values())
            if len(values) == 1:
                target = country(sc.actor(next(iter(draw["approved"]))).name)
                lines.append(f"Licences for {mat} from {exporter} to {target}: "
                             f"{_pct(values[0])} of requests approved ({_level_name(sc, draw['level'])}).")
            else:
                lines.append(f"Licences for {mat} from {exporter}: {_pct(min(values))} to "
                             f"{_pct(max(values))} of requests approved ({_level_name(sc, draw['level'])}).")
        elif draw["kind"] == "delay" and draw["slipped"]:
            lines.append("An investment slipped by one turn (permitting, financing or construction).")
    for entry in arrivals:
        kind = "recycling capacity" if entry.get("recycled") else "capacity"
        stage = entry["stage"]
        lines.append(f"New {kind} came on line: {entry['tonnes'] / baseline(sc).turn_fraction:,.0f} t/yr of "
                     f"{sc.material(entry['material']).name} ({stage}) in {country(sc.actor(entry['actor']).name)}, "
                     f"from {entry['label']}.")
    return lines


def _explain(sc: Scenario, base: Baseline, plan: _TurnPlan,
             full: dict[tuple[str, str, str], float], previous: GameState,
             limit: int = 14) -> list[str]:
    """Leave-one-out with common random numbers: re-resolve without each order or inject
    and say how the headline indicators would have differed."""
    groups: dict[str, str] = {}
    for measure in plan.measures:
        groups.setdefault(measure["group"], measure["label"])
    for entry in plan.state.pipeline:
        groups.setdefault(entry["group"], entry["label"])
    full = {key: round(value, 6) for key, value in full.items()}
    last = getattr(previous, "last", None) or {}
    before = _before_headlines(sc, last)
    effects: dict[tuple[str, str, str], list[tuple[float, str, float]]] = {}
    names = list(groups)
    for group, alt in zip(names, _what_if_headlines(sc, base, plan, names)):
        label = groups[group]
        for key, value in full.items():
            other = alt.get(key, value)
            threshold = 0.02 if key[0] == "supply" else 0.05
            if abs(other - value) >= threshold:
                effects.setdefault(key, []).append((value - other, label, other))
    sentences: list[tuple[float, str]] = []
    for key, value in full.items():
        prior = before.get(key)
        change = value - prior if prior is not None else 0.0
        causes = sorted(effects.get(key, []), key=lambda c: -abs(c[0]))
        threshold = 0.03 if key[0] == "supply" else 0.05
        if not causes and abs(change) < threshold:
            continue
        if key[0] == "supply":
            _, actor, sector = key
            subject = f"{possessive(country(sc.actor(actor).name))} {sc.sector(sector).name.lower()} supply"
            if prior is not None and abs(change) >= 0.005:
                head = f"{subject} {'fell' if change < 0 else 'rose'} {abs(change) * 100:.0f} points to {_pct(value)}"
            else:
                head = f"{subject} is at {_pct(value)} of demand"
            parts = [f"without {label} it would have been {_pct(other)}" for _, label, other in causes[:2]]
        else:
            _, material, _ = key
            subject = f"the {sc.material(material).name} price"
            if prior is not None and abs(change) >= 0.01:
                head = f"{subject} {'fell' if change < 0 else 'rose'} to {value:.2f}x its baseline"
            else:
                head = f"{subject} stands at {value:.2f}x its baseline"
            parts = [f"without {label} it would have been {other:.2f}x" for _, label, other in causes[:2]]
        if not parts:
            lapsed = last.get("lapsed") or []
            if lapsed:
                parts = [f"{_join(lapsed)} ended last turn; stocks and prices adjust with a lag"]
            else:
                parts = ["no single order or inject explains it (stocks, lagged prices and "
                         "investment did)"]
        text = head[0].upper() + head[1:] + "; " + "; ".join(parts) + "."
        weight = max([abs(change)] + [abs(c[0]) for c in causes])
        sentences.append((weight, text))
    sentences.sort(key=lambda item: -item[0])
    return [text for _, text in sentences[:limit]]


def _alt_headlines(sc: Scenario, base: Baseline, state: GameState, pol: Policy,
                   flow: FlowResult) -> dict[tuple[str, str, str], float]:
    return _headline_arrays(sc, base, state.price, pol.sector_cap, flow.sector_demand,
                            flow.sector_met, flow.need)


def _headline_arrays(sc: Scenario, base: Baseline, price: np.ndarray, sector_cap: np.ndarray,
                     demand: np.ndarray, sector_met: np.ndarray, need: np.ndarray,
                     ) -> dict[tuple[str, str, str], float]:
    return _headline_dict(sc, *_headline_values(base, price, sector_cap, demand, sector_met, need))


def _headline_values(base: Baseline, price: np.ndarray, sector_cap: np.ndarray,
                     demand: np.ndarray, sector_met: np.ndarray, need: np.ndarray,
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(supply met (A, K), which sectors have demand (A, K), price index (M,)), straight
    from the arrays without the full indicator set (speed)."""
    has3 = demand > EPS
    met = np.where(has3, sector_met, np.inf).min(axis=2)
    met = np.minimum(np.where(np.isfinite(met), met, 1.0), sector_cap)
    mean_price = market_price(base, price)
    rows = np.arange(base.n_materials)
    last = base.stage_count - 1
    index = mean_price[rows, last] / np.maximum(base.base_price[rows, last], EPS)
    return met, has3.any(axis=2), index


def _headline_dict(sc: Scenario, met: np.ndarray, has: np.ndarray,
                   price_index: np.ndarray) -> dict[tuple[str, str, str], float]:
    heads = {("supply", sc.actors[a].id, sc.sectors[k].id): float(met[a, k])
             for a, k in zip(*np.nonzero(has))}
    heads.update({("price", mat.id, ""): float(price_index[m]) for m, mat in enumerate(sc.materials)})
    return heads
