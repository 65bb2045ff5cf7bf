"""Per-scenario constants: the arrays a scenario implies, derived once.

Arrays are indexed ``[material, stage, actor]`` (stages padded to the longest chain) so one
turn is a handful of NumPy operations per stage rather than a loop over actor pairs.
Quantities are tonnes of contained material per turn (annual figures x turn length in
years); prices are USD/kg. A ``Baseline`` is immutable once built; ``rules.CompiledRules``
holds one per scenario content hash.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wargame.scenario.model import Scenario


@dataclass(frozen=True)
class Baseline:
    """Per-scenario constants derived once; held by ``CompiledRules`` (``rules.py``)."""

    n_actors: int
    n_materials: int
    n_stages: int
    n_sectors: int
    stage_count: np.ndarray  # (M,)
    stage_mask: np.ndarray  # (M, S) bool
    last_stage: np.ndarray  # (M, S) bool: stage feeds sectors
    yields: np.ndarray  # (M, S)
    base_price: np.ndarray  # (M, S)
    elasticity: np.ndarray  # (M,)
    price_low: np.ndarray  # (M,)
    price_high: np.ndarray  # (M,)
    rebuild_share: np.ndarray  # (M,)
    capacity: np.ndarray  # (M, S, A) per turn
    recycle_capacity: np.ndarray  # (M, S, A)
    utilisation: np.ndarray  # (M, S, A)
    demand: np.ndarray  # (A, K, M) per turn, last-stage product
    sector_priority: np.ndarray  # (K,)
    use_need: np.ndarray  # (M, S, A) each actor's own use of each stage's product, quiet
    stock: np.ndarray  # (M, S, A) commercial
    strategic: np.ndarray  # (M, S, A)
    lead_turns: np.ndarray  # (M, S)
    turn_fraction: float  # turn length in years
    team_of_actor: tuple[int, ...]  # team index or -1
    principal_actor: tuple[int, ...]  # per team: its first actor
    refining_stage: np.ndarray  # (M,) index where origin is set (substantial transformation)
    team_members: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # (T, A) 0/1
    price_weight: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0)))  # (M, S, A)
    pc_limit: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (T,) political capital cap
    # per stage: some material's chain is shorter / ends here / is refined here
    partial_stage: tuple[bool, ...] = ()
    stage_ends_some: tuple[bool, ...] = ()
    refines_at: tuple[bool, ...] = ()
    # price response constants, shaped to broadcast over (M, S, A)
    price_exponent: np.ndarray = field(default_factory=lambda: np.zeros((0, 1, 1)))  # 1/elasticity
    price_min: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 1)))
    price_max: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 1)))
    # (M,) the stage whose price is the material's headline (``Material.headline_stage``;
    # default the last): price indices, headlines and explanations read it
    headline_stage: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))


def _fig(figure: Any) -> float:
    return 0.0 if figure is None else float(figure.value)


def build_baseline(sc: Scenario) -> Baseline:
    """Derive the constants. Annual figures become per-turn ones (x turn length in years)."""
    A, M, K = len(sc.actors), len(sc.materials), len(sc.sectors)
    S = max(len(m.stages) for m in sc.materials)
    years = sc.turn_length_months / 12.0
    stage_count = np.array([len(m.stages) for m in sc.materials])
    stage_mask = np.arange(S)[None, :] < stage_count[:, None]
    last_stage = np.arange(S)[None, :] == (stage_count[:, None] - 1)
    yields = np.ones((M, S))
    base_price = np.zeros((M, S))
    lead_turns = np.ones((M, S))
    for mi, mat in enumerate(sc.materials):
        for si, st in enumerate(mat.stages):
            yields[mi, si] = max(_fig(st.yield_), 1e-9)
            base_price[mi, si] = _fig(st.price)
            lead_turns[mi, si] = max(1.0, round(_fig(st.lead_time_years) / years))
        base_price[mi, len(mat.stages):] = base_price[mi, len(mat.stages) - 1]
    capacity = np.zeros((M, S, A))
    recycle = np.zeros((M, S, A))
    output = np.zeros((M, S, A))
    for entry in sc.capacities:
        mi = sc.material_index[entry.material]
        si = sc.materials[mi].stage_index(entry.stage)
        ai = sc.actor_index[entry.actor]
        cap = _fig(entry.capacity) * years
        out = _fig(entry.output) * years if entry.output is not None else cap
        if entry.recycled:
            recycle[mi, si, ai] += out  # recycling runs at its output, capacity is the ceiling
        else:
            capacity[mi, si, ai] += cap
            output[mi, si, ai] += out
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(capacity > 0, output / np.where(capacity > 0, capacity, 1), 0.0)
    demand = np.zeros((A, K, M))
    for entry in sc.demand:
        demand[sc.actor_index[entry.actor], sc.sector_index[entry.sector],
               sc.material_index[entry.material]] += _fig(entry.tonnes_per_year) * years
    # own use of each stage's product in a quiet turn: next stage's input need, or sector demand
    use_need = np.zeros((M, S, A))
    for mi, mat in enumerate(sc.materials):
        n = len(mat.stages)
        for si in range(n):
            if si == n - 1:
                use_need[mi, si] = demand[:, :, mi].sum(axis=1)
            else:
                use_need[mi, si] = output[mi, si + 1] / yields[mi, si + 1]
    stock = np.zeros((M, S, A))
    strategic = np.zeros((M, S, A))
    for entry in sc.stocks:
        mi = sc.material_index[entry.material]
        si = sc.materials[mi].stage_index(entry.stage)
        ai = sc.actor_index[entry.actor]
        if entry.tonnes is not None:
            tonnes = _fig(entry.tonnes)
        else:
            tonnes = _fig(entry.days) / 365.0 * use_need[mi, si, ai] / years
        (strategic if entry.strategic else stock)[mi, si, ai] += tonnes
    team_of_actor = tuple(sc.team_index[a.team] if a.team in sc.team_index else -1
                          for a in sc.actors)
    principal = []
    for team in sc.teams:
        actors = sc.team_actors(team.id)
        principal.append(sc.actor_index[actors[0]] if actors else 0)
    refining = np.minimum(1, stage_count - 1)
    # international prices weight importers by their baseline use (all users if none import)
    own_output = output.copy()
    importers = use_need > own_output * (1 + 1e-9) + 1e-9
    price_weight = np.where(importers, use_need, 0.0)
    nobody = price_weight.sum(axis=2, keepdims=True) <= 0
    price_weight = np.where(nobody, use_need + 1e-12, price_weight) + 1e-15
    members = np.zeros((len(sc.teams), A))
    for a, t in enumerate(team_of_actor):
        if t >= 0:
            members[t, a] = 1.0
    K_priority = np.array([s.priority for s in sc.sectors])
    elasticity = np.array([max(_fig(m.elasticity), 0.02) for m in sc.materials])
    price_low = np.array([m.price_floor_factor for m in sc.materials])
    price_high = np.array([m.price_cap_factor for m in sc.materials])
    return _frozen(Baseline(
        partial_stage=tuple(bool(not stage_mask[:, s].all()) for s in range(S)),
        stage_ends_some=tuple(bool(last_stage[:, s].any()) for s in range(S)),
        refines_at=tuple(bool((refining == s).any()) for s in range(S)),
        price_exponent=(1.0 / elasticity)[:, None, None],
        price_min=(base_price * price_low[:, None])[:, :, None],
        price_max=(base_price * price_high[:, None])[:, :, None],
        n_actors=A, n_materials=M, n_stages=S, n_sectors=K,
        stage_count=stage_count, stage_mask=stage_mask, last_stage=last_stage,
        yields=yields, base_price=base_price,
        elasticity=elasticity, price_low=price_low, price_high=price_high,
        rebuild_share=np.array([m.stock_rebuild_share for m in sc.materials]),
        capacity=capacity, recycle_capacity=recycle, utilisation=utilisation,
        demand=demand, sector_priority=K_priority, use_need=use_need,
        stock=stock, strategic=strategic, lead_turns=lead_turns, turn_fraction=years,
        team_of_actor=team_of_actor, principal_actor=tuple(principal),
        refining_stage=refining, team_members=members, price_weight=price_weight,
        pc_limit=np.array([float(t.political_capital.value) * 1.5 for t in sc.teams]),
        headline_stage=np.array([m.stage_index(m.headline_stage) if m.headline_stage
                                 else len(m.stages) - 1 for m in sc.materials], dtype=int),
    ))


def _frozen(base: Baseline) -> Baseline:
    """Make every array read-only: a baseline is shared by every turn and thread that plays
    the scenario, so an accidental in-place write would corrupt all of them."""
    for item in dataclasses.fields(base):
        value = getattr(base, item.name)
        if isinstance(value, np.ndarray):
            value.setflags(write=False)
    return base




def tile_baseline(base: Baseline, copies: int) -> Baseline:
    """The baseline with its materials repeated ``copies`` times, for states stacked along
    the material axis (``state.stack_states``); ``CompiledRules.tiled`` caches them."""
    tile0 = lambda a: np.concatenate([a] * copies, axis=0)  # noqa: E731
    return _frozen(dataclasses.replace(
        base, n_materials=base.n_materials * copies,
        stage_count=tile0(base.stage_count), stage_mask=tile0(base.stage_mask),
        last_stage=tile0(base.last_stage), yields=tile0(base.yields),
        base_price=tile0(base.base_price), elasticity=tile0(base.elasticity),
        price_low=tile0(base.price_low), price_high=tile0(base.price_high),
        rebuild_share=tile0(base.rebuild_share), capacity=tile0(base.capacity),
        recycle_capacity=tile0(base.recycle_capacity), utilisation=tile0(base.utilisation),
        demand=np.concatenate([base.demand] * copies, axis=2),
        use_need=tile0(base.use_need), stock=tile0(base.stock),
        strategic=tile0(base.strategic), lead_turns=tile0(base.lead_turns),
        refining_stage=tile0(base.refining_stage),
        price_weight=tile0(base.price_weight), price_exponent=tile0(base.price_exponent),
        price_min=tile0(base.price_min), price_max=tile0(base.price_max),
        headline_stage=tile0(base.headline_stage),
    ))


def select_baseline(base: Baseline, materials: np.ndarray) -> Baseline:
    """The baseline of the listed materials only, in that order (repeats allowed): the
    stacked what-if variants of a turn move only the materials each variant changes
    (``explain.what_if_headlines``); ``CompiledRules.selected`` caches them."""
    idx = np.asarray(materials, dtype=int)
    take = lambda a: np.take(a, idx, axis=0)  # noqa: E731
    stage_mask = take(base.stage_mask)
    last_stage = take(base.last_stage)
    refining = take(base.refining_stage)
    S = base.n_stages
    return _frozen(dataclasses.replace(
        base, n_materials=len(idx),
        stage_count=take(base.stage_count), stage_mask=stage_mask, last_stage=last_stage,
        yields=take(base.yields), base_price=take(base.base_price),
        elasticity=take(base.elasticity), price_low=take(base.price_low),
        price_high=take(base.price_high), rebuild_share=take(base.rebuild_share),
        capacity=take(base.capacity), recycle_capacity=take(base.recycle_capacity),
        utilisation=take(base.utilisation), demand=np.take(base.demand, idx, axis=2),
        use_need=take(base.use_need), stock=take(base.stock), strategic=take(base.strategic),
        lead_turns=take(base.lead_turns), refining_stage=refining,
        price_weight=take(base.price_weight), price_exponent=take(base.price_exponent),
        price_min=take(base.price_min), price_max=take(base.price_max),
        headline_stage=take(base.headline_stage),
        partial_stage=tuple(bool(not stage_mask[:, s].all()) for s in range(S)),
        stage_ends_some=tuple(bool(last_stage[:, s].any()) for s in range(S)),
        refines_at=tuple(bool((refining == s).any()) for s in range(S)),
    ))
