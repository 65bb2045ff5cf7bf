"""File > Export report: which edition (the facilitator's, the public one, a team's) and
whether to add "Was it luck?" (``ReportOptionsDialog``), where to write (a save dialog
whose file type picks the format; a folder for the CSV tables), and the background job that
computes the luck re-runs and writes the file (``ReportExportJob``)."""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from wargame.ui.analysis_dialog import re_runs_box


@dataclass(frozen=True)
class ReportOptions:
    """The edition of the report and what it adds. ``audience``: "facilitator", "public"
    or "team" (with ``team``); ``luck_runs``: "Was it luck?" with that many re-runs (the
    facilitator's edition only), or None."""

    audience: str = "facilitator"
    team: str | None = None
    luck_runs: int | None = None

    @property
    def file_stem(self) -> str:
        return {"facilitator": "", "public": "-public"}.get(self.audience,
                                                              f"-team-{self.team}")


class ReportOptionsDialog(QDialog):
    """Which edition: the facilitator's (everything: notes, covert moves, the seed), the
    public one (what the room may see), or one team's (what that team saw; needs its PIN);
    and, for the facilitator's, "Was it luck?" with N re-runs."""

    def __init__(self, scenario, luck_possible: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export the after-action report")
        self.setObjectName("ReportOptionsDialog")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.edition = QComboBox()
        self.edition.setAccessibleName("Edition")
        self.edition.addItem("The facilitator's (everything: notes, covert moves, seed)",
                             ("facilitator", None))
        self.edition.addItem("Public (what the room may see)", ("public", None))
        for team in scenario.teams:
            self.edition.addItem(f"{team.name}'s (what that team saw; needs its PIN)",
                                 ("team", team.id))
        form.addRow("&Edition:", self.edition)
        luck_row = QHBoxLayout()
        self.luck = QCheckBox("Add \"Was it luck?\": re-run the orders with")
        self.luck.setAccessibleName("Add Was it luck?")
        self.luck_runs = re_runs_box()
        luck_row.addWidget(self.luck)
        luck_row.addWidget(self.luck_runs)
        luck_row.addStretch(1)
        form.addRow(luck_row)
        layout.addLayout(form)
        self.luck_note = QLabel()
        self.luck_note.setWordWrap(True)
        layout.addWidget(self.luck_note)
        self.luck_possible = luck_possible
        self.edition.currentIndexChanged.connect(self._sync)
        self.luck.toggled.connect(self._sync)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Choose file…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._sync()
        self.setMinimumWidth(520)

    def choose(self, audience: str, team: str | None = None) -> None:
        """Pick an edition (as a person would in the list)."""
        for index in range(self.edition.count()):
            if self.edition.itemData(index) == (audience, team):
                self.edition.setCurrentIndex(index)
                return
        raise KeyError((audience, team))

    def _sync(self) -> None:
        audience = self.edition.currentData()[0]
        allowed = self.luck_possible and audience == "facilitator"
        self.luck.setEnabled(allowed)
        self.luck_runs.setEnabled(allowed and self.luck.isChecked())
        if not self.luck_possible:
            self.luck_note.setText("\"Was it luck?\" needs at least one committed turn.")
        elif audience != "facilitator":
            self.luck_note.setText("\"Was it luck?\" is in the facilitator's edition only: "
                                   "it re-runs every team's orders, covert ones included.")
        else:
            self.luck_note.setText("The re-runs keep the orders, injects and rulings as "
                                   "played and change every random draw; 50 take a few "
                                   "seconds, in the background.")

    def options(self) -> ReportOptions:
        audience, team = self.edition.currentData()
        runs = int(self.luck_runs.value()) if self.luck.isEnabled() and \
            self.luck.isChecked() else None
        return ReportOptions(audience, team, runs)

log = logging.getLogger(__name__)

FILTERS = {
    "Report as a web page, one file (*.html)": "html",
    "Report as PDF, A4 pages (*.pdf)": "pdf",
    "Tables as a spreadsheet, one sheet each (*.xlsx)": "xlsx",
    "Tables as CSV files in a new folder (*)": "csv",
}


def ask_report_target(parent: QWidget, suggested: str) -> tuple[str, str] | None:
    """(path, format) or None when cancelled; the file name gets the format's extension."""
    path, chosen = QFileDialog.getSaveFileName(
        parent, "Export the after-action report", str(Path.home() / f"{suggested}.html"),
        ";;".join(FILTERS))
    if not path:
        return None
    fmt = FILTERS.get(chosen, "html")
    target = Path(path)
    if fmt != "csv" and target.suffix.lower() != f".{fmt}":
        target = target.with_suffix(f".{fmt}")
    if fmt == "csv" and target.suffix:
        target = target.with_suffix("")
    return str(target), fmt


class _ExportSignals(QObject):
    done = Signal(str)
    failed = Signal(str)
    progress = Signal(int)  # re-runs of "was it luck?" finished so far


class ReportExportJob(QRunnable):
    """Writes a report off the UI thread: a 12-turn PDF takes tens of seconds to lay out,
    and the window must keep painting meanwhile. The report's data was read from the store
    before (on the UI thread); this job only adds the analysis sections (``analysis``,
    given an ``on_progress`` callable: "was it luck?" re-runs the session's orders, which
    reads the store through its own connection), renders and writes files."""

    def __init__(self, report, fmt: str, path: Path,
                 analysis: Callable[[Callable[[int], None]], Sequence[Any]] | None = None
                 ) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.report, self.fmt, self.path = report, fmt, path
        self.analysis = analysis
        self.signals = _ExportSignals()

    def run(self) -> None:  # noqa: D401 - Qt name
        from wargame.report.export import write_report

        try:
            report = self.report
            if self.analysis is not None:
                sections = tuple(self.analysis(self.signals.progress.emit))
                report = report.model_copy(update={"analysis": report.analysis + sections})
            write_report(report, self.fmt, self.path)
        except Exception as exc:  # noqa: BLE001 - reported to the window, and logged
            log.exception("writing the report to %s failed", self.path)
            self.signals.failed.emit(f"{self.path}: {exc}")
            return
        self.signals.done.emit(str(self.path))
