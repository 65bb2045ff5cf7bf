"""After the flow: prices clear and producers adjust their run rates.

Moved here as they were from ``resolve.py``; issue 8 rebuilds the market on this seam. Each
function reads the turn's ``FlowResult`` and ``Policy`` and updates the new ``GameState``:

- ``clear_prices``: each actor's price moves towards a scarcity target (buyers' need over
  what they got, sellers' unsold output), smoothed, pulled back to baseline when balanced;
  tariffs raise the landed price and pay the importer; price floors cost their payer;
- ``update_utilisation``: producers cut output while stock piles up and run spare capacity
  while their market is short;
- ``market_price``: the international price (importers' prices weighted by baseline use).
"""
from __future__ import annotations

import numpy as np

from wargame.engine.baseline import Baseline
from wargame.engine.flow import EPS, FlowResult
from wargame.engine.policy import Policy
from wargame.engine.state import GameState
from wargame.scenario.model import PriceResponse

REBUILD_TARGET = 1.5  # stock above target x this (or half a turn's output) cuts the run rate


def clear_prices(response: PriceResponse, base: Baseline, state: GameState, pol: Policy,
                 flow: FlowResult, budgets: bool = True) -> None:
    """New prices into ``state.price``; with ``budgets``, tariff revenue and price-floor
    payments into ``state.budget`` (what-if variants only need the prices)."""
    need, got = flow.need, flow.delivered_use
    buyer = np.where(need > EPS, need / np.maximum(got, EPS * 1e3 + need * 1e-3), 1.0)
    # a glut is output that found no buyer; stock offered for sale and kept is not one
    seller = np.where(flow.production > EPS,
                      np.minimum(flow.sold / np.maximum(flow.production, EPS), 1.0), 1.0)
    ratio = np.clip(buyer * seller, 0.05, 20.0)
    base_price = base.base_price[:, :, None]
    target = np.clip(base_price * ratio ** base.price_exponent, base.price_min, base.price_max)
    price = state.price + response.smoothing * (target - state.price)
    balanced = np.abs(ratio - 1.0) < 1e-3
    price = np.where(balanced, price + response.pullback * (base_price - price), price)
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
        state.budget = state.budget + np.einsum("ta,a->t", base.team_members, revenue)
    # price floors: the payer tops producers up to the floor on their output
    for payer, producer, m, s, floor, _mid in pol.floors:
        gap = max(0.0, floor - float(state.price[m, s, producer]))
        state.budget[payer] -= gap * float(flow.production[m, s, producer]) / 1000.0


def update_utilisation(base: Baseline, state: GameState, pol: Policy, flow: FlowResult) -> None:
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


def market_price(base: Baseline, price: np.ndarray) -> np.ndarray:
    """The international price per material and stage (M, S): the mean of what importers
    pay, weighted by their baseline use. China's domestic price under its own export
    controls is not the world's price (2011: FOB China rose tenfold while prices inside
    China fell), so exporters' home prices stay in ``price_by_actor_usd_per_kg``."""
    weight = base.price_weight
    return (price * weight).sum(axis=2) / weight.sum(axis=2)
