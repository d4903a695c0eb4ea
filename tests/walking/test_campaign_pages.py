"""걷기 캠페인 pages: join link `/walking/?campaign=<slug>` (remembered through sign-in and sign-up,
safe against open redirects), 참여하기, 받기, unknown addresses in Korean, the QR code and its
printable page, the city's management form."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import pytest
import segno
from django.core.cache import cache
from django.test import Client

from mileage.accounts.models import User
from mileage.walking.models import CampaignEntry, CouponPurchase, WalkCampaign
from tests import factories
from tests.members.support import sign_up

from .helpers import free_coupon, sponsor_budget, steps, walk_campaign

pytestmark = pytest.mark.django_db

JOIN = "/walking/?campaign=walk-day"


@pytest.fixture(autouse=True)
def _fresh_totals():
    cache.clear()  # the campaign totals are cached for a minute
    yield
    cache.clear()


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_join_link_lands_on_the_campaign_with_signup_that_comes_back():
    walk_campaign()
    html = Client().get(JOIN).content.decode()
    assert "걷기의 날" in html
    back = quote(JOIN, safe="")
    assert f'href="/signup/?next={back}"' in html
    assert f'href="/login/?next={back}"' in html


def test_signup_from_a_join_link_lands_on_the_campaign_preselected_to_join():
    c = walk_campaign()
    client = Client()
    assert client.get(f"/signup/?next={quote(JOIN, safe='')}").status_code == 200
    response = sign_up(client)
    assert response.status_code == 302 and response.url == JOIN
    page = client.get(response.url).content.decode()
    assert 'data-testid="invite"' in page and "참여하기" in page
    assert f'action="/walking/campaigns/{c.slug}/join/"' in page
    joined = client.post(f"/walking/campaigns/{c.slug}/join/", {"via": "link"})
    assert joined.status_code == 302 and joined.url == f"/walking/campaigns/{c.slug}/"
    entry = CampaignEntry.objects.get(campaign=c)
    assert entry.member == User.objects.get(username="saebom") and entry.via == "link"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/walking/", "/\\evil.example"]
)
def test_signup_next_never_leaves_the_site(target):
    client = Client()
    client.get(f"/signup/?next={quote(target, safe='')}")
    response = sign_up(client)
    assert response.status_code == 302 and response.url == "/dashboard/"


def test_the_campaign_is_remembered_after_following_the_link(walker):
    walk_campaign()
    client = _signed_in(walker)
    client.get(JOIN)
    page = client.get("/walking/").content.decode()  # later, without the parameter
    assert 'data-testid="invite"' in page


def test_unknown_campaign_slug_gets_a_korean_message_not_a_500(walker):
    client = _signed_in(walker)
    page = client.get("/walking/?campaign=no-such-campaign")
    assert page.status_code == 200
    assert "찾을 수 없는 캠페인입니다" in page.content.decode()
    for path in (
        "/walking/?campaign=no-such-campaign",
        "/walking/campaigns/no-such-campaign/",
        "/walking/campaigns/no-such-campaign/qr.svg",
    ):
        response = Client().get(path)
        assert response.status_code == 404, path
        assert "찾을 수 없는 캠페인입니다" in response.content.decode()


def test_campaign_page_shows_live_totals_and_join_then_claim(walker, walkon, today):
    sponsor_budget(100_000)
    c = walk_campaign(day_of_month=None, starts_on=today - dt.timedelta(days=1))
    offer = free_coupon(campaign=c, title="참여자 커피")
    client = _signed_in(walker)
    page = client.get(f"/walking/campaigns/{c.slug}/").content.decode()
    assert "참여하기" in page and "캠페인에 참여하면 받을 수 있습니다" in page
    client.post(f"/walking/campaigns/{c.slug}/join/")
    steps(walker, today, 4_321, walkon)
    cache.clear()
    page = client.get(f"/walking/campaigns/{c.slug}/").content.decode()
    assert "1명" in page and "4,321보" in page
    assert 'aria-label="참여자 커피 받기"' in page
    claimed = client.post(f"/walking/coupons/{offer.pk}/claim/", {"key": "k" * 32})
    assert claimed.status_code == 302
    code = CouponPurchase.objects.get(member=walker).code
    assert code in client.get(claimed.url).content.decode()
    again = client.post(f"/walking/coupons/{offer.pk}/claim/", {"key": "j" * 32})
    assert again.status_code == 409
    assert "한 사람당 한 장" in again.content.decode()
    assert CouponPurchase.objects.filter(member=walker).count() == 1


def test_qr_code_is_the_join_link():
    c = walk_campaign()
    svg = Client().get(f"/walking/campaigns/{c.slug}/qr.svg", HTTP_HOST="testserver")
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
    body = svg.content.decode()
    assert 'xmlns="http://www.w3.org/2000/svg"' in body  # a document an <img> can show
    expected = segno.make(f"http://testserver{JOIN}", error="m")
    out = io.BytesIO()
    expected.save(out, kind="svg", scale=8, border=4, title="걷기의 날 참여 QR 코드", xmldecl=False)
    assert body == out.getvalue().decode()  # segno's symbol of exactly the join URL
    other = io.BytesIO()
    segno.make("http://testserver/walking/?campaign=other", error="m").save(
        other, kind="svg", scale=8, border=4, title="걷기의 날 참여 QR 코드", xmldecl=False
    )
    assert body != other.getvalue().decode()
    assert not expected.is_micro and expected.error in ("M", "Q", "H")  # a full QR, ≥ M


def test_city_prints_the_qr_from_its_view_of_the_campaign():
    c = walk_campaign()
    city = _signed_in(factories.city_manager())
    edit = city.get(f"/city/programmes/walk-campaigns/{c.pk}/").content.decode()
    assert f'href="/walking/campaigns/{c.slug}/print/">QR 코드 인쇄</a>' in edit
    assert "QR 코드 인쇄" in city.get(f"/walking/campaigns/{c.slug}/").content.decode()
    sheet = city.get(f"/walking/campaigns/{c.slug}/print/").content.decode()
    assert "걷기의 날" in sheet and f'src="/walking/campaigns/{c.slug}/qr.svg"' in sheet
    assert f"http://testserver{JOIN}" in sheet


def test_city_creates_a_campaign_and_a_reward_over_the_bound_is_refused_next_to_the_field(today):
    city = _signed_in(factories.city_manager())
    form = {
        "title": "걸어서 출근한데이",
        "slug": "commute",
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=6)).isoformat(),
        "day_of_month": "",
        "reward_min_steps": "6000",
        "reward_mileage": "5000",
        "active": "on",
    }
    refused = city.post("/city/programmes/walk-campaigns/new/", form)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "보상은 하루 1,000 마일리지를 넘을 수 없습니다." in html
    assert 'value="걸어서 출근한데이"' in html  # the input is kept
    form["reward_mileage"] = "200"
    assert city.post("/city/programmes/walk-campaigns/new/", form).status_code == 302
    assert WalkCampaign.objects.get(slug="commute").reward_mileage == 200


def test_city_free_coupon_without_a_sponsor_is_refused_in_korean(today):
    city = _signed_in(factories.city_manager())
    form = {
        "title": "무료 커피",
        "merchant": factories.partner("merchant").pk,
        "price_mileage": "0",
        "stock": "100",
        "expires_on": (today + dt.timedelta(days=30)).isoformat(),
        "active": "on",
        "face_value_won": "3000",
    }
    refused = city.post("/city/programmes/coupons/new/", form)
    assert refused.status_code == 400
    assert "무료 쿠폰(가격 0)은 후원 기관을 골라야 합니다." in refused.content.decode()
    form["sponsor"] = factories.partner("sponsor").pk
    assert city.post("/city/programmes/coupons/new/", form).status_code == 302


def test_a_join_link_to_an_ended_campaign_says_so_without_a_join_button(walker, today):
    walk_campaign("old", ends_on=today - dt.timedelta(days=1))
    page = _signed_in(walker).get("/walking/?campaign=old").content.decode()
    assert "이미 끝났거나 진행하지 않는 캠페인입니다." in page
    assert 'action="/walking/campaigns/old/join/"' not in page


def test_joining_shows_the_new_participant_at_once(walker):
    c = walk_campaign()
    client = _signed_in(walker)
    assert "0명" in client.get(f"/walking/campaigns/{c.slug}/").content.decode()  # now cached
    client.post(f"/walking/campaigns/{c.slug}/join/")
    assert "1명" in client.get(f"/walking/campaigns/{c.slug}/").content.decode()


def test_signing_in_from_a_join_link_comes_back_to_the_campaign():
    walk_campaign()
    factories.mapo_citizen(password=factories.PASSWORD)
    client = Client()
    response = client.post(
        f"/login/?next={quote(JOIN, safe='')}",
        {"username": "mapo-citizen", "password": factories.PASSWORD},
    )
    assert response.status_code == 302 and response.url == JOIN
    assert 'data-testid="invite"' in client.get(JOIN).content.decode()


def test_city_cannot_reuse_a_donation_campaigns_address(today):
    from .helpers import campaign

    campaign(slug="seoul-walk")
    city = _signed_in(factories.city_manager())
    form = {
        "title": "겹치는 주소",
        "slug": "seoul-walk",
        "starts_on": today.isoformat(),
        "ends_on": today.isoformat(),
        "reward_mileage": "0",
    }
    refused = city.post("/city/programmes/walk-campaigns/new/", form)
    assert refused.status_code == 400
    assert "걸음 기부 캠페인이 이미 쓰는 주소 이름입니다" in refused.content.decode()
    assert not WalkCampaign.objects.filter(slug="seoul-walk").exists()
