"""A permit from application to public verification, through the gateway only: a real
citizen and a real officer (created by the city admin) signed in by the gateway."""

import httpx
import pytest
from e2e_suite import Suite, apply, new_citizen, new_staff

pytestmark = pytest.mark.e2e

APPLICATIONS = "/v1/permits/applications"
EVENT = {
    "event_name": "Festival Cisadane",
    "event_kind": "festival",
    "organiser": "Karang Taruna Sukasari",
    "venue_address": "Jl. Benteng Betawi, Tangerang",
    "start_date": "2027-08-17",
    "duration_days": 2,
    "expected_attendance": 1500,
}


@pytest.fixture(scope="module")
def officer(gateway: httpx.Client, suite: Suite) -> dict[str, str]:
    return new_staff(gateway, suite, "petugas.perizinan", ["permits_officer"])


def _submitted(gateway: httpx.Client, citizen: dict[str, str]) -> str:
    """A crowd-event recommendation (KERAMAIAN, free, from the seeded catalogue), submitted."""
    return apply(gateway, citizen, "KERAMAIAN", EVENT)


def test_a_free_permit_is_applied_for_approved_issued_and_verified_publicly(
    gateway: httpx.Client, officer: dict[str, str]
) -> None:
    citizen = new_citizen(gateway)
    application_id = _submitted(gateway, citizen)

    claimed = gateway.post(f"{APPLICATIONS}/{application_id}/claim", headers=officer)
    approved = gateway.post(
        f"{APPLICATIONS}/{application_id}/approve", json={"note": "Lengkap."}, headers=officer
    )

    assert claimed.status_code == 200, claimed.text
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "issued"
    permit = gateway.get(f"{APPLICATIONS}/{application_id}/permit", headers=citizen).json()
    base = str(gateway.base_url).rstrip("/")
    assert permit["verification_url"] == f"{base}/v1/permits/verify/{permit['verification_code']}"
    verified = httpx.get(permit["verification_url"])  # anyone, no token
    assert verified.status_code == 200, verified.text
    assert verified.json()["validity"] == "valid"
    assert verified.json()["holder_name"] == "A*** S****"
    qr = gateway.get(f"/v1/permits/verify/{permit['verification_code']}/qr.png")
    assert qr.headers["content-type"] == "image/png"


def test_a_revision_round_trip_through_the_gateway(
    gateway: httpx.Client, officer: dict[str, str]
) -> None:
    citizen = new_citizen(gateway)
    application_id = _submitted(gateway, citizen)
    gateway.post(f"{APPLICATIONS}/{application_id}/claim", headers=officer)

    sent_back = gateway.post(
        f"{APPLICATIONS}/{application_id}/request-revision",
        json={"note": "Lampirkan surat izin pemilik tempat yang ditandatangani."},
        headers=officer,
    )
    resubmitted = gateway.post(f"{APPLICATIONS}/{application_id}/submit", headers=citizen)
    reclaimed = gateway.post(f"{APPLICATIONS}/{application_id}/claim", headers=officer)
    approved = gateway.post(f"{APPLICATIONS}/{application_id}/approve", headers=officer)

    assert sent_back.json()["status"] == "revision_requested"
    assert resubmitted.json()["status"] == "resubmitted"
    assert reclaimed.json()["status"] == "in_review"
    assert approved.json()["status"] == "issued"


def test_an_illegal_step_and_an_officer_step_by_a_citizen_are_refused(
    gateway: httpx.Client, officer: dict[str, str]
) -> None:
    citizen, stranger = new_citizen(gateway), new_citizen(gateway)
    application_id = _submitted(gateway, citizen)

    submitted_twice = gateway.post(f"{APPLICATIONS}/{application_id}/submit", headers=citizen)
    self_approval = gateway.post(f"{APPLICATIONS}/{application_id}/approve", headers=citizen)
    peeking = gateway.get(f"{APPLICATIONS}/{application_id}", headers=stranger)

    assert submitted_twice.status_code == 409
    assert submitted_twice.headers["content-type"] == "application/problem+json"
    assert submitted_twice.json()["current_status"] == "submitted"
    assert self_approval.status_code == 403
    assert peeking.status_code == 404
