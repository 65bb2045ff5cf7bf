"""Demand that answers price, and the stocks users want to hold.

Sector demand (A, K, M) this turn = baseline demand x policy multipliers x
``demand_level`` x (price / baseline price) ** -short-run elasticity:

- the short-run term is demand destruction at today's price (users defer, trim, switch
  grades); it is read from last turn's price, before the flow, so buyers ask for less
  once prices have risen;
- ``demand_level`` is the long-run position of the demand curve: each turn it closes a
  share (``market.demand_adjustment_per_year``) of the gap to
  (price / baseline price) ** -(long-run - short-run elasticity): thrifting and substitution
  that a high price pays for. When the price falls it recovers only at
  ``market.thrift_reversal_share`` of that speed, so a redesign is not undone
  (hysteresis).

Users' normal commercial stock = the baseline stock plus precautionary cover:
``market.precautionary_cover_days`` of use, scaled by the share of the actor's contract
supply that comes from exporters restricting it, and for a restricting exporter's own
users by the share of its exports it restricts (domestic speculation and stock-building).
Stocks are drawn automatically to cover shortfalls (``flow.py``); users rebuild them
slower while prices are high, by (price / baseline price) **
-``market.destocking_elasticity`` (destocking).
"""
from __future__ import annotations

import numpy as np

from wargame.engine.flow import last_axis_sum, nonzero, rows_with_any
from wargame.engine.market_constants import EPS, MarketConstants


def _final_price_ratio(base: object, price: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """(A, 1, M): each actor's last-stage price over its baseline price."""
    rows = np.arange(base.n_materials)
    last = base.stage_count - 1
    ratio = price[rows, last] / np.maximum(reference[rows, last], EPS)  # (M, A)
    return np.maximum(ratio, EPS).T[:, None, :]


def demand_response(mc: MarketConstants, base: object, price: np.ndarray,
                    reference: np.ndarray) -> np.ndarray:
    """(A, K, M) share of sector demand (at its current level) asked for at ``price``;
    ``reference`` (M, S, A) the actors' baseline prices."""
    return _final_price_ratio(base, price, reference) ** (-mc.elasticity_short)


def update_demand_level(mc: MarketConstants, base: object, demand_level: np.ndarray,
                        price: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """The demand level after this turn's prices (thrifting, partly irreversible)."""
    extra = mc.elasticity_long - mc.elasticity_short
    target = _final_price_ratio(base, price, reference) ** (-extra)
    speed = np.where(target < demand_level, mc.demand_adjustment,
                     mc.demand_adjustment * mc.thrift_reversal)
    return demand_level + speed * (target - demand_level)


FEAR_THRESHOLD = 0.05  # exposure below this (routine licensing) is not feared


def restriction_exposure(contract: np.ndarray, severity: np.ndarray, imports: np.ndarray,
                         ) -> tuple[np.ndarray, np.ndarray]:
    """(importer's exposure (M, S, I), exporter's restricted share (M, S, E)), each in 0..1.
    ``severity`` (M, S, E, I) is how much of a pair's trade a measure holds back (1 - the
    licence approval; 1 for a quota or a ban; the duty rate, at most 1); ``imports`` (M, S,
    I) each importer's baseline import volume, which turns its contract shares into
    tonnes. Exposure is the severity-weighted share of an importer's contract supply; the
    exporter's share is the severity-weighted share of its contracted export tonnes.
    Routine licensing (below ``FEAR_THRESHOLD``) counts for nothing, so standing, routinely
    approved licences leave the baseline in equilibrium.

    Only the pairs under a measure (a few %) hold anything back, so only they are
    computed: the sum over exporters adds them in the exporters' order (the zeros
    elsewhere add nothing), and the sums over importers are made on the rows (exporters)
    with such a pair, each row as a whole (its pairwise sum unchanged)."""
    M, S, E, I = contract.shape
    pairs = nonzero(severity)  # ascending (m, s, e, i): each importer's exporters in order
    exposure = np.zeros((M, S, I))
    m, s, e, i = pairs
    np.add.at(exposure.reshape(-1), (m * S + s) * I + i,  # one flat index: the fast path
              contract[pairs] * severity[pairs])
    rows = rows_with_any(severity != 0.0)  # (m, s, e) of the exporters under a measure
    tonnes = contract[rows] * imports[rows[0], rows[1]]  # (P, I)
    exports = last_axis_sum(tonnes)
    held = last_axis_sum(tonnes * severity[rows])
    restricted = np.zeros((M, S, E))
    restricted[rows] = np.where(exports > EPS, held / np.maximum(exports, EPS), 0.0)

    def feared(share: np.ndarray) -> np.ndarray:
        return np.clip((share - FEAR_THRESHOLD) / (1.0 - FEAR_THRESHOLD), 0.0, 1.0)

    return feared(exposure), feared(restricted)


def stock_targets(mc: MarketConstants, base: object, price: np.ndarray, stock: np.ndarray,
                  exposure: np.ndarray | None = None,
                  restricting_share: np.ndarray | None = None,
                  extra_days: np.ndarray | None = None,
                  reference: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(this turn's stock target, normal stock), (M, S, A) tonnes. The normal stock is the
    baseline stock plus precautionary cover (what users aim at, and what prices measure
    stocks against). Below it, users rebuild a share of the gap each turn (the material's
    ``stock_rebuild_share``) slowed by (price / baseline price) ** -destocking elasticity:
    while prices are high they run stocks down rather than buy them back. The target given
    to the flow is the stock plus that slowed gap. ``extra_days`` (M, S, A): days of use
    added by ``set_parameter stock_cover_days`` measures."""
    baseline = base.base_price[:, :, None] if reference is None else reference
    ratio = np.maximum(price / np.maximum(baseline, EPS), EPS)
    slower = np.minimum(ratio ** (-mc.destocking_elasticity), 1.0)
    normal = base.stock
    fear = None
    if exposure is not None:
        fear = exposure
    if restricting_share is not None:
        fear = restricting_share if fear is None else np.maximum(fear, restricting_share)
    if fear is not None:
        normal = normal + mc.precaution_turns * fear * base.use_need
    if extra_days is not None:
        normal = normal + extra_days / (365.0 * mc.turn_fraction) * base.use_need
    normal = np.maximum(normal, 0.0)
    target = np.where(stock < normal, stock + (normal - stock) * slower, normal)
    return target, normal
