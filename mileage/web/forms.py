"""Forms with Korean labels (accessible: every field has a label and help text)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from mileage.partners.models import Partner
from mileage.partners.permissions import DEFAULT_PERMISSIONS, PERMISSIONS


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("아이디"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("비밀번호"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("아이디 또는 비밀번호가 올바르지 않습니다."),
        "inactive": _("사용이 중지된 계정입니다."),
    }


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("키 이름"), max_length=50, help_text=_("예: 운영 서버, 테스트 서버")
    )
    permissions = forms.MultipleChoiceField(
        label=_("권한"), widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(self, *args: Any, partner: Partner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = DEFAULT_PERMISSIONS.get(partner.kind, [])
        field = self.fields["permissions"]
        field.choices = [(p, f"{p} — {PERMISSIONS[p]}") for p in allowed]  # type: ignore[attr-defined]
        field.initial = allowed
