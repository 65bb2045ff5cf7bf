"""Supply that answers price: run rates, processors' plans, new plants ramping up.

- Run rate (utilisation): each producer's desired rate is its baseline rate x (netback /
  reference price) ** supply elasticity, capped at capacity, where the netback
  is the volume-weighted price its buyers pay, net of export duties and tariffs (idle
  plants in an exporter answer the prices importers pay for what it may sell them, not
  only its home price) and the reference is the baseline price plus the change in its
  input cost. First-stage producers (mines) also cut their rate while unsold stock piles
  up. The rate closes ``market.utilisation_adjustment_per_quarter`` of the gap per quarter.
  A price floor keeps a producer at least at its baseline rate.
- Plans: a processing plant (every stage after the first) that could not sell all it made
  last turn plans to make what it sold plus 5 % (``PLAN_GROWTH``), less a share of its
  stock above target; one that sold all it made (short of input, not of buyers) asks for
  the input of its full run rate. So input demand follows sales when sales fall, and an
  input-starved plant keeps asking for what it can process.
- Ramp-up: new capacity runs at the stage's ramp-up profile (share of nameplate by year
  of operation, ``Stage.ramp_up`` or ``market.ramp_up``); the profile's share is read at
  the middle of each turn and interpolated between the middles of operating years.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np

from wargame.engine.market_constants import EPS, MarketConstants
from wargame.engine.market_state import RampEntry

GLUT_CUT_MAX = 0.8  # a mine cuts at most this share of its rate for unsold stock
REBUILD_TARGET = 1.5  # stock above target x this (or half a turn's output) is a glut
PLAN_GROWTH = 0.05  # a plant held back by its sales plans this share above them
DEMAND_LIMITED = 0.01  # a plant left with this share of its output unsold is held back by sales
SELL_DOWN_PLAN = 0.5  # share of its surplus stock a plant plans to sell instead of making
STABLE_SUPPLY = 2.0  # supply elasticity at most this x the demand elasticity (no cobweb)


def netback(price: np.ndarray, flows: np.ndarray, trade_cost: np.ndarray | None) -> np.ndarray:
    """(M, S, E) volume-weighted price each producer's buyers pay (domestic buyers at its
    own price), net of duties and tariffs; its own price where it sold nothing."""
    paid = flows * price[:, :, None, :]
    if trade_cost is not None:
        paid = paid / trade_cost
    volume = flows.sum(axis=3)
    return np.where(volume > EPS, paid.sum(axis=3) / np.maximum(volume, EPS), price)


def update_utilisation(mc: MarketConstants, base: object, utilisation: np.ndarray,
                       base_utilisation: np.ndarray, capacity: np.ndarray, stock: np.ndarray,
                       stock_target: np.ndarray, received: np.ndarray,
                       reference: np.ndarray, floors: Iterable[tuple] = ()) -> np.ndarray:
    """New run rates (M, S, A). ``capacity`` is this turn's available capacity (t per
    turn), ``received`` the producers' netback and ``reference`` their reference price."""
    normal_output = np.maximum(capacity * base_utilisation, EPS)
    allowance = np.maximum(REBUILD_TARGET * stock_target, 0.5 * normal_output)
    excess = np.maximum(stock - allowance, 0.0)
    cut = np.clip(excess / normal_output, 0.0, GLUT_CUT_MAX)
    cut[:, 1:] = 0.0  # processors follow their sales through their plans instead
    ratio = np.maximum(received / np.maximum(reference, EPS), EPS)
    elasticity = np.minimum(mc.supply_elasticity, STABLE_SUPPLY * mc.material_elasticity)
    desired = np.clip(base_utilisation * ratio ** elasticity[:, None, None] * (1.0 - cut), 0.0, 1.0)
    desired = np.where(capacity > EPS * 10, desired, utilisation)
    for _payer, producer, m, s, _floor, *_rest in floors:
        desired[m, s, producer] = max(desired[m, s, producer], base_utilisation[m, s, producer])
    return np.clip(utilisation + mc.utilisation_adjustment * (desired - utilisation), 0.0, 1.0)


def planned_output(sales: np.ndarray, unsold: np.ndarray, stock: np.ndarray,
                   stock_target: np.ndarray) -> np.ndarray:
    """(M, S, A) what each processing plant means to make this turn. A plant that could
    not sell all it made last turn (more than ``DEMAND_LIMITED`` of it left) plans on its
    sales plus ``PLAN_GROWTH``, less a share of its stock above target; one that sold all
    it made (it was short of input or capacity, not of buyers) asks for the input of its
    full run rate (infinite here: the flow caps plans at the run rate). First stages
    (mines) are not planned."""
    made = sales + unsold
    limited = unsold > DEMAND_LIMITED * np.maximum(made, EPS)
    surplus = np.maximum(stock - stock_target, 0.0) * SELL_DOWN_PLAN
    plan = np.where(limited, np.maximum(sales * (1.0 + PLAN_GROWTH) - surplus, 0.0), np.inf)
    plan[:, 0] = np.inf
    return plan


def ramp_share(profile: np.ndarray, age_turns: np.ndarray, turn_fraction: float) -> np.ndarray:
    """Share of nameplate at ``age_turns`` turns after coming on line (0 = the first
    turn), read at the middle of the turn: linear between the middles of operating years,
    rising from 0 in the first half year."""
    age_years = (np.asarray(age_turns, dtype=float) + 0.5) * turn_fraction
    years = np.arange(profile.shape[-1]) + 0.5
    first = profile[..., 0] * np.minimum(age_years / 0.5, 1.0)
    later = np.interp(age_years, years, profile) if profile.ndim == 1 else \
        np.array([np.interp(a, years, p) for a, p in zip(np.atleast_1d(age_years),
                                                         np.atleast_2d(profile))])
    return np.where(age_years < 0.5, first, later)


def ramp_shortfall(mc: MarketConstants, index: dict[tuple[str, str, str], tuple[int, int, int]],
                   ramping: list[RampEntry], turn: int, shape: tuple[int, int, int],
                   ) -> tuple[np.ndarray, list[RampEntry]]:
    """(capacity not yet available (M, S, A) t per turn, the entries still ramping after
    this turn). ``index`` maps (actor, material, stage) ids to array indices."""
    shortfall = np.zeros(shape)
    keep = []
    for entry in ramping:
        where = index.get((entry.actor, entry.material, entry.stage))
        if where is None:
            continue
        m, s, a = where
        profile = mc.ramp_profile[m, s]
        age = turn - entry.online_turn
        share = float(ramp_share(profile, age, mc.turn_fraction))
        shortfall[m, s, a] += entry.tonnes_per_turn * (1.0 - share)
        if float(ramp_share(profile, age + 1, mc.turn_fraction)) < 1.0 - 1e-9:
            keep.append(entry)
    return shortfall, keep
