"""A step feed nested 3,000 deep is 422 in Korean, not a RecursionError (issue #13, finding 5);
so is any API body nested deeper than the limit, before anything parses it."""

from __future__ import annotations

import pytest
from django.test import Client

from mileage.core.input import MAX_JSON_DEPTH
from mileage.walking.models import StepReport
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("depth", [3_000, 100_000])
def test_step_feed_nested_thousands_deep_is_422(walkon, depth: int) -> None:
    _, token = factories.api_key("walking_app")
    body = b'{"rows": ' + b"[" * depth + b"]" * depth + b"}"
    answer = Client(headers={"X-API-Key": token}).post(
        "/api/v1/walking/steps", body, content_type="application/json"
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "request.too_deep" and "중첩" in answer.json()["message"]
    assert not StepReport.objects.exists()


def test_a_body_just_within_the_depth_limit_reaches_the_schema(walker) -> None:
    client = Client()
    client.force_login(walker)
    nested = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    answer = client.post(
        "/api/v1/ledger/donations", f'{{"x": {nested}}}', content_type="application/json"
    )
    assert answer.status_code == 422 and answer.json()["code"] == "request.invalid"
