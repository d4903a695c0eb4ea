"""마일리지 사용 pages (/wallet/use/): catalogue, form, confirmation step with a hidden key,
receipt for its owner only, and every refusal as a Korean error next to its field."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from mileage.ledger import services as ledger
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.models import ExternalUse

pytestmark = pytest.mark.django_db

GIFT = "/wallet/use/seoul-love-gift-certificate/"


def _text(html: bytes) -> str:
    """What a reader sees in the page's main part: tags dropped, whitespace collapsed."""
    main = html.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main.split(">", 1)[1]))


@pytest.fixture
def member(client: Client, mapo_citizen):
    budget = ledger.account("budget", programme="eco-car")
    wallet = ledger.account("wallet", user=mapo_citizen)
    ledger.transfer(
        "fund", budget, wallet, 53_117, kind="award", memo="적립", effective_on=dt.date(2026, 1, 20)
    )
    client.force_login(mapo_citizen)
    return mapo_citizen


def _confirm_page(client: Client, amount: str, reference: str = "010-1234-5678") -> str:
    response = client.post(GIFT, {"amount": amount, "reference": reference})
    assert response.status_code == 200, _text(response.content)
    return response.content.decode()


def _key(page: str) -> str:
    return re.search(r'name="key" value="([0-9a-f]{32})"', page)[1]


def test_catalogue_lists_each_use_with_minimum_unit_and_cancel_rule(client, member) -> None:
    page = client.get("/wallet/use/").content.decode()
    text = _text(page.encode())
    for name in (
        "서울사랑상품권",
        "지방세 납부",
        "교통카드 충전",
        "기부: 서울시 사회복지공동모금회",
    ):
        assert name in text
    gift = text.split("서울사랑상품권 ", 1)[1]
    assert gift.startswith("서울페이플러스") and "최소 10,000 마일리지 단위 10,000 마일리지" in gift
    assert "확정된 뒤에는 취소할 수 없습니다." in gift
    assert 'href="/walking/coupons/"' in page  # 가맹점 쿠폰: the existing coupon pages
    assert not re.search(r"\d{4}-\d{2}-\d{2}|gift-certificate|local-tax|WALK-6", text)
    for path in ("/wallet/", "/dashboard/"):
        assert '<a href="/wallet/use/">마일리지 사용</a>' in client.get(path).content.decode()


def test_confirmation_shows_amount_balance_after_and_cancel_rule_then_receipt(
    client, member
) -> None:
    page = _confirm_page(client, "10,000")
    text = _text(page.encode())
    assert "사용할 마일리지 10,000" in text and "사용 후 잔액 43,117 마일리지" in text
    assert "확정된 뒤에는 취소할 수 없습니다." in text
    assert not ExternalUse.objects.exists()  # nothing is spent before the confirmation
    key = _key(page)
    response = client.post(
        GIFT + "confirm/", {"amount": "10000", "reference": "010-1234-5678", "key": key}
    )
    use = ExternalUse.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/wallet/use/{use.pk}/"
    receipt = _text(client.get(response["Location"]).content)
    assert "서울사랑상품권에 10,000 마일리지를 사용했습니다." in receipt
    assert "상태 완료" in receipt and "현재 잔액 43,117 마일리지" in receipt
    assert not re.search(r"\d{4}-\d{2}-\d{2}|[A-Z]{3,}", receipt)
    # the same confirmation sent again (a repeated click): the same receipt, paid once
    again = client.post(
        GIFT + "confirm/", {"amount": "10000", "reference": "010-1234-5678", "key": key}
    )
    assert again["Location"] == f"/wallet/use/{use.pk}/"
    assert ExternalUse.objects.count() == 1
    assert ledger.balance(ledger.account("wallet", user=member)) == 43_117
    assert "43,117" in _text(client.get("/wallet/").content)
    assert_books_balance()


