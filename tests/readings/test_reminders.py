"""ECO-5 reminders through the notifier adapter: before the window opens and before it closes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from mileage.core.models import OutboxMessage
from mileage.readings.services.reminders import send_window_reminders
from tests.readings.support import approved, enrolled, submit, today

pytestmark = pytest.mark.django_db


def test_eco5_reminders_before_opening_and_before_closing_sent_once(eco_settings) -> None:
    vehicle = enrolled()
    approved(submit(vehicle, "initial", 1000, today(), 1))
    cycle = vehicle.cycles.get()
    assert send_window_reminders(cycle.window_opens_on - dt.timedelta(days=8)) == 0
    assert send_window_reminders(cycle.window_opens_on - dt.timedelta(days=7)) == 1
    assert send_window_reminders(cycle.window_opens_on - dt.timedelta(days=6)) == 0  # once
    assert send_window_reminders(cycle.window_opens_on + dt.timedelta(days=3)) == 0
    call_command("eco_reminders", on=cycle.window_closes_on - dt.timedelta(days=5))
    kinds = list(OutboxMessage.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["reading.decision", "window.opens", "window.closes"]
    assert str(cycle.window_closes_on) in OutboxMessage.objects.get(kind="window.closes").body


def test_eco5_no_closing_reminder_once_the_annual_reading_is_in(eco_settings) -> None:
    vehicle = enrolled()
    approved(submit(vehicle, "initial", 1000, today(), 1))
    cycle = vehicle.cycles.get()
    submit(vehicle, "annual", 9000, cycle.window_opens_on, 2)
    assert send_window_reminders(cycle.window_closes_on - dt.timedelta(days=1)) == 0
