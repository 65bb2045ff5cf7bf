"""The briefing's and the projector's world panel (Qt-free): per material the price at the
stage that moved most (the stage named), each played country's sectors short of demand,
and each team's score broken down by objective on a stated scale. Numbers carry their
source on hover (a ``title``: the app's text panels show it as a tooltip).

``world_html(scenario, indicators, baseline=...)`` reads the engine's ``TurnIndicators``:
a committed turn's, or the baseline preview's (``engine.baseline_preview``) before any turn
is played, so the first thing a facilitator projects is the world as it stands.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wargame.report.sources import cite, sourced

if TYPE_CHECKING:
    from wargame.engine.results import ScoreTerm, TeamScore, TurnIndicators

esc = html.escape
UNCHANGED = 0.005  # a price within half a per cent of its baseline has not moved

SCORE_SCALE = (
    "A score adds up weight × value over the team's objectives. Each value is 1.0 when the "
    "objective is exactly as at the start: supply met and dependency are shares (100 % = "
    "1.0); prices, budget and political capital are multiples of their starting level; "
    "revenue, value added and the import bill multiples of a quiet turn; CRMA the share "
    "of the EU's four benchmarks met. Negative weights count against the team.")


def number(value: float) -> str:
    """USD/kg and other figures with sensible precision: '1,234', '56.7', '4.5'."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:,.1f}"
    return f"{value:,.3g}"


def change_text(change: float) -> str:
    """'+180 %', '−12 %', or 'no change' (within half a per cent)."""
    if abs(change) < UNCHANGED:
        return "no change"
    return f"{'+' if change > 0 else '−'}{abs(change) * 100:,.0f}\u00a0%"


@dataclass(frozen=True)
class StagePrice:
    """One material's price at one stage against the scenario's baseline price."""

    material: str
    stage: str
    stage_name: str
    usd_per_kg: float
    baseline_usd_per_kg: float

    @property
    def change(self) -> float:
        return self.usd_per_kg / self.baseline_usd_per_kg - 1 if self.baseline_usd_per_kg \
            else 0.0


def stage_prices(scenario: Any, indicators: TurnIndicators, material: Any) -> list[StagePrice]:
    """Every stage's world price of ``material`` against its baseline."""
    prices = indicators.world_price_usd_per_kg.get(material.id, {})
    return [StagePrice(material.id, st.id, st.name, prices[st.id], float(st.price.value))
            for st in material.stages if st.id in prices]


def moved_most(rows: list[StagePrice]) -> StagePrice | None:
    """The stage whose price moved most (the last stage when none moved)."""
    if not rows:
        return None
    best = max(rows, key=lambda r: abs(r.change))
    return best if abs(best.change) >= UNCHANGED else rows[-1]


def _price_rows(scenario: Any, indicators: TurnIndicators) -> str:
    rows = ["<h4>Prices: the stage that moved most</h4><table cellspacing='4'>"
            "<tr><th align='left'>Material</th><th align='left'>Stage</th>"
            "<th align='right' style='white-space: nowrap'>USD/kg</th>"
            "<th align='right' style='white-space: nowrap'>vs baseline</th></tr>"]
    for material in scenario.materials:
        stages = stage_prices(scenario, indicators, material)
        top = moved_most(stages)
        if top is None:
            continue
        stage = next(st for st in material.stages if st.id == top.stage)
        others = "; ".join(f"{r.stage_name} {number(r.usd_per_kg)} ({change_text(r.change)})"
                           for r in stages)
        hover = (f"Every stage: {others}. Baseline {top.stage_name}: "
                 f"{number(top.baseline_usd_per_kg)} USD/kg — {cite(scenario, stage.price)}")
        rows.append(f"<tr><td>{esc(material.name)}</td><td>{esc(top.stage_name)}</td>"
                    f"<td align='right'>{sourced(number(top.usd_per_kg), hover)}</td>"
                    f"<td align='right'>{esc(change_text(top.change))}</td></tr>")
    rows.append("</table>")
    return "".join(rows)


def short_sectors(scenario: Any, indicators: TurnIndicators, actor: str) -> list[tuple[str, float]]:
    """(sector name, share met) of an actor's sectors short of demand, worst first."""
    sectors = indicators.supply_met_share.get(actor, {})
    short = sorted((share, sector) for sector, share in sectors.items() if share < 0.995)
    return [(scenario.sector(s).name if s in scenario.sector_index else s, share)
            for share, s in short]


