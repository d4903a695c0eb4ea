"""The what-if as an XLSX workbook (openpyxl): Korean headers, district names, column widths.

Sheets: 요약 (totals, current vs proposed, members gaining / losing / staying), 자치구별, 등급별,
바꾼 파라미터. Aggregates only: no plate, no person (not a personal-data download)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import programmes
from .models import Simulation


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, name in enumerate(header, 1):
        values = [name, *(row[index - 1] for row in rows)]
        width = max(_width(v) for v in values)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
        if rows and isinstance(rows[0][index - 1], int):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "#,##0"
    sheet.freeze_panes = "A2"


def _width(value: Any) -> int:
    text = f"{value:,}" if isinstance(value, int) else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # Hangul is two columns wide


def workbook(sim: Simulation, report: dict[str, Any]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    cur, prop, members = report["current"], report["proposed"], report["members"]
    f, t = sim.window_from, sim.window_to
    _sheet(
        book,
        "요약",
        ["항목", "현재 기준", "변경안", "차이"],
        [
            ["사업", programmes.PROGRAMMES[sim.programme].name, "", ""],
            [
                "업로드 기간",
                f"{f.year}. {f.month}. {f.day}. ~ {t.year}. {t.month}. {t.day}.",
                "",
                "",
            ],
            ["평가 건수", cur["cycles"], prop["cycles"], prop["cycles"] - cur["cycles"]],
            ["지급 대상 건수", cur["awarded"], prop["awarded"], report["awarded_difference"]],
            ["지급 마일리지 합계", cur["mileage"], prop["mileage"], report["difference"]],
            ["늘어나는 참여자", "", members["gain"], members["gained"]],
            ["줄어드는 참여자", "", members["lose"], -members["lost"]],
            ["같은 참여자", "", members["same"], 0],
        ],
    )
    _sheet(
        book,
        "자치구별",
        [
            "자치구",
            "평가 건수",
            "지급 대상(현재)",
            "마일리지(현재)",
            "지급 대상(변경안)",
            "마일리지(변경안)",
            "차이",
        ],
        [
            [
                d["name"],
                d["current_cycles"],
                d["current_awarded"],
                d["current"],
                d["proposed_awarded"],
                d["proposed"],
                d["difference"],
            ]
            for d in report["districts"]
        ],
    )
    _sheet(
        book,
        "등급별",
        ["등급", "건수(현재)", "마일리지(현재)", "건수(변경안)", "마일리지(변경안)", "차이"],
        [
            [
                t_["label"],
                t_["current_cycles"],
                t_["current"],
                t_["proposed_cycles"],
                t_["proposed"],
                t_["difference"],
            ]
            for t_ in report["tiers"]
        ],
    )
    _sheet(
        book,
        "바꾼 파라미터",
        ["파라미터", "이름", "적용 시작일 또는 연도", "변경안 값"],
        [
            [
                c["label"],
                c["name"],
                c["key"],
                c["value"],
            ]
            for c in report["changes"]
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
