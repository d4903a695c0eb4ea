"""/dev/messages/: what the local SMS gateway "sent" (404 unless it is the configured gateway)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ..models import SmsMessage
from ..sms import local_gateway_configured


def dev_messages(request: HttpRequest) -> HttpResponse:
    if not local_gateway_configured():
        raise Http404
    rows = SmsMessage.objects.all()[:100]
    return render(request, "members/dev_messages.html", {"rows": rows})
