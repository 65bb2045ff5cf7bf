"""The world map's details panel (Qt-free): the largest flows of the material and stage
shown, a clicked country's or flow's numbers, and the baseline figures behind them with
their sources (on hover, and listed under the panel).

Every tonnage here is tonnes moved in the turn shown (``FlowRow.tonnes_per_turn``); the
baseline figures are the scenario's, per year. ``flow_change`` words a flow's change since
the turn before ("+12 %", "new" for a flow that grew from almost nothing).
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wargame.report.sources import cite, sourced

if TYPE_CHECKING:
    from wargame.engine.results import TurnIndicators

esc = html.escape
NEW_BELOW = 0.05  # a flow that was under 5 % of today's size last turn is 'new'
STATUS_WORDS = {"open": "open", "slowed": "slowed (licences)", "frozen": "frozen",
                "banned": "banned", "stopped": "stopped"}
LARGEST_SHOWN = 8


def tonnes(t: float) -> str:
    """'7.5 kt', '850 t', '3.2 t', '0 t'."""
    if t != t:
        return "–"
    if abs(t) >= 1000:
        return f"{t / 1000:,.1f} kt"
    if abs(t) >= 10:
        return f"{t:,.0f} t"
    return f"{t:,.2g} t" if t else "0 t"


def flow_change(now: float, before: float | None) -> str | None:
    """A flow's change since the turn before: '+12 %', '−40 %', 'new' (none last turn, or
    under 5 % of today's: '+1568967 %' says nothing), None when under 1 %."""
    if now <= 0:
        return None
    if before is None or before <= NEW_BELOW * now:
        return "new"
    change = (now - before) / before
    if abs(change) < 0.01:
        return None
    return f"{'+' if change > 0 else '−'}{abs(change) * 100:.0f} %"


@dataclass(frozen=True)
class MapFlow:
    """One exporter -> importer flow of the selection, this turn and the turn before."""

    exporter: str
    importer: str
    tonnes_per_turn: float
    status: str
    previous_tonnes_per_turn: float | None  # None: no turn before to compare with
    change: str | None  # flow_change, or 'stopped'

    @property
    def stopped(self) -> bool:
        return self.change == "stopped"


def map_flows(indicators: TurnIndicators | None, previous: TurnIndicators | None,
              material: str | None, stage: str | None) -> list[MapFlow]:
    """The selection's flows (largest first), then those that stopped since the turn
    before (ghosts)."""
    if indicators is None or material is None or stage is None:
        return []
    before: dict[tuple[str, str], float] = {}
    if previous is not None:
        for row in previous.flows_at(material, stage):
            key = (row.exporter, row.importer)
            before[key] = before.get(key, 0.0) + row.tonnes_per_turn
    flows, seen = [], set()
    for row in indicators.flows_at(material, stage):
        key = (row.exporter, row.importer)
        last = before.get(key, 0.0) if previous is not None else None
        flows.append(MapFlow(row.exporter, row.importer, row.tonnes_per_turn, str(row.status),
                             last, flow_change(row.tonnes_per_turn, last)
                             if previous is not None else None))
        seen.add(key)
    flows.sort(key=lambda f: -f.tonnes_per_turn)
    for key, last in before.items():
        if key not in seen and last > 0:
            flows.append(MapFlow(key[0], key[1], 0.0, "stopped", last, "stopped"))
    return flows


def _actor(scenario: Any, actor_id: str) -> str:
    return scenario.actor(actor_id).name if actor_id in scenario.actor_index else actor_id


class _Cited:
    """Baseline figures written with their source on hover and a [key] mark; the keys
    cited are listed under the panel."""

    def __init__(self, scenario: Any) -> None:
        self.scenario = scenario
        self.keys: set[str] = set()

    def figure(self, fig: Any, unit: str = "") -> str:
        if fig is None:
            return "–"
        text = f"{float(fig.value):,.0f}{(' ' + unit) if unit else ''}"
        out = sourced(text, cite(self.scenario, fig))
        if getattr(fig, "note", None):
            out += f" <i>({esc(fig.note)})</i>"
        if getattr(fig, "source", None):
            out += f" <sup>[{esc(fig.source)}]</sup>"
            self.keys.add(fig.source)
        return out

    def sources_html(self) -> str:
        if not self.keys:
            return ""
        items = []
        for key in sorted(self.keys):
            citation = self.scenario.sources.get(key, "(not in the scenario's source list)")
            items.append(f"<li><b>[{esc(key)}]</b> {esc(citation)}</li>")
        return "<h4>Sources</h4><ul>" + "".join(items) + "</ul>"


