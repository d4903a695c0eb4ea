"""Forms of joining and the account pages (Korean labels; errors next to their field)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from mileage.accounts.models import District

from . import consents as items
from .errors import MemberError
from .phones import normalise_phone

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{3,29}$")


def parse_birth_date(raw: str) -> dt.date:
    """'1990-03-05', '19900305', '1990. 3. 5.' → date; a Korean error otherwise."""
    text = (raw or "").strip().rstrip(".")
    parts = [p for p in re.split(r"[\s./-]+", text) if p]
    try:
        if len(parts) == 1 and len(parts[0]) == 8 and parts[0].isdigit():
            value = dt.date(int(parts[0][:4]), int(parts[0][4:6]), int(parts[0][6:]))
        elif len(parts) == 3 and all(p.isdigit() for p in parts):
            value = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        else:
            raise ValueError(text)
    except ValueError as exc:
        raise ValidationError("생년월일을 확인해 주세요. 예: 1990. 3. 5.") from exc
    if value.year < 1900 or value > dt.date.today():
        raise ValidationError("생년월일을 확인해 주세요. 예: 1990. 3. 5.")
    return value


class KoreanForm(forms.Form):
    """Adds `aria-invalid` to fields with errors and takes MemberErrors next to their field."""

    def add_member_error(self, error: MemberError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, str(error.message))

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"{name}-error"


class IdentityForm(KoreanForm):
    """본인인증 request: name, birth date and mobile number (the local provider's questions)."""

    name = forms.CharField(
        label="이름",
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "이름을 입력해 주세요."},
    )
    birth_date = forms.CharField(
        label="생년월일",
        help_text="예: 1990. 3. 5.",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        error_messages={"required": "생년월일을 입력해 주세요."},
    )
    phone = forms.CharField(
        label="휴대전화 번호",
        max_length=20,
        help_text="예: 010-1234-5678",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": "휴대전화 번호를 입력해 주세요."},
    )

    def clean_name(self) -> str:
        name = re.sub(r"\s+", " ", self.cleaned_data["name"]).strip()
        if not name:
            raise ValidationError("이름을 입력해 주세요.")
        return name

    def clean_birth_date(self) -> dt.date:
        return parse_birth_date(self.cleaned_data["birth_date"])

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except MemberError as error:
            raise ValidationError(str(error.message)) from error


class SignupForm(IdentityForm):
    """Step 1 of joining: the consents, then the identity to verify."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        consent_fields = {
            f"consent_{item.key}": forms.BooleanField(
                label=f"{item.title} ({'필수' if item.required else '선택'})",
                required=False,
                help_text=item.wording,
            )
            for item in items.ITEMS
        }
        self.fields = {**consent_fields, **self.fields}

    def consent_fields(self) -> list[Any]:
        return [self[f"consent_{item.key}"] for item in items.ITEMS]

    def identity_fields(self) -> list[Any]:
        return [self["name"], self["birth_date"], self["phone"]]

    def chosen_consents(self) -> list[str]:
        return [item.key for item in items.ITEMS if self.cleaned_data.get(f"consent_{item.key}")]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for item in items.ITEMS:
            if item.required and not data.get(f"consent_{item.key}"):
                self.add_error(f"consent_{item.key}", "필수 항목에 동의해야 가입할 수 있습니다.")
        return data


class CodeForm(KoreanForm):
    code = forms.CharField(
        label="인증번호 6자리",
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
        error_messages={"required": "문자로 받은 인증번호 6자리를 입력해 주세요."},
    )


class NewPasswordForm(KoreanForm):
    password1 = forms.CharField(
        label="비밀번호",
        strip=False,
        help_text="8자 이상, 흔한 비밀번호는 쓸 수 없습니다.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "비밀번호를 입력해 주세요."},
    )
    password2 = forms.CharField(
        label="비밀번호 확인",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "비밀번호를 한 번 더 입력해 주세요."},
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", "두 비밀번호가 같지 않습니다.")
        elif one:
            try:
                validate_password(one, self.user)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class AccountForm(NewPasswordForm):
    """Step 3 of joining: sign-in name, password and the district the member lives in."""

    username = forms.CharField(
        label="아이디",
        max_length=30,
        help_text="영문 소문자와 숫자 4~30자 (마침표, 밑줄, 하이픈 가능)",
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
        error_messages={"required": "아이디를 입력해 주세요."},
    )
    district = forms.ModelChoiceField(
        label="거주 자치구",
        queryset=District.objects.order_by("name_ko"),
        empty_label="자치구를 고르세요",
        to_field_name="code",
        help_text="차량을 등록하면 자동차 등록원부로 한 번 더 확인합니다.",
        error_messages={
            "required": "거주 자치구를 골라 주세요.",
            "invalid_choice": "거주 자치구를 골라 주세요.",
        },
    )
    field_order = ["username", "password1", "password2", "district"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip().lower()
        if not USERNAME_RE.match(username):
            raise ValidationError("아이디는 영문 소문자나 숫자로 시작하는 4~30자로 입력해 주세요.")
        return username

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].label_from_instance = lambda d: d.name_ko  # type: ignore[attr-defined]


class PasswordChangeForm(NewPasswordForm):
    old_password = forms.CharField(
        label="지금 비밀번호",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "지금 비밀번호를 입력해 주세요."},
    )
    field_order = ["old_password", "password1", "password2"]


class ResetRequestForm(KoreanForm):
    username = forms.CharField(
        label="아이디",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
        error_messages={"required": "아이디를 입력해 주세요."},
    )
    phone = IdentityForm.base_fields["phone"]

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except MemberError as error:
            raise ValidationError(str(error.message)) from error


class CloseForm(KoreanForm):
    balance = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirm = forms.BooleanField(
        label="남은 마일리지가 소멸되고 계정을 되살릴 수 없다는 것을 확인했습니다.",
        error_messages={"required": "탈퇴하려면 확인란에 표시해 주세요."},
    )
    password = forms.CharField(
        label="비밀번호",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "비밀번호를 입력해 주세요."},
    )


class NoticePreferenceForm(KoreanForm):
    """알림 수신 설정: the channels notices come by, and the opt-out of non-essential ones."""

    sms = forms.BooleanField(label="문자", required=False)
    email = forms.BooleanField(label="이메일", required=False)
    email_address = forms.EmailField(
        label="이메일 주소",
        required=False,
        max_length=254,
        error_messages={"invalid": "이메일 주소를 확인해 주세요. 예: hong@example.com"},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    non_essential = forms.BooleanField(
        label="제출 기간 안내 같은 안내·홍보 알림도 받기",
        required=False,
        help_text="지급, 심사 결과, 무효 처리 같은 중요한 알림은 이 설정과 관계없이 보내 드립니다.",
    )

    def __init__(self, *args: Any, phone: str = "", **kwargs: Any) -> None:
        self.phone = phone
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("sms") and not data.get("email"):
            raise ValidationError("알림을 받을 방법을 하나 이상 골라 주세요.")
        if data.get("sms") and not self.phone:
            self.add_error(
                "sms", "휴대전화 번호가 없어 문자로 받을 수 없습니다. 본인인증으로 등록해 주세요."
            )
        if (
            data.get("email")
            and not data.get("email_address")
            and "email_address" not in self.errors
        ):
            self.add_error("email_address", "이메일로 받으려면 이메일 주소를 입력해 주세요.")
        return data
