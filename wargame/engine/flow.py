"""One turn of material flow through the supply network, stage by stage.

At each stage: production (input-limited after the first stage), then allocation of what is
offered to what is needed in tiers:

1. reserved shares (offtakes, equity stakes), licensed like any export;
2. domestic use, up to the actor's home share of its own use (1 unless the scenario's
   ``trade_shares`` say an actor imports part of its use while it also exports: two-way
   trade);
3. contracts: each importer requests what it still needs from exporters along its own
   contract shares (``TradeTerms.contract``: baseline bilateral shares from the scenario,
   drifting each turn towards the suppliers that delivered), deterred by tariffs and export
   duties; each pair passes only its licence approval, plus a leakage share of what the
   licence blocks (smuggling, transshipment); tonnage export quotas (``QuotaPool``) cap an
   exporter's exports to the importers they cover, again with a leakage share;
4. spot: what exporters have left goes to importers still short over open pairs (what a
   licence blocked is diverted to open destinations; an importer whose contract supplier
   failed finds what others have left);
5. importers left short bid some material away from better-supplied countries (the
   scenario's ``market_flexibility``), never material whose exporter's licence forbids them.

Commercial stocks cover shortfalls and are rebuilt afterwards; unsold output is stocked.
A processing stage asks its supplier stage for the input of its *planned* output
(``TradeTerms.planned_output``: what it expects to sell, ``market.py``), not for its
capacity. Sectors share the last stage by priority rationing. Every tonne is in the ledger:
sources (production, recycling) = sinks (sector use, processing losses) + stock change.

Arrays are (material, actor) per stage; materials never interact within a turn, which is
what lets ``explain.what_if_headlines`` stack explanation variants, and ``batch.py`` games,
along that axis (quota pools name their material, so a stacked run offsets them:
``stack_terms``). Where a step branches on a whole game (is any pair of this stage
licensed? is any importer short?), each stacked part decides for itself
(``_allocate_parts``), so a game's numbers never depend on the games stacked with it.

Products are written with ``np.einsum`` rather than ``@``: matrix products go to BLAS,
whose kernels (and so the last bits of a sum) vary with the CPU, and the golden master
(``tests/golden``) hashes states exactly on any machine.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from wargame.engine.baseline import Baseline
from wargame.engine.policy import Policy
from wargame.engine.state import GameState
from wargame.engine.trade_terms import (
    NEUTRAL_TERMS, QuotaPool, TradeTerms, part_starts, stack_terms,
)

__all__ = ["FlowResult", "QuotaPool", "TradeTerms", "ledger_gap", "ration_by_priority",
           "run_flow", "stack_terms"]

EPS = 1e-12
SELL_DOWN = 0.5  # share of stock above target offered each turn
REBUILD_BAND = 1.0  # stock above target x this counts as excess
OPEN_ALLOWANCE = 0.999  # a pair approved at least this share is not restricted
ROUTINE_APPROVAL = 0.9  # licensing approving at least this share is routine (spot trade passes)


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
    asked: np.ndarray | None = None  # (M, S, A) what each buyer asked for: use + stock
    # rebuilding + strategic purchases
    quota_used: list[float] = field(default_factory=list)  # t per turn drawn on each pool
    licence_queue: np.ndarray | None = None  # (M, S, E, I) applications left on file
    received: np.ndarray | None = None  # (M, S, I) flows summed over exporters (prices
    # read it again: ``pricing.clear_prices``)

    def part(self, materials: slice, pools: slice = slice(0, 0)) -> "FlowResult":
        """The flow of some materials only (views): one state's part of a stacked pass;
        ``pools``: that state's quota pools among the stacked ones."""
        def cut(name: str, value):
            if value is None:
                return None
            if name == "quota_used":
                return list(value[pools])
            if name in ("sector_demand", "sector_met"):
                return value[:, :, materials]
            return value[materials]
        return FlowResult(**{name: cut(name, value) for name, value in vars(self).items()})


