"""Authorization matrix rows of the pilot API: insurer isolation (PILOT), carmakers (ECO-18).

An insurer's key reaches the service (400/409/422 for the deliberately incomplete payloads);
another insurer asking for Hanwha's enrolment gets 404; every other key lacks the permission
(403); people are not partners (401 on key endpoints).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests import factories
from tests.platform.matrix import Row, expect

NO_PERMISSION = dict(key_walking_app=403, key_merchant=403, key_sponsor=403, key_carmaker=403)


def _programme(world: Any) -> dict[str, Any]:
    from mileage.pilot import programmes
    from mileage.pilot.models import Method

    pilot = programmes.pilot_2014()
    programmes.join(pilot, factories.partner("insurer"), [Method.PHOTO])
    programmes.join(pilot, factories.partner("other_insurer"), [Method.PHOTO])
    return {"pilot": pilot}


def _enrolment(
    world: Any, insurer_kind: str, plate: str, district_code: str, policy_number: str
) -> int:
    """A photo enrolment of `insurer_kind`'s partner, made directly in the tables (idempotent)."""
    from django.utils import timezone

    from mileage.accounts.districts import district
    from mileage.pilot.models import Consent, Enrolment
    from mileage.vehicles.models import Vehicle

    pilot = _programme(world)["pilot"]
    member = factories.mapo_citizen()
    insurer = factories.partner(insurer_kind)
    vehicle, _ = Vehicle.objects.get_or_create(
        plate=plate,
        defaults=dict(
            owner=member,
            kind="passenger",
            seats=5,
            use="private",
            fuel="gasoline",
            first_registered_on=dt.date(2010, 1, 1),
            district=district(district_code),
        ),
    )
    existing = Enrolment.objects.filter(programme=pilot, vehicle=vehicle).first()
    if existing is None:
        consent = Consent.objects.create(
            member=member,
            partner=insurer,
            vehicle=vehicle,
            purpose="pilot-data",
            wording="동의합니다",
            wording_version="t",
            consented_at=timezone.now(),
        )
        pilot.enrolled += 1
        pilot.save(update_fields=["enrolled"])
        existing = Enrolment.objects.create(
            programme=pilot,
            partner=insurer,
            slot=pilot.enrolled,
            vehicle=vehicle,
            member=member,
            policy_number=policy_number,
            contract_on=dt.date(2014, 10, 15),
            contract_kind="new",
            method="photo",
            consent=consent,
        )
    return existing.pk


def _hanwha_enrolment(world: Any) -> dict[str, Any]:
    """An enrolment of Hanwha (the `insurer` key's partner) of a Mapo-gu vehicle."""
    from mileage.accounts.districts import MAPO

    return {"hanwha_enrolment": _enrolment(world, "insurer", "77차7777", MAPO, "P-1")}


def _mg_enrolment(world: Any) -> dict[str, Any]:
    """An MG enrolment of a Jung-gu vehicle: Hanwha's staff must get 404 (insurer isolation)."""
    from mileage.accounts.districts import JUNG

    return {"mg_enrolment": _enrolment(world, "other_insurer", "88카8888", JUNG, "MG-1")}


INSURER_KEYS = dict(anonymous=401, people=401)
PAGE = dict(anonymous=302, keys=302)
ONLY = dict(citizen=403, mapo_official=403, jung_official=403, city=403, partner_user=403)

SIGNED = {
    "key_id": "sk_nobody",
    "plate": "77차7777",
    "km": 1000,
    "device_id": "D-1",
    "timestamp": "2014-10-16T09:00:00+09:00",
    "signature": "0" * 64,
    "event": "initial",
}

