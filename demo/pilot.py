"""Demo data of the 2014 pilot (run by `manage.py demo_data` after the other apps' seeds).

The three insurers of seed 002 (reused by slug from the partners demo, with their API keys),
their methods, homepages and phone numbers; signing keys for 현대하이카다이렉트's OBD and the demo
carmaker (ECO-18, with one member's consent and one connected-car reading); and six enrolled
vehicles at different stages, all through the real services (PILOT-1..3 checks, photo pipeline
and district review, signatures, evaluation run, payment and the bank-transfer export):

    135너4035 한화 사진   evaluated, awarded, paid and transferred
    146너4046 한화 사진   initial photo waiting for the district's review
    165너4065 하이카 OBD  electric: evaluated with the 20% bonus (PILOT-7), paid and transferred
    158너4058 하이카 OBD  final sent late → void (PILOT-3, PILOT-10)
    169너4069 MG 사진     final photo waiting for review
    176너4076 MG 사진     evaluated, no bank account → no award (E-12)

Idempotent: an enrolment that exists (by plate) is left alone; keys and consents by natural key.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

from django.utils import timezone

from demo.partners import ensure_demo_key, key_line
from mileage.accounts.models import Role, User
from mileage.core.errors import DomainError
from mileage.evaluations import services as runs
from mileage.evaluations.models import EvaluationRun
from mileage.partners import signing
from mileage.partners.models import Partner, PartnerKind
from mileage.pilot import crypto, errors, programmes
from mileage.pilot.models import Consent, Enrolment, Method, Purpose, SigningKey
from mileage.pilot.services import payout, photo, signed
from mileage.pilot.services.bank import set_bank_account
from mileage.pilot.services.enrol import EnrolmentRequest, enrol
from mileage.readings.services import approve_reading
from mileage.vehicles.models import Vehicle
from mileage.vehicles.registry import get_registry
from mileage.vehicles.services import register_vehicle

# (slug, name, methods, homepage, phone) as in seed 002's table of participating insurers.
# [interp] MG's homepage appears twice in the seed, garbled differently
# ("https://www.mggeneralins.com/1443/" and "https://www.mgeneralins.com:1443/"); the first
# table's text is kept as written.
INSURERS = [
    ("hanwha", "한화손해보험", [Method.PHOTO], "http://www.hwgeneralins.com/", "1566-8000"),
    (
        "hicar",
        "현대하이카다이렉트",
        [Method.PHOTO, Method.OBD],
        "http://www.hicardirect.com/",
        "1577-1001",
    ),
    ("mg", "MG손해보험", [Method.PHOTO], "https://www.mggeneralins.com/1443/", "1588-5959"),
]
CARMAKER = ("hanbit-motors", "한빛자동차")
CONSENT = (
    "본인은 승용차 마일리지 시범사업 참여를 위해 개인정보 및 주행거리 정보를 서울특별시에 "
    "제공하는 것에 동의합니다."
)
D = dt.date

# plate, member, insurer, method, contract, [(event, km, sent on, approve?)], bank account?
STORIES: list[tuple[str, str, str, str, dt.date, list[tuple[str, int, dt.date, bool]], bool]] = [
    (
        "135너4035",
        "citizen-035",
        "hanwha",
        Method.PHOTO,
        D(2014, 10, 10),
        [("initial", 52_300, D(2014, 10, 12), True), ("final", 57_900, D(2015, 4, 15), True)],
        True,
    ),
    (
        "146너4046",
        "citizen-046",
        "hanwha",
        Method.PHOTO,
        D(2014, 11, 1),
        [("initial", 18_900, D(2014, 11, 3), False)],
        True,
    ),
    (
        "165너4065",
        "citizen-065",
        "hicar",
        Method.OBD,
        D(2014, 10, 20),
        [("initial", 41_000, D(2014, 10, 21), True), ("final", 42_500, D(2015, 4, 25), True)],
        True,
    ),
    (
        "158너4058",
        "citizen-058",
        "hicar",
        Method.OBD,
        D(2014, 11, 28),
        [("initial", 30_200, D(2014, 12, 1), True), ("final", 33_900, D(2015, 7, 1), True)],
        True,
    ),
    (
        "169너4069",
        "citizen-069",
        "mg",
        Method.PHOTO,
        D(2015, 1, 10),
        [("initial", 60_150, D(2015, 1, 12), True), ("final", 64_000, D(2015, 7, 15), False)],
        True,
    ),
    (
        "176너4076",
        "citizen-076",
        "mg",
        Method.PHOTO,
        D(2014, 12, 5),
        [("initial", 45_000, D(2014, 12, 8), True), ("final", 47_000, D(2015, 6, 8), True)],
        False,
    ),
]
RUN_WINDOW = (D(2015, 4, 1), D(2015, 7, 31))


def _signing_key(partner: Partner) -> tuple[SigningKey, str, bool]:
    """The partner's demo signing key: a random secret made once (stored encrypted, as any
    partner's), whether it was made now (the seed prints a new secret once)."""
    key = SigningKey.objects.filter(key_id=f"sk_{partner.slug}_demo").first()
    if key is not None:
        return key, crypto.reveal(key.secret_encrypted), False
    secret = signing.new_secret()
    key = SigningKey.objects.create(
        key_id=f"sk_{partner.slug}_demo",
        partner=partner,
        secret_encrypted=crypto.encrypt(secret),
    )
    return key, secret, True


