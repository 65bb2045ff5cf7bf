"""Debrief charts: prices, supply met (heat map), dependency, scores and budgets over turns.

Usage::

    from wargame.ui.charts import DebriefCharts
    charts = DebriefCharts()                      # cheap: pyqtgraph is imported here, lazily
    charts.update_history(scenario, [r.indicators for r in turn_results])  # TurnIndicators
    charts.set_large_type(True)                   # projector: bigger type, thicker lines
    charts.apply_theme("dark")                    # "light" | "dark"
    charts.set_tabbed(True)                       # one chart per tab instead of a grid
    charts.supply_met.select_turn(3)              # heat map shows turn 3

Each chart is also a widget of its own with the same three methods
(``update_history``, ``set_large_type``, ``apply_theme``): ``PriceChart``,
``SupplyMetHeatmap``, ``DependencyChart``, ``ScoreChart``, ``BudgetChart``.

``history`` is a list of the engine's typed ``TurnIndicators`` (``wargame.engine.results``),
one per resolved turn, oldest first; ``.turn`` gives the x value, and prices also get a
turn-0 point at the scenario's baseline price. Prices are the world price
(``world_price_usd_per_kg``), dependency per material (``dependency_share_by_material``)
or, chosen as such, the value-weighted aggregate of all materials
(``dependency_share_all_materials_by_value``), scores ``scores[team].total``, budgets
``budget_usd_m``, the heat map ``supply_met_share``.

pyqtgraph is imported when the first line chart is built (``wargame.ui._qt.pg``), not when
this module is imported, so the application starts fast. Fonts follow the application font
(point sizes, never pixel constants) so the charts read the same at 1366x768 and on 4K.
Line series differ by colour (Okabe-Ito) *and* marker shape; the heat map prints its values.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from wargame.ui import palette
from wargame.ui._qt import QtCore, QtGui, QtWidgets, pg

if TYPE_CHECKING:  # the engine is imported when a session opens, not at start-up
    from wargame.engine.results import TurnIndicators

Qt = QtCore.Qt

LARGE_TYPE_SCALE = 1.6
__all__ = [
    "DebriefCharts", "PriceChart", "SupplyMetHeatmap", "DependencyChart", "ScoreChart",
    "BudgetChart", "LARGE_TYPE_SCALE", "turn_numbers",
]


# --------------------------------------------------------------------------- helpers


def _base_point_size() -> float:
    app = QtWidgets.QApplication.instance()
    font = app.font() if app is not None else QtGui.QFont()
    size = font.pointSizeF()
    if size <= 0:  # font given in pixels
        size = max(8.0, font.pixelSize() * 0.75)
    return size


def turn_numbers(history: Sequence[TurnIndicators]) -> list[int]:
    """x values for a history: each turn's number."""
    return [ind.turn for ind in history]


def _actor_name(scenario: Any, actor_id: str) -> str:
    try:
        return scenario.actor(actor_id).name
    except (KeyError, AttributeError):
        return str(actor_id)


def _team_name(scenario: Any, team_id: str) -> str:
    try:
        return scenario.team(team_id).name
    except (KeyError, AttributeError):
        return str(team_id)


