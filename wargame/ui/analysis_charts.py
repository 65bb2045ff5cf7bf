"""Charts of batch analysis in the debrief: "Was it luck?" (the real path of one measure
beside the 5-95 % band and the median of the re-runs) and branches (one line per session).

Both are line charts of ``wargame.ui.charts`` (theme, large type, the legend beside the
plot, turn ticks), fed with the analysis' typed results (``LuckMetric``, ``ComparedMetric``)
instead of a history of ``TurnIndicators``. Shares are shown in per cent.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from wargame.ui import palette
from wargame.ui._qt import QtCore, pg
from wargame.ui.charts import _LineChart

# the y-axis title of each headline number (the analysis' ``INDICATOR_UNITS`` are longer)
AXIS_TITLES = {
    "score": "Score (points)",
    "objective_value": "Objective (1 = baseline)",
    "supply_met_share": "Supply met (%)",
    "price_index_vs_baseline": "Price (baseline = 1)",
    "price_at_cap_share": "Prices at the cap (%)",
    "budget_usd_m": "Budget left (USD m)",
    "political_capital": "Political capital (points)",
}
PER_CENT = {"supply_met_share", "price_at_cap_share"}
# The least height of the y-axis, in plotted units, per kind of measure. A chart that zooms to
# its data makes a gap of 0.005 fill the plot and look as large as a crisis; with a floor, a
# small gap looks small. Shares: 20 percentage points; indices (1 = baseline): 0.2; points:
# 10; money and scores: 10 % of their size (at least 1 USD m, 0.2 points of score).
MIN_SPAN = {"supply_met_share": 20.0, "price_at_cap_share": 20.0,
            "price_index_vs_baseline": 0.2, "objective_value": 0.2, "political_capital": 10.0}
RELATIVE_SPAN = {"budget_usd_m": (0.1, 1.0), "score": (0.1, 0.2)}
NOT_NEGATIVE = {"supply_met_share", "price_at_cap_share", "price_index_vs_baseline",
                "budget_usd_m", "political_capital"}
REAL, MEDIAN, BAND = "Real game", "Median of the re-runs", "5-95 % of the re-runs"


def shown(indicator: str, value: float | None) -> float:
    """A value as plotted: shares in per cent, NaN for a missing one."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    return float(value) * (100.0 if indicator in PER_CENT else 1.0)


