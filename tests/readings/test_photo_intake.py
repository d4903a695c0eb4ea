"""C-1 photo intake: real files accepted or refused by content, GPS stripped, stored once."""

from __future__ import annotations

import datetime as dt
import io

import piexif
import pytest
from django.core.files.storage import default_storage
from PIL import Image

from mileage.readings import errors
from mileage.readings.photos import check_photo
from tests.readings.support import bomb_png, heic_bytes, jpeg_bytes, png_bytes, upload

TAKEN = dt.datetime(2024, 3, 15, 9, 41, 7)


def test_c1_jpeg_with_exif_date_is_accepted_and_dated() -> None:
    checked = check_photo(upload(jpeg_bytes(1, taken=TAKEN)))
    assert checked.source_format == "JPEG"
    assert checked.taken_at == TAKEN
    assert checked.taken_on == dt.date(2024, 3, 15)


def test_c1_jpeg_without_exif_date_is_accepted_without_capture_date() -> None:
    checked = check_photo(upload(jpeg_bytes(1)))
    assert checked.taken_at is None


def test_png_is_accepted_and_stored_as_jpeg() -> None:
    checked = check_photo(upload(png_bytes(), "dash.png", "image/png"))
    assert checked.source_format == "PNG"
    assert Image.open(io.BytesIO(checked.content)).format == "JPEG"


def test_heic_from_an_iphone_is_accepted_with_its_capture_date() -> None:
    checked = check_photo(
        upload(heic_bytes(3, taken=TAKEN, gps=True), "IMG_0001.HEIC", "image/heic")
    )
    assert checked.source_format == "HEIF"
    assert checked.taken_at == TAKEN
    assert "GPS" not in _exif_sections(checked.content)


def _exif_sections(content: bytes) -> set[str]:
    loaded = piexif.load(content)
    return {k for k, v in loaded.items() if isinstance(v, dict) and v}


def test_gps_and_device_tags_are_removed_and_only_the_capture_date_is_kept() -> None:
    original = jpeg_bytes(4, taken=TAKEN, gps=True)
    assert piexif.load(original)["GPS"]  # the test file really carries a location
    checked = check_photo(upload(original))
    exif = piexif.load(checked.content)
    assert exif["GPS"] == {}
    assert piexif.ImageIFD.Make not in exif["0th"]
    assert exif["Exif"][piexif.ExifIFD.DateTimeOriginal] == b"2024:03:15 09:41:07"
    assert Image.open(io.BytesIO(checked.content)).getexif().get_ifd(0x8825) == {}


def test_a_text_file_named_jpg_is_refused_as_not_an_image() -> None:
    with pytest.raises(errors.PhotoNotAnImage) as refused:
        check_photo(upload("계기판 사진입니다. 정말로요.\n".encode() * 20, "dash.jpg"))
    assert "JPEG, PNG 또는 HEIC" in refused.value.message


def test_a_gif_is_refused_even_though_pillow_reads_it() -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(errors.PhotoNotAnImage):
        check_photo(upload(out.getvalue(), "dash.jpg"))


def test_a_truncated_jpeg_is_refused_as_damaged() -> None:
    data = jpeg_bytes(5, taken=TAKEN, size=(640, 480))
    with pytest.raises(errors.PhotoDamaged) as refused:
        check_photo(upload(data[: len(data) // 2]))
    assert "손상" in refused.value.message


def test_a_20000_by_20000_png_bomb_is_refused_before_decoding() -> None:
    data = bomb_png()
    assert len(data) < 2_000  # tiny on disk, 400 million pixels claimed
    with pytest.raises(errors.PhotoTooManyPixels) as refused:
        check_photo(upload(data, "dash.png", "image/png"))
    assert "해상도" in refused.value.message


def test_a_bomb_under_pillows_own_limit_is_still_refused_by_ours(settings) -> None:
    settings.READING_PHOTO_MAX_PIXELS = 1_000_000
    with pytest.raises(errors.PhotoTooManyPixels):
        check_photo(upload(bomb_png(2_000, 2_000), "dash.png", "image/png"))


def test_a_30_mb_file_is_refused_as_too_large() -> None:
    data = jpeg_bytes(6) + b"\0" * (30 * 1024 * 1024)
    with pytest.raises(errors.PhotoTooLarge) as refused:
        check_photo(upload(data))
    assert "15MB" in refused.value.message


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(errors.PhotoNotAnImage):
        check_photo(upload(b""))


def test_the_same_photo_gives_the_same_stored_content_and_hash(eco_settings) -> None:
    a = check_photo(upload(jpeg_bytes(7, taken=TAKEN, gps=True)))
    b = check_photo(upload(jpeg_bytes(7, taken=TAKEN, gps=True)))
    assert a.sha256 == b.sha256 and a.original_sha256 == b.original_sha256
    from mileage.readings.photos import storage_name, write_once

    written: list[str] = []
    write_once(a, written)
    write_once(b, written)
    assert written == [storage_name(a.sha256)]
    assert default_storage.exists(storage_name(a.sha256))
