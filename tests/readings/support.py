"""Helpers for eco-mileage tests: real image files made in the test, a registry file, people.

Every photo is a real encoded file (Pillow + piexif); nothing is mocked.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib
from pathlib import Path
from typing import Any

import piexif
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

REGISTRY_ROWS = [
    # plate, owner_key, owner_name, kind, seats, use, fuel, first_registered_on, district, co-owner keys, names
    (
        "12가3456",
        "mapo-citizen",
        "김마포",
        "passenger",
        5,
        "private",
        "gasoline",
        "2018-05-02",
        "11440",
        "",
        "",
    ),
    (
        "34나5678",
        "mapo-citizen",
        "김마포",
        "van",
        11,
        "private",
        "diesel",
        "2024-03-01",
        "11440",
        "",
        "",
    ),
    (
        "44자5555",
        "mapo-citizen",
        "김마포",
        "passenger",
        5,
        "private",
        "hybrid",
        "2019-07-10",
        "11440",
        "",
        "",
    ),
    (
        "56다7890",
        "mapo-citizen",
        "김마포",
        "passenger",
        5,
        "commercial",
        "lpg",
        "2020-01-15",
        "11440",
        "",
        "",
    ),
    (
        "90마1111",
        "mapo-citizen",
        "김마포",
        "truck",
        3,
        "private",
        "diesel",
        "2017-02-01",
        "11440",
        "",
        "",
    ),
    (
        "33아4444",
        "mapo-citizen",
        "김마포",
        "van",
        15,
        "private",
        "diesel",
        "2016-09-09",
        "11440",
        "",
        "",
    ),
    (
        "11바2222",
        "mapo-citizen",
        "김마포",
        "passenger",
        5,
        "private",
        "gasoline",
        "2015-05-05",
        "41135",
        "",
        "",
    ),
    (
        "22사3333",
        "jung-citizen",
        "이중구",
        "passenger",
        5,
        "private",
        "gasoline",
        "2019-03-03",
        "11140",
        "mapo-citizen",
        "김마포",
    ),
    (
        "78라1234",
        "jung-citizen",
        "이중구",
        "passenger",
        5,
        "private",
        "electric",
        "2021-06-06",
        "11140",
        "",
        "",
    ),
]
HEADER = (
    "plate,owner_key,owner_name,kind,seats,use,fuel,first_registered_on,district_code,"
    "co_owner_keys,co_owner_names"
)


def write_registry(path: Path, rows: list[tuple[Any, ...]] = REGISTRY_ROWS) -> Path:
    lines = [HEADER] + [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def eco_settings(settings: Any, tmp_path: Path) -> Any:
    """MEDIA_ROOT in a temporary directory and the test registry file."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.VEHICLE_REGISTRY_PATH = str(write_registry(tmp_path / "registry.csv"))
    return settings  # FileSystemStorage re-reads MEDIA_ROOT on setting_changed


def stored_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- images ---------------------------------------------------------------------------------


def _picture(seed: int, size: tuple[int, int], text: str) -> Image.Image:
    """A distinct picture per seed (so perceptual hashes differ): stripes, blocks and text."""
    image = Image.new(
        "RGB", size, (20 + seed * 37 % 200, 30 + seed * 61 % 180, 40 + seed * 13 % 160)
    )
    draw = ImageDraw.Draw(image)
    w, h = size
    for i in range(8):
        bit = (seed >> i) & 1 or (seed * (i + 3)) % 5 == 0
        x0 = (i % 4) * w // 4
        y0 = (i // 4) * h // 2
        draw.rectangle(
            [x0, y0, x0 + w // 4 - 1, y0 + h // 2 - 1], fill=(250, 250, 250) if bit else (5, 5, 5)
        )
    draw.ellipse(
        [w // 3, h // 3, w // 3 + w // 4, h // 3 + h // 4], fill=((seed * 71) % 255, 90, 200)
    )
    draw.text((10, 10), text or f"#{seed}", fill=(255, 0, 0))
    return image


def exif_bytes(taken: dt.datetime | None = None, gps: bool = False) -> bytes:
    exif: dict[str, Any] = {"0th": {piexif.ImageIFD.Make: b"TestPhone"}, "Exif": {}, "GPS": {}}
    if taken is not None:
        exif["Exif"][piexif.ExifIFD.DateTimeOriginal] = taken.strftime("%Y:%m:%d %H:%M:%S").encode()
    if gps:
        exif["GPS"] = {
            piexif.GPSIFD.GPSLatitudeRef: b"N",
            piexif.GPSIFD.GPSLatitude: ((37, 1), (33, 1), (4512, 100)),
            piexif.GPSIFD.GPSLongitudeRef: b"E",
            piexif.GPSIFD.GPSLongitude: ((126, 1), (54, 1), (3012, 100)),
        }
    return piexif.dump(exif)


def jpeg_bytes(
    seed: int = 1,
    *,
    taken: dt.datetime | dt.date | None = None,
    gps: bool = False,
    size: tuple[int, int] = (320, 240),
    text: str = "",
) -> bytes:
    if isinstance(taken, dt.date) and not isinstance(taken, dt.datetime):
        taken = dt.datetime.combine(taken, dt.time(10, 30))
    out = io.BytesIO()
    _picture(seed, size, text).save(out, format="JPEG", quality=88, exif=exif_bytes(taken, gps))
    return out.getvalue()


def png_bytes(seed: int = 2, size: tuple[int, int] = (300, 200)) -> bytes:
    out = io.BytesIO()
    _picture(seed, size, "png").save(out, format="PNG")
    return out.getvalue()


def heic_bytes(seed: int = 3, taken: dt.datetime | None = None, gps: bool = False) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    _picture(seed, (256, 192), "heic").save(
        out, format="HEIF", quality=80, exif=exif_bytes(taken, gps)
    )
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A few hundred bytes claiming width × height pixels (never decoded, never allocated)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def upload(
    data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def photos(day: dt.date | None, seed: int, *, gps: bool = False) -> dict[str, SimpleUploadedFile]:
    """A plate photo and a dashboard photo taken on `day` (None: without EXIF dates)."""
    return {
        "plate_photo": upload(jpeg_bytes(seed, taken=day, gps=gps, text="12가3456"), "plate.jpg"),
        "dashboard_photo": upload(
            jpeg_bytes(seed + 1000, taken=day, gps=gps, text="ODO"), "dash.jpg"
        ),
    }


def today() -> dt.date:
    return timezone.localdate()


def enrolled(plate: str = "12가3456") -> Any:
    from mileage.vehicles.services import register_vehicle
    from tests.factories import mapo_citizen

    return register_vehicle(mapo_citizen(), plate)


def submit(
    vehicle: Any,
    event: str,
    km: int,
    on: dt.date,
    seed: int,
    *,
    taken: Any = "same",
    actor: Any = None,
    gps: bool = False,
) -> Any:
    from mileage.readings.services import submit_reading

    day = on if taken == "same" else taken
    return submit_reading(
        actor or vehicle.owner, vehicle, event=event, km=km, today=on, **photos(day, seed, gps=gps)
    )


def approved(reading: Any, official: Any = None) -> Any:
    from mileage.readings.services import approve_reading
    from tests.factories import mapo_official

    return approve_reading(official or mapo_official(), reading, version=reading.version)
