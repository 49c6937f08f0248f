"""Identity on real PostgreSQL and Kafka: registration, tokens, lockout, staff, assistance,
registration at a kiosk.

The app is built as the gateway builds it (the shared service app, then `start_identity`),
with only the identity provider's routers: no upstream is needed here.
"""

import asyncio
import itertools
import json
import random
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from alembic import command
from cloudevents.v1.kafka import KafkaMessage, from_structured
from fastapi import FastAPI
from sqlalchemy import Table, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from kota_contracts.identity import (
    TOPIC,
    CitizenAssisted,
    CitizenRegisteredByOfficer,
    CitizenRegisteredByOfficerV2,
)
from kota_dev import residents
from kota_dev.pytest_plugin import (
    Infrastructure,
    RegistrySimulator,
    bearer,
    migrated_database,
    running_app,
)
from kota_gateway.config import GatewaySettings
from kota_gateway.db import EVENT_TABLES, Base
from kota_gateway.identity import discovery
from kota_gateway.identity.accounts import lockout
from kota_gateway.identity.accounts.models import (
    Account,
    AccountKind,
    RefreshTokenFamily,
    SignInFailures,
)
from kota_gateway.identity.accounts.router import router as accounts_router
from kota_gateway.identity.accounts.sign_in import sign_in_name
from kota_gateway.identity.bootstrap import ensure_first_admin, start_identity
from kota_gateway.identity.clients.service import SUBJECT_PREFIX
from kota_gateway.identity.config import IdentityConfig
from kota_gateway.identity.keys import SigningKeys
from kota_gateway.identity.registry import port
from kota_gateway.identity.registry.audit import AuditedRegistry
from kota_gateway.identity.registry.dukcapil import DukcapilRegistry
from kota_gateway.identity.registry.models import RegistryCall, RegistryQuotaDay
from kota_gateway.identity.registry.router import router as registry_router
from kota_gateway.identity.tokens import issue_access_token
from kota_shared.app import ServiceDefinition, ServiceRuntime, create_service_app
from kota_shared.auth import CurrentPrincipal, JwksKeys, TokenVerifier
from kota_shared.clock import Clock, system_clock
from kota_shared.migrations import alembic_config
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.kafka import read_events, read_records
from kota_shared.testing.schema import schema_differences

ADMIN = ("city.admin", "first admin password 1")
PASSWORD = "kata sandi rahasia 7"
TOKEN_URL = "/v1/auth/token"


def identity_gateway(settings: GatewaySettings, *, clock: Clock = system_clock) -> FastAPI:
    """The gateway's identity part, wired the way ``kota_gateway.main`` wires it."""

    @asynccontextmanager
    async def resources(app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        await start_identity(app, runtime, settings)
        yield

    return create_service_app(
        ServiceDefinition(
            settings=settings,
            title="Kota LIVE identity (test)",
            description="The gateway's identity endpoints.",
            migrations="kota_gateway:migrations",
            routers=[discovery.router, accounts_router, registry_router],
            event_tables=EVENT_TABLES,
            extension=resources,
            clock=clock,
        )
    )


@pytest.fixture(scope="module")
async def identity_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "kota_gateway:migrations", "identity")


@pytest.fixture(scope="module")
def gateway_settings(
    identity_database: str,
    service_env: dict[str, Any],
    registry_simulator: RegistrySimulator,
    tmp_path_factory: pytest.TempPathFactory,
) -> GatewaySettings:
    return GatewaySettings(
        database_url=identity_database,
        upstreams={},
        signing_key_dir=tmp_path_factory.mktemp("keys"),
        first_admin_username=ADMIN[0],
        first_admin_password=ADMIN[1],
        **registry_simulator.gateway_settings(),
        **service_env,
    )


@pytest.fixture(scope="module")
def identity_clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def clock(identity_clock: MovableClock) -> Iterator[MovableClock]:
    """The app's clock for one test, back to real time after it."""
    yield identity_clock
    identity_clock.fixed = None


@pytest.fixture(scope="module")
def gateway_app(gateway_settings: GatewaySettings, identity_clock: MovableClock) -> FastAPI:
    return identity_gateway(gateway_settings, clock=identity_clock)


