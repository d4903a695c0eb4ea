"""자주하는 질문 (FAQ) of the 2014 pilot, with the participating insurers' contacts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..faq import FAQ, INCENTIVE_TABLE
from ..models import ProgrammePartner
from ..programmes import PILOT_2014


def faq(request: HttpRequest) -> HttpResponse:
    contacts = ProgrammePartner.objects.filter(programme__code=PILOT_2014).select_related("partner")
    return render(
        request,
        "pilot/help.html",
        {"faq": FAQ, "incentives": INCENTIVE_TABLE, "contacts": contacts},
    )
