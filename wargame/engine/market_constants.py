"""Per-scenario constants of the market, derived once (like the ``Baseline``).

Turn-length conversions live here: a rate given per quarter or per year becomes a rate
per turn, ``1 - (1 - rate) ** (turn in quarters or years)``, so a scenario with monthly
turns adjusts as fast per year as one with quarterly turns.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from wargame.engine.lookups import actor_indices, stage_mask
from wargame.engine.orders import bind_effect_args, with_defaults
from wargame.scenario.model import Scenario

EPS = 1e-12


def per_turn(rate: float, periods_per_turn: float) -> float:
    """A share closed per period, as a share closed per turn of ``periods_per_turn``."""
    rate = min(max(float(rate), 0.0), 1.0)
    return 1.0 - (1.0 - rate) ** periods_per_turn


@dataclass(frozen=True)
class MarketConstants:
    """What the market mechanisms need from the scenario, as arrays.

    Shapes: M materials, S stages (padded), A actors, K sectors."""

    price_adjustment: float  # share of the log gap to the clearing price closed per turn
    demand_adjustment: float  # share of the gap to the long-run demand level, per turn
    thrift_reversal: float  # share of that speed when the level recovers (hysteresis)
    supply_elasticity: float
    utilisation_adjustment: float  # per turn
    destocking_elasticity: float
    precaution_turns: float  # precautionary cover, in turns of use
    contract_drift: float  # per turn
    leakage_share: float  # default for restrictions and quotas
    pass_through: float
    elasticity_short: np.ndarray  # (A, K, M) short-run price elasticity of sector demand
    elasticity_long: np.ndarray  # (A, K, M) long-run
    material_elasticity: np.ndarray  # (M,) short-run, for stages before the last
    # (M, A) short-run elasticity of each actor's demand for a material's last stage: its
    # sectors' elasticities weighted by their baseline demand (the material's where it has
    # none); the demand curve the last stage's price clears on (``pricing.py``)
    clearing_elasticity: np.ndarray
    conversion: np.ndarray  # (M, S) base conversion margin: price - input price / yield
    ramp_profile: np.ndarray  # (M, S, Y) share of nameplate by year of operation
    headline_stage: np.ndarray  # (M,) the stage whose price is the headline
    contract: np.ndarray  # (M, S, E, I) baseline contract shares
    home_share: np.ndarray | None  # (M, S, A) share of own use from own output; None = all
    turn_fraction: float
    reference_price: np.ndarray  # (M, S, A) each actor's baseline price (``local_prices``)
    exports: np.ndarray  # (M, S, A) baseline exports, t per turn
    imports: np.ndarray  # (M, S, A) baseline imports, t per turn
    where: dict[tuple[str, str, str], tuple[int, int, int]]  # (actor, material, stage) ids
    # export duties and (1 + duty)(1 + tariff) of the standing orders in force at the start
    # (``in_force``): the baseline's prices and flows already carry them, so only a change
    # from them deters requests or counts as a restriction (``market.prepare_market``)
    base_duty: np.ndarray | None = None  # (M, S, E, I)
    base_trade_cost: np.ndarray | None = None  # (M, S, E, I)

    def selected(self, materials: np.ndarray) -> "MarketConstants":
        """The constants of the listed materials only (``baseline.select_baseline``)."""
        idx = np.asarray(materials, dtype=int)
        take = lambda a, axis=0: np.take(a, idx, axis=axis)  # noqa: E731
        return dataclasses.replace(
            self, elasticity_short=take(self.elasticity_short, 2),
            elasticity_long=take(self.elasticity_long, 2),
            material_elasticity=take(self.material_elasticity),
            clearing_elasticity=take(self.clearing_elasticity),
            conversion=take(self.conversion), ramp_profile=take(self.ramp_profile),
            headline_stage=take(self.headline_stage), contract=take(self.contract),
            home_share=None if self.home_share is None else take(self.home_share),
            reference_price=take(self.reference_price), exports=take(self.exports),
            imports=take(self.imports),
            base_duty=None if self.base_duty is None else take(self.base_duty),
            base_trade_cost=None if self.base_trade_cost is None else take(self.base_trade_cost))

    def tiled(self, copies: int) -> "MarketConstants":
        """The constants with materials repeated ``copies`` times (stacked what-ifs)."""
        def cat(a: np.ndarray, axis: int = 0) -> np.ndarray:
            return np.concatenate([a] * copies, axis=axis)
        return dataclasses.replace(
            self, elasticity_short=cat(self.elasticity_short, 2),
            elasticity_long=cat(self.elasticity_long, 2),
            material_elasticity=cat(self.material_elasticity),
            clearing_elasticity=cat(self.clearing_elasticity),
            conversion=cat(self.conversion), ramp_profile=cat(self.ramp_profile),
            headline_stage=cat(self.headline_stage), contract=cat(self.contract),
            home_share=None if self.home_share is None else cat(self.home_share),
            reference_price=cat(self.reference_price), exports=cat(self.exports),
            imports=cat(self.imports),
            base_duty=None if self.base_duty is None else cat(self.base_duty),
            base_trade_cost=None if self.base_trade_cost is None else cat(self.base_trade_cost))

    # Derived once per constants object (the prices and trade of every turn read them; a
    # stacked pass reads the tiled object's, which ``CompiledRules.tiled_market`` keeps)

    @cached_property
    def buys_abroad(self) -> np.ndarray:
        """(M, S, E, I) bool: importer I imports in the baseline and E is another actor:
        the pairs along which traders arbitrage prices or move contracts."""
        A = self.imports.shape[-1]
        return (self.imports > EPS)[:, :, None, :] & ~np.eye(A, dtype=bool)

    @cached_property
    def arbitrage_ratio(self) -> np.ndarray:
        """(M, S, E, I) importer's baseline price over exporter's baseline landed price
        (x the standing trade cost), at least 1: an open route caps an importer's price
        at the supplier's price times this, so the baseline is not moved."""
        ref = np.maximum(self.reference_price, EPS)  # (M, S, A)
        landed = ref[:, :, :, None] if self.base_trade_cost is None else \
            ref[:, :, :, None] * self.base_trade_cost
        return np.maximum(ref[:, :, None, :] / landed, 1.0)

    @cached_property
    def foreign_imports(self) -> np.ndarray:
        """(M, S, E, I) each importer's baseline imports, zero on the diagonal (its own
        output): what turns contract shares into contracted tonnes."""
        A = self.imports.shape[-1]
        return self.imports[:, :, None, :] * (1.0 - np.eye(A))