def ordered_sum(a: np.ndarray, axis: int) -> np.ndarray:
    """The slices of ``a`` along ``axis`` added one after another, in order: bit for bit
    ``a.sum(axis)`` for an axis that is not the last of an array whose last axis is
    contiguous (exporters in an (M, E, I) or (M, S, E, I) array), since NumPy sums
    pairwise only along that last axis. The same additions without NumPy's reduction
    loop, which walks rows as short as the actor axis one at a time and costs several
    times as much (``tests/unit/test_ordered_sum.py`` holds it to ``np.sum``)."""
    if axis in (-1, a.ndim - 1):
        raise ValueError("ordered_sum: use np.sum along the last axis (pairwise there)")
    slices = np.moveaxis(a, axis, 0)
    total = slices[0].copy()
    for part in slices[1:]:
        total += part
    return total


_PAIRWISE_BLOCK = 128  # NumPy sums a contiguous run of at most this many items in one block


def last_axis_sum(a: np.ndarray, keepdims: bool = False) -> np.ndarray:
    """``a.sum(axis=-1)`` bit for bit, for a float array whose last axis is short and
    contiguous (the actor axis of an (M, E, I) array): NumPy adds each row of at most 128
    items from 0.0, the first eight into eight partial sums, then eight by eight into
    them, the partial sums as a tree, then the rest one after another. The same additions, made across
    every row at once, cost less than half of NumPy's reduction, which walks the rows one
    at a time (``tests/unit/test_ordered_sum.py`` holds it to ``np.sum``)."""
    n = a.shape[-1]
    if a.dtype != np.float64 or not 0 < n <= _PAIRWISE_BLOCK or a.strides[-1] != 8:
        return a.sum(axis=-1, keepdims=keepdims)
    if n < 8:
        total = a[..., 0] + 0.0
        for i in range(1, n):
            total = total + a[..., i]
    else:
        blocks_end = n - n % 8
        r = [a[..., j] for j in range(8)]
        for start in range(8, blocks_end, 8):
            r = [r[j] + a[..., start + j] for j in range(8)]
        total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        for i in range(blocks_end, n):
            total = total + a[..., i]
    total += 0.0  # the sum starts from 0.0: a row of -0.0 sums to 0.0
    return total[..., None] if keepdims else total


def add_rows_at(target: np.ndarray, rows: np.ndarray, values: np.ndarray) -> None:
    """``np.add.at(target, rows, values)`` for a 2-D ``target``: row ``values[j]`` added
    to row ``rows[j]``, in order of j (so a row's sum is in order, bit for bit). Through
    one flat index: NumPy's fast path for ``ufunc.at`` takes a single 1-D index only, and
    its general path costs about five times as much."""
    if not target.flags.c_contiguous:  # a reshape would copy, and the sums be lost
        raise ValueError("add_rows_at: the target must be C-ordered")
    width = target.shape[1]
    flat = (rows[:, None] * width + np.arange(width)).ravel()
    np.add.at(target.reshape(-1), flat, values.reshape(-1))


def nonzero(mask: np.ndarray) -> tuple[np.ndarray, ...]:
    """``np.nonzero(mask)``, the same indices in the same order, from the flat positions
    of the True entries (``np.nonzero`` itself is several times slower on a 3-D array)."""
    return np.unravel_index(np.flatnonzero(mask), mask.shape)


def rows_with_any(mask: np.ndarray) -> tuple[np.ndarray, ...]:
    """``np.nonzero(mask.any(axis=-1))``: the rows (every axis but the last) holding a
    True entry, in order, from the flat positions of the True entries (a reduction over a
    row as short as the actor axis is slow; engine masks hold few True entries)."""
    rows = np.flatnonzero(mask) // mask.shape[-1]  # ascending, with repeats
    if len(rows):
        rows = rows[np.concatenate(([True], rows[1:] != rows[:-1]))]
    return np.unravel_index(rows, mask.shape[:-1])


