"""Explanations: which orders and injects moved the headline figures, and by how much.

Leave-one-out with common random numbers: the turn is re-resolved without each group of
measures (an order, an inject, a standing order), with exactly the turn's draws (they are
keyed on measure ids: ``draws.py``), and the supply-met and price headlines are compared.
Materials never interact within a turn's flow, so every variant is stacked along the
material axis and all of them move through the flow in ONE pass (``what_if_headlines``):
with a dozen groups this is several times faster than resolving them one by one, and a
test checks both give the same numbers.

Each sentence is an ``Explanation`` naming the groups it cites; it is not public (not read
to the room) when one of them is a covert move.
"""
from __future__ import annotations

from typing import Iterable

from wargame.engine.draws import DelayDraw, LicenceDraw
from wargame.engine.flow import run_flow
from wargame.engine.indicators import Headlines, before_headlines, headline_dict, headline_values
from wargame.engine.market import clear_prices
from wargame.engine.measures import PipelineEntry
from wargame.engine.planning import TurnPlan
from wargame.engine.policy import stack_policies
from wargame.engine.results import Explanation, FiredInject
from wargame.engine.rules import CompiledRules
from wargame.engine.simulate import prepare_plan
from wargame.engine.state import GameState, stack_states
from wargame.engine.wording import (
    SLIP_SENTENCE, arrival_sentence, country, inject_sentence, join, licence_sentence,
    possessive, pct,
)

SENTENCE_LIMIT = 14  # headline sentences per turn, the largest changes first
SUPPLY_CAUSE, PRICE_CAUSE = 0.02, 0.05  # a group 'moved' a headline by at least this
SUPPLY_NEWS, PRICE_NEWS = 0.03, 0.05  # a change worth a sentence even without a cause


def what_if_headlines(rules: CompiledRules, plan: TurnPlan, excludes: list[str],
                      ) -> list[Headlines]:
    """Headlines of the turn re-resolved without each group in ``excludes``, all variants
    stacked along the material axis and moved in a single flow pass."""
    if not excludes:
        return []
    sc, base = rules.scenario, rules.baseline
    prepared = [prepare_plan(rules, plan, group) for group in excludes]
    tiled = rules.tiled(len(prepared))
    state = stack_states([p.state for p in prepared])
    pol = stack_policies([p.policy for p in prepared])
    flow = run_flow(tiled, state, pol, sc.price_response.market_flexibility,
                    sc.price_response.rationing_strength)
    clear_prices(sc.price_response, tiled, state, pol, flow, budgets=False)
    M = base.n_materials
    heads = []
    for n, variant in enumerate(prepared):
        part = slice(n * M, (n + 1) * M)
        heads.append(headline_dict(sc, *headline_values(
            base, state.price[part], variant.policy.sector_cap,
            flow.sector_demand[:, :, part], flow.sector_met[:, :, part])))
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
                    previous: GameState, limit: int = SENTENCE_LIMIT) -> list[Explanation]:
    """Sentences on the headlines that changed or that a group moved, largest first."""
    sc = rules.scenario
    labels, covert = _groups(plan)
    full = {key: round(value, 6) for key, value in full.items()}
    last = previous.last or {}
    before = before_headlines(sc, last)
    effects: dict[tuple[str, str, str], list[tuple[float, str, float]]] = {}
    names = list(labels)
    for group, alt in zip(names, what_if_headlines(rules, plan, names)):
        for key, value in full.items():
            other = alt.get(key, value)
            threshold = SUPPLY_CAUSE if key[0] == "supply" else PRICE_CAUSE
            if abs(other - value) >= threshold:
                effects.setdefault(key, []).append((value - other, group, other))
    sentences: list[tuple[float, Explanation]] = []
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
            parts = [f"without {labels[group]} it would have been {pct(other)}"
                     for _, group, other in causes]
        else:
            _, material, _ = key
            subject = f"the {sc.material(material).name} price"
            if prior is not None and abs(change) >= 0.01:
                head = f"{subject} {'fell' if change < 0 else 'rose'} to {value:.2f}x its baseline"
            else:
                head = f"{subject} stands at {value:.2f}x its baseline"
            parts = [f"without {labels[group]} it would have been {other:.2f}x"
                     for _, group, other in causes]
        if not parts:
            lapsed = last.get("lapsed") or []
            if lapsed:
                parts = [f"{join(lapsed)} ended last turn; stocks and prices adjust with a lag"]
            else:
                parts = ["no single order or inject explains it (stocks, lagged prices and "
                         "investment did)"]
        text = head[0].upper() + head[1:] + "; " + "; ".join(parts) + "."
        cited = tuple(group for _, group, _ in causes)
        weight = max([abs(change)] + [abs(c[0]) for c in causes])
        sentences.append((weight, Explanation(
            text=text, groups=cited, public=not covert.intersection(cited))))
    sentences.sort(key=lambda item: -item[0])
    return [sentence for _, sentence in sentences[:limit]]


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