def build_market_constants(sc: Scenario, base: object) -> MarketConstants:
    """``base`` is the scenario's ``Baseline``."""
    mk = sc.market
    years = sc.turn_length_months / 12.0
    quarters = sc.turn_length_months / 3.0
    M, S, A, K = base.n_materials, base.n_stages, base.n_actors, base.n_sectors
    material_sr = np.array([float(m.elasticity.value) for m in sc.materials])
    material_sr = np.maximum(material_sr, 0.02)
    multiple = float(mk.long_run_multiple.value)
    material_lr = np.array([float(m.long_run_elasticity.value)
                            if m.long_run_elasticity is not None else sr * multiple
                            for m, sr in zip(sc.materials, material_sr)])
    short = np.broadcast_to(material_sr[None, None, :], (A, K, M)).copy()
    long = np.broadcast_to(material_lr[None, None, :], (A, K, M)).copy()
    for k, sector in enumerate(sc.sectors):
        if sector.elasticity_short_run is not None:
            short[:, k, :] = max(float(sector.elasticity_short_run.value), 0.0)
            if sector.elasticity_long_run is None:
                long[:, k, :] = short[:, k, :] * multiple
        if sector.elasticity_long_run is not None:
            long[:, k, :] = float(sector.elasticity_long_run.value)
    long = np.maximum(long, short)  # demand never answers less in the long run
    weight = base.demand  # (A, K, M)
    total = weight.sum(axis=1)  # (A, M)
    clearing = np.where(total > 0, (weight * short).sum(axis=1) / np.maximum(total, EPS),
                        material_sr[None, :]).T  # (M, A)
    clearing = np.maximum(clearing, 0.02)
    base_price = base.base_price
    conversion = np.zeros((M, S))
    conversion[:, 1:] = np.maximum(base_price[:, 1:] - base_price[:, :-1] / base.yields[:, 1:], 0.0)
    default_ramp = [float(f.value) for f in mk.ramp_up]
    width = max([len(default_ramp)] + [len(st.ramp_up) for m in sc.materials for st in m.stages
                                       if st.ramp_up is not None])
    ramp = np.ones((M, S, width))
    for mi, mat in enumerate(sc.materials):
        for si, st in enumerate(mat.stages):
            shares = [float(f.value) for f in st.ramp_up] if st.ramp_up is not None else default_ramp
            ramp[mi, si, :len(shares)] = shares
            ramp[mi, si, len(shares):] = shares[-1]
    headline = np.array([mat.stage_index(mat.headline_stage) if mat.headline_stage else
                         len(mat.stages) - 1 for mat in sc.materials])
    contract, home_share = baseline_contracts(sc, base)
    reference = np.repeat(base.base_price[:, :, None], base.n_actors, axis=2)
    for entry in sc.local_prices:
        m = sc.material_index[entry.material]
        reference[m, sc.materials[m].stage_index(entry.stage), sc.actor_index[entry.actor]] = \
            float(entry.price.value)
    base_duty, base_cost = standing_trade_costs(sc, base)
    output = base.capacity * base.utilisation + base.recycle_capacity
    own = np.minimum(output, base.use_need * (1.0 if home_share is None else home_share))
    where = {(actor.id, mat.id, stage.id): (mi, si, ai)
             for mi, mat in enumerate(sc.materials) for si, stage in enumerate(mat.stages)
             for ai, actor in enumerate(sc.actors)}
    return MarketConstants(
        price_adjustment=per_turn(mk.price_adjustment_per_quarter.value, quarters),
        demand_adjustment=per_turn(mk.demand_adjustment_per_year.value, years),
        thrift_reversal=float(mk.thrift_reversal_share.value),
        supply_elasticity=float(mk.supply_elasticity.value),
        utilisation_adjustment=per_turn(mk.utilisation_adjustment_per_quarter.value, quarters),
        destocking_elasticity=float(mk.destocking_elasticity.value),
        precaution_turns=float(mk.precautionary_cover_days.value) / (365.0 * years),
        contract_drift=per_turn(mk.contract_drift_per_quarter.value, quarters),
        leakage_share=float(mk.leakage_share.value),
        pass_through=float(mk.pass_through.value),
        elasticity_short=short, elasticity_long=long, material_elasticity=material_sr,
        clearing_elasticity=clearing,
        conversion=conversion, ramp_profile=ramp, headline_stage=headline,
        contract=contract, home_share=home_share, turn_fraction=years,
        reference_price=reference, exports=np.maximum(output - own, 0.0),
        imports=np.maximum(base.use_need - own, 0.0), where=where,
        base_duty=base_duty, base_trade_cost=base_cost,
    )


