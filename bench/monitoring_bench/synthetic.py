"""A synthetic year of a city: every service's events as those services publish them.

Stories start day by day over ``days`` days up to ``end`` and each writes its events ahead of
time; a heap hands them out in time order, so the log reads as the services appended to it,
and every event after ``end`` is left out (the applications then still open are the backlog,
the stages then past their 80 % mark or deadline have had their alerts). The stories:

- permits: an application's journey of ``StepTaken`` steps with the stage clocks permits sets
  (submit → start_review → approve / reject / request_revision → resubmit … → issue, or
  request_payment → record_payment / expire; some cancelled, some deemed approved), beside
  the domain events permits publishes with them (submitted, approved, …), and the permit fee's
  invoice on payments' topic; 10 permit types in 13 kecamatan (``36.71.01``..``36.71.13``);
- monitoring's own alerts for each stage that passed 80 % of its time or its deadline open
  (monitoring consumes its topic too, to rebuild the alerts' ledger);
- payments: other sources' invoices (property tax, market and waste levies, BPHTB): created,
  then paid by VA or QRIS, expired or cancelled; a few refunded;
- health: clinic bookings over 40 facilities (some cancelled), visits up to two weeks ahead,
  each published as v1 and v2 beside it (with the day's places and the district), as health
  does;
- education: school registrations over 200 schools, most in the May to July admission season,
  most verified, a few withdrawn; submissions as v1 and v2 beside it (the school's places and
  district), as education publishes them;
- identity: citizens' registrations, v1 and v2 beside it as the gateway publishes them (some
  by an officer at a kiosk).

Each event is keyed by its aggregate (application, invoice, booking, registration, account).
Random choices come from one seeded ``random.Random``, so a seed gives the same city.
"""

import heapq
import itertools
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from kota_contracts.education import (
    DocumentKind,
    Pathway,
    RegistrationSubmitted,
    RegistrationSubmittedV2,
    RegistrationVerified,
    RegistrationWithdrawn,
    SchoolLevel,
)
from kota_contracts.health import AppointmentBooked, AppointmentBookedV2, AppointmentCancelled
from kota_contracts.identity import (
    CitizenRegistered,
    CitizenRegisteredByOfficer,
    CitizenRegisteredByOfficerV2,
    CitizenRegisteredV2,
)
from kota_contracts.monitoring import DeadlineAtRisk, DeadlineBreached
from kota_contracts.payments import (
    Channel,
    InvoiceCancelled,
    InvoiceCreated,
    InvoiceExpired,
    InvoicePaid,
    RefundIssued,
)
from kota_contracts.permits import (
    FEE_INVOICE_SOURCE,
    Action,
    ApplicationApproved,
    ApplicationCancelled,
    ApplicationExpired,
    ApplicationRejected,
    ApplicationSubmitted,
    ClosedStage,
    OpenedStage,
    PermitIssued,
    RevisionRequested,
    Stage,
    StepTaken,
    fee_invoice_reference,
)
from kota_shared.events.envelope import EventData
from monitoring.alerts.causes import alert_id


@dataclass(frozen=True)
class PermitType:
    code: str
    verification_days: int
    review_days: int
    """The stages' targets, in working days (as the city's catalogue sets them)."""
    fee: int
    """Rupiah; 0 for a permit issued without a fee."""
    weight: float


