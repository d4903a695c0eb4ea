"""The ledger API other apps call (docs/CONTRACTS.md "Ledger"; LEDGER-1, LEDGER-2).

    from mileage.ledger import services as ledger
    wallet = ledger.account("wallet", user=member)
    ledger.post("eco:cycle:8812:regular", [(budget, -50000), (wallet, 50000)],
                kind="award", memo="정기 마일리지")

Every write runs in one `transaction.atomic()`, locks the accounts it touches
(SELECT ... FOR UPDATE: other accounts in id order, budgets last, so two writers never deadlock), checks wallets against
their unexpired lots, and keeps `Account.balance` equal to the sum of postings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from . import lots, notify
from .errors import (
    AlreadyReversed,
    IdempotencyConflict,
    InsufficientMileage,
    InvalidAmount,
    UnbalancedTransaction,
)
from .models import Account, AccountKind, Posting, Transaction, TxKind

Leg = tuple[Account, int]
MEMO_LENGTH = Transaction._meta.get_field("memo").max_length  # both write paths cut to it


def account(
    kind: str,
    *,
    user: Any = None,
    programme: str | None = None,
    partner: Any = None,
    name: str = "",
) -> Account:
    """Get or create the account of `kind` for a user / programme / partner / name."""
    kind = AccountKind(kind).value
    partner_id = getattr(partner, "pk", partner)
    user_id = getattr(user, "pk", user)
    ref = account_ref(kind, user_id=user_id, programme=programme, partner_id=partner_id, name=name)
    found = Account.objects.filter(ref=ref).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Account.objects.create(
                ref=ref,
                kind=kind,
                user_id=user_id,
                programme=programme or "",
                partner_id=partner_id,
                name=name or _default_name(kind, programme),
            )
    except IntegrityError:  # created meanwhile by another request
        return Account.objects.get(ref=ref)


def account_ref(
    kind: str,
    *,
    user_id: int | None = None,
    programme: str | None = None,
    partner_id: int | None = None,
    name: str = "",
) -> str:
    """The natural key of an account (also used by the set-based award path)."""
    parts = [kind]
    if user_id is not None:
        parts.append(f"user={user_id}")
    if programme:
        parts.append(f"programme={programme}")
    if partner_id is not None:
        parts.append(f"partner={partner_id}")
    if name:
        parts.append(f"name={name}")
    return ":".join(parts)


def _default_name(kind: str, programme: str | None) -> str:
    label = AccountKind(kind).label
    return f"{label} ({programme})" if programme else str(label)


def post(
    key: str,
    legs: Sequence[Leg],
    *,
    kind: str,
    memo: str,
    effective_on: dt.date | None = None,
) -> Transaction:
    """LEDGER-1: write a balanced transaction once per key.

    Same key + same legs returns the existing transaction; same key with other legs raises
    `IdempotencyConflict`; a wallet that would go below zero raises `InsufficientMileage`.
    """
    legs = _checked_legs(legs)
    kind = TxKind(kind).value
    existing = _existing(key, legs)
    if existing is not None:
        return existing
    on = effective_on or timezone.localdate()
    try:
        with transaction.atomic():
            return _write(key, legs, kind=kind, memo=memo, on=on)
    except IntegrityError:
        # A concurrent writer took the key first (unique index); answer as a repeat would.
        existing = _existing(key, legs)
        if existing is None:
            raise
        return existing


def transfer(
    key: str,
    source: Account,
    target: Account,
    amount: int,
    *,
    kind: str,
    memo: str,
    effective_on: dt.date | None = None,
) -> Transaction:
    """Two legs: `amount` from `source` to `target`."""
    check_amount(amount)
    return post(
        key, [(source, -amount), (target, amount)], kind=kind, memo=memo, effective_on=effective_on
    )


def balance(acct: Account) -> int:
    """LEDGER-1: the balance is the sum of the account's postings."""
    total = Posting.objects.filter(account=acct).aggregate(s=Sum("amount"))["s"]
    return int(total or 0)


def spendable(acct: Account, on: dt.date | None = None) -> int:
    """LEDGER-2: what a wallet may spend on a day: its unexpired lots."""
    return lots.unexpired_total(acct, on or timezone.localdate())


def history(acct: Account, limit: int = 50) -> list[Posting]:
    """The account's latest postings, newest first, with their transactions."""
    return list(
        Posting.objects.filter(account=acct)
        .select_related("transaction")
        .order_by("-transaction__effective_on", "-id")[:limit]
    )


