"""One turn of material flow through the supply network, stage by stage.

At each stage: production (input-limited after the first stage), then allocation of what is
offered to what is needed in tiers: reserved shares (offtakes, equity), domestic use, then
exports requested pro rata to exporters' remaining offer, each pair passing only its licence
approval (a tariff deters part of the request); blocked volume is offered to open
destinations that still want it; finally importers left short bid some material away from
better-supplied countries (the scenario's ``market_flexibility``), never material whose
exporter's licence forbids them. Commercial stocks cover shortfalls and are rebuilt
afterwards; unsold output is stocked. Sectors share the last stage by priority rationing.
Every tonne is in the ledger: sources (production, recycling) = sinks (sector use,
processing losses) + stock change.

Arrays are (material, actor) per stage; materials never interact within a turn, which is
what lets ``explain.what_if_headlines`` stack explanation variants along that axis.

Products are written with ``np.einsum`` rather than ``@``: matrix products go to BLAS,
whose kernels (and so the last bits of a sum) vary with the CPU, and the golden master
(``tests/golden``) hashes states exactly on any machine.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wargame.engine.baseline import Baseline
from wargame.engine.policy import Policy
from wargame.engine.state import GameState

EPS = 1e-12
SELL_DOWN = 0.5  # share of stock above target offered each turn
REBUILD_BAND = 1.0  # stock above target x this counts as excess


@dataclass
class FlowResult:
    production: np.ndarray  # (M, S, A) incl. recycled
    recycled: np.ndarray  # (M, S, A)
    need: np.ndarray  # (M, S, A) own use needed
    delivered_use: np.ndarray  # (M, S, A) use met (receipts + stock draw)
    offered: np.ndarray  # (M, S, A)
    sold: np.ndarray  # (M, S, A)
    flows: np.ndarray  # (M, S, E, I) incl. domestic on the diagonal
    requested: np.ndarray  # (M, S, E, I) trade requested before licences
    losses: np.ndarray  # (M, S, A) processing losses
    sector_demand: np.ndarray  # (A, K, M)
    sector_met: np.ndarray  # (A, K, M) 0..1
    stock_start: np.ndarray  # (M, S) world commercial + strategic
    stock_end: np.ndarray  # (M, S)

    def part(self, materials: slice) -> "FlowResult":
        """The flow of some materials only (views): one state's part of a stacked pass."""
        return FlowResult(**{
            name: (value[:, :, materials] if name in ("sector_demand", "sector_met")
                   else value[materials])
            for name, value in vars(self).items()})


def _allocate(offer: np.ndarray, demand: np.ndarray, reserved: np.ndarray,
              allow: np.ndarray, tariff: np.ndarray, flexibility: float,
              restricted: np.ndarray | None = None, any_restricted: bool | None = None,
              any_reserved: bool | None = None, any_tariff: bool | None = None,
              ) -> tuple[np.ndarray, np.ndarray]:
    """Flows (M, E, I) from offers (M, E) to demands (M, I); returns (flows, requested).

    Trade is requested pro rata to exporters' offers, as contracts stand. A restricted pair
    gets its licensed share of the request and no more; what is blocked is offered to open
    destinations that still want it. Then importers left short may bid material away from
    better-supplied countries (``_rebalance``, by ``flexibility``: 0 keeps contracts, 1 is a
    fluid world market). Every step respects every offer and demand."""
    M, A = offer.shape
    # (the flags may come precomputed for the whole turn: see ``run_flow``)
    if restricted is None:
        restricted = allow < 0.999  # the diagonal (home market) is always 1
    if any_restricted is None:
        any_restricted = bool(restricted.any())
    if any_reserved is None:
        any_reserved = bool(reserved.any())
    if any_tariff is None:
        any_tariff = bool(tariff.any())
    # tier 1: reserved shares, licensed like any export
    if any_reserved:
        tier1 = reserved * offer[:, :, None] * allow  # nobody reserves its own output
        taken = tier1.sum(axis=1)
        scale = np.where(taken > demand, demand / np.maximum(taken, EPS), 1.0)
        tier1 *= scale[:, None, :]
        offer_left = offer - tier1.sum(axis=2)
        demand_left = demand - tier1.sum(axis=1)
    else:
        tier1 = np.zeros((M, A, A))
        offer_left, demand_left = offer, demand
    # tier 2: domestic
    domestic = np.minimum(offer_left, demand_left)
    offer_left = np.maximum(offer_left - domestic, 0.0)
    demand_left = np.maximum(demand_left - domestic, 0.0)
    flows = tier1
    diagonal = _diagonal(A)
    flows[:, diagonal, diagonal] += domestic
    # tier 3: each importer requests from every exporter pro rata to its remaining offer;
    # a licence passes only its approved share of the request, a tariff deters part of it
    total = np.maximum(offer_left.sum(axis=1), demand_left.sum(axis=1))
    # (no actor both offers and wants after the domestic tier, so the diagonal is zero)
    requested = offer_left[:, :, None] * demand_left[:, None, :] / np.maximum(total, EPS)[:, None, None]
    if any_restricted or any_tariff:
        passed = requested * (allow / (1.0 + tariff) if any_tariff else allow)
        flows += passed
        offer_left = np.maximum(offer_left - passed.sum(axis=2), 0.0)
        demand_left = np.maximum(demand_left - passed.sum(axis=1), 0.0)
        # what was blocked is offered to open destinations that still want it (diversion);
        # a restricted importer cannot take it, and finds little else: others' offers
        # went to their own customers first
        open_pairs = ~restricted
        preference = open_pairs / (1.0 + tariff) if any_tariff else open_pairs
        flows += _fill(offer_left, demand_left, preference, None)
    else:
        flows += requested
    if flexibility > 0.0:
        received = flows.sum(axis=1)
        if (received < demand * (1 - 1e-9) - EPS).any():
            flows = _rebalance(flows, demand, ~restricted, flexibility, received)
    return flows, requested


