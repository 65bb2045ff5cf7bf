"""Where File > Export report writes: a save dialog whose file type picks the format (a
folder for the CSV tables)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

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
