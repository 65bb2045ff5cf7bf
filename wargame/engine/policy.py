"""Turning active measures into the arrays one turn's flow reads.

Every active measure is re-applied to fresh arrays each turn, so a lapse needs no undo:
when a measure ends, its arrays revert. Applying a measure is two steps: ``compiled`` turns
its bound arguments into indices once (cached in ``CompiledRules`` by the measure's content
key, since explanations re-apply every measure once per what-if variant), and
``apply_compiled`` writes the indices into the policy arrays with this turn's keyed draws
(``draws.py``): a measure's draws depend only on the turn seed and the measure's id.

``build_policy`` gives the same arrays as applying every measure in turn, with less work
per game and turn (a sweep builds one policy per game and turn): what does not depend on
the turn's draws is worked out once and shared (``drawless_policy``, ``restriction_plan``),
and the licence approvals are written into the allowed shares in one pass.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable

import numpy as np

from wargame.engine.baseline import Baseline
from wargame.engine.draws import (
    DelayDraw, LicenceDraw, approvals, certain_row, rounded_shares,
)
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
    # the turn's record (read it with ``turn_draws``: the licences' records are made when
    # first read, from ``licence_draws``; sweeps never read them)
    draws: list[LicenceDraw | DelayDraw] = field(default_factory=list)
    licence_draws: Callable[[], list[LicenceDraw]] | None = None
    # the market's measures (``market.py`` reads them; None/empty: none this turn)
    duty: np.ndarray | None = None  # (M, S, E, I) export duty rate set by E
    leakage: np.ndarray | None = None  # (M, S, E, I) leakage share of the restricting measure
    quotas: list[QuotaPool] = field(default_factory=list)
    cover_days: np.ndarray | None = None  # (M, S, A) days of use added to the normal stock
    reserve_new: list[tuple[int, int, int, int, float, str]] = field(
        default_factory=list)  # (m, s, host, investor, share, measure id): stakes in new capacity


@dataclass(frozen=True, slots=True)
class Licence:
    """A compiled licence restriction or extraterritorial rule (the kinds in ``DRAWING``):
    the pairs it covers, how its approvals are drawn and how the draw is recorded."""

    material: int
    block: slice | np.ndarray  # the stages covered: a run of stages is a slice
    exporter: int  # the restricting exporter (a rule's author)
    importers: tuple[int, ...]
    status_row: np.ndarray  # (A,) int: the status it gives the exporter's pairs
    worst_status: int  # the worst of them (a rule gives it to the other exporters' pairs)
    mean: float  # of the approved share (``level_params``)
    concentration: float
    key: str  # the draw key after the measure's id (``draws.py``)
    recorded: bool  # its draws are recorded: it neither bans nor leaves open
    importer_ids: list[str]
    about: tuple[str, str, str]  # (exporter id, material id, level) for the record
    leakage: float | None  # its own leakage share (None: the scenario's)
    fixed_row: np.ndarray | None  # its approvals when certain (``draws.certain_row``)
    stage_mask: np.ndarray | None  # (S,) a rule's stages (None: a restriction)
    threshold: float  # a rule's origin share that brings other exporters under it


def _own_policy(shared: Policy, allow: np.ndarray, status: np.ndarray) -> Policy:
    """The turn's own policy from a shared one (``drawless_policy``), with the given
    allowed shares and status (the shared policy's own are untouched ones and zeros).
    Its lists are its own; its arrays are the shared policy's, read-only (a batch stacks
    them at once: copies per game cost it more than building the rest of the policy),
    but for the two a turn writes in place: the leakage shares, which its restrictions
    set (``_leak_row``; the shared policy has none), and the reserved shares when it holds
    stakes in new capacity (``market._reserve_new`` adds to them). Anything else written
    in place raises (the shared arrays refuse writes); replacing an array is fine."""
    return Policy(
        allow=allow, status=status,
        reserved=shared.reserved.copy() if shared.reserve_new else shared.reserved,
        tariff=shared.tariff, cap_mult=shared.cap_mult, util_set=shared.util_set,
        demand_mult=shared.demand_mult, sector_cap=shared.sector_cap, build=shared.build,
        release=shared.release, extraterritorial=list(shared.extraterritorial),
        floors=list(shared.floors), delay_probability=shared.delay_probability,
        draws=list(shared.draws), duty=shared.duty,
        leakage=None if shared.leakage is None else shared.leakage.copy(),
        quotas=list(shared.quotas), cover_days=shared.cover_days,
        reserve_new=list(shared.reserve_new))


SHARED_ARRAYS = ("reserved", "tariff", "cap_mult", "util_set", "demand_mult", "sector_cap",
                 "build", "release", "duty", "cover_days")  # read-only in a drawless policy


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
    draw in their order. No other kind writes the arrays they write (allowed shares,
    status, leakage), so this is the same policy as applying all in turn. Their status
    does not depend on the draws (``restriction_plan``), and each caps the allowed shares
    of its pairs by its row of approvals: the minimum over the rows, taken in one pass.
    What does not depend on the turn seed is worked out once per list of measures
    (``turn_measures``)."""
    plan = turn_measures(rules, measures, turn)
    restrictions = plan.restrictions
    allow = np.ones(restrictions.status.shape)
    pol = _own_policy(plan.shared, allow, restrictions.status.copy())
    if plan.drawing:
        rows = plan.rows.copy()
        for i, key, mean, concentration, importers in plan.drawn:
            rows[i, importers] = approvals(turn_seed, key, mean, concentration,
                                           len(importers))
        rows.setflags(write=False)  # the record and the rules read them later
        for i, licence, measure_id in plan.extras:
            _row_extras(pol, licence, rows[i], measure_id)
        restrictions.cap(allow, rows)
        if record:  # made when first read (``turn_draws``)
            pol.licence_draws = partial(_licence_draws, plan.drawing, rows)
    # extraterritorial rules bite on other exporters whose output carries the author's origin
    for m, smask, author, importer_allow, threshold, status, _mid in pol.extraterritorial:
        content = origin[m, :, :, author]  # (S, E)
        hit = (content >= threshold) & smask[:, None]
        hit[:, author] = False
        if hit.any():
            where = hit[:, :, None]  # on the (S, E, I) block of the material, in place
            np.minimum(allow[m], importer_allow, out=allow[m], where=where)
            affected = np.where(importer_allow < 1.0, status, OPEN)  # statuses are >= OPEN
            np.maximum(pol.status[m], affected, out=pol.status[m], where=where)
    A = rules.baseline.n_actors
    _flat_view(allow, A * A)[:, ::A + 1] = 1.0  # a country's pairs with itself: open
    _flat_view(pol.status, A * A)[:, ::A + 1] = OPEN
    return pol