def _num(value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return math.nan
    return v


_LEGEND_CLASS: Any = None


def _legend_class() -> Any:
    """A pyqtgraph LegendItem that can live in a GraphicsLayout cell (built lazily).

    The stock ``LegendItem.updateSize`` moves the legend to (0, 0) over the plot; in a layout
    cell it should instead ask the layout for room, so the legend sits beside the plot and
    never hides data."""
    global _LEGEND_CLASS
    if _LEGEND_CLASS is None:
        pgm = pg()

        class SideLegend(pgm.LegendItem):
            def updateSize(self) -> None:  # noqa: N802 (pyqtgraph name)
                self.layout.invalidate()
                self.layout.activate()
                self.updateGeometry()

            def mouseDragEvent(self, ev: Any) -> None:  # noqa: N802 - not draggable
                ev.ignore()

        _LEGEND_CLASS = SideLegend
    return _LEGEND_CLASS


class _ChartBase(QtWidgets.QWidget):
    """Title row (+ optional controls) above a body; theme and large-type handling."""

    title_text = ""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = "light"
        self._large = False
        self._scenario: Any = None
        self._history: list[TurnIndicators] = []
        self._layout = QtWidgets.QVBoxLayout(self)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self._layout.setSpacing(2)
        header = QtWidgets.QHBoxLayout()
        header.setSpacing(6)
        self.title_label = QtWidgets.QLabel(self.title_text)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setWordWrap(True)  # wraps rather than widening the window
        header.addWidget(self.title_label, 1)
        self.controls = header
        self._layout.addLayout(header)
        self.setAccessibleName(self.title_text)
        self._control_widgets: list[QtWidgets.QWidget] = []

    # -- sizes
    def point_size(self, factor: float = 1.0) -> float:
        return _base_point_size() * factor * (LARGE_TYPE_SCALE if self._large else 1.0)

    def font_for(self, factor: float = 1.0, bold: bool = False) -> QtGui.QFont:
        app = QtWidgets.QApplication.instance()
        font = QtGui.QFont(app.font() if app is not None else QtGui.QFont())
        font.setPointSizeF(self.point_size(factor))
        font.setBold(bold)
        return font

    def _controls_below(self) -> None:
        """Controls go on a row of their own under the title (a chart with many selectors
        must still fit beside the map at 1024 px)."""
        row = QtWidgets.QHBoxLayout()
        row.setSpacing(6)
        self._layout.insertLayout(1, row)
        self.controls = row

    def _add_control(self, label: str, widget: QtWidgets.QWidget, accessible: str) -> None:
        if label:
            lab = QtWidgets.QLabel(label)
            lab.setBuddy(widget)
            self.controls.addWidget(lab)
            self._control_widgets.append(lab)
        widget.setAccessibleName(accessible)
        widget.setToolTip(accessible)
        if isinstance(widget, QtWidgets.QComboBox):
            # a few characters wide at least, not the longest entry: the chart must fit
            # beside the map at 1024 px (the list still opens at full width)
            widget.setSizeAdjustPolicy(
                QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(10)
        self.controls.addWidget(widget)
        self._control_widgets.append(widget)

    def _restyle_header(self) -> None:
        self.title_label.setFont(self.font_for(1.15, bold=True))
        for w in self._control_widgets:
            w.setFont(self.font_for(1.0))

    # -- public API
    def set_large_type(self, on: bool) -> None:
        self._large = bool(on)
        self._restyle_header()
        self._restyle()
        self._redraw()

    def apply_theme(self, theme: object) -> None:
        self._theme = palette.theme_name(theme)
        self._restyle()
        self._redraw()

    def update_history(self, scenario: Any, history: Sequence[TurnIndicators]) -> None:
        self._scenario = scenario
        self._history = list(history)
        self._on_new_data()
        self._redraw()

    # -- for subclasses
    def _on_new_data(self) -> None:
        """Refresh selectors after new data arrived."""

    def _restyle(self) -> None:
        raise NotImplementedError

    def _redraw(self) -> None:
        raise NotImplementedError


# --------------------------------------------------------------------------- line charts


class _LineChart(_ChartBase):
    """A pyqtgraph plot with a legend in its own column to the right of the plot."""

    y_label = ""
    x_label = "Turn"
    y_range: tuple[float, float] | None = None

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        pgm = pg()
        self.graphics = pgm.GraphicsLayoutWidget()
        self.graphics.setAccessibleName(self.title_text)
        self.graphics.ci.setContentsMargins(2, 2, 2, 2)
        self.plot = self.graphics.addPlot(row=0, col=0)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(x=True, y=True, alpha=0.35)
        for name in ("left", "bottom"):
            self.plot.getAxis(name).enableAutoSIPrefix(False)
        self.legend = _legend_class()(offset=None, verSpacing=-2)
        self.graphics.addItem(self.legend, row=0, col=1)
        self.legend.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred,
                                  QtWidgets.QSizePolicy.Policy.Maximum)
        self.graphics.ci.layout.setAlignment(self.legend, Qt.AlignmentFlag.AlignTop)
        self.graphics.ci.layout.setColumnStretchFactor(0, 10)
        self.graphics.ci.layout.setColumnStretchFactor(1, 0)
        self._curves: dict[str, Any] = {}
        self._style_signature: tuple | None = None
        self._series: list[tuple[str, list[float], list[float]]] = []
        self._empty_text = pgm.TextItem("No turns played yet", anchor=(0.5, 0.5))
        self.plot.vb.sigResized.connect(lambda *_: self._fit_y_label())
        self._layout.addWidget(self.graphics, 1)
        self._restyle_header()
        self._restyle()

    # -- styling
    def _restyle(self) -> None:
        colours = palette.chart_colours(self._theme)
        self.graphics.setBackground(colours.background)
        tick_font = self.font_for(0.95)
        label_pt = self.point_size(1.0)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg().mkPen(colours.muted))
            axis.setTextPen(pg().mkPen(colours.foreground))
            axis.setStyle(tickFont=tick_font, tickTextOffset=max(3, int(label_pt * 0.5)))
        self._label_style = {"color": colours.foreground, "font-size": f"{label_pt:.1f}pt"}
        self._fit_y_label()
        self.plot.getAxis("bottom").setLabel(
            self._x_label(), **{"color": colours.foreground, "font-size": f"{label_pt:.1f}pt"})
        self.plot.getAxis("bottom").setHeight(None)
        self.plot.getAxis("left").setWidth(None)
        self._empty_text.setColor(colours.muted)
        self._empty_text.setFont(self.font_for(1.1))

    def y_labels(self) -> tuple[str, ...]:
        """The y-axis title, longest first: the longest that fits the axis is shown."""
        return (self.y_label,)

    def _fit_y_label(self) -> None:
        """The longest y-axis title whose rotated text fits the plot's height (a cut title
        says nothing: 'Price index (baseline = 10')."""
        axis = self.plot.getAxis("left")
        style = getattr(self, "_label_style", {})
        font = self.font_for(1.0)
        fm = QtGui.QFontMetricsF(font)
        room = self.plot.vb.height() - 4 if self.plot.vb.height() > 10 else float("inf")
        choices = self.y_labels()
        text = next((t for t in choices if fm.horizontalAdvance(t) <= room), choices[-1])
        if axis.labelText != text or not axis.label.isVisible():
            axis.setLabel(text, **style)
        self.y_label_shown = text

    def _x_label(self) -> str:
        months = getattr(self._scenario, "turn_length_months", None)
        return f"Turn ({months} months each)" if months else self.x_label

    def _series_data(self) -> list[tuple[str, list[float], list[float]]]:
        """(label, xs, ys) per line; subclasses compute from self._scenario/_history."""
        raise NotImplementedError

    def _has_data(self) -> bool:
        """Whether there is anything to draw (charts fed otherwise than by a history say)."""
        return bool(self._history)

    def _redraw(self) -> None:
        pgm = pg()
        colours = palette.chart_colours(self._theme)
        series = self._series_data() if self._has_data() else []
        series = [sr for sr in series if any(y == y for y in sr[2])]  # drop all-NaN lines
        self._series = series
        # pyqtgraph's pens are cosmetic (device pixels): scale them on high-DPI screens
        dpr = max(1.0, float(self.devicePixelRatioF()))
        width = (3.5 if self._large else 2.0) * dpr
        symbol_size = 11 if self._large else 7
        seen = set()
        # restyling and rebuilding the legend is most of the cost: only when something changed
        signature = (tuple(label for label, _, _ in series), self._theme, self._large, dpr)
        restyle = signature != self._style_signature
        if restyle:
            self.legend.clear()
            self.legend.setLabelTextSize(f"{self.point_size(0.95):.1f}pt")
            self.legend.setLabelTextColor(colours.foreground)
        for i, (label, xs, ys) in enumerate(series):
            seen.add(label)
            colour = colours.series[i % len(colours.series)]
            curve = self._curves.get(label)
            if curve is None:
                curve = pgm.PlotDataItem()
                self.plot.addItem(curve)
                self._curves[label] = curve
            if restyle:
                curve.opts["pen"] = pgm.mkPen(colour, width=width)
                curve.opts["symbol"] = palette.series_symbol(i)
                curve.opts["symbolSize"] = symbol_size
                curve.opts["symbolBrush"] = pgm.mkBrush(colour)
                curve.opts["symbolPen"] = pgm.mkPen(colours.background, width=1)
            curve.setData(xs, ys, connect="finite")
            if restyle:
                self.legend.addItem(curve, label)
        for label in [k for k in self._curves if k not in seen]:
            self.plot.removeItem(self._curves.pop(label))
        if restyle:
            self._style_signature = signature
            self.graphics.ci.layout.activate()  # give the legend its room now
        if series:
            if self._empty_text.scene() is not None:
                self.plot.removeItem(self._empty_text)
            self._set_ranges(series)
        else:
            if self._empty_text.scene() is None:
                self.plot.addItem(self._empty_text, ignoreBounds=True)
            self.plot.setXRange(0, 1, padding=0)
            self.plot.setYRange(0, 1, padding=0)
            self._empty_text.setPos(0.5, 0.5)
        self.plot.getAxis("bottom").setLabel(self._x_label())

    _x_extent: tuple[float, float] | None = None

    def _update_ticks(self) -> None:
        """Turn ticks 1, 2, 5, 10 ... apart so that labels never collide."""
        if self._x_extent is None:
            return
        lo, hi = self._x_extent
        fm = QtGui.QFontMetricsF(self.font_for(0.95))
        plot_px = max(120.0, self.graphics.width() * 0.7)
        px_per_turn = plot_px / max(1.0, hi - lo + 1.0)
        label_px = fm.horizontalAdvance(str(int(hi))) * 1.5 + 4
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 1000)
                    if s * px_per_turn >= label_px or s == 1000)
        self.plot.getAxis("bottom").setTickSpacing(major=step, minor=step)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._update_ticks()

    def _set_ranges(self, series: list[tuple[str, list[float], list[float]]]) -> None:
        xs = [x for _, sx, _ in series for x in sx]
        lo, hi = min(xs), max(xs)
        self._x_extent = (lo, hi)
        fm = QtGui.QFontMetricsF(self.font_for(0.95))
        self._update_ticks()
        # left axis wide enough for the longest tick label plus the rotated axis title
        ys = [abs(y) for _, _, sy in series for y in sy if y == y and abs(y) != math.inf]
        top = max(ys) if ys else 1.0
        if self.plot.getAxis("left").logMode:
            sample = "10000" if top >= 1000 else "1000"
        else:
            digits = len(str(int(top))) if top >= 1 else 1
            sample = "8" * digits + (".88" if top < 10 else "") + "-"
        axis_w = fm.horizontalAdvance(sample) + fm.height() * 1.5 + self.point_size() * 0.5 + 8
        self.plot.getAxis("left").setWidth(int(math.ceil(axis_w)))
        self.plot.setXRange(lo - 0.4, hi + 0.6, padding=0)
        if self.y_range is not None:
            self.plot.setYRange(*self.y_range, padding=0.02)
        else:
            self.plot.enableAutoRange(axis="y")