def test_a_receipt_is_visible_only_to_its_owner(client, member) -> None:
    key = _key(_confirm_page(client, "10000"))
    client.post(GIFT + "confirm/", {"amount": "10000", "reference": "01012345678", "key": key})
    use = ExternalUse.objects.get()
    from tests.factories import jung_citizen

    other = Client()
    other.force_login(jung_citizen())
    assert other.get(f"/wallet/use/{use.pk}/").status_code == 404
    assert client.get(f"/wallet/use/{use.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("amount", "reference", "field", "message"),
    [
        ("9,000", "010-1234-5678", "amount", "10,000 마일리지 이상부터 사용할 수 있습니다."),
        ("15000", "010-1234-5678", "amount", "10,000 마일리지 단위로 입력해 주세요."),
        (
            "60000",
            "010-1234-5678",
            "amount",
            "잔액이 부족합니다. 지금 사용할 수 있는 마일리지는 53,117입니다.",
        ),
        ("만원", "010-1234-5678", "amount", "숫자로 입력해 주세요."),
        ("", "010-1234-5678", "amount", "사용할 마일리지를 입력해 주세요."),
        ("10000", "02-123-4567", "reference", "휴대전화 번호를 확인해 주세요."),
    ],
)
def test_bad_input_is_a_korean_error_next_to_its_field_and_keeps_what_was_typed(
    client, member, amount, reference, field, message
) -> None:
    response = client.post(GIFT, {"amount": amount, "reference": reference})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<p class="field-error" role="alert" id="id_{field}-error">{message}' in page
    assert f'id="id_{field}" value="{amount if field == "amount" else reference}"' in page.replace(
        f'name="{field}" ', ""
    )
    assert 'aria-invalid="true"' in page
    assert not ExternalUse.objects.exists()
    assert_books_balance()


def test_phone_numbers_in_common_formats_are_accepted(client, member) -> None:
    for raw in ("01012345678", "010 1234 5678", "+82 10-1234-5678", "010.1234.5678"):
        assert "010-1234-5678" in _confirm_page(client, "10000", raw)


@pytest.mark.parametrize(
    ("reference", "settings_mode", "reason"),
    [
        ("010-0000-0000", "confirm", "사용처에서 요청을 처리하지 못했습니다."),
        ("010-1234-5678", "fail", "사용처에서 요청을 처리하지 못했습니다."),
        ("010-9999-9999", "confirm", "사용처가 제시간에 응답하지 않았습니다."),
    ],
)
def test_a_failing_or_hanging_adapter_returns_the_mileage_with_a_korean_error(
    client, member, settings, reference, settings_mode, reason
) -> None:
    settings.MILEAGE_LOCAL_EXTERNAL_MODE = settings_mode
    settings.MILEAGE_EXTERNAL_TIMEOUT_SECONDS = 0.3
    settings.MILEAGE_LOCAL_EXTERNAL_HANG_SECONDS = 2
    key = _key(_confirm_page(client, "20000", reference))
    response = client.post(
        GIFT + "confirm/", {"amount": "20000", "reference": reference, "key": key}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert f"{reason} 신청한 20,000 마일리지는 모두 돌려드렸습니다." in page
    assert 'role="alert" id="id_amount-error"' in page and 'value="20000"' in page
    use = ExternalUse.objects.get()
    assert use.status == ExternalUse.Status.RETURNED
    assert ledger.balance(ledger.account("wallet", user=member)) == 53_117
    receipt = _text(client.get(f"/wallet/use/{use.pk}/").content)
    assert "취소 (마일리지 반환)" in receipt and "모두 돌려드렸습니다" in receipt
    assert_books_balance()


def test_a_confirmation_without_a_valid_key_is_refused(client, member) -> None:
    response = client.post(GIFT + "confirm/", {"amount": "10000", "reference": "010-1234-5678"})
    assert response.status_code == 400
    assert "신청 정보가 올바르지 않습니다." in response.content.decode()
    assert not ExternalUse.objects.exists()


def test_local_tax_and_transit_card_forms_check_their_numbers(client, member) -> None:
    tax = client.post("/wallet/use/local-tax/", {"amount": "12,340", "reference": "123"})
    assert "전자납부번호 19자리를 숫자로 입력해 주세요." in tax.content.decode()
    ok = client.post(
        "/wallet/use/local-tax/", {"amount": "12,340", "reference": "1234-5678-9012-3456-789"}
    )
    assert ok.status_code == 200 and "1234567890123456789" in ok.content.decode()
    card = client.post(
        "/wallet/use/transit-card/", {"amount": "10000", "reference": "1234 5678 9012 3456"}
    )
    assert "1234-****-****-3456" in _text(card.content)
    key = _key(card.content.decode())
    done = client.post(
        "/wallet/use/transit-card/confirm/",
        {"amount": "10000", "reference": "1234-5678-9012-3456", "key": key},
    )
    assert done.status_code == 302
    assert "1234-****-****-3456" in _text(client.get(done["Location"]).content)
    assert_books_balance()


def test_donation_to_a_named_fund_needs_no_reference(client, member) -> None:
    page = client.post("/wallet/use/donation-community-chest/", {"amount": "3,000"})
    key = _key(page.content.decode())
    done = client.post(
        "/wallet/use/donation-community-chest/confirm/", {"amount": "3000", "key": key}
    )
    assert done.status_code == 302
    assert ledger.balance(ledger.account("beneficiary", name="서울시 사회복지공동모금회")) == 3000
    assert_books_balance()