def _partner(slug: str, name: str, kind: str, lines: list[str]) -> Partner:
    partner, _ = Partner.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})
    token = ensure_demo_key(partner)
    if token:
        lines.append(key_line(partner, token))
    return partner


def _signed(partner: Partner, plate: str, device: str, km: int, on: dt.date, event: str) -> Any:
    key, secret, _made = _signing_key(partner)
    stamp = f"{on.isoformat()}T09:00:00+09:00"
    message = signing.canonical_message(
        key_id=key.key_id, vehicle_ref=plate, odometer_km=km, device_id=device, timestamp=stamp
    )
    return signed.receive(
        partner,
        signed.SignedReading(
            key_id=key.key_id,
            plate=plate,
            km=km,
            device_id=device,
            timestamp=stamp,
            signature=signing.sign(secret, message),
            event=event,
        ),
    )


def _photo(enrolment: Enrolment, km: int, on: dt.date, event: str, approve: bool) -> None:
    from demo.readings import dashboard_photo, plate_photo

    tint = enrolment.slot * 7 + (event == "final")
    row, _ = photo.submit_photo_reading(
        enrolment,
        enrolment.partner,
        event=event,
        km=km,
        plate_photo=plate_photo(enrolment.vehicle.plate, on, tint),
        dashboard_photo=dashboard_photo(km, on, tint),
        sent_on=on,
    )
    if approve and row.reading is not None:
        code = enrolment.vehicle.district.code
        official = User.objects.get(username=f"official-{code}-office")
        approve_reading(official, row.reading, version=row.reading.version)


def _owner_ci(plate: str) -> str:
    """The CI an insurer would have verified for the plate's owner: the demo reads the (made-up)
    CI the local registry holds for the representative owner."""
    record = get_registry().lookup(plate)
    return record.owner_ci if record is not None else ""


def _story(partners: dict[str, Partner], story: tuple) -> bool:
    plate, username, slug, method, contract_on, readings, bank = story
    member = User.objects.filter(username=username, role=Role.CITIZEN).first()
    if member is None or Enrolment.objects.filter(vehicle__plate=plate).exists():
        return False
    partner = partners[slug]
    device = f"OBD-{plate}" if method == Method.OBD else ""
    request = EnrolmentRequest(
        plate=plate,
        member_ci=_owner_ci(plate),
        member_name=member.display_name,
        policy_number=f"{slug.upper()}-{contract_on:%Y%m}-{plate[-4:]}",
        contract_on=contract_on,
        contract_kind="new",
        method=method,
        consent_given=True,
        consent_wording=CONSENT,
        consent_version="2014-09",
        consented_at=timezone.make_aware(dt.datetime.combine(contract_on, dt.time(10, 0))),
        obd_device_id=device,
    )
    enrolment = enrol(programmes.pilot_2014(), partner, request, today=contract_on)
    if bank:
        set_bank_account(
            member,
            bank_name="신한은행",
            holder_name=member.display_name,
            number=f"110{plate[-4:]}0077",
        )
    for event, km, on, approve in readings:
        try:
            if method == Method.OBD:
                _signed(partner, plate, device, km, on, event)
            else:
                _photo(enrolment, km, on, event, approve)
        except errors.LateReading:
            break  # PILOT-3: the late reading voided the enrolment, as it should
    return True