_IDENTITIES: dict[tuple[int, int], np.ndarray] = {}


def _diagonal(n: int) -> np.ndarray:
    if n not in _DIAGONALS:
        _DIAGONALS[n] = np.arange(n)
    return _DIAGONALS[n]


_DIAGONALS: dict[int, np.ndarray] = {}


def _identity(m: int, n: int) -> np.ndarray:
    """(m, n, n) stack of identity matrices: every actor's own output is its own origin."""
    if (m, n) not in _IDENTITIES:
        _IDENTITIES[(m, n)] = np.broadcast_to(np.eye(n), (m, n, n))
    return _IDENTITIES[(m, n)]


def _rebalance(flows: np.ndarray, demand: np.ndarray, open_pairs: np.ndarray,
               flexibility: float, received: np.ndarray | None = None) -> np.ndarray:
    """Importers left short bid material away from better-supplied actors, towards the world
    fill ratio, by ``flexibility`` of the gap. Only material that may legally travel on to
    the short importer moves (its exporter's licence to that importer is open), so a target
    can buy another country's own output but not China's re-exported material."""
    if received is None:
        received = flows.sum(axis=1)  # (M, I)
    world_fill = received.sum(axis=1) / np.maximum(demand.sum(axis=1), EPS)  # (M,)
    target = np.minimum(world_fill, 1.0)[:, None] * demand
    want = flexibility * np.maximum(target - received, 0.0)  # (M, I)
    spare = np.maximum(received - target, 0.0)  # (M, J)
    total_want = want.sum(axis=1, keepdims=True)
    total_spare = spare.sum(axis=1, keepdims=True)
    if not ((total_want > EPS) & (total_spare > EPS)).any():
        return flows
    scale = np.minimum(1.0, total_want / np.maximum(total_spare, EPS))
    give = spare * scale  # (M, J) what each donor gives up
    share_of_receipts = flows / np.maximum(received[:, None, :], EPS)  # (M, E, J)
    to_share = want / np.maximum(total_want, EPS)  # (M, I)
    # donor j passes on material from exporter e to importer i (never to itself):
    #   t[m, e, j, i] = share[m, e, j] give[m, j] to_share[m, i] open[m, e, i] (j != i)
    # summed over i (what leaves j) and over j (what reaches i) without the 4-D array
    given = share_of_receipts * give[:, None, :]  # (M, E, J)
    reach = to_share[:, None, :] * open_pairs  # (M, E, I)
    out = given * (reach.sum(axis=2, keepdims=True) - reach)
    into = reach * (given.sum(axis=2, keepdims=True) - given)
    return flows - out + into


def _fill(offer: np.ndarray, demand: np.ndarray, preference: np.ndarray,
          bid: np.ndarray | None) -> np.ndarray:
    """Each exporter splits its offer over importers by preference x demand x bid; no
    importer receives more than its demand."""
    weight = preference * (demand if bid is None else demand * bid)[:, None, :]
    share = weight / np.maximum(weight.sum(axis=2, keepdims=True), EPS)
    proposal = offer[:, :, None] * share
    received = proposal.sum(axis=1)
    cap = np.where(received > demand, demand / np.maximum(received, EPS), 1.0)
    return proposal * cap[:, None, :]


