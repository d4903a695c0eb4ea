"""Issue #13, finding 8: an unsafe request saying `multipart/form-data` without a boundary is a
400 with the usual JSON error on every API operation and for every role (it was a 500 on 17–18
of the 51 operations for signed-in people and on some for partner keys), and a 400 page on the
site's forms."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories
from tests.platform.matrix import KEY_ROLES, ROLES, SESSION_ROLES, Row, World
from tests.platform.test_authorization_matrix import ROWS

UNSAFE = [row for _, row in ROWS if row.method in {"POST", "PUT", "PATCH", "DELETE"}]
API_ROWS = [row for row in UNSAFE if row.path.startswith("/api/")]
BROKEN_TYPES = [
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/mixed",
    "multipart/form-data; boundary=잘못된",
]


def _client(role: str, world: World) -> tuple[Client, dict[str, str]]:
    """Signed-in people with the CSRF cookie and header as a browser sends them (the CSRF check
    is enforced, so it too reads the body)."""
    client = Client(enforce_csrf_checks=True)
    headers: dict[str, str] = {}
    if role in SESSION_ROLES:
        client.force_login(world[SESSION_ROLES[role]])
        client.cookies["csrftoken"] = "a" * 32
        headers["X-CSRFToken"] = "a" * 32
    if role in KEY_ROLES:
        headers["X-API-Key"] = world[KEY_ROLES[role]].token
    return client, headers


@pytest.mark.django_db
@pytest.mark.parametrize("row", API_ROWS, ids=[f"{r.method} {r.path}" for r in API_ROWS])
def test_multipart_without_boundary_is_a_json_400_on_every_api_operation(row: Row) -> None:
    world = World()
    if row.setup is not None:
        world.update(row.setup(world))
    path = row.path.format_map(world)
    for role in ROLES:
        client, headers = _client(role, world)
        for content_type in BROKEN_TYPES:
            response = getattr(client, row.method.lower())(
                path, data=b"--x\r\n\r\n", content_type=content_type, headers=headers
            )
            assert response.status_code == 400, (role, content_type, response.content[:300])
            body = response.json()
            assert body["code"] == "request.malformed", body
            assert "multipart" in body["message"] and "올바르지" in body["message"]


@pytest.mark.django_db
def test_multipart_without_boundary_on_a_page_form_is_the_400_page() -> None:
    client = Client()
    client.force_login(factories.mapo_citizen())
    response = client.post("/vehicles/new/", data=b"x", content_type="multipart/form-data")
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]


@pytest.mark.django_db
def test_a_good_multipart_body_still_reaches_the_view() -> None:
    """The check looks only at a broken header: a real form post is parsed as before."""
    _, token = factories.api_key("walking_app")
    client = Client(headers={"X-API-Key": token})
    response = client.post(
        "/api/v1/walking/steps/csv",
        data=b'--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--b--\r\n',
        content_type="multipart/form-data; boundary=b",
    )
    assert response.status_code == 422 and response.json()["code"] == "request.invalid"
