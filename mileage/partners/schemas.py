"""API shapes for partners and their keys."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from mileage.core.input import Text


class PartnerOut(Schema):
    slug: str
    name: str
    kind: str
    is_active: bool


class ApiKeyOut(Schema):
    id: int
    partner: str = Field(..., alias="partner.slug")
    name: str
    prefix: str
    permissions: list[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyIn(Schema):
    name: Text(50, min_length=1)
    permissions: list[Text(40, min_length=1)] | None = Field(default=None, max_length=20)


class ApiKeyCreated(ApiKeyOut):
    token: str  # shown once