@dataclass(frozen=True)
class TurnMeasures:
    """What a turn's measures make of its policy whatever the turn seed: the measures
    that draw (in their order) and the shared policy of the others, the restrictions'
    plan, and the rows of approvals but for their draws."""

    rules: weakref.ref  # to the rules (a kept entry does not keep a scenario's rules alive)
    measures: tuple[Measure, ...]  # held: their ids key it (``turn_measures``)
    drawing: list[tuple[tuple, Measure]]
    shared: Policy  # ``drawless_policy``
    restrictions: RestrictionPlan
    rows: np.ndarray  # (R, A) read-only: the drawing measures' rows, ones where drawn
    # (row, draw key, mean, concentration, importers as an index array) of each drawn row
    drawn: tuple[tuple[int, str, float, float, np.ndarray], ...]
    # (row, licence, measure id) of the rows with a leakage share or an extraterritorial rule
    extras: tuple[tuple[int, Licence, str], ...]


# ``TurnMeasures`` by (rules, turn, the measures' ids): the games of a sweep share their
# measure objects (``planning._PlanCaches``) and mostly hold the same list at a turn. An
# entry holds the measures, so their ids are not reused while it is kept, and a weak
# reference to the rules, checked (other rules may take a dropped one's id). Bounded.
_TURN_MEASURES: dict[tuple, TurnMeasures] = {}
_TURN_MEASURES_LIMIT = 256


