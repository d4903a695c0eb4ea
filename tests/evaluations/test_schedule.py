"""The scheduler (issue #14): ECO-12 odd-month runs for the window just ended (Mar–Apr in June),
the May seasonal run (ECO-15), created runs stop at the preview, a job run twice creates one run,
and the city's schedule page shows every job with its last and next run and result."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from mileage.core.models import JobResult
from mileage.evaluations import schedule, services, tasks
from mileage.evaluations.models import EvaluationRun, RunStatus
from mileage.ledger.models import Transaction
from tests.factories import jung_official, mapo_citizen

from .conftest import WINDOW

D = dt.date


@pytest.mark.django_db  # current_parameters() reads the approved changes
@pytest.mark.parametrize(
    ("today", "window"),
    [
        (D(2027, 1, 1), (D(2026, 11, 1), D(2026, 12, 31))),
        (D(2026, 3, 1), (D(2026, 1, 1), D(2026, 2, 28))),
        (D(2028, 3, 1), (D(2028, 1, 1), D(2028, 2, 29))),
        (D(2026, 5, 1), None),  # May is the seasonal run's
        (D(2026, 6, 1), (D(2026, 3, 1), D(2026, 4, 30))),  # ECO-12: Mar–Apr in June
        (D(2026, 7, 1), (D(2026, 5, 1), D(2026, 6, 30))),
        (D(2026, 9, 1), (D(2026, 7, 1), D(2026, 8, 31))),
        (D(2026, 11, 1), (D(2026, 9, 1), D(2026, 10, 31))),
        (D(2026, 2, 1), None),
        (D(2026, 12, 1), None),
    ],
)
def test_eco12_the_window_of_each_month(today, window) -> None:
    assert schedule.eco12_window(today) == window


@pytest.mark.django_db
def test_eco15_the_seasonal_window_is_evaluated_in_may() -> None:
    assert schedule.seasonal_window(D(2025, 5, 1)) == (D(2025, 3, 16), D(2025, 4, 30))
    assert schedule.seasonal_window(D(2025, 4, 30)) is None  # not over yet


def test_both_jobs_are_in_the_beat_schedule_kept_in_the_database() -> None:
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    jobs = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    eco12 = jobs["mileage.evaluations.tasks.schedule_eco12_run"]
    seasonal = jobs["mileage.evaluations.tasks.schedule_seasonal_run"]
    assert eco12.day_of_month == {1} and len(eco12.month_of_year) == 12
    assert seasonal.day_of_month == {1} and seasonal.month_of_year == {5}


@pytest.mark.django_db
def test_eco12_job_creates_the_run_once_stopped_at_the_preview(vehicles) -> None:
    said = tasks.schedule_eco12_run.delay("2025-07-01").get()
    run = EvaluationRun.objects.get()
    assert (run.window_from, run.window_to) == WINDOW
    assert run.status == RunStatus.EVALUATED and run.started_by is None  # waits for sign-off
    assert run.results.exists() and not Transaction.objects.exists()
    assert "승인 대기" in said
    # the job again, and again after the city cancelled its run: nothing new
    assert "이미 만든 평가" in tasks.schedule_eco12_run.delay("2025-07-01").get()
    services.cancel(run, None, "다시 만들 예정")
    assert "이미 만든 평가" in tasks.schedule_eco12_run.delay("2025-07-02").get()
    assert EvaluationRun.objects.count() == 1
    result = JobResult.objects.get(task="mileage.evaluations.tasks.schedule_eco12_run")
    assert result.ok and "이미 만든 평가" in result.summary


@pytest.mark.django_db
def test_eco12_job_creates_nothing_over_a_live_run_the_city_started(vehicles, manager) -> None:
    manual = services.start_run(manager, D(2025, 6, 1), D(2025, 6, 30))
    said = tasks.schedule_eco12_run.delay("2025-07-01").get()
    assert f"평가 #{manual.pk}" in said and EvaluationRun.objects.count() == 1
    assert "만들 평가가 없습니다" in tasks.schedule_eco12_run.delay("2025-08-01").get()


@pytest.mark.django_db
def test_seasonal_job_creates_the_may_run(manager) -> None:
    tasks.schedule_seasonal_run.delay("2025-05-01").get()
    tasks.schedule_seasonal_run.delay("2025-05-01").get()
    run = EvaluationRun.objects.get()
    assert run.programme == "eco-seasonal" and run.status == RunStatus.EVALUATED
    assert (run.window_from, run.window_to) == (D(2025, 3, 16), D(2025, 4, 30))


@pytest.mark.django_db
def test_the_city_schedule_page_lists_every_job_with_last_next_and_result(manager, client) -> None:
    client.force_login(manager)
    dashboard = client.get("/dashboard/").content.decode()
    assert 'href="/city/schedule/"' in dashboard
    page = client.get("/city/schedule/").content.decode()
    assert "격월 에코마일리지 평가 만들기" in page and "5월 계절관리제 특별포인트" in page
    assert "보행 마일리지 적립" in page and "알림" in page
    assert page.count("<tr>") - 1 == len(settings.CELERY_BEAT_SCHEDULE)
    assert "기록 없음" in page and "mileage.evaluations" not in page
    tasks.schedule_seasonal_run.delay("2025-05-01").get()
    page = client.get("/city/schedule/").content.decode()
    assert "성공 · 평가 #" in page
    for other in (mapo_citizen(), jung_official()):
        client.force_login(other)
        assert client.get("/city/schedule/").status_code == 403
