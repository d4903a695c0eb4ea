"""Ledger test fixtures: members with wallets and a funded programme budget."""

from __future__ import annotations

import itertools

import pytest

from mileage.accounts.models import User
from mileage.ledger import services as ledger
from mileage.ledger.models import Account

_seq = itertools.count(1)


def make_member(name: str = "") -> User:
    n = next(_seq)
    return User.objects.create_user(username=name or f"ledger-member-{n}", display_name=name)


@pytest.fixture
def member(db: None) -> User:
    return make_member("김마포")


@pytest.fixture
def budget(db: None) -> Account:
    return ledger.account("budget", programme="eco-car")


@pytest.fixture
def beneficiary(db: None) -> Account:
    return ledger.account("beneficiary", name="서울시 사회복지공동모금회")
