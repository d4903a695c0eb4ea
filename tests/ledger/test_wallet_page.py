"""내 마일리지 (/wallet/): balance labelled 잔액, LEDGER-2 expiry schedule, the whole history with
paging and filters by programme and month, and a CSV download of it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.test import Client

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance

pytestmark = pytest.mark.django_db


def _text(html: bytes) -> str:
    """What a reader sees: tags dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def _award(member, programme: str, amount: int, on: dt.date, key: str, memo: str = "적립"):
    budget = ledger.account("budget", programme=programme)
    wallet = ledger.account("wallet", user=member)
    return ledger.transfer(key, budget, wallet, amount, kind="award", memo=memo, effective_on=on)


@pytest.fixture
def rich_member(mapo_citizen):
    """A 50,000 eco-car award hidden behind 55 daily walking rows (the /evaluations/mine/ bug)."""
    _award(
        mapo_citizen, "eco-car", 50_000, dt.date(2026, 1, 20), "eco:1", "에코마일리지 1주기 평가"
    )
    start = dt.date(2026, 9, 1)
    for n in range(55):
        on = start + dt.timedelta(days=n)
        _award(mapo_citizen, "walk", 57, on, f"walk:{n}", f"걷기 마일리지 {on:%Y-%m-%d}")
    return mapo_citizen


def test_wallet_shows_balance_labelled_and_expiry_lots_in_korean(client: Client, rich_member):
    client.force_login(rich_member)
    text = _text(client.get("/wallet/").content)
    assert "잔액 53,135 마일리지" in text  # 50,000 + 55 × 57
    assert "2031. 1. 20. 소멸 예정 50,000" in text  # LEDGER-2: five years after the award
    assert "2031. 9. 1. 소멸 예정 57" in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # memos' ISO dates are shown in Korean
    assert "걷기 마일리지 2026. 10. 25." in text
    assert_books_balance()


def test_history_pages_through_every_row_so_no_award_is_hidden(client: Client, rich_member):
    client.force_login(rich_member)
    first = _text(client.get("/wallet/").content)
    assert "모두 56건 중 1–20번째" in first and "1 / 3쪽" in first
    assert "50,000" not in first.split("마일리지 내역")[1]  # the old award is on the last page
    last = _text(client.get("/wallet/?page=3").content)
    assert "모두 56건 중 41–56번째" in last
    assert "2026. 1. 20. 적립 에코마일리지 1주기 평가 +50,000" in last


def test_history_filters_by_programme_and_month(client: Client, rich_member):
    client.force_login(rich_member)
    eco = _text(client.get("/wallet/?programme=eco-car").content)
    assert "모두 1건 중 1–1번째" in eco and "+50,000" in eco
    walk_october = _text(client.get("/wallet/?programme=walk&month=2026-10").content)
    assert "모두 25건 중 1–20번째" in walk_october  # 1..25 October
    page2 = client.get("/wallet/?programme=walk&month=2026-10&page=2").content.decode()
    assert "programme=walk&amp;month=2026-10&amp;page=1" in page2  # paging keeps the filters
    nothing = _text(client.get("/wallet/?programme=eco-car&month=2026-10").content)
    assert "조건에 맞는 거래가 없습니다." in nothing
    ignored = _text(client.get("/wallet/?programme=casino&month=soon").content)
    assert "모두 56건" in ignored  # an unknown filter is ignored, not an error
    assert "2026년 10월" in ignored  # the month choices


def test_history_csv_download_holds_the_filtered_rows(client: Client, rich_member):
    client.force_login(rich_member)
    response = client.get("/wallet/history.csv?programme=walk&month=2026-09")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["날짜", "구분", "내용", "금액"]
    assert len(rows) == 1 + 30 and rows[1] == [
        "2026-09-30",
        "적립",
        "걷기 마일리지 2026-09-30",
        "57",
    ]
    everything = list(csv.reader(io.StringIO(client.get("/wallet/history.csv").content.decode())))
    assert len(everything) == 1 + 56 and everything[-1][3] == "50000"


def test_a_member_sees_only_their_own_wallet(client: Client, rich_member):
    from tests.factories import jung_citizen

    other = jung_citizen()
    client.force_login(other)
    text = _text(client.get("/wallet/").content)
    assert "잔액 0 마일리지" in text and "거래가 없습니다" in text
    assert "50000" not in client.get("/wallet/history.csv").content.decode()


def test_dashboard_and_my_evaluations_link_to_the_wallet(client: Client, rich_member):
    client.force_login(rich_member)
    dashboard = client.get("/dashboard/").content.decode()
    assert '<a href="/wallet/">내 마일리지</a>' in dashboard
    assert '잔액 <strong data-testid="panel-wallet-balance">53,135</strong>' in dashboard
    mine = client.get("/evaluations/mine/").content.decode()
    assert 'href="/wallet/"' in mine
    table = mine.split('data-testid="wallet-history"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + 10  # the latest ten; the rest is on the wallet page