def largest_flows_html(scenario: Any, flows: list[MapFlow], caption: str) -> str:
    """The largest flows of the selection, so the panel is useful before any click."""
    rows = "".join(
        f"<tr><td>{esc(_actor(scenario, f.exporter))} → {esc(_actor(scenario, f.importer))}"
        f"</td><td align='right'>{tonnes(f.tonnes_per_turn)} this turn</td><td>"
        f"{esc(STATUS_WORDS.get(f.status, f.status))}"
        + (f" ({esc(f.change)})" if f.change else "") + "</td></tr>"
        for f in [f for f in flows if not f.stopped][:LARGEST_SHOWN])
    table = (f"<p><b>Largest flows</b> ({esc(caption)})</p>"
             f"<table cellspacing='0' cellpadding='3'>{rows}</table>") if rows else \
        f"<p>No cross-border flows ({esc(caption)}).</p>"
    return table + ("<p><i>Click a country or a flow for its numbers and the sources of its "
                    "baseline figures (rest the pointer on a figure for its source).</i></p>")


def actor_html(scenario: Any, actor_id: str, indicators: TurnIndicators | None,
               flows: list[MapFlow], material: str | None, caption: str) -> str:
    """A country's numbers this turn (for the selection) and its baseline figures."""
    cited = _Cited(scenario)
    actor = scenario.actor(actor_id) if actor_id in scenario.actor_index else None
    out = [f"<h3>{esc(_actor(scenario, actor_id))}</h3>"]
    if actor is not None:
        meta = [x for x in (actor.bloc and f"bloc {actor.bloc}",
                            actor.team and f"played by {scenario.team(actor.team).name}"
                            if actor.team in scenario.team_index else None) if x]
        if meta:
            out.append(f"<p>{esc(', '.join(meta))}</p>")
    moving = [f for f in flows if not f.stopped]
    exports = sum(f.tonnes_per_turn for f in moving if f.exporter == actor_id)
    imports = sum(f.tonnes_per_turn for f in moving if f.importer == actor_id)
    if indicators is not None:
        out.append(f"<h4>{esc(caption)}</h4><ul>")
        out.append(f"<li>Exports {tonnes(exports)}, imports {tonnes(imports)} in the turn</li>")
        for values, name in ((indicators.import_bill_usd_m_per_turn, "Import bill"),
                             (indicators.revenue_usd_m_per_turn, "Revenue")):
            if actor_id in values:
                out.append(f"<li>{name}: USD {values[actor_id]:,.0f} m in the turn</li>")
        stock = indicators.stocks_tonnes.get(actor_id, {}).get(material)
        if stock is not None:
            out.append(f"<li>Stocks of this material (all stages): {tonnes(stock)}</li>")
        met = indicators.supply_met_share.get(actor_id, {})
        if met:
            parts = [f"{esc(scenario.sector(k).name if k in scenario.sector_index else k)} "
                     f"{100 * v:.0f}\u00a0%" for k, v in met.items()]
            out.append(f"<li>Demand met (all materials): {', '.join(parts)}</li>")
        dep = indicators.dependency_share_by_material.get(material, {}).get(actor_id, {})
        if dep:
            top = sorted(dep.items(), key=lambda kv: -kv[1])[:3]
            out.append("<li>Supply of this material by origin (where refined): " + ", ".join(
                f"{esc(_actor(scenario, o))} {100 * v:.0f} %" for o, v in top) + "</li>")
        out.append("</ul>")
    out.append("<h4>Baseline (scenario, per year)</h4><ul>")
    any_base = False
    mat = scenario.material(material) if material in scenario.material_index else None
    for cap in scenario.capacities:
        if mat is not None and cap.actor == actor_id and cap.material == material:
            st = mat.stages[mat.stage_index(cap.stage)]
            line = f"{esc(st.name)} capacity {cited.figure(cap.capacity, 't')}"
            if cap.output is not None:
                line += f", output {cited.figure(cap.output, 't')}"
            out.append(f"<li>{line}</li>")
            any_base = True
    for dem in scenario.demand:
        if dem.actor == actor_id and dem.material == material:
            name = scenario.sector(dem.sector).name if dem.sector in scenario.sector_index \
                else dem.sector
            out.append(f"<li>{esc(name)} demand {cited.figure(dem.tonnes_per_year, 't')}</li>")
            any_base = True
    for stk in scenario.stocks:
        if stk.actor == actor_id and stk.material == material:
            amount = (cited.figure(stk.tonnes, "t") if stk.tonnes is not None
                      else cited.figure(stk.days, "days of use"))
            kind = "strategic stock" if stk.strategic else "commercial stock"
            stage = mat.stages[mat.stage_index(stk.stage)].name if mat is not None \
                and any(s.id == stk.stage for s in mat.stages) else stk.stage
            out.append(f"<li>{kind} ({esc(stage)}): {amount}</li>")
            any_base = True
    if not any_base:
        out.append("<li>no capacity, demand or stocks of this material</li>")
    out.append("</ul>")
    out.append(cited.sources_html())
    return "".join(out)


