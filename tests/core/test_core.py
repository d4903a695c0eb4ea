"""mileage.core: one audit trail for every app, the shared outbox, domain errors on pages."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from mileage.core import audit
from mileage.core.models import AuditEntry, OutboxMessage
from mileage.core.notify import get_notifier
from mileage.vehicles.models import Vehicle
from mileage.vehicles.services import register_vehicle
from tests.factories import mapo_citizen, mapo_official

pytestmark = pytest.mark.django_db


def test_record_keeps_subject_and_named_refs(eco_settings) -> None:
    official = mapo_official()
    vehicle = register_vehicle(mapo_citizen(), "12 가 3456")
    entry = audit.record(official, "cycle.void", vehicle, cycle=None, reading=vehicle, note="메모")
    assert entry.subject == vehicle and entry.refs == {"reading": vehicle.pk}
    assert entry.subject_type == ContentType.objects.get_for_model(Vehicle)
    # every app's entries are in the one table; apps reach theirs by their subject
    assert set(AuditEntry.objects.filter(vehicle=vehicle).values_list("action", flat=True)) == {
        "vehicle.register",
        "cycle.void",
    }
    assert list(audit.about(Vehicle.objects.filter(pk=vehicle.pk))) == list(vehicle.audit.all())


def test_outbox_notifier_sends_a_key_once() -> None:
    citizen = mapo_citizen()
    notifier = get_notifier()
    first = notifier.send(citizen, kind="k", subject="제목", body="본문", key="once")
    again = notifier.send(citizen, kind="k", subject="제목", body="본문", key="once")
    assert (first, again) == (True, False)
    assert OutboxMessage.objects.filter(key="once").count() == 1


def test_a_domain_error_raised_by_a_page_is_the_korean_error_page_with_its_status() -> None:
    """Apps only raise (mileage.core.errors); web renders web/error.html with the status."""
    client = Client()
    client.force_login(mapo_official())
    response = client.get(reverse("eco:vehicle_new"))
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "시민 회원만 차량을 등록할 수 있습니다" in response.content.decode()
