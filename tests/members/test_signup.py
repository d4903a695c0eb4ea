"""회원가입 through the real pages: consents, 본인인증 with the code from the local SMS gateway,
one account per CI, under-14 refused with the legal reason, errors next to their field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from mileage.accounts.models import User
from mileage.members import consents
from mileage.members.identity import local_ci
from mileage.members.models import Consent

from .support import NEW_RESIDENT, finish, last_code, sign_up, start_signup, verify

pytestmark = pytest.mark.django_db


def test_home_and_login_pages_link_to_signup() -> None:
    client = Client()
    for page in ("/", "/login/"):
        html = client.get(page).content.decode()
        assert '<a href="/signup/">회원가입</a>' in html or 'href="/signup/">회원가입</a>' in html


def test_new_resident_joins_with_verified_identity_and_consents() -> None:
    client = Client()
    response = sign_up(client, consent_sms_news="on")
    assert response.status_code == 302 and response.url == "/dashboard/"
    user = User.objects.get(username="saebom")
    assert user.ci == local_ci("박새봄", dt.date(1991, 4, 17))
    assert (user.display_name, user.phone, user.birth_date) == (
        "박새봄",
        "010-2741-3391",
        dt.date(1991, 4, 17),
    )
    assert user.district.code == "11440" and user.role == "citizen"
    assert user.identity_verified_at is not None and user.check_password("봄날의-자전거-2026")
    stored = {c.item: c for c in Consent.objects.filter(user=user)}
    assert set(stored) == {"terms", "personal_info", "sms_news"}  # research was not ticked
    assert stored["terms"].version == consents.BY_KEY["terms"].version
    assert stored["terms"].wording == consents.BY_KEY["terms"].wording
    assert stored["sms_news"].required is False and stored["terms"].required is True
    assert client.get("/dashboard/").status_code == 200  # signed in


@pytest.mark.parametrize("phone", ["010-2741-3391", "01027413391", "+82 10 2741 3391"])
def test_phone_in_any_common_format(phone: str) -> None:
    client = Client()
    assert start_signup(client, phone=phone).status_code == 302
    assert verify(client, "010-2741-3391").status_code == 302


def test_a_ci_already_joined_is_refused_at_verification() -> None:
    sign_up(Client())
    client = Client()
    assert start_signup(client, phone="010-2741-0000").status_code == 302
    response = verify(client, "010-2741-0000")
    assert response.status_code == 409
    html = response.content.decode()
    assert "이미 가입된 분입니다" in html and 'role="alert"' in html
    assert User.objects.filter(display_name="박새봄").count() == 1


def test_the_database_refuses_a_second_account_for_one_ci() -> None:
    from django.db import IntegrityError, transaction

    sign_up(Client())
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="other", ci=User.objects.get(username="saebom").ci)


def test_under_14_is_refused_with_the_legal_reason_and_no_code_is_sent() -> None:
    from mileage.members.models import SmsMessage

    today = timezone.localdate()
    birth = today.replace(year=today.year - 14) + dt.timedelta(days=1)  # 14 tomorrow
    response = start_signup(Client(), birth_date=birth.isoformat())
    html = response.content.decode()
    assert response.status_code == 400
    assert "만 14세 미만은 법정대리인 동의 필요" in html and "개인정보보호법 제22조의2" in html
    assert 'role="alert"' in html and 'value="박새봄"' in html  # the form keeps what was typed
    assert not SmsMessage.objects.exists()
    birth = today.replace(year=today.year - 14)  # 14 today: may join
    assert start_signup(Client(), birth_date=birth.isoformat()).status_code == 302


def test_bad_phone_and_missing_consent_are_shown_next_to_their_fields() -> None:
    client = Client()
    response = client.post(
        "/signup/", {**NEW_RESIDENT, "phone": "02-123-4567", "consent_terms": "on"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="phone-error"' in html and "휴대전화 번호를 확인해 주세요" in html
    assert 'id="consent_personal_info-error"' in html and "필수 항목에 동의" in html
    assert 'aria-invalid="true"' in html and 'class="field-error" role="alert"' in html
    assert 'value="02-123-4567"' in html and 'value="박새봄"' in html


def test_wrong_code_is_shown_next_to_the_field_and_can_be_retried() -> None:
    client = Client()
    start_signup(client)
    right = last_code(NEW_RESIDENT["phone"])
    response = verify(client, code="000000" if right != "000000" else "111111")
    html = response.content.decode()
    assert response.status_code == 400 and 'id="code-error"' in html and "4번 더" in html
    assert verify(client, code=right).status_code == 302


def test_five_wrong_codes_then_a_wait_on_the_page() -> None:
    client = Client()
    start_signup(client)
    right = last_code(NEW_RESIDENT["phone"])
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(4):
        assert verify(client, code=wrong).status_code == 400
    response = verify(client, code=wrong)
    assert response.status_code == 429 and "분 뒤에 다시" in response.content.decode()
    assert verify(client, code=right).status_code == 429
    response = client.post("/signup/verify/", {"resend": "1"})  # no new code during the wait
    assert response.status_code == 429


def test_resend_sends_a_new_code() -> None:
    from mileage.members.models import SmsMessage

    client = Client()
    start_signup(client)
    response = client.post("/signup/verify/", {"resend": "1"})
    assert response.status_code == 302
    assert SmsMessage.objects.filter(phone=NEW_RESIDENT["phone"]).count() == 2
    assert verify(client).status_code == 302


def test_steps_cannot_be_skipped() -> None:
    client = Client()
    assert client.get("/signup/verify/").url == "/signup/"
    start_signup(client)
    assert client.get("/signup/account/").url == "/signup/"  # not verified yet
    assert finish(client).status_code == 302 and not User.objects.filter(username="saebom")


def test_username_taken_and_password_mismatch_keep_the_form() -> None:
    from tests import factories

    factories.mapo_citizen()
    client = Client()
    start_signup(client)
    verify(client)
    response = finish(client, username="mapo-citizen")
    assert response.status_code == 409 and "이미 사용 중인 아이디" in response.content.decode()
    response = client.post(
        "/signup/account/",
        {
            "username": "saebom",
            "password1": "봄날의-자전거-2026",
            "password2": "다름",
            "district": "11440",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400 and "두 비밀번호가 같지 않습니다" in html
    assert 'value="saebom"' in html
    assert not User.objects.filter(username="saebom").exists()


def test_verified_page_shows_the_birth_date_in_korean_format() -> None:
    client = Client()
    start_signup(client)
    verify(client)
    html = client.get("/signup/account/").content.decode()
    assert "1991. 4. 17." in html and "1991-04-17" not in html


def test_new_resident_enrols_their_own_car_from_the_registry(settings) -> None:  # type: ignore[no-untyped-def]
    from mileage.vehicles.errors import NotEligible
    from mileage.vehicles.services import register_vehicle
    from tests import factories

    settings.VEHICLE_REGISTRY_PATH = ""  # the shipped demo registry with the new residents
    client = Client()
    sign_up(client)
    user = User.objects.get(username="saebom")
    assert (
        "차량을 등록하면 자동차 등록원부로 확인합니다" in client.get("/account/").content.decode()
    )
    vehicle = register_vehicle(user, "57누1203")
    assert vehicle.owner == user and vehicle.district.code == "11440"
    assert "자동차 등록원부로 확인됨" in client.get("/account/").content.decode()
    with pytest.raises(NotEligible):  # another new resident's car
        register_vehicle(user, "58누2204")
    with pytest.raises(NotEligible):  # a demo citizen without that CI cannot take it
        register_vehicle(factories.mapo_citizen(), "58누2204")


def test_pilot_member_made_by_an_insurer_claims_the_account() -> None:
    pilot_member = User(
        username="hanwha-policy-77", role="citizen", display_name="박새봄", phone="01027413391"
    )
    pilot_member.set_unusable_password()
    pilot_member.save()
    client = Client()
    start_signup(client)
    verify(client)
    assert "이어받습니다" in client.get("/signup/account/").content.decode()
    response = finish(client, username="saebom")
    assert response.status_code == 302
    pilot_member.refresh_from_db()
    assert pilot_member.username == "saebom" and pilot_member.has_usable_password()
    assert pilot_member.ci == local_ci("박새봄", dt.date(1991, 4, 17))
    assert User.objects.filter(display_name="박새봄").count() == 1


def test_a_member_with_a_password_is_not_claimable_by_name_and_phone() -> None:
    from tests import factories

    other = factories.person("someone", display_name="박새봄", password=factories.PASSWORD)
    other.phone = "010-2741-3391"
    other.save()
    client = Client()
    start_signup(client)
    verify(client)
    assert finish(client).status_code == 302
    other.refresh_from_db()
    assert other.username == "someone" and other.ci is None


def _pilot_enrol(member_ci: str, plate: str) -> Any:
    from mileage.pilot import programmes
    from mileage.pilot.models import Method
    from mileage.pilot.services.enrol import enrol
    from tests import factories
    from tests.pilot.conftest import request

    pilot = programmes.pilot_2014()
    insurer = factories.partner("insurer")
    programmes.join(pilot, insurer, [Method.PHOTO])
    data = request(plate, member_ci=member_ci, member_name="박새봄")
    return enrol(pilot, insurer, data, today=dt.date(2014, 10, 15))


def _registry_with(settings: Any, tmp_path: Any, ci: str) -> None:
    path = tmp_path / "registry.csv"
    path.write_text(
        "plate,owner_key,owner_name,owner_ci,kind,seats,use,fuel,first_registered_on,"
        "district_code,co_owner_keys,co_owner_names\n"
        f"57누1203,,박새봄,{ci},passenger,5,private,gasoline,2010-06-14,11440,,\n",
        encoding="utf-8",
    )
    settings.VEHICLE_REGISTRY_PATH = str(path)


def test_insurer_enrolment_of_a_joined_members_car_goes_to_their_account(
    settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    sign_up(Client())
    member = User.objects.get(username="saebom")
    _registry_with(settings, tmp_path, member.ci)
    users = User.objects.count()
    enrolment = _pilot_enrol(member.ci, "57누1203")
    assert enrolment.member == member and User.objects.count() == users + 1  # + the API actor


def test_insurer_made_account_carries_the_ci_and_is_claimed_at_signup(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ci = local_ci("박새봄", dt.date(1991, 4, 17))
    _registry_with(settings, tmp_path, ci)
    enrolment = _pilot_enrol(ci, "57누1203")
    made = enrolment.member
    assert made.ci == ci and not made.has_usable_password()
    assert made.username.startswith("pilot-member-")
    client = Client()
    start_signup(client)
    verify(client)
    assert "이어받습니다" in client.get("/signup/account/").content.decode()
    assert finish(client, username="saebom").status_code == 302
    made.refresh_from_db()
    assert made.username == "saebom" and made.has_usable_password()
    assert made.pilot_enrolments.get() == enrolment
