"""A permit from application to public verification, through the gateway only: a real
citizen and a real officer (created by the city admin) signed in by the gateway."""

import itertools
from typing import Any

import httpx
import pytest
from e2e_suite import Suite

pytestmark = pytest.mark.e2e

# A man born 12 March 1985 in Kecamatan Tangerang; serials of its own in this module.
_serials = itertools.count(1)
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
APPLICATIONS = "/v1/permits/applications"


def _bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def _sign_in(gateway: httpx.Client, username: str, password: str) -> dict[str, str]:
    response = gateway.post(
        "/v1/auth/token",
        json={"grant_type": "password", "username": username, "password": password},
    )
    assert response.status_code == 200, response.text
    return _bearer(response.json())


def _citizen(gateway: httpx.Client) -> dict[str, str]:
    serial = next(_serials)
    citizen = {
        "nik": f"367101120385{serial:04d}",
        "full_name": "Agus Salim",
        "phone": f"+6281300{serial:06d}",
        "password": "kota-live-rahasia",
        "birth_date": "1985-03-12",
        "sex": "male",
    }
    assert gateway.post("/v1/auth/citizens", json=citizen).status_code == 201
    return _sign_in(gateway, citizen["nik"], citizen["password"])


@pytest.fixture(scope="module")
def officer(gateway: httpx.Client, suite: Suite) -> dict[str, str]:
    admin = _sign_in(gateway, "admin", (suite.state_dir / "admin-password").read_text())
    created = gateway.post(
        "/v1/auth/officers",
        json={
            "username": "petugas.perizinan",
            "full_name": "Dewi Lestari",
            "roles": ["permits_officer"],
            "password": "petugas-rahasia-1",
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    return _sign_in(gateway, "petugas.perizinan", "petugas-rahasia-1")


def _submitted(gateway: httpx.Client, citizen: dict[str, str]) -> str:
    """A crowd-event recommendation (KERAMAIAN, free, from the seeded catalogue), submitted."""
    drafted = gateway.post(
        APPLICATIONS,
        json={
            "permit_type": "KERAMAIAN",
            "district_code": "367101",
            "holder_name": "Agus Salim",
            "fields": {
                "event_name": "Festival Cisadane",
                "event_kind": "festival",
                "organiser": "Karang Taruna Sukasari",
                "venue_address": "Jl. Benteng Betawi, Tangerang",
                "start_date": "2027-08-17",
                "duration_days": 2,
                "expected_attendance": 1500,
            },
        },
        headers=citizen,
    )
    assert drafted.status_code == 201, drafted.text
    application_id: str = drafted.json()["id"]
    definition = gateway.get("/v1/permits/types/KERAMAIAN").json()
    for document in definition["documents"]:
        if document["required"]:
            uploaded = gateway.post(
                f"{APPLICATIONS}/{application_id}/documents",
                data={"kind": document["kind"]},
                files={"file": (f"{document['kind']}.pdf", PDF, "application/pdf")},
                headers=citizen,
            )
            assert uploaded.status_code == 201, uploaded.text
    submitted = gateway.post(f"{APPLICATIONS}/{application_id}/submit", headers=citizen)
    assert submitted.status_code == 200, submitted.text
    return application_id


def test_a_free_permit_is_applied_for_approved_issued_and_verified_publicly(
    gateway: httpx.Client, officer: dict[str, str]
) -> None:
    citizen = _citizen(gateway)
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
    citizen = _citizen(gateway)
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
    citizen, stranger = _citizen(gateway), _citizen(gateway)
    application_id = _submitted(gateway, citizen)

    submitted_twice = gateway.post(f"{APPLICATIONS}/{application_id}/submit", headers=citizen)
    self_approval = gateway.post(f"{APPLICATIONS}/{application_id}/approve", headers=citizen)
    peeking = gateway.get(f"{APPLICATIONS}/{application_id}", headers=stranger)

    assert submitted_twice.status_code == 409
    assert submitted_twice.headers["content-type"] == "application/problem+json"
    assert submitted_twice.json()["current_status"] == "submitted"
    assert self_approval.status_code == 403
    assert peeking.status_code == 404
