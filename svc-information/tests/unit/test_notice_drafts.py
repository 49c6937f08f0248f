"""What each event tells whom: one row per event type, and the events that tell nobody."""

import json
import uuid

import pytest
from notice_examples import (
    ANNOUNCEMENT,
    APPLICANT,
    APPLICATION,
    APPROVED,
    AT_RISK,
    BOOKED,
    BOOKING,
    BOOKING_CANCELLED,
    BREACHED,
    DEAD_LETTERS,
    DEADLINE_PASSED,
    FACILITY,
    INVOICE,
    INVOICE_CREATED,
    INVOICE_EXPIRED,
    INVOICE_PAID,
    ISSUED,
    LAGGING,
    NIK,
    NOT_READY,
    PARENT,
    PLANTED,
    REFUNDED,
    REGISTERED,
    REGISTRATION,
    REGISTRATION_WITHDRAWN,
    REJECTED,
    REVISION_REQUESTED,
    SUBMITTED,
    VA_NUMBER,
    VERIFICATION_URL,
    at,
    example_drafts,
)

from information.notices.drafts import (
    NOTIFYING_EVENTS,
    REMINDING_EVENTS,
    CitizenRecipient,
    NoticeDraft,
    OfficersRecipient,
    Ownership,
    SubjectOwner,
    announcement_draft,
    draft_notices,
    draft_reminders,
    ownership,
)
from information.notices.kinds import NoticeKind
from kota_contracts.access import Role
from kota_contracts.education import RegistrationSubmitted
from kota_contracts.health import AppointmentBooked
from kota_contracts.payments import InvoiceCancelled
from kota_contracts.permits import (
    ApplicationDrafted,
    ApplicationSubmitted,
    PermitIssued,
    PermitRevoked,
)
from kota_shared.events.envelope import EventData

CITIZEN = CitizenRecipient(APPLICANT)
PERMITS_OFFICERS = OfficersRecipient(frozenset({Role.PERMITS_OFFICER}))
OPERATORS = OfficersRecipient(frozenset({Role.CITY_ADMIN}))
ON_APPLICATION = f"application:{APPLICATION}"
ON_INVOICE = f"invoice:{INVOICE}"
ON_BOOKING = f"booking:{BOOKING}"
ON_REGISTRATION = f"registration:{REGISTRATION}"

INVOICE_PARAMS = {
    "invoice_number": "KL2026-00000042",
    "purpose": "permits",
    "amount": 1_250_000,
    "va_number": VA_NUMBER,
    "due_at": "2026-03-17T03:30:00+00:00",
}
BOOKING_PARAMS = {
    "facility_code": "PKM-CIPONDOH",
    "service_code": "UMUM",
    "visit_date": "2026-03-05",
    "queue_label": "A-012",
    "queue_number": 12,
}
REGISTRATION_PARAMS = {
    "school_npsn": "20606123",
    "level": "SMP",
    "pathway": "domisili",
    "admission_year": 2026,
}