PERMIT_TYPES = (
    PermitType("PBG", 1, 10, 2_500_000, 2.0),
    PermitType("SLF", 1, 5, 1_000_000, 1.0),
    PermitType("REKLAME", 1, 3, 750_000, 1.5),
    PermitType("REKLAME_INSIDENTIL", 1, 2, 150_000, 1.0),
    PermitType("KERAMAIAN", 1, 2, 0, 1.2),
    PermitType("SIP", 1, 5, 0, 1.5),
    PermitType("SERTIFIKAT_STANDAR", 1, 5, 0, 1.0),
    PermitType("TDUP", 1, 3, 500_000, 0.8),
    PermitType("SPPL", 1, 5, 0, 0.7),
    PermitType("PERTEK_AIR_LIMBAH", 1, 10, 1_500_000, 0.3),
)
KECAMATAN = tuple(f"36.71.{n:02d}" for n in range(1, 14))
REGENCY = "3671"
FACILITIES = (*(f"P3671{k:02d}01{j:02d}" for k in range(1, 14) for j in range(1, 4)), "RSUD3671")
CLINIC_SERVICES = ("umum", "gigi", "kia", "lansia", "mtbs", "imunisasi")
CLINIC_WEIGHTS = (5.0, 1.5, 2.0, 1.0, 1.0, 0.8)
CLINIC_QUOTAS = (60, 20, 30, 25, 20, 40)
"""Each service's places a day."""
LEVELS = ((SchoolLevel.SD, 120), (SchoolLevel.SMP, 55), (SchoolLevel.SMA, 25))
CAPACITY_STEP = {SchoolLevel.SD: 28, SchoolLevel.SMP: 32, SchoolLevel.SMA: 36}
"""A class's places: schools have a few classes of new pupils."""
PATHWAY_SHARES = {
    Pathway.DOMISILI: 0.5,
    Pathway.AFIRMASI: 0.15,
    Pathway.MUTASI: 0.05,
    Pathway.PRESTASI: 0.3,
}


@dataclass(frozen=True)
class School:
    npsn: str
    level: SchoolLevel
    kecamatan: str
    capacity: int
    """Places for new pupils a year (daya tampung)."""


SCHOOLS = tuple(
    School(
        npsn=f"2067{n:04d}",
        level=level,
        kecamatan=f"36.71.{n % 13 + 1:02d}",
        capacity=CAPACITY_STEP[level] * (2 + n % 4),
    )
    for n, level in enumerate(level for level, count in LEVELS for _ in range(count))
)
OTHER_INVOICES = (
    # source, weight, amount range (rupiah), days to pay
    ("pbb", 4.0, (50_000, 5_000_000), 30),
    ("retribusi_pasar", 3.0, (10_000, 300_000), 7),
    ("retribusi_sampah", 2.0, (15_000, 100_000), 14),
    ("bphtb", 1.0, (1_000_000, 50_000_000), 14),
)
KIOSK_OFFICERS = tuple(f"officer-kiosk-{n}" for n in range(1, 41))
IDENTITY_OFFICERS = tuple(uuid.UUID(int=0x0B5E_0000 + n, version=4) for n in range(30))

StoryKind = Literal["permits", "payments", "health", "education", "identity"]
STORY_WEIGHTS: dict[StoryKind, float] = {
    # Stories started per day, relative: about half of all events come from permits'
    # applications (some ten events each), the rest from the other services.
    "permits": 0.124,
    "payments": 0.196,
    "health": 0.30,
    "education": 0.09,
    "identity": 0.124,
}
WEEKDAY_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 1.0, 0.45, 0.3)
"""Monday to Sunday: fewer applications and bookings at the weekend."""
CITY_OFFSET = timedelta(hours=7)
"""Kota Tangerang's time (WIB) from UTC: the city's days start at 17:00 UTC."""
SEASON_MONTHS = (5, 6, 7)
"""School registrations: May to July, the admission season."""


@dataclass(frozen=True)
class Emitted:
    """One event as its service publishes it: when, keyed by what, with what id."""

    at: datetime
    subject: str
    data: EventData
    event_id: uuid.UUID | None = None


def add_working_days(moment: datetime, days: int) -> datetime:
    """``days`` weekdays after ``moment``, at the same time of day (holidays not kept)."""
    found, added = moment, 0
    while added < days:
        found += timedelta(days=1)
        if found.weekday() < 5:
            added += 1
    return found


def working_days_between(start: datetime, end: datetime) -> int:
    """Weekdays after ``start``'s date up to ``end``'s: the working days a stage took."""
    day, last, count = start.date(), end.date(), 0
    while day < last:
        day += timedelta(days=1)
        count += day.weekday() < 5
    return count


class _Story:
    """One aggregate's events as they are written, the ones after the end left out."""

    def __init__(self, rng: random.Random, end: datetime) -> None:
        self.rng = rng
        self.end = end
        self.events: list[Emitted] = []

    def new_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def later(self, moment: datetime, low: float, high: float) -> datetime:
        """A whole second between ``low`` and ``high`` seconds after ``moment``."""
        return moment + timedelta(seconds=round(self.rng.uniform(low, high)))

    def emit(
        self, at: datetime, subject: uuid.UUID, data: EventData, event_id: uuid.UUID | None = None
    ) -> bool:
        """Write one event; False (and nothing written) once past the end."""
        if at > self.end:
            return False
        self.events.append(Emitted(at, str(subject), data, event_id))
        return True


