"""The report's charts, drawn with matplotlib into SVG (no Qt, no display: the ``Figure``
object API with the SVG canvas, never ``pyplot``).

Why matplotlib and not hand-made SVG: axes with sensible ticks, legends placed where they do
not hide data, heat maps with colour bars and small multiples are hundreds of lines to write
and keep right by hand, and matplotlib is the best-kept Python library for exactly this; its
weight (one wheel; Pillow and fontTools are needed by the PDF writer anyway) is paid only
when a report is made, as this module is imported then. Text stays text in the SVG
(``svg.fonttype: none``), so a PDF's text extractor and a screen reader find the labels;
mathtext is off so a '$' in a scenario name is printed, not parsed.
"""
from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from wargame.report.model import AfterActionReport

WIDTH_IN = 6.7  # fits an A4 page between 2 cm margins
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "wargame-report",  # stable ids: the same report gives the same bytes
    "text.parse_math": False,
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 7.5,
}
SERIES_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                  "#e377c2", "#17becf", "#bcbd22", "#7f7f7f")


@dataclass(frozen=True)
class Chart:
    """One chart: ``key`` (stable, for anchors and file names), a title, a caption saying how
    to read it, and the SVG document."""

    key: str
    title: str
    caption: str
    svg: str

    @property
    def data_uri(self) -> str:
        """The SVG as a data URI for an ``<img>``: each chart keeps its own ids."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


# matplotlib styles every SVG node through one CSS rule; as presentation attributes on the
# root element the same strokes inherit, and the PDF writer need not match a "*" selector
# against each of some thousand nodes per chart
_STYLE_RULE = re.compile(r'\s*<defs>\s*<style type="text/css">\*\{stroke-linejoin: round; '
                         r'stroke-linecap: butt\}</style>\s*</defs>')


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg, found = _STYLE_RULE.subn("", buffer.getvalue(), count=1)
    if found:
        svg = svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    return svg


def _figure(height_in: float, ncols: int = 1, nrows: int = 1, **kw) -> tuple[Figure, list]:
    fig = Figure(figsize=(WIDTH_IN, height_in), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **kw)
    return fig, [ax for row in axes for ax in row]


def _turn_axis(ax, turns: Sequence[int]) -> None:
    ax.set_xlabel("Turn")
    ax.set_xticks(list(turns))
    if len(turns) == 1:
        ax.set_xlim(turns[0] - 0.5, turns[0] + 0.5)


def _legend_right(ax) -> None:
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)


def price_chart(report: AfterActionReport) -> Chart | None:
    rows = report.indicators
    if not rows:
        return None
    turns = [i.turn for i in rows]
    fig, (ax,) = _figure(2.8)
    for n, material in enumerate(rows[-1].price_index_vs_baseline):
        ax.plot(turns, [i.price_index_vs_baseline.get(material, float("nan")) for i in rows],
                marker="o", markersize=3, color=SERIES_COLOURS[n % len(SERIES_COLOURS)],
                label=report.name("material", material))
    ax.axhline(1.0, color="#555555", linewidth=0.8, linestyle="--")
    ax.set_ylabel("World price / baseline")
    _turn_axis(ax, turns)
    _legend_right(ax)
    return Chart("prices", "World prices against the baseline",
                 "Final-stage world price of each material (the average importers pay) divided "
                 "by its baseline price (dashed line: the baseline).", _svg(fig))


def supply_chart(report: AfterActionReport) -> Chart | None:
    rows = report.indicators
    if not rows:
        return None
    turns = [i.turn for i in rows]
    pairs = [(actor, sector) for actor, by_sector in rows[-1].supply_met_share.items()
             for sector in by_sector]
    if not pairs:
        return None
    grid = [[i.supply_met_share.get(a, {}).get(s, float("nan")) for i in rows]
            for a, s in pairs]
    fig, (ax,) = _figure(0.9 + 0.19 * len(pairs))
    ax.grid(False)
    image = ax.imshow(grid, aspect="auto", cmap="RdYlGn", vmin=0.0, vmax=1.0,
                      interpolation="nearest")
    ax.set_yticks(range(len(pairs)),
                  [f"{report.name('actor', a)} · {report.name('sector', s)}" for a, s in pairs])
    ax.set_xticks(range(len(turns)), [str(t) for t in turns])
    ax.set_xlabel("Turn")
    ax.tick_params(axis="y", labelsize=7)
    if len(pairs) * len(turns) <= 240:
        for y, line in enumerate(grid):
            for x, value in enumerate(line):
                if value == value:  # not NaN
                    ax.text(x, y, f"{100 * value:.0f}", ha="center", va="center", fontsize=6,
                            color="white" if value < 0.3 else "black")
    fig.colorbar(image, ax=ax, shrink=0.6, label="Share of demand met")
    return Chart("supply", "Supply met by sector",
                 "Share of each sector's demand met, per actor and turn (in per cent).",
                 _svg(fig))


def dependency_chart(report: AfterActionReport) -> Chart | None:
    """Where each played actor's supply of each material came from, at the last turn."""
    rows = report.indicators
    if not rows:
        return None
    last = rows[-1]
    played = {a for t in report.teams for a in t.actors}
    bars = [(material, actor, shares)
            for material, by_actor in last.dependency_share_by_material.items()
            for actor, shares in by_actor.items()
            if actor in played and shares]
    if not bars:
        return None
    origins = sorted({o for *_, shares in bars for o in shares},
                     key=lambda o: -sum(shares.get(o, 0) for *_, shares in bars))
    colour = {o: SERIES_COLOURS[n % len(SERIES_COLOURS)] for n, o in enumerate(origins)}
    fig, (ax,) = _figure(0.9 + 0.2 * len(bars))
    labels = [f"{report.name('material', m)} · {report.name('actor', a)}" for m, a, _ in bars]
    for origin in origins:
        left = [sum(v for o, v in shares.items() if origins.index(o) < origins.index(origin))
                for *_, shares in bars]
        ax.barh(range(len(bars)), [shares.get(origin, 0.0) for *_, shares in bars],
                left=left, color=colour[origin], label=report.name("actor", origin),
                height=0.7)
    ax.set_yticks(range(len(bars)), labels)
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=7)
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"Share of supply by origin (turn {last.turn})")
    ax.grid(axis="y", visible=False)
    _legend_right(ax)
    return Chart("dependency", "Dependency by material",
                 "Origin (where it was refined) of each played actor's supply of each "
                 "material at the last committed turn.", _svg(fig))