def y_axis_range(indicator: str, values: Sequence[float]) -> tuple[float, float] | None:
    """(low, high) of the y-axis for ``values`` as plotted: the data, widened about its
    middle to the measure's least span, kept within 0..100 % for shares and above zero for
    measures that cannot be negative. None when there is no finite value."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return None
    low, high = min(finite), max(finite)
    relative = RELATIVE_SPAN.get(indicator)
    if relative is not None:
        share, floor = relative
        need = max(floor, share * max(abs(low), abs(high)))
    else:
        need = MIN_SPAN.get(indicator, 0.0)
    if high - low < need:
        middle = (low + high) / 2.0
        low, high = middle - need / 2.0, middle + need / 2.0
    if indicator in PER_CENT and high > 100.0 >= max(finite):
        low, high = low - (high - 100.0), 100.0
    if indicator in NOT_NEGATIVE and low < 0.0 <= min(finite):
        low, high = 0.0, high - low
    return low, high


def value_text(indicator: str, value: float | None) -> str:
    """A value for a table cell: '87 %', '18,466', '85.9', '0.654' (three figures, so
    branches and re-runs that differ a little read differently), '-' for a missing one."""
    v = shown(indicator, value)
    if math.isnan(v):
        return "-"
    if indicator in PER_CENT:
        return f"{v:.0f} %"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.1f}" if abs(v) >= 10 else f"{v:.3f}"


class _MetricChart(_LineChart):
    """A line chart of one analysis measure (``_metric``), its axis titled by the measure's
    kind. ``_show`` sets the measure and redraws."""

    accessible_prefix = ""
    _metric: Any = None  # set before the first draw (the base class draws while built)

    def _show(self, metric: Any, title: str) -> None:
        self._metric = metric
        self.title_label.setText(title)
        self.setAccessibleName(f"{self.accessible_prefix}{title}")
        self._fit_y_label()
        self._redraw()

    def y_labels(self) -> tuple[str, ...]:
        if self._metric is None:
            return ("Value",)
        return (AXIS_TITLES.get(self._metric.indicator, "Value"), "Value")

    def _plotted_values(self) -> list[float]:
        """Every value the chart draws (lines, and a band where there is one)."""
        return [y for _label, _xs, ys in self._series_data() for y in ys]

    def _set_ranges(self, series: list[tuple[str, list[float], list[float]]]) -> None:
        super()._set_ranges(series)
        span = y_axis_range(self._metric.indicator, self._plotted_values())
        if span is not None:
            self.plot.setYRange(*span, padding=0.05)


class LuckChart(_MetricChart):
    """One measure of a ``LuckReport``: the re-runs' 5-95 % band (shaded), their median
    (dashed) and the real game (solid, with markers), per turn."""

    title_text = "Was it luck?"
    accessible_prefix = "Was it luck? "
    _turns: Sequence[int] = ()
    _band_items: tuple[Any, Any, Any] | None = None
    _band_swatch: Any = None

    def set_metric(self, metric: Any, turns: Sequence[int], title: str) -> None:
        """Show ``metric`` (a ``LuckMetric``) over ``turns``, titled ``title``."""
        self._turns = list(turns)
        self._show(metric, title)

    def _has_data(self) -> bool:
        return self._metric is not None and bool(self._turns)

    def _values(self, values: Sequence[float]) -> list[float]:
        return [shown(self._metric.indicator, v) for v in values]

    def _series_data(self) -> list[tuple[str, list[float], list[float]]]:
        m = self._metric
        return [(REAL, self._turns, self._values(m.real_by_turn)),
                (MEDIAN, self._turns, self._values(m.median_by_turn))]

    def band(self) -> tuple[list[float], list[float]]:
        """(5 %, 95 %) per turn as plotted."""
        m = self._metric
        return self._values(m.p05_by_turn), self._values(m.p95_by_turn)

    def _plotted_values(self) -> list[float]:
        lows, highs = self.band()
        return super()._plotted_values() + lows + highs

    def _redraw(self) -> None:
        super()._redraw()
        pgm = pg()
        colours = palette.chart_colours(self._theme)
        if self._band_items is None:
            low, high = pgm.PlotDataItem(), pgm.PlotDataItem()
            fill = pgm.FillBetweenItem(low, high)
            fill.setZValue(-10)  # under the lines
            for item in (low, high, fill):
                self.plot.addItem(item)
            self._band_items = (low, high, fill)
        low, high, fill = self._band_items
        if not self._has_data():
            low.setData([], [])
            high.setData([], [])
            return
        lows, highs = self.band()
        band_colour = pgm.mkColor(colours.series[0])
        band_colour.setAlpha(70)
        for item, ys in ((low, lows), (high, highs)):
            item.setData(self._turns, ys, connect="finite")
            item.setPen(pgm.mkPen(None))
        fill.setBrush(pgm.mkBrush(band_colour))
        median = self._curves.get(MEDIAN)
        if median is not None:
            dpr = max(1.0, float(self.devicePixelRatioF()))
            median.setPen(pgm.mkPen(colours.series[0], width=(2.5 if self._large else 1.5) * dpr,
                                    style=QtCore.Qt.PenStyle.DashLine))
            median.setSymbol(None)
        real = self._curves.get(REAL)
        if real is not None:
            real.setPen(pgm.mkPen(colours.series[0], width=(3.5 if self._large else 2.5)
                                  * max(1.0, float(self.devicePixelRatioF()))))
        if self._band_swatch is None:
            # the legend draws samples of plot items with ``opts``: a bar of the band's
            # colour (never added to the plot) stands for the shaded band
            self._band_swatch = pgm.BarGraphItem(x=[0], height=[0], width=1, pen=None)
        self._band_swatch.setOpts(brush=pgm.mkBrush(band_colour))
        if not any(label.text == BAND for _sample, label in self.legend.items):
            self.legend.addItem(self._band_swatch, BAND)


class BranchChart(_MetricChart):
    """One measure of a ``BranchComparison``: a line per session, per turn."""

    title_text = "Branches side by side"
    accessible_prefix = "Branches: "
    _names: Sequence[str] = ()

    def set_metric(self, metric: Any, names: Sequence[str], title: str) -> None:
        """Show ``metric`` (a ``ComparedMetric``) with one line per session (``names``)."""
        self._names = list(names)
        self._show(metric, title)

    def _has_data(self) -> bool:
        return self._metric is not None

    def _series_data(self) -> list[tuple[str, list[float], list[float]]]:
        m = self._metric
        return [(name, list(range(1, len(values) + 1)),
                 [shown(m.indicator, v) for v in values])
                for name, values in zip(self._names, m.values)]