_ACTORS: dict[str, Literal["applicant", "officer", "system"]] = {
    "submit": "applicant",
    "resubmit": "applicant",
    "cancel": "applicant",
    "start_review": "officer",
    "request_revision": "officer",
    "approve": "officer",
    "reject": "officer",
}


class _Application(_Story):
    """A permit application's journey, with the clocks permits sets on each stage."""

    def __init__(self, rng: random.Random, end: datetime, start: datetime) -> None:
        super().__init__(rng, end)
        self.type = rng.choices(PERMIT_TYPES, weights=[t.weight for t in PERMIT_TYPES])[0]
        self.kecamatan = rng.choice(KECAMATAN)
        self.id = self.new_id()
        self.applicant = f"citizen-{rng.getrandbits(40):010x}"
        self.assisted_by = rng.choice(KIOSK_OFFICERS) if rng.random() < 0.15 else None
        self.status = "draft"
        self.tell(start)

    def step(
        self,
        action: Action,
        target: str,
        at: datetime,
        *,
        closes: tuple[OpenedStage, datetime] | None = None,
        opens: OpenedStage | None = None,
    ) -> bool:
        closed = None
        if closes is not None:
            clock, started = closes
            closed = ClosedStage(
                stage=clock.stage,
                started_at=started,
                due_at=clock.due_at,
                working_days=working_days_between(started, at),
            )
        actor = _ACTORS.get(action, "system")
        data = StepTaken(
            application_id=self.id,
            permit_type=self.type.code,
            kecamatan_code=self.kecamatan,
            action=action,
            from_status=self.status,
            to_status=target,
            actor=actor,
            assisted_by=self.assisted_by if actor == "applicant" else None,
            at=at,
            closed_stage=closed,
            opened_stage=opens,
        )
        if not self.emit(at, self.id, data):
            return False
        self.status = target
        return True

    def clock(self, stage: Stage, started: datetime) -> OpenedStage:
        days = self.type.verification_days if stage == "verification" else self.type.review_days
        due = add_working_days(started, days)
        return OpenedStage(
            stage=stage,
            due_at=due,
            at_risk_at=started + (due - started) * 0.8,
            aged_3_working_days_at=add_working_days(started, 3),
            aged_6_working_days_at=add_working_days(started, 6),
            aged_11_working_days_at=add_working_days(started, 11),
        )

    def closing(self, clock: OpenedStage, started: datetime) -> datetime:
        """When the city closes the stage: before its deadline, mostly."""
        window = (clock.due_at - started).total_seconds()
        if self.rng.random() < 0.85:
            return self.later(started, 0.15 * window, 0.97 * window)
        return self.later(clock.due_at, 0.02 * window, 1.2 * window)

    def alerts(self, clock: OpenedStage, started: datetime, closed: datetime) -> None:
        """Monitoring's alerts for a stage open past 80 % of its time or its deadline, raised
        by its sweep (once a minute) if the stage was still open then."""
        for kind, crossed in (("at_risk", clock.at_risk_at), ("breached", clock.due_at)):
            detected = self.later(crossed, 1, 60)
            if detected >= closed:
                continue
            model = DeadlineAtRisk if kind == "at_risk" else DeadlineBreached
            alert = model(
                application_id=self.id,
                permit_type=self.type.code,
                kecamatan_code=self.kecamatan,
                stage=clock.stage,
                started_at=started,
                due_at=clock.due_at,
                detected_at=detected,
            )
            event_id = alert_id(kind, application_id=self.id, stage=clock.stage, started_at=started)
            self.emit(detected, self.id, alert, event_id)

    def submitted(self, at: datetime, clock: OpenedStage, *, again: bool) -> bool:
        return self.emit(
            at,
            self.id,
            ApplicationSubmitted(
                application_id=self.id,
                permit_type=self.type.code,
                district_code=self.kecamatan.replace(".", ""),
                resubmission=again,
                submitted_at=at,
                deadline_at=clock.due_at,
            ),
        )

    def cancelled(self, at: datetime, closes: tuple[OpenedStage, datetime] | None) -> None:
        if self.step("cancel", "cancelled", at, closes=closes):
            self.emit(
                at,
                self.id,
                ApplicationCancelled(
                    application_id=self.id, permit_type=self.type.code, cancelled_at=at
                ),
            )

    def tell(self, start: datetime) -> None:
        """The whole journey, from the citizen's submission on."""
        at = start
        verification = self.clock("verification", at)
        if not self.step("submit", "submitted", at, opens=verification):
            return
        self.submitted(at, verification, again=False)
        revisions = 0
        while True:
            closed_at = self.closing(verification, at)
            self.alerts(verification, at, closed_at)
            if self.rng.random() < 0.02:
                self.cancelled(self.later(at, 600, 86_400), (verification, at))
                return
            review_at = closed_at
            review = self.clock("review", review_at)
            if not self.step(
                "start_review", "in_review", review_at, closes=(verification, at), opens=review
            ):
                return
            decided_at = self.closing(review, review_at)
            outcome = self.rng.random()
            if outcome < 0.03:  # the deadline passed undecided: fiktif positif
                decided_at = self.later(review.due_at, 60, 900)
            self.alerts(review, review_at, decided_at)
            closes = (review, review_at)
            if outcome < 0.03:
                if self.step("deem_approved", "approved", decided_at, closes=closes):
                    self.approved(decided_at, deemed=True)
                return
            if outcome < 0.18 and revisions < 2:
                revised = "revision_requested"
                if not self.step("request_revision", revised, decided_at, closes=closes):
                    return
                self.emit(
                    decided_at,
                    self.id,
                    RevisionRequested(
                        application_id=self.id,
                        applicant_id=self.applicant,
                        permit_type=self.type.code,
                        note="Lengkapi dokumen.",
                        requested_at=decided_at,
                    ),
                )
                if self.rng.random() < 0.15:
                    self.cancelled(self.later(decided_at, 3 * 86_400, 20 * 86_400), None)
                    return
                at = self.later(decided_at, 86_400, 10 * 86_400)
                verification = self.clock("verification", at)
                if not self.step("resubmit", "resubmitted", at, opens=verification):
                    return
                self.submitted(at, verification, again=True)
                revisions += 1
                continue
            if outcome < 0.28:
                if self.step("reject", "rejected", decided_at, closes=closes):
                    self.emit(
                        decided_at,
                        self.id,
                        ApplicationRejected(
                            application_id=self.id,
                            applicant_id=self.applicant,
                            permit_type=self.type.code,
                            reason="Tidak memenuhi persyaratan teknis.",
                            rejected_at=decided_at,
                        ),
                    )
                return
            if outcome < 0.30:
                self.cancelled(decided_at, closes)
                return
            if self.step("approve", "approved", decided_at, closes=closes):
                self.approved(decided_at, deemed=False)
            return

    def approved(self, at: datetime, *, deemed: bool) -> None:
        """The approval, then the permit: at once without a fee, once its invoice is paid."""
        self.emit(
            at,
            self.id,
            ApplicationApproved(
                application_id=self.id,
                applicant_id=self.applicant,
                permit_type=self.type.code,
                permit_type_name=self.type.code.replace("_", " ").title(),
                district_code=self.kecamatan.replace(".", ""),
                fee_amount=self.type.fee,
                deemed=deemed,
                approved_at=at,
            ),
        )
        if not self.type.fee:
            self.issued(self.later(at, 30, 300), "issue")
            return
        billed = self.later(at, 5, 60)
        invoice = _Invoice(
            self,
            source=FEE_INVOICE_SOURCE,
            amount=self.type.fee,
            created=billed,
            days_to_pay=7,
            reference=fee_invoice_reference(self.id),
            payer=self.applicant,
        )
        if not self.step("request_payment", "awaiting_payment", billed):
            return
        invoice.created_event()
        if self.rng.random() < 0.9:
            paid = invoice.paid_event(self.later(billed, 600, 6 * 86_400))
            if paid is not None:
                self.issued(self.later(paid, 2, 30), "record_payment")
            return
        if invoice.expired_event() and self.step("expire", "expired", invoice.due_at):
            self.emit(
                invoice.due_at,
                self.id,
                ApplicationExpired(
                    application_id=self.id,
                    applicant_id=self.applicant,
                    permit_type=self.type.code,
                    expired_at=invoice.due_at,
                ),
            )

    def issued(self, at: datetime, action: Literal["issue", "record_payment"]) -> None:
        if self.step(action, "issued", at):
            self.emit(
                at,
                self.id,
                PermitIssued(
                    permit_id=self.new_id(),
                    application_id=self.id,
                    applicant_id=self.applicant,
                    permit_type=self.type.code,
                    number=f"{self.type.code}/{at:%Y}/{self.id.hex[:6].upper()}",
                    issued_at=at,
                    valid_until=date(at.year + 5, at.month, 1),
                ),
            )


