"""The city's parameter pages (issue #14): Korean, guards at the edge (officials read, the city
proposes and decides, citizens nothing), four eyes on the page, a refused value keeps the form."""

from __future__ import annotations

import pytest

from mileage.core.models import ChangeState, ParameterChange
from tests.factories import city_manager, mapo_citizen, mapo_official, second_city_manager

pytestmark = pytest.mark.django_db
LIST = "/city/parameters/"
AVERAGE = "common.seoul_average_annual_km"
DETAIL = f"{LIST}{AVERAGE}/"
FORM = {
    "key": "2023",
    "value": "10050",
    "source": "국토교통부 통계누리 2023년 기준",
    "reason": "2023년 서울시 평균 주행거리 발표",
}


def test_citizens_see_nothing_officials_read_only(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(LIST).status_code == 302  # to the login page
    client.force_login(mapo_citizen())
    for url in (LIST, DETAIL, f"{LIST}pending/"):
        assert client.get(url).status_code == 403
    assert client.post(f"{DETAIL}propose/", FORM).status_code == 403
    client.force_login(mapo_official())
    page = client.get(LIST).content.decode()
    assert AVERAGE in page and "10,183" in page
    detail = client.get(DETAIL).content.decode()
    assert "변경 이력" in detail and "새 값 제안" not in detail
    assert client.post(f"{DETAIL}propose/", FORM).status_code == 403
    assert client.get(f"{LIST}pending/").status_code == 403
    assert not ParameterChange.objects.exists()


def test_propose_then_another_manager_approves_on_the_pages(client) -> None:  # type: ignore[no-untyped-def]
    proposer, approver = city_manager(), second_city_manager()
    client.force_login(proposer)
    assert "파라미터" in client.get("/dashboard/").content.decode()
    assert client.post(f"{DETAIL}propose/", FORM).status_code == 302
    change = ParameterChange.objects.get()
    pending = client.get(f"{LIST}pending/").content.decode()
    assert "제안 철회" in pending and "승인</button>" not in pending
    refused = client.post(f"{LIST}changes/{change.pk}/approve/")
    assert refused.status_code == 403
    assert "자신이 제안한 값" in refused.content.decode()
    client.force_login(approver)
    assert client.post(f"{LIST}changes/{change.pk}/approve/", {"note": "확인"}).status_code == 302
    change.refresh_from_db()
    assert (change.state, change.approver) == (ChangeState.APPROVED, approver)
    detail = client.get(DETAIL).content.decode()
    assert "2023년" in detail and "10,050" in detail and "승인된 변경" in detail
    assert "서울시 담당자" in detail and "서울시 검토자" in detail and FORM["source"] in detail


def test_a_wrong_unit_comes_back_in_korean_with_the_form_as_typed(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(city_manager())
    response = client.post(f"{DETAIL}propose/", dict(FORM, value="10,050km"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "숫자여야 합니다" in page and 'value="2023"' in page and "10,050km" in page
    assert FORM["reason"] in page
    assert not ParameterChange.objects.exists()


def test_reject_needs_a_reason_on_the_page(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(city_manager())
    client.post(f"{DETAIL}propose/", FORM)
    change = ParameterChange.objects.get()
    client.force_login(second_city_manager())
    response = client.post(f"{LIST}changes/{change.pk}/reject/", {"note": ""})
    assert response.status_code == 400 and "반려 사유" in response.content.decode()
    assert (
        client.post(f"{LIST}changes/{change.pk}/reject/", {"note": "출처 불명"}).status_code == 302
    )
    change.refresh_from_db()
    assert change.state == ChangeState.REJECTED
    assert client.post(f"{LIST}changes/999999/approve/").status_code == 404
