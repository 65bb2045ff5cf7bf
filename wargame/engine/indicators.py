"""Indicators and scores of a resolved turn, built from its arrays into ``TurnIndicators``
(``results.py`` documents every field and unit).

Built with NumPy over whole arrays into plain dicts, then validated in one
``model_validate`` call (pydantic's core validates a whole turn in a fraction of a
millisecond, faster than constructing the rows one by one without validation): a
non-finite or out-of-range number fails loudly here, not in a reader.

Scores
------
A team's score is ``sum(weight x raw_value)`` over its objectives, each raw value on a
scale where 1 means "as good as the baseline":

- ``supply_met``: share of the sector's demand met (0..1; 1 when it has no demand);
- ``dependency``: value share of the actor's supply from ``origin`` (0..1; weights are
  negative: less is better);
- ``price``: final-stage world price / baseline;
- ``budget``, ``political_capital``: what is left / what the team started with;
- ``revenue``, ``value_added``, ``import_bill``: this turn's figure / the same figure in a
  quiet turn 1 (no orders, no deck: ``CompiledRules.quiet_reference``);
- ``crma``: share of the four CRMA benchmarks met over the actor's materials (0..1).

The breakdown (``TeamScore.terms``) keeps each objective's label, indicator, raw value,
weight and contribution, so a scoreboard can say why a score moved.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import numpy as np

from wargame.engine.baseline import Baseline
from wargame.engine.draws import rounded_shares
from wargame.engine.flow import EPS, FlowResult
from wargame.engine.market import market_price
from wargame.engine.policy import Policy
from pydantic import TypeAdapter

from wargame.engine.results import FLOW_STATUS_BY_CODE, TeamScore, TurnIndicators
from wargame.engine.rules import CompiledRules
from wargame.engine.state import GameState
from wargame.scenario.model import Actor, Objective, Scenario

CRMA_EXTRACTION, CRMA_PROCESSING, CRMA_RECYCLING, CRMA_THIRD_COUNTRY = 0.10, 0.40, 0.25, 0.65


# ----------------------------------------------------------------- headline figures

def headline_values(base: Baseline, price: np.ndarray, sector_cap: np.ndarray,
                    demand: np.ndarray, sector_met: np.ndarray,
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(supply met (A, K), which sectors have demand (A, K), price index (M,)), straight
    from the arrays without the full indicator set: explanations need them per variant.
    (``demand`` and ``sector_met`` are (A, K, M), or (G, A, K, M) for G stacked games
    with ``sector_cap`` (G, A, K): ``stacked_headlines``.)"""
    met, has = _met_and_has(demand, sector_met, sector_cap)
    return met, has, _world_prices(base, price)[1]