class PriceChart(_LineChart):
    """Price of each material at one stage over turns, as an index or in USD/kg."""

    title_text = "Prices by material"
    MODES = (("index", "Index"), ("usd", "USD/kg"))
    STAGES = (("last", "Final stage"), ("first", "First stage (mine)"))

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode_combo = QtWidgets.QComboBox()
        for key, text in self.MODES:
            self.mode_combo.addItem(text, key)
        self.stage_combo = QtWidgets.QComboBox()
        for key, text in self.STAGES:
            self.stage_combo.addItem(text, key)
        self.log_check = QtWidgets.QCheckBox("Log scale")
        self._add_control("", self.stage_combo, "Price stage")
        self._add_control("", self.mode_combo, "Price unit")
        self._add_control("", self.log_check, "Logarithmic price axis")
        self.mode_combo.currentIndexChanged.connect(self._controls_changed)
        self.stage_combo.currentIndexChanged.connect(self._controls_changed)
        self.log_check.toggled.connect(self._controls_changed)
        self._restyle_header()
        self._restyle()

    @property
    def y_label(self) -> str:  # type: ignore[override]
        return self.y_labels()[0]

    def y_labels(self) -> tuple[str, ...]:
        mode = self.mode_combo.currentData() if hasattr(self, "mode_combo") else "index"
        if mode == "index":
            return ("Price index (baseline = 100)", "Index (baseline 100)", "Index")
        return ("Price (USD/kg)", "USD/kg")

    def set_mode(self, mode: str) -> None:
        """``"index"`` or ``"usd"``."""
        self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(mode)))

    def set_log_scale(self, on: bool) -> None:
        self.log_check.setChecked(bool(on))

    def _controls_changed(self, *_: Any) -> None:
        self.plot.setLogMode(y=self.log_check.isChecked())
        self._restyle()
        self._redraw()

    def _series_data(self) -> list[tuple[str, list[float], list[float]]]:
        scenario = self._scenario
        mode = self.mode_combo.currentData()
        which = self.stage_combo.currentData()
        turns = turn_numbers(self._history)
        out = []
        for material in getattr(scenario, "materials", ()):
            stage = material.stages[-1] if which == "last" else material.stages[0]
            base = float(stage.price.value) or math.nan
            ys = [base]
            for ind in self._history:
                ys.append(_num(ind.world_price_usd_per_kg.get(material.id, {}).get(stage.id)))
            if mode == "index":
                ys = [100.0 * y / base for y in ys]
            if self.log_check.isChecked():
                ys = [y if y > 0 else math.nan for y in ys]
            label = f"{material.name} ({stage.name})" if which == "first" else material.name
            out.append((label, [0, *turns], ys))
        return out


