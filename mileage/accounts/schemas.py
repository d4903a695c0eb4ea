"""API shapes for people and districts."""

from __future__ import annotations

from ninja import Schema


class DistrictOut(Schema):
    code: str
    name_ko: str
    name_en: str


class PartnerRef(Schema):
    slug: str
    name: str
    kind: str


class MeOut(Schema):
    kind: str  # "person" or "partner_key"
    username: str | None = None
    display_name: str | None = None
    role: str | None = None
    role_label: str | None = None
    district: DistrictOut | None = None
    community_centre: str = ""
    partner: PartnerRef | None = None
    permissions: list[str] = []


class OfficialOut(Schema):
    username: str
    display_name: str
    community_centre: str
