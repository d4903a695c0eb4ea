"""WALK-1: the step feed. Partners send daily totals per linked member; we keep each source's
total per member-day (a re-send replaces it, never adds) and count the largest across sources.

Parsing happens at the edge into typed rows; a bad row is reported with its index and a stable
code while the good rows are stored. Writes are set-based: one token lookup per chunk and one
`INSERT ... ON CONFLICT DO UPDATE` per chunk (PostgreSQL: from `unnest` arrays), never a query
per row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from mileage.partners.models import Partner

from ..errors import PayloadTooLarge
from ..models import AppLink, StepExtra, StepImport, StepReport
from ..rates import late_sync_days, max_daily_steps

log = logging.getLogger(__name__)

MAX_ROWS_PER_REQUEST = 10_000  # WALK-1: "thousands per request"; more is refused whole
CHUNK = 5_000  # rows per database round trip on SQLite (well under its variable limit)
PG_CHUNK = 50_000  # PostgreSQL takes arrays: one statement per request
KEEP_ERRORS = 200  # rejected rows remembered on the import record for the partner's page

ROW_ERRORS: dict[str, str] = {
    "walking.row_not_an_object": "행이 {member, date, steps} 형식이 아닙니다.",
    "walking.member_missing": "회원 연결 토큰(member)이 없습니다.",
    "walking.bad_date": "날짜(date)는 YYYY-MM-DD 형식이어야 합니다.",
    "walking.future_date": "아직 오지 않은 날짜의 걸음 수는 받을 수 없습니다.",
    "walking.late_outside_window": (
        "너무 오래된 날짜의 걸음 수는 받을 수 없습니다 (기본: 지난 7일 이내의 날짜만 받습니다)."
    ),
    "walking.steps_not_integer": "걸음 수(steps)는 정수여야 합니다.",
    "walking.negative_steps": "걸음 수는 0 이상이어야 합니다.",
    "walking.absurd_steps": "하루 걸음 수가 비정상적으로 많아 받을 수 없습니다 (기본 한도 100,000보).",
    "walking.unknown_member": "이 앱과 연결된 회원이 아닙니다 (연결 해제되었거나 잘못된 토큰).",
    # fair play extras (WALK-1 [interp], issue #11): optional, checked like the total
    "walking.bad_manual_steps": "손으로 입력한 걸음 수(manual_steps)는 0 이상, 걸음 수 이하의 정수여야 합니다.",
    "walking.bad_hourly": "시간별 걸음 수(hourly)는 0 이상의 정수 24개로 된 목록이어야 합니다.",
    "walking.hourly_mismatch": "시간별 걸음 수(hourly)의 합이 하루 걸음 수(steps)와 다릅니다.",
    "walking.bad_device": "기기 식별자(device)는 200자 이하의 문자열이어야 합니다.",
}
HOURS = 24
DEVICE_MAX = 200


@dataclass(frozen=True)
class StepRow:
    token: str
    on: dt.date
    steps: int
    manual_steps: int = 0
    hourly: tuple[int, ...] | None = None
    device: str = ""  # keyed hash (`device_hash`), never the partner's raw id

    @property
    def has_extras(self) -> bool:
        return bool(self.manual_steps or self.hourly is not None or self.device)


def device_hash(raw: str) -> str:
    """WALK-1 [interp]: a partner's device id is kept only as an HMAC-SHA256 keyed with the
    site's secret, so days can be compared per device without storing the id itself."""
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, f"walking-device:{raw}".encode(), hashlib.sha256).hexdigest()


def _int(value: Any) -> Any:
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)  # CSV cells arrive as text
    return value


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def parse_extras(index: int, raw: dict[str, Any], steps: int) -> RowError | dict[str, Any]:
    """The optional fair-play fields of a row (WALK-1 [interp]): manual_steps, hourly, device."""
    out: dict[str, Any] = {}
    manual = _int(raw.get("manual_steps"))
    if manual not in (None, ""):
        if not _is_count(manual) or manual > steps:
            return RowError(index, "walking.bad_manual_steps")
        out["manual_steps"] = manual
    hourly = raw.get("hourly")
    if isinstance(hourly, str):  # CSV: 24 counts separated by ";" or spaces
        hourly = [_int(h) for h in hourly.replace(";", " ").split()] if hourly.strip() else None
    if hourly is not None:
        if not isinstance(hourly, list) or len(hourly) != HOURS:
            return RowError(index, "walking.bad_hourly")
        if not all(_is_count(h) for h in hourly):
            return RowError(index, "walking.bad_hourly")
        if sum(hourly) != steps:
            return RowError(index, "walking.hourly_mismatch")
        out["hourly"] = tuple(hourly)
    device = raw.get("device")
    if device not in (None, ""):
        if not isinstance(device, str) or not device.strip() or len(device) > DEVICE_MAX:
            return RowError(index, "walking.bad_device")
        out["device"] = device_hash(device.strip())
    return out