class DependencyChart(_LineChart):
    """Share of each actor's (or bloc's) supply of one material that originates in one
    origin (where it was refined), over turns; or, chosen as such, the aggregate over all
    materials weighted by value (labelled so: a US 'dependency on Indonesia' of 60 % in a
    rare-earth exercise was the nickel in it)."""

    title_text = "Dependency on China"
    y_label = "Share of supply from origin (%)"
    y_range = (0.0, 100.0)
    ALL = "all"  # the material combo's aggregate entry

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.origin_combo = QtWidgets.QComboBox()
        self.material_combo = QtWidgets.QComboBox()
        self.group_combo = QtWidgets.QComboBox()
        self.group_combo.addItem("By actor", "actor")
        self.group_combo.addItem("By bloc", "bloc")
        self._controls_below()
        self._add_control("Origin", self.origin_combo, "Dependency origin")
        self._add_control("", self.material_combo, "Material (or all materials together)")
        self._add_control("", self.group_combo, "Group dependency by")
        self.origin_combo.currentIndexChanged.connect(self._controls_changed)
        self.material_combo.currentIndexChanged.connect(self._controls_changed)
        self.group_combo.currentIndexChanged.connect(self._controls_changed)
        self._restyle_header()
        self._restyle()

    def y_labels(self) -> tuple[str, ...]:
        return ("Share of supply from origin (%)", "Share from origin (%)", "%")

    def set_material(self, material: str) -> None:
        """A material id, or ``DependencyChart.ALL`` for the value-weighted aggregate."""
        index = self.material_combo.findData(material)
        if index >= 0:
            self.material_combo.setCurrentIndex(index)

    def _shares(self, ind: TurnIndicators) -> dict[str, dict[str, float]]:
        """{actor: {origin: share}} of the material chosen (or the aggregate)."""
        material = self.material_combo.currentData()
        if material in (None, self.ALL):
            return ind.dependency_share_all_materials_by_value
        return ind.dependency_share_by_material.get(material, {})

    def _title(self) -> str:
        origin = self.origin_combo.currentText()
        what = self.material_combo.currentText()
        if not origin:
            return self.title_text
        return f"Dependency on {origin}: {what}" if what else f"Dependency on {origin}"

    def set_origin(self, origin: str) -> None:
        index = self.origin_combo.findData(origin)
        if index >= 0:
            self.origin_combo.setCurrentIndex(index)

    def set_grouping(self, grouping: str) -> None:
        """``"actor"`` or ``"bloc"``."""
        self.group_combo.setCurrentIndex(max(0, self.group_combo.findData(grouping)))

    def _controls_changed(self, *_: Any) -> None:
        self.title_label.setText(self._title())
        self._redraw()

    @staticmethod
    def _guess_china(origins: list[str], scenario: Any) -> str | None:
        for oid in origins:
            name = _actor_name(scenario, oid).lower()
            if oid.lower() in ("cn", "chn", "china", "prc") or "china" in name:
                return oid
        return origins[0] if origins else None

    def _on_new_data(self) -> None:
        chosen = self.material_combo.currentData()
        self.material_combo.blockSignals(True)
        self.material_combo.clear()
        for material in getattr(self._scenario, "materials", ()):
            self.material_combo.addItem(material.name, material.id)
        self.material_combo.addItem("All materials (aggregate, by value)", self.ALL)
        self.material_combo.setCurrentIndex(max(0, self.material_combo.findData(chosen)))
        self.material_combo.blockSignals(False)
        origins: list[str] = []
        for ind in self._history:
            for shares in self._shares(ind).values():
                for origin in shares:
                    if origin not in origins:
                        origins.append(origin)
        index = {a.id: i for i, a in enumerate(getattr(self._scenario, "actors", ()))}
        origins.sort(key=lambda o: index.get(o, 10**6))
        current = self.origin_combo.currentData()
        self.origin_combo.blockSignals(True)
        self.origin_combo.clear()
        for origin in origins:
            self.origin_combo.addItem(_actor_name(self._scenario, origin), origin)
        pick = current if current in origins else self._guess_china(origins, self._scenario)
        if pick is not None:
            self.origin_combo.setCurrentIndex(self.origin_combo.findData(pick))
        self.origin_combo.blockSignals(False)
        self.title_label.setText(self._title())

    def _series_data(self) -> list[tuple[str, list[float], list[float]]]:
        scenario = self._scenario
        origin = self.origin_combo.currentData()
        turns = turn_numbers(self._history)
        actors = []
        for ind in self._history:
            for actor in self._shares(ind):
                if actor not in actors and actor != origin:
                    actors.append(actor)
        order = {a.id: i for i, a in enumerate(getattr(scenario, "actors", ()))}
        actors.sort(key=lambda a: order.get(a, 10**6))
        per_actor = {
            a: [100.0 * _num(self._shares(ind).get(a, {}).get(origin, 0.0)
                             if a in self._shares(ind) else math.nan)
                for ind in self._history]
            for a in actors
        }
        if self.group_combo.currentData() != "bloc" or scenario is None:
            return [(_actor_name(scenario, a), turns, ys) for a, ys in per_actor.items()]
        # by bloc: demand-weighted mean of the members' shares (equal weights without demand)
        weights: dict[str, float] = {}
        for entry in getattr(scenario, "demand", ()):
            weights[entry.actor] = weights.get(entry.actor, 0.0) + float(
                entry.tonnes_per_year.value)
        blocs: dict[str, list[str]] = {}
        for a in actors:
            try:
                bloc = scenario.actor(a).bloc or scenario.actor(a).name
            except (KeyError, AttributeError):
                bloc = a
            blocs.setdefault(bloc, []).append(a)
        out = []
        for bloc, members in blocs.items():
            ys = []
            for t in range(len(turns)):
                num = den = 0.0
                for a in members:
                    v = per_actor[a][t]
                    if v == v:
                        w = weights.get(a, 0.0) or 1.0
                        num += w * v
                        den += w
                ys.append(num / den if den else math.nan)
            out.append((bloc, turns, ys))
        return out


