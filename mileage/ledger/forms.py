"""The spending form (마일리지 사용): amount and, per kind of use, the reference the outside
system needs. Errors are Korean and sit next to the field they concern."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms

from .errors import LedgerError
from .models import UseKind, UseOption
from .params import UseLimits
from .uses import check_amount

KEY_RE = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class ReferenceField:
    label: str
    help: str
    placeholder: str
    inputmode: str
    autocomplete: str = "off"


REFERENCE_FIELDS: dict[str, ReferenceField] = {
    UseKind.GIFT_CERTIFICATE: ReferenceField(
        "서울페이플러스 앱에 가입한 휴대전화 번호",
        "상품권은 이 번호로 가입한 앱으로 보내 드립니다.",
        "010-1234-5678",
        "tel",
        "tel",
    ),
    UseKind.LOCAL_TAX: ReferenceField(
        "전자납부번호", "지방세 고지서에 적힌 19자리 번호입니다.", "", "numeric"
    ),
    UseKind.TRANSIT_CARD: ReferenceField(
        "교통카드 번호", "카드 뒷면에 적힌 16자리 번호입니다.", "", "numeric"
    ),
}


def _digits(text: str) -> str:
    return re.sub(r"[\s\-.()]", "", text)


def normalise_phone(raw: str) -> str | None:
    """010-1234-5678, 01012345678, +82 10 1234 5678, 010.1234.5678 → '010-1234-5678'."""
    digits = _digits(raw)
    if digits.startswith("+82"):
        digits = "0" + digits[3:]
    elif digits.startswith("82") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not re.fullmatch(r"01[016789]\d{7,8}", digits):
        return None
    return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"


class UseForm(forms.Form):
    amount = forms.CharField(
        label="사용할 마일리지",
        max_length=20,
        error_messages={"required": "사용할 마일리지를 입력해 주세요."},
    )
    reference = forms.CharField(label="", max_length=40, required=False)

    def __init__(
        self, *args: Any, option: UseOption, limits: UseLimits, spendable: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.option, self.limits, self.spendable = option, limits, spendable
        self.fields["amount"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.reference_field = REFERENCE_FIELDS.get(option.kind)
        if self.reference_field is None:
            del self.fields["reference"]
        else:
            field = self.fields["reference"]
            field.label = self.reference_field.label
            field.required = True
            field.error_messages["required"] = f"{self.reference_field.label}를 입력해 주세요."
            field.widget.attrs.update(
                inputmode=self.reference_field.inputmode,
                autocomplete=self.reference_field.autocomplete,
                placeholder=self.reference_field.placeholder,
            )

    def clean_amount(self) -> int:
        raw = re.sub(r"[\s,]|마일리지$", "", self.cleaned_data["amount"])
        if not raw.isdigit() or not raw.isascii():
            raise forms.ValidationError("숫자로 입력해 주세요. (예: 10,000)")
        amount = int(raw)
        try:
            check_amount(amount, self.limits)
        except LedgerError as error:
            raise forms.ValidationError(str(error.message)) from None
        if amount > self.spendable:
            raise forms.ValidationError(
                f"잔액이 부족합니다. 지금 사용할 수 있는 마일리지는 {self.spendable:,}입니다."
            )
        return amount

    def clean_reference(self) -> str:
        raw = self.cleaned_data.get("reference", "").strip()
        kind = self.option.kind
        if kind == UseKind.GIFT_CERTIFICATE:
            phone = normalise_phone(raw)
            if phone is None:
                raise forms.ValidationError("휴대전화 번호를 확인해 주세요. (예: 010-1234-5678)")
            return phone
        digits = _digits(raw)
        if kind == UseKind.LOCAL_TAX:
            if not re.fullmatch(r"\d{19}", digits):
                raise forms.ValidationError("전자납부번호 19자리를 숫자로 입력해 주세요.")
            return digits
        if kind == UseKind.TRANSIT_CARD:
            if not re.fullmatch(r"\d{16}", digits):
                raise forms.ValidationError("교통카드 번호 16자리를 숫자로 입력해 주세요.")
            return "-".join(digits[i : i + 4] for i in range(0, 16, 4))
        return raw


def masked(reference: str, kind: str) -> str:
    """What a receipt shows of a card number (the first and last four digits)."""
    if kind == UseKind.TRANSIT_CARD and len(reference) == 19:
        return f"{reference[:4]}-****-****-{reference[-4:]}"
    return reference
