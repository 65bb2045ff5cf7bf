"""Price formation: prices that build over turns, stay consistent along the chain, and
split into two tiers under export restrictions as a result, not an input.

Each actor has its own price per material and stage (what its users pay). Each turn,
stage by stage from upstream:

1. Reference price: the actor's baseline price plus the change in the cost of its input
   per tonne of output since the baseline (input price / yield at the origins it buys
   from, x ``market.pass_through``): an oxide spike lifts the magnet reference by its cost
   share. A restricting exporter's reference is pulled towards what its restricted
   customers pay, net of duty and tariff, by the share of its exports that leaks out of
   the restriction (``export_link``: traders move that share of blocked volume out anyway
   and earn the restricted price).
2. Clearing target. Where buyers got what they asked for and could have had more,
   competition takes the price to its reference (cost). Where they are short, or were
   supplied only because the price destroyed demand, it is the demand-curve price of
   what they could get: baseline price x (demand before this turn's price destruction /
   (what they got (receipts and stock drawn) + what sellers they can reach still had
   unsold + quota room left)) ** (1 / short-run elasticity: at the last stage each
   buyer's sectors' elasticities weighted by demand, ``MarketConstants.
   clearing_elasticity``; upstream the material's), and at least the reference. Approached from below by partial adjustment, this settles at the price
   where what buyers ask for equals what they can get: the clearing price. Sellers left
   with unsold output lower it by (sold / produced) ** (1 / destocking elasticity): a glut
   takes the price below cost, but producers and traders store much of it rather than
   dump it, so it weighs along the storage curve, not the demand curve (and producers
   cut their plans, ``supply.py``). A short buyer's target is also multiplied by
   c ** -(1 / destocking elasticity); all are bounded by the material's floor and cap
   factors. Short means its use was not met or it received less than it asked for,
   stock rebuilding included, so precautionary buying that the market cannot meet lifts
   the price, and one that it can meet does not. c is
   stock cover of users who keep a stock: the stock left over the normal stock (baseline
   stock plus precautionary cover while a supplier restricts), each plus a quarter of a
   turn's need (a seller's unsold output weighs through its unsold share instead): the storage
   curve that users' destocking behaviour implies (they hold less stock the dearer it is,
   ``demand.stock_targets``). So a cut shows first in volumes and stocks drawn down, and
   prices climb as stocks run low; precautionary buying lifts them at once.
3. Partial adjustment: the price closes ``market.price_adjustment_per_quarter`` of the gap
   to the target (in logs) per quarter, so a shock builds over several turns and even a
   target at the cap is reached only gradually; as demand adapts and supply answers, x
   falls and the price comes back towards its reference.
4. Floors: an importer pays at least the landed cost of its imports (its suppliers'
   prices plus export duty and tariff); a product is never cheaper than the input in it
   (input price / yield at its origins), which wins over the cap.

The home price of a restricting exporter rises when its users buy ahead (``demand.py``)
and through the leakage link; the exports a restriction holds back do not glut it (traders
stock them, hoping for the export price, as in China's hoarding of 2010-11: JMB12a/b),
though its producers cut their plans as their sales fall (``supply.py``). Importers'
prices rise with their shortage: the two tiers, and the gap between them, are results.
Budgets (``market.py``): tariff revenue goes to the importer's team, export-duty revenue to
the exporter's; price floors cost their payer (floor - price) x the producer's output.
"""
from __future__ import annotations

import numpy as np

from wargame.engine.flow import add_rows_at, nonzero, ordered_sum, part_of, rows_with_any
from wargame.engine.market_constants import EPS, MarketConstants

LANDED_SHARE = 0.05  # an actor importing at least this share of what it receives pays landed cost


def _source_weights(flows: np.ndarray, received: np.ndarray | None = None) -> np.ndarray:
    """(M, E, I) share of what each actor received that came from each source (own
    output on the diagonal); uniform zero where it received nothing. ``received`` (M, I):
    ``flows`` summed over sources, when the caller has it (the flow keeps it)."""
    if received is None:
        received = ordered_sum(flows, 1)
    weights = flows / np.maximum(received, EPS)[:, None, :]
    idle_m, idle_i = nonzero(received <= EPS)  # (fewer than the pairs: no np.where)
    weights[idle_m, :, idle_i] = 0.0
    return weights