class ScoreChart(_LineChart):
    """Each team's score over turns."""

    title_text = "Team scores"
    y_label = "Score (points)"

    def y_labels(self) -> tuple[str, ...]:
        return ("Score (points)", "Score")

    @staticmethod
    def values(ind: TurnIndicators) -> dict[str, float]:
        """The value plotted per team in one turn."""
        return {team: score.total for team, score in ind.scores.items()}

    def _series_data(self) -> list[tuple[str, list[float], list[float]]]:
        turns = turn_numbers(self._history)
        teams: list[str] = [t.id for t in getattr(self._scenario, "teams", ())]
        per_turn = [self.values(ind) for ind in self._history]
        for values in per_turn:
            for team in values:
                if team not in teams:
                    teams.append(team)
        out = []
        for team in teams:
            ys = [_num(values.get(team, math.nan)) for values in per_turn]
            if all(y != y for y in ys):
                continue
            out.append((_team_name(self._scenario, team), turns, ys))
        return out


class BudgetChart(ScoreChart):
    """Each team's remaining budget over turns."""

    title_text = "Budgets"
    y_label = "Budget left (USD m)"

    def y_labels(self) -> tuple[str, ...]:
        return ("Budget left (USD m)", "USD m")

    @staticmethod
    def values(ind: TurnIndicators) -> dict[str, float]:
        return dict(ind.budget_usd_m)