def reverse(key: str, original: Transaction, *, memo: str) -> Transaction:
    """A correction: a new transaction with every leg of `original` negated (once)."""
    legs = [(p.account, -p.amount) for p in original.postings.select_related("account")]
    legs = _checked_legs(legs)
    existing = _existing(key, legs)
    if existing is not None:
        return existing
    if Transaction.objects.filter(reverses=original).exists():
        raise AlreadyReversed()
    on = timezone.localdate()
    try:
        with transaction.atomic():
            return _write(key, legs, kind=TxKind.REVERSAL, memo=memo, on=on, reverses=original)
    except IntegrityError:
        existing = _existing(key, legs)
        if existing is None:
            raise AlreadyReversed() from None
        return existing


# --- internals -------------------------------------------------------------------------


def check_amount(amount: object) -> None:
    """An amount moved (a transfer, an award): a positive whole number, else `InvalidAmount`.
    Shared by `transfer` and the set-based award path (`bulk.post_awards`)."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise InvalidAmount()


def check_budget(budget: Account) -> None:
    """The account awards are paid from: a saved programme budget."""
    if budget.pk is None or budget.kind != AccountKind.BUDGET:
        raise ValueError("awards are paid from a saved budget account")


def _checked_legs(legs: Iterable[Leg]) -> list[Leg]:
    checked: list[Leg] = []
    for acct, amount in legs:
        if not isinstance(amount, int) or isinstance(amount, bool) or amount == 0:
            raise InvalidAmount()
        if acct.pk is None:
            raise ValueError("ledger legs need saved accounts")
        checked.append((acct, amount))
    if len(checked) < 2 or sum(a for _, a in checked) != 0:
        raise UnbalancedTransaction()
    return checked


def _signature(legs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Legs compared as a multiset of (account id, amount), merged per account."""
    merged: dict[int, int] = {}
    for account_id, amount in legs:
        merged[account_id] = merged.get(account_id, 0) + amount
    return sorted((a, m) for a, m in merged.items() if m)


def _existing(key: str, legs: list[Leg]) -> Transaction | None:
    found = Transaction.objects.filter(key=key).first()
    if found is None:
        return None
    stored = _signature(found.postings.values_list("account_id", "amount"))
    if stored != _signature((a.pk, m) for a, m in legs):
        raise IdempotencyConflict()
    return found


def _write(
    key: str,
    legs: list[Leg],
    *,
    kind: str,
    memo: str,
    on: dt.date,
    reverses: Transaction | None = None,
    prefer_lot_ids: Sequence[int] = (),
    allow_expired: bool = False,
) -> Transaction:
    """Inside an atomic block: lock, check, insert, update balances and lots."""
    # Lock order, the same everywhere (also ledger.bulk): other accounts by id, budgets last, so
    # writers never wait on each other in a cycle and a batch holds its budget only briefly.
    others = sorted({a.pk for a, _ in legs if a.kind != AccountKind.BUDGET})
    budgets = sorted({a.pk for a, _ in legs if a.kind == AccountKind.BUDGET})
    rows = Account.objects.select_for_update().order_by("pk")
    locked = {a.pk: a for a in rows.filter(pk__in=others)} if others else {}
    if budgets:
        locked.update({a.pk: a for a in rows.filter(pk__in=budgets)})
    deltas: dict[int, int] = {}
    for acct, amount in legs:
        deltas[acct.pk] = deltas.get(acct.pk, 0) + amount
    for account_id, delta in deltas.items():
        acct = locked[account_id]
        if acct.kind == AccountKind.WALLET and delta < 0:
            available = acct.balance
            if not allow_expired:  # LEDGER-2: only unexpired mileage may be spent
                available = min(available, lots.unexpired_total(acct, on))
            if available + delta < 0:
                raise InsufficientMileage(
                    f"마일리지 잔액이 부족합니다. (사용 가능 {available:,}점, 필요 {-delta:,}점)"
                )
    tx = Transaction.objects.create(
        key=key, kind=kind, memo=memo[:MEMO_LENGTH], effective_on=on, reverses=reverses
    )
    postings = Posting.objects.bulk_create(
        [Posting(transaction=tx, account_id=a.pk, amount=m) for a, m in legs]
    )
    for account_id, delta in deltas.items():
        if delta:
            Account.objects.filter(pk=account_id).update(balance=locked[account_id].balance + delta)
            locked[account_id].balance += delta
    wallet_postings = [p for p in postings if locked[p.account_id].kind == AccountKind.WALLET]
    lots.apply(
        wallet_postings,
        on=on,
        kind=kind,
        reverses=reverses,
        prefer_lot_ids=prefer_lot_ids,
        allow_expired=allow_expired,
    )
    if kind == TxKind.AWARD:
        for p in wallet_postings:
            if p.amount > 0:
                notify.award_paid(
                    locked[p.account_id].user, amount=p.amount, memo=memo, key=key, paid_on=on
                )
    return tx
