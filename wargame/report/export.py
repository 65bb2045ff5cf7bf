"""``write_report``: one call for every output format, used by ``wargame report`` and by the
app's File > Export report."""
from __future__ import annotations

import os
import tempfile
from enum import StrEnum
from pathlib import Path

from wargame.report.model import AfterActionReport


class ReportFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"
    CSV = "csv"  # a folder of CSV files, one per table
    XLSX = "xlsx"


def _write_text(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(report: AfterActionReport, fmt: ReportFormat | str, out: Path) -> list[Path]:
    """Write ``report`` as ``fmt`` to ``out`` (a file; for CSV a folder); returns what was
    written. Formats import their libraries only when used."""
    fmt = ReportFormat(fmt)
    out = Path(out)
    if fmt in (ReportFormat.HTML, ReportFormat.PDF):
        from wargame.report.html_report import render_html

        html = render_html(report)
        if fmt is ReportFormat.HTML:
            _write_text(html, out)
        else:
            from wargame.report.pdf import write_pdf

            write_pdf(html, out)
        return [out]
    from wargame.report.tables import report_tables

    tables = report_tables(report)
    if fmt is ReportFormat.CSV:
        from wargame.report.spreadsheets import write_csv_folder

        return write_csv_folder(tables, out)
    from wargame.report.spreadsheets import write_xlsx

    write_xlsx(tables, out)
    return [out]
