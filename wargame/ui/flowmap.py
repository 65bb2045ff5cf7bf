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
- with ``previous``: "+12 %" / "−40 %" / "new" labels on each flow (``map_panels.
  flow_change``: a flow that grew from almost nothing is "new") and grey dotted ghost
  arrows for flows that stopped since the turn before; no label covers another, a name,
  the caption or the legend (``label_boxes``; one with no room nearby is left out);
- a legend in a strip under the map (it never covers a country), and a details panel
  (``report.map_panels``) with a clicked actor's or flow's numbers and the baseline
  figures' sources (on hover, and listed).

Tests click on ``fmap.canvas.actor_point(actor_id)`` and inspect ``fmap.canvas.drawn_flows()``.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wargame.report import map_panels
from wargame.resources import world_outline_path
from wargame.ui import palette
from wargame.ui._qt import QtCore, QtGui, QtWidgets
from wargame.ui.text_views import SourcedTextBrowser

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


_fmt_tonnes = map_panels.tonnes  # '7.5 kt', '850 t' (kept for callers of the old name)


def _name_places(pt: QtCore.QPointF, w: float, h: float, r: float) -> list[QtCore.QRectF]:
    """Where a country's name may go, nearest first: beside its circle (right, left, above,
    below, the corners), then on rings further out (a leader line joins them)."""
    x, y = pt.x(), pt.y()
    near = [QtCore.QRectF(x + r + 2, y - h / 2, w, h), QtCore.QRectF(x - r - 2 - w, y - h / 2, w, h),
            QtCore.QRectF(x - w / 2, y - r - 1 - h, w, h), QtCore.QRectF(x - w / 2, y + r + 1, w, h),
            QtCore.QRectF(x + r, y - r - h, w, h), QtCore.QRectF(x + r, y + r, w, h),
            QtCore.QRectF(x - r - w, y - r - h, w, h), QtCore.QRectF(x - r - w, y + r, w, h)]
    rings = []
    for k in range(1, 9):
        reach = r + k * h * 0.9
        for step in range(16):
            angle = 2 * math.pi * step / 16
            cx, cy = x + math.cos(angle) * (reach + w / 2), y + math.sin(angle) * reach
            rings.append(QtCore.QRectF(cx - w / 2, cy - h / 2, w, h))
    return near + rings


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
        self.label_boxes: list[tuple[str, QtCore.QRectF]] = []  # set when painted
        self.hidden_change_labels = 0  # change labels left out for want of room
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
        """Projected radians -> widget pixels, keeping the aspect ratio, centred in the
        space above the legend strip."""
        x0, y_top = miller(-180, LAT_NORTH)
        x1, y_bottom = miller(180, LAT_SOUTH)
        margin = self.MARGIN
        w = max(1.0, self.width() - 2 * margin)
        h = max(1.0, self.height() - 2 * margin - self.legend_height(self.width()))
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
            change = map_panels.flow_change(t, prev) if self.previous is not None else None
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
        self.label_boxes = []  # (kind, rect) of every text box drawn: none overlaps another
        self._paint_flows(p, colours, fm)
        self._paint_caption(p, colours, rect)
        self._paint_actors(p, colours)
        self._paint_change_labels(p, colours)
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
        """"+12 %" boxes near their arrow, placed after the actors and the caption so they
        cover no name, no circle and no other label; a label with no free place nearby is
        left out (the details panel lists every change)."""
        label_font = self._font(0.9, bold=True)
        p.setFont(label_font)
        lfm = QtGui.QFontMetricsF(label_font)
        placed = list(self._occupied)
        bounds = self.map_rect()
        self.hidden_change_labels = 0
        for at, text, colour, ghost in getattr(self, "_change_labels", []):
            w = lfm.horizontalAdvance(text) + 8
            h = lfm.height() + 2
            base = QtCore.QRectF(at.x() - w / 2, at.y() - h / 2, w, h)
            offsets = [(0, 0)] + [(dx * k, dy * k) for k in (1, 2, 3)
                                  for dx, dy in ((0, 1), (0, -1), (1, 0), (-1, 0),
                                                 (1, 1), (-1, -1), (1, -1), (-1, 1))]
            box = next((trial for trial in (base.translated(dx * (w * 0.6), dy * (h + 2))
                                            for dx, dy in offsets)
                        if bounds.contains(trial) and not any(trial.intersects(o)
                                                              for o in placed)), None)
            if box is None:
                self.hidden_change_labels += 1
                continue
            placed.append(box)
            self.label_boxes.append(("change", box))
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
        placed += [box for kind, box in self.label_boxes if kind == "caption"]
        self._occupied = list(placed)
        bounds = self.map_rect()
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
        h = fm.height()

        def crowding(item: tuple[str, QtCore.QPointF]) -> int:
            pt = item[1]
            return -sum(1 for other in self._actor_px.values()
                        if abs(other.x() - pt.x()) < 6 * h and abs(other.y() - pt.y()) < 3 * h)

        # the most crowded names choose first; each takes the nearest free place, with a
        # leader line when that is away from its circle
        for actor_id, pt in sorted(self._actor_px.items(), key=crowding):
            name = self._actor_label(actor_id)
            w = fm.horizontalAdvance(name) + 6
            candidates = _name_places(pt, w, h, r)
            box = next((c for c in candidates if bounds.contains(c)
                        and not any(c.intersects(o) for o in placed)), None)
            if box is None:
                box = next((c for c in candidates if bounds.contains(c)), candidates[0])
            placed.append(box)
            self._occupied.append(box)
            self.label_boxes.append(("actor", box))
            if not box.adjusted(-r - 3, -r - 3, r + 3, r + 3).contains(pt):
                end = QtCore.QPointF(min(max(pt.x(), box.left()), box.right()),
                                     min(max(pt.y(), box.top()), box.bottom()))
                p.setPen(QtGui.QPen(QtGui.QColor(colours.muted), 1))
                p.drawLine(pt, end)
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
        self.label_boxes.append(("caption", box))

    def legend_rows(self) -> list[tuple[str, str]]:
        """(kind, text) rows of the legend (kind = a status, 'ghost', 'width' or 'change')."""
        rows = [(s, palette.STATUS_LABELS[s]) for s in palette.FLOW_STATUSES]
        if self.previous is not None:
            rows.append(("ghost", "stopped since the turn before"))
            rows.append(("change", "change since the turn before"))
        top = max([f.tonnes for f in self._flows if not f.ghost] + [0.0])
        if top > 0:
            rows.append(("width", f"width: tonnes per turn (max {_fmt_tonnes(top)})"))
        return rows

    def _legend_items(self, fm: QtGui.QFontMetricsF) -> list[tuple[str, str, float]]:
        """(kind, text, width in px) of each legend entry: a sample and its words."""
        sample_w = fm.height() * 2.2
        return [(kind, text, sample_w + 6 + fm.horizontalAdvance(text) + fm.height())
                for kind, text in self.legend_rows()]

    def _legend_lines(self, width: float) -> list[list[tuple[str, str, float]]]:
        """The legend's entries flowed into lines across ``width`` (a strip under the map,
        so it never covers a country)."""
        fm = QtGui.QFontMetricsF(self._font(0.85))
        usable = max(1.0, width - 2 * self.MARGIN - 8)
        lines: list[list[tuple[str, str, float]]] = [[]]
        used = 0.0
        for item in self._legend_items(fm):
            if lines[-1] and used + item[2] > usable:
                lines.append([])
                used = 0.0
            lines[-1].append(item)
            used += item[2]
        return lines

    def legend_height(self, width: float) -> float:
        """Height of the legend strip at canvas ``width`` (0 before any data)."""
        if self.scenario is None:
            return 0.0
        fm = QtGui.QFontMetricsF(self._font(0.85))
        return len(self._legend_lines(width)) * fm.height() * 1.25 + 6

    def legend_rect(self) -> QtCore.QRectF:
        rect = self.map_rect()
        return QtCore.QRectF(rect.left(), rect.bottom() + 2, rect.width(),
                             self.legend_height(self.width()) - 2)

    def _paint_legend(self, p: QtGui.QPainter, colours: palette.ChartColours,
                      rect: QtCore.QRectF) -> None:
        if self.scenario is None:
            return
        font = self._font(0.85)
        fm = QtGui.QFontMetricsF(font)
        p.setFont(font)
        sample_w = fm.height() * 2.2
        line_h = fm.height() * 1.25
        box = self.legend_rect()
        self.label_boxes.append(("legend", box))
        y = box.top() + 3
        for line in self._legend_lines(self.width()):
            x = box.left() + 4
            for kind, text, item_w in line:
                mid = y + line_h / 2
                x0, x1 = x, x + sample_w
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
                    poly = QtGui.QPolygonF([QtCore.QPointF(x0, mid),
                                            QtCore.QPointF(x1, mid - 5),
                                            QtCore.QPointF(x1, mid + 5)])
                    p.setPen(Qt.PenStyle.NoPen)
                    p.setBrush(QtGui.QColor(colours.muted))
                    p.drawPolygon(poly)
                p.setPen(QtGui.QColor(colours.foreground))
                p.drawText(QtCore.QRectF(x1 + 6, y, item_w - sample_w - 6, line_h),
                           int(Qt.AlignmentFlag.AlignVCenter), text)
                x += item_w
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
            # a dozen characters wide at least, not the longest entry ("Magnet making
            # (high-coercivity NdFeB)"): the map's pane must fit at 1024 px
            combo.setSizeAdjustPolicy(
                QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
        self.material_label = QtWidgets.QLabel("&Material")
        self.material_label.setBuddy(self.material_combo)
        self.stage_label = QtWidgets.QLabel("&Stage")
        self.stage_label.setBuddy(self.stage_combo)

        self.canvas = MapCanvas(self)
        self.details = SourcedTextBrowser()
        self.details.setAccessibleName("Details of the selected country or flow")
        self.details.setMinimumHeight(DETAILS_MIN_HEIGHT)
        self._default_details()

        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.material_label)
        top.addWidget(self.material_combo, 1)  # the combos share what room there is
        top.addSpacing(12)
        top.addWidget(self.stage_label)
        top.addWidget(self.stage_combo, 1)
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
        width = self.splitter.width()
        wanted = int((width - 2 * margin) * MapCanvas.aspect() + 2 * margin + 1
                     + self.canvas.legend_height(width))
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
                 previous: TurnIndicators | None = None, note: str | None = None) -> None:
        """Show one turn's flows; ``previous`` (the turn before) adds change labels and
        ghosts; ``note`` says which turn the caption shows ("flows of turn 2 (last
        played)"; default "turn N")."""
        new_scenario = scenario is not self.scenario
        self.scenario = scenario
        self.indicators = indicators
        self.previous = previous
        self.note = note
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
        self._refresh_details()

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
        # short names (the selectors above say them in full): the turn must stay in view
        parts = [re.sub(r"\s*\([^)]*\)", "", self.material_combo.currentText()),
                 re.sub(r"\s*\([^)]*\)", "", self.stage_combo.currentText())]
        if getattr(self, "note", None):
            parts.append(self.note)
        elif turn is not None:
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

    def _flows(self) -> list[map_panels.MapFlow]:
        material, stage = self.selection()
        return map_panels.map_flows(self.indicators, self.previous, material, stage)

    def _default_details(self) -> None:
        """The largest flows of the selection, so the panel is useful before any click."""
        if self.scenario is None:
            self.details.setHtml("")
            return
        self.details.setHtml(map_panels.largest_flows_html(self.scenario, self._flows(),
                                                           self.canvas.caption))

    def _show_actor(self, actor_id: str) -> None:
        if self.scenario is None:
            return
        material, _stage = self.selection()
        self.details.setHtml(map_panels.actor_html(self.scenario, actor_id, self.indicators,
                                                   self._flows(), material,
                                                   self.canvas.caption))

    def _show_flow(self, exporter: str, importer: str) -> None:
        if self.scenario is None:
            return
        material, stage = self.selection()
        self.details.setHtml(map_panels.flow_html(self.scenario, exporter, importer,
                                                  self._flows(), material, stage,
                                                  self.canvas.caption))
