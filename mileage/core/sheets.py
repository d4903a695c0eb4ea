"""Files officials open in a spreadsheet (issue #14): Korean headers, one row per record, CSV with
a byte-order mark (Excel reads the Hangul) and XLSX with columns as wide as their contents.

    columns = [Column("자치구", 10), Column("마일리지", 12, "#,##0"), Column("지급일", 12, "yyyy. m. d.")]
    return sheet_response("평가 결과", columns, rows, fmt="xlsx", filename="evaluation-run-7")

Rows are plain values (text, numbers, dates); a text cell that a spreadsheet would read as a
formula (=, +, -, @ first) is written with a leading apostrophe, so a plate or a memo can never
run as one. Rows are streamed from an iterator: a million rows never sit in a list here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str  # Korean, as officials read it
    width: float = 12  # in characters (a Hangul syllable counts about two)
    number_format: str | None = None  # e.g. "#,##0", "yyyy. m. d."


def safe_text(value: Any) -> Any:
    """A text that would start a formula gets an apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return f"{value.year}. {value.month}. {value.day}."
    return safe_text(value)


def csv_bytes(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])  # Excel's limit for a sheet name
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.append([c.header for c in columns])
    for row in rows:
        cells = []
        for column, value in zip(columns, row, strict=True):
            cell = WriteOnlyCell(sheet, value=safe_text(value))
            if column.number_format and value is not None:
                cell.number_format = column.number_format
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_response(
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    fmt: str,
    filename: str,
) -> HttpResponse:
    """The rows as a CSV or XLSX download (`fmt` "csv" or "xlsx")."""
    if fmt == "csv":
        response = HttpResponse(csv_bytes(columns, rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(title, columns, rows), content_type=XLSX_TYPE)
    else:
        raise ValueError(f"fmt: csv or xlsx, not {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