def standing_trade_costs(sc: Scenario, base: object,
                         ) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(export duties, (1 + duty)(1 + tariff)) (M, S, E, I) of the scenario's standing
    orders (``in_force``), which the baseline's prices and flows already carry; (None,
    None) when they set none."""
    M, S, A = base.n_materials, base.n_stages, base.n_actors
    duty = np.zeros((M, S, A, A))
    tariff = np.zeros((M, S, A, A))
    for standing in sc.in_force:
        move = sc.move_index.get(standing.move)
        if move is None or standing.team not in sc.team_index:
            continue
        actors = sc.team_actors(standing.team)
        for effect in move.effects:
            if effect.primitive not in ("export_duty", "tariff"):
                continue
            args = bind_effect_args(sc, effect.primitive, effect.args,
                                    with_defaults(move, standing.params),
                                    actors[0] if actors else None, standing.team)
            m = sc.material_index.get(args.get("material"))
            if m is None:
                continue
            stages = np.nonzero(stage_mask(sc, base, m, args.get("stages")))[0][:, None]
            rate = float(args.get("rate") or 0)
            if effect.primitive == "export_duty":
                e = sc.actor_index.get(args.get("exporter"))
                if e is None:
                    continue
                others = np.asarray(actor_indices(sc, args.get("importers"), exclude=e), dtype=int)
                duty[m][stages, e, others[None, :]] += rate
            else:
                i = sc.actor_index.get(args.get("importer"))
                if i is None:
                    continue
                others = np.asarray(actor_indices(sc, args.get("exporters"), exclude=i), dtype=int)
                tariff[m][stages, others[None, :], i] += rate
    if not duty.any() and not tariff.any():
        return None, None
    return (duty if duty.any() else None), (1.0 + tariff) * (1.0 + duty)


def baseline_contracts(sc: Scenario, base: object) -> tuple[np.ndarray, np.ndarray | None]:
    """(contract shares (M, S, E, I), home shares (M, S, A) or None).

    An importer without ``trade_shares`` buys from each exporter in proportion to the
    exporter's baseline surplus (output less own use): the same mix for everyone, as the
    quiet baseline implies. A ``trade_shares`` entry sets one importer's mix at one stage;
    shares it leaves unnamed are spread over the other exporters in proportion to their
    surplus. With ``import_share`` a producer imports that share of its own use."""
    M, S, A = base.n_materials, base.n_stages, base.n_actors
    output = base.capacity * base.utilisation + base.recycle_capacity
    use = base.use_need
    home = np.ones((M, S, A))
    for entry in sc.trade_shares:
        if entry.import_share is None or entry.material not in sc.material_index:
            continue
        m = sc.material_index[entry.material]
        s = sc.materials[m].stage_index(entry.stage)
        home[m, s, sc.actor_index[entry.importer]] = 1.0 - float(entry.import_share.value)
    own_served = np.minimum(output, use * home)
    surplus = np.maximum(output - own_served, 0.0)  # (M, S, E) offered abroad
    share = surplus / np.maximum(surplus.sum(axis=2, keepdims=True), EPS)
    contract = np.broadcast_to(share[:, :, :, None], (M, S, A, A)).copy()
    eye = np.eye(A, dtype=bool)
    contract[:, :, eye] = 0.0
    for entry in sc.trade_shares:
        if entry.material not in sc.material_index or entry.importer not in sc.actor_index:
            continue
        m = sc.material_index[entry.material]
        s = sc.materials[m].stage_index(entry.stage)
        i = sc.actor_index[entry.importer]
        named = np.zeros(A)
        for exporter, fig in entry.shares.items():
            if exporter in sc.actor_index:
                named[sc.actor_index[exporter]] = float(fig.value)
        rest = max(0.0, 1.0 - named.sum())
        others = surplus[m, s].copy()
        others[named > 0] = 0.0
        others[i] = 0.0
        if others.sum() > EPS:
            named = named + rest * others / others.sum()
        elif named.sum() > EPS:
            named = named / named.sum()
        contract[m, s, :, i] = named
    # normalise each importer's column (exporters' shares of its imports)
    totals = contract.sum(axis=2, keepdims=True)
    contract = np.where(totals > EPS, contract / np.maximum(totals, EPS), 0.0)
    any_two_way = bool((home < 1.0).any())
    return contract, (home if any_two_way else None)
