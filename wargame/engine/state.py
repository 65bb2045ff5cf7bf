"""The world at the start of a turn, and the static arrays a scenario implies.

Arrays are indexed ``[material, stage, actor]`` (stages padded to the longest chain) so one
turn is a handful of NumPy operations per stage rather than a loop over actor pairs.
Quantities are tonnes of contained material per turn; prices are USD/kg.
"""
from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wargame.scenario.model import Scenario

ARRAY_FIELDS = (
    "capacity", "recycle_capacity", "utilisation", "base_utilisation",
    "stock", "stock_target", "strategic", "price", "origin",
)


@dataclass(frozen=True)
class Baseline:
    """Per-scenario constants derived once (cached by content hash)."""

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
    tiles: dict[int, "Baseline"] = field(default_factory=dict, compare=False, repr=False)
    compiled: dict[int, tuple] = field(default_factory=dict, compare=False, repr=False)


def _fig(figure: Any) -> float:
    return 0.0 if figure is None else float(figure.value)


def baseline(scenario: Scenario) -> Baseline:
    """Derived constants, computed once per (frozen) scenario object."""
    cached = scenario.__dict__.get("_wargame_baseline")
    if cached is None:
        cached = _build_baseline(scenario)
        scenario.__dict__["_wargame_baseline"] = cached
    return cached


def _build_baseline(sc: Scenario) -> Baseline:
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
    return Baseline(
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
    )


def _copy_rng_state(rng_state: dict[str, Any]) -> dict[str, Any]:
    """NumPy's bit-generator state is a dict of ints and one nested dict: copy two levels
    (deepcopy is the slowest part of copying a state)."""
    return {key: dict(value) if isinstance(value, dict) else value
            for key, value in rng_state.items()}


def _array_to_json(array: np.ndarray) -> dict[str, Any]:
    return {"shape": list(array.shape), "data": [float(x) for x in array.ravel()]}


def _array_from_json(raw: dict[str, Any]) -> np.ndarray:
    return np.array(raw["data"], dtype=float).reshape(raw["shape"])


@dataclass
class GameState:
    """Everything about the world at the start of ``turn``; serialisable, hashable."""

    turn: int
    capacity: np.ndarray
    recycle_capacity: np.ndarray
    utilisation: np.ndarray
    base_utilisation: np.ndarray
    stock: np.ndarray
    stock_target: np.ndarray
    strategic: np.ndarray
    price: np.ndarray
    origin: np.ndarray  # (M, S, A, A): share of actor's holding by origin actor
    budget: np.ndarray  # (T,) USD million
    political_capital: np.ndarray  # (T,)
    measures: list[dict[str, Any]] = field(default_factory=list)
    pipeline: list[dict[str, Any]] = field(default_factory=list)
    rng_state: dict[str, Any] = field(default_factory=dict)
    seed: int = 0
    next_id: int = 1
    last: dict[str, Any] = field(default_factory=dict)  # last turn's headline indicators

    def copy(self) -> "GameState":
        return GameState(
            turn=self.turn,
            **{name: getattr(self, name).copy() for name in ARRAY_FIELDS},
            budget=self.budget.copy(),
            political_capital=self.political_capital.copy(),
            # measures, pipeline entries and headlines are never mutated in place
            # (they are replaced), so shallow copies of the lists are enough
            measures=list(self.measures),
            pipeline=list(self.pipeline),
            rng_state=_copy_rng_state(self.rng_state),
            seed=self.seed,
            next_id=self.next_id,
            last=self.last,
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"turn": self.turn, "seed": self.seed, "next_id": self.next_id}
        for name in ARRAY_FIELDS + ("budget", "political_capital"):
            out[name] = _array_to_json(getattr(self, name))
        out["measures"] = self.measures
        out["pipeline"] = self.pipeline
        out["rng_state"] = self.rng_state
        out["last"] = self.last
        return json.loads(json.dumps(out))  # plain JSON types only

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "GameState":
        arrays = {name: _array_from_json(raw[name])
                  for name in ARRAY_FIELDS + ("budget", "political_capital")}
        return cls(turn=int(raw["turn"]), seed=int(raw.get("seed", 0)),
                   next_id=int(raw.get("next_id", 1)),
                   measures=copy.deepcopy(raw.get("measures", [])),
                   pipeline=copy.deepcopy(raw.get("pipeline", [])),
                   rng_state=copy.deepcopy(raw.get("rng_state", {})),
                   last=copy.deepcopy(raw.get("last", {})), **arrays)

    def content_hash(self) -> str:
        """SHA-256 over the arrays' little-endian float64 bytes and the canonical JSON of
        the rest. JSON stores floats with their shortest exact repr, so a state that went
        through ``to_dict``/``from_dict`` hashes the same."""
        digest = hashlib.sha256()
        for name in ARRAY_FIELDS + ("budget", "political_capital"):
            array = np.ascontiguousarray(getattr(self, name), dtype="<f8")
            digest.update(name.encode())
            digest.update(repr(array.shape).encode())
            digest.update(array.tobytes())
        rest = {"turn": self.turn, "seed": self.seed, "next_id": self.next_id,
                "measures": self.measures, "pipeline": self.pipeline,
                "rng_state": self.rng_state, "last": self.last}
        digest.update(json.dumps(rest, sort_keys=True, separators=(",", ":")).encode())
        return digest.hexdigest()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GameState) and self.content_hash() == other.content_hash()


