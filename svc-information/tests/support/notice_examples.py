"""One realistic example of every event that gives a notice, as its service publishes it, and
an announcement; personal numbers and a password are planted wherever an event carries text
a person or a probe wrote, to prove they never reach a notice."""

import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from information.notices.drafts import (
    CitizenRecipient,
    NoticeDraft,
    announcement_draft,
    draft_notices,
    draft_reminders,
)
from information.notices.kinds import NoticeKind, NoticeParams
from kota_contracts.education import (
    Pathway,
    RegistrationSubmittedV2,
    RegistrationWithdrawn,
    SchoolLevel,
)
from kota_contracts.health import AppointmentBookedV2, AppointmentCancelled
from kota_contracts.monitoring import (
    ConsumerLagging,
    DeadLetterWritten,
    DeadlineAtRisk,
    DeadlineBreached,
    ServiceNotReady,
)
from kota_contracts.payments import InvoiceCreated, InvoiceExpired, InvoicePaid, RefundIssued
from kota_contracts.permits import (
    ApplicationApproved,
    ApplicationRejected,
    ApplicationSubmittedV2,
    DeadlinePassed,
    PermitIssuedV2,
    RevisionRequested,
    fee_invoice_reference,
)
from kota_shared.events.envelope import EventData

WIB = ZoneInfo("Asia/Jakarta")

# Planted where free text can carry them: none may reach a notice.
NIK = "3671014501900001"
FAMILY_CARD = "3671012301150004"
PHONE = "081234567890"
DB_PASSWORD = "s3cr3t-Pa55w0rd"
PLANTED = (NIK, FAMILY_CARD, PHONE, "0812-3456-7890", "812 3456 7890", DB_PASSWORD)

APPLICANT = uuid.UUID("0b6f3c52-7f1e-4d0a-9a51-3c2e8e4f9d17")
PARENT = uuid.UUID("5d0c2b9e-2a57-4d0b-8e0f-6a1c3f7b9e21")
APPLICATION = uuid.UUID("7a3e1f0c-5b2d-4e8a-9c61-0f2b7d4a8e53")
PERMIT = uuid.UUID("c41d8e2a-9f3b-4a6c-b0e7-2d5f8a1c6b94")
INVOICE = uuid.UUID("e2b7c9d1-4a3f-4e6b-8d0c-1f9a5b7e3c28")
REFUND = uuid.UUID("9b1e4f7a-2c8d-4d3e-a5b6-7c0f1e2d3a49")
BOOKING = uuid.UUID("3f8a2d6c-1e9b-4c7a-b2d5-8e0f4a6c1b37")
FACILITY = uuid.UUID("a6c3e9f1-7b2d-4a8e-9c0b-5d1f3e7a2c64")
REGISTRATION = uuid.UUID("d9e2a7c4-6f1b-4b3e-8a5d-0c7f2e9b4a16")
ANNOUNCEMENT = uuid.UUID("1c7e3a9f-5d2b-4e8c-a0f6-3b9d1e5c7a82")
VERIFICATION_URL = "https://kota.example.go.id/v1/permits/verify/xQ3vKp9TzR2mW8aB"
VA_NUMBER = "8808000000004202"
"""A virtual account number is 16 digits like a NIK, and the invoice's notices must print it."""


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant on Tangerang's clock, as UTC (how events carry it)."""
    return datetime(year, month, day, hour, minute, tzinfo=WIB).astimezone(UTC)