def turn_measures(rules: CompiledRules, measures: list[Measure], turn: int) -> TurnMeasures:
    """The ``TurnMeasures`` of ``measures`` at ``turn``, kept (the same as made afresh:
    every part depends only on the rules, the turn and the measure objects)."""
    key = (id(rules), turn, *map(id, measures))
    kept = _TURN_MEASURES.get(key)
    if kept is None or kept.rules() is not rules:
        if len(_TURN_MEASURES) >= _TURN_MEASURES_LIMIT:
            _TURN_MEASURES.clear()
        kept = _TURN_MEASURES[key] = _turn_measures(rules, tuple(measures), turn)
    return kept


def _turn_measures(rules: CompiledRules, measures: tuple[Measure, ...], turn: int,
                   ) -> TurnMeasures:
    drawing: list[tuple[tuple, Measure]] = []
    drawless: list[tuple[tuple, Measure]] = []
    for measure in measures:
        code = compiled(rules, measure)
        (drawing if code[0] in DRAWING else drawless).append((code, measure))
    rows = np.ones((len(drawing), rules.baseline.n_actors))
    drawn, extras = [], []
    for i, (code, measure) in enumerate(drawing):
        licence: Licence = code[1]
        if licence.fixed_row is not None:
            rows[i] = licence.fixed_row
        elif licence.importers:
            index = np.array(licence.importers, dtype=np.intp)
            drawn.append((i, measure.id + licence.key, licence.mean, licence.concentration,
                          index))
        if licence.leakage is not None or licence.stage_mask is not None:
            extras.append((i, licence, measure.id))
    rows.setflags(write=False)
    return TurnMeasures(rules=weakref.ref(rules), measures=measures, drawing=drawing,
                        shared=drawless_policy(rules, drawless, turn),
                        restrictions=restriction_plan(rules, drawing), rows=rows,
                        drawn=tuple(drawn), extras=tuple(extras))


def _flat_view(array: np.ndarray, width: int) -> np.ndarray:
    """``array`` seen as rows of ``width`` items, to write through: a view, as the arrays
    ``build_policy`` writes this way are fresh (C-ordered)."""
    if not array.flags.c_contiguous:  # a reshape would copy, and writes would be lost
        raise ValueError("a policy array written through a flat view must be C-ordered")
    return array.reshape(-1, width)


def drawless_policy(rules: CompiledRules, codes: list[tuple[tuple, Measure]],
                    turn: int) -> Policy:
    """The policy of ``codes``, measures that draw nothing, SHARED: its arrays are
    read-only, and every turn's own policy shares them (``_own_policy``). It depends on the
    turn and those measures' content, ids and start turns, so it is kept in
    ``rules.drawless_policies``: games of a sweep (and what-if variants of a turn) share
    most of their measures. (A measure's content key is a string that keeps its hash:
    ``Measure.compile_key``.)"""
    key = (turn, tuple((measure.compile_key, measure.id, measure.start_turn)
                       for _code, measure in codes))
    pol = rules.drawless_policies.get(key)
    if pol is None:
        pol = empty_policy(rules.baseline)
        for code, measure in codes:
            apply_compiled(rules.baseline, pol, code, measure, turn, 0, False)
        for name in SHARED_ARRAYS:  # every turn's policy shares them (``_own_policy``)
            array = getattr(pol, name)
            if array is not None:
                array.setflags(write=False)
        rules.drawless_policies.put(key, pol)
    return pol


# ----------------------------------------------------------------- licence restrictions

@dataclass(frozen=True)
class RestrictionPlan:
    """What a turn's drawing measures (licence restrictions and extraterritorial rules, in
    their order) do that their draws do not decide: the status of every pair they cover
    (the worst wins, a country's own pairs open), and which of their rows of approvals cap
    which exporter's allowed shares. Kept in ``rules.restriction_plans`` by the measures'
    content keys: most games of a sweep hold the same restrictions."""

    status: np.ndarray  # (M, S, E, I) int, read-only: copied into each turn's policy
    cells: np.ndarray  # (C,) the (m, s, e) capped, as rows of allow seen as (M*S*E, I)
    owners: np.ndarray  # (N,) the measure whose row caps each, grouped by cell
    starts: np.ndarray | None  # (C,) where each cell's group starts; None: one row each

    def cap(self, allow: np.ndarray, rows: np.ndarray) -> None:
        """Cap ``allow`` (fresh ones, (M, S, E, I)) by ``rows`` ((R, I), the measures'
        approvals in their order), each on the cells it covers. Approvals are shares in
        0..1, so the minimum with the fresh 1.0 is the smallest row of the cell."""
        capped = rows[self.owners]
        if self.starts is not None:
            capped = np.minimum.reduceat(capped, self.starts, axis=0)
        _flat_view(allow, allow.shape[-1])[self.cells] = capped