def _met_and_has(demand: np.ndarray, sector_met: np.ndarray, sector_cap: np.ndarray,
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(supply met per actor and sector: the worst material, capped by technology
    controls; which of them have demand), over the last (material) axis."""
    has3 = demand > EPS
    met = np.where(has3, sector_met, np.inf).min(axis=-1)
    return np.minimum(np.where(np.isfinite(met), met, 1.0), sector_cap), has3.any(axis=-1)


@dataclass(frozen=True)
class StackedHeadlines:
    """``headline_values`` and ``stage_price_index`` of G games stacked along the material
    axis, worked out once for the whole stack and split by game (``batch.py``)."""

    supply_met_share: np.ndarray  # (G, A, K) share 0..1, capped by technology controls
    has_demand: np.ndarray  # (G, A, K) bool
    price_index: np.ndarray  # (G, M) headline-stage world price / baseline
    stage_price_index: np.ndarray  # (G, M, S) world price / baseline per stage

    def of_game(self, g: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """One game's (met, has, price index, stage price index), as ``finish_turn`` takes
        them."""
        return (self.supply_met_share[g], self.has_demand[g], self.price_index[g],
                self.stage_price_index[g])


def stacked_headlines(tiled: Baseline, price: np.ndarray, sector_caps: np.ndarray,
                      flow: FlowResult, games: int) -> StackedHeadlines:
    """Headlines of ``games`` games from their stacked prices (G x M, S, A) and flow, with
    ``tiled`` the baseline tiled as many times and ``sector_caps`` (G, A, K) each game's
    ``Policy.sector_cap``: every number as ``headline_values`` gives it for one game."""
    A, K = flow.sector_demand.shape[:2]
    by_game = lambda a: a.reshape(A, K, games, -1).transpose(2, 0, 1, 3)  # noqa: E731
    met, has, index = headline_values(tiled, price, sector_caps, by_game(flow.sector_demand),
                                      by_game(flow.sector_met))
    return StackedHeadlines(met, has, index.reshape(games, -1),
                            stage_price_index(tiled, price).reshape(games, -1, price.shape[1]))


# ("supply", actor, sector); ("price", material, "") at the headline stage; ("price",
# material, stage id) at the other stages (an oxide spike, an ore ban's direct effect)
Headlines = dict[tuple[str, str, str], float]


def stage_price_index(base: Baseline, price: np.ndarray) -> np.ndarray:
    """(M, S) the world price of each stage / its baseline (importer-weighted, as the
    headline)."""
    return market_price(base, price) / np.maximum(base.base_price, EPS)


def headline_dict(sc: Scenario, met: np.ndarray, has: np.ndarray,
                  price_index: np.ndarray, stage_index: np.ndarray | None = None,
                  base: Baseline | None = None) -> Headlines:
    """The headlines as a dict; with ``stage_index`` (M, S) and ``base``, the prices of
    the stages other than each material's headline stage too."""
    heads = {("supply", sc.actors[a].id, sc.sectors[k].id): float(met[a, k])
             for a, k in zip(*np.nonzero(has))}
    heads.update({("price", mat.id, ""): float(price_index[m])
                  for m, mat in enumerate(sc.materials)})
    if stage_index is not None and base is not None:
        for m, mat in enumerate(sc.materials):
            for s, stage in enumerate(mat.stages):
                if s != base.headline_stage[m]:
                    heads[("price", mat.id, stage.id)] = float(stage_index[m, s])
    return heads


def last_headlines(sc: Scenario, met: np.ndarray, has: np.ndarray,
                   price_index: np.ndarray, stage_index: np.ndarray | None = None,
                   ) -> dict[str, Any]:
    """Headlines kept in the state so the next turn can say what changed (JSON-safe,
    compact: supply met as an actor x sector table with the pairs that have demand)."""
    return _kept_headlines(sc, met[None], has[None], price_index[None],
                           None if stage_index is None else stage_index[None])[0]


def stacked_last_headlines(sc: Scenario, heads: StackedHeadlines) -> list[dict[str, Any]]:
    """``last_headlines`` of every game of a batch, rounded for all at once."""
    return _kept_headlines(sc, heads.supply_met_share, heads.has_demand, heads.price_index,
                           heads.stage_price_index)


def _kept_headlines(sc: Scenario, met: np.ndarray, has: np.ndarray, price_index: np.ndarray,
                    stage_index: np.ndarray | None) -> list[dict[str, Any]]:
    """The kept headlines of G games (arrays with a game axis first): supply met and price
    indices by ``np.round``, stage prices to six decimals as Python's ``round`` gives them
    (``draws.rounded_shares``), as stored states always had them."""
    tables = np.round(met, 6).tolist()
    has_lists = [_has_table(game_has) for game_has in has]
    prices = np.round(price_index, 6).tolist()
    ids = [m.id for m in sc.materials]
    kept = [{"supply_table": table, "has_demand": game_has,
             "price_index": dict(zip(ids, price_row))}
            for table, game_has, price_row in zip(tables, has_lists, prices)]
    if stage_index is not None:
        stage_ids = [[stage.id for stage in m.stages] for m in sc.materials]
        for game, stage_rows in zip(kept, rounded_shares(stage_index).tolist()):
            game["stage_price_index"] = {mid: dict(zip(sids, row))
                                         for mid, sids, row in zip(ids, stage_ids, stage_rows)}
    return kept


# which sectors have demand, as kept in states: the same table in nearly every game and
# turn, so one list serves them all (headlines kept are never changed in place, as states
# share them already: ``GameState.copy``); each one fewer long-lived object for the
# garbage collector to scan. By the table's bytes and shape; bounded.
_HAS_TABLES: dict[tuple[bytes, tuple[int, ...]], list[list[bool]]] = {}
_HAS_TABLES_LIMIT = 256


def _has_table(has: np.ndarray) -> list[list[bool]]:
    key = (has.tobytes(), has.shape)
    table = _HAS_TABLES.get(key)
    if table is None:
        if len(_HAS_TABLES) >= _HAS_TABLES_LIMIT:
            _HAS_TABLES.clear()
        table = _HAS_TABLES[key] = has.tolist()
    return table


def before_headlines(sc: Scenario, last: dict[str, Any]) -> Headlines:
    """The headlines ``last_headlines`` kept, back as a ``Headlines`` dict."""
    if not last:
        return {}
    heads: Headlines = {}
    table, has = last.get("supply_table"), last.get("has_demand")
    if table is not None and has is not None:
        for a, actor in enumerate(sc.actors):
            for k, sector in enumerate(sc.sectors):
                if has[a][k]:
                    heads[("supply", actor.id, sector.id)] = table[a][k]
    for material, value in (last.get("price_index") or {}).items():
        heads[("price", material, "")] = value
    for material, stages in (last.get("stage_price_index") or {}).items():
        for stage, value in stages.items():
            heads[("price", material, stage)] = value
    return heads


# ----------------------------------------------------------------- array parts
# (shared by ``build_indicators`` and ``score_inputs``, so both read the same numbers)

def _supply_met(pol: Policy, flow: FlowResult) -> tuple[np.ndarray, np.ndarray]:
    """(supply met per actor and sector (A, K): the worst material, capped by technology
    controls; which of them have demand (A, K))."""
    return _met_and_has(flow.sector_demand, flow.sector_met, pol.sector_cap)


def _world_prices(base: Baseline, price: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(world price (M, S), headline-stage world price / baseline (M,))."""
    rows = np.arange(base.n_materials)
    head = base.headline_stage
    world = market_price(base, price)
    return world, world[rows, head] / np.maximum(base.base_price[rows, head], EPS)


def _origin_values(base: Baseline, state: GameState, flow: FlowResult,
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value of each actor's final-stage supply by material and origin (M, I, O) at
    baseline prices, its total over materials (I,), the origin shares (I, O))."""
    contrib = origin_contributions(base, state.origin, flow)
    value = contrib.sum(axis=0)
    totals = value.sum(axis=1)
    return contrib, totals, value / np.maximum(totals, EPS)[:, None]


def origin_contributions(base: Baseline, origin: np.ndarray, flow: FlowResult) -> np.ndarray:
    """(M, I, O) value of each actor's final-stage supply by material and origin, at
    baseline prices (materials of stacked games alike: ``stacked_scores``).

    The sum over exporters of flow x the exporter's origin shares, exporter by exporter
    from zero: the very additions of ``np.einsum("mei,meo->mio", ...)``, which adds the
    exporters in this order too (they are never its innermost axis). An exporter that
    ships nothing at the last stage adds only zeros (flows and shares are finite), which
    change no sum: it is skipped (most actors export no finished goods; a sweep reads
    this every turn)."""
    rows = np.arange(base.n_materials)
    last = base.stage_count - 1
    flows, shares = flow.flows[rows, last], origin[rows, last]  # (M, E, I), (M, E, O)
    total = np.zeros((flows.shape[0], flows.shape[2], shares.shape[2]))
    for e in range(flows.shape[1]):
        shipped = flows[:, e]
        if shipped.any():
            total += shipped[:, :, None] * shares[:, e, None, :]
    return total * base.base_price[rows, last][:, None, None]


def _money(base: Baseline, state: GameState, flow: FlowResult, exports: bool = True,
           ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, np.ndarray]:
    """(import bill, export revenue (None unless ``exports``), revenue, value added) per
    actor, USD m per turn (tonnes x USD/kg / 1000)."""
    cross, sold, added = money_cells(base, state.price, flow)
    imports_value = np.einsum("msei,msi->i", cross, state.price) / 1000.0
    export_value = np.einsum("msei,mse->e", cross, state.price) / 1000.0 if exports else None
    revenue = sold.sum(axis=(0, 1)) / 1000.0
    value_added = added.sum(axis=(0, 1)) / 1000.0
    return imports_value, export_value, revenue, value_added


def money_cells(base: Baseline, price: np.ndarray, flow: FlowResult,
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cross-border flows (M, S, E, I) t, sales (M, S, A) USD k, value added (M, S, A)
    USD k) per turn, before they are summed per actor: ``_money`` sums them for one game,
    ``stacked_scores`` per game of a stack."""
    not_self = 1.0 - np.eye(base.n_actors)
    real = base.stage_mask[:, :, None]  # (M, S, 1)
    # the products left to right, the later factors applied in place (no temporaries)
    cross = flow.flows * not_self
    cross *= real[..., None]  # (M, S, E, I)
    sold = flow.sold * price
    sold *= real
    out_value = flow.production * price
    out_value *= real
    in_value = np.zeros_like(out_value)
    np.multiply(flow.delivered_use[:, :-1], price[:, :-1], out=in_value[:, 1:])
    in_value *= real
    out_value -= in_value
    return cross, sold, out_value


# ----------------------------------------------------------------- the indicator set

def _by_id(ids: list[str], values: np.ndarray, digits: int) -> dict[str, float]:
    return dict(zip(ids, np.round(values, digits).tolist()))


def _table(rows: list[str], cols: list[str], values: np.ndarray, keep: np.ndarray,
           digits: int) -> dict[str, dict[str, float]]:
    """{row: {col: value}} for the cells where ``keep``; rows with no cell are left out."""
    where = np.nonzero(keep)
    kept = np.round(values[where], digits).tolist()
    out: dict[str, dict[str, float]] = {}
    for r, c, value in zip(where[0].tolist(), where[1].tolist(), kept):
        cells = out.get(rows[r])
        if cells is None:
            cells = out[rows[r]] = {}
        cells[cols[c]] = value
    return out


def _quota_rows(sc: Scenario, base: Baseline, pol: Policy, flow: FlowResult,
                ) -> list[dict[str, Any]]:
    """One row per tonnage quota pool in force: quota, used and unfilled, t per year."""
    rows = []
    years = base.turn_fraction
    for pool, used in zip(pol.quotas, flow.quota_used or [0.0] * len(pol.quotas)):
        quota = pool.tonnes_per_turn / years
        used_year = min(max(float(used), 0.0) / years, quota)
        first = sc.materials[pool.material]
        rows.append({
            "exporter": sc.actors[pool.exporter].id,
            "materials": tuple(sc.materials[m].id for m in pool.materials),
            "importers": tuple(sc.actors[i].id for i in np.nonzero(pool.importers)[0]),
            "stages": tuple(first.stages[s].id for s in np.nonzero(pool.stages)[0]
                            if s < len(first.stages)),
            "quota_tonnes_per_year": round(quota, 3),
            "used_tonnes_per_year": round(used_year, 3),
            "unfilled_tonnes_per_year": round(quota - used_year, 3),
            "fill_share": round(used_year / quota, 6) if quota > EPS else 1.0})
    return rows


def build_indicators(rules: CompiledRules, state: GameState, pol: Policy, flow: FlowResult,
                     turn: int, reference: TurnIndicators | None = None) -> TurnIndicators:
    """The turn's indicators from the state at its end and its policy and flow; with a
    ``reference`` (the quiet turn) the scores too."""
    sc, base = rules.scenario, rules.baseline
    A, M = base.n_actors, base.n_materials
    actors = [a.id for a in sc.actors]
    materials = [m.id for m in sc.materials]
    sectors = [k.id for k in sc.sectors]
    years = base.turn_fraction
    rows = np.arange(M)
    last = base.stage_count - 1
    not_self = 1.0 - np.eye(A)

    # supply met per sector (the worst material), shortfall as an annual rate
    demand = flow.sector_demand  # (A, K, M)
    met, has_any = _supply_met(pol, flow)
    shortfall = ((1 - flow.sector_met) * demand).sum(axis=2) / years
    need_last = flow.need[rows, last]  # (M, A)
    got_last = flow.delivered_use[rows, last]
    material_met = got_last / np.maximum(need_last, EPS)

    # prices: the world's (importers' use-weighted) and each actor's
    world, price_index = _world_prices(base, state.price)
    world_r = np.round(world, 4).tolist()
    actor_r = np.round(state.price, 4).tolist()
    world_price: dict[str, dict[str, float]] = {}
    by_actor: dict[str, dict[str, dict[str, float]]] = {}
    for m, mat in enumerate(sc.materials):
        world_price[mat.id] = {st.id: world_r[m][s] for s, st in enumerate(mat.stages)}
        by_actor[mat.id] = {st.id: dict(zip(actors, actor_r[m][s]))
                            for s, st in enumerate(mat.stages)}

    # origin of each actor's final-stage supply, valued at baseline prices
    contrib, totals, dep = _origin_values(base, state, flow)
    dependency = _table(actors, actors, dep, (dep > 1e-4) & (totals > EPS)[:, None], 6)
    tot_m = contrib.sum(axis=2)  # (M, I)
    dep_m = contrib / np.maximum(tot_m, EPS)[:, :, None]
    keep_m = (dep_m > 1e-3) & (tot_m > EPS)[:, :, None]
    dependency_by_material = {mat: _table(actors, actors, dep_m[m], keep_m[m], 6)
                              for m, mat in enumerate(materials)}

    # trade, revenue and value added (USD m per turn: tonnes x USD/kg / 1000)
    real = base.stage_mask[:, :, None]  # (M, S, 1)
    imports_value, export_value, revenue, value_added = _money(base, state, flow)
    mined = flow.production[:, 0]  # (M, A)
    own_ore = np.diagonal(flow.flows[:, 0], axis1=1, axis2=2)  # (M, A)
    ore_share = own_ore / np.maximum(mined, EPS)
    ore_home = {mat: {a: v for a, v, keep in zip(actors, np.round(ore_share[m], 6).tolist(),
                                                 (mined[m] > EPS).tolist()) if keep}
                for m, mat in enumerate(materials)}

    crma = _crma_rows(sc, base, flow, contrib, materials)

    # cross-border flows, and restricted requests that moved nothing
    listed = ((flow.flows > 1e-6) | ((pol.status > 0) & (flow.requested > 1e-6))) \
        & (not_self > 0) & real[..., None]
    where = np.nonzero(listed)
    moved = flow.flows[where]
    stage_ids = [[st.id for st in mat.stages] for mat in sc.materials]
    flows = [{"exporter": actors[e], "importer": actors[i], "material": materials[m],
              "stage": stage_ids[m][st], "tonnes_per_turn": per_turn,
              "tonnes_per_year": per_year, "status": FLOW_STATUS_BY_CODE[code]}
             for m, st, e, i, per_turn, per_year, code in zip(
                 *(axis.tolist() for axis in where), np.round(moved, 3).tolist(),
                 np.round(moved / years, 3).tolist(), pol.status[where].tolist())]

    held = (state.stock + state.strategic).sum(axis=1)  # (M, A)
    indicators = TurnIndicators.model_validate(dict(
        turn=turn,
        world_price_usd_per_kg=world_price,
        price_by_actor_usd_per_kg=by_actor,
        price_index_vs_baseline=_by_id(materials, price_index, 6),
        supply_met_share=_table(actors, sectors, met, has_any, 6),
        material_met_share=_table(actors, materials, material_met.T, (need_last > EPS).T, 6),
        shortfall_tonnes_per_year=_table(actors, sectors, shortfall, has_any, 3),
        dependency_share_by_material=dependency_by_material,
        dependency_share_all_materials_by_value=dependency,
        import_bill_usd_m_per_turn=_by_id(actors, imports_value, 3),
        export_revenue_usd_m_per_turn=_by_id(actors, export_value, 3),
        revenue_usd_m_per_turn=_by_id(actors, revenue, 3),
        value_added_usd_m_per_turn=_by_id(actors, value_added, 3),
        ore_processed_home_share=ore_home,
        crma_benchmarks=crma,
        budget_usd_m=_by_id([t.id for t in sc.teams], state.budget, 3),
        political_capital=_by_id([t.id for t in sc.teams], state.political_capital, 3),
        stocks_tonnes=_table(actors, materials, held.T, (held > EPS).T, 3),
        flows=flows,
        quotas=_quota_rows(sc, base, pol, flow),
        scores={},
    ))
    return with_scores(sc, indicators, reference)


def with_scores(sc: Scenario, indicators: TurnIndicators,
                reference: TurnIndicators | None) -> TurnIndicators:
    """The indicators with every team's score (against the quiet ``reference``; none
    without one)."""
    if reference is None:
        return indicators
    return indicators.model_copy(update={"scores": scores(sc, indicators, reference)})


def capacity_reader(rules: CompiledRules, state: GameState) -> Callable[[str, str, str], float]:
    """Nameplate capacity in place (tonnes per year) by actor, material and stage ids, from
    a state (conditions read ``capacity(actor, material, stage)`` through it)."""
    sc, base = rules.scenario, rules.baseline

    def capacity(actor: str, material: str, stage: str) -> float:
        m = sc.material_index[material]
        s = sc.materials[m].stage_index(stage)
        a = sc.actor_index[actor]
        per_turn = float(state.capacity[m, s, a] + state.recycle_capacity[m, s, a])
        return per_turn / base.turn_fraction
    return capacity


def is_crma_actor(actor: Actor) -> bool:
    """The CRMA's benchmarks are the EU's: they apply to an actor whose id or bloc is EU."""
    return actor.id.upper() == "EU" or (actor.bloc or "").upper() == "EU"


def _crma_rows(sc: Scenario, base: Baseline, flow: FlowResult, contrib: np.ndarray,
               materials: list[str]) -> list[dict[str, Any]]:
    """The EU's CRMA 2030 benchmarks, for every actor whose id or bloc is EU (each
    material's shares computed for all materials at once: a sweep reads them every turn)."""
    rows = []
    for a, actor in enumerate(sc.actors):
        if not is_crma_actor(actor):
            continue
        used, extraction, processing, recycling, third, met = crma_shares(base, flow,
                                                                          contrib, a)
        for m in np.nonzero(used)[0].tolist():
            rows.append(dict(
                actor=actor.id, material=materials[m],
                extraction_share=round(float(extraction[m]), 6),
                processing_share=round(float(processing[m]), 6),
                recycling_share=round(float(recycling[m]), 6),
                largest_third_country_share=round(float(third[m]), 6),
                benchmarks_met=int(met[m])))
    return rows


def crma_shares(base: Baseline, flow: FlowResult, contrib: np.ndarray, a: int,
                ) -> tuple[np.ndarray, ...]:
    """Actor ``a``'s CRMA figures per material (M,): (whether it uses the material at the
    last stage, extraction, processing and recycling shares of that use, the largest
    third-country share of its supply by value, how many of the four benchmarks it meets).
    ``contrib`` (M, I, O): value of final-stage supply by origin. Materials of several
    stacked games work alike (``stacked_scores``)."""
    M = base.n_materials
    every = np.arange(M)
    last = base.stage_count - 1  # (M,)
    second = np.minimum(1, last)
    consumption = flow.delivered_use[every, last, a]  # (M,)
    used = consumption > EPS
    safe = np.where(used, consumption, 1.0)
    extraction = flow.production[:, 0, a] / safe
    processing = flow.production[every, second, a] / safe
    recycling = flow.recycled[:, :, a].sum(axis=1) / safe
    own = contrib[:, a]  # (M, O)
    shares = own / np.maximum(own.sum(axis=1), EPS)[:, None]
    others = np.arange(shares.shape[1]) != a
    third = np.where(others, shares, -np.inf).max(axis=1) if others.any() \
        else np.zeros(M)
    met = (extraction >= CRMA_EXTRACTION).astype(int) \
        + (processing >= CRMA_PROCESSING) + (recycling >= CRMA_RECYCLING) \
        + (third <= CRMA_THIRD_COUNTRY)
    return used, extraction, processing, recycling, third, met


# ----------------------------------------------------------------- scores

def objective_value(sc: Scenario, team_id: str, obj: Objective,
                    ind: "TurnIndicators | ScoreInputs", reference: TurnIndicators) -> float:
    """One objective's raw value (see the module docstring for each scale), from a turn's
    ``TurnIndicators`` or its ``ScoreInputs`` (the same figures, fewer of them)."""
    actor = obj.actor or (sc.team_actors(team_id) or (None,))[0]
    kind = obj.indicator
    if kind == "supply_met":
        return float(ind.supply_met_share.get(actor, {}).get(obj.sector, 1.0))
    if kind == "dependency":
        return float(ind.dependency_share_all_materials_by_value.get(actor, {})
                     .get(obj.origin, 0.0))
    if kind == "price":
        return float(ind.price_index_vs_baseline.get(obj.material, 1.0))
    team = sc.team(team_id)
    if kind == "budget":
        return float(ind.budget_usd_m[team_id]) / max(float(team.budget.value), 1.0)
    if kind == "political_capital":
        return float(ind.political_capital[team_id]) / max(float(team.political_capital.value), 1.0)
    if kind in ("revenue", "value_added", "import_bill"):
        field = {"revenue": "revenue_usd_m_per_turn", "value_added": "value_added_usd_m_per_turn",
                 "import_bill": "import_bill_usd_m_per_turn"}[kind]
        ref = getattr(reference, field).get(actor) or 1.0
        return float(getattr(ind, field).get(actor, 0.0)) / max(abs(ref), 1e-6)
    if kind == "crma":
        rows = ind.crma_of(actor)
        return sum(r.benchmarks_met for r in rows.values()) / (4.0 * max(len(rows), 1))
    return 0.0


def _objective_label(obj: Objective) -> str:
    target = obj.sector or obj.origin or obj.material or ""
    return obj.label or obj.indicator.replace("_", " ") + (f" ({target})" if target else "")


_SCORES = TypeAdapter(dict[str, TeamScore])


def scores(sc: Scenario, ind: TurnIndicators, reference: TurnIndicators) -> dict[str, TeamScore]:
    """Every team's score with its per-objective breakdown."""
    out = {}
    for team in sc.teams:
        terms, total = [], 0.0
        for obj in team.objectives:
            raw = objective_value(sc, team.id, obj, ind, reference)
            total += obj.weight * raw
            terms.append(dict(
                label=_objective_label(obj), indicator=obj.indicator, raw_value=round(raw, 6),
                weight=obj.weight, contribution=round(obj.weight * raw, 6)))
        out[team.id] = dict(total=round(total, 6), terms=terms)
    return _SCORES.validate_python(out)


# ----------------------------------------------------------------- scores without the rest

@dataclass(frozen=True)
class ScoreInputs:
    """The figures of ``TurnIndicators`` that scores read, under the same names and
    rounded the same way (so ``objective_value`` gives the same numbers from either),
    built without the rest (flows, prices by actor, dependency by material...): what a
    batch of games needs each turn (``batch.py``)."""

    supply_met_share: dict[str, dict[str, float]]
    dependency_share_all_materials_by_value: dict[str, dict[str, float]]
    price_index_vs_baseline: dict[str, float]
    budget_usd_m: dict[str, float]
    political_capital: dict[str, float]
    revenue_usd_m_per_turn: dict[str, float]
    value_added_usd_m_per_turn: dict[str, float]
    import_bill_usd_m_per_turn: dict[str, float]
    crma_benchmarks: tuple["CrmaMet", ...]

    def crma_of(self, actor: str) -> dict[str, "CrmaMet"]:
        return {row.material: row for row in self.crma_benchmarks if row.actor == actor}


class CrmaMet(NamedTuple):
    """The part of a ``CrmaBenchmarks`` row that scores read (no validation: speed)."""

    actor: str
    material: str
    benchmarks_met: int


def score_inputs(rules: CompiledRules, state: GameState, pol: Policy, flow: FlowResult,
                 ) -> ScoreInputs:
    sc, base = rules.scenario, rules.baseline
    actors = [a.id for a in sc.actors]
    teams = [t.id for t in sc.teams]
    met, has_any = _supply_met(pol, flow)
    _world, price_index = _world_prices(base, state.price)
    contrib, totals, dep = _origin_values(base, state, flow)
    imports_value, _exports, revenue, value_added = _money(base, state, flow, exports=False)
    crma = _crma_rows(sc, base, flow, contrib, [m.id for m in sc.materials])
    return ScoreInputs(
        supply_met_share=_table(actors, [k.id for k in sc.sectors], met, has_any, 6),
        dependency_share_all_materials_by_value=_table(
            actors, actors, dep, (dep > 1e-4) & (totals > EPS)[:, None], 6),
        price_index_vs_baseline=_by_id([m.id for m in sc.materials], price_index, 6),
        budget_usd_m=_by_id(teams, state.budget, 3),
        political_capital=_by_id(teams, state.political_capital, 3),
        revenue_usd_m_per_turn=_by_id(actors, revenue, 3),
        value_added_usd_m_per_turn=_by_id(actors, value_added, 3),
        import_bill_usd_m_per_turn=_by_id(actors, imports_value, 3),
        crma_benchmarks=tuple(CrmaMet(row["actor"], row["material"], row["benchmarks_met"])
                              for row in crma))


def score_values(sc: Scenario, ind: "TurnIndicators | ScoreInputs", reference: TurnIndicators,
                 ) -> dict[str, tuple[float, tuple[float, ...]]]:
    """Per team: (total score rounded as ``TeamScore.total``, each objective's raw value)."""
    out = {}
    for team in sc.teams:
        raws = tuple(objective_value(sc, team.id, obj, ind, reference) for obj in team.objectives)
        total = 0.0
        for obj, raw in zip(team.objectives, raws):
            total += obj.weight * raw
        out[team.id] = (round(total, 6), raws)
    return out