SHORT = 1e-3  # buyers who got less than this share below what they asked for are short
WORKING_STOCK = 0.25  # turns of need added to stock and normal stock in the cover ratio


def clear_prices(mc: MarketConstants, base: object, price: np.ndarray, flow: object,
                 stock_end: np.ndarray, normal_stock: np.ndarray,
                 reference: np.ndarray, need_before: np.ndarray | None = None,
                 trade_cost: np.ndarray | None = None,
                 export_link: tuple[np.ndarray, np.ndarray] | None = None,
                 held_back: np.ndarray | None = None,
                 severity: np.ndarray | None = None,
                 room: np.ndarray | None = None,
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(new prices (M, S, A), reference prices (M, S, A)) from last turn's ``price`` and
    this turn's ``flow``. ``reference`` (M, S, A): each actor's baseline price;
    ``normal_stock`` (M, S, A): baseline stock plus precautionary cover, tonnes.
    ``need_before`` (M, A): last-stage need before price destruction (None: the flow's).
    ``trade_cost`` (M, S, E, I): (1 + duty)(1 + tariff) per pair, None = none.
    ``export_link``: (link share (M, S, E), export price (M, S, E)) (``export_link``).
    ``held_back`` (M, S, E): exports a restriction held back this turn; traders at home
    take them into stock in the hope of the export price (speculative stock-building), so
    its unsold output does not count as a glut on its home market. ``severity`` (M, S, E, I):
    how much of each pair's trade a measure holds back; where a route is open (below
    ``OPEN_ROUTE``), arbitrage caps the importer's price (``_arbitrage_cap``). ``room``
    (M, S, A): what importers could still have bought under quotas with room left
    (``market.quota_room``): supply at hand, like a seller's unsold output."""
    M, S, A = price.shape
    low = base.price_min  # (M, S, 1)
    high = base.price_max
    exponent = np.broadcast_to(1.0 / np.maximum(mc.material_elasticity, 0.02)[:, None], (M, A))
    final_exponent = 1.0 / mc.clearing_elasticity  # (M, A) at each material's last stage
    storage = 1.0 / max(mc.destocking_elasticity, 0.05)
    new = np.empty_like(price)
    refs = np.empty_like(price)
    eye = np.eye(A, dtype=bool)
    diagonal = np.arange(A)
    last = base.stage_count - 1
    open_routes = None if severity is None else severity < OPEN_ROUTE  # (M, S, E, I)
    for s in range(S):
        need = flow.need[:, s]
        if need_before is not None:
            ends = last == s
            if ends.any():
                need = np.where(ends[:, None], need_before, need)
        got = flow.delivered_use[:, s]
        received = ordered_sum(flow.flows[:, s], 1) if flow.received is None \
            else flow.received[:, s]
        asked = flow.need[:, s] if flow.asked is None else flow.asked[:, s]
        unmet = got < flow.need[:, s] * (1.0 - SHORT) - EPS
        under = received < asked * (1.0 - SHORT) - EPS
        made = flow.production[:, s]
        if held_back is not None:  # an exporter whose exports a measure holds back: its
            # traders stock what is unsold, hoping for the export price; nothing is dumped
            made = np.where(held_back[:, s] > EPS, flow.sold[:, s], made)
        # what buyers could still have had: sellers' unsold output, shared among the
        # buyers they can reach (an open route, or their own home market) by need
        spare = np.maximum(made - flow.sold[:, s], 0.0)  # (M, E)
        m, e = nonzero(spare != 0.0)  # the few sellers with output left: their rows
        reach = eye[e] if open_routes is None else open_routes[m, s, e] | eye[e]  # (P, I)
        wants = reach * flow.need[m, s]
        outlets = wants / np.maximum(wants.sum(axis=1, keepdims=True), EPS)
        slack = np.zeros((M, A))
        add_rows_at(slack, m, outlets * spare[m, e][:, None])  # sellers in order (an einsum's)
        if room is not None:
            slack = slack + room[:, s]
        buyer = np.where(need > EPS, need / np.maximum(got + slack, 1e-3 * need + EPS), 1.0)
        buyer_ratio = buyer
        buyer = np.clip(buyer, 1.0, 20.0)
        power = np.where((last == s)[:, None], final_exponent, exponent)
        seller = np.clip(np.where(made > EPS, flow.sold[:, s] / np.maximum(made, EPS), 1.0),
                         0.05, 1.0)
        working = WORKING_STOCK * flow.need[:, s]
        holds = normal_stock[:, s] > EPS  # users who keep a stock (a seller's unsold output
        cover = np.where(holds, (stock_end[:, s] + working)  # weighs through ``seller``)
                         / np.maximum(normal_stock[:, s] + working, EPS), 1.0)
        cover = np.clip(cover, 0.05, 1.0)  # stock above normal makes no buyer short
        # short: use not met, or less received than asked for (stock rebuilding) with the
        # stock still below normal; scarce: short, or supplied only because the price
        # destroyed demand (a buyer that got all it asked for at a high price still clears
        # on its demand curve)
        short = unmet | (under & (cover < 1.0 - SHORT))
        scarcity = short | (buyer_ratio > 1.0 + SHORT)
        weights = _source_weights(flow.flows[:, s], received)  # (M, E, I)
        ref = reference[:, s]
        chain_floor = None
        if s > 0:
            yield_ = base.yields[:, s][:, None]
            own_in = new[:, s - 1]
            has_sources = received > EPS  # (the weights add up to 1 where it holds)
            cost_now = np.where(has_sources, np.einsum("mei,me->mi", weights, own_in), own_in)
            ref = ref + mc.pass_through * (cost_now - reference[:, s - 1]) / yield_
            ref = np.maximum(ref, EPS)
            chain_floor = cost_now / yield_
        if export_link is not None:
            share, export_price = export_link[0][:, s], export_link[1][:, s]
            linked = share > EPS
            if linked.any():
                blended = np.exp((1 - share) * np.log(ref)
                                 + share * np.log(np.maximum(export_price, EPS)))
                ref = np.where(linked, blended, ref)
        refs[:, s] = ref
        scarce = np.maximum(ref, reference[:, s] * buyer ** power) * cover ** -storage
        target = np.where(scarcity, scarce, ref) * seller ** storage
        if severity is not None:  # open routes: traders bring the price to landed cost
            deep = flow.production[:, s][:, :, None] >= ARBITRAGE_DEPTH * flow.need[:, s][:, None, :]
            target = np.minimum(target, _arbitrage_cap(mc, s, price[:, s], trade_cost,
                                                       open_routes[:, s], deep))
        target = np.clip(target, low[:, s], high[:, s])
        log_p = np.log(np.maximum(price[:, s], EPS))
        moved = np.exp(log_p + mc.price_adjustment * (np.log(target) - log_p))
        if chain_floor is not None:
            moved = np.maximum(moved, chain_floor)
        # landed cost: importers pay at least their suppliers' price plus duty and tariff
        imports = weights  # (not read again: its diagonal, own output, is set aside)
        imports[:, diagonal, diagonal] = 0.0
        import_share = ordered_sum(imports, 1)
        if (import_share > LANDED_SHARE).any():
            cost = moved[:, :, None] if trade_cost is None else \
                moved[:, :, None] * trade_cost[:, s]
            landed = np.einsum("mei,mei->mi", imports, cost) / np.maximum(import_share, EPS)
            moved = np.where(import_share > LANDED_SHARE, np.maximum(moved, landed), moved)
        new[:, s] = moved
    return np.maximum(new, 0.0), refs


OPEN_ROUTE = 0.05  # a route holding back less than this (routine licensing) is open
ARBITRAGE_DEPTH = 3.0  # a supplier caps an importer's price if it makes 3x its need (deep)


def _arbitrage_cap(mc: MarketConstants, s: int, price: np.ndarray,
                   trade_cost: np.ndarray | None, open_routes: np.ndarray,
                   deep: np.ndarray) -> np.ndarray:
    """(M, A) the most an importer pays where it can buy from a supplier on an open route
    that makes at least ``ARBITRAGE_DEPTH`` of the importer's need (``deep`` (M, E, I)):
    that supplier's price times the trade cost (duty and tariff), times their baseline
    ratio (so the baseline is not moved). Traders move material along open routes until
    prices differ by no more than that; a restricted or quota-bound route, a supplier too
    small to matter, or an actor that imports nothing in the baseline, sets no cap."""
    M, A = price.shape
    # only who imports in the baseline buys abroad (``MarketConstants.buys_abroad``)
    open_ = open_routes & deep & mc.buys_abroad[:, s]
    # few pairs are deep and open (a few %): the landed prices of those only
    m, e, i = nonzero(open_)
    capped = np.full((M, A), np.inf)
    if not len(m):
        return capped
    landed = price[m, e] * mc.arbitrage_ratio[m, s, e, i]
    if trade_cost is not None:
        landed = landed * trade_cost[m, s, e, i]
    # (M, I) the cheapest open supplier's (one flat index: NumPy's fast path)
    np.minimum.at(capped.reshape(-1), m * A + i, landed)
    return np.where(np.isfinite(capped), np.maximum(capped, EPS), np.inf)


def export_link(price: np.ndarray, contract: np.ndarray, severity: np.ndarray,
                leakage: np.ndarray | float, trade_cost: np.ndarray | None,
                foreign_imports: np.ndarray, part_sizes: tuple[int, ...] = (),
                ) -> tuple[np.ndarray, np.ndarray] | None:
    """(link share (M, S, E), export price (M, S, E)) for exporters that hold back some of
    their contracted exports, or None when none does. What a measure holds back
    (``severity`` (M, S, E, I): 1 - approval, 1 for a ban or quota) leaks out at the
    measure's leakage share, and traders who move it earn the restricted customers'
    price: the link share is the leaking share of the exporter's contracted tonnes
    (contract share x the customer's baseline imports), and the export price what those
    customers pay, net of duty and tariff. Open trade is not linked here: idle capacity
    answers importers' prices through the supply response (``supply.py``), and importers
    pay at least the landed cost of their imports. ``foreign_imports`` (M, S, E, I): each
    importer's baseline imports, zero on the diagonal (``MarketConstants.
    foreign_imports``). ``part_sizes``: stacked games' numbers of materials; a game none
    of whose exporters leaks is not linked, as alone."""
    # only exporters under a measure (a few % of the rows) can leak: their rows alone;
    # elsewhere nothing moved (link 0, export price the home price)
    rows = rows_with_any(severity != 0.0)  # (m, s, e) of each such exporter
    tonnes = contract[rows] * foreign_imports[rows]  # (P, I) contracted tonnes
    leaks = tonnes * severity[rows] * np.broadcast_to(leakage, severity.shape)[rows]
    leaking = leaks > EPS
    if not leaking.any():
        return None
    if len(part_sizes) > 1:  # only the rows of the games with a leak
        part_of_row = part_of(rows[0], part_sizes)
        leaking_parts = np.zeros(len(part_sizes), dtype=bool)
        leaking_parts[part_of_row[leaking.any(axis=1)]] = True
        kept = leaking_parts[part_of_row]
        rows = tuple(axis[kept] for axis in rows)
        tonnes, leaks = tonnes[kept], leaks[kept]
    moved = leaks.sum(axis=1)
    total = tonnes.sum(axis=1)
    customers = price[rows[0], rows[1]]  # (P, I) what the exporter's customers pay
    if trade_cost is not None:
        customers = customers / trade_cost[rows]
    export_price = price.copy()
    export_price[rows] = np.where(moved > EPS,
                                  (leaks * customers).sum(axis=1) / np.maximum(moved, EPS),
                                  price[rows])
    link = np.zeros_like(price)
    link[rows] = np.where(total > EPS, moved / np.maximum(total, EPS), 0.0)
    return link, export_price
