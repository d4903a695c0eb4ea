"""Matrix rows for the platform's own pages and API (accounts, partners, web)."""

from __future__ import annotations

from tests.platform.matrix import Row, expect

ALL_OK = expect(200)
CITY_ONLY = expect(anonymous=302, keys=302, people=403, city=200)


def _use_option(world: object) -> dict[str, int]:
    from mileage.ledger.models import UseOption

    return {"use_option": UseOption.objects.order_by("pk").first().pk}


CASES: list[Row] = [
    # Pages
    Row("GET", "/", ALL_OK),
    Row("GET", "/login/", expect(anonymous=200, keys=200, people=302)),
    Row(
        "POST",
        "/login/",
        expect(anonymous=200, keys=200, people=302),
        form={"username": "nobody", "password": "wrong-password"},
        note="a failed login re-renders the form; signed-in people are sent on",
    ),
    Row("POST", "/logout/", expect(302)),
    Row("GET", "/dashboard/", expect(anonymous=302, keys=302, people=200)),
    Row(
        "GET",
        "/city/schedule/",
        expect(
            anonymous=302,
            keys=302,
            citizen=403,
            partner_user=403,
            mapo_official=403,
            jung_official=403,
            city=200,
        ),
        note="the scheduled jobs: the city only (issue #14)",
    ),
    Row("GET", "/city/audit/", CITY_ONLY, note="the whole audit trail (issue #14)"),
    Row("GET", "/city/programmes/", CITY_ONLY, note="programme management (issue #14)"),
    Row("GET", "/city/programmes/sponsors/", CITY_ONLY),
    Row("GET", "/city/programmes/coupons/new/", CITY_ONLY),
    Row(
        "POST",
        "/city/programmes/bonus-days/new/",
        expect(anonymous=302, keys=302, people=403, city=(302, 400)),
        form={
            "name": "걷기의 날",
            "multiplier": "2",
            "day_of_month": "11",
            "starts_on": "2026-01-01",
        },
    ),
    Row("GET", "/city/programmes/uses/{use_option}/", CITY_ONLY, setup=_use_option),
    Row(
        "GET",
        "/city/notices/",
        expect(
            anonymous=302,
            keys=302,
            citizen=403,
            partner_user=403,
            mapo_official=403,
            jung_official=403,
            city=200,
        ),
        note="알림 발송 현황: the city only (issue #14)",
    ),
    Row(
        "GET",
        "/districts/{mapo}/",
        expect(
            anonymous=302,
            keys=302,
            citizen=403,
            mapo_official=200,
            jung_official=404,
            city=200,
            partner_user=403,
        ),
    ),
    Row("GET", "/partner/keys/", expect(anonymous=302, keys=302, people=403, partner_user=200)),
    Row(
        "POST",
        "/partner/keys/",
        expect(anonymous=302, keys=302, people=403, partner_user=200),
        form={"name": "운영 서버", "permissions": ["partner:read"]},
    ),
    Row(
        "POST",
        "/partner/keys/{insurer_key.pk}/revoke/",
        expect(anonymous=302, keys=302, people=403, partner_user=200),
    ),
    Row(
        "POST",
        "/partner/keys/{other_insurer_key.pk}/revoke/",
        expect(anonymous=302, keys=302, people=403, partner_user=404),
        note="another partner's key id is 404 for partner staff",
    ),
    Row("GET", "/admin/", expect(302), note="admin needs is_staff; no demo role has it"),
    Row("GET", "/api/v1/", expect(404), note="ninja's API root only names the docs; JSON 404"),
    Row("GET", "/api/v1/docs", ALL_OK),
    Row("GET", "/api/v1/openapi.json", ALL_OK),
    # API
    Row("GET", "/api/v1/me", expect(anonymous=401, people=200, keys=200)),
    Row("GET", "/api/v1/districts", ALL_OK),
    Row("GET", "/api/v1/districts/{mapo}", ALL_OK),
    Row(
        "GET",
        "/api/v1/districts/{mapo}/officials",
        expect(
            anonymous=401,
            keys=401,
            citizen=403,
            mapo_official=200,
            jung_official=404,
            city=200,
            partner_user=403,
        ),
    ),
    Row(
        "GET",
        "/api/v1/partners",
        expect(anonymous=401, keys=401, people=403, city=200, partner_user=200),
    ),
    Row("GET", "/api/v1/partners/self", expect(anonymous=401, people=401, keys=200)),
    Row(
        "GET",
        "/api/v1/partners/keys",
        expect(anonymous=401, keys=401, people=403, city=200, partner_user=200),
    ),
    Row(
        "POST",
        "/api/v1/partners/keys",
        expect(anonymous=401, keys=401, people=403, partner_user=201),
        json={"name": "운영 서버"},
    ),
    Row(
        "POST",
        "/api/v1/partners/keys/{insurer_key.pk}/revoke",
        expect(anonymous=401, keys=401, people=404, city=200, partner_user=200),
    ),
    Row(
        "POST",
        "/api/v1/partners/keys/{other_insurer_key.pk}/revoke",
        expect(anonymous=401, keys=401, people=404, city=200, partner_user=404),
        note="guessing another partner's key id finds nothing",
    ),
]