# --------------------------------------------------------------------------- heat map


def _wrap_lines(text: str, fm: QtGui.QFontMetricsF, width: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines, each elided to ``width``."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if current and fm.horizontalAdvance(trial) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return [fm.elidedText(line, Qt.TextElideMode.ElideRight, max(1.0, width)) for line in lines]


class _HeatmapCanvas(QtWidgets.QWidget):
    """Custom-painted grid: rows = actors, columns = sectors, values 0..1 annotated in %."""

    def __init__(self, owner: "SupplyMetHeatmap") -> None:
        super().__init__(owner)
        self._owner = owner
        self.rows: list[str] = []
        self.cols: list[str] = []
        self.values: list[list[float]] = []  # NaN = no demand
        self.setMinimumSize(240, 160)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                           QtWidgets.QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self._cell_rects: list[tuple[QtCore.QRectF, int, int]] = []

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(480, 300)

    def _header_font(self, width: float) -> tuple[QtGui.QFont, QtGui.QFontMetricsF]:
        font = self._owner.font_for(0.95)
        fm = QtGui.QFontMetricsF(font)
        widest = max([fm.horizontalAdvance(w) for c in self.cols for w in c.split()] + [1.0])
        if widest > width:
            font.setPointSizeF(max(font.pointSizeF() * 0.75,
                                   font.pointSizeF() * width / widest))
            fm = QtGui.QFontMetricsF(font)
        return font, fm

    def _layout_geometry(self):
        owner = self._owner
        font = owner.font_for(0.95)
        fm = QtGui.QFontMetricsF(font)
        pad = fm.height() * 0.4
        row_w = max([fm.horizontalAdvance(r) for r in self.rows] + [0]) + pad * 2
        bar_w = fm.height() * 0.9
        bar_label_w = fm.horizontalAdvance("100 %") + pad
        bar_total = bar_w + bar_label_w + pad * 3
        avail_w = max(10.0, self.width() - row_w - bar_total - pad)
        ncols = max(1, len(self.cols))
        cell_w = avail_w / ncols
        # column headers wrap onto up to 3 lines in the cell width
        _, hfm = self._header_font(cell_w - pad * 0.5)
        head_lines = max([len(_wrap_lines(c, hfm, cell_w - pad * 0.5, 3)) for c in self.cols]
                         + [1])
        head_h = hfm.height() * head_lines + pad
        avail_h = max(10.0, self.height() - head_h - pad * 2)
        nrows = max(1, len(self.rows))
        cell_h = min(avail_h / nrows, fm.height() * 4)
        left = row_w
        top = head_h + pad
        return font, fm, pad, left, top, cell_w, cell_h, bar_w

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 (Qt name)
        owner = self._owner
        colours = palette.chart_colours(owner._theme)
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QtGui.QColor(colours.background))
        font, fm, pad, left, top, cell_w, cell_h, bar_w = self._layout_geometry()
        p.setFont(font)
        fg = QtGui.QColor(colours.foreground)
        self._cell_rects = []
        if not self.rows or not self.cols:
            p.setPen(QtGui.QColor(colours.muted))
            p.setFont(owner.font_for(1.1))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No turns played yet")
            p.end()
            return
        # column headers (a smaller font when a single word is wider than a cell)
        p.setPen(fg)
        hfont, hfm = self._header_font(cell_w - pad * 0.5)
        p.setFont(hfont)
        for j, name in enumerate(self.cols):
            lines = _wrap_lines(name, hfm, cell_w - pad * 0.5, 3)
            for k, line in enumerate(lines):
                y = top - pad * 0.5 - (len(lines) - k) * hfm.height()
                p.drawText(QtCore.QRectF(left + j * cell_w, y, cell_w, hfm.height()),
                           int(Qt.AlignmentFlag.AlignCenter), line)
        p.setFont(font)
        # rows
        cell_font = owner.font_for(0.95, bold=True)
        for i, name in enumerate(self.rows):
            y = top + i * cell_h
            p.setPen(fg)
            p.setFont(font)
            p.drawText(QtCore.QRectF(0, y, left - pad, cell_h),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), name)
            for j in range(len(self.cols)):
                value = self.values[i][j]
                rect = QtCore.QRectF(left + j * cell_w, y, cell_w, cell_h)
                inner = rect.adjusted(1, 1, -1, -1)
                self._cell_rects.append((inner, i, j))
                if value != value:
                    p.fillRect(inner, QtGui.QColor(colours.missing))
                    p.setPen(QtGui.QColor(colours.muted))
                    text = "–"
                else:
                    bg = palette.sequential_colour(value)
                    p.fillRect(inner, bg)
                    p.setPen(palette.text_colour_on(bg))
                    text = f"{100 * value:.0f} %"
                p.setFont(cell_font)
                p.drawText(inner, int(Qt.AlignmentFlag.AlignCenter), text)
        # colour bar 0..100 %
        bar_x = left + len(self.cols) * cell_w + pad * 2
        bar_top = top
        bar_h = max(cell_h * len(self.rows), fm.height() * 4)
        grad = QtGui.QLinearGradient(0, bar_top + bar_h, 0, bar_top)
        for t, colour in palette.sequential_stops():
            grad.setColorAt(t, QtGui.QColor(colour))
        p.fillRect(QtCore.QRectF(bar_x, bar_top, bar_w, bar_h), QtGui.QBrush(grad))
        p.setPen(QtGui.QColor(colours.muted))
        p.drawRect(QtCore.QRectF(bar_x, bar_top, bar_w, bar_h))
        p.setFont(font)
        p.setPen(fg)
        for pct in (0, 25, 50, 75, 100):
            y = bar_top + bar_h * (1 - pct / 100)
            p.drawLine(QtCore.QPointF(bar_x + bar_w, y), QtCore.QPointF(bar_x + bar_w + 3, y))
            p.drawText(QtCore.QRectF(bar_x + bar_w + 5, y - fm.height() / 2, 200, fm.height()),
                       int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       f"{pct} %")
        p.end()

    def cell_at(self, pos: QtCore.QPointF) -> tuple[int, int] | None:
        for rect, i, j in self._cell_rects:
            if rect.contains(pos):
                return i, j
        return None

    def event(self, ev: QtCore.QEvent) -> bool:
        if ev.type() == QtCore.QEvent.Type.ToolTip:
            hit = self.cell_at(QtCore.QPointF(ev.pos()))
            if hit is not None:
                i, j = hit
                value = self.values[i][j]
                text = (f"{self.rows[i]} – {self.cols[j]}: "
                        + ("no demand" if value != value else f"{100 * value:.1f} % of demand met"))
                QtWidgets.QToolTip.showText(ev.globalPos(), text, self)
            else:
                QtWidgets.QToolTip.hideText()
            return True
        return super().event(ev)


