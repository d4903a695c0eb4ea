"""Using mileage through the catalogue (WALK-6, LEDGER-1, LEDGER-2): hold → settle / return.

The local adapter behaves like the outside systems, including refusals and silence
(`mileage.ledger.external`): a reference ending in eight 0s is refused, eight 9s never answers.
"""

from __future__ import annotations

import datetime as dt

import pytest

from mileage.ledger import services as ledger
from mileage.ledger import uses
from mileage.ledger.catalogue import ensure_catalogue
from mileage.ledger.checks import assert_books_balance
from mileage.ledger.errors import IdempotencyConflict, InsufficientMileage
from mileage.ledger.models import ExternalUse, Lot, Transaction, UseOption
from mileage.ledger.params import use_limits

pytestmark = pytest.mark.django_db

PHONE = "010-1234-5678"


@pytest.fixture
def gift(db) -> UseOption:
    ensure_catalogue()
    return UseOption.objects.get(slug="seoul-love-gift-certificate")


@pytest.fixture
def funded(member, budget):
    wallet = ledger.account("wallet", user=member)
    ledger.transfer(
        "fund:old",
        budget,
        wallet,
        12_000,
        kind="award",
        memo="적립",
        effective_on=dt.date(2024, 3, 1),
    )
    ledger.transfer(
        "fund:new",
        budget,
        wallet,
        41_117,
        kind="award",
        memo="적립",
        effective_on=dt.date(2026, 1, 20),
    )
    return wallet


@pytest.fixture
def quick_timeout(settings):
    settings.MILEAGE_EXTERNAL_TIMEOUT_SECONDS = 0.3
    settings.MILEAGE_LOCAL_EXTERNAL_HANG_SECONDS = 2


def _keys(use: ExternalUse) -> list[str]:
    return list(
        Transaction.objects.filter(key__startswith=f"use:{use.pk}:")
        .order_by("pk")
        .values_list("key", flat=True)
    )


def test_walk6_gift_certificate_limits_come_from_dated_parameters() -> None:
    limits = use_limits("gift-certificate", dt.date(2026, 12, 1))
    assert (limits.minimum, limits.step, limits.cancel_days) == (10_000, 10_000, 0)
    assert limits.cancel_rule() == "확정된 뒤에는 취소할 수 없습니다."
    assert use_limits("local-tax", dt.date(2026, 12, 1)).step == 10


def test_confirmed_use_holds_then_settles_with_a_ledger_entry_for_each_step(
    member, funded, gift
) -> None:
    use = uses.request_use(member, gift, 10_000, PHONE, key="k1")
    assert use.status == ExternalUse.Status.CONFIRMED and use.confirmation
    assert _keys(use) == [f"use:{use.pk}:hold", f"use:{use.pk}:settle"]
    assert ledger.balance(funded) == 43_117
    assert ledger.balance(ledger.account("hold", user=member)) == 0
    assert ledger.balance(ledger.account("external", name="서울사랑상품권")) == 10_000
    # LEDGER-2: the oldest lot was drawn first
    assert Lot.objects.get(account=funded, awarded_on=dt.date(2024, 3, 1)).remaining == 2_000
    assert_books_balance()


def test_same_key_twice_pays_once_and_other_content_is_a_conflict(member, funded, gift) -> None:
    first = uses.request_use(member, gift, 10_000, PHONE, key="k2")
    again = uses.request_use(member, gift, 10_000, PHONE, key="k2")
    assert again.pk == first.pk and ledger.balance(funded) == 43_117
    with pytest.raises(IdempotencyConflict):
        uses.request_use(member, gift, 20_000, PHONE, key="k2")
    assert ExternalUse.objects.count() == 1
    assert_books_balance()


@pytest.mark.parametrize(
    ("amount", "error", "message"),
    [
        (9_000, uses.UseBelowMinimum, "10,000 마일리지 이상부터"),
        (15_000, uses.UseNotInUnits, "10,000 마일리지 단위로"),
    ],
)
def test_amount_below_minimum_or_off_the_unit_writes_nothing(
    member, funded, gift, amount, error, message
) -> None:
    with pytest.raises(error) as caught:
        uses.request_use(member, gift, amount, PHONE, key="k3")
    assert message in caught.value.message
    assert not ExternalUse.objects.exists() and ledger.balance(funded) == 53_117
    assert_books_balance()


