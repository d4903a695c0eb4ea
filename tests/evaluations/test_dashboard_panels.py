"""The evaluation pages are reachable from each role's dashboard (ECO-5..12): the citizen sees the
latest evaluation and wallet with a link to 나의 평가와 마일리지; officials and the city the runs."""

from __future__ import annotations

import pytest

from mileage.accounts.models import User
from mileage.evaluations import services
from mileage.evaluations.models import Result
from tests.factories import mapo_official

from .conftest import PAY_ON, WINDOW

pytestmark = pytest.mark.django_db


def test_eco12_dashboards_link_the_evaluation_pages(vehicles, manager, client) -> None:
    run = services.run_evaluation(services.start_run(manager, *WINDOW))
    services.sign_off(run, manager)
    services.pay_due(run, PAY_ON)
    awarded = Result.objects.filter(run=run, mileage__gt=0).order_by("vehicle_id").first()

    client.force_login(User.objects.get(pk=awarded.owner_id))
    page = client.get("/dashboard/").content.decode()
    assert 'href="/evaluations/mine/"' in page
    assert f'data-testid="panel-wallet">{awarded.mileage:,}<' in page

    client.force_login(manager)
    page = client.get("/dashboard/").content.decode()
    assert f'href="/evaluations/runs/{run.pk}/"' in page and "평가 실행 목록" in page

    client.force_login(mapo_official())
    assert "우리 구 평가 결과" in client.get("/dashboard/").content.decode()
