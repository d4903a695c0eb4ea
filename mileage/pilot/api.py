"""JSON API of programmes run through partners (PILOT-1..10, ECO-18), mounted at /api/v1/pilot/.

Insurers (X-API-Key with `pilot:readings`) enrol vehicles and send photo or signed OBD readings
and see only their own enrolments; carmakers (`connected:readings`) send signed connected-car
readings (ECO-18); members set their bank account; the city evaluates and sees the totals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from mileage.accounts import scope
from mileage.core.guards import SessionAuth
from mileage.core.input import Day, FormKm, Km, PastDay, PastMoment, PathId, StrictBool, Text
from mileage.evaluations.services import totals as run_totals
from mileage.partners.auth import ApiKeyAuth
from mileage.privacy import access
from mileage.privacy.models import AccessKind

from . import errors
from .models import Enrolment
from .programmes import pilot_2014
from .services import bank, photo, signed
from .services.enrol import EnrolmentRequest, enrol
from .services.evaluate import start_pilot_run

router = Router(tags=["pilot"])


class ConsentIn(Schema):
    given: StrictBool
    wording: Text(2000, multiline=True) = ""
    version: Text(20) = ""
    consented_at: PastMoment | None = None


CI_PATTERN = r"^[A-Za-z0-9+/]{86}==$"


class EnrolIn(Schema):
    plate: Text(20, min_length=1)
    member_ci: Text(88) = Field(
        pattern=CI_PATTERN,
        description=(
            "보험 가입자의 연계정보(CI, 88자 Base64): 보험사의 본인확인으로 얻은 값. 자동차 "
            "등록원부의 대표 소유자와 일치해야 가입됩니다 (PILOT-2)."
        ),
    )
    member_name: Text(50, min_length=1)
    member_phone: Text(20) = ""
    policy_number: Text(40, min_length=1)
    contract_on: Day
    contract_kind: Text(10) = "new"
    method: Text(10) = "photo"
    obd_device_id: Text(64) = ""
    consent: ConsentIn


def enrolment_out(e: Enrolment) -> dict[str, Any]:
    outcome = getattr(e, "outcome", None)
    return {
        "id": e.pk,
        "slot": e.slot,
        "partner": e.partner.slug,
        "plate": e.vehicle.plate,
        "contract_on": e.contract_on.isoformat(),
        "method": e.method,
        "status": e.status,
        "void_reason": e.void_reason,
        "readings": [
            {
                "event": r.event,
                "km": r.km,
                "uploaded_on": r.uploaded_on.isoformat(),
                "review": r.reading.status if r.reading_id else "verified",
            }
            for r in e.readings.select_related("reading")
        ],
        "outcome": None
        if outcome is None
        else {
            "status": outcome.status,
            "mileage": outcome.mileage,
            "reduction_pct": outcome.reduction_pct,
            "payment_on": outcome.payment_on.isoformat() if outcome.payment_on else None,
            "payment_by": outcome.payment_by.isoformat() if outcome.payment_by else None,
        },
    }


def _own(request: Any, enrolment_id: int) -> Enrolment:
    """An insurer sees only its own enrolments: another's id is 404, never 403 (no probing)."""
    found = Enrolment.objects.filter(pk=enrolment_id, partner=request.auth).first()
    if found is None:
        raise errors.EnrolmentNotFound()
    return found


@router.post("/enrolments", auth=ApiKeyAuth("pilot:readings"), response={201: dict})
def create_enrolment(request: Any, payload: EnrolIn) -> Status:
    """PILOT-1/PILOT-2: enrol a policyholder's vehicle (first come first served)."""
    data = EnrolmentRequest(
        plate=payload.plate,
        member_ci=payload.member_ci,
        member_name=payload.member_name,
        member_phone=payload.member_phone,
        policy_number=payload.policy_number,
        contract_on=payload.contract_on,
        contract_kind=payload.contract_kind,
        method=payload.method,
        obd_device_id=payload.obd_device_id,
        consent_given=payload.consent.given,
        consent_wording=payload.consent.wording,
        consent_version=payload.consent.version,
        consented_at=payload.consent.consented_at,
    )
    enrolment = enrol(pilot_2014(), request.auth, data)
    return Status(201, enrolment_out(enrolment))


@router.get("/enrolments", auth=ApiKeyAuth("pilot:readings"))
def list_enrolments(request: Any) -> list[dict[str, Any]]:
    rows = Enrolment.objects.filter(partner=request.auth).select_related("partner", "vehicle")
    out = [enrolment_out(e) for e in rows[:500]]
    access.record(
        request, AccessKind.ENROLMENT, subject_count=len(out), record="시범사업 가입 목록"
    )
    return out


@router.get("/enrolments/{enrolment_id}", auth=ApiKeyAuth("pilot:readings"))
def get_enrolment(request: Any, enrolment_id: PathId) -> dict[str, Any]:
    enrolment = _own(request, enrolment_id)
    access.record(
        request,
        AccessKind.ENROLMENT,
        subject=enrolment.member,
        record=f"시범사업 가입 #{enrolment.slot}",
    )
    return enrolment_out(enrolment)


