"""Malformed requests to the API get 4xx JSON `{code, message}`, never HTML or a traceback."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from mileage.core.errors import DomainError
from tests import factories

pytestmark = pytest.mark.django_db

KEYS_URL = "/api/v1/partners/keys"


@pytest.fixture
def staff_client() -> Client:
    client = Client()
    client.force_login(factories.partner_user("insurer"))
    return client


def assert_json_error(response, status: int, code: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["message"], str) and body["message"]
    assert "Traceback" not in response.content.decode()
    if code is not None:
        assert body["code"] == code
    return body


def test_bad_json_is_400_request_malformed(staff_client: Client) -> None:
    response = staff_client.post(KEYS_URL, data="{not json", content_type="application/json")
    assert_json_error(response, 400, "request.malformed")


def test_wrong_types_are_422_with_the_field_named(staff_client: Client) -> None:
    response = staff_client.post(
        KEYS_URL, data={"name": ["a list"], "permissions": "x"}, content_type="application/json"
    )
    body = assert_json_error(response, 422, "request.invalid")
    locs = [tuple(e["loc"]) for e in body["errors"]]
    assert any("name" in loc for loc in locs) and any("permissions" in loc for loc in locs)


def test_missing_body_is_a_4xx_json_error(staff_client: Client) -> None:
    response = staff_client.post(KEYS_URL)
    assert response.status_code in (400, 422)
    assert_json_error(response, response.status_code)


def test_json_that_is_not_an_object_is_refused(staff_client: Client) -> None:
    response = staff_client.post(KEYS_URL, data="[1, 2]", content_type="application/json")
    assert response.status_code in (400, 422)
    assert_json_error(response, response.status_code)


def test_huge_body_is_413_and_creates_nothing(staff_client: Client) -> None:
    from mileage.partners.models import ApiKey

    before = ApiKey.objects.count()
    big = json.dumps({"name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    response = staff_client.post(KEYS_URL, data=big, content_type="application/json")
    assert_json_error(response, 413, "request.too_large")
    assert ApiKey.objects.count() == before


def test_unknown_permission_is_a_domain_error_and_leaves_no_key(staff_client: Client) -> None:
    from mileage.partners.models import ApiKey

    response = staff_client.post(
        KEYS_URL,
        data={"name": "x", "permissions": ["walking:steps"]},
        content_type="application/json",
    )
    assert_json_error(response, 400, "partner.permission_not_allowed")
    response = staff_client.post(
        KEYS_URL, data={"name": "x", "permissions": ["no:such"]}, content_type="application/json"
    )
    assert_json_error(response, 400, "partner.unknown_permission")
    assert ApiKey.objects.count() == 0


def test_wrong_method_is_405_json() -> None:
    response = Client().delete("/api/v1/districts")
    assert_json_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_unknown_api_path_is_404_json() -> None:
    assert_json_error(Client().get("/api/v1/no/such/thing"), 404, "not_found")


def test_unknown_district_is_404_json() -> None:
    assert_json_error(Client().get("/api/v1/districts/99999"), 404, "not_found")


def test_wrong_path_type_is_json() -> None:
    client = Client()
    client.force_login(factories.city_manager())
    response = client.post("/api/v1/partners/keys/abc/revoke")
    assert response.status_code in (404, 422)
    assert_json_error(response, response.status_code)


def test_session_post_without_csrf_token_is_403_json() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.partner_user("insurer"))
    response = client.post(KEYS_URL, data={"name": "x"}, content_type="application/json")
    assert_json_error(response, 403, "auth.csrf_failed")


def test_session_post_with_csrf_token_works() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.partner_user("insurer"))
    client.get("/")  # the page's logout form sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        KEYS_URL,
        data={"name": "x"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content


def test_domain_error_becomes_code_and_message() -> None:
    from mileage.site.api import _domain_error

    class Conflict(DomainError):
        code = "test.conflict"
        message = "이미 처리되었습니다."
        status = 409

    response = _domain_error(None, Conflict(detail={"id": 3}))  # type: ignore[arg-type]
    assert response.status_code == 409
    assert json.loads(response.content) == {
        "code": "test.conflict",
        "message": "이미 처리되었습니다.",
        "detail": {"id": 3},
    }


def test_unexpected_exception_is_500_json_without_traceback(caplog) -> None:  # type: ignore[no-untyped-def]
    from mileage.site.api import _server_error

    response = _server_error(Client().get("/").wsgi_request, RuntimeError("boom"))
    assert response.status_code == 500
    body = json.loads(response.content)
    assert body["code"] == "server_error" and "boom" not in response.content.decode()


def test_page_404_is_html_korean() -> None:
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "페이지를 찾을 수 없습니다" in response.content.decode()