class _Invoice:
    """An invoice of payments, written into ``story`` (an application's, or its own)."""

    def __init__(
        self,
        story: _Story,
        *,
        source: str,
        amount: int,
        created: datetime,
        days_to_pay: int,
        reference: str,
        payer: str,
    ) -> None:
        self.story = story
        self.id = story.new_id()
        self.source = source
        self.amount = amount
        self.created = created
        self.due_at = created + timedelta(days=days_to_pay)
        self.reference = reference
        self.payer = payer
        self.number = f"INV-{self.id.hex[:10].upper()}"

    def created_event(self) -> bool:
        return self.story.emit(
            self.created,
            self.id,
            InvoiceCreated(
                invoice_id=self.id,
                number=self.number,
                payer_id=self.payer,
                source=self.source,
                source_reference=self.reference,
                amount=self.amount,
                due_at=self.due_at,
                va_number=f"8808{self.id.int % 10**12:012d}",
                created_at=self.created,
            ),
        )

    def paid_event(self, at: datetime) -> datetime | None:
        at = min(at, self.due_at - timedelta(seconds=1))
        channel: Channel = "va" if self.story.rng.random() < 0.6 else "qris"
        written = self.story.emit(
            at,
            self.id,
            InvoicePaid(
                invoice_id=self.id,
                number=self.number,
                payer_id=self.payer,
                source=self.source,
                source_reference=self.reference,
                amount=self.amount,
                channel=channel,
                provider_transaction_id=f"trx-{self.story.rng.getrandbits(48):012x}",
                paid_at=at,
            ),
        )
        return at if written else None

    def expired_event(self) -> bool:
        return self.story.emit(
            self.due_at,
            self.id,
            InvoiceExpired(
                invoice_id=self.id,
                payer_id=self.payer,
                source=self.source,
                source_reference=self.reference,
                amount=self.amount,
                expired_at=self.due_at,
            ),
        )