def ration_by_priority(supply: np.ndarray, demand: np.ndarray, priority: np.ndarray,
                       strength: float) -> np.ndarray:
    """Share of each sector's demand met (A, K, M) when supply (A, M) falls short.

    Sectors claim in proportion to demand x priority ** -strength, and no sector gets more
    than it needs: with strength 1 a priority-1 sector (defence) is filled three times as
    fully as a priority-3 one until it is whole; a large strength approaches strict
    priority. Solved exactly on the piecewise-linear fill curve."""
    total = demand.sum(axis=1)  # (A, M)
    short = supply < total - EPS
    met = np.ones_like(demand)
    if not short.any():
        return met
    weight, kinks, fills, slopes = _rationing_curve(tuple(priority.tolist()), strength)
    # given(x) = sum_k d_k min(1, x w_k) is piecewise linear in x with kinks at 1/w_k:
    # evaluate it at every kink, find the segment that holds the supply, solve on it
    actors, materials = np.nonzero(short)
    wanted = demand[actors, :, materials]  # (P, K) the short pairs' sector demands
    have = supply[actors, materials]  # (P,)
    given_at = np.einsum("pk,gk->pg", wanted, fills)  # (P, G)
    slope_at = np.einsum("pk,gk->pg", wanted, slopes)  # (P, G): slope just past each kink
    index = (given_at <= have[:, None] + EPS).sum(axis=1) - 1  # last kink below, -1: none
    safe = np.maximum(index, 0)
    rows = np.arange(len(index))
    start_x = np.where(index >= 0, kinks[safe], 0.0)
    start_given = np.where(index >= 0, given_at[rows, safe], 0.0)
    slope = np.where(index >= 0, slope_at[rows, safe], np.einsum("pk,k->p", wanted, weight))
    x = start_x + np.where(slope > EPS, (have - start_given) / np.maximum(slope, EPS), 0.0)
    met[actors, :, materials] = np.minimum(1.0, x[:, None] * weight[None, :])
    return met


_CURVES: dict[tuple, tuple[np.ndarray, ...]] = {}


def _rationing_curve(priority: tuple, strength: float) -> tuple[np.ndarray, ...]:
    """Sector weights, the kinks of the fill curve and each sector's fill and slope there
    (they depend only on the sectors' priorities)."""
    key = (priority, strength)
    if key not in _CURVES:
        weight = np.asarray(priority, dtype=float) ** -strength  # (K,)
        kinks = np.unique(1.0 / weight)  # ascending
        scaled = kinks[:, None] * weight[None, :]
        fills = np.minimum(1.0, scaled)  # (G, K)
        slopes = (scaled < 1.0 - 1e-12) * weight[None, :]  # sectors still filling past a kink
        _CURVES[key] = (weight, kinks, fills, slopes)
    return _CURVES[key]


