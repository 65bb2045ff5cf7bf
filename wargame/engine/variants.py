"""What-if variants of a turn, moved through the flow together, material by material.

An explanation re-resolves the turn without one group of measures (``explain.py``).
Materials never interact within a turn, and a group changes only some of them: a licence
freeze on magnets changes one material, a quota cut on gallium another. So each variant
is compared with the turn itself, material by material, on everything the flow and the
price clearing read (the prepared state, the policy arrays, the market's inputs), and only
the materials it changes are moved, all variants' together in one stacked pass; for the
others the variant's figures are the turn's own. A test checks that this gives exactly
what resolving each variant alone gives.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Iterable

import numpy as np

from wargame.engine.market import MarketTurn
from wargame.engine.market_state import MarketState
from wargame.engine.policy import Policy
from wargame.engine.state import ARRAY_FIELDS, GameState
from wargame.engine.trade_terms import TERMS_ARRAYS, TradeTerms

_POLICY_ARRAYS = ("allow", "status", "reserved", "tariff", "cap_mult", "util_set", "build",
                  "release", "duty", "leakage", "cover_days")
_MARKET_ARRAYS = ("normal_stock", "severity", "trade_cost", "duty")


def _differs(a: Any, b: Any, axis: int, n: int) -> np.ndarray:
    """(n,) True where arrays ``a`` and ``b`` differ along ``axis`` (NaN equals NaN); all
    True when one is missing or the shapes differ."""
    if a is None and b is None:
        return np.zeros(n, dtype=bool)
    if a is None or b is None or np.shape(a) != np.shape(b) or np.ndim(a) == 0:
        if np.ndim(a) == 0 and np.ndim(b) == 0 and a == b:
            return np.zeros(n, dtype=bool)
        return np.ones(n, dtype=bool)
    a, b = np.asarray(a), np.asarray(b)
    unequal = a != b
    if a.dtype.kind == "f":
        unequal &= ~(np.isnan(a) & np.isnan(b))
    others = tuple(i for i in range(a.ndim) if i != axis)
    return unequal.any(axis=others) if others else unequal


def _listed(items: Iterable[tuple], material_at: int) -> dict[tuple, int]:
    return {tuple(x if not isinstance(x, np.ndarray) else x.tobytes() for x in item):
            int(item[material_at]) for item in items}


def touched_materials(full: Any, variant: Any, demand: np.ndarray) -> np.ndarray:
    """(M,) True for the materials in which a prepared variant differs from the turn
    (``simulate.Prepared``). ``demand`` (A, K, M) tells which materials a changed sector
    cap reaches."""
    n = full.state.price.shape[0]
    out = np.zeros(n, dtype=bool)
    for name in ARRAY_FIELDS:
        out |= _differs(getattr(full.state, name), getattr(variant.state, name), 0, n)
    fp, vp = full.policy, variant.policy
    for name in _POLICY_ARRAYS:
        out |= _differs(getattr(fp, name), getattr(vp, name), 0, n)
    out |= _differs(fp.demand_mult, vp.demand_mult, 2, n)
    cap = fp.sector_cap != vp.sector_cap
    if cap.any():
        out |= (demand[cap] > 0).any(axis=0)
    for name, at in (("floors", 2), ("reserve_new", 0)):
        a, b = _listed(getattr(fp, name), at), _listed(getattr(vp, name), at)
        for key in set(a) ^ set(b):
            out[a.get(key, b.get(key))] = True
    pools_a = {(p.materials, p.exporter, p.stages.tobytes(), p.importers.tobytes(),
                p.tonnes_per_turn, p.leakage_share) for p in fp.quotas}
    pools_b = {(p.materials, p.exporter, p.stages.tobytes(), p.importers.tobytes(),
                p.tonnes_per_turn, p.leakage_share) for p in vp.quotas}
    for pool in pools_a ^ pools_b:
        out[list(pool[0])] = True
    fm, vm = full.market, variant.market
    for name in _MARKET_ARRAYS:
        out |= _differs(getattr(fm, name), getattr(vm, name), 0, n)
    out |= _differs(fm.leakage, vm.leakage, 0, n)
    out |= _differs(fm.demand_response, vm.demand_response, 2, n)
    out |= _differs(fm.demand_level, vm.demand_level, 2, n)
    for name in TERMS_ARRAYS:
        out |= _differs(getattr(fm.terms, name), getattr(vm.terms, name), 0, n)
    # a quota shared by several materials moves them together
    for pool in list(fp.quotas) + list(vp.quotas):
        if pool.shared and out[list(pool.materials)].any():
            out[list(pool.materials)] = True
    return out


# ----------------------------------------------------------------- taking materials

def _take(array: Any, idx: np.ndarray, axis: int = 0) -> Any:
    return None if array is None else np.take(array, idx, axis=axis)


def take_state(state: GameState, idx: np.ndarray) -> GameState:
    """The arrays the flow reads, for the materials ``idx`` only."""
    arrays = {name: _take(getattr(state, name), idx) for name in ARRAY_FIELDS}
    market = None
    if state.market is not None:
        ms = state.market
        market = MarketState(demand_level=_take(ms.demand_level, idx, 2),
                             contract=_take(ms.contract, idx), sales=_take(ms.sales, idx),
                             unsold=_take(ms.unsold, idx), input_met=_take(ms.input_met, idx),
                             licence_queue=_take(ms.licence_queue, idx))
    return GameState(turn=state.turn, budget=state.budget.copy(),
                     political_capital=state.political_capital.copy(), market=market,
                     **arrays)


def take_policy(pol: Policy, idx: np.ndarray) -> Policy:
    """The policy arrays the flow reads, for the materials ``idx`` only."""
    return Policy(
        allow=_take(pol.allow, idx), status=_take(pol.status, idx),
        reserved=_take(pol.reserved, idx), tariff=_take(pol.tariff, idx),
        cap_mult=_take(pol.cap_mult, idx), util_set=_take(pol.util_set, idx),
        demand_mult=_take(pol.demand_mult, idx, 2), sector_cap=pol.sector_cap,
        build=_take(pol.build, idx), release=_take(pol.release, idx))


def take_market(mt: MarketTurn, idx: np.ndarray) -> MarketTurn:
    """The market's inputs for the materials ``idx`` only (quota pools renumbered)."""
    where = {int(m): n for n, m in enumerate(idx.tolist())}
    pools = [pool.moved(where) for pool in mt.terms.quotas
             if all(m in where for m in pool.materials)]
    terms = TradeTerms(**{name: _take(getattr(mt.terms, name), idx) for name in TERMS_ARRAYS},
                       quotas=pools)
    leakage = mt.leakage if np.ndim(mt.leakage) == 0 else _take(mt.leakage, idx)
    return MarketTurn(terms=terms, demand_response=_take(mt.demand_response, idx, 2),
                      demand_level=_take(mt.demand_level, idx, 2),
                      normal_stock=_take(mt.normal_stock, idx),
                      severity=_take(mt.severity, idx), leakage=leakage,
                      trade_cost=_take(mt.trade_cost, idx), duty=_take(mt.duty, idx))
