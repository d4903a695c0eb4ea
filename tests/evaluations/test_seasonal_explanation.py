"""ECO-15..17 on the citizen's page: a seasonal result is explained by the seasonal rules (the
season, the ECO-16 threshold, the ECO-15 award), not by the eco-car cycle's explanation."""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarks.synthetic_vehicles import load
from mileage.evaluations import services

from .test_mixed_histories import _read, _vehicle

pytestmark = pytest.mark.django_db
SEASON_WINDOW = (dt.date(2025, 3, 16), dt.date(2025, 4, 30))


def test_eco15_citizen_page_explains_a_seasonal_result_with_the_seasonal_rules(
    manager, client
) -> None:
    load(1, dt.date(2025, 5, 1), tag="season")  # the shared synthetic photo
    car = _vehicle("66가6666", dt.date(2015, 1, 1))
    _read(car, "initial", 40000, dt.date(2024, 6, 1))
    _read(car, "season-start", 45000, dt.date(2024, 11, 20))
    _read(car, "season-end", 46000, dt.date(2025, 3, 20))
    run = services.start_run(manager, *SEASON_WINDOW, programme="eco-seasonal")
    services.sign_off(services.run_evaluation(run), manager)  # citizens see signed-off runs only

    client.force_login(car.owner)
    page = client.get("/evaluations/mine/").content.decode()
    section = page[page.index("66가6666 · ") :]
    section = section[: section.index("</section>")]
    assert "2024–2025 계절관리제 특별포인트" in section and "10,000" in section
    assert "계절관리제 2024. 12. 1. ~ 2025. 3. 31." in section  # ECO-15: the season
    assert "(ECO-16)" in section and "1만 마일리지 (ECO-15)" in section
    assert "ECO-9" not in section and "ECO-6" not in section  # not the eco-car explanation
    assert "주기" not in section.split("</h3>")[0]  # a season is no eco-car cycle