def initial_state(scenario: Scenario, seed: int | None = None) -> GameState:
    """The world at the start of turn 1. Standing measures (``in_force``) are applied by
    ``resolve_turn`` on turn 1, from the scenario, so they need no orders."""
    base = baseline(scenario)
    seed = scenario.default_seed if seed is None else int(seed)
    rng = np.random.Generator(np.random.PCG64(seed))
    M, S, A = base.capacity.shape
    origin = np.zeros((M, S, A, A))
    origin[:, :, np.arange(A), np.arange(A)] = 1.0  # before any flow, holdings are own origin
    state = GameState(
        turn=1,
        capacity=base.capacity.copy(),
        recycle_capacity=base.recycle_capacity.copy(),
        utilisation=base.utilisation.copy(),
        base_utilisation=base.utilisation.copy(),
        stock=base.stock.copy(),
        stock_target=base.stock.copy(),
        strategic=base.strategic.copy(),
        price=np.repeat(base.base_price[:, :, None], A, axis=2),
        origin=origin,
        budget=np.array([float(t.budget.value) for t in scenario.teams]),
        political_capital=np.array([float(t.political_capital.value) for t in scenario.teams]),
        rng_state=rng.bit_generator.state,
        seed=seed,
    )
    return _settle_origins(scenario, state)


def _settle_origins(scenario: Scenario, state: GameState) -> GameState:
    """Run two quiet flows on a copy so that origin shares (which country's material each
    actor's output carries) start where trade puts them, not at 'all own origin'."""
    from wargame.engine.flow import run_flow
    from wargame.engine.policy import empty_policy

    base = baseline(scenario)
    scratch = state.copy()
    for _ in range(2):
        run_flow(base, scratch, empty_policy(base))
    state.origin = scratch.origin
    return state


def stack_states(states: list[GameState]) -> GameState:
    """Several states as one whose material axis holds every state's materials in turn.
    Materials never interact within a turn's flow, so stacked what-if variants of a turn can
    be resolved in one pass; only the arrays the flow reads are meaningful."""
    first = states[0]
    arrays = {name: np.concatenate([getattr(s, name) for s in states], axis=0)
              for name in ARRAY_FIELDS}
    return GameState(turn=first.turn, budget=first.budget.copy(),
                     political_capital=first.political_capital.copy(), **arrays)


def tiled_baseline(base: Baseline, copies: int) -> Baseline:
    """The baseline with its materials repeated ``copies`` times (for stacked states)."""
    cache = base.tiles
    if copies not in cache:
        import dataclasses

        tile0 = lambda a: np.concatenate([a] * copies, axis=0)  # noqa: E731
        cache[copies] = dataclasses.replace(
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
            refining_stage=tile0(base.refining_stage), tiles={}, compiled={},
            price_weight=tile0(base.price_weight), price_exponent=tile0(base.price_exponent),
            price_min=tile0(base.price_min), price_max=tile0(base.price_max),
        )
    return cache[copies]

