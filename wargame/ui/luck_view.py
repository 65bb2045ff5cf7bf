""""Was it luck?" in the debrief: the session's committed turns re-run with N other seeds
(the orders, injects fired by hand and rulings as played; every random draw changes), and
where the real outcome sits among them.

The facilitator chooses N (default 50) and starts the re-runs; they run in the background
(``ExerciseController.luck_job``, the analysis' ``luck_report``) with a progress bar, and the
window stays usable meanwhile; Stop cancels them after the batch being run (closing the
window too). Then: a chart of one measure (the 5-95 % band and median of
the re-runs, the real path), chosen in a list that has every team's score first and then
the headline numbers furthest from the middle of the re-runs; and a table of the final
percentiles. Facilitator only: it re-runs every team's orders, covert ones included.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QThreadPool, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QWidget,
)

from wargame.ui.analysis_charts import LuckChart, value_text
from wargame.ui.analysis_dialog import AnalysisDialog, re_runs_box

OTHER_ROWS = 12  # headline numbers listed after the scores, furthest from the median first


def ordered_metrics(report) -> list:
    """Every team's score, then the other headline numbers (not the objectives' own
    values), the real final value furthest from the re-runs' median first."""
    others = [m for m in report.metrics if m.indicator not in ("score", "objective_value")
              and not math.isnan(m.final_percentile)]
    others.sort(key=lambda m: -abs(m.final_percentile - 50.0))
    return [*report.scores, *others]


def band_text(indicator: str, low: float, high: float) -> str:
    """'82-100 %', '0.89-0.90': the re-runs' 5-95 % band at the last turn."""
    low_text, high_text = value_text(indicator, low), value_text(indicator, high)
    if low_text.endswith(" %") and high_text.endswith(" %"):
        low_text = low_text[:-2]
    return f"{low_text}–{high_text}"


def percentile_text(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.0f}"


