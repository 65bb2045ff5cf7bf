"""Turning active measures into the arrays one turn's flow reads.

Every active measure is re-applied to fresh arrays each turn, so a lapse needs no undo:
when a measure ends, its arrays revert. Applying a measure is two steps: ``compiled`` turns
its bound arguments into indices once (cached in ``CompiledRules`` by the measure's content
key, since explanations re-apply every measure once per what-if variant), and
``apply_compiled`` writes the indices into the policy arrays with this turn's keyed draws
(``draws.py``): a measure's draws depend only on the turn seed and the measure's id.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wargame.engine.baseline import Baseline
from wargame.engine.draws import DelayDraw, LicenceDraw, approval_row
from wargame.engine.trade_terms import QuotaPool
from wargame.engine.lookups import actor_indices, selection, stage_index, stage_mask
from wargame.engine.measures import Measure
from wargame.engine.rules import CompiledRules
from wargame.scenario.model import Scenario

# restriction status of an (exporter, importer) pair, worst wins; ``results.FlowStatus``
# names them in the indicators
OPEN, SLOWED, FROZEN, BANNED = 0, 1, 2, 3


@dataclass
class Policy:
    allow: np.ndarray  # (M, S, E, I) realised share of requested exports licensed
    status: np.ndarray  # (M, S, E, I) int: OPEN/SLOWED/FROZEN/BANNED
    reserved: np.ndarray  # (M, S, E, I) share of E's output reserved for I
    tariff: np.ndarray  # (M, S, E, I) ad valorem rate imposed by I
    cap_mult: np.ndarray  # (M, S, A)
    util_set: np.ndarray  # (M, S, A), nan = engine decides
    demand_mult: np.ndarray  # (A, K, M)
    sector_cap: np.ndarray  # (A, K)
    build: np.ndarray  # (M, S, A) strategic purchases, tonnes per turn
    release: np.ndarray  # (M, S, A) strategic sales, tonnes per turn
    extraterritorial: list[tuple[int, np.ndarray, int, np.ndarray, float, int, str]] = field(
        default_factory=list)  # (m, stage mask, author, allow per importer, threshold, status, measure id)
    floors: list[tuple[int, int, int, int, float, str]] = field(default_factory=list)
    delay_probability: float | None = None  # set by a set_parameter measure
    draws: list[LicenceDraw | DelayDraw] = field(default_factory=list)  # the turn's record
    # the market's measures (``market.py`` reads them; None/empty: none this turn)
    duty: np.ndarray | None = None  # (M, S, E, I) export duty rate set by E
    leakage: np.ndarray | None = None  # (M, S, E, I) leakage share of the restricting measure
    quotas: list[QuotaPool] = field(default_factory=list)
    cover_days: np.ndarray | None = None  # (M, S, A) days of use added to the normal stock
    reserve_new: list[tuple[int, int, int, int, float, str]] = field(
        default_factory=list)  # (m, s, host, investor, share, measure id): stakes in new capacity


def _copy_policy(pol: Policy) -> Policy:
    """A policy sharing nothing mutable with ``pol`` (its tuples and pools are immutable)."""
    def own(value: Any) -> Any:
        if isinstance(value, np.ndarray):
            return value.copy()
        return list(value) if isinstance(value, list) else value
    return Policy(**{name: own(value) for name, value in vars(pol).items()})


def empty_policy(base: Baseline) -> Policy:
    M, S, A, K = base.n_materials, base.n_stages, base.n_actors, base.n_sectors
    return Policy(
        allow=np.ones((M, S, A, A)), status=np.zeros((M, S, A, A), dtype=int),
        reserved=np.zeros((M, S, A, A)), tariff=np.zeros((M, S, A, A)),
        cap_mult=np.ones((M, S, A)), util_set=np.full((M, S, A), np.nan),
        demand_mult=np.ones((A, K, M)), sector_cap=np.ones((A, K)),
        build=np.zeros((M, S, A)), release=np.zeros((M, S, A)),
    )


# ----------------------------------------------------------------- restriction levels

def level_params(sc: Scenario, level: Any) -> tuple[float, float, int]:
    """(mean, concentration, status) of a restriction level id, or of a number as mean."""
    if isinstance(level, (int, float)) and not isinstance(level, bool):
        mean, concentration = float(level), 50.0
    else:
        lv = sc.level_index.get(str(level))
        if lv is None:
            fallback = {"ban": 0.0, "freeze": 0.05, "partial": 0.3, "slow_walk": 0.6,
                        "licensing": 0.98}
            mean, concentration = fallback.get(str(level), 0.05), 20.0
        else:
            mean, concentration = lv.mean, lv.concentration
    if mean <= 0.0:
        status = BANNED
    elif mean < 0.5:
        status = FROZEN
    elif mean < 0.999:
        status = SLOWED
    else:
        status = OPEN
    return mean, concentration, status


# ----------------------------------------------------------------- building the policy

DRAWING = ("restrict", "rule")  # compiled kinds that draw: they write allow, status, leakage


def build_policy(rules: CompiledRules, measures: list[Measure], turn: int, turn_seed: int,
                 origin: np.ndarray, record: bool = True) -> Policy:
    """The turn's policy arrays from its active measures; ``record`` keeps the licence
    draws for the turn's record (what-if variants of a turn do not need them).

    The measures that draw nothing are applied first, in their order, and that part is
    shared (``drawless_policy``); the licence restrictions and extraterritorial rules then
    apply their draws in their order. No other kind writes the arrays they write (allowed
    shares, status, leakage), so this is the same policy as applying all in turn."""
    base = rules.baseline
    codes = [(compiled(rules, measure), measure) for measure in measures]
    pol = drawless_policy(rules, codes, turn)
    for code, measure in codes:
        if code[0] in DRAWING:
            apply_compiled(base, pol, code, measure, turn, turn_seed, record)
    # extraterritorial rules bite on other exporters whose output carries the author's origin
    for m, smask, author, importer_allow, threshold, status, _mid in pol.extraterritorial:
        content = origin[m, :, :, author]  # (S, E)
        hit = (content >= threshold) & smask[:, None]
        hit[:, author] = False
        for s in np.nonzero(hit.any(axis=1))[0]:
            exporters = np.nonzero(hit[s])[0]
            pol.allow[m, s, exporters] = np.minimum(pol.allow[m, s, exporters], importer_allow[None, :])
            st = pol.status[m, s, exporters]
            affected = importer_allow < 1.0
            st[:, affected] = np.maximum(st[:, affected], status)
            pol.status[m, s, exporters] = st
    A = base.n_actors
    pol.allow[:, :, np.arange(A), np.arange(A)] = 1.0
    pol.status[:, :, np.arange(A), np.arange(A)] = OPEN
    return pol


def drawless_policy(rules: CompiledRules, codes: list[tuple[tuple, Measure]],
                    turn: int) -> Policy:
    """A fresh copy of the policy of the measures among ``codes`` that draw nothing. It
    depends only on the turn and those measures' content, ids and start turns, so it is
    kept in ``rules.drawless_policies``: games of a sweep (and what-if variants of a turn)
    share most of their measures."""
    key = (turn, tuple((measure.compile_key, measure.id, measure.start_turn)
                       for code, measure in codes if code[0] not in DRAWING))
    pol = rules.drawless_policies.get(key)
    if pol is None:
        pol = empty_policy(rules.baseline)
        for code, measure in codes:
            if code[0] not in DRAWING:
                apply_compiled(rules.baseline, pol, code, measure, turn, 0, False)
        rules.drawless_policies.put(key, pol)
    return _copy_policy(pol)


def stack_policies(policies: list[Policy]) -> Policy:
    """Several policies as one, stacked along the material axis (see ``state.stack_states``):
    one flow computation then serves every what-if variant of a turn. The market's
    measures (duties, leakage, quotas) travel in the stacked ``market.MarketTurn``."""
    cat0 = lambda name: np.concatenate([getattr(p, name) for p in policies], axis=0)  # noqa: E731
    return Policy(
        allow=cat0("allow"), status=cat0("status"), reserved=cat0("reserved"),
        tariff=cat0("tariff"), cap_mult=cat0("cap_mult"), util_set=cat0("util_set"),
        demand_mult=np.concatenate([p.demand_mult for p in policies], axis=2),
        sector_cap=policies[0].sector_cap, build=cat0("build"), release=cat0("release"),
    )


# ----------------------------------------------------------------- compiled measures

def compiled(rules: CompiledRules, measure: Measure) -> tuple:
    """The measure's compiled form, cached in ``rules`` by its content key (the same
    arguments bound again, by a repeated order or a re-planned turn, compile alike). The
    compiled form holds nothing of the measure's own id: draw keys are made when applied."""
    key = measure.compile_key
    code = rules.compiled_measures.get(key)
    if code is None:
        code = rules.compiled_measures.put(
            key, _compile(rules.scenario, rules.baseline, measure))
    return code


