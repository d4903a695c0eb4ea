"""Demo readings (run after the vehicles seed): every stage of eco-mileage for cars, with
Pillow-drawn plate and dashboard photos carrying EXIF capture dates, so each role has
something to do on first login. Idempotent: a vehicle that has readings is left alone.

- 12가3456 (citizen-001): two years in; cycle 1 closed and evaluated; cycle 2's window open now
- 34나5678 (citizen-001): initial reading waiting for the Mapo-gu official
- 45다6789 (citizen-002): waiting, flagged (same photo as another car, no capture date, old photo)
- 67마8901 (citizen-002): rejected, with an open appeal (이의신청)
- 96하7890 (citizen-002): approved; the annual window opens within a week (reminder in the outbox)
- 56라7890 (citizen-003): ended early by transfer after ~10 months (ECO-11)
- 78바9012 (citizen-004, Jung-gu) and one car in every district: waiting for review
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zlib
from pathlib import Path
from typing import Any, TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from demo.vehicles import DISTRICT_CARS
from mileage.accounts.models import User
from mileage.readings.services import (
    approve_reading,
    end_participation,
    open_appeal,
    reject_reading,
    submit_reading,
)
from mileage.readings.services.reminders import send_window_reminders
from mileage.rules import add_years
from mileage.vehicles.models import Vehicle

FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
]


def _font(size: int) -> Any:
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _jpeg(image: Image.Image, taken: dt.date | None) -> bytes:
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769)[0x9003] = f"{taken:%Y:%m:%d} 10:{taken.day % 60:02d}:00"
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, exif=exif.tobytes())
    return out.getvalue()


def _scene(draw: ImageDraw.ImageDraw, seed: int, dark: bool = False) -> None:
    """A different street (or cabin) behind every photo, so real near-duplicate checks stay quiet."""
    rng = random.Random(seed)
    for _ in range(14):
        x, y = rng.randrange(0, 760), rng.randrange(0, 460)
        w, h = rng.randrange(40, 300), rng.randrange(40, 260)
        base = 10 if dark else 40
        colour = tuple(rng.randrange(base, base + (60 if dark else 215)) for _ in range(3))
        draw.rectangle([x, y, x + w, y + h], fill=colour)


def plate_photo(plate: str, taken: dt.date | None, tint: int = 0) -> SimpleUploadedFile:
    """A car's rear with its white number plate (번호판)."""
    image = Image.new("RGB", (800, 500), (60 + tint % 120, 70 + tint * 7 % 100, 90 + tint * 3 % 90))
    draw = ImageDraw.Draw(image)
    _scene(draw, zlib.crc32(f"{plate}:{tint}".encode()))
    draw.rounded_rectangle([60, 40, 740, 330], radius=40, fill=(30 + tint % 60, 30, 40))
    draw.rectangle([170, 340, 630, 450], fill=(250, 250, 250), outline=(20, 20, 20), width=6)
    draw.text((400, 395), plate, font=_font(64), fill=(10, 10, 10), anchor="mm")
    return SimpleUploadedFile("plate.jpg", _jpeg(image, taken), content_type="image/jpeg")


def dashboard_photo(km: int, taken: dt.date | None, tint: int = 0) -> SimpleUploadedFile:
    """An instrument cluster whose odometer (누적주행거리) reads `km`."""
    image = Image.new("RGB", (800, 500), (12, 14, 18))
    draw = ImageDraw.Draw(image)
    _scene(draw, zlib.crc32(f"{km}:{tint}".encode()), dark=True)
    for cx in (220, 580):
        draw.ellipse([cx - 160, 70, cx + 160, 390], outline=(200, 210, 230), width=8)
        draw.line([cx, 230, cx - 90 + tint % 180, 120], fill=(240, 80, 40), width=8)
    draw.rectangle([270, 400, 530, 470], fill=(30, 40, 30), outline=(120, 200, 120), width=3)
    draw.text((400, 435), f"ODO {km:,} km", font=_font(34), fill=(160, 255, 160), anchor="mm")
    return SimpleUploadedFile("dashboard.jpg", _jpeg(image, taken), content_type="image/jpeg")