def part_any(mask: np.ndarray, sizes: tuple[int, ...]) -> np.ndarray:
    """(P,) whether each part's rows hold a nonzero entry: the parts are runs of ``sizes``
    rows along the first axis of ``mask`` (stacked games or what-if variants)."""
    if len(sizes) == 1:
        return np.array([mask.any()])
    if min(sizes) == max(sizes):  # games of a batch: one contiguous block each
        return mask.reshape(len(sizes), -1).any(axis=1)
    rows = mask.reshape(len(mask), -1).any(axis=1)
    return np.logical_or.reduceat(rows, part_starts(sizes))


def part_rows(flags: np.ndarray, sizes: tuple[int, ...]) -> np.ndarray:
    """(M,) each row's part's flag."""
    return np.repeat(flags, sizes)


def part_of(rows: np.ndarray | int, sizes: tuple[int, ...]) -> np.ndarray:
    """The part (index into ``sizes``) that holds each of ``rows``."""
    return np.searchsorted(np.cumsum(sizes), rows, side="right")


def _scale_rows(flows: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Scale each exporter's row (M, E, I) of non-negative ``flows`` so its total is at
    most ``cap`` (M, E). A row capped at 0 is empty: only the rows of the few actors with
    something to offer are summed and scaled."""
    rows = nonzero(cap != 0.0)
    part = flows[rows]  # (P, I)
    total = part.sum(axis=1)
    scale = np.where(total > cap[rows], cap[rows] / np.maximum(total, EPS), 1.0)
    scaled = np.zeros(flows.shape)
    scaled[rows] = part * scale[:, None]
    return scaled


def _allocate(offer: np.ndarray, demand: np.ndarray, reserved: np.ndarray,
              allow: np.ndarray, tariff: np.ndarray, flexibility: float,
              restricted: np.ndarray | None = None, any_restricted: bool | None = None,
              any_reserved: bool | None = None, any_tariff: bool | None = None,
              contract: np.ndarray | None = None, duty: np.ndarray | None = None,
              leakage: np.ndarray | None = None, home_share: np.ndarray | None = None,
              pools: list[tuple[int, QuotaPool]] = (), quota_left: np.ndarray | None = None,
              queue: np.ndarray | None = None, use: np.ndarray | None = None,
              record_leaks: bool = True, parts: tuple[int, ...] = (),
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Flows (M, E, I) from offers (M, E) to demands (M, I); returns (flows, requested,
    leaked, licence queue). ``pools`` are the quota pools covering this stage (index,
    pool) and ``quota_left`` what each pool has left (updated in place). ``queue`` (M, E,
    I): applications refused on earlier turns, still on file. ``record_leaks``: keep the
    part of the flows that passed only by leakage (else leaked is None: ``run_flow``
    keeps no such record, nothing reads it). ``parts``: the sizes of the stacked parts
    (games) the rows hold (empty: one): whether importers bid material away, and whether
    contract buyers turn to spot, is decided per part, as each part alone decides it (the
    caller gives each part its own branch, ``_allocate_parts``). Every step respects
    every offer and demand."""
    M, A = offer.shape
    parts = parts or (M,)
    # (the flags may come precomputed for the whole turn: see ``run_flow``)
    if restricted is None:
        restricted = allow < OPEN_ALLOWANCE  # the diagonal (home market) is always 1
    if any_restricted is None:
        any_restricted = bool(restricted.any())
    if any_reserved is None:
        any_reserved = bool(reserved.any())
    if any_tariff is None:
        any_tariff = bool(tariff.any())
    has_duty = duty is not None
    cost = None
    if any_tariff or has_duty:
        cost = (1.0 + tariff) * (1.0 + duty) if has_duty else 1.0 + tariff
    leaking = leakage is not None and any_restricted
    # a licence passes its approved share and a leakage share of what it blocks
    passing = allow + leakage * (1.0 - allow) if leaking else allow
    new_queue = None
    # tier 1: reserved shares, licensed like any export
    if any_reserved:
        # shares reserved for several buyers never add up to more than the whole output
        promised = last_axis_sum(reserved, keepdims=True)
        shares = np.where(promised > 1.0, reserved / np.maximum(promised, EPS), reserved)
        tier1 = shares * offer[:, :, None] * passing  # nobody reserves its own output
        taken = ordered_sum(tier1, 1)
        scale = np.where(taken > demand, demand / np.maximum(taken, EPS), 1.0)
        tier1 *= scale[:, None, :]
        offer_left = offer - last_axis_sum(tier1)
        demand_left = demand - ordered_sum(tier1, 1)
    else:
        tier1 = np.zeros((M, A, A))
        offer_left, demand_left = offer, demand
    # tier 2: domestic, up to the home share of own use; stock-building at home (``use``
    # given: demand beyond it) waits for the spot tier, after export contracts
    home_want = demand_left if use is None else np.minimum(demand_left, use)
    if home_share is not None:
        home_want = home_want * home_share
    domestic = np.minimum(offer_left, home_want)
    offer_left = np.maximum(offer_left - domestic, 0.0)
    demand_left = np.maximum(demand_left - domestic, 0.0)
    flows = tier1
    diagonal = _diagonal(A)
    flows[:, diagonal, diagonal] += domestic
    # tier 3: contracts. Without explicit shares each importer requests from every
    # exporter pro rata to its remaining offer (the same mix for everyone)
    if contract is None:
        total = np.maximum(offer_left.sum(axis=1), demand_left.sum(axis=1))
        # (no actor both offers and wants after the domestic tier, so the diagonal is zero)
        requested = offer_left[:, :, None] * demand_left[:, None, :] \
            / np.maximum(total, EPS)[:, None, None]
        if home_share is not None:  # two-way traders do not trade with themselves
            requested[:, diagonal, diagonal] = 0.0
    else:
        requested = _scale_rows(contract * demand_left[:, None, :], offer_left)
    if cost is not None:
        requested = requested / cost  # a tariff or duty deters part of the request
    leaked = None
    if any_restricted or cost is not None or pools:
        if any_restricted:
            passed, leaked, new_queue, licensed = _license(requested, allow, restricted, queue,
                                                           leakage if leaking else None)
            if not record_leaks:
                leaked = None
            if queue is not None:  # catching up never ships more than the exporter has;
                capped = _scale_rows(passed, offer_left)  # what it cannot stays on file
                if leaked is not None:
                    leaked = leaked * np.where(passed > EPS, capped / np.maximum(passed, EPS), 0.0)
                # (only licensed pairs have anything on file: elsewhere it stays 0)
                new_queue[licensed] = np.minimum(
                    new_queue[licensed] + (passed[licensed] - capped[licensed]),
                    QUEUE_TURNS * np.maximum(requested[licensed], EPS))
                passed = capped
        else:
            passed = requested.copy()
        if pools:
            passed, leaked = _apply_quotas(passed, leaked, pools, quota_left, count=True)
        flows += passed
        offer_left = np.maximum(offer_left - last_axis_sum(passed), 0.0)
        demand_left = np.maximum(demand_left - ordered_sum(passed, 1), 0.0)
        # tier 4, spot: what is left (blocked volume too) goes to open destinations that
        # still want it; a restricted importer cannot take it, and finds little else:
        # others' offers went to their own customers first
        # (a pair under a tighter licence has had its decision, and what it refused waits
        # on file; routine licensing lets spot trade through at its approval share)
        open_pairs = ~restricted | (allow >= ROUTINE_APPROVAL)
        if pools:
            open_pairs = open_pairs & ~_exhausted(pools, quota_left, M, A)
        preference = open_pairs / cost if cost is not None else open_pairs
        spot = _fill(offer_left, demand_left, preference, None)
        if any_restricted:  # a licensed pair ships its approved share of spot trade too
            spot[licensed] *= allow[licensed]
        if pools:
            spot, _ = _apply_quotas(spot, None, pools, quota_left, count=True)
        flows += spot
    else:
        flows += requested
        if contract is not None:  # contract suppliers may have run out: spot from the rest
            offer_left = np.maximum(offer_left - last_axis_sum(requested), 0.0)
            demand_left = np.maximum(demand_left - ordered_sum(requested, 1), 0.0)
            spot = part_any(offer_left.sum(axis=1) > EPS, parts) \
                & part_any(demand_left.sum(axis=1) > EPS, parts)
            if spot.all():
                flows += _fill(offer_left, demand_left, _OTHERS[A], None)
            elif spot.any():
                rows = part_rows(spot, parts)
                flows[rows] += _fill(offer_left[rows], demand_left[rows], _OTHERS[A], None)
    if flexibility > 0.0:
        received = ordered_sum(flows, 1)
        short = part_any(received < demand * (1 - 1e-9) - EPS, parts)
        if short.any():
            # material moves on to a short importer as far as its licence lets it
            movable = passing if any_restricted else ~restricted
            if pools:  # material under a tonnage quota does not move on by bidding
                movable = movable * ~_covered(pools, M, A)
            if short.all():
                flows = _rebalance(flows, demand, movable, flexibility, received)
            else:  # only the parts with a short importer bid (each row on its own)
                rows = part_rows(short, parts)
                flows[rows] = _rebalance(flows[rows], demand[rows], movable[rows],
                                         flexibility, received[rows])
    return flows, requested, leaked if record_leaks else None, new_queue


QUEUE_TURNS = 4.0  # applications on file are capped at this many turns of requests


def _license(requested: np.ndarray, allow: np.ndarray, restricted: np.ndarray,
             queue: np.ndarray | None, leakage: np.ndarray | None,
             ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, tuple[np.ndarray, ...]]:
    """(shipped, leaked, applications still on file, the licensed pairs' indices) for a
    licensed stage. Each turn the
    licence approves ``allow`` of the applications on file: this turn's requests plus those
    refused before, which stay on file while the restriction lasts and ship when approved
    (a catch-up, as in December 2010). So routine licensing (approvals near 1) only delays
    some trade by a turn, while a freeze holds it back for as long as it lasts. A leakage
    share of what is refused this turn leaves anyway. The caller keeps shipments within
    each exporter's offer. Only the ``restricted`` pairs (a few %) have anything refused,
    on file or leaked: the rest ships, and only those pairs are computed."""
    licensed = nonzero(restricted)
    asked = requested[licensed]
    on_file = asked if queue is None else asked + queue[licensed]
    shipped = on_file * allow[licensed]
    queue_out = np.zeros_like(requested)
    queue_out[licensed] = np.minimum(np.maximum(on_file - shipped, 0.0), QUEUE_TURNS * asked)
    leaked = None
    if leakage is not None:
        share = np.broadcast_to(leakage, requested.shape)[licensed]
        leaks = np.maximum(asked - shipped, 0.0) * share
        leaked = np.zeros_like(requested)
        leaked[licensed] = leaks
        shipped = shipped + leaks
    approved = requested.copy()
    approved[licensed] = shipped
    return approved, leaked, queue_out, licensed


def _covered(pools: list[tuple[int, QuotaPool]], M: int, A: int) -> np.ndarray:
    """(M, E, I) True for pairs some quota pool covers."""
    mask = np.zeros((M, A, A), dtype=bool)
    for _n, pool in pools:
        for m in pool.materials:
            mask[m, pool.exporter] |= pool.importers
    return mask


def _exhausted(pools: list[tuple[int, QuotaPool]], quota_left: np.ndarray, M: int,
               A: int) -> np.ndarray:
    """(M, E, I) True for pairs covered by a pool with nothing left."""
    mask = np.zeros((M, A, A), dtype=bool)
    for n, pool in pools:
        if quota_left[n] <= EPS:
            for m in pool.materials:
                mask[m, pool.exporter] |= pool.importers
    return mask


def _apply_quotas(passed: np.ndarray, leaked: np.ndarray | None,
                  pools: list[tuple[int, QuotaPool]], quota_left: np.ndarray,
                  count: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """Cap each pool's covered flows at what it has left; a leakage share of the excess
    still passes (and is recorded as leaked, not counted against the quota). A pool over
    several materials serves them in its ``order`` (dearest first) while it lasts."""
    for n, pool in pools:
        e, covered = pool.exporter, pool.importers
        mats = pool.order or pool.materials
        rows = [passed[m, e, covered] for m in mats]
        total = float(sum(row.sum() for row in rows))
        if total <= EPS:
            continue
        room = max(float(quota_left[n]), 0.0)
        if total > room:
            left = room
            for m, row in zip(mats, rows):
                asked = float(row.sum())
                if asked <= EPS:
                    continue
                given = min(asked, left) if pool.order else asked * room / total
                left -= given
                excess = row * (1.0 - given / asked)
                leak = excess * pool.leakage_share
                passed[m, e, covered] = row - excess + leak
                if pool.leakage_share > 0.0:
                    if leaked is None:
                        leaked = np.zeros_like(passed)
                    leaked[m, e, covered] += leak
            used = room
        else:
            used = total
        if count:
            quota_left[n] -= used
    return passed, leaked


class _Others(dict):
    """(1, A, A) read-only: 1 between two actors, 0 on the diagonal, by A."""

    def __missing__(self, n: int) -> np.ndarray:
        others = np.ones((1, n, n)) - np.eye(n)
        others.setflags(write=False)
        self[n] = others
        return others


_OTHERS = _Others()
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
    fill ratio, by ``flexibility`` of the gap. Material moves on to the short importer only
    as far as its exporter's licence to that importer passes it (``open_pairs``: 1 open,
    the approval share under a licence, 0 banned), so a target can buy another country's
    own output but little of China's re-exported material under a freeze."""
    if received is None:
        received = ordered_sum(flows, 1)  # (M, I)
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
    to_share = want / np.maximum(total_want, EPS)  # (M, I)
    # donor j passes on material from exporter e to importer i (never to itself):
    #   t[m, e, j, i] = share[m, e, j] give[m, j] to_share[m, i] open[m, e, i] (j != i)
    # summed over i (what leaves j) and over j (what reaches i) without the 4-D array
    # (in place where the operations stay the same: fewer whole-array temporaries)
    given = flows / np.maximum(received[:, None, :], EPS)  # (M, E, J) share of receipts
    given *= give[:, None, :]
    reach = to_share[:, None, :] * open_pairs  # (M, E, I)
    out = last_axis_sum(reach, keepdims=True) - reach
    out *= given
    into = last_axis_sum(given, keepdims=True) - given
    into *= reach
    moved = np.subtract(flows, out, out=out)
    moved += into
    return moved


def _fill(offer: np.ndarray, demand: np.ndarray, preference: np.ndarray,
          bid: np.ndarray | None) -> np.ndarray:
    """Each exporter splits its offer over importers by preference x demand x bid; no
    importer receives more than its demand. Only the rows of exporters with something on
    offer (a few %) are built: the others propose nothing."""
    M, A = offer.shape
    m, e = nonzero(offer != 0.0)
    wanted = demand if bid is None else demand * bid
    weight = np.broadcast_to(preference, (M, A, A))[m, e] * wanted[m]  # (P, I)
    share = weight / np.maximum(weight.sum(axis=1, keepdims=True), EPS)
    proposal = offer[m, e][:, None] * share
    received = np.zeros((M, A))
    add_rows_at(received, m, proposal)  # exporters in order, as a sum over them would
    cap = np.where(received > demand, demand / np.maximum(received, EPS), 1.0)
    filled = np.zeros((M, A, A))
    filled[m, e] = proposal * cap[m]
    return filled


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


def _stage(array: np.ndarray | None, s: int) -> np.ndarray | None:
    return None if array is None else array[:, s]


def _allocate_parts(terms: TradeTerms, s: int, offer: np.ndarray, demand: np.ndarray,
                    use: np.ndarray, reserved: np.ndarray, allow: np.ndarray,
                    tariff: np.ndarray, restricted: np.ndarray, flexibility: float,
                    quota_left: np.ndarray,
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """``_allocate`` of stage ``s`` (flows, requested, licence queue or None), each stacked
    part (``TradeTerms.part_sizes``: games of a batch, what-if variants) taking the branches
    it would take alone: licensed or plain trade, leakage, a licence queue. The parts
    that take the same branches are allocated together (usually all of them: the games of
    a sweep hold the same standing measures); the others on their own rows. Every step of
    the allocation works row by row, so a part's rows come out as they would alone."""
    M = len(offer)
    sizes = terms.part_sizes or (M,)
    pools = [(n, pool) for n, pool in enumerate(terms.quotas) if pool.stages[s]]
    giving = {name: np.array(terms.giving(name))
              for name in ("contract", "duty", "leakage", "home_share", "licence_queue")}
    licensed = part_any(restricted, sizes)
    taxed = part_any(tariff, sizes)
    with_pools = np.zeros(len(sizes), dtype=bool)
    if pools:
        with_pools[part_of(np.array([pool.material for _n, pool in pools]), sizes)] = True
    branch = licensed | giving["duty"] | taxed | with_pools
    # what each part's branches hang on (a licence queue and leakage only where licensed)
    keys = list(zip(branch, licensed, licensed & giving["leakage"],
                    licensed & giving["licence_queue"], giving["contract"],
                    giving["home_share"]))
    groups: dict[tuple, list[int]] = {}
    for part, key in enumerate(keys):
        groups.setdefault(key, []).append(part)
    args = (offer, demand, reserved, allow, tariff, restricted, use,
            _stage(terms.contract, s), _stage(terms.duty, s), _stage(terms.leakage, s),
            _stage(terms.home_share, s), _stage(terms.licence_queue, s))
    if len(groups) == 1:
        return _allocate_group(next(iter(groups)), args, sizes, pools, flexibility,
                               quota_left, bool(taxed.any()))
    starts = part_starts(sizes)
    flows = np.zeros(reserved.shape)
    requested = np.zeros(reserved.shape)
    queue_out = None
    for key, members in groups.items():
        rows = np.concatenate([np.arange(starts[p], starts[p] + sizes[p]) for p in members])
        where = {int(row): n for n, row in enumerate(rows.tolist())}
        own_pools = [(n, pool.moved(where)) for n, pool in pools if pool.material in where]
        f, req, queue = _allocate_group(
            key, tuple(None if a is None else a[rows] for a in args),
            tuple(sizes[p] for p in members), own_pools, flexibility, quota_left,
            bool(taxed[members].any()))
        flows[rows] = f
        requested[rows] = req
        if queue is not None:
            if queue_out is None:
                queue_out = np.zeros(reserved.shape)
            queue_out[rows] = queue
    return flows, requested, queue_out


def _allocate_group(key: tuple, args: tuple, sizes: tuple[int, ...], pools: list,
                    flexibility: float, quota_left: np.ndarray, taxed: bool,
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """``_allocate`` of parts sharing their branches (``key``, see ``_allocate_parts``);
    ``taxed``: some part has a tariff on the stage."""
    branch, licensed, leaking, queued, contracted, home = key
    (offer, demand, reserved, allow, tariff, restricted, use, contract, duty, leakage,
     home_share, queue) = args
    f, req, _leaked, queue = _allocate(
        offer, demand, reserved, allow, tariff, flexibility, restricted, bool(licensed),
        bool(reserved.any()), taxed,
        contract=contract if contracted else None, duty=duty if branch else None,
        leakage=leakage if leaking else None,
        home_share=home_share if home else None, pools=pools, quota_left=quota_left,
        queue=queue if queued else None, use=use, record_leaks=False, parts=sizes)
    return f, req, queue


def run_flow(base: Baseline, state: GameState, pol: Policy, flexibility: float = 0.5,
             rationing_strength: float = 1.0, terms: TradeTerms | None = None,
             demand_response: np.ndarray | None = None,
             demand_level: np.ndarray | None = None) -> FlowResult:
    """Moves one turn of material; mutates ``state`` stocks, origin and returns the ledger.

    ``terms``: contracts, duties, leakage, quotas and plans (``TradeTerms``; None = neutral).
    ``demand_level`` (A, K, M): the long-run position of sector demand (thrifting,
    ``demand.py``), part of what sectors need. ``demand_response`` (A, K, M): the share of
    that they still ask for at this turn's prices (short-run demand destruction); supply
    met is measured against the demand before it, so a sector priced out counts as short."""
    M, S, A = base.n_materials, base.n_stages, base.n_actors
    terms = terms or NEUTRAL_TERMS
    capacity = state.capacity * pol.cap_mult
    util = np.where(np.isnan(pol.util_set), state.utilisation, pol.util_set)
    run_rate = capacity * util
    planned = run_rate if terms.planned_output is None else \
        np.minimum(terms.planned_output, run_rate)
    recycled = state.recycle_capacity * pol.cap_mult
    sector_demand = base.demand * pol.demand_mult  # (A, K, M)
    if demand_level is not None:
        sector_demand = sector_demand * demand_level
    asked = sector_demand if demand_response is None else sector_demand * demand_response
    final_need = ordered_sum(asked, 1).T  # (M, A)
    pools = terms.quotas
    quota_left = np.array([pool.tonnes_per_turn for pool in pools], dtype=float)
    queue_all = None

    production = np.zeros((M, S, A))
    need = np.zeros((M, S, A))
    asked_all = np.zeros((M, S, A))
    delivered_use = np.zeros((M, S, A))
    offered = np.zeros((M, S, A))
    sold = np.zeros((M, S, A))
    losses = np.zeros((M, S, A))
    flows = np.zeros((M, S, A, A))
    requested = np.zeros((M, S, A, A))
    received_all = np.zeros((M, S, A))
    stock_start = (state.stock + state.strategic).sum(axis=2)
    input_in = np.zeros((M, A))  # what each actor feeds into the current stage
    identity = _identity(M, A)
    active_all = base.stage_mask

    # (these two only add zeros where a part has none: no branch hangs on them)
    any_release = bool(pol.release.any())
    any_build = bool(pol.build.any())
    restricted_all = pol.allow < OPEN_ALLOWANCE  # (M, S, E, I); home markets never are
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
            next_need = planned[:, s + 1] / yields[:, s + 1][:, None]
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
        asked_all[:, s] = demand
        f, req, queue = _allocate_parts(
            terms, s, offer, demand, use, pol.reserved[:, s], pol.allow[:, s],
            pol.tariff[:, s], restricted_all[:, s], flexibility, quota_left)
        if queue is not None:
            if queue_all is None:
                queue_all = np.zeros((M, S, A, A))
            queue_all[:, s] = queue
        flows[:, s] = f
        requested[:, s] = req
        received_all[:, s] = received = ordered_sum(f, 1)
        sold_now = last_axis_sum(f)
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
            # origin of what each actor makes at the next stage: what it received here,
            # unless the next stage transforms it substantially (its origin starts afresh)
            resets = base.refining_stage == s + 1  # (M,)
            if resets.all():
                state.origin[:, s + 1] = identity
            else:
                recv_origin = np.einsum("mei,meo->mio", f, state.origin[:, s])
                total_recv = last_axis_sum(recv_origin, keepdims=True)
                mixed = np.where(total_recv > EPS, recv_origin / np.maximum(total_recv, EPS),
                                 state.origin[:, s + 1])
                state.origin[:, s + 1] = np.where(resets[:, None, None], identity, mixed) \
                    if base.refines_at[s + 1] else mixed
    state.origin[:, 0] = identity

    # sectors: last-stage supply rationed by priority
    final_delivered = delivered_use[np.arange(M), base.stage_count - 1]  # (M, A)
    sector_met = ration_by_priority(final_delivered.T, asked, base.sector_priority,
                                    rationing_strength)
    if demand_response is not None:  # against what the sector wanted before prices rose
        sector_met = np.minimum(sector_met * demand_response, 1.0)
    stock_end = (state.stock + state.strategic).sum(axis=2)
    return FlowResult(production=production, recycled=recycled * active_all[:, :, None],
                      need=need, delivered_use=delivered_use, offered=offered, sold=sold,
                      flows=flows, requested=requested, losses=losses,
                      sector_demand=sector_demand, sector_met=sector_met,
                      stock_start=stock_start, stock_end=stock_end, asked=asked_all,
                      quota_used=[pool.tonnes_per_turn - left
                                  for pool, left in zip(pools, quota_left)],
                      licence_queue=queue_all, received=received_all)


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
