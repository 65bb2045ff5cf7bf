"""Explanations: which orders and injects moved the headline figures, and by how much.

Leave-one-out with common random numbers: the turn is re-resolved without each group of
measures (an order, an inject, a standing order), with exactly the turn's draws (they are
keyed on measure ids: ``draws.py``), and the supply-met and price headlines are compared.
Materials never interact within a turn's flow, so only the materials a variant changes
are moved, every variant's stacked along the material axis in ONE pass
(``what_if_headlines``, ``variants.py``): with a dozen groups this is many times faster
than resolving them one by one, and a test checks both give the same numbers.

Prices are compared at each material's headline stage (``Baseline.headline_stage``) and at
its other stages; a sentence tells another stage only when it moved more than the headline
(an ore ban seen at the ore, an oxide spike the magnet price damps), in the headline's
sentence when that is told too (``_fold_stages``), so the room hears each story once.

Each sentence is an ``Explanation`` naming the groups it cites; it is not public (not read
to the room) when one of them is a covert move.
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from wargame.engine.draws import DelayDraw, LicenceDraw
from wargame.engine.flow import FlowResult, run_flow
from wargame.engine.indicators import (
    Headlines, before_headlines, headline_dict, headline_values, stage_price_index,
)
from wargame.engine.lookups import actor_indices, stage_index, stage_mask
from wargame.engine.market import settle_prices, stack_market_turns
from wargame.engine.measures import INJECT_GROUP, ORDER_GROUP, Measure, PipelineEntry
from wargame.engine.phrases import tonnes
from wargame.engine.planning import TurnPlan
from wargame.engine.policy import stack_policies, turn_draws
from wargame.engine.results import Explanation, FiredInject
from wargame.engine.rules import CompiledRules
from wargame.engine.simulate import Prepared, prepare_plan, simulate_plan
from wargame.engine.state import GameState, stack_states
from wargame.engine.variants import take_market, take_policy, take_state, touched_materials
from wargame.engine.wording import (
    SLIP_SENTENCE, arrival_sentence, country, inject_sentence, join, licence_sentence,
    finite_number, lower_name, material_stage, material_word, possessive, pct, slip_sentence,
    stage_word, team_label,
)
from wargame.scenario.model import Scenario

SENTENCE_LIMIT = 14  # headline sentences per turn, the largest changes first
SUPPLY_CAUSE, PRICE_CAUSE = 0.02, 0.05  # a group 'moved' a headline by at least this
SUPPLY_NEWS, PRICE_NEWS = 0.03, 0.05  # a change worth a sentence even without a cause
MOVED_LIMIT = 3  # figures named in an order's line (the largest effects)
VIA_SHARE = 0.2  # a supplier whose holdings are this much of a source's origin passes it on
FULLY_MET = 0.999  # a material's demand counts as met in full everywhere
# measures that take supply away (the others add it or move money)
RESTRICTIVE = frozenset({"export_restriction", "export_ban", "extraterritorial_rule", "tariff",
                         "tech_export_control", "export_quota", "export_duty"})


def what_if_headlines(rules: CompiledRules, plan: TurnPlan, excludes: list[str],
                      turn: tuple[np.ndarray, FlowResult] | None = None) -> list[Headlines]:
    """Headlines of the turn re-resolved without each group in ``excludes``. Only the
    materials a variant changes are moved, every variant's in one stacked pass
    (``variants.py``); ``turn`` is the turn's own (end-of-turn prices, flow), simulated
    here when not given."""
    if not excludes:
        return []
    sc, base = rules.scenario, rules.baseline
    if turn is None:
        prepared_turn, flow_turn = simulate_plan(rules, plan)
        turn = (prepared_turn.state.price, flow_turn)
    price, flow = turn
    reference = prepare_plan(rules, plan)
    variants = [prepare_plan(rules, plan, group) for group in excludes]
    parts = []
    for n, variant in enumerate(variants):
        idx = np.nonzero(touched_materials(reference, variant, base.demand))[0]
        if len(idx):
            parts.append((n, idx))
    moved: dict[int, tuple[np.ndarray, slice]] = {}
    if parts:
        order = tuple(int(m) for _, idx in parts for m in idx)
        sel_base, sel_market = rules.selected(order)
        sizes = [len(idx) for _, idx in parts]
        state = stack_states([take_state(variants[n].state, idx) for n, idx in parts])
        pol = stack_policies([take_policy(variants[n].policy, idx) for n, idx in parts])
        mt = stack_market_turns([take_market(variants[n].market, idx) for n, idx in parts],
                                sizes)
        stacked = run_flow(sel_base, state, pol, sc.price_response.market_flexibility,
                           sc.price_response.rationing_strength, mt.terms, mt.demand_response,
                           mt.demand_level)
        settle_prices(sel_market, sel_base, state, stacked, mt)
        start = 0
        for (n, idx), size in zip(parts, sizes):
            moved[n] = (idx, slice(start, start + size))
            start += size
    heads = []
    for n, variant in enumerate(variants):
        v_price, v_demand, v_met = price, flow.sector_demand, flow.sector_met
        if n in moved:
            idx, part = moved[n]
            v_price, v_demand, v_met = price.copy(), v_demand.copy(), v_met.copy()
            v_price[idx] = state.price[part]
            v_demand[:, :, idx] = stacked.sector_demand[:, :, part]
            v_met[:, :, idx] = stacked.sector_met[:, :, part]
        heads.append(headline_dict(sc, *headline_values(
            base, v_price, variant.policy.sector_cap, v_demand, v_met),
            stage_price_index(base, v_price), base))
    return heads


def _groups(plan: TurnPlan) -> tuple[dict[str, str], set[str]]:
    """(label of every group active this turn, the covert ones)."""
    labels: dict[str, str] = {}
    covert: set[str] = set()
    for measure in plan.measures:
        labels.setdefault(measure.group, measure.label)
        if not measure.public:
            covert.add(measure.group)
    for entry in plan.state.pipeline:
        labels.setdefault(entry.group, entry.label)
        if not entry.public:
            covert.add(entry.group)
    for group, label, _ in plan.endings:  # an end_measure is measured by what it undid
        labels.setdefault(group, label)
    return labels, covert


def _actor_name(sc: Scenario, actor: str) -> str:
    return country(sc.actor(actor).name)


def _headline_stage(rules: CompiledRules, material: str) -> str:
    """The id of the stage whose price is ``material``'s headline (the designer's
    ``headline_stage``, else the last)."""
    sc = rules.scenario
    m = sc.material_index[material]
    return sc.materials[m].stages[int(rules.baseline.headline_stage[m])].id


def _price_subject(rules: CompiledRules, material: str, stage: str = "") -> str:
    """'the Dy/Tb price (magnet making stage)': at the headline stage (``stage`` '') or at
    the stage named."""
    sc = rules.scenario
    stage = stage or _headline_stage(rules, material)
    return f"the {material_word(sc, material)} price ({stage_word(sc, material, stage)} stage)"


def _at_stage(rules: CompiledRules, material: str, stage: str) -> str:
    """'at the mining stage'."""
    return f"at the {stage_word(rules.scenario, material, stage)} stage"


def _moved(key: tuple[str, str, str], value: float, other: float,
           rules: CompiledRules) -> str:
    """'the European Union's wind power supply 92 % (100 % without it)'."""
    sc = rules.scenario
    if key[0] == "supply":
        _, actor, sector = key
        return (f"{possessive(_actor_name(sc, actor))} {lower_name(sc.sector(sector).name)} "
                f"supply {pct(value)} ({pct(other)} without it)")
    return (f"{_price_subject(rules, key[1], key[2])} {value:.2f}x its baseline "
            f"({other:.2f}x without it)")