class _OtherInvoice(_Story):
    """An invoice of another source than permits: paid, expired or cancelled."""

    def __init__(self, rng: random.Random, end: datetime, start: datetime) -> None:
        super().__init__(rng, end)
        weights = [w for _source, w, _amounts, _days in OTHER_INVOICES]
        source, _w, (low, high), days = rng.choices(OTHER_INVOICES, weights=weights)[0]
        amount = round(rng.uniform(low, high), -3)
        invoice = _Invoice(
            self,
            source=source,
            amount=int(amount),
            created=start,
            days_to_pay=days,
            reference=f"{source}:{rng.getrandbits(48):012x}",
            payer=f"citizen-{rng.getrandbits(40):010x}",
        )
        if not invoice.created_event():
            return
        outcome = rng.random()
        if outcome < 0.80:
            paid = invoice.paid_event(self.later(start, 300, days * 86_400))
            if paid is not None and rng.random() < 0.02:
                refunded = self.later(paid, 86_400, 10 * 86_400)
                self.emit(
                    refunded,
                    invoice.id,
                    RefundIssued(
                        refund_id=self.new_id(),
                        invoice_id=invoice.id,
                        payer_id=invoice.payer,
                        source=source,
                        source_reference=invoice.reference,
                        amount=invoice.amount,
                        reason="finance_officer",
                        refunded_at=refunded,
                        remaining_refundable=0,
                    ),
                )
        elif outcome < 0.95:
            invoice.expired_event()
        else:
            cancelled = self.later(start, 3600, 3 * 86_400)
            self.emit(
                cancelled,
                invoice.id,
                InvoiceCancelled(
                    invoice_id=invoice.id,
                    source=source,
                    source_reference=invoice.reference,
                    reason="source_cancelled",
                    cancelled_at=cancelled,
                ),
            )