def run_flow(base: Baseline, state: GameState, pol: Policy, flexibility: float = 0.5,
             rationing_strength: float = 1.0) -> FlowResult:
    """Moves one turn of material; mutates ``state`` stocks, origin and returns the ledger."""
    M, S, A = base.n_materials, base.n_stages, base.n_actors
    capacity = state.capacity * pol.cap_mult
    util = np.where(np.isnan(pol.util_set), state.utilisation, pol.util_set)
    run_rate = capacity * util
    recycled = state.recycle_capacity * pol.cap_mult
    sector_demand = base.demand * pol.demand_mult  # (A, K, M)
    final_need = sector_demand.sum(axis=1).T  # (M, A)

    production = np.zeros((M, S, A))
    need = np.zeros((M, S, A))
    delivered_use = np.zeros((M, S, A))
    offered = np.zeros((M, S, A))
    sold = np.zeros((M, S, A))
    losses = np.zeros((M, S, A))
    flows = np.zeros((M, S, A, A))
    requested = np.zeros((M, S, A, A))
    stock_start = (state.stock + state.strategic).sum(axis=2)
    input_in = np.zeros((M, A))  # what each actor feeds into the current stage
    identity = _identity(M, A)
    active_all = base.stage_mask

    any_release = bool(pol.release.any())
    any_build = bool(pol.build.any())
    restricted_all = pol.allow < 0.999  # (M, S, E, I); home markets are never restricted
    restricted_at = restricted_all.any(axis=(0, 2, 3))
    reserved_at = pol.reserved.any(axis=(0, 2, 3))
    tariff_at = pol.tariff.any(axis=(0, 2, 3))
    yields = base.yields
    for s in range(S):
        partial = base.partial_stage[s]  # some materials have fewer stages
        active = active_all[:, s][:, None]  # (M, 1)
        if s == 0:
            made = run_rate[:, 0] + recycled[:, 0]
        else:
            made = input_in * yields[:, s][:, None]
            losses[:, s] = input_in - made
            made = made + recycled[:, s]
        if partial:
            made = made * active
        production[:, s] = made
        # what this stage's product is needed for: next stage's input, or sectors
        ends_here = base.last_stage[:, s]
        if s + 1 < S:
            next_need = run_rate[:, s + 1] / yields[:, s + 1][:, None]
            use = np.where(ends_here[:, None], final_need, next_need) \
                if base.stage_ends_some[s] else next_need
        else:
            use = final_need
        if partial:
            use = use * active
        need[:, s] = use
        stock = state.stock[:, s]
        target = state.stock_target[:, s]
        excess = np.maximum(stock - REBUILD_BAND * target, 0.0) * SELL_DOWN
        stock = stock - excess
        offer = made + excess
        if any_release:
            release = np.minimum(state.strategic[:, s], pol.release[:, s])
            state.strategic[:, s] -= release
            offer = offer + release
        demand = use + np.maximum(target - stock, 0.0) * base.rebuild_share[:, None]
        if any_build:
            build = pol.build[:, s] * active
            demand = demand + build
        f, req = _allocate(offer, demand, pol.reserved[:, s], pol.allow[:, s], pol.tariff[:, s],
                           flexibility, restricted_all[:, s], bool(restricted_at[s]),
                           bool(reserved_at[s]), bool(tariff_at[s]))
        flows[:, s] = f
        requested[:, s] = req
        received = f.sum(axis=1)
        sold_now = f.sum(axis=2)
        use_got = np.minimum(received, use)
        extra = received - use_got
        if any_build:
            to_strategic = np.minimum(extra, build)
            state.strategic[:, s] += to_strategic
            extra = extra - to_strategic
        draw = np.minimum(stock + extra, use - use_got)
        state.stock[:, s] = np.maximum(stock + extra - draw + (offer - sold_now), 0.0)
        delivered_use[:, s] = input_in = use_got + draw
        offered[:, s] = offer
        sold[:, s] = sold_now
        if s + 1 < S:
            # origin of what each actor makes at the next stage: what it received here
            recv_origin = np.einsum("mei,meo->mio", f, state.origin[:, s])
            total_recv = recv_origin.sum(axis=2, keepdims=True)
            mixed = np.where(total_recv > EPS, recv_origin / np.maximum(total_recv, EPS),
                             state.origin[:, s + 1])
            resets = base.refining_stage == s + 1  # (M,)
            state.origin[:, s + 1] = np.where(resets[:, None, None], identity, mixed) \
                if base.refines_at[s + 1] else mixed
    state.origin[:, 0] = identity

    # sectors: last-stage supply rationed by priority
    final_delivered = delivered_use[np.arange(M), base.stage_count - 1]  # (M, A)
    sector_met = ration_by_priority(final_delivered.T, sector_demand, base.sector_priority,
                                    rationing_strength)
    stock_end = (state.stock + state.strategic).sum(axis=2)
    return FlowResult(production=production, recycled=recycled * active_all[:, :, None],
                      need=need, delivered_use=delivered_use, offered=offered, sold=sold,
                      flows=flows, requested=requested, losses=losses,
                      sector_demand=sector_demand, sector_met=sector_met,
                      stock_start=stock_start, stock_end=stock_end)


def ledger_gap(base: Baseline, flow: FlowResult) -> np.ndarray:
    """Per material: sources - sinks - stock change (zero when material is conserved).
    Sources: first-stage production and recycling; sinks: sector use and processing losses.
    Material moved between stages is neither."""
    rows = np.arange(base.n_materials)
    later = base.stage_mask & (np.arange(base.n_stages) > 0)[None, :]
    sources = flow.production[:, 0].sum(axis=1) + (flow.recycled.sum(axis=2) * later).sum(axis=1)
    sinks = flow.delivered_use[rows, base.stage_count - 1].sum(axis=1) + \
        (flow.losses.sum(axis=2) * base.stage_mask).sum(axis=1)
    change = ((flow.stock_end - flow.stock_start) * base.stage_mask).sum(axis=1)
    return sources - sinks - change