def _supply_rows(scenario: Any, indicators: TurnIndicators) -> str:
    played = [a for a in scenario.actors if a.team and a.id in indicators.supply_met_share]
    if not played:
        return ""
    rows = ["<h4>Supply met: sectors short of demand</h4><table cellspacing='4'>"]
    for actor in played:
        short = short_sectors(scenario, indicators, actor.id)
        text = ", ".join(f"{esc(name)} {share * 100:.0f}\u00a0%" for name, share in short) \
            if short else "every sector fully supplied"
        rows.append(f"<tr><td>{esc(actor.name)}</td><td>{text}</td></tr>")
    rows.append("</table>")
    return "".join(rows)


def term_value(term: ScoreTerm) -> str:
    """An objective's value on its own scale: '92 %', '1.35x the start'."""
    value = term.raw_value
    if term.indicator in ("supply_met", "dependency"):
        return f"{value * 100:.0f}\u00a0%"
    if term.indicator == "crma":
        return f"{value * 100:.0f} % of the benchmarks"
    if term.indicator == "price":
        return f"{value:.2f}x the baseline price"
    if term.indicator in ("budget", "political_capital"):
        return f"{value:.2f}x the start"
    return f"{value:.2f}x a quiet turn"


def score_breakdown_html(score: TeamScore) -> str:
    """'Defence supply met: 92 % × 2 = 1.84' per objective, and the total."""
    def signed(text: str) -> str:
        return text.replace("-", "−")

    items = "".join(
        f"<li>{esc(term.label)}: {esc(term_value(term))} × {signed(f'{term.weight:g}')} = "
        f"{signed(f'{term.contribution:+.2f}')}</li>" for term in score.terms)
    return f"<ul>{items}</ul>" if items else ""


def _team_rows(scenario: Any, indicators: TurnIndicators, detail: bool,
               public: bool = False) -> str:
    scores = indicators.scores
    budget = {} if public else indicators.budget_usd_m  # budgets are each team's own
    if not (scores or budget):
        return ""
    rows = ["<h4>Teams</h4><table cellspacing='4'><tr><th align='left'>Team</th>"
            "<th align='right'>Score</th>"
            + ("" if public else "<th align='right'>Budget (USD m)</th>") + "</tr>"]
    for team in scenario.teams:
        score = scores.get(team.id)
        money = budget.get(team.id)
        money_text = sourced(f"{money:,.0f}", f"Started with USD {team.budget.value:,.0f} m — "
                                              f"{cite(scenario, team.budget)}") \
            if money is not None else ""
        rows.append(f"<tr><td>{esc(team.name)}</td><td align='right'>"
                    f"{f'{score.total:.2f}' if score is not None else '–'}</td>"
                    + ("" if public else f"<td align='right'>{money_text}</td>") + "</tr>")
    rows.append("</table>")
    if scores and detail:
        for team in scenario.teams:
            score = scores.get(team.id)
            if score is not None and score.terms:
                rows.append(f"<p><b>{esc(team.name)}</b> {score.total:.2f}</p>"
                            + score_breakdown_html(score))
        rows.append(f"<p><i>{esc(SCORE_SCALE)}</i></p>")
    elif scores:
        rows.append("<p><i>Score: weight × value over each team's objectives, each value "
                    "1.0 when as at the start.</i></p>")
    return "".join(rows)


def world_html(scenario: Any, indicators: TurnIndicators | None, baseline: bool = False,
               detail: bool = True, public: bool = False) -> str:
    """The world as it stands: prices (the stage that moved most), sectors short of demand,
    teams (with each score's breakdown when ``detail``). ``baseline``: the indicators are
    the baseline preview (no turn played yet). ``public``: for the room (the projector):
    the scores, without the teams' budgets."""
    if indicators is None:
        return "<p>No turn has been played yet: the world is at its baseline.</p>"
    intro = ("<p>No turn has been played yet. This is the baseline world: a quiet turn "
             "with no orders and no events.</p>") if baseline else ""
    return (intro + _price_rows(scenario, indicators) + _supply_rows(scenario, indicators)
            + _team_rows(scenario, indicators, detail and not baseline, public))


__all__ = ["SCORE_SCALE", "StagePrice", "change_text", "moved_most", "number",
           "score_breakdown_html", "short_sectors", "stage_prices", "term_value",
           "world_html"]
