"""API shapes for partners and their keys."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


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
    name: str = Field(..., min_length=1, max_length=50)
    permissions: list[str] | None = Field(default=None, max_length=20)


class ApiKeyCreated(ApiKeyOut):
    token: str  # shown once
