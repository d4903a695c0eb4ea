"""Partner API keys: stored hashed with a visible prefix, scoped permissions, revocable."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from mileage.partners.auth import ApiKeyAuth
from mileage.partners.models import ApiKey
from tests import factories

pytestmark = pytest.mark.django_db


def get(path: str, token: str):  # type: ignore[no-untyped-def]
    return Client().get(path, headers={"X-API-Key": token})


def test_the_database_holds_only_the_prefix_and_the_sha256() -> None:
    key, token = factories.api_key("insurer")
    stored = ApiKey.objects.get(pk=key.pk)
    assert token.startswith(stored.prefix + "_")
    assert stored.hashed == hashlib.sha256(token.encode()).hexdigest()
    row = str(ApiKey.objects.filter(pk=key.pk).values().get())
    assert token not in row


def test_a_key_tells_who_it_belongs_to() -> None:
    _key, token = factories.api_key("walking_app")
    body = get("/api/v1/me", token).json()
    assert body["kind"] == "partner_key"
    assert body["partner"]["kind"] == "walking_app"
    assert "walking:steps" in body["permissions"]


def test_a_revoked_key_no_longer_authenticates() -> None:
    key, token = factories.api_key("insurer")
    assert get("/api/v1/partners/self", token).status_code == 200
    key.revoke()
    response = get("/api/v1/partners/self", token)
    assert response.status_code == 401 and response.json()["code"] == "auth.required"


def test_a_key_of_an_inactive_partner_is_refused() -> None:
    key, token = factories.api_key("merchant")
    key.partner.is_active = False
    key.partner.save()
    assert get("/api/v1/partners/self", token).status_code == 401


def test_a_key_without_the_permission_is_403() -> None:
    _key, token = factories.api_key("insurer", permissions=["pilot:readings"])
    response = get("/api/v1/partners/self", token)
    assert response.status_code == 403
    assert response.json()["code"] == "auth.permission_denied"


def test_a_guessed_or_mangled_token_is_401() -> None:
    _key, token = factories.api_key("insurer")
    for bad in [token[:-1] + ("A" if token[-1] != "A" else "B"), token.split("_")[1], "x" * 500]:
        assert get("/api/v1/me", bad).status_code == 401


def test_unknown_permission_names_fail_at_import_time() -> None:
    with pytest.raises(ValueError, match="unknown permission"):
        ApiKeyAuth("walking:stepz")


def test_partner_staff_issue_a_key_and_see_the_token_once() -> None:
    client = Client()
    client.force_login(factories.partner_user("walking_app"))
    response = client.post(
        "/partner/keys/", {"name": "운영 서버", "permissions": ["walking:steps"]}
    )
    assert response.status_code == 200
    token = response.context["created_token"]
    assert token and token in response.content.decode()
    assert get("/api/v1/me", token).json()["permissions"] == ["walking:steps"]
    listing = client.get("/partner/keys/").content.decode()
    assert token not in listing and token.split("_")[1] in listing


def test_partner_staff_revoke_only_their_own_keys_via_htmx() -> None:
    own, own_token = factories.api_key("insurer")
    other, _ = factories.api_key("other_insurer")
    client = Client()
    client.force_login(factories.partner_user("insurer"))
    response = client.post(f"/partner/keys/{own.pk}/revoke/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "폐기됨" in response.content.decode()
    assert get("/api/v1/me", own_token).status_code == 401
    assert client.post(f"/partner/keys/{other.pk}/revoke/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
