"""The replay browser: step through a recorded session turn by turn (first, back, play,
forward, last), with its bookmarks (notes, injects, overrides, each at its turn). The map,
the charts and the explanations follow the selected turn.

Reads only: everything shown comes from the after-action report's data
(``wargame.report.gather.build_report``), read once when the browser opens, so nothing is
written to the session's log while browsing.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSlider,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wargame.report import panels
from wargame.report.revealed import revealed_from_turn

log = logging.getLogger(__name__)
PLAY_INTERVAL_MS = 1500  # one turn every 1.5 s: time to read the headline


class ReplayBrowser(QDialog):
    """``ReplayBrowser(scenario, report)``: a window over one session's committed turns."""

    turnChanged = Signal(int)  # noqa: N815 (Qt naming)

    def __init__(self, scenario, report, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Replay of session {report.facts.session_id}")
        self.setObjectName("ReplayBrowser")
        self.scenario = scenario
        self.report = report
        self.turns = list(report.committed_turns)
        self.history = [t.indicators for t in self.turns]
        self._index = 0
        self.timer = QTimer(self)
        self.timer.setInterval(PLAY_INTERVAL_MS)
        self.timer.timeout.connect(self._play_step)
        self._build()
        self.show_turn(0)

    # ------------------------------------------------------------------ layout

    def _button(self, text: str, name: str, slot) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setAccessibleName(name)
        button.setToolTip(name)
        button.clicked.connect(slot)
        self.controls.addWidget(button)
        return button

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.controls = QHBoxLayout()
        self.first_button = self._button("⏮", "First turn", self.first)
        self.back_button = self._button("◀", "Back one turn", self.back)
        self.play_button = self._button("▶ Play", "Play", self.toggle_play)
        self.forward_button = self._button("▶|", "Forward one turn", self.forward)
        self.last_button = self._button("⏭", "Last turn", self.last)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("Turn")
        self.slider.setRange(0, max(0, len(self.turns) - 1))
        self.slider.setPageStep(1)
        self.slider.valueChanged.connect(self.show_turn)
        self.controls.addWidget(self.slider, 1)
        self.turn_label = QLabel()
        self.turn_label.setAccessibleName("Selected turn")
        self.controls.addWidget(self.turn_label)
        layout.addLayout(self.controls)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.explanations = QTextBrowser()
        self.explanations.setAccessibleName("What happened and why")
        left_layout.addWidget(self.explanations, 3)
        left_layout.addWidget(QLabel("Bookmarks and notes (click to go to the turn)"))
        self.bookmarks = QListWidget()
        self.bookmarks.setAccessibleName("Bookmarks and notes")
        self.bookmarks.itemActivated.connect(self._bookmark_chosen)
        self.bookmarks.itemClicked.connect(self._bookmark_chosen)
        left_layout.addWidget(self.bookmarks, 1)
        split.addWidget(left)
        right = QWidget()
        self.views = QVBoxLayout(right)
        self.views.setContentsMargins(0, 0, 0, 0)
        self.flowmap = self._optional_view("wargame.ui.flowmap", "FlowMapWidget", "World map")
        self.charts = self._optional_view("wargame.ui.charts", "DebriefCharts", "Charts")
        if self.charts is not None:
            self.charts.set_tabbed(True)
        split.addWidget(right)
        split.setSizes([420, 620])
        layout.addWidget(split, 1)
        self._fill_bookmarks()
        if not self.turns:
            self.explanations.setHtml("<p>No turn of this session has been resolved yet: "
                                      "there is nothing to replay.</p>")

    def _optional_view(self, module: str, name: str, accessible: str):
        import importlib

        try:
            widget = getattr(importlib.import_module(module), name)()
        except Exception as exc:  # noqa: BLE001 - a view that cannot draw is left out
            log.warning("replay browser: %s unavailable: %s", accessible, exc)
            return None
        widget.setAccessibleName(accessible)
        self.views.addWidget(widget, 1)
        return widget

    def _fill_bookmarks(self) -> None:
        for turn in self.report.turns:
            marks = [("Inject", i.title) for i in turn.injects]
            marks += [("Override", f"{o.order_description}: {o.status} — {o.reason}")
                      for o in turn.overrides]
            marks += [("Note", n.text) for n in turn.notes]
            for kind, text in marks:
                item = QListWidgetItem(f"Turn {turn.turn} · {kind}: {text}")
                item.setData(Qt.ItemDataRole.UserRole, turn.turn)
                self.bookmarks.addItem(item)

    # ------------------------------------------------------------------ moving

    @property
    def current_turn(self) -> int | None:
        return self.turns[self._index].turn if self.turns else None

    def show_turn(self, index: int) -> None:
        """Show the ``index``-th committed turn (0 = the first)."""
        if not self.turns:
            self._sync_buttons()
            return
        index = max(0, min(int(index), len(self.turns) - 1))
        self._index = index
        if self.slider.value() != index:
            self.slider.blockSignals(True)
            self.slider.setValue(index)
            self.slider.blockSignals(False)
        turn = self.turns[index]
        self.turn_label.setText(f"Turn {turn.turn} of {self.turns[-1].turn}"
                                + (f" ({turn.calendar})" if turn.calendar else ""))
        facilitator = self.report.audience == "facilitator"
        self.explanations.setHtml(panels.debrief_html(revealed_from_turn(turn, facilitator)))
        if self.flowmap is not None:
            previous = self.history[index - 1] if index > 0 else None
            self.flowmap.set_data(self.scenario, turn.indicators, previous)
        if self.charts is not None:
            self.charts.update_history(self.scenario, self.history[:index + 1])
        for row in range(self.bookmarks.count()):
            item = self.bookmarks.item(row)
            font = item.font()
            font.setBold(item.data(Qt.ItemDataRole.UserRole) == turn.turn)
            item.setFont(font)
        self._sync_buttons()
        self.turnChanged.emit(turn.turn)

    def go_to_turn(self, turn_number: int) -> None:
        for index, turn in enumerate(self.turns):
            if turn.turn == turn_number:
                self.show_turn(index)
                return

    def _sync_buttons(self) -> None:
        count = len(self.turns)
        at_start, at_end = self._index <= 0, self._index >= count - 1
        self.first_button.setEnabled(count > 0 and not at_start)
        self.back_button.setEnabled(count > 0 and not at_start)
        self.forward_button.setEnabled(count > 0 and not at_end)
        self.last_button.setEnabled(count > 0 and not at_end)
        self.play_button.setEnabled(count > 1)

    def first(self) -> None:
        self.show_turn(0)

    def back(self) -> None:
        self.show_turn(self._index - 1)

    def forward(self) -> None:
        self.show_turn(self._index + 1)

    def last(self) -> None:
        self.show_turn(len(self.turns) - 1)

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def toggle_play(self) -> None:
        if self.playing:
            self.timer.stop()
        else:
            if self._index >= len(self.turns) - 1:
                self.show_turn(0)  # play from the start when at the end
            self.timer.start()
        self.play_button.setText("⏸ Pause" if self.playing else "▶ Play")
        self.play_button.setAccessibleName("Pause" if self.playing else "Play")

    def _play_step(self) -> None:
        if self._index >= len(self.turns) - 1:
            self.toggle_play()
            return
        self.forward()

    def _bookmark_chosen(self, item: QListWidgetItem) -> None:
        self.go_to_turn(int(item.data(Qt.ItemDataRole.UserRole)))

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        self.timer.stop()
        super().closeEvent(event)