def _compile(sc: Scenario, base: Baseline, measure: Measure) -> tuple:
    """A tuple whose first item names what ``apply_compiled`` does; ("skip",) when the
    measure names something the scenario does not have."""
    prim, args = measure.primitive, measure.args
    mat = sc.material_index.get(args.get("material")) if "material" in args else None
    if prim in ("export_restriction", "export_ban", "extraterritorial_rule"):
        source = args.get("author") if prim == "extraterritorial_rule" else args.get("exporter")
        exporter = sc.actor_index.get(source)
        if exporter is None or mat is None:
            return ("skip",)
        importers = np.asarray(actor_indices(sc, args.get("importers"), exclude=exporter), dtype=int)
        smask = stage_mask(sc, base, mat, args.get("stages"))
        stages = np.nonzero(smask)[0][:, None]
        if prim == "export_ban":
            mean, conc, status = 0.0, 1.0, BANNED
        else:
            mean, conc, status = level_params(sc, args.get("level"))
        key = ":extraterritorial" if prim == "extraterritorial_rule" else ":licence"
        record = prim in ("export_restriction", "extraterritorial_rule") and 0.0 < mean < 1.0
        leak = args.get("leakage_share")
        leak = None if leak in (None, "") else float(leak)
        ids = [sc.actors[i].id for i in importers]
        covered = np.nonzero(smask)[0]
        # a run of stages is a slice (fast to update in place); anything else an index array
        block = slice(int(covered[0]), int(covered[-1]) + 1) \
            if len(covered) and covered[-1] - covered[0] + 1 == len(covered) else covered
        status_row = np.zeros(base.n_actors, dtype=int)
        status_row[importers] = status
        target = (mat, block, exporter, tuple(int(i) for i in importers), status_row)
        about = (sc.actors[exporter].id, sc.materials[mat].id, str(args.get("level")))
        if prim == "extraterritorial_rule":
            return ("rule", target, mean, conc, key, smask, float(args.get("threshold") or 0.001),
                    record, ids, about)
        return ("restrict", target, mean, conc, key, record, ids, about, leak)
    if prim in ("offtake", "equity_stake"):
        buyer = sc.actor_index.get(args.get("buyer") if prim == "offtake" else args.get("investor"))
        seller = sc.actor_index.get(args.get("seller") if prim == "offtake" else args.get("host"))
        if buyer is None or seller is None or mat is None or buyer == seller:
            return ("skip",)
        share = float(args.get("share") if prim == "offtake" else args.get("reserved_share") or 0)
        stage = stage_index(sc, mat, args.get("stage"))
        if prim == "equity_stake" and args.get("reserves") == "new":
            return ("reserve_new", mat, stage, seller, buyer, share)
        return ("reserve", mat, stage, seller, buyer, share)
    if prim == "export_quota" and args.get("materials") not in (None, "", []):
        mats = selection(sc.material_index, args.get("materials"), len(sc.materials))
        mat = mats[0] if mats else None
    else:
        mats = [mat] if mat is not None else []
    if prim in ("export_quota", "export_duty"):
        exporter = sc.actor_index.get(args.get("exporter"))
        if exporter is None or mat is None:
            return ("skip",)
        importers = np.asarray(actor_indices(sc, args.get("importers"), exclude=exporter), dtype=int)
        smask = stage_mask(sc, base, mat, args.get("stages"))
        if prim == "export_duty":
            stages = np.nonzero(smask)[0][:, None]
            return ("duty", mat, stages, exporter, importers, float(args.get("rate") or 0))
        leak = args.get("leakage_share")
        tonnes = float(args.get("tonnes_per_year") or 0) * base.turn_fraction
        groups = [[int(i)] for i in importers] if args.get("per") == "destination" \
            else [[int(i) for i in importers]]
        masks = []
        for group in groups:
            mask = np.zeros(base.n_actors, dtype=bool)
            mask[group] = True
            masks.append(mask)
        for other in mats[1:]:  # a shared quota covers the listed stages of each material
            smask = smask | stage_mask(sc, base, other, args.get("stages"))
        return ("quota", tuple(mats), exporter, smask, tuple(masks), max(tonnes, 0.0),
                None if leak in (None, "") else float(leak))
    if prim == "tariff":
        importer = sc.actor_index.get(args.get("importer"))
        if importer is None or mat is None:
            return ("skip",)
        exporters = np.asarray(actor_indices(sc, args.get("exporters"), exclude=importer), dtype=int)
        stages = np.nonzero(stage_mask(sc, base, mat, args.get("stages")))[0][:, None]
        return ("tariff", mat, stages, exporters, importer, float(args.get("rate") or 0))
    if prim == "price_floor":
        payer = sc.team_index.get(args.get("payer"))
        producer = sc.actor_index.get(args.get("producer"))
        if payer is None or producer is None or mat is None:
            return ("skip",)
        return ("floor", payer, producer, mat, stage_index(sc, mat, args.get("stage")),
                float(args.get("floor") or 0))
    if prim == "stockpile":
        actor = sc.actor_index.get(args.get("actor"))
        if actor is None or mat is None:
            return ("skip",)
        return ("stockpile", mat, stage_index(sc, mat, args.get("stage")), actor,
                args.get("action") == "build", float(args.get("tonnes") or 0))
    if prim == "substitution":
        actor = sc.actor_index.get(args.get("actor"))
        sector = sc.sector_index.get(args.get("sector"))
        if actor is None or sector is None or mat is None:
            return ("skip",)
        return ("substitute", actor, sector, mat, max(1, int(float(args.get("lag_turns") or 1))),
                float(args.get("share") or 0))
    if prim == "tech_export_control":
        target = sc.actor_index.get(args.get("target"))
        sector = sc.sector_index.get(args.get("sector"))
        if target is None or sector is None:
            return ("skip",)
        return ("tech", target, sector, float(args.get("severity") or 0))
    if prim == "set_parameter":
        if args.get("parameter") == "capacity" and args.get("op") in ("add", "set") \
                and measure.end_turn is None:
            return ("skip",)  # a permanent change, made to the state when it started
        return _compile_set_parameter(sc, base, args)
    return ("skip",)