class _Booking(_Story):
    """A clinic booking, up to two weeks ahead; some cancelled before the visit."""

    def __init__(self, rng: random.Random, end: datetime, start: datetime) -> None:
        super().__init__(rng, end)
        booking, facility = self.new_id(), rng.choice(FACILITIES)
        facility_id = uuid.uuid5(uuid.NAMESPACE_URL, f"kota-live:facility:{facility}")
        service_index = rng.choices(range(len(CLINIC_SERVICES)), weights=CLINIC_WEIGHTS)[0]
        service = CLINIC_SERVICES[service_index]
        visit = (start + timedelta(days=rng.randint(0, 14))).date()
        queue = rng.randint(1, 80)
        assisted = rng.choice(KIOSK_OFFICERS) if rng.random() < 0.08 else None
        facts = {
            "booking_id": booking,
            "citizen_id": f"citizen-{rng.getrandbits(40):010x}",
            "facility_id": facility_id,
            "facility_code": facility,
            "service_code": service,
            "visit_date": visit,
            "queue_number": queue,
            "queue_label": f"{service[:1].upper()}-{queue:03d}",
            "assisted_by": assisted,
            "booked_at": start,
        }
        # v2 beside v1, as health publishes them: with the day's places and the district.
        kecamatan = f"36.71.{facility[5:7]}" if facility.startswith("P") else KECAMATAN[0]
        if not self.emit(start, booking, AppointmentBooked(**facts)):
            return
        v2 = AppointmentBookedV2(
            kecamatan_code=kecamatan, daily_quota=CLINIC_QUOTAS[service_index], **facts
        )
        if self.emit(start, booking, v2) and rng.random() < 0.12:
            cancelled = self.later(start, 600, 3 * 86_400)
            self.emit(
                cancelled,
                booking,
                AppointmentCancelled(
                    booking_id=booking,
                    facility_id=facility_id,
                    facility_code=facility,
                    service_code=service,
                    visit_date=visit,
                    queue_number=queue,
                    cancelled_at=cancelled,
                ),
            )


class _Registration(_Story):
    """A school registration: most verified by the school, a few withdrawn."""

    def __init__(self, rng: random.Random, end: datetime, start: datetime) -> None:
        super().__init__(rng, end)
        registration = self.new_id()
        school = rng.choice(SCHOOLS)
        npsn, level = school.npsn, school.level
        pathways = [p for p in Pathway if not (level is SchoolLevel.SD and p is Pathway.PRESTASI)]
        pathway = rng.choices(pathways, weights=[6, 2, 1, 3][: len(pathways)])[0]
        year = start.year if start.month <= SEASON_MONTHS[-1] else start.year + 1
        key = {"admission_year": year, "school_npsn": npsn, "level": level, "pathway": pathway}
        facts = {
            "registration_id": registration,
            "parent_id": f"citizen-{rng.getrandbits(40):010x}",
            "assisted_by": rng.choice(KIOSK_OFFICERS) if rng.random() < 0.1 else None,
            "submitted_at": start,
            **key,
        }
        if not self.emit(start, registration, RegistrationSubmitted(**facts)):
            return
        # v2 beside v1, as education publishes them: with the school's places and district.
        quota = int(school.capacity * PATHWAY_SHARES[pathway])
        v2 = RegistrationSubmittedV2(
            kecamatan_code=school.kecamatan,
            school_capacity=school.capacity,
            pathway_quota=quota if school.capacity >= 64 else None,
            **facts,
        )
        if not self.emit(start, registration, v2):
            return
        outcome = rng.random()
        if outcome < 0.85:
            verified = self.later(start, 86_400, 5 * 86_400)
            self.emit(
                verified,
                registration,
                RegistrationVerified(
                    registration_id=registration,
                    verified_by=f"school-officer-{npsn}",
                    documents_checked=[DocumentKind.KARTU_KELUARGA, DocumentKind.AKTA_KELAHIRAN],
                    verified_at=verified,
                    **key,
                ),
            )
        elif outcome < 0.91:
            withdrawn = self.later(start, 86_400, 10 * 86_400)
            self.emit(
                withdrawn,
                registration,
                RegistrationWithdrawn(registration_id=registration, withdrawn_at=withdrawn, **key),
            )


