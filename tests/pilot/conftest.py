"""Pilot fixtures: a registry file with the vehicles the tests enrol, the programme, insurers."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from mileage.pilot import programmes
from mileage.pilot.models import Method
from mileage.pilot.services.enrol import EnrolmentRequest
from tests import factories

HEADER = (
    "plate,owner_key,owner_name,owner_ci,kind,seats,use,fuel,first_registered_on,district_code,"
    "co_owner_keys,co_owner_names"
)
# plate, owner key, owner name, then the vehicle; the owner's CI is made up from the owner key.
ROWS = [
    ("12가3456", "pilot-kim", "김시범", "passenger,5,private,gasoline,2010-10-15,11440"),
    ("34나5678", "pilot-lee", "이전기", "passenger,5,private,electric,2012-01-10,11440"),
    ("56다7890", "pilot-park", "박영업", "passenger,5,commercial,diesel,2011-03-01,11440"),
    ("78라1234", "pilot-choi", "최승합", "van,11,private,diesel,2011-03-01,11140"),
    ("90마5678", "pilot-jung", "정경기", "passenger,5,private,gasoline,2011-03-01,41110"),
    ("11바2222", "pilot-kim", "김시범", "passenger,5,private,hybrid,2014-06-01,11440"),
    ("22사3333", "pilot-han", "한신차", "passenger,5,private,gasoline,2014-08-20,11140"),
]


def ci(owner_key: str) -> str:
    """A made-up CI (연계정보: 88 characters of Base64) for a person of the test registry."""
    return base64.b64encode(hashlib.sha512(f"test-ci:{owner_key}".encode()).digest()).decode()


def registry_row(plate: str, owner_key: str, name: str, vehicle: str) -> str:
    return f"{plate},{owner_key},{name},{ci(owner_key)},{vehicle},,"


CONSENT_WORDING = (
    "본인은 승용차 마일리지 시범사업 참여를 위해 개인정보 및 주행거리 정보를 서울특별시에 "
    "제공하는 것에 동의합니다."
)


@pytest.fixture
def registry(tmp_path: Path, settings: Any) -> Path:
    path = tmp_path / "registry.csv"
    lines = [HEADER] + [registry_row(*row) for row in ROWS]
    # Many numbered plates for the cap tests: 10가0000 .. 10가0199, all eligible.
    lines += [
        registry_row(
            f"10가{n:04d}",
            f"cap-{n}",
            f"참여자{n}",
            "passenger,5,private,gasoline,2010-01-01,11440",
        )
        for n in range(200)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings.VEHICLE_REGISTRY_PATH = str(path)
    return path


@pytest.fixture
def programme(db: None, registry: Path) -> Any:
    pilot = programmes.pilot_2014()
    programmes.join(pilot, factories.partner("insurer"), [Method.PHOTO])
    programmes.join(pilot, factories.partner("other_insurer"), [Method.PHOTO])
    programmes.join(pilot, hicar(), [Method.PHOTO, Method.OBD])
    return pilot


def hicar() -> Any:
    from mileage.partners.models import Partner, PartnerKind

    found, _ = Partner.objects.get_or_create(
        slug="hicar", defaults={"name": "현대하이카다이렉트", "kind": PartnerKind.INSURER}
    )
    return found


def request(
    plate: str = "12가3456", member: str = "pilot-kim", **overrides: Any
) -> EnrolmentRequest:
    fields: dict[str, Any] = dict(
        plate=plate,
        member_ci=ci(member),
        member_name="김시범",
        policy_number=f"POL-{plate}",
        contract_on=dt.date(2014, 10, 15),
        contract_kind="new",
        method=Method.PHOTO,
        consent_given=True,
        consent_wording=CONSENT_WORDING,
        consent_version="2014-09",
        consented_at=timezone.make_aware(dt.datetime(2014, 10, 15, 10, 30)),
    )
    fields.update(overrides)
    return EnrolmentRequest(**fields)
