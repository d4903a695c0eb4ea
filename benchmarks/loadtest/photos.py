"""Two phone-sized photos (4000 × 3000 JPEG, about 1.5 MB each) for the deadline-day load test.

Made once with Pillow and kept (`var/loadtest/`); every upload reuses them. Their content is
smooth colour fields plus grain, so the JPEG really is that size (a flat image would be a few
kilobytes) and decoding and re-encoding it costs what a phone photo costs.

Each file carries EXIF DateTimeOriginal as the fixed-length placeholder `PLACEHOLDER`; the
load generator writes a different capture time over it for every photo it sends (`stamped`), so
every upload is distinct content and the server stores a new file for each (photos are stored
once per content hash), while no image is encoded on the generator's side.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

WIDTH, HEIGHT = 4000, 3000
TARGET_BYTES = 1_500_000
QUALITY = 88
PLACEHOLDER = b"2000:01:01 00:00:00"
NAMES = ("plate.jpg", "dashboard.jpg")
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 0x9003


def _pixels(seed: int, width: int, height: int, grain: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (max(2, height // 40), max(2, width // 40), 3), dtype=np.uint8)
    base = np.asarray(Image.fromarray(small).resize((width, height), Image.BICUBIC), np.float32)
    noise = rng.normal(0.0, grain, (height, width, 1)).astype(np.float32)
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def _encode(pixels: np.ndarray) -> bytes:
    exif = Image.Exif()
    exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = PLACEHOLDER.decode()
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="JPEG", quality=QUALITY, exif=exif.tobytes())
    return out.getvalue()


def _grain_for(seed: int, target: int, width: int, height: int) -> float:
    """The grain that gives about `target` bytes, searched on a 1/16 crop (size ~ area)."""
    low, high = 0.5, 40.0
    for _ in range(12):
        mid = (low + high) / 2
        size = len(_encode(_pixels(seed, width // 4, height // 4, mid))) * 16
        low, high = (mid, high) if size < target else (low, mid)
    return (low + high) / 2


def make(seed: int, target: int = TARGET_BYTES, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """One JPEG of `width` x `height` of about `target` bytes with the placeholder capture time."""
    data = _encode(_pixels(seed, width, height, _grain_for(seed, target, width, height)))
    assert data.count(PLACEHOLDER) == 1, "the capture-time placeholder must occur once"
    return data


def ensure(directory: Path) -> list[Path]:
    """The two photos in `directory`, made now if missing (takes a few seconds once)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / name for name in NAMES]
    for seed, path in enumerate(paths, start=1):
        if not path.exists() or PLACEHOLDER not in path.read_bytes():
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(make(seed))
            tmp.replace(path)
    return paths


def stamped(data: bytes, stamp: str) -> bytes:
    """`data` with the capture time `stamp` ("YYYY:MM:DD HH:MM:SS") over the placeholder."""
    value = stamp.encode()
    if len(value) != len(PLACEHOLDER):
        raise ValueError(f"capture time must be {len(PLACEHOLDER)} bytes: {stamp!r}")
    at = data.index(PLACEHOLDER)
    return data[:at] + value + data[at + len(value) :]
