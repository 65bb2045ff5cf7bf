"""The market around one turn's flow: what it feeds the flow, and how prices, run rates,
demand, contracts and stocks answer what the flow did.

Before the flow (``prepare_market``, once per turn and per what-if variant):

- new plants ramp up (``supply.ramp_shortfall``: capacity not yet available is taken out
  of the turn's capacity multiplier);
- the market's measures are read from the policy: export duties, leakage shares, tonnage
  quota pools (a pool shared by several materials serves the dearest first), stakes that
  reserve only new capacity, extra stock cover. Duties and tariffs in force at the start
  are in the baseline (``MarketConstants.base_duty``): only a change from them deters
  requests or counts as a restriction;
- users' stock targets and normal stocks (``demand.stock_targets``): precautionary cover
  while a supplier restricts them, destocking while prices are high;
- processors' plans (``supply.planned_output``), sector demand's short-run answer to last
  turn's prices (``demand.demand_response``) and its long-run level (the state's);
- the flow's ``TradeTerms``: contract shares, duties, leakage, quotas, licence queues.

After the flow (``settle_market``): prices clear (``pricing.clear_prices``, told what
buyers could still have had under quotas with room left, ``quota_room``); tariff and duty
revenue and price-floor payments go to budgets (``settle_budgets``; a stacked pass leaves
them to each game); run rates answer netbacks (``supply.update_utilisation``); the demand
level moves towards its long-run level (``demand.update_demand_level``); contracts drift
where they failed and towards cheaper unsold supply (``trade.py``); sales (with what a
restriction held back, which traders at home stock), unsold output and licence queues are
kept for the next turn.

Every default and its source is in ``scenarios/README.md`` (section 6b, "Market
dynamics").
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from wargame.engine.baseline import Baseline
from wargame.engine.demand import (
    demand_response, restriction_exposure, stock_targets, update_demand_level,
)
from wargame.engine.flow import EPS, FlowResult, ordered_sum, rows_with_any
from wargame.engine.market_constants import MarketConstants
from wargame.engine.market_state import MarketState, RampEntry
from wargame.engine.policy import Policy
from wargame.engine.pricing import OPEN_ROUTE, clear_prices, export_link
from wargame.engine.state import GameState
from wargame.engine.supply import (
    netback, planned_output, ramp_share, ramp_shortfall, update_utilisation,
)
from wargame.engine.trade import drift_contracts, drift_to_spare
from wargame.engine.trade_terms import QuotaPool, TradeTerms, stack_terms
from wargame.scenario.model import PriceResponse


@dataclass
class MarketTurn:
    """The market's inputs to one turn's flow and price clearing."""

    terms: TradeTerms
    # (A, K, M) share of sector demand asked for at last prices (None until
    # ``complete_market_turn``, like ``normal_stock`` and the terms' planned output)
    demand_response: np.ndarray | None
    demand_level: np.ndarray  # (A, K, M) long-run position of sector demand
    normal_stock: np.ndarray | None  # (M, S, A) baseline stock + precautionary cover, tonnes
    severity: np.ndarray  # (M, S, E, I) share of each pair's trade a measure holds back
    leakage: np.ndarray | float  # (M, S, E, I) leakage shares (or the default for all)
    trade_cost: np.ndarray | None  # (M, S, E, I) (1 + duty)(1 + tariff); None = none
    duty: np.ndarray | None  # (M, S, E, I) export duty rates


def initial_market(mc: MarketConstants, base: Baseline) -> MarketState:
    """The market before the first turn: baseline demand, contracts and sales."""
    M, S, A, K = base.n_materials, base.n_stages, base.n_actors, base.n_sectors
    output = base.capacity * base.utilisation + base.recycle_capacity
    return MarketState(demand_level=np.ones((A, K, M)), contract=mc.contract.copy(),
                       sales=output.copy(), unsold=np.zeros((M, S, A)),
                       input_met=np.ones((M, S, A)), licence_queue=np.zeros((M, S, A, A)))


_BROADCASTS: dict[tuple[float, tuple[int, ...]], np.ndarray] = {}


def _everywhere(leakage: np.ndarray | float, shape: tuple[int, ...]) -> np.ndarray:
    """Leakage shares as an array of ``shape``: a per-pair array as it is, one share for
    every pair as a read-only broadcast, kept per (share, shape) since every game of a
    sweep asks for the same few (``np.broadcast_to`` costs more than the rest of a
    game's market measures)."""
    if not np.isscalar(leakage):
        return leakage
    key = (float(leakage), tuple(shape))
    found = _BROADCASTS.get(key)
    if found is None:
        if len(_BROADCASTS) >= 64:  # bounded: scenarios and stack sizes come and go
            _BROADCASTS.clear()
        found = _BROADCASTS[key] = np.broadcast_to(float(leakage), shape)
    return found


def _market_of(mc: MarketConstants, base: Baseline, state: GameState) -> MarketState:
    if state.market is None:  # a state stored before the market remembered anything
        state.market = initial_market(mc, base)
    return state.market


def _ramp(mc: MarketConstants, state: GameState, pol: Policy, arrivals: list,
          ms: MarketState) -> np.ndarray:
    """Register the turn's arrivals as ramping plants; (M, S, A) capacity available as a
    share of the state's capacity, which the policy's multiplier takes on."""
    investors = {mid: investor for _m, _s, _host, investor, _share, mid in pol.reserve_new}
    for entry in arrivals:
        if not entry.recycled:
            ms.ramping.append(RampEntry(entry.actor, entry.material, entry.stage,
                                        entry.tonnes_per_turn, state.turn, entry.id,
                                        reserved_for=str(investors[entry.id])
                                        if entry.id in investors else None))
    if not ms.ramping:
        return None
    shortfall, ms.ramping = ramp_shortfall(mc, mc.where, ms.ramping, state.turn,
                                           state.capacity.shape)
    cap = state.capacity
    available = np.where(cap > EPS, np.maximum(cap - shortfall, 0.0) / np.maximum(cap, EPS), 1.0)
    pol.cap_mult = pol.cap_mult * available
    return available


def _reserve_new(mc: MarketConstants, state: GameState, pol: Policy, ms: MarketState) -> None:
    """Stakes that reserve only the new capacity they financed: the reserved share of the
    host's output is the investor's share of that capacity as it ramps up."""
    if not pol.reserve_new:
        return
    output = state.capacity * pol.cap_mult * state.utilisation
    for m, s, host, investor, share, mid in pol.reserve_new:
        built = 0.0
        for entry in ms.ramping:
            if entry.source_id == mid:
                age = state.turn - entry.online_turn
                built += entry.tonnes_per_turn * float(
                    ramp_share(mc.ramp_profile[m, s], age, mc.turn_fraction))
        total = float(output[m, s, host])
        if built > EPS and total > EPS:
            pol.reserved[m, s, host, investor] = min(
                1.0, pol.reserved[m, s, host, investor] + share * min(built / total, 1.0))


def prepare_market(mc: MarketConstants, base: Baseline, state: GameState, pol: Policy,
                   arrivals: list) -> MarketTurn:
    """Everything the market feeds this turn's flow (see the module docstring). Changes
    ``state`` (stock targets, ramping plants) and ``pol`` (capacity available, reserved
    shares of new capacity), both the turn's own copies."""
    return complete_market_turn(mc, base, state, pol.cover_days,
                                market_measures(mc, base, state, pol, arrivals))


def market_measures(mc: MarketConstants, base: Baseline, state: GameState, pol: Policy,
                    arrivals: list) -> MarketTurn:
    """The part of ``prepare_market`` that reads the game's own measures and plants (ramps,
    stakes in new capacity, duties, quota pools, leakage). Its turn lacks what
    ``complete_market_turn`` adds: stock targets, normal stocks, plans and the demand
    response, which read only arrays, so a batch of games completes them all at once on
    its stacked state (``batch.py``)."""
    ms = _market_of(mc, base, state)
    _ramp(mc, state, pol, arrivals, ms)
    _reserve_new(mc, state, pol, ms)
    duty = pol.duty
    trade_cost = None
    if duty is not None or pol.tariff.any():
        trade_cost = (1.0 + pol.tariff) * (1.0 + (0.0 if duty is None else duty))
    # what deters requests and counts as a restriction is the change from the standing
    # duties and tariffs the baseline already carries
    deterring = duty
    severity = 1.0 - pol.allow
    if trade_cost is not None and mc.base_trade_cost is not None:
        deterring = np.maximum(trade_cost / mc.base_trade_cost, 1.0) / (1.0 + pol.tariff) - 1.0
    if duty is not None:
        raised = duty if mc.base_duty is None else \
            np.maximum((1.0 + duty) / (1.0 + mc.base_duty) - 1.0, 0.0)
        severity = np.maximum(severity, np.minimum(raised, 1.0))
    pools = [pool if pool.leakage_share >= 0 else
             dataclasses.replace(pool, leakage_share=mc.leakage_share) for pool in pol.quotas]
    for n, pool in enumerate(pools):
        covered = pool.stages[:, None] & pool.importers  # (S, I): its exporter's pairs
        for m in pool.materials:
            severity[m, :, pool.exporter][covered] = 1.0  # through a view of the exporter
        if pool.shared:  # a shared tonnage goes to the dearest material first
            value = [float(state.price[m, pool.stages, pool.exporter].max()) for m in pool.materials]
            order = tuple(m for _v, m in sorted(zip(value, pool.materials), key=lambda x: -x[0]))
            pools[n] = dataclasses.replace(pool, order=order)
    leakage: np.ndarray | float = mc.leakage_share
    if pol.leakage is not None:
        leakage = np.where(np.isnan(pol.leakage), mc.leakage_share, pol.leakage)
    terms = TradeTerms(
        contract=ms.contract, duty=deterring,
        leakage=None if np.isscalar(leakage) and not (severity > EPS).any()
        else _everywhere(leakage, severity.shape),
        home_share=mc.home_share,
        licence_queue=ms.licence_queue if ms.licence_queue.any() else None,
        quotas=pools)
    return MarketTurn(terms=terms, demand_response=None, demand_level=ms.demand_level,
                      normal_stock=None, severity=severity, leakage=leakage,
                      trade_cost=trade_cost, duty=duty)


def complete_market_turn(mc: MarketConstants, base: Baseline, state: GameState,
                         cover_days: np.ndarray | None, turn: MarketTurn) -> MarketTurn:
    """``turn`` (from ``market_measures``) with the inputs that read only arrays: importers
    fear the cut and the restricting exporter's traders stock up too, after its export
    contracts are served (the flow's spot tier); processors plan; sector demand answers
    last turn's prices. Sets ``state.stock_target``. Every step is elementwise or sums
    within a material, so a stacked state (with the tiled constants) gets each game's
    numbers exactly."""
    ms = _market_of(mc, base, state)
    exposure, restricted = restriction_exposure(ms.contract, turn.severity, mc.imports)
    target, normal = stock_targets(mc, base, state.price, state.stock, exposure, restricted,
                                   cover_days, mc.reference_price)
    state.stock_target = target
    terms = dataclasses.replace(
        turn.terms, planned_output=planned_output(ms.sales, ms.input_met, state.stock, target))
    return dataclasses.replace(
        turn, terms=terms, normal_stock=normal,
        demand_response=demand_response(mc, base, state.price, mc.reference_price))


def stack_market_turns(turns: list[MarketTurn], sizes: list[int]) -> MarketTurn:
    """Several variants' market inputs along the material axis (stacked what-ifs);
    ``sizes`` are the parts' numbers of materials. Turns from ``market_measures`` stack
    uncompleted, for one ``complete_market_turn`` of the stack."""
    def cat(name: str, axis: int = 0) -> np.ndarray | None:
        arrays = [getattr(t, name) for t in turns]
        if all(a is None for a in arrays):  # turns not yet completed: complete the stack
            return None
        return np.concatenate(arrays, axis=axis)

    def cat_optional(name: str) -> np.ndarray | None:
        arrays = [getattr(t, name) for t in turns]
        if all(a is None for a in arrays):
            return None
        neutral = 1.0 if name == "trade_cost" else 0.0
        return np.concatenate([np.full(t.severity.shape, neutral) if a is None else a
                               for t, a in zip(turns, arrays)])

    return MarketTurn(
        terms=stack_terms([t.terms for t in turns], sizes),
        demand_response=cat("demand_response", 2), demand_level=cat("demand_level", 2),
        normal_stock=cat("normal_stock"), severity=cat("severity"),
        leakage=_stacked_leakage(turns),
        trade_cost=cat_optional("trade_cost"), duty=cat_optional("duty"))


def _stacked_leakage(turns: list[MarketTurn]) -> np.ndarray | float:
    """The turns' leakage shares stacked: one share for every pair of every turn stays
    that one number, as it is for a single turn (a sweep's games mostly hold no measure
    of their own on leakage); otherwise every turn's shares as an array, stacked."""
    first = turns[0].leakage
    if np.isscalar(first) and all(np.isscalar(t.leakage) and t.leakage == first
                                  for t in turns):
        return first
    return np.concatenate([_everywhere(t.leakage, t.severity.shape) for t in turns])


def quota_room(mt: MarketTurn, flow: FlowResult) -> np.ndarray | None:
    """(M, S, A) tonnes each importer could still have bought this turn under the quotas
    that did not run out: a pool's room left, up to what its exporter sold at home, shared
    among the importers it covers by what they took (evenly if they took nothing)."""
    pools = mt.terms.quotas
    if not pools:
        return None
    M, S, A = flow.production.shape
    room_at = np.zeros((M, S, A))
    for pool, used in zip(pools, flow.quota_used or [0.0] * len(pools)):
        room = pool.tonnes_per_turn - used
        if room <= EPS:
            continue
        e, covered = pool.exporter, pool.importers
        for m in pool.materials:
            for s in np.nonzero(pool.stages)[0]:
                home = float(flow.flows[m, s, e, e])
                took = flow.flows[m, s, e] * covered
                share = took / took.sum() if took.sum() > EPS else covered / max(covered.sum(), 1)
                room_at[m, s] += min(room, home) * share
    return room_at


def held_back_exports(flow: FlowResult, mt: MarketTurn,
                      shortfall: np.ndarray | None = None) -> np.ndarray:
    """(M, S, E) t this turn that measures held back from exporters' contract customers:
    traders at home take them into stock, hoping for the export price. ``shortfall``
    (M, S, E, I): requests not shipped, max(requested - flows, 0), if the caller has it."""
    if shortfall is None:
        shortfall = np.maximum(flow.requested - flow.flows, 0.0)
    # only the few exporters with a measure on some pair hold anything back: their rows
    held = mt.severity > EPS
    rows = rows_with_any(held)
    held_back = np.zeros(shortfall.shape[:3])
    held_back[rows] = (shortfall[rows] * held[rows]).sum(axis=1)
    return held_back


def settle_prices(mc: MarketConstants, base: Baseline, state: GameState, flow: FlowResult,
                  mt: MarketTurn, held_back: np.ndarray | None = None) -> None:
    """This turn's prices into ``state.price`` (``pricing.py``); ``held_back``: the
    turn's ``held_back_exports`` when the caller has them already."""
    need_before = ordered_sum(flow.sector_demand, 1).T  # (M, A): before price destruction
    link = export_link(state.price, state.market.contract if state.market is not None
                       else mc.contract, mt.severity, mt.leakage, mt.trade_cost,
                       mc.foreign_imports, mt.terms.part_sizes)
    if held_back is None:
        held_back = held_back_exports(flow, mt)
    state.price, _ = clear_prices(mc, base, state.price, flow, state.stock, mt.normal_stock,
                                  mc.reference_price, need_before, mt.trade_cost, link,
                                  held_back, mt.severity, quota_room(mt, flow))


def settle_market(mc: MarketConstants, base: Baseline, response: PriceResponse,
                  state: GameState, pol: Policy, flow: FlowResult, mt: MarketTurn,
                  budgets: bool = True) -> None:
    """After the flow: prices, budgets (unless ``budgets`` is False: a stacked state),
    run rates, demand level, contracts, sales."""
    del response  # price adjustment and flexibility are the market's and the flow's now
    shortfall = flow.requested - flow.flows  # requests not shipped
    np.maximum(shortfall, 0.0, out=shortfall)
    held_back = held_back_exports(flow, mt, shortfall)
    settle_prices(mc, base, state, flow, mt, held_back)
    if budgets:
        settle_budgets(base, state, pol, flow, mt)
    ms = state.market
    received = netback(state.price, flow.flows, mt.trade_cost, flow.sold)
    reference = mc.reference_price.copy()
    reference[:, 1:] = mc.reference_price[:, 1:] + mc.pass_through * (
        state.price[:, :-1] - mc.reference_price[:, :-1]) / base.yields[:, 1:, None]
    state.utilisation = update_utilisation(
        mc, base, state.utilisation, state.base_utilisation,
        state.capacity * pol.cap_mult, state.stock, state.stock_target, received,
        np.maximum(reference, EPS), pol.floors)
    ms.demand_level = update_demand_level(mc, base, ms.demand_level, state.price,
                                          mc.reference_price)
    ms.contract = drift_contracts(ms.contract, flow.flows, flow.requested, mc.contract_drift,
                                  shortfall)
    spare = np.maximum(flow.production - flow.sold, 0.0)
    if (spare > EPS).any():
        ms.contract = drift_to_spare(ms.contract, spare, mt.severity < OPEN_ROUTE, state.price,
                                     mt.trade_cost, mc.imports, mc.contract_drift,
                                     mc.buys_abroad, mt.terms.part_sizes)
    # what traders at home took into stock counts as sold: the plants do not cut their
    # plans for it until those stocks stand above target (``supply.planned_output``)
    ms.sales = flow.sold + np.minimum(held_back,
                                      np.maximum(flow.production - flow.sold, 0.0))
    ms.unsold = np.maximum(flow.production - flow.sold, 0.0)
    met = np.ones_like(ms.input_met)  # processors' input: last stage's use by the same actor
    met[:, 1:] = np.where(flow.need[:, :-1] > EPS, np.minimum(
        flow.delivered_use[:, :-1] / np.maximum(flow.need[:, :-1], EPS), 1.0), 1.0)
    ms.input_met = met
    queue = flow.licence_queue
    ms.licence_queue = queue if queue is not None else np.zeros_like(ms.licence_queue)


def settle_budgets(base: Baseline, state: GameState, pol: Policy, flow: FlowResult,
                   mt: MarketTurn) -> None:
    """Tariff revenue to the importer's team, export-duty revenue to the exporter's (USD m:
    tonnes x USD/kg / 1000), and price floors paid by their payer: (floor - price) x the
    producer's output."""
    cross = flow.flows * (1.0 - np.eye(base.n_actors))  # (M, S, E, I)
    if pol.tariff.any():
        revenue = np.einsum("msei,msei,msi->i", cross, pol.tariff, state.price) / 1000.0
        state.budget = state.budget + np.einsum("ta,a->t", base.team_members, revenue)
    if mt.duty is not None:
        value = cross * state.price[:, :, None, :] / (1.0 + mt.duty) / \
            (1.0 + pol.tariff)  # at the exporter's side of the duty
        revenue = np.einsum("msei,msei->e", value, mt.duty) / 1000.0
        state.budget = state.budget + np.einsum("ta,a->t", base.team_members, revenue)
    for payer, producer, m, s, floor, _mid in pol.floors:
        gap = max(0.0, floor - float(state.price[m, s, producer]))
        state.budget[payer] -= gap * float(flow.production[m, s, producer]) / 1000.0


def market_price(base: Baseline, price: np.ndarray) -> np.ndarray:
    """The international price per material and stage (M, S): the mean of what importers
    pay, weighted by their baseline use. An exporter's home price under its own export
    controls is not the world's price (in 2011 FOB China stood 1.4-1.6x China's domestic
    Nd and Dy oxide prices), so exporters' home prices stay in
    ``price_by_actor_usd_per_kg``."""
    weight = base.price_weight
    return np.einsum("msa,msa->ms", price, weight) / weight.sum(axis=2)


__all__ = ["MarketTurn", "QuotaPool", "complete_market_turn", "initial_market",
           "market_measures", "market_price", "prepare_market",
           "settle_market", "settle_prices", "stack_market_turns"]
