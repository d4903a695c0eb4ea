"""후원 보고서: a sponsor's staff see their campaigns' participants, steps, coupons, donations and
budget (and export them); another sponsor's staff do not, and other roles are refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.test import Client
from openpyxl import load_workbook

from mileage.accounts.models import Role
from mileage.partners.models import Partner, PartnerKind
from mileage.walking.services.campaigns import join_campaign
from mileage.walking.services.coupons import claim_free_coupon, redeem_coupon
from tests import factories

from .helpers import campaign, free_coupon, sponsor_budget, steps, walk_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def sponsored(walker, walkon, today):
    cache.clear()
    sponsor = factories.partner("sponsor")
    sponsor_budget(50_000)
    c = walk_campaign(
        title="초록 걷기의 날",
        day_of_month=None,
        starts_on=today - dt.timedelta(days=3),
        sponsor=sponsor,
    )
    join_campaign(walker, c)
    steps(walker, today - dt.timedelta(days=1), 7_000, walkon)
    offer = free_coupon(campaign=c, face_value_won=2_000)
    got = claim_free_coupon(walker, offer.pk)
    redeem_coupon(offer.merchant, got.code)
    campaign(title="초록 걸음 기부", sponsor=sponsor)
    yield c
    cache.clear()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_sponsor_sees_its_campaigns_coupons_donations_and_budget(sponsored):
    page = _client(factories.partner_user("sponsor")).get("/walking/sponsor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "초록 걷기의 날" in html and "1명" in html and "7,000보" in html
    assert "1 / 1" in html  # coupons claimed / used
    assert "초록 걸음 기부" in html
    assert "2,000원" in html and "48,000원" in html  # spent, left


def test_another_sponsor_sees_none_of_it(sponsored):
    other = Partner.objects.create(slug="other-fund", name="다른재단", kind=PartnerKind.SPONSOR)
    staff = factories.person("partner-other-fund", role=Role.PARTNER)
    other.members.add(staff)
    html = _client(staff).get("/walking/sponsor/").content.decode()
    assert "초록 걷기의 날" not in html and "초록 걸음 기부" not in html
    csv = _client(staff).get("/walking/sponsor/export.csv").content.decode("utf-8-sig")
    assert "초록" not in csv


def test_other_roles_are_refused(sponsored, walker):
    assert _client(walker).get("/walking/sponsor/").status_code == 403
    assert _client(factories.partner_user("merchant")).get("/walking/sponsor/").status_code == 403
    assert Client().get("/walking/sponsor/").status_code == 302


def test_export_csv_and_xlsx(sponsored):
    client = _client(factories.partner_user("sponsor"))
    csv = client.get("/walking/sponsor/export.csv")
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Disposition"].endswith('.csv"')
    assert "초록 걷기의 날" in text and "걸음 기부" in text
    xlsx = client.get("/walking/sponsor/export.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "구분" and rows[1][1] == "초록 걷기의 날" and rows[1][5] == 7_000
    assert client.get("/walking/sponsor/export.pdf").status_code == 404