class SupplyMetHeatmap(_ChartBase):
    """Share of demand met per actor (rows) and sector (columns) in one chosen turn."""

    title_text = "Share of demand met"

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.turn_combo = QtWidgets.QComboBox()
        self._add_control("Turn", self.turn_combo, "Turn shown in the supply heat map")
        self.turn_combo.currentIndexChanged.connect(lambda *_: self._redraw())
        self.canvas = _HeatmapCanvas(self)
        self.canvas.setAccessibleName("Share of demand met by actor and sector")
        self._layout.addWidget(self.canvas, 1)
        self._restyle_header()
        self._restyle()

    def select_turn(self, turn: int) -> None:
        index = self.turn_combo.findData(int(turn))
        if index >= 0:
            self.turn_combo.setCurrentIndex(index)

    def selected_turn(self) -> int | None:
        return self.turn_combo.currentData()

    def matrix(self) -> tuple[list[str], list[str], list[list[float]]]:
        """(row labels, column labels, values 0..1 or NaN) currently shown (for tests)."""
        return list(self.canvas.rows), list(self.canvas.cols), [list(r) for r in
                                                                self.canvas.values]

    def _on_new_data(self) -> None:
        turns = turn_numbers(self._history)
        current = self.turn_combo.currentData()
        at_end = current is None or self.turn_combo.currentIndex() == self.turn_combo.count() - 1
        self.turn_combo.blockSignals(True)
        self.turn_combo.clear()
        for t in turns:
            self.turn_combo.addItem(str(t), t)
        if turns:
            pick = turns[-1] if at_end or current not in turns else current
            self.turn_combo.setCurrentIndex(self.turn_combo.findData(pick))
        self.turn_combo.blockSignals(False)

    def _restyle(self) -> None:
        self.canvas.update()

    def _redraw(self) -> None:
        scenario = self._scenario
        turns = turn_numbers(self._history)
        turn = self.turn_combo.currentData()
        rows: list[str] = []
        cols: list[str] = []
        values: list[list[float]] = []
        if turn in turns:
            data = self._history[turns.index(turn)].supply_met_share
            actor_order = [a.id for a in getattr(scenario, "actors", ())]
            actor_ids = [a for a in actor_order if a in data]
            actor_ids += [a for a in data if a not in actor_ids]
            sector_order = [s.id for s in getattr(scenario, "sectors", ())]
            present = {s for row in data.values() for s in row}
            sector_ids = [s for s in sector_order if s in present]
            sector_ids += sorted(s for s in present if s not in sector_ids)
            for a in actor_ids:
                values.append([_num(data[a].get(s, math.nan)) for s in sector_ids])
            rows = [_actor_name(scenario, a) for a in actor_ids]
            for s in sector_ids:
                try:
                    cols.append(scenario.sector(s).name)
                except (KeyError, AttributeError):
                    cols.append(s)
        self.canvas.rows, self.canvas.cols, self.canvas.values = rows, cols, values
        fm = QtGui.QFontMetricsF(self.font_for(0.95))
        self.canvas.setMinimumHeight(int(fm.height() * (2.5 + 1.6 * max(1, len(rows)))))
        self.canvas.update()