def _fold_moved(moved: list[tuple[float, tuple[str, str, str]]],
                ) -> list[tuple[float, tuple[str, str, str]]]:
    """Of the figures a group moved (largest first), a material's prices at stages other
    than its headline only the one that moved most, and only if it moved more than the
    headline price (the same rule as ``_fold_stages``)."""
    headline = {key[1]: size for size, key in moved if key[0] == "price" and not key[2]}
    kept, told = [], set()
    for size, key in moved:
        if key[0] == "price" and key[2]:
            if key[1] in told or size <= headline.get(key[1], 0.0) + 1e-9:
                continue
            told.add(key[1])
        kept.append((size, key))
    return kept


def _cause_threshold(key: tuple[str, str, str]) -> float:
    return SUPPLY_CAUSE if key[0] == "supply" else PRICE_CAUSE


def explain_changes(rules: CompiledRules, plan: TurnPlan, full: Headlines,
                    previous: GameState, limit: int = SENTENCE_LIMIT,
                    alternatives: dict[str, Headlines] | None = None,
                    flow: FlowResult | None = None,
                    turn: tuple[np.ndarray, FlowResult] | None = None) -> list[Explanation]:
    """Sentences on the headlines that changed or that a group moved, largest first. An
    effect on a country the measure did not name says why (``third_party_reason``).
    ``alternatives``: the what-if headlines per group, when already computed; ``turn``:
    the turn's own (end-of-turn prices, flow) for computing them (``what_if_headlines``)."""
    sc = rules.scenario
    labels, covert = _groups(plan)
    full = {key: round(value, 6) for key, value in full.items()}
    last = previous.last or {}
    before = before_headlines(sc, last)
    if alternatives is None:
        names = list(labels)
        alternatives = dict(zip(names, what_if_headlines(rules, plan, names, turn)))
    effects: dict[tuple[str, str, str], list[tuple[float, str, float]]] = {}
    for group, alt in alternatives.items():
        for key, value in full.items():
            other = alt.get(key, value)
            if abs(other - value) >= _cause_threshold(key):
                effects.setdefault(key, []).append((value - other, group, other))
    items: list[dict[str, Any]] = []
    for key, value in full.items():
        prior = before.get(key)
        change = value - prior if prior is not None else 0.0
        causes = sorted(effects.get(key, []), key=lambda c: -abs(c[0]))[:2]
        threshold = SUPPLY_NEWS if key[0] == "supply" else PRICE_NEWS
        if not causes and abs(change) < threshold:
            continue
        if key[0] == "supply":
            _, actor, sector = key
            subject = (f"{possessive(_actor_name(sc, actor))} "
                       f"{lower_name(sc.sector(sector).name)} supply")
            if prior is not None and abs(change) >= 0.005:
                head = (f"{subject} {'fell' if change < 0 else 'rose'} "
                        f"{abs(change) * 100:.0f} points to {pct(value)}")
            else:
                head = f"{subject} is at {pct(value)} of demand"
            shown = pct
        else:
            _, material, stage = key
            subject = _price_subject(rules, material, stage)
            if prior is not None and abs(change) >= 0.01:
                head = f"{subject} {'fell' if change < 0 else 'rose'} to {value:.2f}x its baseline"
            else:
                head = f"{subject} stands at {value:.2f}x its baseline"
            shown = _times
        items.append({"key": key, "value": value, "head": head, "shown": shown,
                      "causes": [(group, other) for _, group, other in causes],
                      "weight": max([abs(change)] + [abs(c[0]) for c in causes])})
    sentences: list[tuple[float, Explanation]] = []
    for item in _fold_stages(rules, items):
        key = item["key"]
        parts = []
        for group, other in item["causes"]:
            part = (f"without {labels[group]} it would have been {item['shown'](other)}"
                    + item.get("extra", {}).get(group, ""))
            why = third_party_reason(rules, plan, group, key[1], flow) \
                if flow is not None and key[0] == "supply" else None
            parts.append(part + (f", {why}" if why else ""))
        if not parts:
            lapsed = last.get("lapsed") or []
            if lapsed:
                parts = [f"{join(lapsed)} ended last turn; stocks and prices adjust with a lag"]
            else:
                parts = ["no single order or event explains it (stocks, lagged prices and "
                         "investment did)"]
        head = item["head"]
        text = head[0].upper() + head[1:] + "; " + "; ".join(parts) + "."
        cited = tuple(group for group, _ in item["causes"])
        sentences.append((item["weight"], Explanation(
            text=text, groups=cited, public=not covert.intersection(cited), kind="change")))
    sentences.sort(key=lambda item: -item[0])
    return [sentence for _, sentence in sentences[:limit]]


