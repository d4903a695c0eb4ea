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