class _Citizen(_Story):
    """A citizen's registration, v1 and v2 beside it (by an officer at a kiosk, sometimes)."""

    def __init__(self, rng: random.Random, end: datetime, start: datetime) -> None:
        super().__init__(rng, end)
        account, kecamatan = self.new_id(), rng.choice(KECAMATAN)
        if rng.random() < 0.15:
            officer = rng.choice(IDENTITY_OFFICERS)
            self.emit(
                start,
                account,
                CitizenRegisteredByOfficer(
                    account_id=account,
                    regency_code=REGENCY,
                    registered_by=officer,
                    registered_at=start,
                ),
            )
            self.emit(
                start,
                account,
                CitizenRegisteredByOfficerV2(
                    account_id=account,
                    regency_code=REGENCY,
                    kecamatan_code=kecamatan,
                    registered_by=officer,
                    registered_at=start,
                ),
            )
            return
        self.emit(
            start,
            account,
            CitizenRegistered(account_id=account, regency_code=REGENCY, registered_at=start),
        )
        self.emit(
            start,
            account,
            CitizenRegisteredV2(
                account_id=account,
                regency_code=REGENCY,
                kecamatan_code=kecamatan,
                registered_at=start,
            ),
        )


_STORIES: dict[StoryKind, Callable[[random.Random, datetime, datetime], _Story]] = {
    "permits": _Application,
    "payments": _OtherInvoice,
    "health": _Booking,
    "education": _Registration,
    "identity": _Citizen,
}


def _start_of_day(rng: random.Random, day: datetime, kind: StoryKind) -> datetime:
    """When in the city's ``day`` (from its midnight) a story starts: office hours for
    applications and invoices (08:00 to 16:00), 06:00 to 23:00 for what citizens do from
    home."""
    low, high = (8, 16) if kind in ("permits", "payments") else (6, 23)
    return day + timedelta(seconds=round(rng.uniform(low * 3600, high * 3600)))


def _stories_on(day: datetime, scale: float) -> dict[StoryKind, float]:
    """How many stories of each kind start on ``day`` (its midnight in UTC), on average."""
    local = day + CITY_OFFSET
    weekday = WEEKDAY_WEIGHTS[local.weekday()]
    counts: dict[StoryKind, float] = {}
    for kind, weight in STORY_WEIGHTS.items():
        factor = 1.0 if kind == "identity" else weekday
        if kind == "education":
            factor *= 2.8 if local.month in SEASON_MONTHS else 0.4
        counts[kind] = scale * weight * factor
    return counts


def city(*, end: datetime, days: int, scale: float, seed: int) -> Iterator[Emitted]:
    """Every event of ``days`` days up to ``end``, in time order; ``scale`` sets how many
    stories start each day (about 2.8 events each, on average)."""
    rng = random.Random(seed)
    heap: list[tuple[datetime, int, Emitted]] = []
    order = itertools.count()
    # Days start at the city's midnight (WIB, UTC+7), so a day's stories all start in it.
    first = (end - timedelta(days=days) + CITY_OFFSET).replace(
        hour=0, minute=0, second=0, microsecond=0
    ) - CITY_OFFSET
    for n in range(days + 2):
        day = first + timedelta(days=n)  # the city's midnight, in UTC
        while heap and heap[0][0] < day:
            yield heapq.heappop(heap)[2]
        if day > end:
            break
        for kind, mean in _stories_on(day, scale).items():
            count = int(mean) + (rng.random() < mean - int(mean))
            for _ in range(count):
                start = _start_of_day(rng, day, kind)
                if start < first or start > end:
                    continue
                for event in _STORIES[kind](rng, end, start).events:
                    heapq.heappush(heap, (event.at, next(order), event))
    while heap:
        yield heapq.heappop(heap)[2]


def scale_for(events: int, *, end: datetime, days: int, seed: int) -> float:
    """The ``scale`` at which ``city`` writes about ``events`` events: measured on a city a
    fraction of the size (the same model, so the same events per story)."""
    trial_scale = 40.0
    trial = sum(1 for _ in city(end=end, days=days, scale=trial_scale, seed=seed + 1))
    return trial_scale * events / max(trial, 1)
