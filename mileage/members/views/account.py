"""내 정보: profile, re-verification (name and phone), consents, password change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mileage.walking.models import AppLink

from .. import consents as items
from ..errors import MemberError
from ..forms import CodeForm, IdentityForm, NoticePreferenceForm, PasswordChangeForm
from ..models import Consent, Purpose
from ..services import account as service
from ..services import signup as verification
from . import flow

FLOW = "reverify"


@login_required
def profile(
    request: HttpRequest, *, notice_form: NoticePreferenceForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    if notice_form is None:
        notice_form = NoticePreferenceForm(initial=service.notice_initial(user), phone=user.phone)
    live = service.live_consents(user)
    rows = [(item, live.get(item.key)) for item in items.ITEMS]
    history = Consent.objects.filter(user=user).order_by("-given_at", "-id")
    # consents given when linking a partner (walking apps): withdrawn by unlinking the app
    shares = (
        AppLink.objects.filter(member=user, unlinked_at=None, consented_at__isnull=False)
        .select_related("partner")
        .order_by("consented_at")
    )
    return render(
        request,
        "members/profile.html",
        {
            "person": user,
            "consent_rows": rows,
            "history": history,
            "shares": shares,
            "district_confirmed": service.district_confirmed(user),
            "notice_form": notice_form,
        },
        status=status,
    )


@login_required
@require_POST
def notices(request: HttpRequest) -> HttpResponse:
    """알림 수신 설정: channels and the opt-out of non-essential notices (errors keep the input)."""
    form = NoticePreferenceForm(request.POST, phone=request.user.phone)
    if not form.is_valid():
        return profile(request, notice_form=form, status=400)
    data = form.cleaned_data
    service.save_notice_preference(
        request.user,
        sms=data["sms"],
        email=data["email"],
        email_address=data["email_address"],
        non_essential=data["non_essential"],
    )
    messages.success(request, "알림 수신 설정을 저장했습니다.")
    return redirect("members:profile")


@login_required
@require_POST
def consent(request: HttpRequest, item: str) -> HttpResponse:
    """Withdraw (action=withdraw) or give (action=give) an optional consent."""
    if request.POST.get("action") == "give":
        service.give_consent(request.user, item)
        messages.success(request, f"{items.BY_KEY[item].title}에 동의했습니다.")
    else:
        service.withdraw_consent(request.user, item)
        messages.success(request, f"{items.BY_KEY[item].title} 동의를 철회했습니다.")
    return redirect("members:profile")


@login_required
@require_http_methods(["GET", "POST"])
def reverify(request: HttpRequest) -> HttpResponse:
    """Step 1 of a name or phone change: who to verify (prefilled with what the account has)."""
    user = request.user
    initial = {
        "name": user.display_name,
        "birth_date": user.birth_date.isoformat() if user.birth_date else "",
        "phone": user.phone,
    }
    form = IdentityForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                token = verification.start_verification(
                    data["name"], data["birth_date"], data["phone"], Purpose.REVERIFY
                )
            except MemberError as error:
                form.add_member_error(error)
                status = error.status
            else:
                flow.remember(request, FLOW, token=token, phone=data["phone"])
                return redirect("members:reverify_code")
    return render(request, "members/reverify.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def reverify_code(request: HttpRequest) -> HttpResponse:
    state = flow.recall(request, FLOW)
    if state is None:
        return redirect("members:reverify")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                identity = verification.confirm_verification(
                    state["token"], form.cleaned_data["code"], Purpose.REVERIFY
                )
                changed = service.apply_reverification(request.user, identity)
            except MemberError as error:
                form.add_member_error(error)
                status = error.status
            else:
                flow.forget(request, FLOW)
                messages.success(request, _changed_message(changed))
                return redirect("members:profile")
    return render(
        request,
        "members/verify.html",
        {"form": form, "state": state, "resend": False},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                service.change_password(
                    request.user, form.cleaned_data["old_password"], form.cleaned_data["password1"]
                )
            except MemberError as error:
                form.add_member_error(error)
            else:
                update_session_auth_hash(request, request.user)
                messages.success(request, "비밀번호를 바꿨습니다.")
                return redirect("members:profile")
    return render(request, "members/password_change.html", {"form": form}, status=status)


def _changed_message(changed: list[str]) -> str:
    if changed == ["이름"]:
        return "이름을 바꿨습니다."
    if changed == ["휴대전화 번호"]:
        return "휴대전화 번호를 바꿨습니다."
    if changed:
        return "이름과 휴대전화 번호를 바꿨습니다."
    return "본인인증을 마쳤습니다."
