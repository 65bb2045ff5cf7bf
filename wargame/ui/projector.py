"""The projector view: a second window, full screen on a chosen screen, showing only public
information in large type: turn, phase, timer, headline indicators, charts, and the revealed
orders and injects of the last committed turn.

It reads only public read-outs of the controller (``revealed()`` covers committed turns
only; headline indicators come from committed results). It never calls anything that
returns a team's private view or orders of the turn in progress.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from wargame.ui.console import headline_html

esc = html.escape
SCALE = 1.6
# fixed colours that read on both palettes (white on vermillion / black on amber)
TIME_UP_STYLE = "background: #B03A00; color: #FFFFFF; padding: 12px; border-radius: 6px;"
PAUSED_STYLE = "background: #F0B429; color: #111111; padding: 12px; border-radius: 6px;"


class ProjectorWindow(QWidget):
    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("Projector")
        self.setWindowTitle("Projector")
        self.controller = controller
        base = QFont(self.font())
        size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
        big = QFont(base)
        big.setPointSizeF(size * SCALE)
        self.setFont(big)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.turn_label = QLabel()
        self.turn_label.setObjectName("projectorTurn")
        title_font = QFont(big)
        title_font.setPointSizeF(size * 2.4)
        title_font.setBold(True)
        self.turn_label.setFont(title_font)
        self.turn_label.setAccessibleName("Turn and phase")
        top.addWidget(self.turn_label, 1)
        self.timer_label = QLabel()
        self.timer_label.setFont(title_font)
        self.timer_label.setAccessibleName("Timer")
        top.addWidget(self.timer_label)
        layout.addLayout(top)
        self.banner = QLabel()
        self.banner.setObjectName("projectorBanner")
        self.banner.setAccessibleName("Clock state")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        banner_font = QFont(big)
        banner_font.setPointSizeF(size * 2.0)
        banner_font.setBold(True)
        self.banner.setFont(banner_font)
        self.banner.hide()
        layout.addWidget(self.banner)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.headline = QTextBrowser()
        self.headline.setAccessibleName("Headline indicators")
        self.headline.setFont(big)
        splitter.addWidget(self.headline)
        self.charts = None
        self.charts_host = QWidget()
        self.charts_layout = QVBoxLayout(self.charts_host)
        self.charts_layout.setContentsMargins(0, 0, 0, 0)
        splitter.addWidget(self.charts_host)
        splitter.setSizes([500, 900])
        layout.addWidget(splitter, 3)
        self.revealed = QTextBrowser()
        self.revealed.setAccessibleName("Revealed orders and injects")
        self.revealed.setFont(big)
        layout.addWidget(self.revealed, 2)
        try:
            from wargame.ui.charts import DebriefCharts

            self.charts = DebriefCharts()
            self.charts.set_large_type(True)
            self.charts_layout.addWidget(self.charts)
        except Exception:  # noqa: BLE001 - the text still shows
            self.charts = None
        controller.changed.connect(self.refresh)
        self.refresh()
        if parent is not None and hasattr(parent, "_clock"):
            parent._clock.timeout.connect(self._tick)

    def show_on(self, screen=None) -> None:
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            self.resize(1600, 900)
            self.show()

    def _tick(self) -> None:
        if self.isVisible():
            self._show_clock()

    def _show_clock(self) -> None:
        """The clock in big type: "00:00" and a banner once time is up; PAUSED while paused."""
        ctl = self.controller
        clock = ctl.clock_text()
        self.timer_label.setText(clock)
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

    def refresh(self) -> None:
        ctl = self.controller
        phase = "ended" if ctl.ended else ctl.phase
        paused = " — PAUSED" if ctl.paused else ""
        self.turn_label.setText(f"Turn {ctl.turn} of {ctl.turn_limit} · {phase.capitalize()}"
                                f"{paused}")
        self._show_clock()
        history = ctl.indicators_history()
        self.headline.setHtml(headline_html(ctl.scenario, history[-1] if history else None,
                                            ctl.turn))
        if self.charts is not None:
            self.charts.update_history(ctl.scenario, history)
        revealed = ctl.revealed()
        parts = []
        injects = [t for t in ctl.injects_due() if t.startswith("Fired")]
        if injects and phase in ("briefing", "orders", "adjudication"):
            parts.append(f"<h3>This turn</h3><ul>"
                         + "".join(f"<li>{esc(t)}</li>" for t in injects) + "</ul>")
        if revealed:
            parts.append(f"<h3>Turn {revealed['turn']}: orders revealed</h3><table "
                         "cellspacing='6'>")
            for row in revealed["orders"]:
                parts.append(f"<tr><td><b>{esc(row['team'])}</b></td><td>{esc(row['text'])}"
                             f"</td><td><i>{esc(row['status'])}</i></td></tr>")
            parts.append("</table>")
            if revealed["injects"]:
                parts.append("<p><b>Events:</b> " + "; ".join(esc(t) for t in
                                                               revealed["injects"]) + "</p>")
        else:
            parts.append("<p>Orders are revealed here after each turn is adjudicated.</p>")
        self.revealed.setHtml("".join(parts))
