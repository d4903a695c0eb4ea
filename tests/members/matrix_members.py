"""Matrix rows for joining and the account pages (mileage.members)."""

from __future__ import annotations

from tests.platform.matrix import Row, expect

# Joining is for visitors; a signed-in person is sent to the dashboard (or back to step 1).
VISITORS = expect(anonymous=200, keys=200, people=302)

CASES: list[Row] = [
    Row("GET", "/signup/", VISITORS),
    Row(
        "POST",
        "/signup/",
        expect(anonymous=400, keys=400, people=302),
        form={"name": "박새봄", "birth_date": "1991-04-17", "phone": "bad"},
        note="a refused step 1 re-renders the form with errors",
    ),
    Row("GET", "/signup/verify/", expect(302), note="no step 1 yet: back to /signup/"),
    Row("POST", "/signup/verify/", expect(302), form={"code": "123456"}),
    Row("GET", "/signup/account/", expect(302), note="not verified: back to /signup/"),
    Row("POST", "/signup/account/", expect(302), form={"username": "x"}),
    Row("GET", "/dev/messages/", expect(200), note="development page of the local SMS gateway"),
]

SIGNED_IN = expect(anonymous=302, keys=302, people=200)

CASES += [
    Row("GET", "/account/", SIGNED_IN),
    Row("GET", "/account/verify/", SIGNED_IN),
    Row(
        "POST",
        "/account/verify/",
        expect(anonymous=302, keys=302, people=400),
        form={"name": "", "birth_date": "", "phone": ""},
    ),
    Row("GET", "/account/verify/code/", expect(302), note="nothing started: back a step"),
    Row("POST", "/account/verify/code/", expect(302), form={"code": "123456"}),
    Row("GET", "/account/notices/", expect(anonymous=302, keys=302, people=405)),
    Row(
        "POST",
        "/account/notices/",
        expect(anonymous=302, keys=302, people=400),
        form={"non_essential": "on"},
        note="알림 수신 설정: no channel chosen is refused (each person's own settings only)",
    ),
    Row("GET", "/account/password/", SIGNED_IN),
    Row(
        "POST",
        "/account/password/",
        expect(anonymous=302, keys=302, people=400),
        form={"old_password": "wrong"},
    ),
    Row(
        "GET",
        "/account/consents/{item}/",
        expect(anonymous=302, keys=302, people=405),
        setup=lambda w: {"item": "sms_news"},
    ),
    Row(
        "POST",
        "/account/consents/{item}/",
        expect(anonymous=302, keys=302, people=302),
        form={"action": "withdraw"},
        setup=lambda w: {"item": "sms_news"},
        note="anyone signed in manages only their own consents",
    ),
    Row("GET", "/account/data/", SIGNED_IN),
    Row(
        "POST",
        "/account/data/",
        SIGNED_IN,
        note="the ZIP of the signed-in person's own rows",
    ),
    Row("GET", "/account/close/", SIGNED_IN),
    Row(
        "POST",
        "/account/close/",
        expect(
            anonymous=302,
            keys=302,
            citizen=400,
            mapo_official=403,
            jung_official=403,
            city=403,
            partner_user=403,
        ),
        form={"balance": "0", "confirm": "on", "password": "wrong"},
        note="only citizens close their account here; a wrong password is refused",
    ),
    Row("GET", "/password/reset/", expect(200)),
    Row(
        "POST",
        "/password/reset/",
        expect(302),
        form={"username": "nobody", "phone": "010-1234-5678"},
        note="looks the same whether or not the account exists",
    ),
    Row("GET", "/password/reset/verify/", expect(302)),
    Row("POST", "/password/reset/verify/", expect(302), form={"code": "123456"}),
    Row("GET", "/password/reset/new/", expect(302)),
    Row("POST", "/password/reset/new/", expect(302), form={"password1": "x"}),
]
