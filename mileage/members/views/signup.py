"""회원가입: consents and identity → the code from the SMS → sign-in name, password, district."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from ..errors import MemberError
from ..forms import AccountForm, CodeForm, SignupForm
from ..models import Purpose
from ..services import signup as service
from . import flow

FLOW = "signup"
NEXT = "members:signup:next"  # where to land after joining (a join link's campaign, issue #11)


def safe_next(request: HttpRequest, url: str | None) -> str | None:
    """`url` when it is a path on this site (never another host: no open redirect), else None."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return None
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return url


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Step 1: consent items (required and optional) and the identity to verify."""
    wanted = safe_next(request, request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(wanted or "dashboard")
    if wanted:
        request.session[NEXT] = wanted
    elif "next" in request.GET:
        request.session.pop(NEXT, None)
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                token = service.start_verification(
                    data["name"], data["birth_date"], data["phone"], Purpose.SIGNUP
                )
            except MemberError as error:
                form.add_member_error(error)
                status = error.status
            else:
                flow.drop_identity(request, FLOW)
                flow.remember(
                    request,
                    FLOW,
                    token=token,
                    name=data["name"],
                    birth_date=data["birth_date"].isoformat(),
                    phone=data["phone"],
                    consents=form.chosen_consents(),
                )
                return redirect("members:signup_verify")
    return render(request, "members/signup.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def signup_verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the 6-digit code sent to the phone (or a new code)."""
    state = flow.recall(request, FLOW)
    if state is None:
        return redirect("members:signup")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if "resend" in request.POST:
                state["token"] = service.start_verification(
                    state["name"],
                    dt.date.fromisoformat(state["birth_date"]),
                    state["phone"],
                    Purpose.SIGNUP,
                )
                flow.remember(request, FLOW, **state)
                messages.success(request, "인증번호를 다시 보냈습니다.")
                return redirect("members:signup_verify")
            if form.is_valid():
                identity = service.confirm_verification(
                    state["token"], form.cleaned_data["code"], Purpose.SIGNUP
                )
                service.check_not_joined(identity)
                flow.keep_identity(request, FLOW, identity)
                return redirect("members:signup_account")
        except MemberError as error:
            form = CodeForm(request.POST)
            form.is_valid()
            form.add_member_error(error)
            status = error.status
    return render(
        request, "members/verify.html", {"form": form, "state": state, "flow": FLOW}, status=status
    )


@require_http_methods(["GET", "POST"])
def signup_account(request: HttpRequest) -> HttpResponse:
    """Step 3: sign-in name, password and district; creates the member and signs them in."""
    state = flow.recall(request, FLOW)
    identity = flow.verified_identity(request, FLOW)
    if state is None or identity is None:
        return redirect("members:signup")
    claimed = service.claimable_account(identity)
    initial = {}
    if claimed is not None:
        initial = {"district": claimed.district.code if claimed.district else None}
    form = AccountForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = service.join(
                    identity,
                    username=data["username"],
                    password=data["password1"],
                    district=data["district"],
                    consent_keys=state["consents"],
                )
            except MemberError as error:
                form.add_member_error(error)
                status = error.status
            else:
                flow.forget(request, FLOW)
                flow.drop_identity(request, FLOW)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    "계정을 이어받았습니다. 환영합니다."
                    if claimed is not None
                    else "회원가입이 끝났습니다. 환영합니다.",
                )
                return redirect(safe_next(request, request.session.pop(NEXT, None)) or "dashboard")
    return render(
        request,
        "members/signup_account.html",
        {"form": form, "identity": identity, "claimed": claimed},
        status=status,
    )