TABLE: list[tuple[EventData, NoticeDraft]] = [
    (
        SUBMITTED,
        NoticeDraft(
            kind=NoticeKind.PERMIT_SUBMITTED,
            recipient=CITIZEN,
            params={
                "permit_type": "PBG",
                "resubmission": False,
                "submitted_at": "2026-03-02T02:15:00+00:00",
                "deadline_at": "2026-03-03T17:00:00+00:00",
            },
            urgent=False,
            subject_ref=ON_APPLICATION,
        ),
    ),
    (
        REVISION_REQUESTED,
        NoticeDraft(
            kind=NoticeKind.PERMIT_REVISION_REQUESTED,
            recipient=CITIZEN,
            params={
                "permit_type": "PBG",
                "note": "Denah lantai 2 belum dilampirkan. NIK pemohon ************0001 tidak "
                "sesuai dengan KK ************0004; hubungi kami di ********7890 bila perlu.",
                "requested_at": "2026-03-03T07:00:00+00:00",
            },
            urgent=False,
            subject_ref=ON_APPLICATION,
        ),
    ),
    (
        APPROVED,
        NoticeDraft(
            kind=NoticeKind.PERMIT_APPROVED,
            recipient=CITIZEN,
            params={
                "permit_type": "PBG",
                "permit_type_name": "Persetujuan Bangunan Gedung",
                "fee_amount": 1_250_000,
                "deemed": False,
                "approved_at": "2026-03-10T03:30:00+00:00",
            },
            urgent=False,
            subject_ref=ON_APPLICATION,
        ),
    ),
    (
        REJECTED,
        NoticeDraft(
            kind=NoticeKind.PERMIT_REJECTED,
            recipient=CITIZEN,
            params={
                "permit_type": "PBG",
                "reason": "Lokasi berada di jalur hijau. Pemilik lahan (NIK ************0001, "
                "*********7890) menolak.",
                "rejected_at": "2026-03-10T03:30:00+00:00",
            },
            urgent=False,
            subject_ref=ON_APPLICATION,
        ),
    ),
    (
        ISSUED,
        NoticeDraft(
            kind=NoticeKind.PERMIT_ISSUED,
            recipient=CITIZEN,
            params={
                "permit_type": "PBG",
                "permit_number": "PBG/3671/2026/000123",
                "issued_at": "2026-03-12T01:00:00+00:00",
                "valid_until": "2031-03-11",
                "verification_url": VERIFICATION_URL,
            },
            urgent=False,
            subject_ref=ON_APPLICATION,
        ),
    ),
    (
        DEADLINE_PASSED,
        NoticeDraft(
            kind=NoticeKind.PERMIT_DEADLINE_PASSED,
            recipient=SubjectOwner(ON_APPLICATION),
            params={
                "permit_type": "PBG",
                "stage": "review",
                "deadline_at": "2026-03-19T17:00:00+00:00",
                "policy": "auto_approve",
            },
            urgent=False,
            subject_ref=ON_APPLICATION,
        ),
    ),
    (
        INVOICE_CREATED,
        NoticeDraft(
            kind=NoticeKind.INVOICE_OPENED,
            recipient=CITIZEN,
            params=INVOICE_PARAMS,
            urgent=False,
            subject_ref=ON_INVOICE,
        ),
    ),
    (
        INVOICE_PAID,
        NoticeDraft(
            kind=NoticeKind.INVOICE_PAID,
            recipient=CITIZEN,
            params={
                "invoice_number": "KL2026-00000042",
                "purpose": "permits",
                "amount": 1_250_000,
                "channel": "qris",
                "paid_at": "2026-03-11T12:45:00+00:00",
            },
            urgent=False,
            subject_ref=ON_INVOICE,
        ),
    ),
    (
        INVOICE_EXPIRED,
        NoticeDraft(
            kind=NoticeKind.INVOICE_EXPIRED,
            recipient=CITIZEN,
            params={
                "purpose": "permits",
                "amount": 1_250_000,
                "expired_at": "2026-03-17T03:30:00+00:00",
            },
            urgent=False,
            subject_ref=ON_INVOICE,
        ),
    ),
    (
        REFUNDED,
        NoticeDraft(
            kind=NoticeKind.INVOICE_REFUNDED,
            recipient=CITIZEN,
            params={
                "purpose": "permits",
                "amount": 1_250_000,
                "reason": "Pembayaran ganda; dikonfirmasi lewat telepon ********7890 "
                "(KK ************0004).",
                "refunded_at": "2026-03-13T04:00:00+00:00",
            },
            urgent=False,
            subject_ref=ON_INVOICE,
        ),
    ),
    (
        BOOKED,
        NoticeDraft(
            kind=NoticeKind.BOOKING_CONFIRMED,
            recipient=CITIZEN,
            params=BOOKING_PARAMS,
            urgent=False,
            subject_ref=ON_BOOKING,
        ),
    ),
    (
        BOOKING_CANCELLED,
        NoticeDraft(
            kind=NoticeKind.BOOKING_CANCELLED,
            recipient=SubjectOwner(ON_BOOKING),
            params={
                "facility_code": "PKM-CIPONDOH",
                "service_code": "UMUM",
                "visit_date": "2026-03-05",
                "queue_number": 12,
            },
            urgent=False,
            subject_ref=ON_BOOKING,
        ),
    ),
    (
        REGISTERED,
        NoticeDraft(
            kind=NoticeKind.REGISTRATION_SUBMITTED,
            recipient=CitizenRecipient(PARENT),
            params=REGISTRATION_PARAMS,
            urgent=False,
            subject_ref=ON_REGISTRATION,
        ),
    ),
    (
        REGISTRATION_WITHDRAWN,
        NoticeDraft(
            kind=NoticeKind.REGISTRATION_WITHDRAWN,
            recipient=SubjectOwner(ON_REGISTRATION),
            params=REGISTRATION_PARAMS,
            urgent=False,
            subject_ref=ON_REGISTRATION,
        ),
    ),
    (
        AT_RISK,
        NoticeDraft(
            kind=NoticeKind.ALERT_DEADLINE_AT_RISK,
            recipient=PERMITS_OFFICERS,
            params={
                "application_id": str(APPLICATION),
                "permit_type": "PBG",
                "kecamatan_code": "36.71.07",
                "stage": "verification",
                "started_at": "2026-03-02T02:15:00+00:00",
                "due_at": "2026-03-03T17:00:00+00:00",
            },
            urgent=False,
            subject_ref=ON_APPLICATION,
        ),
    ),
    (
        BREACHED,
        NoticeDraft(
            kind=NoticeKind.ALERT_DEADLINE_BREACHED,
            recipient=PERMITS_OFFICERS,
            params={
                "application_id": str(APPLICATION),
                "permit_type": "PBG",
                "kecamatan_code": None,
                "stage": "review",
                "started_at": "2026-03-04T02:00:00+00:00",
                "due_at": "2026-03-19T17:00:00+00:00",
            },
            urgent=False,
            subject_ref=ON_APPLICATION,
        ),
    ),
    (
        NOT_READY,
        NoticeDraft(
            kind=NoticeKind.ALERT_SERVICE_NOT_READY,
            recipient=OPERATORS,
            params={
                "service": "payments",
                "not_ready_since": "2026-03-08T19:10:00+00:00",
                "detail": "database: postgresql+asyncpg://***@127.0.0.1:5432/payments refused "
                "the connection (password=***)",
            },
            urgent=True,
            subject_ref="service:payments",
        ),
    ),
    (
        LAGGING,
        NoticeDraft(
            kind=NoticeKind.ALERT_CONSUMER_LAGGING,
            recipient=OPERATORS,
            params={
                "consumer_group": "information",
                "lag": 12_345,
                "threshold": 1_000,
                "lagging_since": "2026-03-08T19:00:00+00:00",
            },
            urgent=True,
            subject_ref="consumer_group:information",
        ),
    ),
    (
        DEAD_LETTERS,
        NoticeDraft(
            kind=NoticeKind.ALERT_DEAD_LETTER,
            recipient=OPERATORS,
            params={"dead_letter_topic": "permits.dlq", "written": 7, "new": 3},
            urgent=True,
            subject_ref="topic:permits.dlq",
        ),
    ),
]


