"""A team's own situation (Qt-free), from the engine's typed ``TeamView``: its briefing and
objectives, its score broken down by objective, its supply met, its dependency per
material (the all-materials figure labelled as the aggregate it is), money and stocks,
world prices at every stage, the measures in force and the capacity it is building (in
what was ordered, t/yr, with the turn it arrives)."""
from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from wargame.report.briefing import change_text, number, score_breakdown_html
from wargame.report.sources import cite, sourced

if TYPE_CHECKING:
    from wargame.engine.measures import PipelineEntry
    from wargame.engine.view import TeamView

esc = html.escape
MEASURES_SHOWN = 20
ORIGINS_SHOWN = 3


def _name(scenario: Any, kind: str, key: str) -> str:
    index = {"actor": scenario.actor_index, "sector": scenario.sector_index,
             "material": scenario.material_index}[kind]
    return getattr(scenario, kind)(key).name if key in index else str(key)


def _pct(share: float) -> str:
    return f"{share * 100:.0f}\u00a0%"


def _tonnes(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def pipeline_line(scenario: Any, entry: PipelineEntry, last_turn: int | None) -> str:
    """"Washington's 3,000 t/yr of new NdPr magnet making capacity, arrives turn 9" (an
    order's label says what it builds); an event's: "The event 'Lynas ramps up': 500 t/yr of
    Dy/Tb separation capacity in Malaysia, arrives turn 5". 'after the exercise ends' when
    it is due after the last turn."""
    from wargame.engine.wording import material_stage

    when = ("after the exercise ends" if last_turn is not None and entry.due_turn > last_turn
            else f"arrives turn {entry.due_turn}")
    label = entry.label[:1].upper() + entry.label[1:]
    if not entry.group.startswith("inject:"):
        return f"{label}, {when}"
    kind = "recycling capacity" if entry.recycled else "capacity"
    return (f"{label}: {_tonnes(entry.tonnes_per_year)} t/yr of "
            f"{material_stage(scenario, entry.material, entry.stage)} {kind} in "
            f"{_name(scenario, 'actor', entry.actor)}, {when}")


def _objectives(scenario: Any, team: Any) -> list[str]:
    if not team.objectives:
        return []
    parts = ["<p><b>Objectives</b> (weight)</p><ul>"]
    for obj in team.objectives:
        target = obj.sector or obj.origin or obj.material or ""
        label = obj.label or (obj.indicator.replace("_", " ") + (f" ({target})" if target
                                                                   else ""))
        weight = f"{obj.weight:+g}".replace("-", "−")
        parts.append(f"<li>{esc(label)}: weight {weight}</li>")
    parts.append("</ul>")
    return parts


def _dependency(scenario: Any, own: Any) -> list[str]:
    """Per material, the origins of each own actor's supply (where it was refined); then the
    all-materials figure, labelled as the value-weighted aggregate it is."""
    rows = []
    for material in scenario.materials:
        for actor, origins in own.dependency_share_by_material.get(material.id, {}).items():
            top = sorted(origins.items(), key=lambda kv: -kv[1])[:ORIGINS_SHOWN]
            cells = ", ".join(f"{esc(_name(scenario, 'actor', o))} {_pct(v)}" for o, v in top)
            if cells:
                who = "" if len(own.supply_met_share) <= 1 else \
                    f" ({esc(_name(scenario, 'actor', actor))})"
                rows.append(f"<li>{esc(material.name)}{who}: {cells}</li>")
    parts = []
    if rows:
        parts.append("<p><b>Where your supply comes from</b>, per material (share by the "
                     "country where it was refined)</p><ul>" + "".join(rows) + "</ul>")
    for actor, origins in own.dependency_share_all_materials_by_value.items():
        top = sorted(origins.items(), key=lambda kv: -kv[1])[:ORIGINS_SHOWN]
        cells = ", ".join(f"{esc(_name(scenario, 'actor', o))} {_pct(v)}" for o, v in top)
        if cells:
            parts.append(f"<p>All materials together (aggregate, weighted by value), "
                         f"{esc(_name(scenario, 'actor', actor))}: {cells}</p>")
    return parts


def _prices(scenario: Any, public: Any) -> list[str]:
    rows = []
    for material in scenario.materials:
        stages = public.world_price_usd_per_kg.get(material.id, {})
        cells = []
        for st in material.stages:
            if st.id not in stages:
                continue
            now, base = stages[st.id], float(st.price.value)
            change = now / base - 1 if base else 0.0
            moved = "" if change_text(change) == "no change" else f" ({change_text(change)})"
            cells.append(sourced(f"{st.name} {number(now)}{moved}",
                                 f"Baseline {number(base)} USD/kg — {cite(scenario, st.price)}"))
        if cells:
            rows.append(f"<li>{esc(material.name)}: {', '.join(cells)}</li>")
    return ["<p><b>World prices</b> (public, USD/kg, every stage: the average importers "
            "at that stage pay, so two stages are averaged over different buyers)</p><ul>"
            + "".join(rows) + "</ul>"] if rows else []


def team_view_html(scenario: Any, team_id: str, view: TeamView | None,
                   last_turn: int | None = None, baseline: bool = False) -> str:
    """HTML of a team's own view. ``last_turn``: the session's last turn (for 'after the
    exercise ends'); ``baseline``: the indicators in ``view`` are the baseline preview (no
    turn played yet)."""
    team = scenario.team(team_id)
    parts = [f"<h3>{esc(team.name)}</h3>"]
    if team.briefing:
        parts.append(f"<p>{esc(team.briefing)}</p>")
    parts += _objectives(scenario, team)
    if view is None:
        return "".join(parts)
    if baseline:
        parts.append("<p><i>No turn has been played yet: the figures below are the "
                     "baseline world (a quiet turn, no orders, no events).</i></p>")
    own = view.own
    if own is not None:
        if own.score is not None and not baseline:
            parts.append(f"<p><b>Score: {own.score.total:.2f}</b> (weight × value per "
                         "objective; each value is 1.0 when as at the start)</p>"
                         + score_breakdown_html(own.score))
        if own.supply_met_share:
            parts.append("<p><b>Your supply met</b> (share of demand)</p><ul>")
            for actor, sectors in own.supply_met_share.items():
                cells = ", ".join(f"{esc(_name(scenario, 'sector', k))} {_pct(v)}"
                                  for k, v in sectors.items())
                parts.append(f"<li>{esc(_name(scenario, 'actor', actor))}: {cells}</li>")
            parts.append("</ul>")
        parts += _dependency(scenario, own)
        for values, title in ((own.import_bill_usd_m_per_turn, "Import bill"),
                              (own.revenue_usd_m_per_turn, "Revenue")):
            cells = [f"{esc(_name(scenario, 'actor', a))} USD {v:,.0f} m"
                     for a, v in values.items()]
            if cells:
                when = "in a quiet turn" if baseline else "last turn"
                parts.append(f"<p><b>{title} {when}:</b> {', '.join(cells)}</p>")
        cells = [f"{esc(_name(scenario, 'material', material))} {_tonnes(tonnes)} t"
                 for materials in own.stocks_tonnes.values()
                 for material, tonnes in materials.items()]
        if cells:
            parts.append(f"<p><b>Your stocks</b> (all stages): {', '.join(cells)}</p>")
    if view.public is not None:
        parts += _prices(scenario, view.public)
    if view.measures:
        parts.append("<p><b>Measures in force</b></p><ul>")
        shown = list(dict.fromkeys((m.label, m.own) for m in view.measures))  # one a move
        for label, own in shown[:MEASURES_SHOWN]:
            label = label[:1].upper() + label[1:]
            parts.append(f"<li>{esc(label)}{' (yours)' if own else ''}</li>")
        parts.append("</ul>")
    if view.pipeline:
        parts.append("<p><b>Capacity being built</b></p><ul>")
        for entry in view.pipeline[:MEASURES_SHOWN]:
            parts.append(f"<li>{esc(pipeline_line(scenario, entry, last_turn))}</li>")
        parts.append("</ul>")
    if own is None and not baseline:
        parts.append("<p>No turn has been played yet: the world is at its baseline.</p>")
    return "".join(parts)


__all__ = ["pipeline_line", "team_view_html"]