def _compile_set_parameter(sc: Scenario, base: Baseline, args: dict[str, Any]) -> tuple:
    """Lasting modifiers as one flat index into a policy array and what to do there;
    one-off changes (stock, price, budget, political capital) happen when the measure starts."""
    parameter, op = args.get("parameter"), args.get("op") or "scale"
    value = float(args.get("value") or 0)
    if parameter == "delay_probability":
        return ("delay", float(np.clip(value, 0, 1)))
    if parameter == "stock_cover_days":
        triples = []
        actors = selection(sc.actor_index, args.get("actor"), base.n_actors)
        for m in selection(sc.material_index, args.get("material"), base.n_materials):
            stages = [stage_index(sc, m, args["stage"])] if args.get("stage") else \
                list(range(base.stage_count[m]))
            triples += [(m, st, a) for st in stages for a in actors]
        if not triples:
            return ("skip",)
        index = tuple(np.array(axis, dtype=int) for axis in zip(*triples))
        return ("cover", index, op, value)
    triples: list[tuple[int, int, int]] = []
    if parameter in ("capacity", "utilisation"):
        actors = selection(sc.actor_index, args.get("actor"), base.n_actors)
        for m in selection(sc.material_index, args.get("material"), base.n_materials):
            stages = [stage_index(sc, m, args["stage"])] if args.get("stage") else \
                list(range(base.stage_count[m]))
            triples += [(m, st, a) for st in stages for a in actors]
        reference = base.capacity / base.turn_fraction  # t/yr
        target = "cap_mult" if parameter == "capacity" else "util_set"
    elif parameter == "demand":
        mats = selection(sc.material_index, args.get("material"), base.n_materials)
        triples = [(a, k, m) for a in selection(sc.actor_index, args.get("actor"), base.n_actors)
                   for k in selection(sc.sector_index, args.get("sector"), base.n_sectors)
                   for m in mats]
        reference = base.demand / base.turn_fraction  # t/yr
        target = "demand_mult"
    else:
        return ("skip",)
    if not triples:
        return ("skip",)
    index = tuple(np.array(axis, dtype=int) for axis in zip(*triples))
    if target == "util_set":
        return ("modify", target, index, "util_set" if op == "set" else "util_scale", value)
    ref = reference[index]
    if op == "scale":
        return ("modify", target, index, "scale", value)
    # 'set' and 'add' take t/yr and become multipliers of the baseline where it exists
    known = ref > 0
    index = tuple(axis[known] for axis in index)
    if not len(index[0]):
        return ("skip",)
    amount = value / ref[known]
    return ("modify", target, index, "set" if op == "set" else "add", amount)


