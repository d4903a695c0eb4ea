"""The pilot's demo seed: insurers with contacts and keys, stories at every stage, idempotent."""

from __future__ import annotations

import hmac
from io import StringIO
from typing import Any

import pytest
from django.apps import apps

from demo import accounts as accounts_demo
from demo import partners as partners_demo
from demo import pilot as demo
from demo import vehicles as vehicles_demo
from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.partners.models import Partner
from mileage.pilot import crypto
from mileage.pilot.models import (
    Enrolment,
    Outcome,
    PartnerReading,
    ProgrammePartner,
    SigningKey,
)

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def _seed() -> str:
    out = StringIO()
    demo.seed(out)
    return out.getvalue()


def test_pilot_demo_seed_is_idempotent_and_covers_every_stage(settings: Any) -> None:
    settings.VEHICLE_REGISTRY_PATH = ""  # the shipped demo registry
    for module in (accounts_demo, partners_demo, vehicles_demo):
        module.seed(StringIO())
    hanwha_before = Partner.objects.get(slug="hanwha").pk
    output = _seed()
    first = _counts()
    assert "6 vehicles enrolled" in output and "sk_hicar_demo" in output
    # Finding 4: the signing secrets are random, printed once, not HMAC(SECRET_KEY, slug).
    secret = output.split("signing key sk_hicar_demo: ")[1].split()[0]
    derived = hmac.new(settings.SECRET_KEY.encode(), b"demo-signing:hicar", "sha256")
    assert secret != derived.hexdigest() and len(secret) >= 40
    key = SigningKey.objects.get(key_id="sk_hicar_demo")
    assert crypto.reveal(key.secret_encrypted) == secret

    again = _seed()
    assert _counts() == first  # nothing created twice
    assert "0 vehicles enrolled" in again and "0 awards paid" in again
    assert secret not in again and "sk_hicar_demo: 이미 발급됨" in again

    assert Partner.objects.get(slug="hanwha").pk == hanwha_before  # reused by natural key
    contacts = {
        p.partner.slug: (p.methods, p.homepage, p.phone)
        for p in ProgrammePartner.objects.select_related("partner")
    }
    assert contacts["hanwha"] == (["photo"], "http://www.hwgeneralins.com/", "1566-8000")
    assert contacts["hicar"] == (["photo", "obd"], "http://www.hicardirect.com/", "1577-1001")
    assert contacts["mg"][2] == "1588-5959"
    for slug in ("hanwha", "hicar", "mg"):
        assert Partner.objects.get(slug=slug).api_keys.filter(revoked_at__isnull=True).exists()

    status = dict(Enrolment.objects.values_list("vehicle__plate", "status"))
    assert status["146너4046"] == "active" and status["158너4058"] == "void"
    assert status["169너4069"] == "active" and status["176너4076"] == "evaluated"
    ev = Outcome.objects.get(enrolment__vehicle__plate="165너4065")
    assert ev.status == "awarded" and ev.mileage == 42000  # PILOT-7: electric +20%
    assert ev.paid_on == ev.payment_on  # transferred on the first day of the window
    assert Outcome.objects.get(enrolment__vehicle__plate="176너4076").status == "no-award"
    assert Outcome.objects.get(enrolment__vehicle__plate="135너4035").mileage == 15000
    assert ledger.balance(ledger.account("wallet", user=ev.enrolment.member)) == 0
    connected = PartnerReading.objects.filter(method="connected")  # ECO-18
    assert connected.count() == 2 and all(r.reading.status == "approved" for r in connected)
    assert_books_balance()
