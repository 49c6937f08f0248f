"""Issued permits: gap-free numbers under concurrency, public verification, QR, lookup by
agencies, revocation."""

import asyncio
from typing import Any

from kota_contracts.permits import PermitRevoked

URL = "/v1/permits/applications"


async def _permit(permits: Any, citizen: dict[str, str], application_id: str) -> dict[str, Any]:
    response = await permits.client.get(f"{URL}/{application_id}/permit", headers=citizen)
    assert response.status_code == 200, response.text
    permit: dict[str, Any] = response.json()
    return permit


async def test_fifty_concurrent_issuances_get_fifty_consecutive_numbers(permits: Any) -> None:
    permit_type = await permits.define_type()
    officer = permits.officer()
    citizens = [permits.citizen() for _ in range(50)]
    applications = [await permits.submitted(c, permit_type) for c in citizens]
    for application in applications:
        assert (await permits.step(officer, application["id"], "claim")).status_code == 200

    approvals = await asyncio.gather(
        *(permits.step(officer, a["id"], "approve") for a in applications)
    )

    assert [r.status_code for r in approvals] == [200] * 50
    numbers = [
        (await _permit(permits, c, a["id"]))["number"]
        for c, a in zip(citizens, applications, strict=True)
    ]
    sequences = sorted(int(number.rsplit("/", 1)[1]) for number in numbers)
    assert sequences == list(range(1, 51))
    assert len(set(numbers)) == 50


async def test_an_issued_permit_verifies_publicly_with_the_holder_masked(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    approved = await permits.approved(citizen, permits.officer(), permit_type)
    permit = await _permit(permits, citizen, approved["id"])

    verified = await permits.client.get(f"/v1/permits/verify/{permit['verification_code']}")

    assert verified.status_code == 200, verified.text
    body = verified.json()
    assert body["validity"] == "valid"
    assert body["number"] == permit["number"]
    assert body["permit_type"] == permit_type
    assert body["holder_name"] == "B*** S******"
    assert body["valid_until"] == permit["valid_until"]
    assert permit["verification_url"] == (
        f"https://kota.example/v1/permits/verify/{permit['verification_code']}"
    )


async def test_a_forged_or_guessed_code_is_refused(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    approved = await permits.approved(citizen, permits.officer(), permit_type)
    code = (await _permit(permits, citizen, approved["id"]))["verification_code"]
    flipped = code[:-1] + ("A" if code[-1] != "A" else "B")

    for attempt in (flipped, "0" * len(code), "not-a-code", code[: len(code) // 2]):
        response = await permits.client.get(f"/v1/permits/verify/{attempt}")
        assert response.status_code == 404, attempt
        assert response.json()["code"] == "invalid_verification_code"
    assert (await permits.client.get(f"/v1/permits/verify/{flipped}/qr.png")).status_code == 404


async def test_the_qr_code_comes_as_svg_and_png(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    approved = await permits.approved(citizen, permits.officer(), permit_type)
    code = (await _permit(permits, citizen, approved["id"]))["verification_code"]

    svg = await permits.client.get(f"/v1/permits/verify/{code}/qr.svg")
    png = await permits.client.get(f"/v1/permits/verify/{code}/qr.png")

    assert svg.status_code == png.status_code == 200
    assert svg.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")


async def test_an_agency_with_the_verify_scope_looks_a_permit_up_by_number(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    approved = await permits.approved(citizen, permits.officer(), permit_type)
    number = (await _permit(permits, citizen, approved["id"]))["number"]
    agency = permits.auth_headers("client-bank", roles=[], scopes=["permits:verify"])
    other_agency = permits.auth_headers("client-tax", roles=[], scopes=["payments:invoices:write"])

    found = await permits.client.get(
        "/v1/permits/issued", params={"number": number}, headers=agency
    )
    refused = await permits.client.get(
        "/v1/permits/issued", params={"number": number}, headers=other_agency
    )
    by_citizen = await permits.client.get(
        "/v1/permits/issued", params={"number": number}, headers=citizen
    )
    missing = await permits.client.get(
        "/v1/permits/issued", params={"number": f"{permit_type}/3671/1999/000001"}, headers=agency
    )

    malformed = await permits.client.get(
        "/v1/permits/issued", params={"number": "PBG-3671-2026-1"}, headers=agency
    )

    assert found.status_code == 200
    assert found.json()["holder_name"] == "Budi Santoso"
    assert malformed.status_code == 422
    assert refused.status_code == by_citizen.status_code == 403
    assert missing.status_code == 404


async def test_an_officer_revokes_a_permit_and_it_verifies_as_revoked(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen, officer = permits.citizen(), permits.officer()
    approved = await permits.approved(citizen, officer, permit_type)
    permit = await _permit(permits, citizen, approved["id"])
    revoke = f"/v1/permits/issued/{permit['id']}/revoke"
    reason = {"reason": "The building does not match the approved plan."}

    by_citizen = await permits.client.post(revoke, json=reason, headers=citizen)
    without_reason = await permits.client.post(revoke, json={}, headers=officer)
    revoked = await permits.client.post(revoke, json=reason, headers=officer)
    again = await permits.client.post(revoke, json=reason, headers=officer)

    assert by_citizen.status_code == 403
    assert without_reason.status_code == 422
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["validity"] == "revoked"
    assert again.status_code == 409
    verified = await permits.client.get(f"/v1/permits/verify/{permit['verification_code']}")
    assert verified.json()["validity"] == "revoked"
    assert verified.json()["revoked_on"] is not None
    application = await permits.client.get(f"{URL}/{approved['id']}", headers=citizen)
    assert application.json()["status"] == "revoked"
    events = await permits.events(approved["id"], PermitRevoked.event_type)
    (revocation,) = [e for e in events if e["type"] == PermitRevoked.event_type]
    assert revocation.data["reason"] == reason["reason"]
