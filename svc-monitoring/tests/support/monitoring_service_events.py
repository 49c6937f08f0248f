"""Payments', health's, education's and identity's events as those services publish them, for
tests' scripted months (permits' steps are in `monitoring_events`).

Each builder returns a `Told` event: the event, the subject it is keyed by (its aggregate's
id) and when it happened, so a story is a list of them for `publish`.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from monitoring_feed import Feed

from kota_contracts.education import (
    DocumentKind,
    Pathway,
    RegistrationSubmittedV2,
    RegistrationVerified,
    RegistrationWithdrawn,
    SchoolLevel,
)
from kota_contracts.health import AppointmentBookedV2, AppointmentCancelled
from kota_contracts.identity import (
    CitizenRegistered,
    CitizenRegisteredByOfficer,
    CitizenRegisteredByOfficerV2,
    CitizenRegisteredV2,
)
from kota_contracts.payments import (
    Channel,
    InvoiceCancelled,
    InvoiceCreated,
    InvoiceExpired,
    InvoicePaid,
    RefundIssued,
)
from kota_contracts.permits import StepTaken
from kota_shared.events.envelope import EventData

REGENCY = "3671"
"""Kota Tangerang: where the test citizens' NIKs were first registered."""


@dataclass(frozen=True)
class Told:
    """An event as its service publishes it: keyed by ``subject``, at ``at``."""

    subject: uuid.UUID
    event: EventData
    at: datetime


Story = list[Told]
"""Events in the order their services published them."""


async def publish(feed: Feed, story: Story) -> None:
    """Send ``story`` in order and wait until monitoring applied all of it."""
    await feed.applied(
        [await feed.send(told.event, subject=told.subject, at=told.at) for told in story]
    )


def taken(step: StepTaken) -> Told:
    """A permits step (from `monitoring_events.step`) as told."""
    return Told(step.application_id, step, step.at)


@dataclass
class Invoice:
    """One invoice of payments, from its opening on: each method returns its next event."""

    source: str
    amount: int
    due_at: datetime
    source_reference: str = ""
    invoice_id: uuid.UUID = field(default_factory=uuid.uuid4)
    payer_id: str = field(default_factory=lambda: f"citizen-{uuid.uuid4().hex[:8]}")

    def __post_init__(self) -> None:
        if not self.source_reference:
            self.source_reference = f"{self.source}:{uuid.uuid4().hex[:12]}"

    def _told(self, event: EventData, at: datetime) -> Told:
        return Told(self.invoice_id, event, at)

    @property
    def number(self) -> str:
        return f"INV-{self.invoice_id.hex[:10].upper()}"

    def created(self, at: datetime) -> Told:
        return self._told(
            InvoiceCreated(
                invoice_id=self.invoice_id,
                number=self.number,
                payer_id=self.payer_id,
                source=self.source,
                source_reference=self.source_reference,
                amount=self.amount,
                due_at=self.due_at,
                va_number=f"8808{self.invoice_id.int % 10**12:012d}",
                created_at=at,
            ),
            at,
        )

    def paid(self, at: datetime, *, channel: Channel, amount: int | None = None) -> Told:
        return self._told(
            InvoicePaid(
                invoice_id=self.invoice_id,
                number=self.number,
                payer_id=self.payer_id,
                source=self.source,
                source_reference=self.source_reference,
                amount=self.amount if amount is None else amount,
                channel=channel,
                provider_transaction_id=f"trx-{uuid.uuid4().hex[:12]}",
                paid_at=at,
            ),
            at,
        )

    def expired(self, at: datetime) -> Told:
        return self._told(
            InvoiceExpired(
                invoice_id=self.invoice_id,
                payer_id=self.payer_id,
                source=self.source,
                source_reference=self.source_reference,
                amount=self.amount,
                expired_at=at,
            ),
            at,
        )

    def cancelled(self, at: datetime, *, reason: str = "applicant_cancelled") -> Told:
        return self._told(
            InvoiceCancelled(
                invoice_id=self.invoice_id,
                source=self.source,
                source_reference=self.source_reference,
                reason=reason,
                cancelled_at=at,
            ),
            at,
        )

    def refunded(self, at: datetime, *, amount: int | None = None) -> Told:
        refund = self.amount if amount is None else amount
        return self._told(
            RefundIssued(
                refund_id=uuid.uuid4(),
                invoice_id=self.invoice_id,
                payer_id=self.payer_id,
                source=self.source,
                source_reference=self.source_reference,
                amount=refund,
                reason="finance_officer",
                refunded_at=at,
                remaining_refundable=self.amount - refund,
            ),
            at,
        )