@pytest.mark.parametrize(("event", "expected"), TABLE, ids=lambda v: type(v).__name__)
def test_an_event_gives_its_notice(event: EventData, expected: NoticeDraft) -> None:
    assert draft_notices(event) == [expected]


def test_the_consumer_subscribes_to_exactly_the_events_of_the_table() -> None:
    assert set(NOTIFYING_EVENTS) == {type(event) for event, _ in TABLE}


@pytest.mark.parametrize(
    "event",
    [
        ApplicationDrafted(
            application_id=APPLICATION,
            permit_type="PBG",
            district_code=None,
            drafted_at=at(2026, 3, 1),
        ),
        PermitRevoked(
            permit_id=uuid.uuid4(),
            application_id=APPLICATION,
            permit_type="PBG",
            number="PBG/3671/2026/000123",
            reason="Bangunan tidak sesuai izin.",
            revoked_at=at(2026, 4, 1),
        ),
        InvoiceCancelled(
            invoice_id=INVOICE,
            source="permits",
            source_reference="permits:application:x",
            reason="Salah tagih.",
            cancelled_at=at(2026, 3, 11),
        ),
        # v1 twins of the events the notice comes from: a citizen is told once.
        ApplicationSubmitted(
            application_id=APPLICATION,
            permit_type="PBG",
            district_code="367101",
            resubmission=False,
            submitted_at=SUBMITTED.submitted_at,
            deadline_at=SUBMITTED.deadline_at,
        ),
        PermitIssued(
            permit_id=ISSUED.permit_id,
            application_id=APPLICATION,
            applicant_id=str(APPLICANT),
            permit_type="PBG",
            number=ISSUED.number,
            issued_at=ISSUED.issued_at,
            valid_until=ISSUED.valid_until,
        ),
        AppointmentBooked(
            booking_id=BOOKING,
            citizen_id=str(APPLICANT),
            facility_id=FACILITY,
            facility_code="PKM-CIPONDOH",
            service_code="UMUM",
            visit_date=BOOKED.visit_date,
            queue_number=12,
            queue_label="A-012",
            assisted_by=None,
            booked_at=at(2026, 3, 2, 7, 5),
        ),
        RegistrationSubmitted(
            registration_id=REGISTRATION,
            admission_year=2026,
            school_npsn="20606123",
            level=REGISTERED.level,
            pathway=REGISTERED.pathway,
            parent_id=str(PARENT),
            assisted_by=None,
            submitted_at=at(2026, 6, 10, 8, 0),
        ),
    ],
    ids=lambda event: type(event).__name__,
)
def test_an_event_that_tells_nobody_anything_gives_no_notice(event: EventData) -> None:
    assert draft_notices(event) == []
    assert draft_reminders(event) == []


