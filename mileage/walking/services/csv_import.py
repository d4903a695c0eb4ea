"""WALK-1: step files for partners that send CSV instead of calling the API.

Header `member,date,steps` (UTF-8, a BOM is fine; Korean headers 회원,날짜,걸음수 too), and
optionally `manual_steps`, `hourly` (24 counts separated by ";") and `device`. Each
line goes through the same parser and upsert as the API; errors name the file's line number.
"""

from __future__ import annotations

import csv
import io
from typing import IO, Any

from mileage.partners.models import Partner

from ..errors import BadCsv, PayloadTooLarge
from ..models import StepImport
from .feed import FeedResult, ingest

MAX_CSV_ROWS = 200_000
MAX_CSV_BYTES = 16 * 1024 * 1024
HEADERS = {"member": "member", "회원": "member", "date": "date", "날짜": "date",
           "steps": "steps", "걸음수": "steps", "걸음 수": "steps",
           # optional fair-play columns (WALK-1 [interp]); hourly: 24 counts separated by ";"
           "manual_steps": "manual_steps", "손입력걸음수": "manual_steps",
           "hourly": "hourly", "시간별걸음수": "hourly", "device": "device", "기기": "device"}  # fmt: skip
REQUIRED = ["date", "member", "steps"]


def read_rows(data: bytes) -> list[dict[str, str]]:
    """Parse the file into row dicts keyed member/date/steps, or refuse it whole (BadCsv)."""
    if len(data) > MAX_CSV_BYTES:
        raise PayloadTooLarge("파일이 너무 큽니다 (최대 16MB). 나누어 올려 주세요.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadCsv() from exc
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise BadCsv()
    names = [HEADERS.get(h.strip().lower()) for h in header]
    found = [n for n in names if n]
    if sorted(n for n in found if n in REQUIRED) != REQUIRED or len(set(found)) != len(found):
        raise BadCsv()
    rows = []
    for line in reader:
        if not any(cell.strip() for cell in line):
            rows.append({})  # keeps line numbers aligned; reported as a bad row
            continue
        rows.append({n: cell for n, cell in zip(names, line, strict=False) if n})
    return rows


def import_csv(
    partner: Partner,
    upload: IO[bytes],
    *,
    filename: str = "",
    user: Any = None,
    request_id: str = "",
) -> FeedResult:
    """One file → one import record; good lines are stored, bad lines reported by number."""
    rows = read_rows(upload.read(MAX_CSV_BYTES + 1))
    rows = [r or {"member": ""} for r in rows]
    return ingest(
        partner,
        rows,
        channel=StepImport.Channel.CSV,
        filename=filename,
        user=user,
        request_id=request_id,
        max_rows=MAX_CSV_ROWS,
        index_base=2,  # line 1 is the header
    )
