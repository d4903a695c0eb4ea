"""Photo intake (C-1): check an upload really is a photo, read its capture date, strip location
metadata, and store it once by content hash.

Order matters for safety: size first (before reading it all), then the header's pixel count
(before decoding: a tiny PNG can claim 20,000 × 20,000 pixels), then a full decode (catches
truncated files). What is stored is a fresh JPEG whose only EXIF tag is DateTimeOriginal, so
GPS and every other location or device tag is gone (HEIC becomes JPEG, which browsers show).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import uuid
import warnings
from dataclasses import dataclass
from typing import BinaryIO

import imagehash
import pillow_heif
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from . import errors

log = logging.getLogger(__name__)

pillow_heif.register_heif_opener()
ImageFile.LOAD_TRUNCATED_IMAGES = False

ACCEPTED_FORMATS = {"JPEG", "PNG", "HEIF"}
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 0x9003


def max_bytes() -> int:
    return int(getattr(settings, "READING_PHOTO_MAX_BYTES", 15 * 1024 * 1024))


def max_pixels() -> int:
    # 64 megapixels: above any phone's default mode, far below a decompression bomb.
    return int(getattr(settings, "READING_PHOTO_MAX_PIXELS", 64_000_000))


@dataclass(frozen=True)
class CheckedPhoto:
    """An upload that passed every check, ready to store (nothing written yet)."""

    content: bytes  # the GPS-free JPEG to store
    sha256: str
    original_sha256: str
    phash: str
    source_format: str
    width: int
    height: int
    taken_at: dt.datetime | None

    @property
    def taken_on(self) -> dt.date | None:
        return self.taken_at.date() if self.taken_at else None


def _read_limited(upload: BinaryIO) -> bytes:
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise errors.PhotoTooLarge()
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise errors.PhotoTooLarge()
    if not data:
        raise errors.PhotoNotAnImage()
    return data


def _capture_datetime(image: Image.Image) -> dt.datetime | None:
    """C-1: EXIF DateTimeOriginal ("YYYY:MM:DD HH:MM:SS"), or None if absent or unreadable."""
    try:
        raw = image.getexif().get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL)
    except Exception:  # a broken EXIF block is "no capture date", not a refusal
        return None
    if isinstance(raw, bytes):
        raw = raw.decode("ascii", "ignore")
    if not isinstance(raw, str):
        return None
    try:
        return dt.datetime.strptime(raw.strip().rstrip("\x00")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def check_photo(upload: BinaryIO) -> CheckedPhoto:
    """Verify an upload by its content and prepare the stored copy; raises a `PhotoError`."""
    data = _read_limited(upload)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise errors.PhotoTooManyPixels() from exc
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            raise errors.PhotoNotAnImage() from exc
        if image.format not in ACCEPTED_FORMATS:
            raise errors.PhotoNotAnImage()
        width, height = image.size
        if width <= 0 or height <= 0:
            raise errors.PhotoNotAnImage()
        if width * height > max_pixels():  # before decoding a single pixel
            raise errors.PhotoTooManyPixels()
        source_format = image.format
        taken_at = _capture_datetime(image)
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise errors.PhotoTooManyPixels() from exc
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise errors.PhotoDamaged() from exc
    image = ImageOps.exif_transpose(image)  # keep what the phone showed, then drop the EXIF
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    content = _encode_without_location(image, taken_at)
    return CheckedPhoto(
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        original_sha256=hashlib.sha256(data).hexdigest(),
        phash=str(imagehash.phash(image)),
        source_format=source_format,
        width=image.width,
        height=image.height,
        taken_at=taken_at,
    )


def _encode_without_location(image: Image.Image, taken_at: dt.datetime | None) -> bytes:
    """A new JPEG carrying only DateTimeOriginal: no GPS IFD, no maker notes, no device data."""
    exif = Image.Exif()
    if taken_at is not None:
        exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def storage_name(sha256: str) -> str:
    return f"photos/{sha256[:2]}/{sha256[2:4]}/{sha256}.jpg"


def phash_bands(phash_hex: str) -> tuple[int, int, int, int]:
    """The 64-bit perceptual hash as four 16-bit integers (near-duplicate index, see Photo)."""
    value = int(phash_hex, 16)
    return tuple((value >> shift) & 0xFFFF for shift in (48, 32, 16, 0))  # type: ignore[return-value]


def hamming(a_hex: str, b_hex: str) -> int:
    return (int(a_hex, 16) ^ int(b_hex, 16)).bit_count()


def write_once(checked: CheckedPhoto, written: list[str]) -> str:
    """Write the stored copy unless that content is already stored; note new files in `written`
    so that the caller can remove them if its transaction fails.

    A storage that refuses the write (a full disk, an object store that is down or denies the
    request) refuses the upload with a Korean message; the caller's transaction then leaves no
    reading behind."""
    name = storage_name(checked.sha256)
    try:
        if default_storage.exists(name):
            return name
        saved = default_storage.save(name, ContentFile(checked.content))
    except Exception as exc:  # OSError from disks, botocore errors from S3-compatible stores
        log.error("photo storage refused %s: %r", name, exc)
        raise errors.PhotoNotStored() from exc
    written.append(saved)
    return saved


def read_upload(upload: BinaryIO | None) -> bytes:
    """The bytes of an upload within the size limit, not checked further (the checks run later
    on a worker: `check_photo` on `open_incoming`)."""
    if upload is None:
        raise errors.PhotoMissing()
    return _read_limited(upload)


def write_incoming(data: bytes, written: list[str]) -> str:
    """Keep an unchecked upload until a worker checks it (`incoming/<random>`); a storage that
    refuses the write refuses the upload, as `write_once` does."""
    name = f"incoming/{uuid.uuid4().hex}"
    try:
        saved = default_storage.save(name, ContentFile(data))
    except Exception as exc:
        log.error("photo storage refused %s: %r", name, exc)
        raise errors.PhotoNotStored() from exc
    written.append(saved)
    return saved


def open_incoming(name: str) -> BinaryIO:
    with default_storage.open(name, "rb") as f:
        return io.BytesIO(f.read())


def discard(written: list[str]) -> None:
    """Remove files written for an upload that was refused afterwards (best effort: a file left
    behind is content-addressed and harmless; the next identical photo reuses it)."""
    for name in written:
        try:
            default_storage.delete(name)
        except Exception as exc:
            log.warning("photo storage could not delete %s: %r", name, exc)
