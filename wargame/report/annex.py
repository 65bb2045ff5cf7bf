"""The annex: the scenario's baseline figures with their sources (``Figure.source`` keys
resolved through the scenario's ``sources:``), so every number a team played against can be
traced. Figures a designer left at the model's default without a source (a yield of 1, the
default lead time) are left out; every stated capacity, output, stock, demand, price and
budget is in."""
from __future__ import annotations

from collections.abc import Iterator

from wargame.report.model import BaselineFigure
from wargame.scenario.model import Figure, Scenario


def _row(sc: Scenario, topic: str, subject: str, quantity: str, figure: Figure | None,
         unit: str, always: bool = True) -> Iterator[BaselineFigure]:
    if figure is None or not (always or figure.source or figure.note):
        return
    key = figure.source or ""
    yield BaselineFigure(topic=topic, subject=subject, quantity=quantity,
                         value=float(figure.value), unit=unit, source_key=key,
                         source=sc.sources.get(key, ""), note=figure.note or "")


def baseline_figures(sc: Scenario) -> list[BaselineFigure]:
    """Every baseline figure of ``sc`` worth citing, grouped by topic in a fixed order."""
    rows: list[BaselineFigure] = []
    for team in sc.teams:
        rows += _row(sc, "Teams", team.name, "budget", team.budget, "USD million")
        rows += _row(sc, "Teams", team.name, "political capital", team.political_capital,
                     "points", always=False)
    for material in sc.materials:
        for stage in material.stages:
            subject = f"{material.name} · {stage.name}"
            rows += _row(sc, "Prices", subject, "baseline price", stage.price, "USD/kg")
            rows += _row(sc, "Materials", subject, "yield", stage.yield_, "t out per t in",
                         always=False)
            rows += _row(sc, "Materials", subject, "lead time for new capacity",
                         stage.lead_time_years, "years", always=False)
        rows += _row(sc, "Materials", material.name, "price elasticity of demand",
                     material.elasticity, "", always=False)
    for entry in sc.capacities:
        subject = _subject(sc, entry.actor, entry.material, entry.stage)
        kind = "recycling capacity" if entry.recycled else "capacity"
        rows += _row(sc, "Capacity", subject, kind, entry.capacity, "t/yr")
        rows += _row(sc, "Capacity", subject, "output", entry.output, "t/yr")
    for entry in sc.stocks:
        subject = _subject(sc, entry.actor, entry.material, entry.stage)
        kind = "strategic stock" if entry.strategic else "commercial stock"
        rows += _row(sc, "Stocks", subject, kind, entry.tonnes, "t")
        rows += _row(sc, "Stocks", subject, kind, entry.days, "days of use")
    for entry in sc.demand:
        subject = f"{_name(sc, 'actor', entry.actor)} · {_name(sc, 'sector', entry.sector)}" \
                  f" · {_name(sc, 'material', entry.material)}"
        rows += _row(sc, "Demand", subject, "demand", entry.tonnes_per_year, "t/yr")
    return rows


def cited_sources(sc: Scenario, rows: list[BaselineFigure]) -> dict[str, str]:
    """The scenario's sources that the annex cites, in the scenario's order."""
    used = {row.source_key for row in rows if row.source_key}
    return {key: text for key, text in sc.sources.items() if key in used}


def _name(sc: Scenario, kind: str, ident: str) -> str:
    index = {"actor": sc.actor_index, "material": sc.material_index,
             "sector": sc.sector_index}[kind]
    if ident not in index:
        return ident
    return {"actor": sc.actor, "material": sc.material, "sector": sc.sector}[kind](ident).name


def _subject(sc: Scenario, actor: str, material: str, stage: str) -> str:
    stage_name = stage
    if material in sc.material_index:
        mat = sc.material(material)
        stage_name = next((s.name for s in mat.stages if s.id == stage), stage)
    return f"{_name(sc, 'actor', actor)} · {_name(sc, 'material', material)} · {stage_name}"
