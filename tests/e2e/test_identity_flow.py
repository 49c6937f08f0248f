"""A citizen's session through the running suite: register, sign in, use a service, refresh,
sign out. Only the gateway's public HTTP API is used; the service verifies the token itself,
against the keys the gateway publishes.
"""

import itertools

import httpx
import pytest
from e2e_suite import Suite, civil_registry

from kota_dev import residents

pytestmark = pytest.mark.e2e


# The suite's database is new each run, but the contract test registers the API document's
# example citizen (serial 0001, `CITIZEN_NIK_EXAMPLE`): these serials start past it.
_serials = itertools.count(5001)


def a_new_citizen(gateway: httpx.Client) -> dict[str, str]:
    """A valid Kota Tangerang NIK for a woman born 5 August 1990, with a fresh serial, whom
    the civil registry knows."""
    serial = next(_serials)
    citizen = {
        "nik": f"367101450890{serial:04d}",
        "full_name": "Siti Rahmawati",
        "phone": f"+6281200{serial:06d}",
        "password": "kota-live-rahasia",
        "birth_date": "1990-08-05",
        "sex": "female",
    }
    residents.add_resident(civil_registry(gateway), citizen)
    return citizen


def sign_in(gateway: httpx.Client, username: str, password: str) -> dict[str, str]:
    response = gateway.post(
        "/v1/auth/token",
        json={"grant_type": "password", "username": username, "password": password},
    )
    assert response.status_code == 200, response.text
    tokens: dict[str, str] = response.json()
    return tokens


def refresh(gateway: httpx.Client, refresh_token: str) -> httpx.Response:
    return gateway.post(
        "/v1/auth/token", json={"grant_type": "refresh_token", "refresh_token": refresh_token}
    )


def test_register_sign_in_use_a_service_refresh_and_sign_out(gateway: httpx.Client) -> None:
    citizen = a_new_citizen(gateway)
    registered = gateway.post("/v1/auth/citizens", json=citizen)
    assert registered.status_code == 201, registered.text

    tokens = sign_in(gateway, citizen["nik"], citizen["password"])
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    created = gateway.post("/v1/permits/applications", json={"permit_type": "PBG"}, headers=bearer)
    assert created.status_code == 201, created.text
    assert (
        gateway.get("/v1/permits/applications", headers=bearer).json()[0]["id"]
        == (created.json()["id"])
    )

    renewed = refresh(gateway, tokens["refresh_token"])
    assert renewed.status_code == 200
    assert renewed.json()["refresh_token"] != tokens["refresh_token"]

    # Presenting the used refresh token again revokes the whole family, the new one too.
    assert refresh(gateway, tokens["refresh_token"]).status_code == 401
    assert refresh(gateway, renewed.json()["refresh_token"]).status_code == 401


def test_sign_out_ends_the_session(gateway: httpx.Client) -> None:
    citizen = a_new_citizen(gateway)
    gateway.post("/v1/auth/citizens", json=citizen)
    tokens = sign_in(gateway, citizen["phone"], citizen["password"])

    assert (
        gateway.post("/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}).status_code
        == 204
    )
    assert refresh(gateway, tokens["refresh_token"]).status_code == 401


def test_the_first_admin_signs_in_and_reads_monitoring(gateway: httpx.Client, suite: Suite) -> None:
    password = (suite.state_dir / "admin-password").read_text()
    tokens = sign_in(gateway, "admin", password)

    counts = gateway.get(
        "/v1/monitoring/event-counts",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )

    assert counts.status_code == 200


def test_a_citizen_cannot_create_officers(gateway: httpx.Client) -> None:
    citizen = a_new_citizen(gateway)
    gateway.post("/v1/auth/citizens", json=citizen)
    tokens = sign_in(gateway, citizen["nik"], citizen["password"])

    response = gateway.post(
        "/v1/auth/officers",
        json={
            "username": "rogue",
            "full_name": "Rogue",
            "roles": ["permits_officer"],
            "password": "another-long-pass",
        },
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )

    assert response.status_code == 403


def test_only_a_person_the_civil_registry_knows_registers_and_reads_their_family_card(
    gateway: httpx.Client,
) -> None:
    stranger = {**a_new_citizen(gateway), "full_name": "Nama Karangan"}
    refused = gateway.post("/v1/auth/citizens", json=stranger)
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "identity_not_verified"

    citizen = a_new_citizen(gateway)
    assert gateway.post("/v1/auth/citizens", json=citizen).status_code == 201
    tokens = sign_in(gateway, citizen["nik"], citizen["password"])
    card = gateway.get(
        "/v1/me/family-card", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )

    assert card.status_code == 200, card.text
    assert [m["nik"] for m in card.json()["members"]] == [citizen["nik"]]
    assert card.json()["address"]["kecamatan_code"] == "36.71.01"
