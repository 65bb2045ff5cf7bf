"""Supply that answers price: run rates, processors' plans, new plants ramping up.

- Run rate (utilisation): each producer's desired rate is its baseline rate x (netback /
  reference price) ** supply elasticity, capped at capacity, where the netback
  is the volume-weighted price its buyers pay, net of export duties and tariffs (idle
  plants in an exporter answer the prices importers pay for what it may sell them, not
  only its home price) and the reference is the baseline price plus the change in its
  input cost. First-stage producers (mines) also cut their rate while unsold stock piles
  up. The rate closes ``market.utilisation_adjustment_per_quarter`` of the gap per quarter.
  A price floor keeps a producer at least at its baseline rate.
- Plans: a processing plant (every stage after the first) plans to make what it sold last
  turn plus 25 % (``PLAN_GROWTH``), less half its stock above target, at most its run
  rate: input demand follows sales when they fall by more than that margin, and works back
  up within a few turns when they recover. A plant that was short of input asks for the
  input of its full run rate, as a buyer short of supply bids for more, not less.
- Ramp-up: new capacity runs at the stage's ramp-up profile (share of nameplate by year
  of operation, ``Stage.ramp_up`` or ``market.ramp_up``); the profile's share is read at
  the middle of each turn and interpolated between the middles of operating years.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np

from wargame.engine.flow import nonzero
from wargame.engine.market_constants import EPS, MarketConstants
from wargame.engine.market_state import RampEntry
from wargame.scenario.model import STABLE_SUPPLY

GLUT_CUT_MAX = 0.8  # a mine cuts at most this share of its rate for unsold stock
REBUILD_TARGET = 1.5  # stock above target x this (or half a turn's output) is a glut
PLAN_GROWTH = 0.25  # a plant plans up to this share above last turn's sales
STARVED = 0.01  # a plant that got less than this share below the input it asked is short
SELL_DOWN_PLAN = 0.5  # share of its surplus stock a plant plans to sell instead of making


def netback(price: np.ndarray, flows: np.ndarray, trade_cost: np.ndarray | None,
            volume: np.ndarray | None = None) -> np.ndarray:
    """(M, S, E) volume-weighted price each producer's buyers pay (domestic buyers at its
    own price), net of duties and tariffs; its own price where it sold nothing.
    ``volume`` (M, S, E): ``flows`` summed over buyers (the flow's ``sold``), if known."""
    if volume is None:
        volume = flows.sum(axis=3)
    # the producers that sold something (under half the rows): their buyers' prices
    rows = nonzero(volume > EPS)
    paid = flows[rows] * price[rows[0], rows[1]]  # (P, I)
    if trade_cost is not None:
        paid = paid / trade_cost[rows]
    received = price.copy()
    received[rows] = paid.sum(axis=1) / volume[rows]
    return received


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


def planned_output(sales: np.ndarray, input_met: np.ndarray, stock: np.ndarray,
                   stock_target: np.ndarray) -> np.ndarray:
    """(M, S, A) what each processing plant means to make this turn. A plant that got all
    the input it asked for last turn plans on its sales plus ``PLAN_GROWTH``, less part of
    its stock above target: its input demand follows its sales, falling when they fall and
    working back up within a few turns when they recover. A plant short of input
    (``input_met`` below 1) keeps asking for the input of its full run rate (infinite here:
    the flow caps plans at the run rate), as a buyer short of supply bids for more, not
    less. A plant that sold nothing (a new one) with no stock above target also plans its
    run rate: it has no sales to go by. First stages (mines) are not planned."""
    surplus = np.maximum(stock - stock_target, 0.0) * SELL_DOWN_PLAN
    plan = np.maximum(sales * (1.0 + PLAN_GROWTH) - surplus, 0.0)
    plan = np.where((input_met < 1.0 - STARVED) | ((sales <= 1e-9) & (surplus <= 1e-9)),
                    np.inf, plan)
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


_RAMP_SHARES: dict[tuple[bytes, int, float], float] = {}
_RAMP_SHARES_LIMIT = 4096  # bounded: profiles and ages come and go


def plant_ramp_share(profile: np.ndarray, age_turns: int, turn_fraction: float) -> float:
    """``ramp_share`` of one plant (a profile of one stage, a whole number of turns), kept
    by the profile's values: a sweep asks for the same few shares for every game and turn,
    and working one out (an interpolation) costs ten times finding it."""
    key = (profile.tobytes(), int(age_turns), float(turn_fraction))
    share = _RAMP_SHARES.get(key)
    if share is None:
        if len(_RAMP_SHARES) >= _RAMP_SHARES_LIMIT:
            _RAMP_SHARES.clear()
        share = _RAMP_SHARES[key] = float(ramp_share(profile, age_turns, turn_fraction))
    return share


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
        share = plant_ramp_share(profile, age, mc.turn_fraction)
        shortfall[m, s, a] += entry.tonnes_per_turn * (1.0 - share)
        # a plant whose output a stake reserves stays listed (``market._reserve_new``)
        if plant_ramp_share(profile, age + 1, mc.turn_fraction) < 1.0 - 1e-9 \
                or entry.reserved_for is not None:
            keep.append(entry)
    return shortfall, keep