def _submit(
    vehicle: Vehicle, event: str, km: int, on: dt.date, *, taken: Any = "same", tint: int = 0
) -> Any:
    day = on if taken == "same" else taken
    return submit_reading(
        vehicle.owner,
        vehicle,
        event=event,
        km=km,
        today=on,
        plate_photo=plate_photo(vehicle.plate, day, tint),
        dashboard_photo=dashboard_photo(km, day, tint),
    )


def _official(code: str) -> User:
    return User.objects.get(username=f"official-{code}-office")


def _approve(reading: Any) -> Any:
    return approve_reading(
        _official(reading.vehicle.district.code), reading, version=reading.version
    )


def _stories(vehicles: dict[str, Vehicle], today: dt.date) -> int:
    done = 0
    v = vehicles.get("12가3456")
    if v:
        start = add_years(today, -2) - dt.timedelta(days=10)
        _approve(_submit(v, "initial", 82_000, start, tint=1))
        cycle = v.cycles.get(number=1)
        _approve(_submit(v, "annual", 89_400, cycle.window_opens_on + dt.timedelta(days=3), tint=2))
        done += 1
    v = vehicles.get("34나5678")
    if v:
        _submit(v, "initial", 41_250, today, taken=today - dt.timedelta(days=2), tint=3)
        done += 1
    v = vehicles.get("45다6789")
    if v:
        shared = dashboard_photo(41_250, today - dt.timedelta(days=2), 3)  # 34나5678's photo again
        submit_reading(
            v.owner,
            v,
            event="initial",
            km=63_100,
            today=today,
            plate_photo=plate_photo(v.plate, None, 4),
            dashboard_photo=shared,
        )
        done += 1
    v = vehicles.get("67마8901")
    if v:
        reading = _submit(v, "initial", 120_500, today - dt.timedelta(days=6), tint=5)
        official = _official(v.district.code)
        reject_reading(
            official, reading, version=1, reason="plate_unreadable", note="번호판이 흐립니다."
        )
        open_appeal(
            v.owner,
            reading=reading,
            body="번호판이 선명한 사진을 다시 첨부합니다.",
            photos=[plate_photo(v.plate, today - dt.timedelta(days=1), 6)],
        )
        done += 1
    v = vehicles.get("96하7890")
    if v:
        _approve(_submit(v, "initial", 30_900, add_years(today, -1) + dt.timedelta(days=5), tint=7))
        done += 1
    v = vehicles.get("56라7890")
    if v:
        start = today - dt.timedelta(days=300)
        _approve(_submit(v, "initial", 140_000, start, tint=8))
        ended_on = today - dt.timedelta(days=2)
        end = end_participation(
            v.owner,
            v,
            reason="transfer",
            ended_on=ended_on,
            km=146_300,
            today=today,
            plate_photo=plate_photo(v.plate, ended_on, 9),
            dashboard_photo=dashboard_photo(146_300, ended_on, 9),
        )
        _approve(end)
        done += 1
    v = vehicles.get("78바9012")
    if v:
        _submit(v, "initial", 22_000, today - dt.timedelta(days=1), tint=10)
        done += 1
    for i, (plate, _owner) in enumerate(DISTRICT_CARS):
        v = vehicles.get(plate)
        if v:
            _submit(v, "initial", 15_000 + 3_731 * i, today - dt.timedelta(days=i % 5), tint=20 + i)
            done += 1
    return done


def seed(out: TextIO) -> None:
    today = timezone.localdate()
    fresh = {
        v.plate: v
        for v in Vehicle.objects.filter(readings__isnull=True).select_related("owner", "district")
    }
    done = _stories(fresh, today)
    reminders = send_window_reminders(today)
    out.write(
        f"readings: {done} vehicles given their story; {reminders} window reminders in the outbox\n"
    )