# --------------------------------------------------------------------------- composite


class DebriefCharts(QtWidgets.QWidget):
    """All debrief charts in one widget: a grid (default) or one chart per tab.
    ``public=True`` (the projector): only what the room may see (``PublicState``: prices,
    supply met, scores); each team's dependency and budget stay off the wall."""

    _TITLES = {"prices": "Prices", "supply_met": "Supply met", "dependency": "Dependency",
               "scores": "Scores", "budgets": "Budgets"}
    PUBLIC = ("prices", "supply_met", "scores")

    def __init__(self, parent: QtWidgets.QWidget | None = None, public: bool = False) -> None:
        super().__init__(parent)
        self.setAccessibleName("Debrief charts")
        self.public = public
        self._names = self.PUBLIC if public else tuple(self._TITLES)
        self.prices = PriceChart()
        self.supply_met = SupplyMetHeatmap()
        self.scores = ScoreChart()
        self.dependency = None if public else DependencyChart()
        self.budgets = None if public else BudgetChart()
        self._tabbed = False
        self._tabbed_explicit = False
        self._outer = QtWidgets.QVBoxLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._grid_host: QtWidgets.QWidget | None = None
        self._tabs: QtWidgets.QTabWidget | None = None
        self._build_grid()

    def charts(self) -> list[_ChartBase]:
        return [getattr(self, name) for name in self._names]

    # placement: (row, col, rowspan, colspan) in a 2 x 6 grid
    _GRID = {"prices": (0, 0, 1, 3), "supply_met": (0, 3, 1, 3), "dependency": (1, 0, 1, 2),
             "scores": (1, 2, 1, 2), "budgets": (1, 4, 1, 2)}

    def _take_charts(self) -> None:
        for chart in self.charts():
            chart.setParent(None)
        if self._grid_host is not None:
            self._outer.removeWidget(self._grid_host)
            self._grid_host.deleteLater()
            self._grid_host = None
        if self._tabs is not None:
            self._outer.removeWidget(self._tabs)
            self._tabs.deleteLater()
            self._tabs = None

    def _build_grid(self) -> None:
        self._take_charts()
        host = QtWidgets.QWidget()
        grid = QtWidgets.QGridLayout(host)
        grid.setContentsMargins(2, 2, 2, 2)
        grid.setSpacing(6)
        for name in self._names:
            r, c, rs, cs = self._GRID[name]
            grid.addWidget(getattr(self, name), r, c, rs, cs)
        for c in range(6):
            grid.setColumnStretch(c, 1)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)
        self._grid_host = host
        self._outer.addWidget(host)
        for chart in self.charts():
            chart.show()

    def _build_tabs(self) -> None:
        self._take_charts()
        tabs = QtWidgets.QTabWidget()
        tabs.setAccessibleName("Debrief chart tabs")
        for name in self._names:
            tabs.addTab(getattr(self, name), self._TITLES[name])
        self._tabs = tabs
        self._outer.addWidget(tabs)

    # -- public API
    def set_tabbed(self, on: bool) -> None:
        """One chart per tab (good for a projector) instead of all five in a grid."""
        self._tabbed_explicit = True
        self._set_tabbed(on)

    def _set_tabbed(self, on: bool) -> None:
        if bool(on) == self._tabbed:
            return
        self._tabbed = bool(on)
        self._build_tabs() if self._tabbed else self._build_grid()

    def is_tabbed(self) -> bool:
        return self._tabbed

    def show_chart(self, name: str) -> None:
        """In tabbed mode, bring ``prices``/``supply_met``/``dependency``/``scores``/
        ``budgets`` to the front."""
        if self._tabs is not None:
            self._tabs.setCurrentWidget(getattr(self, name))

    def update_history(self, scenario: Any, history: Sequence[TurnIndicators]) -> None:
        history = list(history)
        for chart in self.charts():
            chart.update_history(scenario, history)

    def set_large_type(self, on: bool) -> None:
        """Bigger type and thicker lines for a projector. Unless ``set_tabbed`` was called,
        large type also shows one chart per tab (five charts in large type do not fit)."""
        if not self._tabbed_explicit:
            self._set_tabbed(on)
        for chart in self.charts():
            chart.set_large_type(on)
        if self._tabs is not None:
            font = QtGui.QFont(self._tabs.font())
            font.setPointSizeF(_base_point_size() * (LARGE_TYPE_SCALE if on else 1.0))
            self._tabs.tabBar().setFont(font)

    def apply_theme(self, theme: object) -> None:
        for chart in self.charts():
            chart.apply_theme(theme)