CONNECTED_PLATE = "95파6789"  # ECO-18 demo car (registry: citizen-005, co-owner citizen-001)


def _connected_car(carmaker: Partner) -> int:
    """ECO-18: a member's consent to the carmaker and one signed telematics reading."""
    # A car of its own (no photo story in demo/readings.py): 95파6789 of citizen-005.
    vehicle = Vehicle.objects.filter(plate=CONNECTED_PLATE).select_related("owner").first()
    if vehicle is None:
        owner = User.objects.filter(username="citizen-005").first()
        if owner is None:
            return 0
        vehicle = register_vehicle(owner, CONNECTED_PLATE)
    Consent.objects.get_or_create(
        member=vehicle.owner,
        partner=carmaker,
        vehicle=vehicle,
        purpose=Purpose.CONNECTED_CAR,
        defaults={
            "wording": "커넥티드카 서비스의 누적주행거리 정보를 서울시 에코마일리지에 제공하는 것에 동의합니다.",
            "wording_version": "2024-01",
            "consented_at": timezone.make_aware(dt.datetime(2024, 1, 5, 9, 0)),
        },
    )
    # ECO-18: an initial reading a year ago and the annual one in its ECO-5 window, both
    # approved without photo review; the eco annual run picks the cycle up. Re-seeding on
    # another day sends nothing new (the car already has its connected readings).
    if vehicle.readings.filter(channel="connected").exists():
        return vehicle.readings.filter(channel="connected").count()
    today = timezone.localdate()
    sent = 0
    for km, on, event in (
        (21_480, today - dt.timedelta(days=380), "initial"),
        (27_950, today - dt.timedelta(days=10), "annual"),
    ):
        try:
            _signed(carmaker, vehicle.plate, f"TCU-{CONNECTED_PLATE}", km, on, event)
            sent += 1
        except DomainError:  # e.g. the demo car already has a photo initial: keep what is there
            break
    return sent


def _evaluate_and_pay() -> tuple[int, int]:
    manager = User.objects.filter(role=Role.CITY).order_by("pk").first()
    if manager is None:
        return 0, 0
    run = (
        EvaluationRun.objects.filter(
            programme=programmes.PILOT_2014, window_from=RUN_WINDOW[0], window_to=RUN_WINDOW[1]
        )
        .exclude(status="cancelled")
        .first()
    )
    if run is None:
        run = runs.run_evaluation(
            runs.start_run(manager, *RUN_WINDOW, programme=programmes.PILOT_2014)
        )
    runs.sign_off(run, manager)
    paid = runs.pay_due(run, timezone.localdate())
    transferred = 0
    for on in sorted({o.payment_on for o in payout.due(timezone.localdate())}):
        transferred += payout.export_bank_transfers(manager, on).posted_now  # on the first day
    return paid, transferred


def seed(out: TextIO) -> None:
    pilot = programmes.pilot_2014()
    partners = {}
    lines: list[str] = []
    for slug, name, methods, homepage, phone in INSURERS:
        partners[slug] = _partner(slug, name, PartnerKind.INSURER, lines)
        programmes.join(pilot, partners[slug], list(methods), homepage=homepage, phone=phone)
    carmaker = _partner(*CARMAKER, PartnerKind.CARMAKER, lines)
    for partner in (partners["hicar"], carmaker):
        key, secret, made = _signing_key(partner)
        shown = f"{secret}  (새로 만든 비밀값: 지금 한 번만 표시합니다)" if made else "이미 발급됨"
        lines.append(f"  signing key {key.key_id}: {shown}  (HMAC-SHA256, see README)")
    enrolled = sum(_story(partners, story) for story in STORIES)
    connected = _connected_car(carmaker)
    paid, transferred = _evaluate_and_pay()
    out.write(
        f"pilot: {enrolled} vehicles enrolled (total {Enrolment.objects.count()}), "
        f"{connected} connected-car readings, {paid} awards paid, {transferred} bank transfers\n"
    )
    out.write("".join(f"{line}\n" for line in lines))
    out.write("  pages: /pilot/ (회원) /pilot/insurer/ (보험사) /pilot/city/ /pilot/help/\n")