SUBMITTED = ApplicationSubmittedV2(
    application_id=APPLICATION,
    applicant_id=str(APPLICANT),
    permit_type="PBG",
    district_code="367101",
    resubmission=False,
    submitted_at=at(2026, 3, 2, 9, 15),
    deadline_at=at(2026, 3, 4),
)
REVISION_REQUESTED = RevisionRequested(
    application_id=APPLICATION,
    applicant_id=str(APPLICANT),
    permit_type="PBG",
    note=(
        f"Denah lantai 2 belum dilampirkan. NIK pemohon {NIK} tidak sesuai dengan KK "
        f"3671 0123 0115 0004; hubungi kami di 0812-3456-7890 bila perlu."
    ),
    requested_at=at(2026, 3, 3, 14, 0),
)
APPROVED = ApplicationApproved(
    application_id=APPLICATION,
    applicant_id=str(APPLICANT),
    permit_type="PBG",
    permit_type_name="Persetujuan Bangunan Gedung",
    district_code="367101",
    fee_amount=1_250_000,
    deemed=False,
    approved_at=at(2026, 3, 10, 10, 30),
)
REJECTED = ApplicationRejected(
    application_id=APPLICATION,
    applicant_id=str(APPLICANT),
    permit_type="PBG",
    reason=f"Lokasi berada di jalur hijau. Pemilik lahan (NIK {NIK}, +62 812 3456 7890) menolak.",
    rejected_at=at(2026, 3, 10, 10, 30),
)
ISSUED = PermitIssuedV2(
    permit_id=PERMIT,
    application_id=APPLICATION,
    applicant_id=str(APPLICANT),
    permit_type="PBG",
    number="PBG/3671/2026/000123",
    issued_at=at(2026, 3, 12, 8, 0),
    valid_until=date(2031, 3, 11),
    verification_url=VERIFICATION_URL,
)
DEADLINE_PASSED = DeadlinePassed(
    application_id=APPLICATION,
    permit_type="PBG",
    stage="review",
    deadline_at=at(2026, 3, 20),
    policy="auto_approve",
    detected_at=at(2026, 3, 20, 0, 1),
)
INVOICE_CREATED = InvoiceCreated(
    invoice_id=INVOICE,
    number="KL2026-00000042",
    payer_id=str(APPLICANT),
    source="permits",
    source_reference=fee_invoice_reference(APPLICATION),
    amount=1_250_000,
    due_at=at(2026, 3, 17, 10, 30),
    va_number=VA_NUMBER,
    created_at=at(2026, 3, 10, 10, 31),
)
INVOICE_PAID = InvoicePaid(
    invoice_id=INVOICE,
    number="KL2026-00000042",
    payer_id=str(APPLICANT),
    source="permits",
    source_reference=fee_invoice_reference(APPLICATION),
    amount=1_250_000,
    channel="qris",
    provider_transaction_id="PSIM-20260311-000981",
    paid_at=at(2026, 3, 11, 19, 45),
)
INVOICE_EXPIRED = InvoiceExpired(
    invoice_id=INVOICE,
    payer_id=str(APPLICANT),
    source="permits",
    source_reference=fee_invoice_reference(APPLICATION),
    amount=1_250_000,
    expired_at=at(2026, 3, 17, 10, 30),
)
REFUNDED = RefundIssued(
    refund_id=REFUND,
    invoice_id=INVOICE,
    payer_id=str(APPLICANT),
    source="permits",
    source_reference=fee_invoice_reference(APPLICATION),
    amount=1_250_000,
    reason=f"Pembayaran ganda; dikonfirmasi lewat telepon {PHONE} (KK {FAMILY_CARD}).",
    refunded_at=at(2026, 3, 13, 11, 0),
    remaining_refundable=0,
)
BOOKED = AppointmentBookedV2(
    booking_id=BOOKING,
    citizen_id=str(APPLICANT),
    facility_id=FACILITY,
    facility_code="PKM-CIPONDOH",
    kecamatan_code="36.71.05",
    service_code="UMUM",
    visit_date=date(2026, 3, 5),
    daily_quota=40,
    queue_number=12,
    queue_label="A-012",
    assisted_by=None,
    booked_at=at(2026, 3, 2, 7, 5),
)
BOOKING_CANCELLED = AppointmentCancelled(
    booking_id=BOOKING,
    facility_id=FACILITY,
    facility_code="PKM-CIPONDOH",
    service_code="UMUM",
    visit_date=date(2026, 3, 5),
    queue_number=12,
    cancelled_at=at(2026, 3, 3, 20, 0),
)
REGISTERED = RegistrationSubmittedV2(
    registration_id=REGISTRATION,
    admission_year=2026,
    school_npsn="20606123",
    kecamatan_code="36.71.05",
    level=SchoolLevel.SMP,
    pathway=Pathway.DOMISILI,
    school_capacity=256,
    pathway_quota=103,
    parent_id=str(PARENT),
    assisted_by=None,
    submitted_at=at(2026, 6, 10, 8, 0),
)
REGISTRATION_WITHDRAWN = RegistrationWithdrawn(
    registration_id=REGISTRATION,
    admission_year=2026,
    school_npsn="20606123",
    level=SchoolLevel.SMP,
    pathway=Pathway.DOMISILI,
    withdrawn_at=at(2026, 6, 12, 16, 0),
)
AT_RISK = DeadlineAtRisk(
    application_id=APPLICATION,
    permit_type="PBG",
    kecamatan_code="36.71.07",
    stage="verification",
    started_at=at(2026, 3, 2, 9, 15),
    due_at=at(2026, 3, 4),
    detected_at=at(2026, 3, 3, 14, 0),
)
BREACHED = DeadlineBreached(
    application_id=APPLICATION,
    permit_type="PBG",
    kecamatan_code=None,
    stage="review",
    started_at=at(2026, 3, 4, 9, 0),
    due_at=at(2026, 3, 20),
    detected_at=at(2026, 3, 20, 0, 1),
)
NOT_READY = ServiceNotReady(
    service="payments",
    not_ready_since=at(2026, 3, 9, 2, 10),
    detail=(
        f"database: postgresql+asyncpg://payments:{DB_PASSWORD}@127.0.0.1:5432/payments "
        f"refused the connection (password={DB_PASSWORD})"
    ),
    detected_at=at(2026, 3, 9, 2, 15),
)
LAGGING = ConsumerLagging(
    consumer_group="information",
    lag=12_345,
    threshold=1_000,
    lagging_since=at(2026, 3, 9, 2, 0),
    detected_at=at(2026, 3, 9, 2, 5),
)
DEAD_LETTERS = DeadLetterWritten(
    dead_letter_topic="permits.dlq", written=7, new=3, detected_at=at(2026, 3, 9, 2, 5)
)

