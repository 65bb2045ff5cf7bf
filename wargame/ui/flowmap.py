"""World trade-flow map: who ships how much of one material at one stage to whom.

Usage::

    from wargame.ui.flowmap import FlowMapWidget
    fmap = FlowMapWidget()
    fmap.set_data(scenario, result.indicators, previous)   # TurnIndicators; previous may be None
    fmap.set_selection("ree", "magnet")          # or let the user pick in the combo boxes
    fmap.actorClicked.connect(lambda actor_id: ...)
    fmap.flowClicked.connect(lambda exporter, importer: ...)
    fmap.set_large_type(True); fmap.apply_theme("dark")

Drawn with QPainter on a plain widget (no pyqtgraph, so it is cheap to create):

- a low-resolution world outline (Natural Earth 1:110m, public domain; see
  ``assets/world/ORIGIN.md``) in the Miller cylindrical projection, Antarctica left out; when
  the outline file is missing a clean schematic (graticule only) is drawn instead;
- actors as labelled circles at ``Actor.position`` (lon, lat); actors left at (0, 0) are
  treated as "no position" and lined up along the bottom edge;
- flows from the engine's ``TurnIndicators.flows`` (``FlowRow``: exporter, importer,
  material, stage, tonnes per turn, status) as curved arrows: width ~ sqrt(tonnes per
  turn), colour *and* dash pattern by restriction status (open solid, slowed dashed, frozen
  dotted, banned dash-dot), so status is never shown by colour alone. Every tonnage on the
  map is tonnes moved IN THE TURN (``FlowRow.tonnes_per_turn``) and says so;
- with ``previous``: "+12 %" / "−40 %" / "new" labels on each flow and grey dotted ghost
  arrows for flows that stopped since last turn;
- a legend, and a details panel that shows a clicked actor's or flow's numbers with the
  baseline figures' sources (``Figure.source`` -> ``scenario.sources[key]``).

Tests click on ``fmap.canvas.actor_point(actor_id)`` and inspect ``fmap.canvas.drawn_flows()``.
"""
from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wargame.resources import world_outline_path
from wargame.ui import palette
from wargame.ui._qt import QtCore, QtGui, QtWidgets

if TYPE_CHECKING:  # the engine is imported when a session opens, not at start-up
    from wargame.engine.results import TurnIndicators

Qt = QtCore.Qt

LARGE_TYPE_SCALE = 1.6
DETAILS_MIN_HEIGHT = 80
LAT_NORTH = 84.0
LAT_SOUTH = -58.0
WORLD_FILE = world_outline_path()

__all__ = ["FlowMapWidget", "MapCanvas", "DrawnFlow", "miller", "load_world_rings"]


# --------------------------------------------------------------------------- geometry


def miller(lon: float, lat: float) -> tuple[float, float]:
    """Miller cylindrical projection in radians (x east, y north)."""
    lat = max(-89.0, min(89.0, lat))
    return math.radians(lon), 1.25 * math.log(math.tan(math.pi / 4 + 0.4 * math.radians(lat)))


