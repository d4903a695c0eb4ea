"""Programmes run through partners (협력기관 경유 사업) and the 2014 pilot's data (PILOT-1..10, ECO-18).

A `Programme` is run through `ProgrammePartner`s (the three insurers of the 2014 pilot); partners
enrol vehicles (`Enrolment`, one numbered slot each, PILOT-1), record the member's `Consent`
(time + wording, PILOT-2, ECO-18), and send readings: photo readings go through the readings
app's pipeline and review (linked here by `EnrolmentReading`), signed readings (OBD, connected
cars) are `PartnerReading`s verified against the partner's `SigningKey`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from . import crypto


class Method(models.TextChoices):
    PHOTO = "photo", "사진"
    OBD = "obd", "OBD"
    CONNECTED = "connected", "커넥티드카"  # ECO-18


class Programme(models.Model):
    """A programme run through partners, e.g. 2014 승용차 마일리지 시범사업 (PILOT-1)."""

    code = models.SlugField(max_length=30, unique=True)  # "pilot-2014"
    name = models.CharField("사업명", max_length=80)
    rules_program = models.CharField(max_length=20)  # the RULES-CLI program, "pilot-2014"
    starts_on = models.DateField("사업 시작일")  # PILOT-1: contracts dated in the period
    ends_on = models.DateField("사업 종료일")
    cap_parameter = models.CharField(
        max_length=60, blank=True
    )  # dated cap, e.g. pilot.max_vehicles
    enrolled = models.PositiveIntegerField(default=0)  # PILOT-1: slots taken; the row we lock

    def __str__(self) -> str:
        return self.name


class ProgrammePartner(models.Model):
    """A partner taking part in a programme, with its reading methods and public contacts."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partners")
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="programmes"
    )
    methods = models.JSONField(default=list)  # Method values: ["photo"], ["photo", "obd"]
    homepage = models.URLField("홈페이지", blank=True)
    phone = models.CharField("전화번호", max_length=20, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "partner"], name="programme_partner_once")
        ]

    def __str__(self) -> str:
        return f"{self.programme.code}: {self.partner}"


class ContractKind(models.TextChoices):
    NEW = "new", "신규"
    RENEWAL = "renewal", "갱신"


class Status(models.TextChoices):
    ACTIVE = "active", "참여 중"
    EVALUATED = "evaluated", "평가 완료"
    VOID = "void", "무효"  # PILOT-10
    WITHDRAWN = "withdrawn", "참여 철회"


