"""readings.0004 / pilot.0004: the two old audit trails and the outbox move into mileage.core
with their history (time, actor, partner, subject, links), and back on a reverse migration."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("core", "0001_initial"),
    ("readings", "0003_connected_car_readings"),
    ("pilot", "0003_connected_car_readings"),
]
AT = dt.datetime(2024, 3, 5, 9, 30, tzinfo=dt.UTC)


def _migrate(targets: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _leaves() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_old_audit_rows_and_outbox_move_to_core_keeping_history() -> None:
    old = _migrate(BEFORE)
    District = old.get_model("accounts", "District")
    User = old.get_model("accounts", "User")
    Vehicle = old.get_model("vehicles", "Vehicle")
    Partner = old.get_model("partners", "Partner")
    mapo = District.objects.get(code="11440")
    official = User.objects.create(username="audit-official", role="official", district=mapo)
    owner = User.objects.create(username="audit-owner", district=mapo)
    vehicle = Vehicle.objects.create(
        owner=owner, plate="12가3456", kind="passenger", seats=5, use="private",
        fuel="gasoline", first_registered_on=dt.date(2020, 1, 1), district=mapo,
    )  # fmt: skip
    insurer = Partner.objects.create(slug="audit-insurer", name="감사보험", kind="insurer")
    eco = old.get_model("readings", "AuditEntry").objects.create(
        actor=official, action="vehicle.end", vehicle=vehicle, reason="transfer", note="양도"
    )
    old.get_model("readings", "AuditEntry").objects.filter(pk=eco.pk).update(at=AT)
    old.get_model("pilot", "AuditEntry").objects.create(
        actor=None, partner=insurer, action="pilot.enrol", data={"slot": 7}
    )
    old.get_model("readings", "OutboxMessage").objects.create(
        user=owner, channel="email", kind="cycle.void", subject="무효", body="본문", key="k-1"
    )

    new = _migrate(_leaves())
    entries = list(new.get_model("core", "AuditEntry").objects.order_by("at", "id"))
    assert (entries[0].action, entries[0].at) == ("vehicle.end", AT)
    moved = {e.action: e for e in entries}
    end = moved["vehicle.end"]
    assert (end.actor_id, end.subject_id, end.reason, end.note) == (
        official.pk, vehicle.pk, "transfer", "양도",
    )  # fmt: skip
    assert (end.subject_type.app_label, end.subject_type.model) == ("vehicles", "vehicle")
    enrol = moved["pilot.enrol"]
    assert (enrol.partner_id, enrol.actor_id, enrol.subject_id, enrol.data) == (
        insurer.pk, None, None, {"slot": 7},
    )  # fmt: skip
    outbox = new.get_model("core", "OutboxMessage").objects.get()
    assert (outbox.user_id, outbox.key, outbox.kind) == (owner.pk, "k-1", "cycle.void")

    back = _migrate(BEFORE)
    assert back.get_model("readings", "AuditEntry").objects.get().vehicle_id == vehicle.pk
    assert back.get_model("pilot", "AuditEntry").objects.get().partner_id == insurer.pk
    assert back.get_model("readings", "OutboxMessage").objects.get().key == "k-1"
    assert not back.get_model("core", "AuditEntry").objects.exists()
    _migrate(_leaves())