@lru_cache(maxsize=2)
def load_world_rings(path: str = str(WORLD_FILE)) -> tuple[tuple[float, ...], ...]:
    """Flat [lon, lat, ...] rings of every country except Antarctica ('' when missing)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    rings = []
    for country in data.get("countries", ()):
        if country.get("name") == "Antarctica":
            continue
        for ring in country.get("rings", ()):
            rings.append(tuple(float(v) for v in ring))
    return tuple(rings)


@lru_cache(maxsize=2)
def _world_path(path: str = str(WORLD_FILE)) -> QtGui.QPainterPath | None:
    """Outline in projected radians (y up), rings broken where they cross the antimeridian."""
    rings = load_world_rings(path)
    if not rings:
        return None
    qpath = QtGui.QPainterPath()
    qpath.setFillRule(Qt.FillRule.OddEvenFill)
    for ring in rings:
        # unwrap longitudes so a ring crossing the antimeridian stays one polygon, then draw
        # it again shifted by 360 degrees; the painter clips to the map
        points = []
        offset = 0.0
        prev = None
        for k in range(0, len(ring), 2):
            lon, lat = ring[k], max(LAT_SOUTH - 2, ring[k + 1])
            if prev is not None and abs(lon + offset - prev) > 180:
                offset += 360.0 if prev > lon + offset else -360.0
            prev = lon + offset
            points.append((prev, lat))
        shifts = [0.0]
        if any(lon > 180 for lon, _ in points):
            shifts.append(-360.0)
        if any(lon < -180 for lon, _ in points):
            shifts.append(360.0)
        for shift in shifts:
            for k, (lon, lat) in enumerate(points):
                x, y = miller(lon + shift, lat)
                qpath.moveTo(x, y) if k == 0 else qpath.lineTo(x, y)
            qpath.closeSubpath()
    return qpath


def _fmt_tonnes(t: float) -> str:
    if t != t:
        return "–"
    if abs(t) >= 1000:
        return f"{t / 1000:,.1f} kt"
    if abs(t) >= 10:
        return f"{t:,.0f} t"
    return f"{t:,.2g} t" if t else "0 t"


def _fmt_change(now: float, before: float | None) -> str | None:
    if before is None:
        return "new" if now > 0 else None
    if before <= 0:
        return "new" if now > 0 else None
    change = (now - before) / before
    if abs(change) < 0.01:
        return None
    sign = "+" if change > 0 else "−"
    return f"{sign}{abs(change) * 100:.0f} %"


@dataclass
class DrawnFlow:
    """One arrow on the map (kept after painting for hit tests, tooltips and tests)."""

    exporter: str
    importer: str
    tonnes: float  # tonnes moved this turn
    status: str
    previous: float | None  # tonnes moved last turn (None = no previous data or no flow)
    ghost: bool  # True = flowed last turn, not any more
    pen_style: Qt.PenStyle
    colour: str
    width: float
    change_label: str | None
    path: QtGui.QPainterPath | None = None


# --------------------------------------------------------------------------- canvas


class MapCanvas(QtWidgets.QWidget):
    """The painted map. Owned by :class:`FlowMapWidget`; usable alone for tests."""

    actorClicked = QtCore.Signal(str)
    flowClicked = QtCore.Signal(str, str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("World trade flow map")
        self.setMouseTracking(True)
        self.setMinimumSize(360, 200)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                           QtWidgets.QSizePolicy.Policy.Expanding)
        self._theme = "light"
        self._large = False
        self.world_file = str(WORLD_FILE)
        self.scenario: Any = None
        self.indicators: TurnIndicators | None = None
        self.previous: TurnIndicators | None = None
        self.material: str | None = None
        self.stage: str | None = None
        self.selected_actor: str | None = None
        self.selected_flow: tuple[str, str] | None = None
        self._flows: list[DrawnFlow] = []
        self._actor_px: dict[str, QtCore.QPointF] = {}
        self._radius = 8.0
        self._occupied: list[QtCore.QRectF] = []
        self._change_labels: list = []
        self.caption = ""

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(900, 480)

    # -- fonts and projection
    def _font(self, factor: float = 1.0, bold: bool = False) -> QtGui.QFont:
        font = QtGui.QFont(self.font())
        base = font.pointSizeF() if font.pointSizeF() > 0 else 9.0
        font.setPointSizeF(base * factor * (LARGE_TYPE_SCALE if self._large else 1.0))
        font.setBold(bold)
        return font

    MARGIN = 6.0

    @staticmethod
    def aspect() -> float:
        """Height / width of the drawn map."""
        x0, y_top = miller(-180, LAT_NORTH)
        x1, y_bottom = miller(180, LAT_SOUTH)
        return (y_top - y_bottom) / (x1 - x0)

    def _transform(self) -> QtGui.QTransform:
        """Projected radians -> widget pixels, keeping the aspect ratio, centred."""
        x0, y_top = miller(-180, LAT_NORTH)
        x1, y_bottom = miller(180, LAT_SOUTH)
        margin = self.MARGIN
        w = max(1.0, self.width() - 2 * margin)
        h = max(1.0, self.height() - 2 * margin)
        scale = min(w / (x1 - x0), h / (y_top - y_bottom))
        ox = margin + (w - scale * (x1 - x0)) / 2
        oy = margin + (h - scale * (y_top - y_bottom)) / 2
        t = QtGui.QTransform()
        t.translate(ox - x0 * scale, oy + y_top * scale)
        t.scale(scale, -scale)
        return t

    def map_rect(self) -> QtCore.QRectF:
        t = self._transform()
        x0, y_top = miller(-180, LAT_NORTH)
        x1, y_bottom = miller(180, LAT_SOUTH)
        return t.mapRect(QtCore.QRectF(QtCore.QPointF(x0, y_bottom), QtCore.QPointF(x1, y_top)))

    def project(self, lon: float, lat: float) -> QtCore.QPointF:
        """Widget pixel position of a lon/lat point."""
        x, y = miller(lon, lat)
        return self._transform().map(QtCore.QPointF(x, y))

    def _layout_actors(self) -> None:
        self._actor_px = {}
        if self.scenario is None:
            return
        unplaced = []
        for actor in self.scenario.actors:
            lon, lat = actor.position
            if lon == 0 and lat == 0:
                unplaced.append(actor.id)
            else:
                self._actor_px[actor.id] = self.project(lon, lat)
        if unplaced:
            rect = self.map_rect()
            y = rect.bottom() - self._radius * 2.5
            step = rect.width() / (len(unplaced) + 1)
            for k, actor_id in enumerate(unplaced):
                self._actor_px[actor_id] = QtCore.QPointF(rect.left() + step * (k + 1), y)

    def actor_point(self, actor_id: str) -> QtCore.QPoint:
        """Integer widget position of an actor's circle (for clicks in tests)."""
        self._layout_actors()
        return self._actor_px[actor_id].toPoint()

    def drawn_flows(self) -> list[DrawnFlow]:
        """The arrows as last computed (current flows first, then ghosts); ``path`` is set
        once the map has been painted."""
        return list(self._flows)

    # -- data
    def _flow_rows(self, indicators: TurnIndicators | None) -> list[tuple[str, str, float, str]]:
        """(exporter, importer, tonnes moved in the turn, status) of the selection."""
        if indicators is None or self.material is None or self.stage is None:
            return []
        return [(row.exporter, row.importer, row.tonnes_per_turn, str(row.status))
                for row in indicators.flows_at(self.material, self.stage)]

    def _compute_flows(self) -> None:
        colours = palette.chart_colours(self._theme)
        now = self._flow_rows(self.indicators)
        before = self._flow_rows(self.previous) if self.previous is not None else []
        before_map: dict[tuple[str, str], float] = {}
        for e, i, t, _ in before:
            before_map[(e, i)] = before_map.get((e, i), 0.0) + t
        top = max([t for *_, t, _s in now] + [t for *_, t, _s in before] + [1e-9])
        fm = QtGui.QFontMetricsF(self._font())
        w_min, w_max = 2.0, max(6.0, fm.height() * 0.75)
        flows = []
        seen = set()
        for e, i, t, status in now:
            prev = before_map.get((e, i)) if self.previous is not None else None
            colour, style = palette.status_style(status, self._theme)
            width = w_min + (w_max - w_min) * math.sqrt(max(0.0, t) / top)
            change = _fmt_change(t, prev) if self.previous is not None else None
            flows.append(DrawnFlow(e, i, t, status if status in palette.FLOW_STATUSES else "open",
                                   prev, False, style, colour.name(), width, change))
            seen.add((e, i))
        for (e, i), t in before_map.items():
            if (e, i) in seen or t <= 0:
                continue
            width = w_min + (w_max - w_min) * math.sqrt(t / top)
            flows.append(DrawnFlow(e, i, 0.0, "stopped", t, True, Qt.PenStyle.DotLine,
                                   colours.ghost, width, "stopped"))
        self._flows = flows

    # -- painting
    def _curve(self, a: QtCore.QPointF, b: QtCore.QPointF, trim_end: float
               ) -> tuple[QtGui.QPainterPath, QtCore.QPointF, QtCore.QPointF, QtCore.QPointF]:
        dx, dy = b.x() - a.x(), b.y() - a.y()
        length = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / length, dx / length
        mid = QtCore.QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2)
        ctrl = QtCore.QPointF(mid.x() + nx * 0.2 * length, mid.y() + ny * 0.2 * length)

        def toward(p: QtCore.QPointF, q: QtCore.QPointF, dist: float) -> QtCore.QPointF:
            vx, vy = q.x() - p.x(), q.y() - p.y()
            n = math.hypot(vx, vy) or 1.0
            dist = min(dist, n * 0.45)
            return QtCore.QPointF(p.x() + vx / n * dist, p.y() + vy / n * dist)

        start = toward(a, ctrl, self._radius + 2)
        end = toward(b, ctrl, self._radius + 2 + trim_end)
        path = QtGui.QPainterPath(start)
        path.quadTo(ctrl, end)
        label_at = QtCore.QPointF(0.25 * start.x() + 0.5 * ctrl.x() + 0.25 * end.x(),
                                  0.25 * start.y() + 0.5 * ctrl.y() + 0.25 * end.y())
        return path, end, ctrl, label_at

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 (Qt name)
        colours = palette.chart_colours(self._theme)
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QtGui.QColor(colours.background))
        fm = QtGui.QFontMetricsF(self._font())
        self._radius = fm.height() * 0.45
        transform = self._transform()
        rect = self.map_rect()
        p.fillRect(rect, QtGui.QColor(colours.water))
        self._paint_world(p, transform, colours)
        self._layout_actors()
        self._compute_flows()
        self._paint_flows(p, colours, fm)
        self._paint_actors(p, colours)
        self._paint_change_labels(p, colours)
        self._paint_caption(p, colours, rect)
        self._paint_legend(p, colours, rect)
        p.end()

    def _paint_world(self, p: QtGui.QPainter, transform: QtGui.QTransform,
                     colours: palette.ChartColours) -> None:
        world = _world_path(self.world_file)
        grid_pen = QtGui.QPen(QtGui.QColor(colours.grid), 0)
        grid_pen.setCosmetic(True)
        grid_pen.setStyle(Qt.PenStyle.DotLine)
        p.save()
        p.setClipRect(self.map_rect())
        p.setTransform(transform)
        if world is None:  # schematic fallback: graticule every 30 degrees
            p.setPen(grid_pen)
            for lon in range(-180, 181, 30):
                p.drawLine(QtCore.QPointF(*miller(lon, LAT_SOUTH)),
                           QtCore.QPointF(*miller(lon, LAT_NORTH)))
            for lat in (-30, 0, 30, 60):
                p.drawLine(QtCore.QPointF(*miller(-180, lat)), QtCore.QPointF(*miller(180, lat)))
        else:
            border = QtGui.QPen(QtGui.QColor(colours.land_border), 0)
            border.setCosmetic(True)
            p.setPen(border)
            p.setBrush(QtGui.QColor(colours.land))
            p.drawPath(world)
        p.restore()

    def _paint_flows(self, p: QtGui.QPainter, colours: palette.ChartColours,
                     fm: QtGui.QFontMetricsF) -> None:
        bg = QtGui.QColor(colours.background)
        labels = []
        # wide arrows first so thin ones stay visible on top; ghosts at the bottom
        order = sorted(self._flows, key=lambda f: (not f.ghost, -f.width))
        for flow in order:
            a = self._actor_px.get(flow.exporter)
            b = self._actor_px.get(flow.importer)
            if a is None or b is None:
                flow.path = None
                continue
            head = max(7.0, flow.width * 2.0)
            path, end, ctrl, label_at = self._curve(a, b, head * 0.6)
            flow.path = path
            colour = QtGui.QColor(flow.colour)
            selected = self.selected_flow == (flow.exporter, flow.importer)
            if not flow.ghost:
                halo = QtGui.QPen(bg, flow.width + (5 if selected else 2.5))
                halo.setCapStyle(Qt.PenCapStyle.FlatCap)
                if selected:
                    halo.setColor(QtGui.QColor(colours.highlight))
                p.strokePath(path, halo)
            pen = QtGui.QPen(colour, flow.width if not flow.ghost else max(1.5, flow.width * 0.5))
            pen.setStyle(flow.pen_style)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            p.strokePath(path, pen)
            # arrow head at the importer end
            vx, vy = end.x() - ctrl.x(), end.y() - ctrl.y()
            n = math.hypot(vx, vy) or 1.0
            ux, uy = vx / n, vy / n
            tip = QtCore.QPointF(end.x() + ux * head * 0.6, end.y() + uy * head * 0.6)
            left = QtCore.QPointF(end.x() - ux * head * 0.4 - uy * head * 0.55,
                                  end.y() - uy * head * 0.4 + ux * head * 0.55)
            right = QtCore.QPointF(end.x() - ux * head * 0.4 + uy * head * 0.55,
                                   end.y() - uy * head * 0.4 - ux * head * 0.55)
            p.setPen(QtGui.QPen(bg, 1))
            p.setBrush(colour if not flow.ghost else Qt.BrushStyle.NoBrush)
            if flow.ghost:
                p.setPen(QtGui.QPen(colour, 1.5))
            p.drawPolygon(QtGui.QPolygonF([tip, left, right]))
            if flow.change_label:
                labels.append((label_at, flow.change_label, colour, flow.ghost))
        self._change_labels = labels

    def _paint_change_labels(self, p: QtGui.QPainter, colours: palette.ChartColours) -> None:
        """"+12 %" boxes, placed after the actors so they avoid circles and names."""
        label_font = self._font(0.9, bold=True)
        p.setFont(label_font)
        lfm = QtGui.QFontMetricsF(label_font)
        placed = list(self._occupied)
        for at, text, colour, ghost in getattr(self, "_change_labels", []):
            w = lfm.horizontalAdvance(text) + 8
            h = lfm.height() + 2
            base = QtCore.QRectF(at.x() - w / 2, at.y() - h / 2, w, h)
            box = base
            offsets = [(0, 0)] + [(dx * k, dy * k) for k in (1, 2, 3)
                                  for dx, dy in ((0, 1), (0, -1), (1, 0), (-1, 0))]
            for dx, dy in offsets:
                trial = base.translated(dx * (w * 0.6), dy * (h + 2))
                if not any(trial.intersects(o) for o in placed):
                    box = trial
                    break
            placed.append(box)
            p.setPen(QtGui.QPen(colour if not ghost else QtGui.QColor(colours.ghost), 1))
            p.setBrush(QtGui.QColor(colours.background))
            p.drawRoundedRect(box, 3, 3)
            p.setPen(QtGui.QColor(colours.foreground))
            p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)

    def _paint_actors(self, p: QtGui.QPainter, colours: palette.ChartColours) -> None:
        font = self._font(0.95, bold=False)
        fm = QtGui.QFontMetricsF(font)
        r = self._radius
        placed: list[QtCore.QRectF] = [QtCore.QRectF(pt.x() - r, pt.y() - r, 2 * r, 2 * r)
                                       for pt in self._actor_px.values()]
        self._occupied = list(placed)
        bounds = QtCore.QRectF(self.rect())
        active = {f.exporter for f in self._flows} | {f.importer for f in self._flows}
        for actor_id, pt in self._actor_px.items():
            selected = actor_id == self.selected_actor
            pen = QtGui.QPen(QtGui.QColor(colours.actor_border), 3.0 if selected else 1.5)
            fill = QtGui.QColor(colours.actor_fill)
            if actor_id in active:
                fill = QtGui.QColor(colours.foreground)
                fill.setAlpha(200)
            p.setPen(pen)
            p.setBrush(fill)
            p.drawEllipse(pt, r * (1.25 if selected else 1.0), r * (1.25 if selected else 1.0))
        p.setFont(font)
        for actor_id, pt in self._actor_px.items():
            name = self._actor_label(actor_id)
            w = fm.horizontalAdvance(name) + 6
            h = fm.height()
            candidates = [
                QtCore.QRectF(pt.x() + r + 2, pt.y() - h / 2, w, h),
                QtCore.QRectF(pt.x() - r - 2 - w, pt.y() - h / 2, w, h),
                QtCore.QRectF(pt.x() - w / 2, pt.y() - r - 1 - h, w, h),
                QtCore.QRectF(pt.x() - w / 2, pt.y() + r + 1, w, h),
            ]
            box = next((c for c in candidates if bounds.contains(c)
                        and not any(c.intersects(o) for o in placed)), None)
            if box is None:
                box = next((c for c in candidates if bounds.contains(c)), candidates[0])
            placed.append(box)
            self._occupied.append(box)
            back = QtGui.QColor(colours.background)
            back.setAlpha(200)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(back)
            p.drawRoundedRect(box, 3, 3)
            p.setPen(QtGui.QColor(colours.foreground))
            p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), name)

    def _actor_label(self, actor_id: str) -> str:
        try:
            return self.scenario.actor(actor_id).name
        except (KeyError, AttributeError):
            return actor_id

    def _paint_caption(self, p: QtGui.QPainter, colours: palette.ChartColours,
                       rect: QtCore.QRectF) -> None:
        if not self.caption:
            return
        font = self._font(1.1, bold=True)
        fm = QtGui.QFontMetricsF(font)
        box = QtCore.QRectF(rect.left() + 6, rect.top() + 4,
                            min(rect.width() - 12, fm.horizontalAdvance(self.caption) + 12),
                            fm.height() + 4)
        back = QtGui.QColor(colours.background)
        back.setAlpha(215)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(back)
        p.drawRoundedRect(box, 3, 3)
        p.setFont(font)
        p.setPen(QtGui.QColor(colours.foreground))
        p.drawText(box.adjusted(6, 0, -6, 0), int(Qt.AlignmentFlag.AlignVCenter),
                   fm.elidedText(self.caption, Qt.TextElideMode.ElideRight, box.width() - 12))

    def legend_rows(self) -> list[tuple[str, str]]:
        """(kind, text) rows of the legend (kind = a status, 'ghost', 'width' or 'change')."""
        rows = [(s, palette.STATUS_LABELS[s]) for s in palette.FLOW_STATUSES]
        if self.previous is not None:
            rows.append(("ghost", "stopped since last turn"))
            rows.append(("change", "change since last turn"))
        top = max([f.tonnes for f in self._flows if not f.ghost] + [0.0])
        if top > 0:
            rows.append(("width", f"width: tonnes per turn (max {_fmt_tonnes(top)})"))
        return rows

    def _legend_box(self, rect: QtCore.QRectF, width: float, height: float) -> QtCore.QRectF:
        """The bottom corner (left, right, or the South Atlantic) hiding the fewest actors:
        the legend must not cover a country's label."""
        y = rect.bottom() - height - 6
        middle = self.project(-35.0, 0.0).x() - width / 2
        candidates = [QtCore.QRectF(x, y, width, height) for x in
                      (rect.left() + 6, rect.right() - width - 6, middle)]
        reach = self._radius * 2 + QtGui.QFontMetricsF(self._font()).height() * 4

        def hidden(box: QtCore.QRectF) -> int:
            grown = box.adjusted(-reach, -self._radius * 2, self._radius * 2, self._radius * 2)
            return sum(1 for pt in self._actor_px.values() if grown.contains(pt))

        return min(candidates, key=hidden)

    def _paint_legend(self, p: QtGui.QPainter, colours: palette.ChartColours,
                      rect: QtCore.QRectF) -> None:
        font = self._font(0.85)
        fm = QtGui.QFontMetricsF(font)
        rows = self.legend_rows()
        sample_w = fm.height() * 2.4
        text_w = max(fm.horizontalAdvance(t) for _, t in rows)
        line_h = fm.height() * 1.15
        title_font = self._font(0.85, bold=True)
        title = "Trade restriction"
        width = max(sample_w + text_w + 18, QtGui.QFontMetricsF(title_font).horizontalAdvance(
            title) + 12)
        height = line_h * (len(rows) + 1) + 8
        box = self._legend_box(rect, width, height)
        back = QtGui.QColor(colours.background)
        back.setAlpha(225)
        p.setPen(QtGui.QPen(QtGui.QColor(colours.grid), 1))
        p.setBrush(back)
        p.drawRoundedRect(box, 4, 4)
        p.setFont(title_font)
        p.setPen(QtGui.QColor(colours.foreground))
        p.drawText(QtCore.QRectF(box.left() + 6, box.top() + 4, width - 8, line_h),
                   int(Qt.AlignmentFlag.AlignVCenter), title)
        p.setFont(font)
        y = box.top() + 4 + line_h
        for kind, text in rows:
            mid = y + line_h / 2
            x0, x1 = box.left() + 8, box.left() + 8 + sample_w
            if kind in palette.FLOW_STATUSES:
                colour, style = palette.status_style(kind, self._theme)
                pen = QtGui.QPen(colour, 3.5)
                pen.setStyle(style)
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                p.setPen(pen)
                p.drawLine(QtCore.QPointF(x0, mid), QtCore.QPointF(x1, mid))
            elif kind == "ghost":
                pen = QtGui.QPen(QtGui.QColor(colours.ghost), 2)
                pen.setStyle(Qt.PenStyle.DotLine)
                p.setPen(pen)
                p.drawLine(QtCore.QPointF(x0, mid), QtCore.QPointF(x1, mid))
            elif kind == "change":
                lab = QtCore.QRectF(x0, y + 1, sample_w, line_h - 2)
                p.setPen(QtGui.QPen(QtGui.QColor(colours.muted), 1))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(lab, 3, 3)
                p.setPen(QtGui.QColor(colours.foreground))
                p.drawText(lab, int(Qt.AlignmentFlag.AlignCenter), "±%")
            elif kind == "width":
                poly = QtGui.QPolygonF([QtCore.QPointF(x0, mid), QtCore.QPointF(x1, mid - 5),
                                        QtCore.QPointF(x1, mid + 5)])
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QtGui.QColor(colours.muted))
                p.drawPolygon(poly)
            p.setPen(QtGui.QColor(colours.foreground))
            p.drawText(QtCore.QRectF(x1 + 8, y, text_w + 4, line_h),
                       int(Qt.AlignmentFlag.AlignVCenter), text)
            y += line_h

    # -- interaction
    def actor_at(self, pos: QtCore.QPointF) -> str | None:
        best, best_d = None, self._radius + 4
        for actor_id, pt in self._actor_px.items():
            d = math.hypot(pt.x() - pos.x(), pt.y() - pos.y())
            if d <= best_d:
                best, best_d = actor_id, d
        return best

    def flow_at(self, pos: QtCore.QPointF) -> DrawnFlow | None:
        stroker = QtGui.QPainterPathStroker()
        hits = []
        for flow in self._flows:
            if flow.path is None:
                continue
            stroker.setWidth(max(8.0, flow.width + 4))
            if stroker.createStroke(flow.path).contains(pos):
                hits.append(flow)
        if not hits:
            return None
        hits.sort(key=lambda f: (f.ghost, f.width))  # thinnest real flow wins
        return hits[0]

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 (Qt name)
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        if not self._actor_px:
            self._layout_actors()
        pos = event.position()
        actor = self.actor_at(pos)
        if actor is not None:
            self.selected_actor, self.selected_flow = actor, None
            self.update()
            self.actorClicked.emit(actor)
            return
        if self._flows and self._flows[0].path is None:
            self.grab()  # make sure arrows have paths (not painted yet)
        flow = self.flow_at(pos)
        if flow is not None:
            self.selected_actor, self.selected_flow = None, (flow.exporter, flow.importer)
            self.update()
            self.flowClicked.emit(flow.exporter, flow.importer)
            return
        super().mousePressEvent(event)

    def event(self, ev: QtCore.QEvent) -> bool:
        if ev.type() == QtCore.QEvent.Type.ToolTip:
            pos = QtCore.QPointF(ev.pos())
            actor = self.actor_at(pos)
            text = None
            if actor is not None:
                text = f"{self._actor_label(actor)} – click for details"
            else:
                flow = self.flow_at(pos)
                if flow is not None:
                    text = (f"{self._actor_label(flow.exporter)} → "
                            f"{self._actor_label(flow.importer)}: "
                            + (f"stopped (was {_fmt_tonnes(flow.previous or 0)})" if flow.ghost
                               else f"{_fmt_tonnes(flow.tonnes)} this turn, {flow.status}")
                            + (f" ({flow.change_label})" if flow.change_label and not flow.ghost
                               else ""))
            if text:
                QtWidgets.QToolTip.showText(ev.globalPos(), text, self)
            else:
                QtWidgets.QToolTip.hideText()
            return True
        return super().event(ev)


