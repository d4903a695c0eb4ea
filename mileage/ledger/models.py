"""Mileage accounts (LEDGER-1, LEDGER-2): accounts, transactions, postings, lots.

A transaction is a set of postings that sum to zero. Transactions and postings are
append-only: the model layer refuses save-after-create and delete, and the database refuses
UPDATE/DELETE (see migration 0002). Balances are the sum of postings; `Account.balance` is
kept in step inside the same database transaction and `checks.verify_books()` proves it.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AccountKind(models.TextChoices):
    BUDGET = "budget", "프로그램 예산"  # a programme's issuing account; may go negative
    WALLET = "wallet", "회원 지갑"
    SPONSOR = "sponsor", "후원사"
    MERCHANT = "merchant", "가맹점"
    BENEFICIARY = "beneficiary", "기부처"
    EXTERNAL = "external", "외부 사용처"  # local tax, transit card
    EXPIRED = "expired", "소멸 마일리지"  # LEDGER-2: where expired mileage goes
    HOLD = "hold", "사용 대기"  # a member's mileage held while an outside system answers


class TxKind(models.TextChoices):
    AWARD = "award", "적립"
    SPEND = "spend", "사용"
    DONATION = "donation", "기부"
    EXTERNAL = "external", "외부 사용"
    EXPIRY = "expiry", "소멸"
    REVERSAL = "reversal", "정정(취소)"
    TRANSFER = "transfer", "이체"


class Account(models.Model):
    """A mileage account. `ref` is its natural key, built by `services.account()`."""

    ref = models.CharField(max_length=200)  # unique: Meta constraint (no LIKE index needed)
    kind = models.CharField(max_length=12, choices=AccountKind.choices)
    # Checked once per statement by a database trigger (migration 0005), not a per-row foreign
    # key, which locked the member's row once for every new wallet.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    programme = models.CharField(max_length=20, blank=True)
    # The partners app owns Partner; kept as a plain id so the ledger never depends on it.
    partner_id = models.BigIntegerField(null=True, blank=True)
    name = models.CharField(max_length=100, blank=True)
    # Maintained sum of this account's postings (checked by checks.verify_books()).
    balance = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ref"], name="ledger_account_ref_unique"),
            # LEDGER-1: a wallet never goes negative — the database's second line of defence.
            models.CheckConstraint(
                condition=~models.Q(kind="wallet") | models.Q(balance__gte=0),
                name="ledger_wallet_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="wallet") | models.Q(user__isnull=False),
                name="ledger_wallet_has_user",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.ref


class AppendOnlyQuerySet(models.QuerySet):
    """LEDGER-1: postings are never edited or deleted; corrections are reversing transactions."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("ledger rows are append-only: post a reversing transaction instead")

    def delete(self) -> NoReturn:
        raise TypeError("ledger rows are append-only: post a reversing transaction instead")


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("ledger rows are append-only: post a reversing transaction instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("ledger rows are append-only: post a reversing transaction instead")


class Transaction(AppendOnly):
    """A balanced set of postings with an idempotency key named after what it pays."""

    key = models.CharField(max_length=200)  # unique: Meta constraint (no LIKE index needed)
    kind = models.CharField(max_length=12, choices=TxKind.choices)
    memo = models.CharField(max_length=200, blank=True)
    effective_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    # At most one reversal per transaction: a partial unique index (migration 0005), so the
    # millions of awards, which reverse nothing, add no entry to it.
    reverses = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        db_index=False,
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="ledger_transaction_key_unique"),
            models.UniqueConstraint(
                fields=["reverses"],
                condition=models.Q(reverses__isnull=False),
                name="ledger_transaction_reversed_once",
            ),
        ]

    def __str__(self) -> str:
        return self.key


class Posting(AppendOnly):
    """One leg: a positive amount raises the account's balance, a negative one lowers it."""

    # References checked once per statement by database triggers, not per row (migration 0004).
    transaction = models.ForeignKey(
        Transaction, on_delete=models.PROTECT, related_name="postings", db_constraint=False
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="postings", db_constraint=False
    )
    amount = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_posting_not_zero")
        ]