def restriction_plan(rules: CompiledRules, codes: list[tuple[tuple, Measure]],
                     ) -> RestrictionPlan:
    """The ``RestrictionPlan`` of ``codes`` (drawing measures, in their order), cached."""
    key = tuple(measure.compile_key for _code, measure in codes)
    plan = rules.restriction_plans.get(key)
    if plan is None:
        plan = rules.restriction_plans.put(key, _restriction_plan(rules.baseline, codes))
    return plan


def _restriction_plan(base: Baseline, codes: list[tuple[tuple, Measure]]) -> RestrictionPlan:
    M, S, A = base.n_materials, base.n_stages, base.n_actors
    status = np.zeros((M, S, A, A), dtype=int)
    covered: list[tuple[int, int]] = []  # (cell, owner)
    for owner, (code, _measure) in enumerate(codes):
        licence: Licence = code[1]
        m, block, exporter = licence.material, licence.block, licence.exporter
        status[m, block, exporter] = np.maximum(status[m, block, exporter], licence.status_row)
        covered += [((m * S + int(s)) * A + exporter, owner) for s in np.arange(S)[block]]
    diagonal = np.arange(A)
    status[:, :, diagonal, diagonal] = OPEN
    status.setflags(write=False)
    covered.sort()
    cells = np.array([cell for cell, _owner in covered], dtype=int)
    owners = np.array([owner for _cell, owner in covered], dtype=int)
    unique, starts = np.unique(cells, return_index=True)
    return RestrictionPlan(status=status, cells=unique, owners=owners,
                           starts=None if len(unique) == len(cells) else starts)


def _draw(pol: Policy, licence: Licence, measure: Measure, turn_seed: int) -> np.ndarray:
    """A drawing measure's row of approvals over every importer (1 where it does not
    restrict; ``draws.approvals``), with what else it writes into ``pol`` but its record
    (``_licence_draws``): ``_row_extras``. It does not cap the allowed shares
    (``_restrict_row``). (``build_policy`` does the same for all its drawing measures.)"""
    row = licence.fixed_row
    if row is None:
        row = np.ones(len(licence.status_row))  # a row over every actor
        if licence.importers:
            row[list(licence.importers)] = approvals(
                turn_seed, measure.id + licence.key, licence.mean, licence.concentration,
                len(licence.importers))
    _row_extras(pol, licence, row, measure.id)
    return row


def _row_extras(pol: Policy, licence: Licence, row: np.ndarray, measure_id: str) -> None:
    """What a drawing measure's row writes into ``pol`` besides the allowed shares: its
    leakage share, and for an extraterritorial rule the rule itself (``build_policy``
    applies it to the other exporters)."""
    if licence.leakage is not None:
        _leak_row(pol, licence, row)
    if licence.stage_mask is not None:  # the author's own exports are covered by its row too
        pol.extraterritorial.append((licence.material, licence.stage_mask, licence.exporter,
                                     row, licence.threshold, licence.worst_status,
                                     measure_id))


def turn_draws(pol: Policy) -> list[LicenceDraw | DelayDraw]:
    """The turn's record of its draws: the licences' first (their records made now if
    ``build_policy`` left them for later: rounding and validating them cost a sweep, which
    never reads them, about 4 % of its time), then the others (investments delayed)."""
    if pol.licence_draws is not None:
        pol.draws[:0] = pol.licence_draws()
        pol.licence_draws = None
    return pol.draws