CASES: list[Row] = [
    Row(
        "POST",
        "/api/v1/pilot/enrolments",
        expect(**INSURER_KEYS, key_insurer=400, key_other_insurer=400, **NO_PERMISSION),
        json={
            "plate": "12가3456",
            "member_ci": "A" * 86 + "==",
            "member_name": "m",
            "policy_number": "p",
            "contract_on": "2014-10-15",
            "consent": {"given": False},
        },
        setup=_programme,
        note="PILOT-2: consent missing → 400 once the key is allowed in",
    ),
    Row(
        "GET",
        "/api/v1/pilot/enrolments",
        expect(**INSURER_KEYS, key_insurer=200, key_other_insurer=200, **NO_PERMISSION),
    ),
    Row(
        "GET",
        "/api/v1/pilot/enrolments/{hanwha_enrolment}",
        expect(**INSURER_KEYS, key_insurer=200, key_other_insurer=404, **NO_PERMISSION),
        setup=_hanwha_enrolment,
        note="insurer isolation: another insurer's enrolment is 404",
    ),
    Row(
        "POST",
        "/api/v1/pilot/enrolments/{hanwha_enrolment}/photo-readings",
        expect(**INSURER_KEYS, key_insurer=422, key_other_insurer=422, **NO_PERMISSION),
        form={"event": "initial", "km": "1000"},
        setup=_hanwha_enrolment,
        note="photos missing → 422 (isolation of this endpoint: tests/pilot/test_api.py)",
    ),
    Row(
        "POST",
        "/api/v1/pilot/signed-readings",
        expect(**INSURER_KEYS, key_insurer=400, key_other_insurer=400, **NO_PERMISSION),
        json=SIGNED,
        note="unknown signing key → 400",
    ),
    Row(
        "POST",
        "/api/v1/pilot/connected-readings",
        expect(
            **INSURER_KEYS,
            key_insurer=403,
            key_other_insurer=403,
            key_walking_app=403,
            key_merchant=403,
            key_sponsor=403,
            key_carmaker=400,
        ),
        json=SIGNED,
        note="ECO-18: only carmakers; unknown signing key → 400",
    ),
    Row(
        "PUT",
        "/api/v1/pilot/bank-account",
        expect(anonymous=401, keys=401, people=403, citizen=200),
        json={"bank_name": "국민은행", "holder_name": "김마포", "number": "123456-01-234567"},
    ),
    Row("GET", "/api/v1/pilot/me", expect(anonymous=401, keys=401, people=200)),
    Row("GET", "/api/v1/pilot/summary", expect(anonymous=401, keys=401, people=403, city=200)),
    Row(
        "POST",
        "/api/v1/pilot/evaluations",
        expect(anonymous=401, keys=401, people=403, city=200),
        json={},
        note="an evaluation run over the default window (programme start to today)",
    ),
]

# Pages (/pilot/): the member's, the insurer's (its own enrolments only), the city's, the FAQ.
CASES += [
    Row("GET", "/pilot/", expect(**PAGE, **{**ONLY, "citizen": 200})),
    Row(
        "POST",
        "/pilot/bank-account/",
        expect(**PAGE, **{**ONLY, "citizen": 302}),
        form={"bank_name": "국민은행", "holder_name": "김마포", "number": "123456-01-234567"},
    ),
    Row(
        "GET",
        "/pilot/enrolments/{hanwha_enrolment}/estimate/?km=1000&on=2015-04-20",
        expect(**PAGE, **{**ONLY, "citizen": 200}),
        setup=_hanwha_enrolment,
    ),
    Row(
        "GET",
        "/pilot/enrolments/{hanwha_enrolment}/",
        expect(
            **PAGE, citizen=200, mapo_official=200, jung_official=404, city=200, partner_user=200
        ),
        setup=_hanwha_enrolment,
        note="Hanwha's own enrolment: its staff, the member, Mapo-gu and the city",
    ),
    Row(
        "GET",
        "/pilot/enrolments/{mg_enrolment}/",
        expect(
            **PAGE, citizen=200, mapo_official=404, jung_official=200, city=200, partner_user=404
        ),
        setup=_mg_enrolment,
        note="insurer isolation: Hanwha's staff get 404 for MG's enrolment",
    ),
    Row(
        "POST",
        "/pilot/enrolments/{hanwha_enrolment}/void/",
        expect(
            **PAGE, citizen=403, mapo_official=400, jung_official=404, city=400, partner_user=400
        ),
        form={"reason": "", "note": ""},
        setup=_hanwha_enrolment,
        note="PILOT-10 void: officials, the city and the insurer's staff within what they see "
        "(400: no reason given); never the member",
    ),
    Row("GET", "/pilot/insurer/", expect(**PAGE, **{**ONLY, "partner_user": 200})),
    Row("GET", "/pilot/city/", expect(**PAGE, **{**ONLY, "city": 200})),
    Row(
        "POST",
        "/pilot/city/evaluate/",
        expect(**PAGE, **{**ONLY, "city": 302}),
        form={"window_from": "2015-04-01", "window_to": "2015-05-31"},
    ),
    Row("GET", "/pilot/city/transfers/", expect(**PAGE, **{**ONLY, "city": 200})),
    Row(
        "POST",
        "/pilot/city/transfers/",
        expect(**PAGE, **{**ONLY, "city": 200}),
        form={"on": "2015-06-19", "format": "csv", "reason": "6월 이체"},
    ),
    Row("GET", "/pilot/help/", expect(200)),
]
