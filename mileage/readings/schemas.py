"""API shapes of eco-mileage readings, reviews and appeals."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from mileage.core.input import MAX_INT32, Int, Km, StrictBool, Text

Version = Int(1, MAX_INT32)  # the reading's optimistic-lock version (a PositiveIntegerField)
Note = Text(2000, multiline=True)
MessageText = Text(4000, min_length=1, multiline=True)


class FlagOut(Schema):
    code: str
    label: str
    detail: str
    related_reading_id: int | None


class ReadingOut(Schema):
    id: int
    vehicle_id: int
    plate: str
    district_code: str
    event: str
    km: int
    km_submitted: int
    taken_on: dt.date | None
    uploaded_on: dt.date
    effective_on: dt.date
    cycle_no: int | None
    status: str
    status_label: str
    version: int
    channel: str
    warnings: list[str]
    flags: list[FlagOut]
    reject_reason: str
    review_note: str
    reviewed_at: dt.datetime | None
    plate_photo_url: str | None  # None: connected-car reading (ECO-18)
    dashboard_photo_url: str | None


class ApproveIn(Schema):
    version: Version
    corrected_km: Km | None = None
    note: Note = ""


class RejectIn(Schema):
    version: Version
    reason: Text(25, min_length=1)
    note: Note = ""


class VoidIn(Schema):
    reason: Text(20, min_length=1)
    note: Note


class CycleOut(Schema):
    id: int
    number: int
    vehicle_id: int
    window_opens_on: dt.date
    window_closes_on: dt.date
    start_reading_id: int
    end_reading_id: int | None
    voided: bool
    void_reason: str


class MessageOut(Schema):
    id: int
    author: str
    author_role: str
    body: str
    created_at: dt.datetime
    photo_urls: list[str]


class AppealOut(Schema):
    id: int
    vehicle_id: int
    reading_id: int | None
    cycle_id: int | None
    status: str
    created_at: dt.datetime
    messages: list[MessageOut]


class DecisionIn(Schema):
    accept: StrictBool
    body: MessageText


class MessageIn(Schema):
    body: MessageText


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    action: str
    vehicle_id: int
    plate: str
    reading_id: int | None
    cycle_id: int | None
    reason: str
    note: str