def flow_html(scenario: Any, exporter: str, importer: str, flows: list[MapFlow],
              material: str | None, stage: str | None, caption: str) -> str:
    """One flow's tonnage this turn and the turn before, and the baseline figures at both
    ends (the exporter's capacity; the importer's next stage or its demand)."""
    cited = _Cited(scenario)
    flow = next((f for f in flows if (f.exporter, f.importer) == (exporter, importer)), None)
    out = [f"<h3>{esc(_actor(scenario, exporter))} → {esc(_actor(scenario, importer))}</h3>",
           f"<p>{esc(caption)}</p><ul>"]
    if flow is not None:
        if flow.stopped:
            out.append(f"<li>Stopped (the turn before: "
                       f"{tonnes(flow.previous_tonnes_per_turn or 0)})</li>")
        else:
            out.append(f"<li>In the turn: <b>{tonnes(flow.tonnes_per_turn)}</b>, status "
                       f"<b>{esc(STATUS_WORDS.get(flow.status, flow.status))}</b></li>")
            if flow.previous_tonnes_per_turn is not None:
                out.append(f"<li>The turn before: {tonnes(flow.previous_tonnes_per_turn)}"
                           + (f" ({esc(flow.change)})" if flow.change else "") + "</li>")
    out.append("</ul><h4>Baseline (scenario, per year)</h4><ul>")
    mat = scenario.material(material) if material in scenario.material_index else None
    for cap in scenario.capacities:
        if cap.material == material and cap.stage == stage and cap.actor == exporter:
            out.append(f"<li>{esc(_actor(scenario, exporter))} capacity at this stage: "
                       f"{cited.figure(cap.capacity, 't')}</li>")
    if mat is not None:
        k = mat.stage_index(stage) if stage else 0
        if k + 1 < len(mat.stages):
            nxt = mat.stages[k + 1]
            for cap in scenario.capacities:
                if cap.material == material and cap.stage == nxt.id and cap.actor == importer:
                    out.append(f"<li>{esc(_actor(scenario, importer))} {esc(nxt.name)} "
                               f"capacity: {cited.figure(cap.capacity, 't')}</li>")
        else:
            for dem in scenario.demand:
                if dem.material == material and dem.actor == importer:
                    name = scenario.sector(dem.sector).name \
                        if dem.sector in scenario.sector_index else dem.sector
                    out.append(f"<li>{esc(_actor(scenario, importer))} {esc(name)} demand: "
                               f"{cited.figure(dem.tonnes_per_year, 't')}</li>")
    out.append("</ul>")
    out.append(cited.sources_html())
    return "".join(out)


__all__ = ["MapFlow", "actor_html", "flow_change", "flow_html", "largest_flows_html",
           "map_flows", "tonnes"]
