"""``AnalysisDialog``: what "Was it luck?" (``LuckDialog``) and the branch comparison
(``BranchDialog``) share: a status line, a list that picks the measure, a read-only table
beside a chart, measures named as the report names them, the window's palette, and a
background job that stops (or is let go) when the window closes."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

DEFAULT_RE_RUNS = 50  # "was it luck?" by default: a few seconds
MAX_RE_RUNS = 2000  # the app's bound: a few minutes at most on a laptop


def re_runs_box() -> QSpinBox:
    """How many other seeds "Was it luck?" re-runs the session with."""
    box = QSpinBox()
    box.setRange(5, MAX_RE_RUNS)
    box.setSingleStep(10)
    box.setValue(DEFAULT_RE_RUNS)
    box.setSuffix(" other seeds")
    box.setAccessibleName("Number of re-runs")
    return box


class AnalysisDialog(QDialog):
    """Subclasses add their own rows with ``self.layout_`` and fill ``measure`` and the
    table; ``job`` is the running ``BackgroundJob`` (or None)."""

    chart = None  # the subclass's chart, themed by ``apply_theme``

    def __init__(self, controller, title: str, status: str, status_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from wargame.report_analysis import names_of

        self.controller = controller
        self.names = names_of(controller.scenario)
        self.job = None
        self.setWindowTitle(f"{title} — {controller.session_name}")
        self.layout_ = QVBoxLayout(self)
        self.status = QLabel(status)
        self.status.setAccessibleName(status_name)
        self.status.setWordWrap(True)

    def add_measure_row(self, accessible_name: str, on_change) -> None:
        """'Measure: [list]', disabled until there is something to pick."""
        row = QHBoxLayout()
        label = QLabel("&Measure:")
        self.measure = QComboBox()
        self.measure.setAccessibleName(accessible_name)
        self.measure.setEnabled(False)
        label.setBuddy(self.measure)
        self.measure.currentIndexChanged.connect(on_change)
        row.addWidget(label)
        row.addWidget(self.measure, 1)
        self.layout_.addLayout(row)

    @staticmethod
    def read_only_table(columns: int, accessible_name: str) -> QTableWidget:
        table = QTableWidget(0, columns)
        table.setAccessibleName(accessible_name)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        return table

    def metric_name(self, metric) -> str:
        """'Score: Washington', 'Supply met: EVs in the EU' (the report's wording)."""
        from wargame.report_analysis import measure_name

        return measure_name(metric.indicator, metric.subject, metric.label, self.names)

    def apply_theme(self, theme: str) -> None:
        if self.chart is not None:
            self.chart.apply_theme(theme)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        from wargame.ui.background import keep_until_done

        if self.job is not None:  # a job still going stops at its next report, or ends
            self.job.cancel()
            keep_until_done(self.job)
        self.job = None
        super().closeEvent(event)
