"""The city's staff manage campaigns, coupons, courses and bonus days in the Django admin."""

from __future__ import annotations

import pytest

from mileage.accounts.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["donationcampaign", "challenge", "event", "bonusday", "coupon", "course",
              "walkingpartner", "stepimport", "accrualrun"],
)  # fmt: skip
def test_walking_admin_lists_open_for_staff(client, model):
    staff = User.objects.create_superuser("walk-admin", "", "x", role=Role.CITY)
    client.force_login(staff)
    assert client.get(f"/admin/walking/{model}/").status_code == 200


def test_walking_admin_is_closed_to_citizens(client, walker):
    client.force_login(walker)
    assert client.get("/admin/walking/donationcampaign/").status_code == 302