@router.post(
    "/enrolments/{enrolment_id}/photo-readings",
    auth=ApiKeyAuth("pilot:readings"),
    response={201: dict},
)
def photo_reading(
    request: Any,
    enrolment_id: PathId,
    event: Form[Text(12, min_length=1)],
    km: Form[FormKm],
    plate_photo: File[UploadedFile],
    dashboard_photo: File[UploadedFile],
    sent_on: Form[PastDay | None] = None,
    changed_on: Form[PastDay | None] = None,
    new_plate: Form[str] = "",  # checked by normalise_plate (a Korean plate or BadPlate)
) -> Status:
    """PILOT-3 photo readings, through the readings app's checks and district review."""
    enrolment = _own(request, enrolment_id)
    row, message = photo.submit_photo_reading(
        enrolment,
        request.auth,
        event=event,
        km=km,
        plate_photo=plate_photo,
        dashboard_photo=dashboard_photo,
        sent_on=sent_on,
        changed_on=changed_on,
        new_plate=new_plate,
    )
    return Status(
        201,
        {
            "id": row.pk,
            "event": row.event,
            "review": "submitted",
            "message": message,
            "deadline_on": row.deadline_on.isoformat() if row.deadline_on else None,
        },
    )


class SignedIn(Schema):
    key_id: Text(40, min_length=1)
    plate: Text(20, min_length=1)
    km: Km
    device_id: Text(64, min_length=1)
    timestamp: Text(40, min_length=1)
    signature: Text(64, min_length=1)
    event: Text(12, min_length=1)
    changed_on: PastDay | None = None


def _signed(request: Any, payload: SignedIn) -> Status:
    row, message = signed.receive(
        request.auth,
        signed.SignedReading(
            key_id=payload.key_id,
            plate=payload.plate,
            km=payload.km,
            device_id=payload.device_id,
            timestamp=payload.timestamp,
            signature=payload.signature,
            event=payload.event,
            changed_on=payload.changed_on,
        ),
    )
    return Status(201, {"id": row.pk, "event": row.event, "method": row.method, "message": message})


@router.post("/signed-readings", auth=ApiKeyAuth("pilot:readings"), response={201: dict})
def obd_reading(request: Any, payload: SignedIn) -> Status:
    """PILOT-3 OBD readings, HMAC-SHA256 signed with the insurer's signing key."""
    return _signed(request, payload)


@router.post("/connected-readings", auth=ApiKeyAuth("connected:readings"), response={201: dict})
def connected_reading(request: Any, payload: SignedIn) -> Status:
    """ECO-18: a carmaker's telematics reading for a consenting eco-mileage member."""
    return _signed(request, payload)


class BankIn(Schema):
    bank_name: Text(30, min_length=1)
    holder_name: Text(50, min_length=1)
    number: Text(40, min_length=1)


@router.put("/bank-account", auth=SessionAuth(scope.is_citizen))
def set_bank_account(request: Any, payload: BankIn) -> dict[str, Any]:
    """PILOT-8: the member's payout account; answered masked."""
    account = bank.set_bank_account(
        request.user,
        bank_name=payload.bank_name,
        holder_name=payload.holder_name,
        number=payload.number,
    )
    return {
        "bank_name": account.bank_name,
        "holder_name": account.holder_name,
        "number": account.masked,
    }


@router.get("/me", auth=django_auth)
def my_enrolments(request: Any) -> list[dict[str, Any]]:
    rows = Enrolment.objects.filter(member=request.user).select_related("partner", "vehicle")
    return [enrolment_out(e) for e in rows]


@router.get("/summary", auth=SessionAuth(scope.is_city))
def summary(request: Any) -> list[dict[str, Any]]:
    """The city's totals per insurer (서울시 담당자 only)."""
    rows = (
        Enrolment.objects.values("partner__slug", "partner__name")
        .annotate(
            enrolled=Count("id"),
            void=Count("id", filter=Q(status="void")),
            awarded=Count("id", filter=Q(outcome__status="awarded")),
            mileage=Sum("outcome__mileage"),
        )
        .order_by("partner__name")
    )
    return [
        {
            "partner": r["partner__slug"],
            "name": r["partner__name"],
            "enrolled": r["enrolled"],
            "void": r["void"],
            "awarded": r["awarded"],
            "mileage": r["mileage"] or 0,
        }
        for r in rows
    ]


class EvaluationIn(Schema):
    window_from: Day | None = None
    window_to: Day | None = None


@router.post("/evaluations", auth=SessionAuth(scope.is_city))
def evaluate(request: Any, payload: EvaluationIn | None = None) -> dict[str, Any]:
    """PILOT-4..8: an evaluation run (the eco-mileage run machinery) over the final readings
    uploaded in the window (default: the programme's start to yesterday, the last day that has
    ended: a run's window must be over, issue #14), city only. The run is a
    preview until signed off; `/evaluations/runs/<id>/` signs it off and pays it."""
    programme = pilot_2014()
    window_from = (payload and payload.window_from) or programme.starts_on
    window_to = (payload and payload.window_to) or timezone.localdate() - dt.timedelta(days=1)
    run = start_pilot_run(request.user, window_from, window_to)
    totals = run_totals(run)
    return {
        "run": run.pk,
        "status": run.status,
        "evaluated": totals["cycles"],
        "awarded": totals["awarded"],
        "mileage": totals["mileage"],
    }