@dataclass(frozen=True)
class RowError:
    index: int  # 0-based position in the request (CSV: the line number)
    code: str

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "code": self.code, "message": ROW_ERRORS[self.code]}


@dataclass
class FeedResult:
    received: int = 0
    accepted: int = 0
    errors: list[RowError] = field(default_factory=list)
    import_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "import_id": self.import_id,
            "received": self.received,
            "accepted": self.accepted,
            "rejected": len(self.errors),
            "errors": [e.as_dict() for e in self.errors],
        }


def parse_row(index: int, raw: Any, today: dt.date) -> StepRow | RowError:
    """One row at the edge: a typed `StepRow` or the reason it is refused (WALK-1)."""
    if not isinstance(raw, dict):
        return RowError(index, "walking.row_not_an_object")
    token = raw.get("member")
    if not isinstance(token, str) or not token.strip() or len(token) > 40:
        return RowError(index, "walking.member_missing")
    try:
        on = dt.date.fromisoformat(str(raw.get("date")))
    except ValueError:
        return RowError(index, "walking.bad_date")
    if len(str(raw.get("date"))) != 10:
        return RowError(index, "walking.bad_date")
    if on > today:
        return RowError(index, "walking.future_date")
    if (today - on).days > late_sync_days(today):  # WALK-1/3 [interp]: walk.late_sync_days
        return RowError(index, "walking.late_outside_window")
    steps = raw.get("steps")
    if isinstance(steps, str) and steps.strip().lstrip("-").isdigit():
        steps = int(steps)  # CSV cells arrive as text
    if not isinstance(steps, int) or isinstance(steps, bool):
        return RowError(index, "walking.steps_not_integer")
    if steps < 0:
        return RowError(index, "walking.negative_steps")
    if steps > max_daily_steps(on):  # WALK-1: walk.absurd_daily_steps
        return RowError(index, "walking.absurd_steps")
    extras = parse_extras(index, raw, steps)
    if isinstance(extras, RowError):
        return extras
    return StepRow(token.strip(), on, steps, **extras)


def ingest(
    partner: Partner,
    raw_rows: Sequence[Any],
    *,
    channel: str = StepImport.Channel.API,
    request_id: str = "",
    filename: str = "",
    user: Any = None,
    today: dt.date | None = None,
    max_rows: int = MAX_ROWS_PER_REQUEST,
    index_base: int = 0,
) -> FeedResult:
    """WALK-1: store the good rows of one upload, report the bad ones, write an import record."""
    if len(raw_rows) > max_rows:
        log.warning(
            "steps refused whole partner=%s request=%s rows=%d",
            partner.slug,
            request_id,
            len(raw_rows),
        )
        raise PayloadTooLarge(detail={"max_rows": max_rows, "received": len(raw_rows)})
    today = today or timezone.localdate()
    result = FeedResult(received=len(raw_rows))
    latest: dict[tuple[str, dt.date], tuple[int, StepRow]] = {}
    for i, raw in enumerate(raw_rows):
        parsed = parse_row(i + index_base, raw, today)
        if isinstance(parsed, RowError):
            result.errors.append(parsed)
        else:
            # The same member-day twice in one upload: the later row replaces the earlier.
            latest[(parsed.token, parsed.on)] = (i + index_base, parsed)
    rows = list(latest.values())
    with transaction.atomic():
        members = _members_by_token(partner, {r.token for _, r in rows})
        good: list[tuple[int, dt.date, int]] = []
        extras: list[tuple[int, StepRow]] = []
        for index, row in rows:
            member_id = members.get(row.token)
            if member_id is None:
                result.errors.append(RowError(index, "walking.unknown_member"))
            else:
                good.append((member_id, row.on, row.steps))
                extras.append((member_id, row))
        upsert_reports(partner.pk, good, timezone.now())
        upsert_extras(partner.pk, extras)
        result.accepted = len(good)
        result.errors.sort(key=lambda e: e.index)
        record = StepImport.objects.create(
            partner=partner,
            channel=channel,
            request_id=request_id[:64],
            filename=filename[:200],
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
            rows_total=result.received,
            rows_accepted=result.accepted,
            rows_rejected=len(result.errors),
            errors=[e.as_dict() for e in result.errors[:KEEP_ERRORS]],
        )
    result.import_id = record.pk
    log.info(
        "steps partner=%s request=%s received=%d accepted=%d rejected=%d",
        partner.slug,
        request_id,
        result.received,
        result.accepted,
        len(result.errors),
    )
    return result


def _members_by_token(partner: Partner, tokens: Iterable[str]) -> dict[str, int]:
    """Active links of this partner only: another app's token is an unknown member here."""
    found: dict[str, int] = {}
    tokens = list(tokens)
    if connection.vendor == "postgresql":  # one array parameter: no 5,000-placeholder IN list
        table = connection.ops.quote_name(AppLink._meta.db_table)
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT token, member_id FROM {table} WHERE partner_id = %s "
                "AND unlinked_at IS NULL AND token = ANY(%s::varchar[])",
                [partner.pk, tokens],
            )
            return dict(cur.fetchall())
    for start in range(0, len(tokens), CHUNK):
        found.update(
            AppLink.objects.filter(
                partner=partner, unlinked_at__isnull=True, token__in=tokens[start : start + CHUNK]
            ).values_list("token", "member_id")
        )
    return found