EVENTS: tuple[EventData, ...] = (
    SUBMITTED,
    REVISION_REQUESTED,
    APPROVED,
    REJECTED,
    ISSUED,
    DEADLINE_PASSED,
    INVOICE_CREATED,
    INVOICE_PAID,
    INVOICE_EXPIRED,
    REFUNDED,
    BOOKED,
    BOOKING_CANCELLED,
    REGISTERED,
    REGISTRATION_WITHDRAWN,
    AT_RISK,
    BREACHED,
    NOT_READY,
    LAGGING,
    DEAD_LETTERS,
)

ANNOUNCED = announcement_draft(
    announcement_id=ANNOUNCEMENT,
    title_id="Pemadaman air bersih di Cipondoh",
    body_id=(
        "PDAM menghentikan aliran air di Kecamatan Cipondoh pada Sabtu, 7 Maret 2026, pukul "
        "08.00-16.00 WIB karena perbaikan pipa. Tangki air disiagakan di kantor kelurahan. "
        f"Informasi: WhatsApp 0811-1500-123. (Data warga {NIK} jangan disebar.)"
    ),
    title_en="Water supply cut in Cipondoh",
    body_en=(
        "The water company will stop the supply in Cipondoh on Saturday 7 March 2026, "
        "08.00-16.00 WIB, to repair a main. Water tanks stand by at the village offices. "
        f"Information: WhatsApp 0811-1500-123. (Resident {NIK}: do not share.)"
    ),
    recipient=CitizenRecipient(APPLICANT),
)


def example_drafts() -> list[NoticeDraft]:
    """Every draft the examples give: notices, reminders, and the announcement."""
    drafts = [ANNOUNCED]
    for event in EVENTS:
        drafts += draft_notices(event) + draft_reminders(event)
    return drafts


def example_params() -> dict[NoticeKind, NoticeParams]:
    """The parameters of each kind's example: what its templates are rendered with."""
    return {draft.kind: draft.params for draft in example_drafts()}
