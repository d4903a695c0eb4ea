"""Scheduled jobs' last results (issue #14): the city's schedule page shows, per beat task, when
it last ran and what came of it. django-celery-results is not installed (no result backend), so
the end of every task named in `CELERY_BEAT_SCHEDULE` is kept in `JobResult`, one row per task,
by Celery's task_postrun / task_failure signals (connected in `CoreConfig.ready`)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.utils import timezone

from .models import JobResult

log = logging.getLogger(__name__)


def scheduled_tasks() -> set[str]:
    return {entry["task"] for entry in getattr(settings, "CELERY_BEAT_SCHEDULE", {}).values()}


def summary_of(result: Any) -> str:
    """A job's return value as a short line (a dict as "key=value, ...")."""
    if result is None:
        return ""
    if isinstance(result, dict):
        text = ", ".join(f"{key}={value}" for key, value in result.items())
    else:
        text = str(result)
    return text[:300]


def record(task: str, *, ok: bool, summary: str) -> None:
    JobResult.objects.update_or_create(
        task=task, defaults={"finished_at": timezone.now(), "ok": ok, "summary": summary[:300]}
    )


def on_postrun(sender: Any = None, retval: Any = None, state: str | None = None, **_: Any) -> None:
    name = getattr(sender, "name", None)
    if name not in scheduled_tasks():
        return
    try:
        if state == "SUCCESS":
            record(name, ok=True, summary=summary_of(retval))
        else:
            record(name, ok=False, summary=f"{state}: {summary_of(retval)}")
    except Exception:  # the page's record must never fail the job itself
        log.exception("job result of %s not recorded", name)


def connect() -> None:
    from celery.signals import task_postrun

    task_postrun.connect(on_postrun, weak=False, dispatch_uid="mileage-job-results")


# The scheduled jobs as the city's schedule page names them (task name -> Korean description).
JOB_LABELS: dict[str, str] = {
    "walking.accrue_day": "전날 걸음 수 보행 마일리지 적립 (자정 이후)",
    "walking.settle_challenges": "끝난 걷기 챌린지 정산",
    "walking.reward_campaigns": "전날 걷기 캠페인 참여 보상 지급 (기준 걸음 이상 걸은 참여자)",
    "walking.ensure_partitions": "걸음 기록의 다음 달 저장 공간(월별 파티션) 미리 만들기",
    "mileage.ledger.tasks.return_stale_holds": "오래된 사용 보류분 되돌리기",
    "mileage.ledger.tasks.daily_expiry": "유효기간이 지난 마일리지 소멸과 소멸 예정 안내",
    "mileage.core.tasks.deliver_notices": "보낼 알림(문자·이메일) 발송",
    "mileage.evaluations.tasks.schedule_eco12_run": (
        "격월 에코마일리지 평가 만들기 (지난 업로드 기간, 승인 대기까지)"
    ),
    "mileage.evaluations.tasks.schedule_seasonal_run": (
        "5월 계절관리제 특별포인트 평가 만들기 (승인 대기까지)"
    ),
}


def job_label(task: str) -> str:
    return JOB_LABELS.get(task, task)