def upsert_reports(
    source_id: int, rows: Sequence[tuple[int, dt.date, int]], received_at: dt.datetime
) -> None:
    """WALK-1: insert or replace (member, day, source) totals, set-based, in chunks."""
    table = connection.ops.quote_name(StepReport._meta.db_table)
    on_col = connection.ops.quote_name("on")
    conflict = (
        f"ON CONFLICT (member_id, {on_col}, source_id) DO UPDATE "
        "SET steps = EXCLUDED.steps, received_at = EXCLUDED.received_at"
    )
    step = PG_CHUNK if connection.vendor == "postgresql" else CHUNK
    with connection.cursor() as cur:
        for start in range(0, len(rows), step):
            chunk = rows[start : start + step]
            if connection.vendor == "postgresql":
                cur.execute(
                    f"INSERT INTO {table} (member_id, {on_col}, source_id, steps, received_at) "
                    "SELECT m, d, %s, s, %s FROM unnest(%s::bigint[], %s::date[], %s::int[]) "
                    f"AS t(m, d, s) {conflict}",
                    [
                        source_id,
                        received_at,
                        [r[0] for r in chunk],
                        [r[1] for r in chunk],
                        [r[2] for r in chunk],
                    ],
                )
            else:
                cur.executemany(
                    f"INSERT INTO {table} (member_id, {on_col}, source_id, steps, received_at) "
                    f"VALUES (%s, %s, %s, %s, %s) {conflict}",
                    [(m, d, source_id, s, received_at) for m, d, s in chunk],
                )


def upsert_extras(source_id: int, rows: Sequence[tuple[int, StepRow]]) -> None:
    """WALK-1 [interp]: a re-sent day replaces its extras too. Rows with extras are upserted into
    the side table `StepExtra`; a re-send without extras deletes the day's old ones. Set-based:
    one statement per chunk (PostgreSQL: from arrays), and a delete only for members that had
    extras in this request's days."""
    table = connection.ops.quote_name(StepExtra._meta.db_table)
    on_col = connection.ops.quote_name("on")
    carry = [(m, r) for m, r in rows if r.has_extras]
    plain = [(m, r.on) for m, r in rows if not r.has_extras]
    conflict = (
        f"ON CONFLICT (member_id, {on_col}, source_id) DO UPDATE SET manual_steps = "
        "EXCLUDED.manual_steps, hourly = EXCLUDED.hourly, device = EXCLUDED.device"
    )
    cols = f"(member_id, {on_col}, source_id, manual_steps, hourly, device)"
    step = PG_CHUNK if connection.vendor == "postgresql" else CHUNK
    with connection.cursor() as cur:
        for start in range(0, len(carry), step):
            chunk = carry[start : start + step]
            hourly = [
                json.dumps(list(r.hourly)) if r.hourly is not None else None for _, r in chunk
            ]
            if connection.vendor == "postgresql":
                cur.execute(
                    f"INSERT INTO {table} {cols} SELECT m, d, %s, s, h::jsonb, v FROM "
                    "unnest(%s::bigint[], %s::date[], %s::int[], %s::text[], %s::text[]) "
                    f"AS t(m, d, s, h, v) {conflict}",
                    [
                        source_id,
                        [m for m, _ in chunk],
                        [r.on for _, r in chunk],
                        [r.manual_steps for _, r in chunk],
                        hourly,
                        [r.device for _, r in chunk],
                    ],
                )
            else:
                cur.executemany(
                    f"INSERT INTO {table} {cols} VALUES (%s, %s, %s, %s, %s, %s) {conflict}",
                    [
                        (m, r.on, source_id, r.manual_steps, h, r.device)
                        for (m, r), h in zip(chunk, hourly, strict=True)
                    ],
                )
        if plain and StepExtra.objects.filter(source_id=source_id).exists():
            for start in range(0, len(plain), CHUNK):
                days = plain[start : start + CHUNK]
                _drop_extras(cur, table, on_col, source_id, days)


def _drop_extras(
    cur: Any, table: str, on_col: str, source_id: int, days: Sequence[tuple[int, dt.date]]
) -> None:
    """Delete this source's extras of (member, day)s re-sent without extras."""
    if connection.vendor == "postgresql":
        cur.execute(
            f"DELETE FROM {table} e USING unnest(%s::bigint[], %s::date[]) AS t(m, d) "
            f"WHERE e.source_id = %s AND e.member_id = t.m AND e.{on_col} = t.d",
            [[m for m, _ in days], [d for _, d in days], source_id],
        )
    else:
        cur.executemany(
            f"DELETE FROM {table} WHERE source_id = %s AND member_id = %s AND {on_col} = %s",
            [(source_id, m, d) for m, d in days],
        )
