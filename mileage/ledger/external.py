"""Adapters for uses of mileage outside the platform (WALK-6): 서울사랑상품권, local tax (ETAX),
transit card top-up, donation funds.

Production calls the gift-certificate issuer's, the tax office's, the card company's or the
fund's service; the local adapter (the default, used by the demo and tests) confirms every
request with a reproducible confirmation number, and behaves like a failing or hanging service
on demand:

- `settings.MILEAGE_LOCAL_EXTERNAL_MODE` = "confirm" (default) | "fail" | "hang";
- or per request: a reference whose last eight digits are all 0 is refused (010-0000-0000),
  all 9 never answers in time (010-9999-9999).

`pay()` runs in a worker thread with a time limit (`MILEAGE_EXTERNAL_TIMEOUT_SECONDS`); it must
not use the database (the `ExternalUse` row is written by `mileage.ledger.uses`).
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class ExternalRefused(Exception):
    """The outside system answered no (a card company's refusal, an unknown tax bill)."""


class ExternalPayments(Protocol):
    def pay(self, use: Any) -> str:
        """Ask the outside system to take `use.amount` for `use.reference`; return its
        confirmation number. Raise `ExternalRefused` (or anything) when it says no."""
        ...


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


class LocalExternalPayments:
    """Confirms at once with a reproducible confirmation number (no outside system)."""

    def mode(self, use: Any) -> str:
        tail = _digits(str(use.reference))[-8:]
        if len(tail) == 8 and tail == "0" * 8:
            return "fail"
        if len(tail) == 8 and tail == "9" * 8:
            return "hang"
        return getattr(settings, "MILEAGE_LOCAL_EXTERNAL_MODE", "confirm")

    def pay(self, use: Any) -> str:
        mode = self.mode(use)
        if mode == "fail":
            raise ExternalRefused(f"local adapter refused {use.use} {use.reference}")
        if mode == "hang":  # answers long after the caller stopped waiting
            time.sleep(float(getattr(settings, "MILEAGE_LOCAL_EXTERNAL_HANG_SECONDS", 30)))
        digest = int(hashlib.sha256(f"{use.key}:{use.amount}".encode()).hexdigest()[:15], 16)
        number = f"{digest % 10**12:012d}"
        return f"{number[:4]}-{number[4:8]}-{number[8:]}"

    def cancel(self, use: Any) -> None:
        """After a time-out: tell the outside system to drop the request (nothing to do here)."""


def get_external_payments(kind: str = "") -> ExternalPayments:
    """The adapter for a kind of use: `settings.MILEAGE_EXTERNAL_PAYMENTS` is a dotted path, or a
    dict of kind → dotted path (missing kinds use the local adapter)."""
    configured = getattr(settings, "MILEAGE_EXTERNAL_PAYMENTS", "")
    if isinstance(configured, dict):
        configured = configured.get(kind, "")
    return import_string(configured)() if configured else LocalExternalPayments()


@dataclass(frozen=True)
class Outcome:
    """What came back from the outside system: a confirmation, a refusal or no answer in time."""

    confirmation: str = ""
    refused: bool = False
    timed_out: bool = False


def call_with_timeout(pay: Callable[[Any], str], use: Any, timeout_s: float) -> Outcome:
    """Run `pay(use)` in a daemon thread and wait at most `timeout_s` seconds for it."""
    answer: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            answer["confirmation"] = pay(use)
        except Exception as error:  # any refusal or crash of the adapter is a refusal
            answer["error"] = error
        finally:
            done.set()

    threading.Thread(target=run, name=f"external-use-{use.pk}", daemon=True).start()
    if not done.wait(timeout_s):
        return Outcome(timed_out=True)
    if "error" in answer or not answer.get("confirmation"):
        return Outcome(refused=True)
    return Outcome(confirmation=str(answer["confirmation"])[:100])