# --------------------------------------------------------------------------- widget


class FlowMapWidget(QtWidgets.QWidget):
    """Selectors + map + details panel. See the module docstring for the API."""

    actorClicked = QtCore.Signal(str)
    flowClicked = QtCore.Signal(str, str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Trade flow map")
        self._large = False
        self._theme = "light"
        self.scenario: Any = None
        self.indicators: TurnIndicators | None = None
        self.previous: TurnIndicators | None = None

        self.material_combo = QtWidgets.QComboBox()
        self.material_combo.setAccessibleName("Material shown on the map")
        self.material_combo.setToolTip("Material shown on the map")
        self.stage_combo = QtWidgets.QComboBox()
        self.stage_combo.setAccessibleName("Stage shown on the map")
        self.stage_combo.setToolTip("Stage (mine, refining, product) shown on the map")
        for combo in (self.material_combo, self.stage_combo):
            combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.material_label = QtWidgets.QLabel("&Material")
        self.material_label.setBuddy(self.material_combo)
        self.stage_label = QtWidgets.QLabel("&Stage")
        self.stage_label.setBuddy(self.stage_combo)

        self.canvas = MapCanvas(self)
        self.details = QtWidgets.QTextBrowser()
        self.details.setAccessibleName("Details of the selected country or flow")
        self.details.setOpenLinks(False)
        self.details.setMinimumHeight(DETAILS_MIN_HEIGHT)
        self._default_details()

        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.material_label)
        top.addWidget(self.material_combo)
        top.addSpacing(12)
        top.addWidget(self.stage_label)
        top.addWidget(self.stage_combo)
        top.addStretch(1)
        # details below the map: the map takes the full width at its own aspect ratio and
        # the details get whatever height is left (see _fit_split)
        self.splitter = QtWidgets.QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.canvas)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self._user_split = False
        self.splitter.splitterMoved.connect(self._split_moved)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        self.material_combo.currentIndexChanged.connect(self._material_changed)
        self.stage_combo.currentIndexChanged.connect(self._stage_changed)
        self.canvas.actorClicked.connect(self._on_actor_clicked)
        self.canvas.flowClicked.connect(self._on_flow_clicked)

    # -- layout
    def _split_moved(self, *_: Any) -> None:
        self._user_split = True

    def _fit_split(self) -> None:
        """Give the map the height its width needs (no bands above and below it) and the
        details the rest; once the user drags the handle, the user decides."""
        if self._user_split:
            return
        handle = self.splitter.handleWidth()
        available = self.splitter.height() - handle
        if available <= 0:
            return
        margin = MapCanvas.MARGIN
        wanted = int((self.splitter.width() - 2 * margin) * MapCanvas.aspect() + 2 * margin + 1)
        map_h = max(min(wanted, available - DETAILS_MIN_HEIGHT), int(available * 0.5))
        self.splitter.blockSignals(True)
        self.splitter.setSizes([map_h, available - map_h])
        self.splitter.blockSignals(False)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._fit_split()

    def showEvent(self, event: QtGui.QShowEvent) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        QtCore.QTimer.singleShot(0, self._fit_split)

    # -- public API
    def set_data(self, scenario: Any, indicators: TurnIndicators | None,
                 previous: TurnIndicators | None = None) -> None:
        """Show one turn's flows; ``previous`` (the turn before) adds change labels and
        ghosts."""
        new_scenario = scenario is not self.scenario
        self.scenario = scenario
        self.indicators = indicators
        self.previous = previous
        if new_scenario:
            material, stage = self.canvas.material, self.canvas.stage
            self.material_combo.blockSignals(True)
            self.material_combo.clear()
            for m in scenario.materials:
                self.material_combo.addItem(m.name, m.id)
            self.material_combo.blockSignals(False)
            if material in scenario.material_index:
                self.set_selection(material, stage)
            else:
                self._pick_default()
        self._push()
        self._refresh_details()

    def set_selection(self, material: str, stage: str | None = None) -> None:
        """Choose the material (and stage; default = the stage with most trade)."""
        index = self.material_combo.findData(material)
        if index < 0:
            return
        self.material_combo.blockSignals(True)
        self.material_combo.setCurrentIndex(index)
        self.material_combo.blockSignals(False)
        self._fill_stages(stage)
        self._push()

    def selection(self) -> tuple[str | None, str | None]:
        return self.material_combo.currentData(), self.stage_combo.currentData()

    def set_large_type(self, on: bool) -> None:
        self._large = bool(on)
        self.canvas._large = self._large
        font = QtGui.QFont(self.font())
        app = QtWidgets.QApplication.instance()
        base = app.font().pointSizeF() if app is not None else 9.0
        font.setPointSizeF((base if base > 0 else 9.0) * (LARGE_TYPE_SCALE if on else 1.0))
        for w in (self.material_combo, self.stage_combo, self.material_label, self.stage_label,
                  self.details):
            w.setFont(font)
        self.canvas.update()

    def apply_theme(self, theme: object) -> None:
        self._theme = palette.theme_name(theme)
        self.canvas._theme = self._theme
        self.canvas.update()

    def details_text(self) -> str:
        return self.details.toPlainText()

    # -- internals
    def _pick_default(self) -> None:
        best = None
        for m in self.scenario.materials:
            for st in m.stages:
                rows = self.indicators.flows_at(m.id, st.id) if self.indicators else []
                total = sum(r.tonnes_per_turn for r in rows)
                if rows and (best is None or total > best[0]):
                    best = (total, m.id, st.id)
            if best is not None:
                break  # first material that trades at all
        if best is None:
            m = self.scenario.materials[0]
            self.set_selection(m.id, m.stages[-1].id)
        else:
            self.set_selection(best[1], best[2])

    def _fill_stages(self, stage: str | None) -> None:
        material_id = self.material_combo.currentData()
        if self.scenario is None or material_id is None:
            return
        material = self.scenario.material(material_id)
        self.stage_combo.blockSignals(True)
        self.stage_combo.clear()
        for st in material.stages:
            self.stage_combo.addItem(st.name, st.id)
        if stage is None or self.stage_combo.findData(stage) < 0:
            totals = {st.id: sum(r.tonnes_per_turn for r in self.indicators.flows_at(
                material_id, st.id)) if self.indicators else 0.0 for st in material.stages}
            stage = max(material.stages, key=lambda st: (totals[st.id] > 0, totals[st.id],
                                                         -material.stage_index(st.id))).id
        self.stage_combo.setCurrentIndex(self.stage_combo.findData(stage))
        self.stage_combo.blockSignals(False)

    def _material_changed(self, *_: Any) -> None:
        self._fill_stages(None)
        self._push()
        self._refresh_details()

    def _stage_changed(self, *_: Any) -> None:
        self._push()
        self._refresh_details()

    def _push(self) -> None:
        c = self.canvas
        c.scenario, c.indicators, c.previous = self.scenario, self.indicators, self.previous
        c.material, c.stage = self.material_combo.currentData(), self.stage_combo.currentData()
        turn = self.indicators.turn if self.indicators is not None else None
        parts = [self.material_combo.currentText(), self.stage_combo.currentText()]
        if turn is not None:
            parts.append(f"turn {turn}")
        c.caption = " · ".join(p for p in parts if p)
        c._compute_flows()
        c.setAccessibleDescription(self._summary())
        c.update()

    def _summary(self) -> str:
        flows = [f for f in self.canvas._flows if not f.ghost]
        if not flows:
            return f"{self.canvas.caption}: no cross-border flows"
        parts = [f"{self.canvas._actor_label(f.exporter)} to {self.canvas._actor_label(f.importer)}"
                 f" {_fmt_tonnes(f.tonnes)} this turn, {f.status}" for f in flows]
        return f"{self.canvas.caption}: " + "; ".join(parts)

    def _on_actor_clicked(self, actor_id: str) -> None:
        self._show_actor(actor_id)
        self.actorClicked.emit(actor_id)

    def _on_flow_clicked(self, exporter: str, importer: str) -> None:
        self._show_flow(exporter, importer)
        self.flowClicked.emit(exporter, importer)

    def _refresh_details(self) -> None:
        if self.canvas.selected_actor and self.scenario is not None \
                and self.canvas.selected_actor in self.scenario.actor_index:
            self._show_actor(self.canvas.selected_actor)
        elif self.canvas.selected_flow:
            self._show_flow(*self.canvas.selected_flow)
        else:
            self._default_details()

    def _default_details(self) -> None:
        """The largest flows of the selection, so the panel is useful before any click."""
        flows = sorted((f for f in self.canvas._flows if not f.ghost),
                       key=lambda f: -f.tonnes)
        label = self.canvas._actor_label
        rows = "".join(
            f"<tr><td>{html.escape(label(f.exporter))} → {html.escape(label(f.importer))}"
            f"</td><td align='right'>{_fmt_tonnes(f.tonnes)} this turn</td><td>"
            f"{html.escape(palette.STATUS_LABELS.get(f.status, f.status))}"
            + (f" ({html.escape(f.change_label)})" if f.change_label else "")
            + "</td></tr>" for f in flows[:8])
        table = (f"<p><b>Largest flows</b> ({html.escape(self.canvas.caption)})</p>"
                 f"<table cellspacing='0' cellpadding='3'>{rows}</table>") if rows else ""
        self.details.setHtml(table + "<p><i>Click a country or a flow for its numbers and "
                             "the sources of its baseline figures.</i></p>")

    # -- details html
    def _figure(self, fig: Any, unit: str = "") -> str:
        if fig is None:
            return "–"
        text = f"{float(fig.value):,.0f}{(' ' + unit) if unit else ''}"
        if getattr(fig, "note", None):
            text += f" <i>({html.escape(fig.note)})</i>"
        if getattr(fig, "source", None):
            text += f" <sup>[{html.escape(fig.source)}]</sup>"
            self._cited.add(fig.source)
        return text

    def _sources_html(self) -> str:
        if not self._cited:
            return ""
        items = []
        for key in sorted(self._cited):
            citation = self.scenario.sources.get(key, "(not in the scenario's source list)")
            items.append(f"<li><b>[{html.escape(key)}]</b> {html.escape(citation)}</li>")
        return "<h4>Sources</h4><ul>" + "".join(items) + "</ul>"

    def _show_actor(self, actor_id: str) -> None:
        sc = self.scenario
        if sc is None:
            return
        self._cited: set[str] = set()
        label = self.canvas._actor_label
        actor = sc.actor(actor_id) if actor_id in sc.actor_index else None
        material, stage = self.selection()
        ind = self.indicators
        out = [f"<h3>{html.escape(label(actor_id))}</h3>"]
        if actor is not None:
            meta = [x for x in (actor.bloc and f"bloc {actor.bloc}",
                                actor.team and f"played by {sc.team(actor.team).name}"
                                if actor.team in sc.team_index else None) if x]
            if meta:
                out.append(f"<p>{html.escape(', '.join(meta))}</p>")
        flows = [f for f in self.canvas._flows if not f.ghost]
        exports = sum(f.tonnes for f in flows if f.exporter == actor_id)
        imports = sum(f.tonnes for f in flows if f.importer == actor_id)
        if ind is not None:
            out.append(f"<h4>This turn ({ind.turn})</h4><ul>")
            out.append(f"<li>{html.escape(self.canvas.caption.split(' · turn')[0])}: exports "
                       f"{_fmt_tonnes(exports)}, imports {_fmt_tonnes(imports)} this turn</li>")
            for values, name in ((ind.import_bill_usd_m_per_turn, "Import bill"),
                                 (ind.revenue_usd_m_per_turn, "Revenue")):
                if actor_id in values:
                    out.append(f"<li>{name}: {values[actor_id]:,.0f} USD m this turn</li>")
            stock = ind.stocks_tonnes.get(actor_id, {}).get(material)
            if stock is not None:
                out.append(f"<li>Stocks of this material: {_fmt_tonnes(stock)}</li>")
            met = ind.supply_met_share.get(actor_id, {})
            if met:
                parts = []
                for sector_id, v in met.items():
                    name = sc.sector(sector_id).name if sector_id in sc.sector_index else sector_id
                    parts.append(f"{html.escape(name)} {100 * v:.0f} %")
                out.append(f"<li>Demand met: {', '.join(parts)}</li>")
            dep = ind.dependency_share_by_material.get(material, {}).get(actor_id, {})
            if dep:
                top = sorted(dep.items(), key=lambda kv: -kv[1])[:3]
                out.append("<li>Supply of this material by origin (where refined): " + ", ".join(
                    f"{html.escape(label(o))} {100 * v:.0f} %" for o, v in top) + "</li>")
        else:
            out.append("<ul>")
        out.append("</ul><h4>Baseline (scenario, per year)</h4><ul>")
        any_base = False
        for cap in sc.capacities:
            if cap.actor == actor_id and cap.material == material:
                st = sc.material(material).stages[sc.material(material).stage_index(cap.stage)]
                line = f"{html.escape(st.name)} capacity {self._figure(cap.capacity, 't')}"
                if cap.output is not None:
                    line += f", output {self._figure(cap.output, 't')}"
                out.append(f"<li>{line}</li>")
                any_base = True
        for dem in sc.demand:
            if dem.actor == actor_id and dem.material == material:
                name = sc.sector(dem.sector).name if dem.sector in sc.sector_index else dem.sector
                out.append(f"<li>{html.escape(name)} demand "
                           f"{self._figure(dem.tonnes_per_year, 't')}</li>")
                any_base = True
        for stk in sc.stocks:
            if stk.actor == actor_id and stk.material == material:
                amount = (self._figure(stk.tonnes, "t") if stk.tonnes is not None
                          else self._figure(stk.days, "days of use"))
                kind = "strategic stock" if stk.strategic else "commercial stock"
                out.append(f"<li>{kind} ({html.escape(stk.stage)}): {amount}</li>")
                any_base = True
        if not any_base:
            out.append("<li>no capacity, demand or stocks of this material</li>")
        out.append("</ul>")
        out.append(self._sources_html())
        self.details.setHtml("".join(out))

    def _show_flow(self, exporter: str, importer: str) -> None:
        sc = self.scenario
        if sc is None:
            return
        self._cited = set()
        label = self.canvas._actor_label
        material, stage = self.selection()
        flow = next((f for f in self.canvas._flows
                     if (f.exporter, f.importer) == (exporter, importer)), None)
        out = [f"<h3>{html.escape(label(exporter))} → {html.escape(label(importer))}</h3>",
               f"<p>{html.escape(self.canvas.caption)}</p><ul>"]
        if flow is not None:
            if flow.ghost:
                out.append(f"<li>Stopped this turn (last turn {_fmt_tonnes(flow.previous or 0)})"
                           "</li>")
            else:
                out.append(f"<li>This turn: <b>{_fmt_tonnes(flow.tonnes)}</b>, status "
                           f"<b>{html.escape(palette.STATUS_LABELS.get(flow.status, flow.status))}"
                           "</b></li>")
                if flow.previous is not None:
                    out.append(f"<li>Last turn: {_fmt_tonnes(flow.previous)}"
                               + (f" ({flow.change_label})" if flow.change_label else "")
                               + "</li>")
        out.append("</ul><h4>Baseline (scenario, per year)</h4><ul>")
        m = sc.material(material) if material in sc.material_index else None
        for cap in sc.capacities:
            if cap.material == material and cap.stage == stage and cap.actor == exporter:
                out.append(f"<li>{html.escape(label(exporter))} capacity at this stage: "
                           f"{self._figure(cap.capacity, 't')}</li>")
        if m is not None:
            k = m.stage_index(stage) if stage else 0
            if k + 1 < len(m.stages):
                nxt = m.stages[k + 1]
                for cap in sc.capacities:
                    if cap.material == material and cap.stage == nxt.id and cap.actor == importer:
                        out.append(f"<li>{html.escape(label(importer))} {html.escape(nxt.name)} "
                                   f"capacity: {self._figure(cap.capacity, 't')}</li>")
            else:
                for dem in sc.demand:
                    if dem.material == material and dem.actor == importer:
                        name = (sc.sector(dem.sector).name if dem.sector in sc.sector_index
                                else dem.sector)
                        out.append(f"<li>{html.escape(label(importer))} {html.escape(name)} "
                                   f"demand: {self._figure(dem.tonnes_per_year, 't')}</li>")
        out.append("</ul>")
        out.append(self._sources_html())
        self.details.setHtml("".join(out))
