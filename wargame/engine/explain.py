"""Explanations: which orders and injects moved the headline figures, and by how much.

Leave-one-out with common random numbers: the turn is re-resolved without each group of
measures (an order, an inject, a standing order), with exactly the turn's draws (they are
keyed on measure ids: ``draws.py``), and the supply-met and price headlines are compared.
Materials never interact within a turn's flow, so only the materials a variant changes
are moved, every variant's stacked along the material axis in ONE pass
(``what_if_headlines``, ``variants.py``): with a dozen groups this is many times faster
than resolving them one by one, and a test checks both give the same numbers.

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
from wargame.engine.market import settle_prices, stack_market_turns
from wargame.engine.measures import PipelineEntry
from wargame.engine.planning import TurnPlan
from wargame.engine.policy import stack_policies
from wargame.engine.results import Explanation, FiredInject
from wargame.engine.rules import CompiledRules
from wargame.engine.simulate import prepare_plan, simulate_plan
from wargame.engine.state import GameState, stack_states
from wargame.engine.variants import take_market, take_policy, take_state, touched_materials
from wargame.engine.wording import (
    SLIP_SENTENCE, arrival_sentence, country, inject_sentence, join, licence_sentence,
    possessive, pct,
)

SENTENCE_LIMIT = 14  # headline sentences per turn, the largest changes first
SUPPLY_CAUSE, PRICE_CAUSE = 0.02, 0.05  # a group 'moved' a headline by at least this
SUPPLY_NEWS, PRICE_NEWS = 0.03, 0.05  # a change worth a sentence even without a cause


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
    return labels, covert


def explain_changes(rules: CompiledRules, plan: TurnPlan, full: Headlines,
                    previous: GameState, limit: int = SENTENCE_LIMIT,
                    turn: tuple[np.ndarray, FlowResult] | None = None) -> list[Explanation]:
    """Sentences on the headlines that changed or that a group moved, largest first."""
    sc = rules.scenario
    labels, covert = _groups(plan)
    full = {key: round(value, 6) for key, value in full.items()}
    last = previous.last or {}
    before = before_headlines(sc, last)
    effects: dict[tuple[str, str, str], list[tuple[float, str, float]]] = {}
    names = list(labels)
    for group, alt in zip(names, what_if_headlines(rules, plan, names, turn)):
        for key, value in full.items():
            other = alt.get(key, value)
            threshold = SUPPLY_CAUSE if key[0] == "supply" else PRICE_CAUSE
            if abs(other - value) >= threshold:
                effects.setdefault(key, []).append((value - other, group, other))
    items: list[dict] = []
    for key, value in full.items():
        prior = before.get(key)
        change = value - prior if prior is not None else 0.0
        causes = sorted(effects.get(key, []), key=lambda c: -abs(c[0]))[:2]
        threshold = SUPPLY_NEWS if key[0] == "supply" else PRICE_NEWS
        if not causes and abs(change) < threshold:
            continue
        if key[0] == "supply":
            _, actor, sector = key
            subject = (f"{possessive(country(sc.actor(actor).name))} "
                       f"{sc.sector(sector).name.lower()} supply")
            if prior is not None and abs(change) >= 0.005:
                head = (f"{subject} {'fell' if change < 0 else 'rose'} "
                        f"{abs(change) * 100:.0f} points to {pct(value)}")
            else:
                head = f"{subject} is at {pct(value)} of demand"
            shown = pct
        else:
            _, material, stage = key
            mat = sc.material(material)
            subject = f"the {mat.name} price" if not stage else \
                f"the price of {mat.name} at {_stage_name(mat, stage)}"
            if prior is not None and abs(change) >= 0.01:
                head = f"{subject} {'fell' if change < 0 else 'rose'} to {value:.2f}x its baseline"
            else:
                head = f"{subject} stands at {value:.2f}x its baseline"
            shown = _times
        items.append({"key": key, "value": value, "head": head, "shown": shown,
                      "causes": [(group, other) for _, group, other in causes],
                      "weight": max([abs(change)] + [abs(c[0]) for c in causes])})
    sentences = []
    for item in _fold_stages(sc, items):
        parts = [f"without {labels[group]} it would have been {item['shown'](other)}"
                 + item.get("extra", {}).get(group, "") for group, other in item["causes"]]
        if not parts:
            lapsed = last.get("lapsed") or []
            if lapsed:
                parts = [f"{join(lapsed)} ended last turn; stocks and prices adjust with a lag"]
            else:
                parts = ["no single order or inject explains it (stocks, lagged prices and "
                         "investment did)"]
        head = item["head"]
        text = head[0].upper() + head[1:] + "; " + "; ".join(parts) + "."
        cited = tuple(group for group, _ in item["causes"])
        sentences.append((item["weight"], Explanation(
            text=text, groups=cited, public=not covert.intersection(cited))))
    sentences.sort(key=lambda item: -item[0])
    return [sentence for _, sentence in sentences[:limit]]


def _times(value: float) -> str:
    return f"{value:.2f}x"


def _stage_name(material: Any, stage: str) -> str:
    """'Mining (REO in concentrate)' -> 'mining (REO in concentrate)'."""
    name = material.stages[material.stage_index(stage)].name
    return name[:1].lower() + name[1:]


def _fold_stages(sc: Any, items: list[dict]) -> list[dict]:
    """Of a material's stages other than its headline, tell only the one that moved most,
    and only if it moved more than the headline price (an ore ban seen at the ore, an oxide
    spike the magnet price damps); when the headline is told too, in the same sentence:
    the room hears each story once."""
    headline = {item["key"][1]: item for item in items
                if item["key"][0] == "price" and not item["key"][2]}
    best: dict[str, dict] = {}
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
        where = _stage_name(sc.material(material), stage_item["key"][2])
        main["head"] += f" (at {where}: {stage_item['value']:.2f}x)"
        extra = main.setdefault("extra", {})
        known = {group for group, _ in main["causes"]}
        for group, other in stage_item["causes"]:
            if group in known:
                extra[group] = f" ({other:.2f}x at {where})"
            else:
                main["causes"].append((group, other))
                extra[group] = f" at {where}"
        main["weight"] = max(main["weight"], stage_item["weight"])
    return out


def narrate(rules: CompiledRules, plan: TurnPlan, draws: Iterable[LicenceDraw | DelayDraw],
            arrivals: Iterable[PipelineEntry]) -> list[Explanation]:
    """What happened that is not a headline number: restrictive licence draws, investments
    that slipped, new capacity on line."""
    sc = rules.scenario
    by_measure = {m.id: m for m in plan.measures}
    by_entry = {e.id: e for e in plan.state.pipeline}
    lines = []
    for draw in draws:
        if isinstance(draw, LicenceDraw):
            text = licence_sentence(sc, draw)
            measure = by_measure.get(draw.measure_id)
            if text and measure is not None:
                lines.append(Explanation(
                    text=text, groups=(measure.group,), public=measure.public))
        elif draw.slipped:
            entry = by_entry.get(draw.pipeline_id)
            groups = (entry.group,) if entry is not None else ()
            lines.append(Explanation(
                text=SLIP_SENTENCE, groups=groups,
                public=entry.public if entry is not None else True))
    for entry in arrivals:
        lines.append(Explanation(
            text=arrival_sentence(sc, entry), groups=(entry.group,), public=entry.public))
    return lines


def inject_lines(fired: Iterable[FiredInject]) -> list[Explanation]:
    return [Explanation(text=inject_sentence(f.title, f.text), groups=(),
                                        public=True) for f in fired]


__all__ = ["explain_changes", "inject_lines", "narrate", "what_if_headlines"]