def _times(value: float) -> str:
    return f"{value:.2f}x"


def _fold_stages(rules: CompiledRules, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Of a material's stages other than its headline, tell only the one that moved most,
    and only if it moved more than the headline price (an ore ban seen at the ore, an oxide
    spike the magnet price damps); when the headline is told too, in the same sentence:
    the room hears each story once."""
    headline = {item["key"][1]: item for item in items
                if item["key"][0] == "price" and not item["key"][2]}
    best: dict[str, dict[str, Any]] = {}
    for item in items:
        key = item["key"]
        if key[0] == "price" and key[2] and \
                (key[1] not in best or item["weight"] > best[key[1]]["weight"]):
            best[key[1]] = item
    out = [item for item in items if not (item["key"][0] == "price" and item["key"][2])]
    for material, stage_item in best.items():
        main = headline.get(material)
        if main is not None and stage_item["weight"] <= main["weight"] + 1e-9:
            continue
        if main is None:
            out.append(stage_item)
            continue
        where = _at_stage(rules, material, stage_item["key"][2])
        main["head"] += f" ({where}: {stage_item['value']:.2f}x)"
        extra = main.setdefault("extra", {})
        known = {group for group, _ in main["causes"]}
        for group, other in stage_item["causes"]:
            if group in known:
                extra[group] = f" ({other:.2f}x {where})"
            else:
                main["causes"].append((group, other))
                extra[group] = f" {where}"
        main["weight"] = max(main["weight"], stage_item["weight"])
    return out


# ----------------------------------------------------------------- why a third party

_TRADE_RULES = ("export_restriction", "export_ban", "extraterritorial_rule")


def _trade_measure(plan: TurnPlan, group: str) -> Measure | None:
    return next((m for m in plan.measures if m.group == group
                 and m.primitive in _TRADE_RULES), None)


def third_party_reason(rules: CompiledRules, plan: TurnPlan, group: str, actor: str,
                       flow: FlowResult) -> str | None:
    """Why a trade measure that did not name ``actor`` still moved its supply: 'because its
    gallium came from China via Japan', or 'because buyers cut off from China's gallium
    bid it away'. None when the measure named the actor (or is not a trade measure)."""
    sc = rules.scenario
    measure = _trade_measure(plan, group)
    if measure is None or measure.args.get("material") not in sc.material_index:
        return None
    args = measure.args
    source_id = args.get("author") if measure.primitive == "extraterritorial_rule" \
        else args.get("exporter")
    if source_id not in sc.actor_index or actor not in sc.actor_index:
        return None
    source, x = sc.actor_index[source_id], sc.actor_index[actor]
    targets = actor_indices(sc, args.get("importers"), exclude=source)
    if x in targets or x == source:
        return None
    m = sc.material_index[args["material"]]
    word = material_word(sc, args["material"])
    bought = flow.flows[m, :, :, x].sum(axis=0)  # (E,) what x took from each, all stages
    bought[x] = 0.0
    # a supplier the measure cut off passed the shortage on: 'came from China via Japan'
    cut_off = [t for t in targets if bought[t] > 1e-9]
    if cut_off:
        supplier = max(cut_off, key=lambda t: bought[t])
        return (f"because its {word} came from {_actor_name(sc, source_id)} via "
                f"{_actor_name(sc, sc.actors[supplier].id)}")
    origin = plan.state.origin[m]  # (S, A holder, A origin)
    if bought.max() > 1e-9:
        supplier = int(bought.argmax())
        if supplier != source and origin[:, supplier, source].max() >= VIA_SHARE:
            return (f"because its {word} came from {_actor_name(sc, source_id)} via "
                    f"{_actor_name(sc, sc.actors[supplier].id)}")
    names = join([_actor_name(sc, sc.actors[t].id) for t in targets]) \
        if len(targets) <= 3 else "the buyers it cut off"
    return f"because {names}, cut off from {_actor_name(sc, source_id)}'s {word}, bid it away"


# ----------------------------------------------------------------- every order and event

def _licence_part(draws: list[LicenceDraw]) -> str | None:
    shares = [v for d in draws for v in d.approved_share_by_importer.values()]
    if not shares:
        return None
    low, high = min(shares), max(shares)
    approved = pct(low) if round(low * 100) == round(high * 100) else \
        f"{pct(low)[:-2]}–{pct(high)}"
    if all(d.extraterritorial for d in draws):  # other countries' exports, origin content
        return f"{approved} of licence requests for goods shipped from third countries approved"
    return f"{approved} of licence requests approved"


def _no_effect_reason(rules: CompiledRules, group: str, measures: list[Measure],
                      plan: TurnPlan, prepared: Prepared, flow: FlowResult,
                      full: Headlines, alternative: Headlines | None,
                      labels: dict[str, str]) -> str:
    """Why a group moved no headline figure this turn, as a clause after 'because'."""
    sc = rules.scenario
    plan_state = plan.state
    building = [e for e in prepared.state.pipeline if e.group == group]
    if building:
        entry = building[0]
        when = f"on turn {entry.due_turn}"
        last = plan.last_turn or sc.turns
        if entry.due_turn > last:
            whose = "scenario" if plan.last_turn in (None, sc.turns) else "exercise"
            when += f", after the {whose}'s last turn ({last})"
        return f"the capacity is being built: it arrives {when}"
    first = measures[0] if measures else None
    if first is not None and first.primitive == "substitution":
        lag = int(finite_number(first.args.get("lag_turns")))
        if lag > 0:
            return f"it starts on turn {first.start_turn + lag}"
    for measure in measures:
        reason = _route_reason(rules, measure, group, prepared.measures, flow, labels,
                               plan_state, prepared.state)
        if reason:
            return reason
    if first is not None and first.primitive == "price_floor":
        a = first.args
        if a.get("material") in sc.material_index and a.get("producer") in sc.actor_index:
            m = sc.material_index[a["material"]]
            s = stage_index(sc, m, a.get("stage"))
            price = float(prepared.state.price[m, s, sc.actor_index[a["producer"]]])
            floor = finite_number(a.get("floor"))
            if price >= floor:
                return (f"the market price (USD {price:,.0f}/kg) stayed above the floor "
                        f"(USD {floor:,.0f}/kg)")
    materials = {m.args.get("material") for m in measures} & set(sc.material_index)
    if first is not None and first.primitive not in RESTRICTIVE and materials:
        short = [mat for mat in sorted(materials)
                 if _shortest_supply(flow, sc.material_index[mat]) < FULLY_MET]
        if not short:
            words = join([material_word(sc, mat) for mat in sorted(materials)])
            return (f"{words} demand was met in full everywhere, so there was no shortage "
                    "for it to relieve")
    largest = ""
    if alternative:
        diffs = sorted(((abs(full[k] - alternative.get(k, full[k])), k) for k in full),
                       reverse=True)
        if diffs and diffs[0][0] > 1e-4:
            key = diffs[0][1]
            largest = "; the largest change: " + _moved(key, full[key], alternative[key],
                                                        rules)
    return (f"the change is too small to show (under {SUPPLY_CAUSE * 100:.0f} points of "
            f"supply met and {PRICE_CAUSE * 100:.0f} % of price){largest}")


def _shortest_supply(flow: FlowResult, m: int) -> float:
    """The lowest share of demand met for material ``m`` over actors and sectors."""
    demand = flow.sector_demand[:, :, m]
    met = flow.sector_met[:, :, m][demand > 1e-9]
    return float(met.min()) if met.size else 1.0


def _route_reason(rules: CompiledRules, measure: Measure, group: str,
                  plan_measures: list[Measure], flow: FlowResult, labels: dict[str, str],
                  plan_state: GameState, end_state: GameState) -> str | None:
    """For a restriction, ban or tariff: no trade on its route, trade let through almost in
    full, or a gap that stocks or other suppliers covered (None for other measures)."""
    sc, base = rules.scenario, rules.baseline
    routes = _routes(sc, base, measure)
    if routes is None:
        return None
    m, stages, exporters, importers = routes
    requested = float(flow.requested[m][stages][:, exporters][:, :, importers].sum())
    moved = float(flow.flows[m][stages][:, exporters][:, :, importers].sum())
    word = material_word(sc, sc.materials[m].id)
    where = "" if stages.sum() >= base.stage_count[m] else " at the " + join(
        [stage_word(sc, sc.materials[m].id, st.id) for k, st in enumerate(sc.materials[m].stages)
         if stages[k]]) + " stage"
    sellers = join([_actor_name(sc, sc.actors[e].id) for e in exporters]) \
        if len(exporters) <= 3 else "its suppliers"
    if requested <= 1e-6 and moved <= 1e-6:
        if len(importers) > 3:
            return f"there is no trade on that route (no one buys {word}{where} from {sellers})"
        buyers = join([_actor_name(sc, sc.actors[i].id) for i in importers])
        verb = "buys" if len(importers) == 1 else "buy"
        return f"there is no trade on that route ({buyers} {verb} no {word}{where} from {sellers})"
    held = max(0.0, requested - moved)
    if held <= 0.02 * requested:
        return "it held back almost nothing: licences were approved almost in full"
    others = [labels[other.group] for other in plan_measures
              if other.group != group and other.group in labels
              and (r := _routes(sc, base, other)) is not None and r[0] == m
              and set(r[2]) & set(exporters) and set(r[3]) & set(importers)]
    together = f" (together with {join(sorted(set(others)))})" if others else ""
    # the buyers' own stocks of the material, at every stage (a restriction on oxide is
    # often covered from magnet stocks); the state arrays are per actor, the flow's are not
    start = plan_state.stock[m][:, importers] + plan_state.strategic[m][:, importers]
    end = end_state.stock[m][:, importers] + end_state.strategic[m][:, importers]
    drawn = float((start - end).sum())
    if drawn > 0.1 * held:
        return (f"stocks covered the gap: {tonnes(held)} t of {word} were held back this turn"
                f"{together} and {tonnes(drawn)} t were drawn from stocks")
    return (f"other suppliers made up for the {tonnes(held)} t of {word} held back this turn"
            f"{together}")


def _routes(sc: Scenario, base, measure: Measure):
    """(material, stage mask, exporters, importers) a restriction, ban or tariff covers."""
    a = measure.args
    if measure.primitive not in ("export_restriction", "export_ban", "tariff") \
            or a.get("material") not in sc.material_index:
        return None
    m = sc.material_index[a["material"]]
    stages = stage_mask(sc, base, m, a.get("stages") or
                        ("first" if measure.primitive == "export_ban" else "all"))
    if measure.primitive == "tariff":
        if a.get("importer") not in sc.actor_index:
            return None
        importer = sc.actor_index[a["importer"]]
        return m, stages, actor_indices(sc, a.get("exporters"), exclude=importer), [importer]
    if a.get("exporter") not in sc.actor_index:
        return None
    exporter = sc.actor_index[a["exporter"]]
    return m, stages, [exporter], actor_indices(sc, a.get("importers"), exclude=exporter)


def _effect_parts(rules: CompiledRules, group: str, plan: TurnPlan, prepared: Prepared,
                  flow: FlowResult, full: Headlines, alternative: Headlines | None,
                  draws: list[LicenceDraw], labels: dict[str, str]
                  ) -> tuple[str | None, str | None]:
    """(what the group did, why nothing measurable): ('52 % of licence requests approved;
    the EU's wind power supply 92 % (100 % without it)', None), or with no figure moved
    the reason ('the capacity is being built: it arrives on turn 9')."""
    measures = [m for m in plan.measures if m.group == group]
    parts = []
    licences = _licence_part(draws)
    if licences:
        parts.append(licences)
    paid = _floor_payment(rules, measures, prepared, flow)
    if paid:
        parts.append(paid)
    moved: list[tuple[float, tuple[str, str, str]]] = []
    if alternative is not None:
        moved = _fold_moved(sorted(
            ((abs(full[k] - alternative.get(k, full[k])), k) for k in full
             if abs(full[k] - alternative.get(k, full[k])) >= _cause_threshold(k)),
            reverse=True))
        parts += [_moved(k, full[k], alternative[k], rules) for _, k in moved[:MOVED_LIMIT]]
        more = len(moved) - MOVED_LIMIT
        if more > 0:
            parts.append(f"and {more} more figure{'s' if more > 1 else ''}")
    done = "; ".join(parts) if parts else None
    if moved:
        return done, None
    return done, _no_effect_reason(rules, group, measures, plan, prepared, flow, full,
                                   alternative, labels)


def _floor_payment(rules: CompiledRules, measures: list[Measure], prepared: Prepared,
                   flow: FlowResult) -> str | None:
    """'USD 12 m paid to top the United States' NdPr separation up from the market price
    (USD 95/kg) to the floor' when a price floor bound this turn (``market.py`` pays the
    gap on the producer's output)."""
    sc = rules.scenario
    for measure in measures:
        a = measure.args
        if measure.primitive != "price_floor" or a.get("material") not in sc.material_index \
                or a.get("producer") not in sc.actor_index:
            continue
        m = sc.material_index[a["material"]]
        s = stage_index(sc, m, a.get("stage"))
        producer = sc.actor_index[a["producer"]]
        price = float(prepared.state.price[m, s, producer])
        gap = finite_number(a.get("floor")) - price
        cost = max(0.0, gap) * float(flow.production[m, s, producer]) / 1000.0
        if cost >= 0.001:
            what = material_stage(sc, a["material"], sc.materials[m].stages[s].id)
            amount = f"{cost:,.0f}" if cost >= 10 else f"{cost:.2g}"
            return (f"USD {amount} m paid to top "
                    f"{possessive(_actor_name(sc, a['producer']))} {what} up from the market "
                    f"price (USD {price:,.0f}/kg) to the floor")
    return None


def _effect_sentence(subject: str, done: str | None, reason: str | None) -> str:
    """'Subject: done.', 'Subject: done; no measurable effect yet because reason.' or
    'Subject had no measurable effect yet because reason.'"""
    if reason is None:
        return f"{subject}: {done}."
    if done:
        return f"{subject}: {done}; no measurable effect yet because {reason}."
    return f"{subject} had no measurable effect yet because {reason}."


def ledger(rules: CompiledRules, plan: TurnPlan, prepared: Prepared, flow: FlowResult,
           full: Headlines, alternatives: dict[str, Headlines]) -> list[Explanation]:
    """One line for every event fired and every order given this turn: what it did, or why
    it had no measurable effect yet, or why it was rejected or set aside."""
    sc = rules.scenario
    full = {key: round(value, 6) for key, value in full.items()}
    labels, covert = _groups(plan)
    measure_ids: dict[str, set[str]] = {}
    for measure in plan.measures:
        measure_ids.setdefault(measure.group, set()).add(measure.id)
    licence_draws = [d for d in turn_draws(prepared.policy) if isinstance(d, LicenceDraw)]

    def draws_of(group: str) -> list[LicenceDraw]:
        ids = measure_ids.get(group, set())
        return [d for d in licence_draws if d.measure_id in ids]

    ends = {group: whats for group, _, whats in plan.endings}
    end_labels = {group: label for group, label, _ in plan.endings}

    def effect(group: str) -> tuple[str | None, str | None]:
        """(what the group did, why nothing measurable), with the measures it ended or
        amended first (``end_measure``: its what-if puts back what it ended, so the figures
        it moved are measured like any order's)."""
        ending = None
        if group in ends:
            ending = join(list(ends[group])) if ends[group] else \
                "nothing to end (no such measure was in force)"
        undid = any(g == group for g, _ in plan.undone)
        if group not in labels or (group in ends and not undid and not any(
                m.group == group for m in plan.measures)):
            return ending, None  # nothing of its own acts, nothing was ended: nothing to weigh
        done, reason = _effect_parts(rules, group, plan, prepared, flow, full,
                                     alternatives.get(group), draws_of(group), labels)
        if ending:
            done = ending + (f"; {done}" if done else "")
        return done, reason

    lines: list[Explanation] = []
    times: dict[str, int] = {}
    for fired in plan.fired:
        times[fired.inject_id] = times.get(fired.inject_id, 0) + 1
        name = fired.inject_id if times[fired.inject_id] == 1 else \
            f"{fired.inject_id}#{times[fired.inject_id]}"
        group = f"{INJECT_GROUP}{name}"
        text = inject_sentence(fired.title, fired.text)
        if group in labels or group in ends:
            done, reason = effect(group)
            text += " " + _effect_sentence("Its effect" if done else "It", done, reason)
        lines.append(Explanation(text=text, groups=(group,), public=True, kind="event"))
    for outcome in plan.outcomes:
        group = f"{ORDER_GROUP}{outcome.order_id}"
        move = sc.move_index.get(outcome.move)
        public = bool(move.public) if move is not None else True
        if group not in labels and group not in ends:  # rejected, or set aside
            what = outcome.description.split(": ", 1)[-1]
            who = possessive(team_label(sc, outcome.team))
            verb = "was set aside by the facilitator" if outcome.status == "overridden" \
                else "was rejected"
            detail = outcome.detail.replace("set aside by the facilitator: ", "").rstrip(". ")
            lines.append(Explanation(
                text=f"{who[:1].upper()}{who[1:]} order “{what[:1].lower() + what[1:]}” "
                     f"{verb}: {detail}.",
                groups=(group,), public=public, kind="order"))
            continue
        done, reason = effect(group)
        label = labels.get(group) or end_labels[group]
        text = _effect_sentence(label[:1].upper() + label[1:], done, reason)
        lines.append(Explanation(text=text, groups=(group,),
                                 public=public and group not in covert, kind="order"))
    return lines


def explain_turn(rules: CompiledRules, plan: TurnPlan, prepared: Prepared, flow: FlowResult,
                 full: Headlines, previous: GameState,
                 limit: int = SENTENCE_LIMIT) -> list[Explanation]:
    """The turn's explanation, read aloud: one line per event and order of the turn
    (``ledger``), then the headline figures that moved and why (``explain_changes``), then
    what else happened (licence draws of measures already in force, investments slipping or
    arriving: ``narrate``)."""
    labels, _ = _groups(plan)
    names = list(labels)
    alternatives = dict(zip(names, what_if_headlines(rules, plan, names,
                                                     (prepared.state.price, flow))))
    lines = ledger(rules, plan, prepared, flow, full, alternatives)
    told = {group for line in lines for group in line.groups}
    lines += explain_changes(rules, plan, full, previous, limit, alternatives, flow)
    lines += narrate(rules, plan, turn_draws(prepared.policy), prepared.arrivals, skip=told)
    return lines


def narrate(rules: CompiledRules, plan: TurnPlan, draws: Iterable[LicenceDraw | DelayDraw],
            arrivals: Iterable[PipelineEntry], skip: Iterable[str] = ()) -> list[Explanation]:
    """What happened that is not a headline number: restrictive licence draws (of groups not
    in ``skip``: those already have their line), investments that slipped, new capacity on
    line."""
    skip = set(skip)
    sc = rules.scenario
    by_measure = {m.id: m for m in plan.measures}
    by_entry = {e.id: e for e in plan.state.pipeline}
    lines = []
    for draw in draws:
        if isinstance(draw, LicenceDraw):
            text = licence_sentence(sc, draw)
            measure = by_measure.get(draw.measure_id)
            if text and measure is not None and measure.group not in skip:
                lines.append(Explanation(
                    text=text, groups=(measure.group,), public=measure.public, kind="news"))
        elif draw.slipped:
            entry = by_entry.get(draw.pipeline_id)
            groups = (entry.group,) if entry is not None else ()
            lines.append(Explanation(
                text=slip_sentence(sc, entry) if entry is not None else SLIP_SENTENCE,
                groups=groups, public=entry.public if entry is not None else True,
                kind="news"))
    for entry in arrivals:
        lines.append(Explanation(
            text=arrival_sentence(sc, entry), groups=(entry.group,), public=entry.public,
            kind="news"))
    return lines


def inject_lines(fired: Iterable[FiredInject]) -> list[Explanation]:
    """The events of the turn, without their effects (when explanations are off)."""
    return [Explanation(text=inject_sentence(f.title, f.text), groups=(), public=True,
                        kind="event") for f in fired]


__all__ = ["explain_changes", "explain_turn", "inject_lines", "ledger", "narrate",
           "third_party_reason", "what_if_headlines"]
