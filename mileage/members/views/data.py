"""내 정보 내려받기 and 회원 탈퇴."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ..errors import MemberError
from ..forms import CloseForm
from ..services import closure as service
from ..services.export import my_data_zip


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """GET: what the download holds; POST: the ZIP (a POST, so a link cannot trigger it)."""
    if request.method == "GET":
        return render(request, "members/my_data.html")
    body = my_data_zip(request.user)
    name = f"seoul-mileage-my-data-{timezone.localdate():%Y%m%d}.zip"
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest) -> HttpResponse:
    """The remaining balance first, then password and confirmation; closes and signs out."""
    balance = service.remaining_balance(request.user)
    form = CloseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                service.close_account(
                    request.user, form.cleaned_data["password"], form.cleaned_data["balance"]
                )
            except MemberError as error:
                form.add_member_error(error)
                status = error.status
                balance = service.remaining_balance(request.user)
            else:
                logout(request)
                messages.success(
                    request, "회원 탈퇴가 끝났습니다. 그동안 참여해 주셔서 고맙습니다."
                )
                return redirect("home")
    return render(request, "members/close.html", {"form": form, "balance": balance}, status=status)
