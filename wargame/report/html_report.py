"""The report as one self-contained HTML file: Jinja2 templates with autoescaping (every
text from a scenario, a note or an order is escaped), the style sheet inlined and the
charts embedded as SVG data URIs, so the file can be mailed and opened anywhere offline.
The same HTML is what ``pdf.write_pdf`` lays out on A4 pages."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from wargame.report.charts import Chart, report_charts
from wargame.report.formatting import FILTERS
from wargame.report.model import AfterActionReport, Audience


# beside this module in a checkout, a wheel (package data) and the desktop bundle alike
TEMPLATES = Path(__file__).resolve().with_name("templates")


@dataclass(frozen=True)
class TurnTable:
    """A small table with one row per committed turn (for prices, scores, budgets)."""

    title: str
    unit: str
    columns: tuple[str, ...]
    rows: tuple[tuple[int, tuple[float | None, ...]], ...]
    kind: str  # the formatting filter: price, number


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(FILTERS)
    return env


def turn_tables(report: AfterActionReport) -> list[TurnTable]:
    """World final-stage prices, scores and budgets per turn."""
    rows = report.indicators
    if not rows:
        return []
    materials = list(rows[-1].world_price_usd_per_kg)
    teams = [t for t in report.teams if t.team in rows[-1].scores or
             t.team in rows[-1].budget_usd_m]

    def final_price(indicators, material):
        by_stage = indicators.world_price_usd_per_kg.get(material) or {}
        return list(by_stage.values())[-1] if by_stage else None

    tables = [
        TurnTable("World prices", "USD/kg, final stage, the average importers pay",
                  tuple(report.name("material", m) for m in materials),
                  tuple((i.turn, tuple(final_price(i, m) for m in materials)) for i in rows),
                  "price"),
        TurnTable("Scores", "points", tuple(t.name for t in teams),
                  tuple((i.turn, tuple(i.scores[t.team].total if t.team in i.scores else None
                                       for t in teams)) for i in rows), "number"),
        TurnTable("Budgets left", "USD million", tuple(t.name for t in teams),
                  tuple((i.turn, tuple(i.budget_usd_m.get(t.team) for t in teams))
                        for i in rows), "number"),
    ]
    # an edition that may not see a table's numbers gets no empty table
    return [t for t in tables if any(v is not None for _, values in t.rows for v in values)]


def render_html(report: AfterActionReport, charts: list[Chart] | None = None) -> str:
    """The whole report as one HTML document (a string)."""
    style = (TEMPLATES / "report.css").read_text("utf-8")
    template = _environment().get_template("report.html.j2")
    return template.render(
        r=report, facts=report.facts, style=style, Audience=Audience,
        charts=report_charts(report) if charts is None else charts,
        tables=turn_tables(report), annex_groups=annex_groups(report))


def annex_groups(report: AfterActionReport) -> list[tuple[str, list]]:
    """The annex's figures by topic, topics in the order the annex lists them first."""
    groups: dict[str, list] = {}
    for row in report.annex:
        groups.setdefault(row.topic, []).append(row)
    return list(groups.items())
