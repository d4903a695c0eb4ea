"""E-1 / ECO-4 checks shared by the programs that take odometer readings.

A reading the platform would refuse is an input error naming its field, not a void cycle:
a photo older than the maximum age on upload (ECO-4; exactly 183 days is accepted), a capture
date after the upload date or before the previous reading's, readings out of date order, and an
odometer going backwards within one vehicle (a `change-in` starts the new vehicle's odometer).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from mileage.rules.case import Reading
from mileage.rules.errors import InvalidCase
from mileage.rules.params import Parameters


def resolve_effective_dates(readings: Sequence[Reading], *, program: str) -> None:
    """C-1 / E-2: effective date = capture date, else upload date. `uploaded` may be null only
    on an eco-car annual reading whose `taken` is null too (resolved by ECO-5 later)."""
    for reading in readings:
        if reading.given_uploaded_on is None:
            if program == "eco-car" and reading.event == "annual" and reading.taken_on is None:
                continue  # E-2: A+29 stands for both dates; set by the eco-car cycle rules
            raise InvalidCase(
                f"{reading.path}.uploaded",
                "업로드일이 없습니다: 촬영일도 없는 연간 기록에만 비워 둘 수 있습니다 "
                "(missing; only an eco-car annual reading without a capture date may omit it, E-2)",
            )
        reading.uploaded_on = reading.given_uploaded_on
        reading.effective_on = reading.taken_on or reading.given_uploaded_on


def check_readings(
    readings: Sequence[Reading], params: Parameters, *, photo_age: bool = True
) -> None:
    """E-1 / ECO-4: refuse impossible or out-of-order readings, naming the field."""
    previous: Reading | None = None
    for reading in readings:
        assert reading.effective_on is not None and reading.uploaded_on is not None
        taken, uploaded = reading.taken_on, reading.uploaded_on
        if taken is not None:
            if taken > uploaded:
                raise InvalidCase(
                    f"{reading.path}.taken",
                    f"촬영일이 업로드일({uploaded}) 이후입니다 (captured after its upload date, ECO-4)",
                )
            if photo_age:
                max_days = params.at("eco.photo_max_age_days", uploaded)
                age = (uploaded - taken).days
                if age > max_days:
                    raise InvalidCase(
                        f"{reading.path}.taken",
                        f"업로드일 기준 {age}일 전에 촬영된 사진입니다: 최대 {max_days}일 "
                        f"(photo {age} days old at upload; at most {max_days}, ECO-4)",
                    )
        if previous is not None:
            if reading.effective_on < previous.effective_on:
                problem = (
                    f"이전 기록({previous.effective_on})보다 이른 날짜입니다 "
                    f"(before the previous reading's date {previous.effective_on}, E-1)"
                )
                raise InvalidCase(reading.date_field, problem)
            if reading.event != "change-in" and reading.km < previous.km:
                raise InvalidCase(
                    f"{reading.path}.km",
                    f"주행거리가 이전 기록({previous.km:,}km)보다 작습니다 "
                    f"(odometer went backwards from {previous.km} km, E-1)",
                )
        previous = reading


def check_initial_first(readings: Sequence[Reading]) -> None:
    """RULES-CLI / E-1: a history starts with its `initial` reading, and only there (eco-car and
    pilot-2014 alike)."""
    if readings[0].event != "initial":
        raise InvalidCase(
            "readings[0].event",
            "첫 기록은 initial이어야 합니다 (the first reading must be initial)",
        )
    for reading in readings[1:]:
        if reading.event == "initial":
            raise InvalidCase(
                f"{reading.path}.event",
                "initial은 첫 기록뿐입니다 (only the first reading is initial)",
            )


def check_vehicle_changes(readings: Sequence[Reading]) -> None:
    """E-7 / ECO-13 / PILOT-9: a `change-out` is followed directly by a `change-in`, and a
    `change-in` only follows a `change-out`."""
    for position, reading in enumerate(readings):
        following = readings[position + 1] if position + 1 < len(readings) else None
        if reading.event == "change-out" and (following is None or following.event != "change-in"):
            raise InvalidCase(
                f"{reading.path}.event",
                "차량 변경(change-out) 다음에는 새 차량 기록(change-in)이 와야 합니다 "
                "(a change-out must be followed directly by a change-in, E-7)",
            )
        previous = readings[position - 1] if position else None
        if reading.event == "change-in" and (previous is None or previous.event != "change-out"):
            raise InvalidCase(
                f"{reading.path}.event",
                "change-in은 change-out 바로 다음에만 올 수 있습니다 "
                "(a change-in must follow a change-out, E-7)",
            )


def check_first_registration(readings: Sequence[Reading], registered_on: date | None) -> None:
    """ECO-6 / PILOT-4: the first registration cannot come after the initial reading."""
    first = readings[0]
    if registered_on is not None and first.effective_on is not None:
        if registered_on > first.effective_on:
            raise InvalidCase(
                "vehicle.first_registered",
                f"최초 등록일이 최초 기록({first.effective_on})보다 늦습니다 "
                f"(after the initial reading's date {first.effective_on})",
            )