def _leak_row(pol: Policy, base: Baseline, target: tuple, row: np.ndarray,
              leak: float) -> None:
    """A restriction's own leakage share on the pairs it holds back (the smallest of the
    measures that restrict a pair; unset pairs take the scenario's default)."""
    m, block, exporter, _importers, _status = target
    if pol.leakage is None:
        pol.leakage = np.full_like(pol.allow, np.nan)
    held = row < 1.0
    current = pol.leakage[m, block, exporter]
    pol.leakage[m, block, exporter] = np.where(held, np.fmin(current, leak), current)


def _restrict_row(pol: Policy, target: tuple, row: np.ndarray) -> None:
    """Cap one exporter's allowances towards every importer by ``row`` on the covered stages."""
    m, block, exporter, _importers, status_row = target
    allow = pol.allow[m, block, exporter]
    stat = pol.status[m, block, exporter]
    if isinstance(block, slice):  # views: update in place
        np.minimum(allow, row, out=allow)
        np.maximum(stat, status_row, out=stat)
    else:
        pol.allow[m, block, exporter] = np.minimum(allow, row)
        pol.status[m, block, exporter] = np.maximum(stat, status_row)


def apply_compiled(base: Baseline, pol: Policy, code: tuple, measure: Measure, turn: int,
                   turn_seed: int, record: bool) -> None:
    """Write one compiled measure into the policy arrays, with its keyed draws."""
    kind = code[0]
    if kind == "restrict":
        _, target, mean, conc, key, draws, ids, (exporter, material, level), leak = code
        mid = measure.id
        row = approval_row(turn_seed, mid + key, mean, conc, target[3], base.n_actors)
        if draws and record:
            approved = [round(float(row[i]), 6) for i in target[3]]
            pol.draws.append(LicenceDraw(
                measure_id=mid, exporter=exporter, material=material, level=level,
                approved_share_by_importer=dict(zip(ids, approved))))
        _restrict_row(pol, target, row)
        if leak is not None:
            _leak_row(pol, base, target, row, leak)
    elif kind == "rule":
        _, target, mean, conc, key, smask, threshold, draws, ids, (author, material, level) = code
        mid = measure.id
        row = approval_row(turn_seed, mid + key, mean, conc, target[3], base.n_actors)
        if draws and record:  # narrated like licence draws (``wording.licence_sentence``)
            approved = [round(float(row[i]), 6) for i in target[3]]
            pol.draws.append(LicenceDraw(
                measure_id=mid, exporter=author, material=material, level=level,
                approved_share_by_importer=dict(zip(ids, approved)), extraterritorial=True))
        _restrict_row(pol, target, row)  # the author's own exports are covered too
        pol.extraterritorial.append((target[0], smask, target[2], row, threshold,
                                     int(target[4].max(initial=0)), mid))
    elif kind == "reserve_new":
        pol.reserve_new.append((*code[1:], measure.id))
    elif kind == "duty":
        _, m, stages, exporter, importers, rate = code
        if pol.duty is None:
            pol.duty = np.zeros_like(pol.tariff)
        pol.duty[m][stages, exporter, importers[None, :]] += rate
    elif kind == "quota":
        _, mats, exporter, smask, masks, tonnes, leak = code
        for mask in masks:
            pol.quotas.append(QuotaPool(mats[0], exporter, smask, mask, tonnes,
                                        -1.0 if leak is None else leak, measure.id,
                                        shared=tuple(mats[1:])))
    elif kind == "reserve":
        _, m, s, seller, buyer, share = code
        pol.reserved[m, s, seller, buyer] = min(1.0, pol.reserved[m, s, seller, buyer] + share)
    elif kind == "tariff":
        _, m, stages, exporters, importer, rate = code
        pol.tariff[m][stages, exporters[None, :], importer] += rate
    elif kind == "floor":
        pol.floors.append((*code[1:], measure.id))
    elif kind == "stockpile":
        _, m, s, actor, build, tonnes = code
        (pol.build if build else pol.release)[m, s, actor] += tonnes
    elif kind == "substitute":
        _, actor, sector, m, lag, share = code
        elapsed = turn - measure.start_turn
        ramp = 0.0 if elapsed < lag else min(1.0, (elapsed - lag + 1) / lag)
        pol.demand_mult[actor, sector, m] *= 1.0 - share * ramp
    elif kind == "tech":
        _, target, sector, severity = code
        pol.sector_cap[target, sector] = min(pol.sector_cap[target, sector], 1.0 - severity)
        pol.demand_mult[target, sector, :] *= 1.0 - severity  # it cannot use what it cannot make
    elif kind == "modify":
        _, target, index, how, amount = code
        array = getattr(pol, target)
        if how == "scale":
            array[index] = np.maximum(array[index] * amount, 0.0)
        elif how == "set":
            array[index] = np.maximum(amount, 0.0)
        elif how == "add":
            array[index] = np.maximum(array[index] + amount, 0.0)
        elif how == "util_set":
            array[index] = np.clip(amount, 0.0, 1.0)
        else:  # util_scale
            array[index] = np.nan_to_num(array[index], nan=1.0) * amount
    elif kind == "delay":
        pol.delay_probability = code[1]
    elif kind == "cover":
        _, index, op, value = code
        if pol.cover_days is None:
            pol.cover_days = np.zeros_like(pol.cap_mult)
        if op == "set":
            pol.cover_days[index] = value
        elif op == "add":
            pol.cover_days[index] += value
        else:  # scale: of the days added so far (a 'scale' of nothing stays nothing)
            pol.cover_days[index] *= value
