"""Pilot pages: the member's figures and explanation (PILOT-5..8), insurer isolation, the city's
totals and transfer export, the FAQ, dashboard panels."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from mileage.evaluations import services as runs
from mileage.partners.models import Partner
from mileage.pilot import programmes
from mileage.pilot.models import BankAccount, Enrolment
from mileage.pilot.services.bank import set_bank_account
from mileage.pilot.services.evaluate import start_pilot_run
from tests import factories
from tests.pilot.conftest import hicar
from tests.pilot.support import evaluated_pair, obd_enrolment

pytestmark = pytest.mark.django_db


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _staff(partner: Partner) -> Any:
    from mileage.accounts.models import Role, User

    user, _ = User.objects.get_or_create(
        username=f"staff-{partner.slug}", defaults={"role": Role.PARTNER}
    )
    partner.members.add(user)
    return user


def _evaluated(manager: Any) -> tuple[Enrolment, Enrolment]:
    ev, petrol = evaluated_pair()
    set_bank_account(ev.member, bank_name="우리은행", holder_name="이전기", number="0123456789")
    run = start_pilot_run(manager, dt.date(2015, 4, 1), dt.date(2015, 5, 31))
    runs.sign_off(run, manager)
    runs.pay_due(run, dt.date(2015, 6, 19))
    return ev, petrol


def test_pilot5_member_sees_six_month_km_reduction_and_incentive_with_explanation(
    programme: Any,
) -> None:
    ev, _ = _evaluated(factories.city_manager())
    page = _as(ev.member).get("/pilot/").content.decode()
    # PILOT-5: 1,500 km over 186 days → daily 8.06 km × 180 = 1,451.61 km
    assert "1,451.61km" in page
    assert "72%" in page and "42,000원" in page  # PILOT-6, PILOT-7 (+20% electric)
    assert "전기차 20% 추가" in page and "(PILOT-4)" in page  # the engine's Korean trace
    assert "2015. 6. 19. ~ 2015. 6. 29." in page  # PILOT-8 window
    assert "****-****-6789" in page and "0123456789" not in page


def test_pilot7_member_estimate_uses_the_rules_engine_and_refuses_bad_input(
    programme: Any,
) -> None:
    waiting = obd_enrolment(
        "34나5678",
        "pilot-lee",
        contract_on=dt.date(2014, 10, 15),
        readings=[("initial", 30000, dt.date(2014, 10, 16))],
    )
    set_bank_account(waiting.member, bank_name="우리은행", holder_name="이", number="0123456789")
    client = _as(waiting.member)
    page = client.get("/pilot/").content.decode()
    assert "최종 주행거리가 확인되면" in page and "예상 인센티브 계산" in page
    url = f"/pilot/enrolments/{waiting.pk}/estimate/"
    found = client.get(url, {"km": 31500, "on": "2015-04-20"}).content.decode()
    assert 'data-testid="estimate"' in found and "42,000원" in found
    bad = client.get(url, {"km": "많이", "on": "2015-04-20"})
    assert bad.status_code == 400 and "숫자" in bad.content.decode()
    assert not Enrolment.objects.get(pk=waiting.pk).readings.filter(event="final").exists()


def test_pilot8_bank_account_form_refuses_bad_numbers_and_shows_only_the_mask(
    programme: Any,
) -> None:
    member = factories.mapo_citizen()
    client = _as(member)
    bad = client.post(
        "/pilot/bank-account/", {"bank_name": "국민", "holder_name": "김", "number": "12-34"}
    )
    assert bad.status_code == 400 and "숫자 10~16자리" in bad.content.decode()
    assert not BankAccount.objects.exists()
    good = client.post(
        "/pilot/bank-account/",
        {"bank_name": "국민은행", "holder_name": "김마포", "number": "123456-01-234567"},
        follow=True,
    )
    text = good.content.decode()
    assert "****-****-4567" in text and "12345601234567" not in text


def test_insurer_sees_only_its_own_enrolments(programme: Any) -> None:
    ev, petrol = evaluated_pair()  # both enrolled through 현대하이카다이렉트
    hicar_staff = _as(_staff(hicar()))
    page = hicar_staff.get("/pilot/insurer/").content.decode()
    assert "34나5678" in page and "12가3456" in page
    assert hicar_staff.get(f"/pilot/enrolments/{ev.pk}/").status_code == 200

    hanwha_staff = _as(factories.partner_user("insurer"))
    other = hanwha_staff.get("/pilot/insurer/").content.decode()
    assert "34나5678" not in other and "가입한 차량이 없습니다" in other
    assert hanwha_staff.get(f"/pilot/enrolments/{ev.pk}/").status_code == 404
    assert hanwha_staff.get(f"/pilot/enrolments/{petrol.pk}/").status_code == 404


def test_city_sees_totals_per_insurer_chart_and_downloads_transfers(programme: Any) -> None:
    manager = factories.city_manager()
    _evaluated(manager)
    city = _as(manager)
    page = city.get("/pilot/city/").content.decode()
    totals = page[page.index('data-testid="totals"') :]
    row = re.search(r"현대하이카다이렉트</th>(.*?)</tr>", totals, re.S)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1))
    assert cells[0] == "2" and cells[4] == "1" and cells[5] == "42,000"  # enrolled, awarded, won
    assert '<svg class="pilot-chart"' in page and "보험사별 인센티브" in page

    listed = city.get("/pilot/city/transfers/", {"on": "2015-06-19"}).content.decode()
    assert "42,000원" in listed and "0123456789" not in listed  # masked until the export
    csv_file = city.post(
        "/pilot/city/transfers/", {"on": "2015-06-19", "format": "csv", "reason": "6월 이체"}
    )
    assert csv_file["Content-Type"] == "text/csv"
    assert csv_file.content.startswith(b"\xef\xbb\xbf") and b"0123456789" in csv_file.content
    xlsx = city.post(
        "/pilot/city/transfers/", {"on": "2015-06-19", "format": "xlsx", "reason": "6월 이체"}
    )
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"
    refused = city.post("/pilot/city/transfers/", {"on": "6월", "format": "csv"})
    assert refused.status_code == 400 and "YYYY-MM-DD" in refused.content.decode()


def test_city_starts_a_pilot_run_from_the_page(programme: Any) -> None:
    evaluated_pair()
    city = _as(factories.city_manager())
    answer = city.post(
        "/pilot/city/evaluate/", {"window_from": "2015-04-01", "window_to": "2015-05-31"}
    )
    assert answer.status_code == 302 and "/evaluations/runs/" in answer["Location"]
    bad = city.post("/pilot/city/evaluate/", {"window_from": "4월", "window_to": "2015-05-31"})
    assert bad.status_code == 400


def test_faq_page_has_the_eleven_questions_and_the_insurers_contacts(programme: Any) -> None:
    programmes.join(
        programmes.pilot_2014(),
        hicar(),
        ["photo", "obd"],
        homepage="http://www.hicardirect.com/",
        phone="1577-1001",
    )
    page = Client().get("/pilot/help/").content.decode()
    questions = re.findall(r'<dt id="q(\d\d)">', page)
    assert questions == [f"{n:02d}" for n in range(1, 12)]
    assert "손해보험사의 마일리지 특약" in page and "계기판 사진을 조작" in page
    assert "http://www.hicardirect.com/" in page and "1577-1001" in page


def test_dashboards_have_pilot_panels_by_role(programme: Any) -> None:
    manager = factories.city_manager()
    ev, _ = _evaluated(manager)
    assert "42,000원" in _as(ev.member).get("/dashboard/").content.decode()
    insurer = _as(_staff(hicar())).get("/dashboard/").content.decode()
    assert "승용차 마일리지 시범사업" in insurer and "/pilot/insurer/" in insurer
    city = _as(manager).get("/dashboard/").content.decode()
    assert "현대하이카다이렉트: 가입 2대" in city
