"""The projector view: public information only, in type as large as fits: turn, phase,
timer, whom the room is waiting for, the world map and the charts, and the text of the
phase: the world at the start of the turn (with its events), then after adjudication what
happened and why and every team's revealed orders.

Nothing on it ever scrolls (nobody in the room can scroll it): the text panel picks the
largest type at which its text fits (:class:`FitTextBrowser`), at 1920x1080 as at
1280x720. On a second screen it fills that screen; on a single screen it is a window the
facilitator can move, resize or make full screen (F11).

It reads only public read-outs of the controller (``revealed()`` covers committed turns
only; headline indicators come from committed results; who has submitted, never what). It
never calls anything that returns a team's private view or orders of the turn in progress.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wargame.report import panels
from wargame.ui.fit_text import FitTextBrowser

# fixed colours that read on both palettes (white on vermillion / black on amber)
TIME_UP_STYLE = "background: #B03A00; color: #FFFFFF; padding: 8px; border-radius: 6px;"
PAUSED_STYLE = "background: #F0B429; color: #111111; padding: 8px; border-radius: 6px;"
MIN_TEXT_PT = 9.0  # the text panels never go below this (readable at 1280x720)
MAX_TEXT_PT = 26.0


class ProjectorWindow(QWidget):
    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("Projector")
        self.setWindowTitle("Projector")
        self.controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.turn_label = QLabel()
        self.turn_label.setObjectName("projectorTurn")
        self.turn_label.setAccessibleName("Turn and phase")
        top.addWidget(self.turn_label, 1)
        self.timer_label = QLabel()
        self.timer_label.setAccessibleName("Timer")
        top.addWidget(self.timer_label)
        layout.addLayout(top)
        self.waiting_label = QLabel()
        self.waiting_label.setObjectName("projectorWaiting")
        self.waiting_label.setAccessibleName("Whom the room is waiting for")
        self.waiting_label.setWordWrap(True)
        layout.addWidget(self.waiting_label)
        self.banner = QLabel()
        self.banner.setObjectName("projectorBanner")
        self.banner.setAccessibleName("Clock state")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.hide()
        layout.addWidget(self.banner)

        body = QSplitter(Qt.Orientation.Horizontal)
        body.setChildrenCollapsible(False)
        left = QSplitter(Qt.Orientation.Vertical)
        left.setChildrenCollapsible(False)
        self.map_host = QWidget()
        self.map_layout = QVBoxLayout(self.map_host)
        self.map_layout.setContentsMargins(0, 0, 0, 0)
        self.flowmap = None
        left.addWidget(self.map_host)
        self.charts = None
        self.charts_host = QWidget()
        self.charts_layout = QVBoxLayout(self.charts_host)
        self.charts_layout.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.charts_host)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        self.left = left
        body.addWidget(left)
        self.main_text = FitTextBrowser(MIN_TEXT_PT, MAX_TEXT_PT)
        self.main_text.setAccessibleName("The world, or what happened and why")
        body.addWidget(self.main_text)
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 1)
        self.body = body
        self._user_split = False
        for splitter in (body, left):
            splitter.splitterMoved.connect(lambda *_: setattr(self, "_user_split", True))
        layout.addWidget(body, 1)
        self._build_views()
        self._scale_type()
        QShortcut(QKeySequence("F11"), self, activated=self.toggle_full_screen)
        QShortcut(QKeySequence("Escape"), self, activated=self.leave_full_screen)
        controller.changed.connect(self.refresh)
        self.refresh()
        if parent is not None and hasattr(parent, "_clock"):
            parent._clock.timeout.connect(self._tick)

    def _build_views(self) -> None:
        """The map (large type, no details panel: nobody clicks on a projector) and the
        charts; without pyqtgraph or the outline the text still shows."""
        try:
            from wargame.ui.flowmap import FlowMapWidget

            self.flowmap = FlowMapWidget()
            self.flowmap.setAccessibleName("World flow map")
            self.flowmap.details.hide()
            self.map_layout.addWidget(self.flowmap)
        except Exception:  # noqa: BLE001
            self.flowmap = None
        try:
            from wargame.ui.charts import DebriefCharts

            self.charts = DebriefCharts(public=True)  # no team's budget or dependency
            self.charts.set_tabbed(True)
            self.charts_layout.addWidget(self.charts)
        except Exception:  # noqa: BLE001
            self.charts = None

    # ---- type follows the window's size

    def _scale_type(self) -> None:
        """Headings scale with the window's height (1080 px: 30 pt title)."""
        height = max(self.height(), 480)
        base = QFont(self.font())
        title = QFont(base)
        title.setPointSizeF(max(14.0, height / 36))
        title.setBold(True)
        self.turn_label.setFont(title)
        self.timer_label.setFont(title)
        line = QFont(base)
        line.setPointSizeF(max(11.0, height / 54))
        line.setBold(True)
        self.waiting_label.setFont(line)
        self.banner.setFont(line)
        # text no bigger than a heading (24 pt at 1080 px, 16 pt at 720 px)
        for panel in self.text_panels():
            panel.max_point_size = max(MIN_TEXT_PT, min(MAX_TEXT_PT, height / 45))
        large = height >= 900
        if self.flowmap is not None:
            self.flowmap.set_large_type(large)
        if self.charts is not None:
            self.charts.set_large_type(large)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._scale_type()
        self._share_space()

    def _share_space(self) -> None:
        """The text panel gets 44 % of the width (the map and charts the rest, map above
        charts 3:2), whatever the size hints of the charts say; until the facilitator drags
        a handle."""
        if self._user_split:
            return
        width = max(2, sum(self.body.sizes()) or self.width())
        height = max(2, sum(self.left.sizes()) or self.height())
        for splitter, sizes in ((self.body, [int(width * 0.56), int(width * 0.44)]),
                                (self.left, [int(height * 0.6), int(height * 0.4)])):
            splitter.blockSignals(True)
            splitter.setSizes(sizes)
            splitter.blockSignals(False)

    # ---- where it shows

    def show_on(self, screen=None) -> None:
        """Full screen on ``screen``; without one, a window on the current screen, as
        large as fits its free area."""
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
            self.showFullScreen()
            return
        here = self.screen() if self.screen() is not None else None
        if here is not None:
            area = here.availableGeometry()
            self.resize(int(area.width() * 0.9), int(area.height() * 0.9))
            self.move(area.center() - self.rect().center())
        else:
            self.resize(1280, 720)
        self.show()

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def leave_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()

    # ---- content

    def _tick(self) -> None:
        if self.isVisible():
            self._show_clock()

    def _show_clock(self) -> None:
        """The clock in big type: "00:00" and a banner once time is up; PAUSED while paused."""
        ctl = self.controller
        self.timer_label.setText(ctl.clock_text())
        if ctl.paused and not ctl.ended:
            text, style = "PAUSED", PAUSED_STYLE
        elif ctl.time_up_waiting:
            text, style = "Time is up — 00:00", TIME_UP_STYLE
        else:
            text, style = "", ""
        self.timer_label.setStyleSheet("color: #D55E00;" if ctl.time_up_waiting else "")
        self.banner.setText(text)
        self.banner.setStyleSheet(style)
        self.banner.setVisible(bool(text))

    def waiting_for_names(self) -> list[str]:
        """Teams that have not submitted yet (who, never what)."""
        ctl = self.controller
        if ctl.phase != "orders":
            return []
        return [ctl.scenario.team(t).name for t in ctl.exercise.waiting_for()]

    def refresh(self) -> None:
        ctl = self.controller
        phase = "ended" if ctl.ended else ctl.phase
        limit = f" of {ctl.turn_limit}" if ctl.turn_limit else ""
        self.turn_label.setText(f"Turn {ctl.turn}{limit} · {phase.capitalize()}")
        self.waiting_label.setText(panels.waiting_text(phase, self.waiting_for_names(),
                                                       ctl.paused and not ctl.ended))
        self._show_clock()
        history = ctl.indicators_history()
        if self.flowmap is not None:
            from wargame.ui.main_window import map_turn

            try:
                self.flowmap.set_data(ctl.scenario, *map_turn(ctl, history))
            except Exception:  # noqa: BLE001 - the text still shows
                pass
        if self.charts is not None:
            self.charts.update_history(ctl.scenario, history)
        revealed = ctl.revealed()
        if phase in ("debrief", "ended") and revealed is not None:
            # what happened and why (one line per order and event), then every team's
            # orders: the most complete version that fits without scrolling
            self.main_text.set_fitted_versions(panels.projector_debrief_versions(revealed))
        else:
            from wargame.report.briefing import world_html

            fired = [t for t in ctl.injects_due() if t.startswith("Fired")]
            heading = f"<h3>The world at the start of turn {ctl.turn}</h3>"
            world = world_html(ctl.scenario, history[-1], detail=False, public=True) \
                if history else world_html(ctl.scenario, ctl.baseline_indicators(),
                                           baseline=True, public=True)
            self.main_text.set_fitted_html(
                heading + world + (panels.events_html(fired) if fired else ""))

    def text_panels(self) -> list[FitTextBrowser]:
        return [self.main_text]