def test_more_than_the_balance_writes_nothing(member, funded, gift) -> None:
    with pytest.raises(InsufficientMileage):
        uses.request_use(member, gift, 60_000, PHONE, key="k4")
    assert not ExternalUse.objects.exists() and ledger.balance(funded) == 53_117
    assert_books_balance()


def test_refused_use_returns_the_mileage_in_full_to_the_same_lots(member, funded, gift) -> None:
    before = dict(Lot.objects.filter(account=funded).values_list("pk", "remaining"))
    use = uses.request_use(member, gift, 20_000, "010-0000-0000", key="k5")
    assert use.status == ExternalUse.Status.RETURNED
    assert use.failure == "사용처에서 요청을 처리하지 못했습니다."
    assert _keys(use) == [f"use:{use.pk}:hold", f"use:{use.pk}:return"]
    assert ledger.balance(funded) == 53_117
    assert dict(Lot.objects.filter(account=funded).values_list("pk", "remaining")) == before
    assert ledger.balance(ledger.account("hold", user=member)) == 0
    assert_books_balance()


def test_an_adapter_that_hangs_times_out_and_returns_the_mileage(
    member, funded, gift, quick_timeout
) -> None:
    use = uses.request_use(member, gift, 10_000, "010-9999-9999", key="k6")
    assert use.status == ExternalUse.Status.RETURNED
    assert use.failure == "사용처가 제시간에 응답하지 않았습니다."
    assert ledger.balance(funded) == 53_117
    assert_books_balance()


def test_failure_mode_by_setting_and_donation_to_a_named_fund(member, funded, settings) -> None:
    ensure_catalogue()
    fund = UseOption.objects.get(slug="donation-tree-fund")
    settings.MILEAGE_LOCAL_EXTERNAL_MODE = "fail"
    failed = uses.request_use(member, fund, 3_000, "", key="k7")
    assert failed.status == ExternalUse.Status.RETURNED and ledger.balance(funded) == 53_117
    settings.MILEAGE_LOCAL_EXTERNAL_MODE = "confirm"
    given = uses.request_use(member, fund, 3_000, "", key="k8")
    assert given.status == ExternalUse.Status.CONFIRMED
    beneficiary = ledger.account("beneficiary", name="서울시 기후동행 나무심기 기금")
    assert ledger.balance(beneficiary) == 3_000 and ledger.balance(funded) == 50_117
    assert given.transaction.kind == "donation"
    assert_books_balance()


def test_a_hold_left_by_a_crashed_worker_is_returned_once(member, funded, gift) -> None:
    wallet, hold = funded, ledger.account("hold", user=member)
    use = ExternalUse.objects.create(
        key="k9", user=member, option=gift, use="gift-certificate", reference=PHONE, amount=10_000
    )
    use.hold = ledger.transfer(
        f"use:{use.pk}:hold", wallet, hold, 10_000, kind="external", memo="신청"
    )
    use.save()
    assert uses.return_stale_holds(dt.timedelta(0)) == 1
    assert uses.return_stale_holds(dt.timedelta(0)) == 0
    use.refresh_from_db()
    assert use.status == ExternalUse.Status.RETURNED and ledger.balance(wallet) == 53_117
    assert (
        uses.settle(use, "1234").status == ExternalUse.Status.RETURNED
    )  # too late: stays returned
    assert_books_balance()


def test_coupons_and_inactive_options_are_not_spent_here(member, funded, gift) -> None:
    coupon = UseOption.objects.get(kind="coupon")
    with pytest.raises(uses.UseNotAvailable):
        uses.request_use(member, coupon, 10_000, "", key="k10")
    gift.active = False
    with pytest.raises(uses.UseNotAvailable):
        uses.request_use(member, gift, 10_000, PHONE, key="k11")
    assert_books_balance()
