"""File > Export report: where to write (a save dialog whose file type picks the format; a
folder for the CSV tables) and the background job that writes it."""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

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


class ReportExportJob(QRunnable):
    """Writes a report off the UI thread: a 12-turn PDF takes tens of seconds to lay out,
    and the window must keep painting meanwhile. The report's data was read from the store
    before (on the UI thread); this job only renders and writes files."""

    def __init__(self, report, fmt: str, path: Path) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.report, self.fmt, self.path = report, fmt, path
        self.signals = _ExportSignals()

    def run(self) -> None:  # noqa: D401 - Qt name
        from wargame.report.export import write_report

        try:
            write_report(self.report, self.fmt, self.path)
        except Exception as exc:  # noqa: BLE001 - reported to the window, and logged
            log.exception("writing the report to %s failed", self.path)
            self.signals.failed.emit(f"{self.path}: {exc}")
            return
        self.signals.done.emit(str(self.path))
