"""Where photos are stored (Django's STORAGES["default"]), chosen by the environment.

PHOTO_STORAGE=local (default): files under MEDIA_ROOT on this server.
PHOTO_STORAGE=s3: a private bucket on an S3-compatible store (AWS S3, NCP/NHN object storage,
MinIO, Ceph) through django-storages; PHOTO_S3_BUCKET, PHOTO_S3_ENDPOINT_URL, PHOTO_S3_REGION,
PHOTO_S3_PREFIX, PHOTO_S3_ADDRESSING_STYLE; credentials from AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY (or the machine's role). Nothing is public: people read photos through
the permission-checked view /eco/photos/<id>/, which streams them from the storage.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured


def photo_storage(env: Mapping[str, str]) -> dict[str, Any]:
    kind = env.get("PHOTO_STORAGE", "local").strip().lower() or "local"
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"PHOTO_STORAGE must be 'local' or 's3', not {kind!r}.")
    if not env.get("PHOTO_S3_BUCKET"):
        raise ImproperlyConfigured("PHOTO_STORAGE=s3 needs PHOTO_S3_BUCKET (the bucket's name).")
    options: dict[str, Any] = {
        "bucket_name": env["PHOTO_S3_BUCKET"],
        "endpoint_url": env.get("PHOTO_S3_ENDPOINT_URL") or None,
        "region_name": env.get("PHOTO_S3_REGION") or None,
        "location": env.get("PHOTO_S3_PREFIX", ""),
        "default_acl": "private",
        "querystring_auth": True,  # any URL the storage makes is signed and short-lived
        "querystring_expire": 300,
        "file_overwrite": False,
        "addressing_style": env.get("PHOTO_S3_ADDRESSING_STYLE") or None,
        "signature_version": "s3v4",
    }
    if env.get("AWS_ACCESS_KEY_ID"):
        options["access_key"] = env["AWS_ACCESS_KEY_ID"]
        options["secret_key"] = env.get("AWS_SECRET_ACCESS_KEY", "")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