class SomethingNobodyDeclared(EventData):
    """A payload type this table has never heard of (not even registered: no event type)."""

    detail: str


def test_an_unknown_event_gives_no_notice() -> None:
    assert draft_notices(SomethingNobodyDeclared(detail="x")) == []
    assert draft_notices(None) == []  # a type the process has no model for
    assert ownership(SomethingNobodyDeclared(detail="x")) is None


def test_an_invoice_billed_to_someone_without_an_account_tells_nobody() -> None:
    """An agency may bill by its own reference for the payer: no Kota LIVE inbox to use."""
    billed = INVOICE_CREATED.model_copy(update={"payer_id": NIK})

    assert draft_notices(billed) == []
    assert draft_reminders(billed) == []
    assert ownership(billed) is None


def test_reminders_repeat_what_the_invoice_and_the_booking_said() -> None:
    assert draft_reminders(INVOICE_CREATED) == [
        NoticeDraft(
            kind=NoticeKind.INVOICE_REMINDER,
            recipient=CITIZEN,
            params=INVOICE_PARAMS,
            urgent=False,
            subject_ref=ON_INVOICE,
        )
    ]
    assert draft_reminders(BOOKED) == [
        NoticeDraft(
            kind=NoticeKind.BOOKING_REMINDER,
            recipient=CITIZEN,
            params=BOOKING_PARAMS,
            urgent=False,
            subject_ref=ON_BOOKING,
        )
    ]
    assert set(REMINDING_EVENTS) == {type(INVOICE_CREATED), type(BOOKED)}
    assert draft_reminders(APPROVED) == []


@pytest.mark.parametrize(
    ("event", "owned"),
    [
        (REVISION_REQUESTED, Ownership(ON_APPLICATION, APPLICANT)),
        (INVOICE_CREATED, Ownership(ON_INVOICE, APPLICANT)),
        (BOOKED, Ownership(ON_BOOKING, APPLICANT)),
        (REGISTERED, Ownership(ON_REGISTRATION, PARENT)),
        (SUBMITTED, Ownership(ON_APPLICATION, APPLICANT)),
        (DEADLINE_PASSED, None),
        (BOOKING_CANCELLED, None),
        (AT_RISK, None),
    ],
    ids=lambda v: type(v).__name__,
)
def test_events_naming_a_citizen_tell_whose_subject_it_is(
    event: EventData, owned: Ownership | None
) -> None:
    """What the consumer records so that a later event's `SubjectOwner` finds its citizen."""
    assert ownership(event) == owned


def test_an_announcement_keeps_its_hotline_but_never_a_nik() -> None:
    draft = announcement_draft(
        announcement_id=ANNOUNCEMENT,
        title_id="Vaksinasi gratis",
        body_id=f"Daftar lewat WhatsApp 0811-1500-123. Contoh NIK: {NIK}.",
        title_en="Free vaccination",
        body_en="Register on WhatsApp 0811-1500-123.",
        recipient=CITIZEN,
        urgent=True,
    )

    assert draft == NoticeDraft(
        kind=NoticeKind.ANNOUNCEMENT,
        recipient=CITIZEN,
        params={
            "title_id": "Vaksinasi gratis",
            "body_id": "Daftar lewat WhatsApp 0811-1500-123. Contoh NIK: ************0001.",
            "title_en": "Free vaccination",
            "body_en": "Register on WhatsApp 0811-1500-123.",
        },
        urgent=True,
        subject_ref=f"announcement:{ANNOUNCEMENT}",
    )


def test_what_a_notice_stores_is_json_without_personal_numbers_or_secrets() -> None:
    for draft in example_drafts():
        stored = json.dumps(draft.params)

        assert json.loads(stored) == dict(draft.params)
        assert not [value for value in PLANTED if value in stored], draft.kind