class Enrolment(models.Model):
    """A vehicle enrolled by a partner (가입), holding slot `slot` of the programme's cap."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments")
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="enrolments"
    )
    slot = models.PositiveIntegerField()  # PILOT-1: 1..cap, first come first served
    vehicle = models.ForeignKey(
        "vehicles.Vehicle", on_delete=models.PROTECT, related_name="pilot_enrolments"
    )  # the first vehicle; replacements (PILOT-9) chain through Vehicle.previous
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pilot_enrolments"
    )
    policy_number = models.CharField("증권번호", max_length=40)
    contract_on = models.DateField("보험계약일")
    contract_kind = models.CharField(max_length=10, choices=ContractKind.choices)
    method = models.CharField(max_length=10, choices=Method.choices)
    obd_device_id = models.CharField(max_length=64, blank=True)
    consent = models.ForeignKey("Consent", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    void_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who did what to this enrolment (`core.AuditEntry.subject`; no column here).
    audit = GenericRelation(
        "core.AuditEntry",
        content_type_field="subject_type",
        object_id_field="subject_id",
        related_query_name="enrolment",
    )

    class Meta:
        ordering = ["slot"]
        constraints = [
            # PILOT-1: two enrolments never share a slot, whatever happens to the counter.
            models.UniqueConstraint(fields=["programme", "slot"], name="enrolment_slot_once"),
            models.UniqueConstraint(fields=["programme", "vehicle"], name="enrolment_vehicle_once"),
        ]
        indexes = [models.Index(fields=["partner", "status"])]

    def __str__(self) -> str:
        return f"{self.programme.code} #{self.slot}"


class Purpose(models.TextChoices):
    PILOT_DATA = "pilot-data", "시범사업 개인정보·주행거리 정보 서울시 제공"  # PILOT-2
    CONNECTED_CAR = "connected-car", "커넥티드카 주행거리 정보 서울시 제공"  # ECO-18


class Consent(models.Model):
    """A member's consent (동의): who, to whom, for what, when, and the exact wording shown."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents"
    )
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    vehicle = models.ForeignKey("vehicles.Vehicle", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    wording = models.TextField("동의 문구")
    wording_version = models.CharField(max_length=20)
    consented_at = models.DateTimeField("동의 일시")  # when the member agreed (partner's record)
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class BankAccount(models.Model):
    """The member's account for the payout (PILOT-8), encrypted at rest; shown masked."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pilot_bank_account"
    )
    bank_name = models.CharField("은행", max_length=30)
    holder_name = models.CharField("예금주", max_length=50)
    number_encrypted = models.TextField()  # Fernet token; see crypto.py
    last_digits = models.CharField(max_length=4)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.bank_name} {self.masked}"

    def __repr__(self) -> str:
        return f"<BankAccount {self.pk} {self.masked}>"

    @property
    def masked(self) -> str:
        return crypto.mask(self.last_digits)


class SigningKey(models.Model):
    """A partner's HMAC secret for signed readings (ECO-18, PILOT-3 OBD), encrypted at rest.

    API keys are stored only as hashes, so the signing secret is a separate credential issued
    with them; the platform needs it in clear to recompute signatures.
    """

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, related_name="signing_keys"
    )
    key_id = models.CharField(max_length=40, unique=True)
    secret_encrypted = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key_id


class ReadingEvent(models.TextChoices):
    # RULES-CLI words: pilot-2014 events, and eco-car events for connected cars (ECO-18).
    INITIAL = "initial", "최초"
    FINAL = "final", "최종"
    CHANGE_OUT = "change-out", "대체 전 차량"
    CHANGE_IN = "change-in", "대체 후 차량"
    ANNUAL = "annual", "연간 실적"
    SEASON_START = "season-start", "계절관리제 시작"
    SEASON_END = "season-end", "계절관리제 종료"


class PartnerReading(models.Model):
    """A signed odometer value from a partner's device (OBD or telematics); no photo review.

    ECO-18: its own timestamp is the effective date; partner, key and signature are kept as
    evidence. The same (partner, device, timestamp) sent again is the same reading.
    """

    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="+")
    vehicle = models.ForeignKey("vehicles.Vehicle", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=10, choices=Method.choices)
    event = models.CharField(max_length=12, choices=ReadingEvent.choices)
    km = models.PositiveIntegerField()
    device_id = models.CharField(max_length=64)
    measured_at = models.DateTimeField()  # the device's timestamp (effective date, ECO-18)
    timestamp_text = models.CharField(max_length=40)  # exactly as signed
    signature = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)
    # ECO-18: a connected-car reading is also an approved eco-mileage reading (channel
    # `connected`), so histories, cycles and evaluation runs see it like a photo reading.
    reading = models.OneToOneField(
        "readings.Reading",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner_reading",
    )

    class Meta:
        ordering = ["measured_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "device_id", "measured_at"], name="partner_reading_once"
            )
        ]


class EnrolmentReading(models.Model):
    """A pilot reading (PILOT-3): either a photo reading in the readings app or a signed one."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="readings")
    event = models.CharField(max_length=12, choices=ReadingEvent.choices)
    vehicle = models.ForeignKey("vehicles.Vehicle", on_delete=models.PROTECT, related_name="+")
    reading = models.OneToOneField(
        "readings.Reading", null=True, blank=True, on_delete=models.PROTECT, related_name="pilot"
    )
    partner_reading = models.OneToOneField(
        PartnerReading, null=True, blank=True, on_delete=models.PROTECT, related_name="pilot"
    )
    km = models.PositiveIntegerField()
    uploaded_on = models.DateField()  # E-11: deadlines and the 120 days count upload dates
    deadline_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reading__isnull=True) ^ models.Q(partner_reading__isnull=True),
                name="enrolment_reading_one_source",
            )
        ]


class OutcomeStatus(models.TextChoices):
    # The RULES-CLI status words.
    AWARDED = "awarded", "지급 대상"
    NO_AWARD = "no-award", "미지급"
    VOID = "void", "무효"
    NOT_EVALUATED = "not-evaluated", "평가 제외"


class Outcome(models.Model):
    """The evaluation of one enrolment (PILOT-4..8): the rules engine's result, kept as given."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="outcome")
    status = models.CharField(max_length=15, choices=OutcomeStatus.choices)
    mileage = models.PositiveIntegerField(default=0)  # won (1 mileage = 1 won)
    baseline_km = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    driven_km = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    six_month_km = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    reduction_pct = models.IntegerField(null=True)  # PILOT-6: truncated
    payment_on = models.DateField(null=True)  # PILOT-8: final upload + 60 days
    payment_by = models.DateField(null=True)  # + 70 days
    reasons = models.JSONField(default=list)
    result = models.JSONField(default=dict)  # the RULES-CLI result
    evaluated_at = models.DateTimeField(auto_now_add=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    run = models.ForeignKey(
        "evaluations.EvaluationRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )  # the evaluation run that produced it (the same machinery as eco-mileage)
    award_key = models.CharField(max_length=80, blank=True)  # ledger key of the award
    paid_at = models.DateTimeField(null=True, blank=True)  # bank transfer exported
    paid_on = models.DateField(null=True, blank=True)  # PILOT-8: the transfer's date
    payout_key = models.CharField(max_length=80, blank=True)
    # The account the transfer went to, copied from the member's BankAccount when it was paid
    # (still encrypted): a member who changes their account later does not change where an
    # earlier payout went, and a re-exported file shows the paid-to account.
    payout_bank_name = models.CharField(max_length=30, blank=True)
    payout_holder_name = models.CharField(max_length=50, blank=True)
    payout_number_encrypted = models.TextField(blank=True)  # Fernet token; see crypto.py
    payout_last_digits = models.CharField(max_length=4, blank=True)

    class Meta:
        ordering = ["enrolment__slot"]