class Lot(models.Model):
    """LEDGER-2: one credit to a wallet, spent oldest first, expiring on `expires_on`.

    `remaining` is bookkeeping for expiry and FIFO spending, not the ledger itself; for every
    wallet the remaining amounts add up to its balance (checks.verify_books()).
    """

    # Indexed by ledger_lot_fifo (account, expires_on), not separately. Both references are
    # checked once per statement by a database trigger (migration 0004): the posting exists and
    # credits this lot's account.
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="lots", db_index=False, db_constraint=False
    )
    posting = models.OneToOneField(
        Posting, on_delete=models.PROTECT, related_name="lot", db_constraint=False
    )
    amount = models.BigIntegerField()
    remaining = models.BigIntegerField()
    awarded_on = models.DateField()
    expires_on = models.DateField()
    expiry_notified = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["account", "expires_on"], name="ledger_lot_fifo")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(remaining__gte=0) & models.Q(remaining__lte=models.F("amount")),
                name="ledger_lot_remaining_in_range",
            )
        ]


class LotDraw(AppendOnly):
    """Which lots a wallet debit took (negative `amount` when a reversal gives it back)."""

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="draws")
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="draws")
    amount = models.BigIntegerField()


class UseKind(models.TextChoices):
    """What mileage can be used for (WALK-6): each kind has its own outside system."""

    GIFT_CERTIFICATE = "gift-certificate", "서울사랑상품권"
    LOCAL_TAX = "local-tax", "지방세 납부"
    TRANSIT_CARD = "transit-card", "교통카드 충전"
    DONATION = "donation", "기부"
    COUPON = "coupon", "가맹점 쿠폰"


class UseOption(models.Model):
    """One entry of the city's catalogue of uses (마일리지 사용처), seeded by migration 0006.

    Minimum, unit and cancel rule are dated parameters per kind (`uses.<kind>.*`), not columns:
    the city changes them from a date on. A donation option names its fund (a beneficiary
    account); the coupon option only links to the coupon pages (`link`).
    """

    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=UseKind.choices)
    name = models.CharField(max_length=100)
    summary = models.CharField(max_length=200)
    fund = models.CharField(max_length=100, blank=True)  # beneficiary account name (donation)
    link = models.CharField(max_length=200, blank=True)  # a page elsewhere (coupons)
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class ExternalUse(models.Model):
    """One request to use mileage outside the wallet: held, then confirmed or returned.

    `hold` moves the amount from the wallet to the member's hold account before the outside
    system is called; `transaction` settles it (hold → the use's account) on confirmation;
    `returned` reverses the hold (same lots, same expiry) on refusal or time-out.
    """

    Use = UseKind

    class Status(models.TextChoices):
        HELD = "held", "처리 중"
        CONFIRMED = "confirmed", "완료"
        RETURNED = "returned", "취소 (마일리지 반환)"

    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(
        UseOption, null=True, blank=True, on_delete=models.PROTECT, related_name="uses"
    )
    use = models.CharField(max_length=20, choices=UseKind.choices)
    reference = models.CharField(max_length=100)  # phone, tax bill number, card number, fund
    amount = models.BigIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.HELD)
    hold = models.OneToOneField(
        Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transaction = models.OneToOneField(
        Transaction, null=True, on_delete=models.PROTECT, related_name="external_use"
    )
    returned = models.OneToOneField(
        Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    confirmation = models.CharField(max_length=100, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=200, blank=True)  # Korean reason shown on the receipt
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-requested_at"], name="ledger_use_by_member")]

    @property
    def name(self) -> str:
        return self.option.name if self.option_id else UseKind(self.use).label


class IdempotentResponse(models.Model):
    """The first answer to a request that moves money, kept under its idempotency key.

    A spend, purchase, donation or redemption runs once per (caller, key): the row is written in
    the same database transaction as the postings, so a repeated or parallel request with the
    same key gets this stored answer and nothing is charged twice (issue #13, finding 7).
    `fingerprint` is the SHA-256 of the operation and its input: the same key with another
    request is refused (`ledger.idempotency_conflict`)."""

    caller = models.CharField(max_length=60)  # "user:<id>" or "partner:<id>"
    key = models.CharField(max_length=100)
    operation = models.CharField(max_length=60)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="ledger_idempotent_once")
        ]

    def __str__(self) -> str:
        return f"{self.caller} {self.key}"