def _licence_draws(drawing: list[tuple[tuple, Measure]], rows: np.ndarray,
                   ) -> list[LicenceDraw]:
    """The records of the draws of ``drawing`` (the measures whose rows of approvals
    ``rows`` are, in order) that are recorded: shares rounded to six decimals, by
    importer. An extraterritorial rule is narrated like a licence."""
    recorded = [i for i, (code, _measure) in enumerate(drawing) if code[1].recorded]
    if not recorded:
        return []
    shares = rounded_shares(rows[recorded]).tolist()
    records = []
    for i, row in zip(recorded, shares):
        licence, measure = drawing[i][0][1], drawing[i][1]
        exporter, material, level = licence.about
        records.append(LicenceDraw(
            measure_id=measure.id, exporter=exporter, material=material, level=level,
            approved_share_by_importer=dict(zip(licence.importer_ids,
                                                [row[j] for j in licence.importers])),
            extraterritorial=licence.stage_mask is not None))
    return records


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
        if prim == "export_ban":
            mean, conc, status = 0.0, 1.0, BANNED
        else:
            mean, conc, status = level_params(sc, args.get("level"))
        rule = prim == "extraterritorial_rule"
        leak = args.get("leakage_share")
        covered = np.nonzero(smask)[0]
        # a run of stages is a slice (fast to update in place); anything else an index array
        block = slice(int(covered[0]), int(covered[-1]) + 1) \
            if len(covered) and covered[-1] - covered[0] + 1 == len(covered) else covered
        status_row = np.zeros(base.n_actors, dtype=int)
        status_row[importers] = status
        importer_tuple = tuple(int(i) for i in importers)
        return ("rule" if rule else "restrict", Licence(
            material=mat, block=block, exporter=exporter, importers=importer_tuple,
            status_row=status_row, worst_status=int(status_row.max(initial=0)),
            mean=mean, concentration=conc,
            key=":extraterritorial" if rule else ":licence",
            recorded=prim in ("export_restriction", "extraterritorial_rule") and 0.0 < mean < 1.0,
            importer_ids=[sc.actors[i].id for i in importers],
            about=(sc.actors[exporter].id, sc.materials[mat].id, str(args.get("level"))),
            leakage=None if rule or leak in (None, "") else float(leak),
            fixed_row=certain_row(mean, importer_tuple, base.n_actors),
            stage_mask=smask if rule else None,
            threshold=float(args.get("threshold") or 0.001) if rule else 0.0))
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


def _leak_row(pol: Policy, licence: Licence, row: np.ndarray) -> None:
    """A restriction's own leakage share on the pairs it holds back (the smallest of the
    measures that restrict a pair; unset pairs take the scenario's default)."""
    m, block, exporter = licence.material, licence.block, licence.exporter
    if pol.leakage is None:
        pol.leakage = np.full_like(pol.allow, np.nan)
    held = row < 1.0
    current = pol.leakage[m, block, exporter]
    pol.leakage[m, block, exporter] = np.where(held, np.fmin(current, licence.leakage), current)


def _restrict_row(pol: Policy, licence: Licence, row: np.ndarray) -> None:
    """Cap one exporter's allowances towards every importer by ``row`` on the covered
    stages (``build_policy`` does this for all its drawing measures at once)."""
    m, block, exporter = licence.material, licence.block, licence.exporter
    allow = pol.allow[m, block, exporter]
    stat = pol.status[m, block, exporter]
    if isinstance(block, slice):  # views: update in place
        np.minimum(allow, row, out=allow)
        np.maximum(stat, licence.status_row, out=stat)
    else:
        pol.allow[m, block, exporter] = np.minimum(allow, row)
        pol.status[m, block, exporter] = np.maximum(stat, licence.status_row)


def apply_compiled(base: Baseline, pol: Policy, code: tuple, measure: Measure, turn: int,
                   turn_seed: int, record: bool) -> None:
    """Write one compiled measure into the policy arrays, with its keyed draws."""
    kind = code[0]
    if kind in DRAWING:
        row = _draw(pol, code[1], measure, turn_seed)
        _restrict_row(pol, code[1], row)
        if record:
            pol.draws += _licence_draws([(code, measure)], row[None, :])
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