class LuckDialog(AnalysisDialog):
    """``LuckDialog(controller)``: choose N, run, read the band chart and the table."""

    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(controller, "Was it luck?",
                         "Choose how many re-runs, then start them: 50 take a few seconds "
                         "and run in the background.", "Was it luck? status", parent)
        self.report = None
        self.metrics: list = []
        self._done_games = 0
        self.setObjectName("LuckDialog")
        layout = self.layout_
        intro = QLabel("The session's orders, the injects fired by hand and the "
                       "facilitator's rulings are re-run with other seeds, so every random "
                       "draw changes (licence approvals, investment delays, random injects). "
                       "A percentile of 90 means 90 % of the re-runs ended lower than the "
                       "real game.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        runs_label = QLabel("&Re-runs:")
        self.runs = re_runs_box()
        runs_label.setBuddy(self.runs)
        self.run_button = QPushButton("Re-run the &turns")
        self.run_button.setAccessibleName("Start the re-runs")
        self.run_button.clicked.connect(self.run)
        self.stop_button = QPushButton("&Stop")
        self.stop_button.setAccessibleName("Stop the re-runs")
        self.stop_button.setToolTip("Cancel the re-runs (after the batch being run)")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.hide()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Re-runs done")
        self.progress.setFormat("%v of %m re-runs")
        self.progress.hide()
        row.addWidget(runs_label)
        row.addWidget(self.runs)
        row.addWidget(self.run_button)
        row.addWidget(self.progress, 1)
        row.addWidget(self.stop_button)
        row.addStretch(1)  # the spin box and the button keep their size
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.add_measure_row("Measure shown in the chart", self._show_metric)
        split = QSplitter()
        self.chart = LuckChart()
        split.addWidget(self.chart)
        self.table = self.read_only_table(5, "Where the real game sits among the re-runs")
        self.table.setHorizontalHeaderLabels(["At the last turn", "Real", "Median",
                                              "5-95 %", "Percentile"])
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentCellChanged.connect(lambda row, *_: row >= 0 and
                                              self.measure.setCurrentIndex(row))
        split.addWidget(self.table)
        split.setSizes([480, 540])  # the table's measure names must not be cut
        layout.addWidget(split, 1)

    # ------------------------------------------------------------------ running

    def run(self) -> None:
        """Start the re-runs in the background (nothing while a run is going)."""
        if self.job is not None:
            return
        runs = int(self.runs.value())
        turns = self.controller.committed_turns()
        self.job = self.controller.luck_job(runs)
        self.job.signals.done.connect(self._done)
        self.job.signals.failed.connect(self._failed)
        self.job.signals.progress.connect(self._progress)
        self.job.signals.cancelled.connect(self._cancelled)
        self._done_games = 0
        self.progress.setRange(0, runs)
        self.progress.setValue(0)
        self._set_running(True)
        span = f"turn {turns[0]}" if len(turns) == 1 else f"turns {turns[0]}-{turns[-1]}"
        self.status.setText(f"Re-running {span} with {runs} other seeds…")
        QThreadPool.globalInstance().start(self.job)

    def stop(self) -> None:
        """Cancel the re-runs: they stop after the batch being run; nothing is shown."""
        if self.job is None:
            return
        self.job.cancel()
        self.stop_button.setEnabled(False)
        self.status.setText("Stopping after the batch of re-runs being run…")

    @property
    def running(self) -> bool:
        return self.job is not None

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.stop_button.setVisible(running)
        self.stop_button.setEnabled(running)
        self.run_button.setEnabled(not running)
        self.runs.setEnabled(not running)

    @Slot()
    def _cancelled(self) -> None:
        self.job = None
        self._set_running(False)
        self.status.setText("Stopped: nothing is shown. Start the re-runs again when you "
                            "wish (fewer seeds take less time)." if self.report is None else
                            "Stopped: the chart still shows the re-runs before.")

    @Slot(int)
    def _progress(self, games: int) -> None:
        self._done_games += games
        self.progress.setValue(min(self._done_games, self.progress.maximum()))

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.job = None
        self._set_running(False)
        self.status.setText(f"The re-runs could not be made: {message}")

    @Slot(object)
    def _done(self, report) -> None:
        self.job = None
        self._set_running(False)
        self.show_report(report)

    # ------------------------------------------------------------------ showing

    def show_report(self, report) -> None:
        """Fill the list, the chart and the table from a ``LuckReport``."""
        self.report = report
        self.metrics = ordered_metrics(report)
        scores = len(report.scores)
        self.measure.blockSignals(True)
        self.measure.clear()
        for metric in self.metrics:
            self.measure.addItem(f"{self.metric_name(metric)} (percentile "
                                 f"{percentile_text(metric.final_percentile)})")
        self.measure.blockSignals(False)
        self.measure.setEnabled(bool(self.metrics))
        rows = self.metrics[:scores + OTHER_ROWS]
        self.table.setRowCount(0)
        for metric in rows:
            r = self.table.rowCount()
            self.table.insertRow(r)
            cells = (self.metric_name(metric),
                     value_text(metric.indicator, metric.real_by_turn[-1]),
                     value_text(metric.indicator, metric.median_by_turn[-1]),
                     band_text(metric.indicator, metric.p05_by_turn[-1],
                               metric.p95_by_turn[-1]),
                     percentile_text(metric.final_percentile))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        self.status.setText(
            f"{report.runs} re-runs of {report.turns} turn{'s' if report.turns != 1 else ''}. "
            "Shaded: the middle 90 % of the re-runs; dashed: their median; solid: the real "
            "game. Team scores first, then the numbers furthest from the re-runs' median.")
        if self.metrics:
            self.measure.setCurrentIndex(0)
            self._show_metric(0)

    def _show_metric(self, index: int) -> None:
        if self.report is None or not 0 <= index < len(self.metrics):
            return
        metric = self.metrics[index]
        turns = list(range(1, self.report.turns + 1))
        self.chart.set_metric(metric, turns, self.metric_name(metric))
