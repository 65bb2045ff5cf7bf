"""The tidy tables on disk: a folder of CSV files (one per table, UTF-8, a header row) or
one xlsx workbook (one sheet per table, through openpyxl), and the CSV folder read back.

CSV numbers are written with Python's shortest exact representation (``repr``), so a float
read back is bit-for-bit the stored one. In the xlsx every text cell is typed as text, so a
note or an order that starts with '=' is shown as written, never run as a formula.
"""
from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from wargame.report.tables import SCHEMAS, Table

MAX_CSV_BYTES = 256 * 1024 * 1024  # reading back: a report of 200 turns is far smaller


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return "" if value is None else str(value)


def write_csv_folder(tables: list[Table], folder: Path) -> list[Path]:
    """One ``NAME.csv`` per table in ``folder`` (made if missing); each file is written to
    a temporary name and renamed, so a reader never sees half a file."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        path = folder / f"{table.name}.csv"
        fd, tmp = tempfile.mkstemp(prefix=f".{table.name}-", suffix=".csv", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(table.header)
                writer.writerows([_cell(v) for v in row] for row in table.rows)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(path)
    return written


def _parse(text: str, kind: type):
    if kind is str:
        return text
    if text == "":  # an empty number (a ruling that scaled nothing has no factor)
        return None
    if kind is bool:
        if text not in ("true", "false"):
            raise ValueError(f"not true/false: {text!r}")
        return text == "true"
    return kind(text)


def read_csv_folder(folder: Path) -> dict[str, Table]:
    """The tables of a folder ``write_csv_folder`` wrote, typed by their schema; a missing
    file, an unexpected header or a bad cell is a ``ValueError`` naming FILE:LINE."""
    out = {}
    for name, columns in SCHEMAS.items():
        path = folder / f"{name}.csv"
        if path.stat().st_size > MAX_CSV_BYTES:
            raise ValueError(f"{path}: larger than {MAX_CSV_BYTES // 2**20} MiB")
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            if header != [c.name for c in columns]:
                raise ValueError(f"{path}:1: expected columns {[c.name for c in columns]}")
            rows = []
            for line, raw in enumerate(reader, start=2):
                try:
                    if len(raw) != len(columns):
                        raise ValueError(f"{len(raw)} cells, expected {len(columns)}")
                    rows.append(tuple(_parse(cell, c.type) for cell, c in zip(raw, columns)))
                except ValueError as exc:
                    raise ValueError(f"{path}:{line}: {exc}") from None
        out[name] = Table(name, columns, tuple(rows))
    return out


def write_xlsx(tables: list[Table], path: Path) -> None:
    """One sheet per table (header row frozen and bold, columns sized to their content)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.name[:31])
        sheet.append(table.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, even when it starts with "="
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns, start=1):
            longest = max([len(column.name)] + [len(_cell(r[index - 1]))
                                                for r in table.rows[:500]])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, longest + 2)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        book.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