@dataclass
class Booking:
    """One clinic booking of health: a place in a facility's queue for a service and day."""

    facility_code: str
    service_code: str
    visit_date: date
    assisted_by: str | None = None
    booking_id: uuid.UUID = field(default_factory=uuid.uuid4)
    facility_id: uuid.UUID = field(default_factory=uuid.uuid4)
    queue_number: int = 1
    kecamatan_code: str = "36.71.01"
    daily_quota: int = 20

    def _told(self, event: EventData, at: datetime) -> Told:
        return Told(self.booking_id, event, at)

    def booked(self, at: datetime) -> Told:
        return self._told(
            AppointmentBookedV2(
                booking_id=self.booking_id,
                citizen_id=f"citizen-{uuid.uuid4().hex[:8]}",
                facility_id=self.facility_id,
                facility_code=self.facility_code,
                kecamatan_code=self.kecamatan_code,
                service_code=self.service_code,
                visit_date=self.visit_date,
                daily_quota=self.daily_quota,
                queue_number=self.queue_number,
                queue_label=f"{self.service_code[:1].upper()}-{self.queue_number:03d}",
                assisted_by=self.assisted_by,
                booked_at=at,
            ),
            at,
        )

    def cancelled(self, at: datetime) -> Told:
        return self._told(
            AppointmentCancelled(
                booking_id=self.booking_id,
                facility_id=self.facility_id,
                facility_code=self.facility_code,
                service_code=self.service_code,
                visit_date=self.visit_date,
                queue_number=self.queue_number,
                cancelled_at=at,
            ),
            at,
        )


@dataclass
class Registration:
    """One school registration of education, for a child at a school on a pathway."""

    school_npsn: str
    level: SchoolLevel
    pathway: Pathway
    admission_year: int
    assisted_by: str | None = None
    registration_id: uuid.UUID = field(default_factory=uuid.uuid4)
    kecamatan_code: str = "36.71.02"
    school_capacity: int = 100
    pathway_quota: int | None = 50

    def _told(self, event: EventData, at: datetime) -> Told:
        return Told(self.registration_id, event, at)

    def submitted(self, at: datetime) -> Told:
        return self._told(
            RegistrationSubmittedV2(
                registration_id=self.registration_id,
                admission_year=self.admission_year,
                school_npsn=self.school_npsn,
                kecamatan_code=self.kecamatan_code,
                level=self.level,
                pathway=self.pathway,
                school_capacity=self.school_capacity,
                pathway_quota=self.pathway_quota,
                parent_id=f"citizen-{uuid.uuid4().hex[:8]}",
                assisted_by=self.assisted_by,
                submitted_at=at,
            ),
            at,
        )

    def withdrawn(self, at: datetime) -> Told:
        return self._told(
            RegistrationWithdrawn(
                registration_id=self.registration_id,
                admission_year=self.admission_year,
                school_npsn=self.school_npsn,
                level=self.level,
                pathway=self.pathway,
                withdrawn_at=at,
            ),
            at,
        )

    def verified(self, at: datetime) -> Told:
        return self._told(
            RegistrationVerified(
                registration_id=self.registration_id,
                admission_year=self.admission_year,
                school_npsn=self.school_npsn,
                level=self.level,
                pathway=self.pathway,
                verified_by="school-officer-1",
                documents_checked=[DocumentKind.KARTU_KELUARGA, DocumentKind.AKTA_KELAHIRAN],
                verified_at=at,
            ),
            at,
        )


def unique_npsn() -> str:
    """An 8-digit school number (NPSN) no other test uses."""
    return f"{uuid.uuid4().int % 10**8:08d}"


def citizen_registered(
    kecamatan: str, at: datetime, *, by_officer: uuid.UUID | None = None
) -> Story:
    """One registration as the gateway publishes it: v1 and, beside it, v2 with the district
    (by the citizen, or at a kiosk ``by_officer``)."""
    account = uuid.uuid4()
    v1: EventData
    v2: EventData
    if by_officer is None:
        v1 = CitizenRegistered(account_id=account, regency_code=REGENCY, registered_at=at)
        v2 = CitizenRegisteredV2(
            account_id=account, regency_code=REGENCY, kecamatan_code=kecamatan, registered_at=at
        )
    else:
        v1 = CitizenRegisteredByOfficer(
            account_id=account, regency_code=REGENCY, registered_by=by_officer, registered_at=at
        )
        v2 = CitizenRegisteredByOfficerV2(
            account_id=account,
            regency_code=REGENCY,
            kecamatan_code=kecamatan,
            registered_by=by_officer,
            registered_at=at,
        )
    return [Told(account, v1, at), Told(account, v2, at)]
