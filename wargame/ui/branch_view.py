"""Branches side by side in the debrief: a session and its forks ("what if Brussels had
done X"), every headline number per turn (the analysis' ``compare_sessions``), read in the
background when the window opens.

A list picks the measure (every team's score first, then the numbers that differ between
the branches, with the turn they first differ at; the first that differs is shown first);
the table shows it turn by turn with one column per session, the chart one line per
session.
"""
from __future__ import annotations

import re

from PySide6.QtCore import QThreadPool, Slot
from PySide6.QtWidgets import QHeaderView, QSplitter, QTableWidgetItem, QWidget

from wargame.ui.analysis_charts import BranchChart, value_text
from wargame.ui.analysis_dialog import AnalysisDialog


_FORK_SUFFIX = re.compile(r"\s*\(fork at turn \d+\)$")
_STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$")


def branch_label(name: str | None, scenario_title: str, session_id: str,
                 parent_turn: int | None) -> str:
    """A column and legend name short enough to sit beside the others: 'Session 3f2a9c1e'
    or 'Fork at turn 2 (b7e1d2aa)', or the facilitator's own name for the session
    ('Hawkish Brussels (fork at turn 2)'). Default names (the scenario's title and a date,
    the same for every branch) say nothing here."""
    text = _FORK_SUFFIX.sub("", (name or "").strip())
    if scenario_title and text.startswith(scenario_title):
        text = text[len(scenario_title):].lstrip(" ,—-:")
    own = text if text and not _STAMP.match(text) else ""
    short = session_id[:8]
    if parent_turn is None:
        return own or f"Session {short}"
    return f"{own} (fork at turn {parent_turn})" if own else \
        f"Fork at turn {parent_turn} ({short})"


def ordered_measures(comparison) -> list:
    """Every team's score, then the headline numbers that differ between the sessions
    (earliest difference first), then the others."""
    scores = [m for m in comparison.metrics if m.indicator == "score"]
    rest = [m for m in comparison.metrics if m.indicator not in ("score", "objective_value")]
    differ = sorted((m for m in rest if m.diverges_at()), key=lambda m: m.diverges_at())
    same = [m for m in rest if not m.diverges_at()]
    return [*scores, *differ, *same]


class BranchDialog(AnalysisDialog):
    """``BranchDialog(controller)``: reads the comparison in the background, then shows it."""

    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(controller, "Branches", "Reading the session and its forks…",
                         "Branches status", parent)
        self.comparison = None
        self.session_names: list[str] = []
        self.measures: list = []
        self.setObjectName("BranchDialog")
        layout = self.layout_
        layout.addWidget(self.status)
        self.add_measure_row("Measure compared", self._show_measure)
        split = QSplitter()
        self.table = self.read_only_table(1, "The measure per turn, one column per session")
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        split.addWidget(self.table)
        self.chart = BranchChart()
        split.addWidget(self.chart)
        split.setSizes([420, 600])
        layout.addWidget(split, 1)
        self.job = controller.branches_job()
        self.job.signals.done.connect(self._done)
        self.job.signals.failed.connect(self._failed)
        QThreadPool.globalInstance().start(self.job)

    @property
    def loading(self) -> bool:
        return self.job is not None

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.job = None
        self.status.setText(f"The branches could not be read: {message}")

    @Slot(object)
    def _done(self, result) -> None:
        self.job = None
        comparison, names = result
        self.show_comparison(comparison, [names.get(s.session_id, s.session_id[:8])
                                          for s in comparison.sessions])

    def show_comparison(self, comparison, session_names: list[str]) -> None:
        self.comparison = comparison
        self.session_names = session_names
        self.measures = ordered_measures(comparison)
        self.measure.blockSignals(True)
        self.measure.clear()
        for metric in self.measures:
            turn = metric.diverges_at()
            self.measure.addItem(self.metric_name(metric)
                                 + (f" (differs from turn {turn})" if turn else " (the same)"))
        self.measure.blockSignals(False)
        self.measure.setEnabled(bool(self.measures))
        lines = "; ".join(f"{name}: {s.turns_played} turn{'s' if s.turns_played != 1 else ''}"
                          for name, s in zip(session_names, comparison.sessions))
        self.status.setText(f"{len(comparison.sessions)} sessions of one scenario — {lines}.")
        self.table.setColumnCount(1 + len(session_names))
        self.table.setHorizontalHeaderLabels(["Turn", *session_names])
        if self.measures:  # the first measure in which the branches part, if any
            first = next((i for i, m in enumerate(self.measures) if m.diverges_at()), 0)
            self.measure.setCurrentIndex(first)
            self._show_measure(first)

    def _show_measure(self, index: int) -> None:
        if self.comparison is None or not 0 <= index < len(self.measures):
            return
        metric = self.measures[index]
        self.table.setRowCount(0)
        for turn in range(1, self.comparison.turns + 1):
            r = self.table.rowCount()
            self.table.insertRow(r)
            self.table.setItem(r, 0, QTableWidgetItem(str(turn)))
            for c, values in enumerate(metric.values, start=1):
                value = values[turn - 1] if turn <= len(values) else None
                self.table.setItem(r, c, QTableWidgetItem(value_text(metric.indicator, value)))
        self.chart.set_metric(metric, self.session_names, self.metric_name(metric))