def _team_lines(report: AfterActionReport, value: Callable, ylabel: str, ax) -> None:
    rows = report.indicators
    turns = [i.turn for i in rows]
    for team in report.teams:
        series = [value(i, team.team) for i in rows]
        if all(v is None for v in series):
            continue
        ax.plot(turns, [float("nan") if v is None else v for v in series], marker="o",
                markersize=3, color=team.colour, label=team.name)
    ax.set_ylabel(ylabel)
    _turn_axis(ax, turns)


def _any(report: AfterActionReport, field: str) -> bool:
    """Whether any turn has values of ``field`` (an edition may not see them)."""
    return any(getattr(i, field) for i in report.indicators)


def score_chart(report: AfterActionReport) -> Chart | None:
    if not _any(report, "scores"):
        return None
    fig, (ax,) = _figure(2.6)
    _team_lines(report, lambda i, t: i.scores[t].total if t in i.scores else None,
                "Score", ax)
    _legend_right(ax)
    return Chart("scores", "Scores", "Each team's score against its objectives, per turn.",
                 _svg(fig))


def breakdown_chart(report: AfterActionReport) -> Chart | None:
    standings = [s for s in report.standings if s.terms]
    if not standings:
        return None
    longest = max(len(term.label) for s in standings for term in s.terms)
    cols = 2 if len(standings) > 1 and longest <= 24 else 1  # long labels get the width
    nrows = -(-len(standings) // cols)
    most = max(len(s.terms) for s in standings)
    per_term = 0.24 if cols == 2 else 0.18  # one column: keep six teams on one A4 page
    fig, axes = _figure(0.5 + nrows * (0.4 + per_term * most), ncols=cols, nrows=nrows)
    for ax, standing in zip(axes, standings):
        values = [term.contribution for term in standing.terms]
        ax.barh(range(len(values)), values, height=0.6,
                color=["#2ca02c" if v >= 0 else "#d62728" for v in values])
        ax.set_yticks(range(len(values)), [term.label for term in standing.terms])
        ax.invert_yaxis()
        ax.axvline(0, color="#555555", linewidth=0.8)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(axis="y", visible=False)
        ax.set_title(f"{standing.name}: {standing.total:,.2f}", loc="left")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    for ax in axes[len(standings):]:
        ax.set_visible(False)
    return Chart("breakdown", "Scores by objective",
                 "Each objective's contribution (weight x value) to the final score; "
                 "green adds, red subtracts.", _svg(fig))


def budget_chart(report: AfterActionReport) -> Chart | None:
    if not (_any(report, "budget_usd_m") or _any(report, "political_capital")):
        return None
    fig, (left, right) = _figure(2.6, ncols=2)
    _team_lines(report, lambda i, t: i.budget_usd_m.get(t), "Budget left (USD million)", left)
    _team_lines(report, lambda i, t: i.political_capital.get(t), "Political capital", right)
    handles, labels = left.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 5) or 1)
    return Chart("budgets", "Budgets and political capital",
                 "What each team has left to spend, in money and in political capital.",
                 _svg(fig))


@dataclass(frozen=True)
class Band:
    """One measure's real path beside a band of other outcomes (for example the re-runs of
    "was it luck?"), per turn: ``low``..``high`` shaded, ``middle`` dashed."""

    label: str
    colour: str
    real: tuple[float, ...]
    low: tuple[float, ...]
    middle: tuple[float, ...]
    high: tuple[float, ...]


def bands_svg(turns: Sequence[int], bands: Sequence[Band], ylabel: str) -> str:
    """Small multiples, one per band, as an SVG document (for an ``AnalysisSection``)."""
    cols = 2 if len(bands) > 1 else 1
    nrows = -(-len(bands) // cols)
    with matplotlib.rc_context(RC):
        fig, axes = _figure(0.4 + 1.7 * nrows, ncols=cols, nrows=nrows, sharex=True)
        for ax, band in zip(axes, bands):
            ax.fill_between(turns, band.low, band.high, color=band.colour, alpha=0.18,
                            linewidth=0)
            ax.plot(turns, band.middle, color=band.colour, linestyle="--", linewidth=0.9)
            ax.plot(turns, band.real, color=band.colour, marker="o", markersize=2.5)
            ax.set_title(band.label, loc="left")
            ax.set_ylabel(ylabel)
            _turn_axis(ax, turns)
        for ax in axes[len(bands):]:
            ax.set_visible(False)
        return _svg(fig)


CHARTS = (price_chart, supply_chart, dependency_chart, score_chart, breakdown_chart,
          budget_chart)


def report_charts(report: AfterActionReport) -> list[Chart]:
    """Every chart the report's data allows, in reading order."""
    with matplotlib.rc_context(RC):
        return [chart for make in CHARTS if (chart := make(report)) is not None]
