"""Helpers shared by the eco pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from mileage.readings import errors


def parse_date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def parse_int(raw: Any, default: int | None = None) -> int | None:
    try:
        return int(str(raw).replace(",", "").strip())
    except (TypeError, ValueError):
        return default


def done(request: HttpRequest, text: str, to: str, *args: Any) -> HttpResponse:
    messages.success(request, text)
    return redirect(to, *args)


def refused(request: HttpRequest, error: errors.DomainError, to: str, *args: Any) -> HttpResponse:
    """Show a refusal on the page the person came from (forms re-open, nothing was stored)."""
    messages.error(request, error.message)
    return redirect(to, *args)