@pytest.fixture(scope="module")
async def gateway(gateway_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(gateway_app) as client:
        yield client


# Citizens --------------------------------------------------------------------------------

# From 101: the registry's demo residents hold the low serials.
_serials = itertools.count(101)
_rng = random.Random()


def new_citizen(**overrides: Any) -> dict[str, Any]:
    """A registration with a NIK and phone no other test uses."""
    serial = next(_serials)
    born = date(1960, 1, 1) + timedelta(days=_rng.randrange(0, 40 * 365))
    sex = _rng.choice(["male", "female"])
    day = born.day + (40 if sex == "female" else 0)
    regency = _rng.choice(["3603", "3671", "3674"])
    # Kota Tangerang (3671) has thirteen kecamatan; the registry knows no others.
    district = _rng.randrange(1, 14 if regency == "3671" else 99)
    nik = f"{regency}{district:02d}{day:02d}{born:%m%y}{serial % 10000 or 1:04d}"
    return {
        "nik": nik,
        "full_name": "Warga Uji",
        # 0812: a Telkomsel mobile range, so every number is one the numbering plan has.
        "phone": f"0812{_rng.randrange(10**7, 10**8)}",
        "password": PASSWORD,
        "birth_date": born.isoformat(),
        "sex": sex,
        **overrides,
    }


async def register(
    gateway: httpx.AsyncClient, registry: RegistrySimulator, **overrides: Any
) -> dict[str, Any]:
    """A citizen the civil registry knows, registered."""
    body = new_citizen(**overrides)
    residents.add_resident(registry.url, body)
    response = await gateway.post("/v1/auth/citizens", json=body)
    assert response.status_code == 201, response.text
    return {**body, "account": response.json()}


async def sign_in(
    gateway: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> httpx.Response:
    return await gateway.post(
        TOKEN_URL, json={"grant_type": "password", "username": username, "password": password}
    )


async def tokens_for(
    gateway: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> dict[str, Any]:
    response = await sign_in(gateway, username, password)
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


async def refresh(gateway: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    return await gateway.post(
        TOKEN_URL, json={"grant_type": "refresh_token", "refresh_token": refresh_token}
    )


async def claims_of(gateway: httpx.AsyncClient, token: str) -> dict[str, Any]:
    """Verify ``token`` as any service would: against the published JWKS."""
    jwks = (await gateway.get("/.well-known/jwks.json")).json()
    key = jwt.PyJWKSet.from_dict(jwks)[jwt.get_unverified_header(token)["kid"]]
    claims: dict[str, Any] = jwt.decode(
        token, key=key, algorithms=["EdDSA"], options={"verify_aud": False}
    )
    return claims


# Registration ----------------------------------------------------------------------------


async def test_a_citizen_registers_and_sees_their_account(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator
) -> None:
    body = new_citizen(phone="0812 3456 0001", email="Siti@Example.ORG")
    residents.add_resident(registry_simulator.url, body)

    response = await gateway.post("/v1/auth/citizens", json=body)

    assert response.status_code == 201, response.text
    account = response.json()
    assert account["nik"] == body["nik"]  # the owner sees it whole
    assert account["phone"] == "+62812345600 01".replace(" ", "")
    assert account["email"] == "Siti@example.org"
    assert account["roles"] == ["citizen"]
    assert account["kind"] == "citizen"
    assert account["kecamatan_code"] == "36.71.01"  # where the registry says they live
    assert "password" not in response.text
    assert "argon2" not in response.text


async def test_a_taken_nik_or_phone_is_one_409_that_reveals_neither(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
) -> None:
    first = await register(gateway, registry_simulator)
    same_nik = new_citizen(nik=first["nik"], birth_date=first["birth_date"], sex=first["sex"])
    same_phone = new_citizen(phone=first["phone"])
    residents.add_resident(registry_simulator.url, same_phone)

    answers = [
        await gateway.post("/v1/auth/citizens", json=same_nik),
        await gateway.post("/v1/auth/citizens", json=same_phone),
    ]

    assert [a.status_code for a in answers] == [409, 409]
    assert all(a.headers["content-type"] == "application/problem+json" for a in answers)
    documents = [a.json() for a in answers]
    assert all(d["code"] == "already_registered" for d in documents)
    # The same words whichever was taken, naming neither the NIK, the phone nor the owner.
    assert {(d["title"], d.get("detail")) for d in documents} == {
        (documents[0]["title"], documents[0].get("detail"))
    }
    for answer in answers:
        assert first["nik"] not in answer.text
        assert first["phone"][1:] not in answer.text
        assert first["account"]["id"] not in answer.text


async def test_two_registrations_racing_with_one_nik_make_one_account(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, gateway_app: FastAPI
) -> None:
    body = new_citizen()
    other_phone = {**body, "phone": new_citizen()["phone"]}
    residents.add_resident(registry_simulator.url, body)

    answers = await asyncio.gather(
        gateway.post("/v1/auth/citizens", json=body),
        gateway.post("/v1/auth/citizens", json=other_phone),
    )

    assert sorted(a.status_code for a in answers) == [201, 409]
    async with gateway_app.state.sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(Account).where(Account.nik == body["nik"])
        )
    assert count == 1


INVALID_DETAILS = [
    ({"nik": "9971014508900001"}, "body.nik", "invalid_nik"),
    ({"nik": "3671013102900001"}, "body.nik", "invalid_nik"),
    ({"nik": "36710145089"}, "body.nik", "invalid_nik"),
    ({"phone": "+44 20 7946 0000"}, "body.phone", "invalid_phone"),
    ({"email": "not-an-email"}, "body.email", "invalid_email"),
]
"""Wrong in any registration, by the citizen or at a kiosk: (override, field, error type)."""


def field_error(response: httpx.Response, field: str) -> dict[str, Any]:
    """The 422 problem's error about ``field``."""
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "validation_failed"
    errors: dict[str, dict[str, Any]] = {error["field"]: error for error in problem["errors"]}
    return errors[field]


@pytest.mark.parametrize(
    ("override", "field", "kind"),
    [
        *INVALID_DETAILS,
        ({"password": "123456789012"}, "body.password", "weak_password"),
        ({"password": "short"}, "body.password", "weak_password"),
    ],
)
async def test_invalid_registrations_name_the_field_and_the_reason(
    gateway: httpx.AsyncClient, override: dict[str, Any], field: str, kind: str
) -> None:
    response = await gateway.post("/v1/auth/citizens", json=new_citizen(**override))

    error = field_error(response, field)
    assert error["type"] == kind
    assert error["message"]


async def test_date_of_birth_and_sex_must_agree_with_the_nik(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator
) -> None:
    # 3671 01 45 08 90 0042: a woman born on 5 August 1990.
    nik = "3671014508900" + f"{_rng.randrange(100, 999)}"
    wrong_date = new_citizen(nik=nik, birth_date="1990-08-06", sex="female")
    wrong_sex = new_citizen(nik=nik, birth_date="1990-08-05", sex="male")

    date_answer = await gateway.post("/v1/auth/citizens", json=wrong_date)
    sex_answer = await gateway.post("/v1/auth/citizens", json=wrong_sex)

    assert (date_answer.status_code, sex_answer.status_code) == (422, 422)
    [date_error] = date_answer.json()["errors"]
    [sex_error] = sex_answer.json()["errors"]
    assert (date_error["field"], date_error["type"]) == ("body.birth_date", "nik_mismatch")
    assert (sex_error["field"], sex_error["type"]) == ("body.sex", "nik_mismatch")
    assert date_error["message"] == "Tanggal lahir tidak sesuai dengan yang tercantum dalam NIK."
    assert sex_error["message"] == "Jenis kelamin tidak sesuai dengan yang tercantum dalam NIK."
    assert nik not in date_answer.text + sex_answer.text


@pytest.mark.parametrize(
    ("override", "field", "indonesian", "english"),
    [
        (
            {"nik": "36710145089"},
            "body.nik",
            "NIK terdiri dari tepat 16 angka.",
            "A NIK has exactly 16 digits.",
        ),
        (
            {"nik": "9971014508900001"},
            "body.nik",
            "Dua angka pertama bukan kode provinsi.",
            "The first two digits are not a province code.",
        ),
        (
            {"nik": "3671013102900001"},
            "body.nik",
            "Angka ke-7 sampai ke-12 bukan tanggal lahir yang benar.",
            "Digits 7-12 are not a real date of birth.",
        ),
        (
            {"password": "short"},
            "body.password",
            "Kata sandi paling sedikit 10 karakter.",
            "A password has at least 10 characters.",
        ),
        (
            {"password": "123456789012"},
            "body.password",
            "Kata sandi tidak boleh hanya berisi angka (seperti NIK atau nomor telepon).",
            "A password cannot be only digits (like a NIK or a phone number).",
        ),
        (
            {"email": "not-an-email"},
            "body.email",
            "Ini bukan alamat email.",
            "This is not an email address.",
        ),
        (
            {"phone": "+44 20 7946 0000"},
            "body.phone",
            "Nomor telepon Indonesia diawali +62 atau 0, lalu diikuti 9 sampai 13 angka.",
            "An Indonesian phone number starts with +62 or 0 and has 9 to 13 digits after it.",
        ),
    ],
)
async def test_a_registration_is_refused_in_indonesian_unless_english_is_asked_for(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
    override: dict[str, Any],
    field: str,
    indonesian: str,
    english: str,
) -> None:
    body = new_citizen(**override)

    by_default = await gateway.post("/v1/auth/citizens", json=body)
    in_english = await gateway.post(
        "/v1/auth/citizens", json=body, headers={"Accept-Language": "en-GB,en;q=0.9"}
    )

    assert field_error(by_default, field)["message"] == indonesian
    assert field_error(in_english, field)["message"] == english
    assert by_default.json()["title"] == "Sebagian data yang Anda kirim tidak valid."
    assert in_english.json()["title"] == "Some of the information you sent is not valid."
    assert (by_default.headers["content-language"], in_english.headers["content-language"]) == (
        "id",
        "en",
    )
    # The type of each error stays the same code in both languages, for programs.
    assert field_error(by_default, field)["type"] == field_error(in_english, field)["type"]


# Tokens ----------------------------------------------------------------------------------


async def test_sign_in_refresh_reuse_and_sign_out(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator
) -> None:
    citizen = await register(gateway, registry_simulator)
    account_id = citizen["account"]["id"]

    first = await tokens_for(gateway, citizen["nik"])
    claims = await claims_of(gateway, first["access_token"])
    assert first["token_type"] == "Bearer"
    assert first["expires_in"] == 900
    assert claims["sub"] == account_id  # the account id, never the NIK
    assert citizen["nik"] not in first["access_token"]
    assert claims["typ"] == "access"
    assert claims["roles"] == ["citizen"]
    assert claims["exp"] - claims["iat"] == 900
    assert claims["nbf"] == claims["iat"]
    assert claims["jti"]
    assert "scope" in claims
    me = await gateway.get("/v1/me", headers=bearer(first["access_token"]))
    assert me.status_code == 200, me.text
    assert me.json()["id"] == account_id

    # Refresh rotates: a new pair, and the new refresh token works once.
    second = (await refresh(gateway, first["refresh_token"])).json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (await gateway.get("/v1/me", headers=bearer(second["access_token"]))).is_success

    # The first refresh token comes back: a copy is loose, so the whole family ends.
    reused = await refresh(gateway, first["refresh_token"])
    assert reused.status_code == 401
    assert reused.json()["code"] == "invalid_refresh_token"
    assert reused.json()["type"] == "/problems/invalid_refresh_token"
    assert (await refresh(gateway, second["refresh_token"])).status_code == 401

    # A new sign-in is a new family; signing out ends it.
    third = await tokens_for(gateway, citizen["phone"])  # by phone, as typed (08...)
    logout = {"refresh_token": third["refresh_token"]}
    assert (await gateway.post("/v1/auth/logout", json=logout)).status_code == 204
    assert (await refresh(gateway, third["refresh_token"])).status_code == 401
    again = await gateway.post("/v1/auth/logout", json=logout)
    assert again.status_code == 204  # idempotent, and says nothing about the token


async def test_a_reused_refresh_token_is_explained_in_the_callers_language(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
) -> None:
    citizen = await register(gateway, registry_simulator)
    answers = {}
    for asked in (None, "en"):
        first = await tokens_for(gateway, citizen["nik"])
        await refresh(gateway, first["refresh_token"])
        answers[asked] = await gateway.post(
            TOKEN_URL,
            json={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
            headers={"Accept-Language": asked} if asked else {},
        )

    indonesian, english = answers[None], answers["en"]
    assert (indonesian.status_code, english.status_code) == (401, 401)
    assert indonesian.json()["code"] == english.json()["code"] == "invalid_refresh_token"
    assert indonesian.json()["title"] == "Sesi Anda telah berakhir. Silakan masuk kembali."
    assert indonesian.json()["detail"] == (
        "Sesi masuk ini diakhiri demi keamanan Anda. Silakan masuk kembali."
    )
    assert english.json()["title"] == "Your session has ended. Please sign in again."
    assert english.json()["detail"] == "This sign-in was ended for your safety. Sign in again."
    assert indonesian.headers["content-language"] == "id"
    assert english.headers["content-language"] == "en"
    assert "Accept-Language" in indonesian.headers["vary"]


async def test_the_token_endpoint_takes_an_oauth2_form(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator
) -> None:
    citizen = await register(gateway, registry_simulator)

    signed_in = await gateway.post(
        TOKEN_URL,
        data={"grant_type": "password", "username": citizen["nik"], "password": PASSWORD},
    )
    refreshed = await gateway.post(
        TOKEN_URL,
        data={"grant_type": "refresh_token", "refresh_token": signed_in.json()["refresh_token"]},
    )

    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.headers["cache-control"] == "no-store"
    assert refreshed.status_code == 200, refreshed.text


@pytest.mark.parametrize(
    "body",
    [
        {"grant_type": "password", "username": "x"},
        {"grant_type": "client_credentials"},
        {"grant_type": "refresh_token"},
        {},
    ],
)
async def test_malformed_token_requests_are_422(
    gateway: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    response = await gateway.post(TOKEN_URL, json=body)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


async def test_malformed_json_is_422_not_500(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post(
        TOKEN_URL, content=b'{"grant_type": ', headers={"content-type": "application/json"}
    )

    assert response.status_code == 422


DEEP_JSON = b'{"grant_type": ' + b"[" * 1000 + b"]" * 1000 + b"}"


@pytest.mark.parametrize("url", [TOKEN_URL, "/v1/auth/logout"])
async def test_deeply_nested_json_is_a_422_not_a_500(gateway: httpx.AsyncClient, url: str) -> None:
    deep = await gateway.post(url, content=DEEP_JSON, headers={"content-type": "application/json"})
    deep_array = await gateway.post(
        url, content=b"[" * 50_000, headers={"content-type": "application/json"}
    )
    after = await gateway.post(url, json={"grant_type": "password"})  # the app is fine

    for answer in (deep, deep_array):
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        (error,) = answer.json()["errors"]
        assert (error["field"], error["type"]) == ("body", "body_too_deep")
    assert after.status_code == 422


@pytest.mark.parametrize("url", [TOKEN_URL, "/v1/auth/logout"])
@pytest.mark.parametrize("content_type", ["text/plain", "text/plain;charset=UTF-8", None])
async def test_a_json_body_in_another_content_type_is_a_415(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
    url: str,
    content_type: str | None,
) -> None:
    """What a page on another origin can send without a CORS preflight is not read."""
    citizen = await register(gateway, registry_simulator)
    body = json.dumps({"grant_type": "password", "username": citizen["nik"], "password": PASSWORD})
    headers = {"content-type": content_type} if content_type else {}

    answer = await gateway.post(url, content=body.encode(), headers=headers)

    assert answer.status_code == 415, answer.text
    assert answer.json()["code"] == "unsupported_media_type"
    assert answer.json()["accepted"] == ["application/json", "application/x-www-form-urlencoded"]


async def test_a_json_body_as_a_json_subtype_is_read(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator
) -> None:
    citizen = await register(gateway, registry_simulator)
    body = {"grant_type": "password", "username": citizen["nik"], "password": PASSWORD}

    answer = await gateway.post(
        TOKEN_URL,
        content=json.dumps(body).encode(),
        headers={"content-type": "application/vnd.kota+json; charset=utf-8"},
    )

    assert answer.status_code == 200, answer.text


async def test_error_answers_do_not_echo_what_was_sent(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator
) -> None:
    long_grant = "x" * 60_000
    huge_key = "k" * 1_000_000

    as_form = await gateway.post(TOKEN_URL, data={"grant_type": long_grant})
    unknown_field = await gateway.post("/v1/auth/citizens", json={**new_citizen(), huge_key: 1})
    too_large = await gateway.post(TOKEN_URL, data={"grant_type": "password", "x": huge_key})

    for answer in (as_form, unknown_field):
        assert answer.status_code == 422, answer.text[:500]
        assert len(answer.content) < 4000
    (extra,) = unknown_field.json()["errors"]
    assert extra["type"] == "extra_forbidden"
    assert extra["field"].startswith("body.kkkk")
    assert len(extra["field"]) <= 200
    assert too_large.status_code == 413
    assert too_large.json()["code"] == "payload_too_large"


async def test_a_form_field_sent_twice_is_a_422(gateway: httpx.AsyncClient) -> None:
    answer = await gateway.post(
        TOKEN_URL,
        content=b"grant_type=password&username=a&username=b&password=x",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["type"] == "body_repeated_field"


async def test_wrong_credentials_do_not_say_which_part_was_wrong(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
) -> None:
    citizen = await register(gateway, registry_simulator)

    wrong_password = await sign_in(gateway, citizen["nik"], "not the password")
    unknown_user = await sign_in(gateway, new_citizen()["nik"], PASSWORD)

    assert (wrong_password.status_code, unknown_user.status_code) == (401, 401)

    def without_request_id(response: httpx.Response) -> dict[str, Any]:
        return {k: v for k, v in response.json().items() if k != "request_id"}

    assert without_request_id(wrong_password) == without_request_id(unknown_user)
    assert wrong_password.json()["code"] == "invalid_credentials"
    assert wrong_password.headers["www-authenticate"] == "Bearer"


async def test_a_refresh_token_is_not_an_access_token(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator
) -> None:
    citizen = await register(gateway, registry_simulator)
    tokens = await tokens_for(gateway, citizen["nik"])

    response = await gateway.get("/v1/me", headers=bearer(tokens["refresh_token"]))

    assert response.status_code == 401


async def test_tokens_of_a_rotated_out_key_still_verify(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
    gateway_app: FastAPI,
    tmp_path: Path,
) -> None:
    citizen = await register(gateway, registry_simulator)
    before = await tokens_for(gateway, citizen["nik"])
    ring: SigningKeys = gateway_app.state.signing_keys
    newer = SigningKeys.load_or_create(tmp_path)
    gateway_app.state.signing_keys = SigningKeys([ring.current, newer.current])
    try:
        after = await tokens_for(gateway, citizen["nik"])
        kids = [jwt.get_unverified_header(t["access_token"])["kid"] for t in (before, after)]
        assert kids == [ring.current.kid, newer.current.kid]
        for issued in (before, after):
            response = await gateway.get("/v1/me", headers=bearer(issued["access_token"]))
            assert response.status_code == 200
    finally:
        gateway_app.state.signing_keys = ring


async def test_a_token_from_an_unknown_key_is_refused(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator
) -> None:
    citizen = await register(gateway, registry_simulator)
    claims = await claims_of(gateway, (await tokens_for(gateway, citizen["nik"]))["access_token"])
    forged = jwt.encode(
        claims,
        SigningKeys.load_or_create(Path(f"/tmp/forger-{uuid.uuid4().hex}")).current.private_key,
        algorithm="EdDSA",
        headers={"kid": "forger"},
    )

    assert (await gateway.get("/v1/me", headers=bearer(forged))).status_code == 401


# Lockout ---------------------------------------------------------------------------------

HERE = "127.0.0.1"
"""The address `running_app`'s client speaks from (httpx's ASGI transport)."""


def from_address(app: FastAPI, address: str) -> httpx.AsyncClient:
    """A client of the running ``app`` speaking from ``address`` (its lifespan already runs)."""
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def _addresses() -> Iterator[str]:
    for n in itertools.count(1):
        yield f"198.51.{n // 250}.{n % 250 + 1}"


_fresh_addresses = _addresses()


async def _account(app: FastAPI, account_id: str) -> Account:
    async with app.state.sessionmaker() as session:
        account = await session.get(Account, uuid.UUID(account_id))
    assert account is not None
    return account


async def _failures(
    app: FastAPI, kind: str, name: str, source: str = HERE
) -> SignInFailures | None:
    async with app.state.sessionmaker() as session:
        return await session.get(SignInFailures, (lockout.name_digest(kind, name), source))


async def _let_the_lock_run_out(app: FastAPI, clock: MovableClock, kind: str, name: str) -> None:
    """Move the app's clock to the moment this address's lock ends, instead of waiting."""
    failures = await _failures(app, kind, name)
    assert failures is not None
    assert failures.locked_until is not None
    clock.fixed = failures.locked_until


async def test_repeated_failures_lock_the_address_out_even_for_the_right_password(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
    gateway_app: FastAPI,
    clock: MovableClock,
) -> None:
    citizen = await register(gateway, registry_simulator)

    failures = [await sign_in(gateway, citizen["nik"], "wrong password!") for _ in range(5)]
    assert [f.status_code for f in failures] == [401, 401, 401, 401, 429]
    locked = await sign_in(gateway, citizen["nik"])  # the right password
    assert locked.status_code == 429
    assert locked.json()["code"] == "too_many_attempts"
    assert 25 <= int(locked.headers["retry-after"]) <= 30
    wait = locked.json()["retry_after"]
    assert locked.json()["detail"] == f"Silakan coba lagi dalam {wait} detik."
    assert locked.json()["title"] == (
        "Terlalu banyak percobaan masuk yang gagal. Silakan tunggu sebelum mencoba lagi."
    )
    # The lock is the name's: the phone number is a name of its own, with its own count.
    assert (await sign_in(gateway, citizen["phone"])).status_code == 200

    # After the lock, one more failure locks again for twice as long.
    await _let_the_lock_run_out(gateway_app, clock, "nik", citizen["nik"])
    doubled = await sign_in(gateway, citizen["nik"], "wrong password!")
    assert doubled.status_code == 429
    assert 55 <= int(doubled.headers["retry-after"]) <= 60

    # Success after the lock resets this address's count.
    await _let_the_lock_run_out(gateway_app, clock, "nik", citizen["nik"])
    assert (await sign_in(gateway, citizen["nik"])).status_code == 200
    assert await _failures(gateway_app, "nik", citizen["nik"]) is None
    assert (await sign_in(gateway, citizen["nik"], "wrong password!")).status_code == 401


def _answer(response: httpx.Response) -> tuple[int, dict[str, str], dict[str, Any]]:
    """What a caller sees of an answer, but for what differs per request (its id)."""
    headers = {k: v for k, v in response.headers.items() if k not in ("x-request-id", "date")}
    body = {k: v for k, v in response.json().items() if k != "request_id"}
    return response.status_code, headers, body


async def test_an_unknown_name_is_answered_and_locked_exactly_as_a_known_one(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, clock: MovableClock
) -> None:
    known, unknown = (await register(gateway, registry_simulator))["nik"], new_citizen()["nik"]
    clock.fixed = datetime.now(UTC)  # the same Retry-After for both

    for attempt in range(7):
        with_account = await sign_in(gateway, known, "wrong password!")
        without = await sign_in(gateway, unknown, "wrong password!")
        assert _answer(with_account) == _answer(without), f"attempt {attempt + 1}"
        assert with_account.status_code == (401 if attempt < 4 else 429)
    # The right password does not tell either: the address is locked out of both names.
    assert _answer(await sign_in(gateway, known)) == _answer(await sign_in(gateway, unknown))


async def test_a_lockout_from_one_address_does_not_stop_the_owner_at_another(
    gateway: httpx.AsyncClient, gateway_app: FastAPI
) -> None:
    officer = await create_officer(gateway, ["permits_officer"])
    stranger, office = next(_fresh_addresses), next(_fresh_addresses)

    async with from_address(gateway_app, stranger) as attacker:
        guesses = [await sign_in(attacker, officer["username"], f"guess {n}!") for n in range(8)]
        right_password_there = await sign_in(attacker, officer["username"])
    async with from_address(gateway_app, office) as owner:
        at_the_office = await sign_in(owner, officer["username"])

    assert [g.status_code for g in guesses] == [401] * 4 + [429] * 4
    assert right_password_there.status_code == 429
    assert at_the_office.status_code == 200, at_the_office.text


async def test_past_the_ceiling_each_address_gets_one_guess_and_the_owner_still_signs_in(
    gateway: httpx.AsyncClient, gateway_app: FastAPI, gateway_settings: GatewaySettings
) -> None:
    """A guess spread over many addresses: slowed (one failure per address), never a lock."""
    officer = await create_officer(gateway, ["clinic_officer"])
    per_address, ceiling = gateway_settings.login_max_failures, gateway_settings.login_name_ceiling
    spread = -(-ceiling // per_address)  # addresses that use up their budget to reach it

    async def guesses_from(address: str, count: int) -> list[int]:
        async with from_address(gateway_app, address) as client:
            name = officer["username"]
            return [(await sign_in(client, name, f"guess {n}!")).status_code for n in range(count)]

    budgets = [await guesses_from(next(_fresh_addresses), per_address) for _ in range(spread)]
    past_the_ceiling = await guesses_from(next(_fresh_addresses), 2)
    async with from_address(gateway_app, next(_fresh_addresses)) as owner:
        signed_in = await sign_in(owner, officer["username"])

    assert all(b == [401] * (per_address - 1) + [429] for b in budgets)
    assert past_the_ceiling == [429, 429]  # locked out after the first failure
    assert signed_in.status_code == 200, signed_in.text


async def test_concurrent_guesses_are_counted_one_by_one(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, gateway_app: FastAPI
) -> None:
    citizen = await register(gateway, registry_simulator)

    answers = await asyncio.gather(
        *(sign_in(gateway, citizen["nik"], f"guess number {n}") for n in range(10))
    )

    assert sorted(a.status_code for a in answers) == [401] * 4 + [429] * 6
    failures = await _failures(gateway_app, "nik", citizen["nik"])
    assert failures is not None
    assert failures.failures == 5


async def test_another_replica_sees_the_lock(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
    gateway_settings: GatewaySettings,
) -> None:
    citizen = await register(gateway, registry_simulator)
    for _ in range(5):
        await sign_in(gateway, citizen["nik"], "wrong password!")

    async with running_app(identity_gateway(gateway_settings)) as replica:
        answer = await sign_in(replica, citizen["nik"])

    assert answer.status_code == 429


async def test_failures_are_purged_once_stale(
    gateway: httpx.AsyncClient, gateway_app: FastAPI, clock: MovableClock
) -> None:
    unknown = new_citizen()["nik"]
    for _ in range(5):
        await sign_in(gateway, unknown, "wrong password!")
    config: IdentityConfig = gateway_app.state.identity
    runtime: ServiceRuntime = gateway_app.state.runtime

    async def purge_at(moment: datetime) -> None:
        clock.fixed = moment
        async with runtime.sessionmaker.begin() as session:
            await lockout.purge_stale(runtime.transaction(session), policy=config.lockout)

    await purge_at(datetime.now(UTC))  # locked now: kept
    assert await _failures(gateway_app, "nik", unknown) is not None
    await purge_at(datetime.now(UTC) + config.lockout.window + timedelta(seconds=1))
    assert await _failures(gateway_app, "nik", unknown) is None
    assert await _failures(gateway_app, "nik", unknown, source=lockout.EVERY_SOURCE) is None


# Staff and assisted service --------------------------------------------------------------


async def admin_headers(gateway: httpx.AsyncClient) -> dict[str, str]:
    return bearer((await tokens_for(gateway, *ADMIN))["access_token"])


async def create_officer(
    gateway: httpx.AsyncClient, roles: list[str], password: str = PASSWORD
) -> dict[str, Any]:
    username = f"officer.{uuid.uuid4().hex[:8]}"
    response = await gateway.post(
        "/v1/auth/officers",
        json={
            "username": username,
            "full_name": "Petugas Uji",
            "roles": roles,
            "password": password,
        },
        headers=await admin_headers(gateway),
    )
    assert response.status_code == 201, response.text
    return {"username": username, **response.json()}


async def test_a_citizen_cannot_create_officers(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator
) -> None:
    citizen = await register(gateway, registry_simulator)
    tokens = await tokens_for(gateway, citizen["nik"])
    body = {
        "username": "sneaky.one",
        "full_name": "Sneaky",
        "roles": ["city_admin"],
        "password": PASSWORD,
    }

    as_citizen = await gateway.post(
        "/v1/auth/officers", json=body, headers=bearer(tokens["access_token"])
    )
    anonymous = await gateway.post("/v1/auth/officers", json=body)

    assert as_citizen.status_code == 403
    assert as_citizen.json()["code"] == "forbidden"
    assert anonymous.status_code == 401


async def test_an_admin_creates_an_officer_who_assists_a_citizen(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
    infrastructure: Infrastructure,
) -> None:
    citizen = await register(gateway, registry_simulator)
    officer = await create_officer(gateway, ["permits_officer"])
    assert officer["roles"] == ["permits_officer"]

    officer_tokens = await tokens_for(gateway, officer["username"].upper())  # case-insensitive
    officer_claims = await claims_of(gateway, officer_tokens["access_token"])
    assert officer_claims["roles"] == ["permits_officer"]
    assert officer_claims["sub"] == officer["id"]

    response = await gateway.post(
        "/v1/auth/assist",
        json={"citizen_nik": citizen["nik"]},
        headers=bearer(officer_tokens["access_token"]),
    )

    assert response.status_code == 200, response.text
    assisted = response.json()
    assert "refresh_token" not in assisted
    assert assisted["citizen"] == {
        "id": citizen["account"]["id"],
        "full_name": "Warga Uji",
        "nik_masked": citizen["nik"][:4] + "*" * 10 + citizen["nik"][-4:],
    }
    claims = await claims_of(gateway, assisted["access_token"])
    assert claims["sub"] == citizen["account"]["id"]
    assert claims["roles"] == ["citizen"]
    assert claims["act"] == {"sub": officer["id"]}
    assert claims["exp"] - claims["iat"] == 900
    me = await gateway.get("/v1/me", headers=bearer(assisted["access_token"]))
    assert me.json()["id"] == citizen["account"]["id"]

    # The assisted token may not change the citizen's password, nor assist anyone itself.
    change = await gateway.post(
        "/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "officer chose this 1"},
        headers=bearer(assisted["access_token"]),
    )
    assert change.status_code == 403
    chained = await gateway.post(
        "/v1/auth/assist",
        json={"citizen_nik": citizen["nik"]},
        headers=bearer(assisted["access_token"]),
    )
    assert chained.status_code == 403

    # The event names both, by account id only.
    records = await read_records(
        infrastructure.kafka_bootstrap_servers,
        CitizenAssisted.topic,
        until=lambda rs: any(is_assisted(r, citizen["account"]["id"]) for r in rs),
    )
    (record,) = [r for r in records if is_assisted(r, citizen["account"]["id"])]
    event = from_structured(
        KafkaMessage(headers=dict(record.headers), key=record.key, value=record.value)
    )
    data = CitizenAssisted.model_validate(event.data)
    assert (str(data.citizen_id), str(data.officer_id)) == (citizen["account"]["id"], officer["id"])
    assert data.token_id == claims["jti"]
    assert citizen["nik"].encode() not in record.value


def is_assisted(record: Any, citizen_id: str) -> bool:
    """An assistance event about this citizen (their registration shares the key)."""
    return record.key == citizen_id.encode() and CitizenAssisted.event_type.encode() in record.value


async def test_only_officers_serving_citizens_may_assist(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator
) -> None:
    citizen = await register(gateway, registry_simulator)
    viewer = await create_officer(gateway, ["monitoring_viewer"])
    viewer_tokens = await tokens_for(gateway, viewer["username"])
    citizen_tokens = await tokens_for(gateway, citizen["nik"])
    body = {"citizen_nik": citizen["nik"]}

    for tokens in (viewer_tokens, citizen_tokens):
        response = await gateway.post(
            "/v1/auth/assist", json=body, headers=bearer(tokens["access_token"])
        )
        assert response.status_code == 403


async def test_assisting_an_unregistered_nik_is_404(gateway: httpx.AsyncClient) -> None:
    officer = await create_officer(gateway, ["clinic_officer"])
    tokens = await tokens_for(gateway, officer["username"])

    response = await gateway.post(
        "/v1/auth/assist",
        json={"citizen_nik": new_citizen()["nik"]},
        headers=bearer(tokens["access_token"]),
    )

    assert response.status_code == 404
    assert response.json()["code"] == "citizen_not_found"


async def test_staff_usernames_and_roles_are_checked(gateway: httpx.AsyncClient) -> None:
    officer = await create_officer(gateway, ["school_officer"])
    headers = await admin_headers(gateway)
    base = {"full_name": "Petugas", "password": PASSWORD}

    taken = await gateway.post(
        "/v1/auth/officers",
        json={**base, "username": officer["username"], "roles": ["finance_officer"]},
        headers=headers,
    )
    citizen_role = await gateway.post(
        "/v1/auth/officers",
        json={**base, "username": "new.one", "roles": ["citizen"]},
        headers=headers,
    )
    digits_name = await gateway.post(
        "/v1/auth/officers",
        json={**base, "username": "0812345678", "roles": ["finance_officer"]},
        headers=headers,
    )

    assert taken.status_code == 409
    assert taken.json()["code"] == "username_taken"
    assert taken.json()["title"] == "Nama pengguna ini sudah dipakai."
    role_error = field_error(citizen_role, "body.roles")
    assert role_error["type"] == "invalid_role"
    assert role_error["message"] == (
        "Akun staf hanya dapat diberi peran berikut: petugas perizinan, petugas klinik, "
        "petugas sekolah, petugas keuangan, peninjau pemantauan, petugas informasi, dan "
        "administrator kota."
    )
    name_error = field_error(digits_name, "body.username")
    assert name_error["type"] == "invalid_username"
    assert name_error["message"] == (
        "Nama pengguna terdiri dari 3-64 karakter: diawali huruf, lalu huruf, angka, "
        "'.', '_', atau '-'."
    )


async def test_staff_roles_are_named_in_english_when_asked(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post(
        "/v1/auth/officers",
        json={
            "full_name": "Petugas",
            "password": PASSWORD,
            "username": "another.one",
            "roles": ["citizen"],
        },
        headers={**(await admin_headers(gateway)), "Accept-Language": "en"},
    )

    assert field_error(response, "body.roles")["message"] == (
        "A staff account can have these roles only: permits officer, clinic officer, "
        "school officer, finance officer, monitoring viewer, information officer and city "
        "administrator."
    )
    assert response.headers["content-language"] == "en"


async def test_the_first_admin_is_created_once(
    gateway: httpx.AsyncClient, gateway_app: FastAPI, gateway_settings: GatewaySettings
) -> None:
    config: IdentityConfig = gateway_app.state.identity

    again = await ensure_first_admin(
        sessionmaker=gateway_app.state.sessionmaker, settings=gateway_settings, config=config
    )

    assert again is False
    async with gateway_app.state.sessionmaker() as session:
        admins = await session.scalar(
            select(func.count()).select_from(Account).where(Account.username == ADMIN[0])
        )
    assert admins == 1
    with pytest.raises(ValueError, match="both"):
        await ensure_first_admin(
            sessionmaker=gateway_app.state.sessionmaker,
            settings=gateway_settings.model_copy(update={"first_admin_password": None}),
            config=config,
        )


# Registration at a kiosk ----------------------------------------------------------------

KIOSK_URL = "/v1/auth/assisted-citizens"


def new_kiosk_citizen(**overrides: Any) -> dict[str, Any]:
    """A citizen an officer registers: no password, and (unless given) no phone."""
    body = {k: v for k, v in new_citizen().items() if k not in {"phone", "password"}}
    return {**body, **overrides}


async def officer_token(gateway: httpx.AsyncClient, role: str = "permits_officer") -> str:
    officer = await create_officer(gateway, [role])
    token: str = (await tokens_for(gateway, officer["username"]))["access_token"]
    return token


async def register_at_kiosk(
    gateway: httpx.AsyncClient, registry: RegistrySimulator, token: str, **overrides: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The registration sent and the answer (an assisted session for the new citizen, whom
    the civil registry knows)."""
    body = new_kiosk_citizen(**overrides)
    residents.add_resident(registry.url, body)
    response = await gateway.post(KIOSK_URL, json=body, headers=bearer(token))
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return body, answer


def recording_service(
    gateway: httpx.AsyncClient, settings: GatewaySettings
) -> tuple[FastAPI, list[dict[str, str | None]]]:
    """The smallest service: it verifies the gateway's tokens as every service does (the
    shared `TokenVerifier`, keys from the published JWKS) and records who filed for whom,
    as permits records an application's applicant and the officer who made it."""
    app = FastAPI()
    app.state.token_verifier = TokenVerifier(
        keys=JwksKeys(f"{gateway.base_url}/.well-known/jwks.json", client=gateway),
        issuer=settings.token_issuer,
        audience=settings.token_audience,
    )
    records: list[dict[str, str | None]] = []

    @app.post("/records", status_code=201)
    async def file_record(principal: CurrentPrincipal) -> dict[str, str | None]:
        record = {"applicant": principal.subject, "acting_officer": principal.acting_officer}
        records.append(record)
        return record

    return app, records


async def test_an_officer_registers_a_citizen_without_a_phone_and_acts_for_them(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
    gateway_app: FastAPI,
    gateway_settings: GatewaySettings,
) -> None:
    officer = await create_officer(gateway, ["clinic_officer"])
    token = (await tokens_for(gateway, officer["username"]))["access_token"]
    body = new_kiosk_citizen(full_name="  Ibu   Sarmi ")
    residents.add_resident(registry_simulator.url, body)

    response = await gateway.post(KIOSK_URL, json=body, headers=bearer(token))

    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    assisted = response.json()
    assert "refresh_token" not in assisted
    citizen_id = assisted["citizen"]["id"]
    assert assisted["citizen"] == {
        "id": citizen_id,
        "full_name": "Ibu Sarmi",
        "nik_masked": body["nik"][:4] + "*" * 10 + body["nik"][-4:],
    }
    assert assisted["acting_officer"] == officer["id"]
    claims = await claims_of(gateway, assisted["access_token"])
    assert claims["sub"] == citizen_id
    assert claims["act"] == {"sub": officer["id"]}
    assert claims["roles"] == ["citizen"]
    assert claims["exp"] - claims["iat"] == assisted["expires_in"] == 900

    # The account names the officer who registered it, and has neither phone nor password.
    stored = await _account(gateway_app, citizen_id)
    assert (stored.kind, stored.nik, stored.registered_by) == (
        AccountKind.CITIZEN,
        body["nik"],
        uuid.UUID(officer["id"]),
    )
    assert (stored.phone, stored.email, stored.password_hash) == (None, None, None)
    assert (str(stored.birth_date), str(stored.sex)) == (body["birth_date"], body["sex"])
    me = await gateway.get("/v1/me", headers=bearer(assisted["access_token"]))
    assert (me.json()["id"], me.json()["phone"]) == (citizen_id, None)

    # A service accepting the token records both: the citizen, and the officer acting.
    service, records = recording_service(gateway, gateway_settings)
    transport = httpx.ASGITransport(app=service)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        filed = await client.post("/records", headers=bearer(assisted["access_token"]))
    assert filed.status_code == 201, filed.text
    assert records == [{"applicant": citizen_id, "acting_officer": officer["id"]}]


async def test_a_phone_and_an_email_are_kept_when_the_citizen_has_them(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, gateway_app: FastAPI
) -> None:
    token = await officer_token(gateway, "school_officer")
    phone = new_citizen()["phone"]

    _, first = await register_at_kiosk(
        gateway, registry_simulator, token, phone=phone, email="Budi@Example.ORG"
    )
    # Citizens without a phone do not collide with one another.
    _, second = await register_at_kiosk(gateway, registry_simulator, token)
    _, third = await register_at_kiosk(gateway, registry_simulator, token)

    stored = await _account(gateway_app, first["citizen"]["id"])
    assert (stored.phone, stored.email) == ("+62" + phone[1:], "Budi@example.org")
    assert len({first["citizen"]["id"], second["citizen"]["id"], third["citizen"]["id"]}) == 3


async def test_registering_at_a_kiosk_is_announced_with_its_schema(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
    infrastructure: Infrastructure,
) -> None:
    officer = await create_officer(gateway, ["finance_officer"])
    token = (await tokens_for(gateway, officer["username"]))["access_token"]
    body, assisted = await register_at_kiosk(gateway, registry_simulator, token)
    citizen_id = assisted["citizen"]["id"]

    # Each payload is held to its published JSON Schema as it is read.
    events = await read_events(
        infrastructure.kafka_bootstrap_servers,
        TOPIC,
        key=citizen_id,
        until_types=[
            CitizenRegisteredByOfficer.event_type,
            CitizenRegisteredByOfficerV2.event_type,
            CitizenAssisted.event_type,
        ],
    )

    assert [e["type"] for e in events] == [
        "identity.citizen.registered_by_officer.v1",
        "identity.citizen.registered_by_officer.v2",
        "identity.citizen.assisted.v1",
    ]
    registered = CitizenRegisteredByOfficer.model_validate(events[0].data)
    assert str(registered.account_id) == citizen_id
    assert str(registered.registered_by) == officer["id"]
    assert registered.regency_code == body["nik"][:4]
    verified = CitizenRegisteredByOfficerV2.model_validate(events[1].data)
    assert (verified.account_id, verified.registered_by) == (
        registered.account_id,
        registered.registered_by,
    )
    assert verified.kecamatan_code == "36.71.01"  # from the family card, not the NIK
    session = CitizenAssisted.model_validate(events[2].data)
    assert (str(session.citizen_id), str(session.officer_id)) == (citizen_id, officer["id"])
    assert session.token_id == (await claims_of(gateway, assisted["access_token"]))["jti"]
    for event in events:
        assert event["subject"] == citizen_id
        assert body["nik"] not in str(event.data)
        assert body["full_name"] not in str(event.data)


async def test_only_officers_serving_citizens_may_register_one(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, gateway_app: FastAPI
) -> None:
    citizen = await register(gateway, registry_simulator)
    citizen_token = (await tokens_for(gateway, citizen["nik"]))["access_token"]
    viewer_token = await officer_token(gateway, "monitoring_viewer")
    admin_token = (await tokens_for(gateway, *ADMIN))["access_token"]
    config: IdentityConfig = gateway_app.state.identity
    agency_token = issue_access_token(  # as the client-credentials grant signs it
        keys=gateway_app.state.signing_keys,
        issuer=config.issuer,
        audience=config.audience,
        subject=f"{SUBJECT_PREFIX}ac_{uuid.uuid4().hex[:12]}",
        scopes=["permits:verify", "payments:invoices:write", "health:fhir:read"],
        ttl=config.access_ttl,
        now=gateway_app.state.clock(),
    ).token
    # An officer's own assisted token is a citizen's: it may not register anyone either.
    assisted_token = (
        await register_at_kiosk(gateway, registry_simulator, await officer_token(gateway))
    )[1]["access_token"]
    body = new_kiosk_citizen()
    residents.add_resident(registry_simulator.url, body)  # refused for who asks, not whom

    refused = [
        await gateway.post(KIOSK_URL, json=body, headers=bearer(token))
        for token in (citizen_token, agency_token, viewer_token, admin_token, assisted_token)
    ]
    anonymous = await gateway.post(KIOSK_URL, json=body)

    assert [r.status_code for r in refused] == [403] * 5
    assert {r.json()["code"] for r in refused} == {"forbidden"}
    assert anonymous.status_code == 401
    async with gateway_app.state.sessionmaker() as session:
        made = await session.scalar(
            select(func.count()).select_from(Account).where(Account.nik == body["nik"])
        )
    assert made == 0


async def test_an_officer_whose_roles_were_withdrawn_cannot_register(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, gateway_app: FastAPI
) -> None:
    officer = await create_officer(gateway, ["permits_officer"])
    token = (await tokens_for(gateway, officer["username"]))["access_token"]
    async with gateway_app.state.sessionmaker.begin() as session:
        await session.execute(
            update(Account)
            .where(Account.id == uuid.UUID(officer["id"]))
            .values(roles=["monitoring_viewer"])
        )

    body = new_kiosk_citizen()
    residents.add_resident(registry_simulator.url, body)

    response = await gateway.post(KIOSK_URL, json=body, headers=bearer(token))

    assert response.status_code == 403  # the token still says permits_officer
    assert response.json()["detail"] == (
        "Hanya petugas layanan warga yang dapat bertindak atas nama warga."
    )


async def test_a_nik_or_phone_already_registered_is_one_409_that_reveals_neither(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
) -> None:
    token = await officer_token(gateway)
    at_kiosk, assisted = await register_at_kiosk(gateway, registry_simulator, token)
    themselves = await register(gateway, registry_simulator)
    agreeing = ("nik", "birth_date", "sex")
    other_with_phone = new_kiosk_citizen(phone=themselves["phone"])
    residents.add_resident(registry_simulator.url, other_with_phone)

    answers = [
        # The same citizen twice at the kiosk.
        await gateway.post(KIOSK_URL, json=at_kiosk, headers=bearer(token)),
        # A citizen who registered themselves, by NIK, then by phone.
        await gateway.post(
            KIOSK_URL,
            json=new_kiosk_citizen(**{k: themselves[k] for k in agreeing}),
            headers=bearer(token),
        ),
        await gateway.post(KIOSK_URL, json=other_with_phone, headers=bearer(token)),
        # Nor can someone register themselves over the NIK an officer registered.
        await gateway.post(
            "/v1/auth/citizens", json=new_citizen(**{k: at_kiosk[k] for k in agreeing})
        ),
    ]

    assert [a.status_code for a in answers] == [409] * 4
    assert {(a.json()["code"], a.json()["title"], a.json().get("detail")) for a in answers} == {
        (answers[0].json()["code"], answers[0].json()["title"], answers[0].json().get("detail"))
    }
    assert answers[0].json()["code"] == "already_registered"
    for answer in answers:
        for secret in (at_kiosk["nik"], themselves["nik"], themselves["phone"][1:]):
            assert secret not in answer.text
        for account_id in (assisted["citizen"]["id"], themselves["account"]["id"]):
            assert account_id not in answer.text


@pytest.mark.parametrize(
    ("override", "field", "kind"),
    [
        *INVALID_DETAILS,
        ({"password": PASSWORD}, "body.password", "extra_forbidden"),
        ({"full_name": "   "}, "body.full_name", "string_too_short"),
    ],
)
async def test_invalid_kiosk_registrations_name_the_field_and_the_reason(
    gateway: httpx.AsyncClient, override: dict[str, Any], field: str, kind: str
) -> None:
    token = await officer_token(gateway)

    response = await gateway.post(
        KIOSK_URL, json=new_kiosk_citizen(**override), headers=bearer(token)
    )

    assert field_error(response, field)["type"] == kind


async def test_at_a_kiosk_too_date_of_birth_and_sex_must_agree_with_the_nik(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
) -> None:
    token = await officer_token(gateway)
    # 3671 01 45 08 90 ....: a woman born on 5 August 1990.
    nik = "3671014508900" + f"{_rng.randrange(100, 999)}"
    wrong_date = new_kiosk_citizen(nik=nik, birth_date="1990-08-06", sex="female")
    wrong_sex = new_kiosk_citizen(nik=nik, birth_date="1990-08-05", sex="male")
    missing = {k: v for k, v in wrong_date.items() if k != "birth_date"}  # sex agrees

    answers = [
        await gateway.post(KIOSK_URL, json=body, headers=bearer(token))
        for body in (wrong_date, wrong_sex, missing)
    ]

    assert [a.status_code for a in answers] == [422, 422, 422]
    [date_error], [sex_error], [missing_error] = (a.json()["errors"] for a in answers)
    assert (date_error["field"], date_error["type"]) == ("body.birth_date", "nik_mismatch")
    assert (sex_error["field"], sex_error["type"]) == ("body.sex", "nik_mismatch")
    assert (missing_error["field"], missing_error["type"]) == ("body.birth_date", "missing")
    assert all(nik not in a.text for a in answers)


async def test_a_citizen_registered_at_a_kiosk_cannot_sign_in_with_a_password(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, gateway_app: FastAPI
) -> None:
    token = await officer_token(gateway)
    at_kiosk, _assisted = await register_at_kiosk(
        gateway, registry_simulator, token, phone=new_citizen()["phone"]
    )
    themselves = await register(gateway, registry_simulator)

    attempts = [
        await sign_in(gateway, at_kiosk["nik"], PASSWORD),
        await sign_in(gateway, at_kiosk["phone"], PASSWORD),
        # The hash checked in place of a missing one must not open the account.
        await sign_in(gateway, at_kiosk["nik"], "decoy password, never anyone's"),
    ]
    wrong_password = await sign_in(gateway, themselves["nik"], "not the password")

    def without_request_id(response: httpx.Response) -> dict[str, Any]:
        return {k: v for k, v in response.json().items() if k != "request_id"}

    assert [a.status_code for a in attempts] == [401, 401, 401]
    for attempt in attempts:
        assert without_request_id(attempt) == without_request_id(wrong_password)
        assert attempt.headers["www-authenticate"] == wrong_password.headers["www-authenticate"]
    # Counted as wrong passwords are, so it also locks the same way.
    by_nik = await _failures(gateway_app, *sign_in_name(at_kiosk["nik"]))
    by_phone = await _failures(gateway_app, *sign_in_name(at_kiosk["phone"]))
    assert (by_nik and by_nik.failures, by_phone and by_phone.failures) == (2, 1)


async def test_an_officer_serves_a_citizen_registered_at_a_kiosk_again_later(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
) -> None:
    body, first_visit = await register_at_kiosk(
        gateway, registry_simulator, await officer_token(gateway)
    )
    another = await create_officer(gateway, ["clinic_officer"])
    another_token = (await tokens_for(gateway, another["username"]))["access_token"]

    response = await gateway.post(
        "/v1/auth/assist", json={"citizen_nik": body["nik"]}, headers=bearer(another_token)
    )

    assert response.status_code == 200, response.text
    second_visit = response.json()
    assert second_visit["citizen"] == first_visit["citizen"]
    claims = await claims_of(gateway, second_visit["access_token"])
    assert (claims["sub"], claims["act"]) == (first_visit["citizen"]["id"], {"sub": another["id"]})


# Civil registry --------------------------------------------------------------------------

REGISTER_URL = "/v1/auth/citizens"


@pytest.fixture
def registry_down(registry_simulator: RegistrySimulator) -> Iterator[None]:
    """The registry down for maintenance during one test, up again after it."""
    residents.set_availability(registry_simulator.url, "down")
    try:
        yield
    finally:
        residents.set_availability(registry_simulator.url, "up")


async def _accounts_with_nik(app: FastAPI, nik: str) -> int:
    async with app.state.sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(Account).where(Account.nik == nik)
        )
    return count or 0


async def _outbox_size(app: FastAPI) -> int:
    async with app.state.sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(EVENT_TABLES.outbox))
    return count or 0


async def _audited_calls(app: FastAPI, nik: str) -> list[RegistryCall]:
    async with app.state.sessionmaker() as session:
        rows = await session.scalars(
            select(RegistryCall).where(RegistryCall.nik == nik).order_by(RegistryCall.asked_at)
        )
        return list(rows)


async def test_a_made_up_nik_or_another_name_gets_one_422_that_says_not_which(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, gateway_app: FastAPI
) -> None:
    resident = new_citizen(full_name="Dewi Lestari")
    residents.add_resident(registry_simulator.url, resident)
    made_up = new_citizen()  # well-formed, but the registry holds no such NIK
    other_name = {**new_citizen(), **{k: resident[k] for k in ("nik", "birth_date", "sex")}}
    other_name["full_name"] = "Dewi Kartika"

    answers = [
        await from_address(gateway_app, next(_fresh_addresses)).post(REGISTER_URL, json=body)
        for body in (made_up, other_name)
    ]

    assert [a.status_code for a in answers] == [422, 422]
    documents = [a.json() for a in answers]
    assert {d["code"] for d in documents} == {"identity_not_verified"}
    # One answer, word for word, whatever differed.
    assert (
        len(
            {
                json.dumps({k: v for k, v in d.items() if k not in {"instance", "request_id"}})
                for d in documents
            }
        )
        == 1
    )
    assert await _accounts_with_nik(gateway_app, made_up["nik"]) == 0
    assert await _accounts_with_nik(gateway_app, resident["nik"]) == 0
    # The resident registers with their own name, from the address that tried another.
    right = await gateway.post(REGISTER_URL, json=resident)
    assert right.status_code == 201, right.text


async def test_the_adapter_matches_nik_name_and_birth_date_together(
    registry_simulator: RegistrySimulator, gateway_settings: GatewaySettings
) -> None:
    body = new_citizen(full_name="Budi Hartono")
    residents.add_resident(registry_simulator.url, body)
    born = date.fromisoformat(body["birth_date"])
    inquiry = port.Inquiry(purpose=port.Purpose.REGISTRATION, asked_by="test", source=HERE)

    async with httpx.AsyncClient(timeout=5) as client:
        registry = DukcapilRegistry(gateway_settings, client=client)
        verdicts = [
            await registry.verify(port.PersonClaim(nik, name, day), inquiry=inquiry)
            for nik, name, day in [
                (body["nik"], "Budi Hartono", born),
                (body["nik"], "budi  hartono", born),  # the registry compares names loosely
                (body["nik"], "Budi Hartono", born + timedelta(days=1)),
                (body["nik"], "Siti Aminah", born),
                (new_citizen()["nik"], "Budi Hartono", born),
            ]
        ]
        person = await registry.person(body["nik"], inquiry=inquiry)
        with pytest.raises(port.NotInRegistry):
            await registry.person(new_citizen()["nik"], inquiry=inquiry)

    assert verdicts == [True, True, False, False, False]
    assert person.full_name.upper() == "BUDI HARTONO"
    assert person.address.kecamatan_code == "36.71.01"


async def test_with_the_registry_down_registration_is_a_503_and_stores_nothing(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
    gateway_app: FastAPI,
) -> None:
    body = new_citizen()
    residents.add_resident(registry_simulator.url, body)
    officer = await officer_token(gateway)
    kiosk_body = new_kiosk_citizen()
    residents.add_resident(registry_simulator.url, kiosk_body)
    events_before = await _outbox_size(gateway_app)

    residents.set_availability(registry_simulator.url, "down")
    try:
        answers = [
            await gateway.post(REGISTER_URL, json=body),
            await gateway.post(KIOSK_URL, json=kiosk_body, headers=bearer(officer)),
        ]
    finally:
        residents.set_availability(registry_simulator.url, "up")

    for answer in answers:
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["retry-after"] == "60"
        problem = answer.json()
        assert problem["code"] == "registry_unavailable"
        assert problem["retry_after"] == 60
        assert "Dukcapil" in problem["title"]
    assert await _accounts_with_nik(gateway_app, body["nik"]) == 0
    assert await _accounts_with_nik(gateway_app, kiosk_body["nik"]) == 0
    assert await _outbox_size(gateway_app) == events_before
    # Nothing was counted against the citizen: with the registry back, they register.
    again = await gateway.post(REGISTER_URL, json=body)
    assert again.status_code == 201, again.text


async def test_a_registry_slower_than_the_timeout_is_unavailable(
    registry_simulator: RegistrySimulator, gateway_settings: GatewaySettings
) -> None:
    body = new_citizen()
    residents.add_resident(registry_simulator.url, body)
    impatient = gateway_settings.model_copy(update={"registry_timeout_seconds": 0.2})
    claim = port.PersonClaim(body["nik"], body["full_name"], date.fromisoformat(body["birth_date"]))
    inquiry = port.Inquiry(purpose=port.Purpose.REGISTRATION, asked_by="test", source=HERE)

    residents.set_availability(registry_simulator.url, "slow", delay_seconds=2)
    try:
        async with httpx.AsyncClient() as client:
            with pytest.raises(port.RegistryUnavailable):
                await DukcapilRegistry(impatient, client=client).verify(claim, inquiry=inquiry)
    finally:
        residents.set_availability(registry_simulator.url, "up")


async def test_repeated_mismatches_of_one_nik_lock_that_address_out_of_it(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, gateway_app: FastAPI
) -> None:
    resident = new_citizen()
    residents.add_resident(registry_simulator.url, resident)
    guesser = from_address(gateway_app, next(_fresh_addresses))
    guesses = [
        await guesser.post(REGISTER_URL, json={**resident, "full_name": f"Tebakan {n}"})
        for n in range(6)
    ]

    assert [g.status_code for g in guesses] == [422, 422, 422, 422, 429, 429]
    assert guesses[-1].json()["code"] == "too_many_attempts"
    assert int(guesses[-1].headers["retry-after"]) > 0
    # Locked out even with the right name, from that address; the owner elsewhere is not.
    assert (await guesser.post(REGISTER_URL, json=resident)).status_code == 429
    owner = await from_address(gateway_app, next(_fresh_addresses)).post(
        REGISTER_URL, json=resident
    )
    assert owner.status_code == 201, owner.text


async def test_each_registry_call_is_audited_with_who_asked_and_why(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, gateway_app: FastAPI
) -> None:
    citizen = await register(gateway, registry_simulator)
    officer = await create_officer(gateway, ["clinic_officer"])
    token = (await tokens_for(gateway, officer["username"]))["access_token"]
    kiosk_body, _answer = await register_at_kiosk(gateway, registry_simulator, token)

    own = await _audited_calls(gateway_app, citizen["nik"])
    assisted = await _audited_calls(gateway_app, kiosk_body["nik"])

    assert [(c.operation, c.outcome) for c in own] == [("verify", "match"), ("person", "found")]
    assert {(c.purpose, c.asked_by, c.source, c.acting_officer) for c in own} == {
        ("registration", "anonymous", HERE, None)
    }
    assert [(c.operation, c.outcome) for c in assisted] == [
        ("verify", "match"),
        ("person", "found"),
    ]
    assert {(c.purpose, c.acting_officer) for c in assisted} == {
        ("assisted_registration", officer["id"])
    }
    # The registry saw the city's agency account, asking for that NIK.
    seen = [
        c for c in residents.calls(registry_simulator.url, limit=200) if c["nik"] == citizen["nik"]
    ]
    assert {(c["service"], c["user_id"], c["answer"]) for c in seen} == {
        ("CALL_VERIFY_BY_ELEMEN", registry_simulator.user_id, "found"),
        ("CALL_NIK", registry_simulator.user_id, "found"),
    }


async def test_the_daily_quota_is_counted_before_each_call_and_never_overspent(
    registry_simulator: RegistrySimulator,
    gateway_settings: GatewaySettings,
    gateway_app: FastAPI,
) -> None:
    body = new_citizen()
    residents.add_resident(registry_simulator.url, body)
    claim = port.PersonClaim(body["nik"], body["full_name"], date.fromisoformat(body["birth_date"]))
    inquiry = port.Inquiry(purpose=port.Purpose.REGISTRATION, asked_by="test", source=HERE)
    # A day of its own, so the app's other calls do not count against it.
    day = MovableClock()
    day.fixed = datetime(2031, 2, 3, 9, tzinfo=UTC)

    async with httpx.AsyncClient(timeout=5) as client:
        registry = AuditedRegistry(
            DukcapilRegistry(gateway_settings, client=client),
            sessionmaker=gateway_app.state.sessionmaker,
            clock=day,
            daily_quota=3,
            timezone=gateway_settings.registry_timezone,
        )
        outcomes = await asyncio.gather(
            *(registry.verify(claim, inquiry=inquiry) for _ in range(10)),
            return_exceptions=True,
        )
        spent = await registry.calls_today()

    assert sum(1 for o in outcomes if o is True) == 3
    assert sum(1 for o in outcomes if isinstance(o, port.RegistryQuotaExhausted)) == 7
    assert spent == 3
    async with gateway_app.state.sessionmaker() as session:
        audited = await session.scalars(
            select(RegistryCall.outcome).where(
                RegistryCall.nik == body["nik"], RegistryCall.asked_at == day.fixed
            )
        )
        assert sorted(audited) == ["match"] * 3 + ["quota_exhausted"] * 7


async def test_with_the_quota_spent_registration_is_a_503(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
    gateway_app: FastAPI,
    gateway_settings: GatewaySettings,
    clock: MovableClock,
) -> None:
    body = new_citizen()
    residents.add_resident(registry_simulator.url, body)
    clock.fixed = datetime(2031, 3, 4, 2, tzinfo=UTC)  # 09:00 in Jakarta
    async with gateway_app.state.sessionmaker.begin() as session:
        session.add(
            RegistryQuotaDay(day=date(2031, 3, 4), used=gateway_settings.registry_daily_quota)
        )

    refused = await gateway.post(REGISTER_URL, json=body)

    assert refused.status_code == 503, refused.text
    assert refused.json()["code"] == "registry_unavailable"
    assert await _accounts_with_nik(gateway_app, body["nik"]) == 0
    assert not [
        c for c in residents.calls(registry_simulator.url, limit=200) if c["nik"] == body["nik"]
    ]
    clock.fixed = datetime(2031, 3, 4, 17, 30, tzinfo=UTC)  # 00:30 the next day: a new quota
    assert (await gateway.post(REGISTER_URL, json=body)).status_code == 201


async def test_kiosk_registration_is_verified_like_any_other(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, gateway_app: FastAPI
) -> None:
    token = await officer_token(gateway, "clinic_officer")
    unknown = new_kiosk_citizen()

    response = await gateway.post(KIOSK_URL, json=unknown, headers=bearer(token))

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "identity_not_verified"
    assert await _accounts_with_nik(gateway_app, unknown["nik"]) == 0


async def test_a_citizen_reads_their_own_family_card_from_the_registry(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator
) -> None:
    parent = new_citizen(full_name="Rahmat Hidayat")
    child = {"name": "Putri Hidayat", "birth_date": "2016-05-02", "sex": "female"}
    family = residents.add_family(
        registry_simulator.url,
        [
            residents.member(
                nik=parent["nik"],
                full_name=parent["full_name"],
                birth_date=parent["birth_date"],
                sex=parent["sex"],
            ),
            {**child, "relationship": "ANAK"},
        ],
        kelurahan_code="36.71.05.1003",
    )
    registered = await gateway.post(REGISTER_URL, json=parent)
    assert registered.status_code == 201, registered.text
    assert registered.json()["kecamatan_code"] == "36.71.05"
    token = (await tokens_for(gateway, parent["nik"]))["access_token"]

    response = await gateway.get("/v1/me/family-card", headers=bearer(token))

    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    card = response.json()
    assert card["number"] == family["no_kk"]
    assert card["issued_on"] == family["issued_on"]
    assert card["address"]["kelurahan_code"] == "36.71.05.1003"
    assert card["address"]["kecamatan_code"] == "36.71.05"
    assert card["address"]["latitude"] == family["address"]["latitude"]
    assert [(m["nik"], m["relationship"]) for m in card["members"]] == [
        (m["nik"], m["relationship"]) for m in family["members"]
    ]
    assert card["members"][1]["birth_date"] == "2016-05-02"


async def test_only_a_citizen_reads_a_family_card_and_only_their_own(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, registry_down: None
) -> None:
    officer = await officer_token(gateway, "clinic_officer")
    admin = await admin_headers(gateway)
    forged = jwt.encode({"sub": str(uuid.uuid4()), "roles": ["citizen"]}, "x" * 32, "HS256")

    answers = {
        "officer": await gateway.get("/v1/me/family-card", headers=bearer(officer)),
        "admin": await gateway.get("/v1/me/family-card", headers=admin),
        "anonymous": await gateway.get("/v1/me/family-card"),
        "forged": await gateway.get("/v1/me/family-card", headers=bearer(forged)),
    }

    assert {who: a.status_code for who, a in answers.items()} == {
        "officer": 403,
        "admin": 403,
        "anonymous": 401,
        "forged": 401,
    }


async def test_with_the_registry_down_the_family_card_is_a_503(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator
) -> None:
    citizen = await register(gateway, registry_simulator)
    token = (await tokens_for(gateway, citizen["nik"]))["access_token"]

    residents.set_availability(registry_simulator.url, "down")
    try:
        response = await gateway.get("/v1/me/family-card", headers=bearer(token))
    finally:
        residents.set_availability(registry_simulator.url, "up")

    assert response.status_code == 503
    assert response.headers["retry-after"] == "60"
    assert response.json()["code"] == "registry_unavailable"


# Password change -------------------------------------------------------------------------


async def test_changing_the_password_ends_every_session(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, gateway_app: FastAPI
) -> None:
    citizen = await register(gateway, registry_simulator)
    phone_session = await tokens_for(gateway, citizen["nik"])
    kiosk_session = await tokens_for(gateway, citizen["phone"])
    new_password = "a brand new secret 2"

    response = await gateway.post(
        "/v1/me/password",
        json={"current_password": PASSWORD, "new_password": new_password},
        headers=bearer(phone_session["access_token"]),
    )

    assert response.status_code == 204, response.text
    for ended in (phone_session, kiosk_session):
        assert (await refresh(gateway, ended["refresh_token"])).status_code == 401
    assert (await sign_in(gateway, citizen["nik"])).status_code == 401
    assert (await sign_in(gateway, citizen["nik"], new_password)).status_code == 200
    async with gateway_app.state.sessionmaker() as session:
        reasons = (
            await session.scalars(
                select(RefreshTokenFamily.revoked_reason).where(
                    RefreshTokenFamily.account_id == uuid.UUID(citizen["account"]["id"])
                )
            )
        ).all()
    assert sorted(reasons, key=str) == sorted(
        ["password_changed", "password_changed", None], key=str
    )


async def test_a_wrong_current_password_is_refused_and_counted(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, gateway_app: FastAPI
) -> None:
    citizen = await register(gateway, registry_simulator)
    tokens = await tokens_for(gateway, citizen["nik"])

    response = await gateway.post(
        "/v1/me/password",
        json={"current_password": "a wild guess!", "new_password": "another secret 3"},
        headers=bearer(tokens["access_token"]),
    )

    assert response.status_code == 403
    assert response.json()["code"] == "wrong_password"
    counted = await _failures(gateway_app, "account", citizen["account"]["id"])
    assert counted is not None
    assert counted.failures == 1
    assert (await refresh(gateway, tokens["refresh_token"])).status_code == 200


# Schema and documentation ----------------------------------------------------------------


IDENTITY_TABLES = {"accounts", "refresh_token_families", "refresh_tokens", "sign_in_failures"}


def table_of(difference: Any) -> str | None:
    """The table an autogenerate difference is about (modify_* come grouped in a list)."""
    if isinstance(difference, list):
        difference = difference[0]
    for part in difference[1:]:
        if isinstance(part, Table):
            return str(part.name)
        table = getattr(part, "table", None)
        if isinstance(table, Table):
            return str(table.name)
    return difference[2] if len(difference) > 2 and isinstance(difference[2], str) else None


async def test_the_migration_creates_what_the_models_declare(identity_database: str) -> None:
    # Only identity's tables: other parts of the gateway add theirs in later revisions,
    # and the gateway's own test compares the whole database with every model.
    differences = await schema_differences(identity_database, Base.metadata)

    assert [d for d in differences if table_of(d) in IDENTITY_TABLES] == []
    assert set(Base.metadata.tables) >= IDENTITY_TABLES


@pytest.mark.parametrize(
    ("kind", "values"),
    [
        ("citizen without a phone", {"password_hash": "$argon2id$x"}),
        ("citizen without a password", {"phone": "+6281200000000"}),
        (
            "staff without a password",
            {"kind": AccountKind.STAFF, "nik": None, "username": "no.password"},
        ),
        (
            "staff registered by an officer",
            {
                "kind": AccountKind.STAFF,
                "nik": None,
                "username": "odd.one",
                "password_hash": "$argon2id$x",
            },
        ),
    ],
)
async def test_the_database_keeps_phones_and_passwords_for_all_but_kiosk_citizens(
    gateway_app: FastAPI, kind: str, values: dict[str, Any]
) -> None:
    """The check holds whatever the code does: only a citizen an officer registered may
    lack a phone and a password, and ``registered_by`` is for citizens only."""
    needs_officer = kind == "staff registered by an officer"
    officer_id = None
    if needs_officer:
        async with gateway_app.state.sessionmaker() as session:
            officer_id = await session.scalar(
                select(Account.id).where(Account.username == ADMIN[0])
            )
    row = {
        "id": uuid.uuid4(),
        "kind": AccountKind.CITIZEN,
        "nik": new_citizen()["nik"],
        "full_name": "Warga Uji",
        "roles": ["citizen"],
        "registered_by": officer_id,
        **values,
    }

    with pytest.raises(IntegrityError, match="ck_accounts_credentials_by_origin"):
        async with gateway_app.state.sessionmaker.begin() as session:
            session.add(Account(**row))


async def test_migration_0004_goes_down_and_up_and_will_not_drop_kiosk_citizens(
    infrastructure: Infrastructure,
) -> None:
    url = await migrated_database(infrastructure, "kota_gateway:migrations", "downgrade")
    config = alembic_config("kota_gateway:migrations", url)
    officer_id, citizen_id = uuid.uuid4(), uuid.uuid4()
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO accounts (id, kind, username, full_name, roles, password_hash)"
                    " VALUES (:id, 'staff', 'kiosk.officer', 'Petugas', '{permits_officer}', 'x')"
                ),
                {"id": officer_id},
            )
            await connection.execute(
                text(
                    "INSERT INTO accounts (id, kind, nik, full_name, roles, registered_by)"
                    " VALUES (:id, 'citizen', '3671014508900001', 'Warga', '{citizen}', :by)"
                ),
                {"id": citizen_id, "by": officer_id},
            )

        with pytest.raises(RuntimeError, match="1 account"):
            await asyncio.to_thread(command.downgrade, config, "0003")
        async with engine.begin() as connection:
            await connection.execute(
                text("DELETE FROM accounts WHERE id = :id"), {"id": citizen_id}
            )
        await asyncio.to_thread(command.downgrade, config, "0003")
        async with engine.connect() as connection:
            columns = set(
                (
                    await connection.execute(
                        text(
                            "SELECT column_name FROM information_schema.columns"
                            " WHERE table_name = 'accounts'"
                        )
                    )
                ).scalars()
            )
            nullable = await connection.scalar(
                text(
                    "SELECT is_nullable FROM information_schema.columns"
                    " WHERE table_name = 'accounts' AND column_name = 'password_hash'"
                )
            )
        assert "registered_by" not in columns
        assert nullable == "NO"
        await asyncio.to_thread(command.upgrade, config, "head")
    finally:
        await engine.dispose()
    differences = await schema_differences(url, Base.metadata)
    assert [d for d in differences if table_of(d) in IDENTITY_TABLES] == []


def identity_operations(app: FastAPI) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in app.openapi()["paths"].items():
        if path.startswith(("/v1/auth", "/v1/me")):
            for operation in item.values():
                yield path, operation


def test_openapi_says_who_may_call_each_identity_operation(gateway_app: FastAPI) -> None:
    operations = dict(identity_operations(gateway_app))

    assert set(operations) >= {
        "/v1/auth/citizens",
        "/v1/auth/token",
        "/v1/auth/logout",
        "/v1/auth/officers",
        "/v1/auth/assist",
        "/v1/auth/assisted-citizens",
        "/v1/me/password",
    }
    for _, operation in identity_operations(gateway_app):
        assert operation["description"].startswith("Who may call: ")
    token_body = gateway_app.openapi()["paths"]["/v1/auth/token"]["post"]["requestBody"]
    assert set(token_body["content"]) == {"application/json", "application/x-www-form-urlencoded"}


async def test_migration_0005_goes_down_and_up(infrastructure: Infrastructure) -> None:
    url = await migrated_database(infrastructure, "kota_gateway:migrations", "downgrade")
    config = alembic_config("kota_gateway:migrations", url)
    engine = create_async_engine(url)

    async def shape() -> tuple[set[str], bool]:
        async with engine.connect() as connection:
            columns = await connection.execute(
                text(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_name = 'accounts'"
                )
            )
            table = await connection.scalar(text("SELECT to_regclass('sign_in_failures')"))
        return set(columns.scalars()), table is not None

    try:
        await asyncio.to_thread(command.downgrade, config, "0004")
        down_columns, down_table = await shape()
        await asyncio.to_thread(command.upgrade, config, "head")
        up_columns, up_table = await shape()
    finally:
        await engine.dispose()

    assert {"failed_logins", "locked_until"} <= down_columns
    assert not down_table
    assert not {"failed_logins", "locked_until"} & up_columns
    assert up_table


async def test_migration_0006_goes_down_and_up(infrastructure: Infrastructure) -> None:
    url = await migrated_database(infrastructure, "kota_gateway:migrations", "downgrade6")
    config = alembic_config("kota_gateway:migrations", url)
    engine = create_async_engine(url)

    async def shape() -> tuple[set[str], set[str]]:
        async with engine.connect() as connection:
            columns = await connection.execute(
                text(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_name = 'accounts'"
                )
            )
            tables = await connection.execute(
                text(
                    "SELECT table_name FROM information_schema.tables"
                    " WHERE table_name IN ('registry_calls', 'registry_quota_days')"
                )
            )
            return set(columns.scalars()), set(tables.scalars())

    try:
        await asyncio.to_thread(command.downgrade, config, "0005")
        down_columns, down_tables = await shape()
        await asyncio.to_thread(command.upgrade, config, "head")
        up_columns, up_tables = await shape()
    finally:
        await engine.dispose()

    assert not {"kecamatan_code", "verified_at"} & down_columns
    assert not down_tables
    assert {"kecamatan_code", "verified_at"} <= up_columns
    assert up_tables == {"registry_calls", "registry_quota_days"}
