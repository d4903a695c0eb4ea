"""Vehicle registry adapter (자동차 등록원부): who owns a plate and what kind of vehicle it is.

Production asks the national registry; the local implementation reads a CSV file (the demo
ships `data/registry.csv`; tests point `settings.VEHICLE_REGISTRY_PATH` at their own file).
People are matched by an identity key: in production the identity-verification key (CI) of the
signed-in person; locally their username. A partner that enrols a policyholder proves who the
owner is with the person's CI (연계정보, 88 characters of Base64 from the insurer's identity
verification), which the registry matches against the representative owner (`owner_ci` column;
the demo file holds made-up CIs). Members who joined with identity verification are matched by
the CI on their account (`mileage.members`); the demo's "new residents" file lists cars whose
owners have not joined yet, with the CIs the local identity provider gives them.
"""

from __future__ import annotations

import csv
import datetime as dt
import hmac
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .errors import BadPlate

PLATE_RE = re.compile(r"^(?:[가-힣]{2})?\d{2,3}[가-힣]\d{4}$")
SEOUL_CODE_PREFIX = "11"  # 행정표준코드 of Seoul's districts
DEFAULT_REGISTRY = Path(__file__).resolve().parent / "data" / "registry.csv"
NEW_RESIDENTS = Path(__file__).resolve().parent / "data" / "registry_new_residents.csv"


def normalise_plate(raw: str) -> str:
    """'12 가 3456' → '12가3456'; refuse anything that is not a Korean plate."""
    plate = re.sub(r"[\s-]", "", raw or "")
    if not PLATE_RE.match(plate):
        raise BadPlate()
    return plate


@dataclass(frozen=True)
class RegistryRecord:
    plate: str
    owner_key: str  # the representative owner (대표 소유자)
    owner_name: str
    kind: str  # passenger, van, truck, special
    seats: int
    use: str  # private, commercial
    fuel: str
    first_registered_on: dt.date
    district_code: str  # 5-digit code of the registering district; Seoul codes start with 11
    co_owner_keys: tuple[str, ...] = field(default=())
    co_owner_names: tuple[str, ...] = field(default=())
    owner_ci: str = ""  # the representative owner's CI (연계정보); empty when not known

    def owned_by(self, ci: str) -> bool:
        """True when `ci` is the representative owner's CI (compared in constant time)."""
        return bool(self.owner_ci) and hmac.compare_digest(
            self.owner_ci.encode("utf-8"), ci.encode("utf-8")
        )

    @property
    def registered_in_seoul(self) -> bool:
        """ECO-1 / PILOT-2: registered by a Seoul district (행정표준코드 11xxx)."""
        return self.district_code.startswith(SEOUL_CODE_PREFIX)


class VehicleRegistry(Protocol):
    def lookup(self, plate: str) -> RegistryRecord | None: ...


def identity_key(user: Any) -> str:
    return str(user.username)


def identity_ci(user: Any) -> str:
    """The CI a member verified (empty for accounts made before identity verification)."""
    return str(getattr(user, "ci", None) or "")


def person_key(record: RegistryRecord, user: Any) -> str:
    """The key under which this registry record knows the person: the representative owner's key
    when the member's verified CI is the owner's, the CI when it is a co-owner's, otherwise
    the member's identity key (username)."""
    ci = identity_ci(user)
    if ci and record.owned_by(ci):
        return record.owner_key
    if ci and ci in record.co_owner_keys:
        return ci
    return identity_key(user)


class CsvVehicleRegistry:
    """Local registry: CSV files with one row per plate (header names as in RegistryRecord).
    Unless `settings.VEHICLE_REGISTRY_PATH` names one file, the demo's two files are read."""

    def __init__(self, path: str | Path | None = None) -> None:
        chosen = path or getattr(settings, "VEHICLE_REGISTRY_PATH", "")
        self.paths = [Path(chosen)] if chosen else [DEFAULT_REGISTRY, NEW_RESIDENTS]

    def lookup(self, plate: str) -> RegistryRecord | None:
        for path in self.paths:
            with path.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    if normalise_plate(row["plate"]) == plate:
                        return _record(row)
        return None


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(";") if part.strip())


def _record(row: dict[str, str]) -> RegistryRecord:
    return RegistryRecord(
        plate=normalise_plate(row["plate"]),
        owner_key=row["owner_key"].strip(),
        owner_name=row["owner_name"].strip(),
        kind=row["kind"].strip(),
        seats=int(row["seats"]),
        use=row["use"].strip(),
        fuel=row["fuel"].strip(),
        first_registered_on=dt.date.fromisoformat(row["first_registered_on"].strip()),
        district_code=row["district_code"].strip(),
        co_owner_keys=_split(row.get("co_owner_keys")),
        co_owner_names=_split(row.get("co_owner_names")),
        owner_ci=(row.get("owner_ci") or "").strip(),
    )


def get_registry() -> VehicleRegistry:
    dotted = getattr(settings, "VEHICLE_REGISTRY", "mileage.vehicles.registry.CsvVehicleRegistry")
    return import_string(dotted)()
