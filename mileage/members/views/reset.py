"""비밀번호 찾기: username and phone → the code sent to the account's phone → a new password."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..errors import MemberError
from ..forms import CodeForm, NewPasswordForm, ResetRequestForm
from ..services import account as service
from . import flow

FLOW = "reset"


@require_http_methods(["GET", "POST"])
def reset_start(request: HttpRequest) -> HttpResponse:
    form = ResetRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                token = service.start_reset(
                    form.cleaned_data["username"], form.cleaned_data["phone"]
                )
            except MemberError as error:
                form.add_member_error(error)
                status = error.status
            else:
                flow.remember(request, FLOW, token=token, phone=form.cleaned_data["phone"])
                return redirect("members:reset_verify")
    return render(request, "members/reset_start.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def reset_verify(request: HttpRequest) -> HttpResponse:
    state = flow.recall(request, FLOW)
    if state is None:
        return redirect("members:reset")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user = service.confirm_reset(state["token"], form.cleaned_data["code"])
            except MemberError as error:
                form.add_member_error(error)
                status = error.status
            else:
                flow.remember(request, FLOW, user=user.pk)
                return redirect("members:reset_new")
    return render(
        request,
        "members/verify.html",
        {"form": form, "state": state, "resend": False, "reset": True},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def reset_new(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import get_user_model

    state = flow.recall(request, FLOW) or {}
    user = get_user_model().objects.filter(pk=state.get("user"), is_active=True).first()
    if user is None:
        return redirect("members:reset")
    form = NewPasswordForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            service.reset_password(user, form.cleaned_data["password1"])
            flow.forget(request, FLOW)
            messages.success(request, "비밀번호를 새로 정했습니다. 새 비밀번호로 로그인해 주세요.")
            return redirect("login")
    return render(request, "members/reset_new.html", {"form": form, "person": user}, status=status)
