"""The contact API and the clients the settings own, on the whole gateway app with real
PostgreSQL and Kafka: only a token with ``identity:contacts:read`` reads a contact, each read
is audited without the phone, and ``GATEWAY_BOOTSTRAP_CLIENTS`` makes that token obtainable
with no administrator's step."""

import asyncio
import base64
import itertools
import json
import logging
import random
import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from alembic import command
from fastapi import FastAPI
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from kota_contracts.contacts import LOOKUP_PATH, MAX_LOOKUP, PATH, Contact
from kota_dev import residents
from kota_dev.pytest_plugin import (
    AuthHeaders,
    Infrastructure,
    RegistrySimulator,
    bearer,
    migrated_database,
    running_app,
)
from kota_gateway.config import GatewaySettings
from kota_gateway.identity.bootstrap import provision_bootstrap_clients
from kota_gateway.identity.clients.models import AgencyClient
from kota_gateway.identity.clients.provisioning import PROVISIONED_BY, Provisioned
from kota_gateway.identity.config import IdentityConfig
from kota_gateway.identity.contacts.models import ContactRead
from kota_gateway.identity.settings import BootstrapClient
from kota_gateway.identity.tokens import issue_access_token
from kota_gateway.main import create_app as create_gateway
from kota_shared.client_credentials import ClientCredentialsAuth, TokenRequestFailed
from kota_shared.migrations import alembic_config
from kota_shared.testing.problems import assert_problem

ADMIN = ("contacts.admin", "first admin password 1")
PASSWORD = "kata sandi rahasia 7"
TOKEN = "/v1/auth/clients/token"
INFORMATION = BootstrapClient(
    client_id="information",
    agency="Dinas Komunikasi dan Informatika",
    secret="information-service-secret-0123456789",
    scopes=["identity:contacts:read"],
)
PERMIT_CHECKS = BootstrapClient(
    client_id="permit-checks",
    agency="Polda Banten",
    secret="permit-checks-secret-0123456789abcdef",
    scopes=["permits:verify"],
)


def service_client(
    client_id: str, *, scopes: tuple[str, ...] = ("identity:contacts:read",)
) -> BootstrapClient:
    """An entry of the settings for a test of its own, with a secret made from its id."""
    return BootstrapClient(
        client_id=client_id,
        agency="Diskominfo",
        secret=f"{client_id}-secret-0123456789abcdefghijklmnop",
        scopes=list(scopes),
    )


def changed(client: BootstrapClient, **update: Any) -> BootstrapClient:
    """``client``'s entry with ``update``, validated as the settings validate it."""
    return BootstrapClient.model_validate({**client.model_dump(), **update})


def contact_url(account_id: object) -> str:
    return PATH.format(account_id=account_id)


@pytest.fixture(scope="module")
async def gateway_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "kota_gateway:migrations", "contacts")


@pytest.fixture(scope="module")
def settings(
    gateway_database: str,
    service_env: dict[str, Any],
    registry_simulator: RegistrySimulator,
    tmp_path_factory: pytest.TempPathFactory,
) -> GatewaySettings:
    return GatewaySettings(
        **{
            **service_env,
            **registry_simulator.gateway_settings(),
            "database_url": gateway_database,
            "signing_key_dir": tmp_path_factory.mktemp("keys"),
            "upstreams": {},
            "rate_limits_enabled": False,
            "first_admin_username": ADMIN[0],
            "first_admin_password": ADMIN[1],
            "bootstrap_clients": [INFORMATION, PERMIT_CHECKS],
        }
    )


@pytest.fixture(scope="module")
def gateway_app(settings: GatewaySettings) -> FastAPI:
    return create_gateway(settings)


@pytest.fixture(scope="module")
async def gateway(gateway_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(gateway_app) as client:
        yield client


def basic(client: BootstrapClient, secret: str | None = None) -> dict[str, str]:
    pair = f"{client.client_id}:{secret or client.secret.get_secret_value()}"
    return {"Authorization": f"Basic {base64.b64encode(pair.encode()).decode()}"}


async def token_response(
    gateway: httpx.AsyncClient, client: BootstrapClient, secret: str | None = None
) -> httpx.Response:
    return await gateway.post(
        TOKEN, data={"grant_type": "client_credentials"}, headers=basic(client, secret)
    )


async def client_token(gateway: httpx.AsyncClient, client: BootstrapClient) -> str:
    response = await token_response(gateway, client)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


@pytest.fixture(scope="module")
async def reader(gateway: httpx.AsyncClient) -> dict[str, str]:
    """The information service's token, as it gets one: from its bootstrapped client."""
    return bearer(await client_token(gateway, INFORMATION))


# People -----------------------------------------------------------------------------------

# Serials of their own, so these NIKs are no other module's in the session's registry.
_serials = itertools.count(7001)
_rng = random.Random()


def new_resident(**overrides: Any) -> dict[str, Any]:
    """A self-registration (NIK, name, phone, password) no other test uses."""
    born = date(1960, 1, 1) + timedelta(days=_rng.randrange(0, 40 * 365))
    sex = _rng.choice(["male", "female"])
    day = born.day + (40 if sex == "female" else 0)
    return {
        "nik": f"367101{day:02d}{born:%m%y}{next(_serials):04d}",
        "full_name": "Warga Kontak",
        "phone": f"0812{_rng.randrange(10**7, 10**8)}",
        "password": PASSWORD,
        "birth_date": born.isoformat(),
        "sex": sex,
        **overrides,
    }


async def sign_in(gateway: httpx.AsyncClient, username: str, password: str) -> dict[str, str]:
    response = await gateway.post(
        "/v1/auth/token",
        json={"grant_type": "password", "username": username, "password": password},
    )
    assert response.status_code == 200, response.text
    return bearer(response.json()["access_token"])


async def self_registered(
    gateway: httpx.AsyncClient, registry: RegistrySimulator
) -> dict[str, Any]:
    """A citizen who registered in the app (the registry knows them), and their account."""
    body = new_resident()
    residents.add_resident(registry.url, body)
    response = await gateway.post("/v1/auth/citizens", json=body)
    assert response.status_code == 201, response.text
    return {**body, "account": response.json()}


async def officer(gateway: httpx.AsyncClient) -> tuple[dict[str, Any], dict[str, str]]:
    """A permits officer the first admin created, and their signed-in headers."""
    username = f"officer.{uuid.uuid4().hex[:8]}"
    created = await gateway.post(
        "/v1/auth/officers",
        json={
            "username": username,
            "full_name": "Petugas Uji",
            "roles": ["permits_officer"],
            "password": PASSWORD,
        },
        headers=await sign_in(gateway, *ADMIN),
    )
    assert created.status_code == 201, created.text
    return created.json(), await sign_in(gateway, username, PASSWORD)


async def kiosk_registered(
    gateway: httpx.AsyncClient, registry: RegistrySimulator, officer_headers: dict[str, str]
) -> dict[str, Any]:
    """A citizen an officer registered at a kiosk, with no phone: the assisted session."""
    body = {k: v for k, v in new_resident().items() if k not in {"phone", "password"}}
    residents.add_resident(registry.url, body)
    response = await gateway.post("/v1/auth/assisted-citizens", json=body, headers=officer_headers)
    assert response.status_code == 201, response.text
    assisted: dict[str, Any] = response.json()
    return assisted


# The contact API --------------------------------------------------------------------------


async def test_a_self_registered_citizens_contact(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, reader: dict[str, str]
) -> None:
    citizen = await self_registered(gateway, registry_simulator)
    account_id = citizen["account"]["id"]

    response = await gateway.get(contact_url(account_id), headers=reader)

    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {
        "account_id": account_id,
        "kind": "citizen",
        "phone": "+62" + citizen["phone"][1:],
        "registered_at_kiosk": False,
        "kecamatan_code": "36.71.01",  # the family card's (the simulator's default kelurahan)
        "preferred_language": None,
    }
    Contact.model_validate(response.json())  # the shape the contract gives its readers


async def test_a_kiosk_registered_citizen_without_a_phone(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, reader: dict[str, str]
) -> None:
    _officer, officer_headers = await officer(gateway)
    assisted = await kiosk_registered(gateway, registry_simulator, officer_headers)
    account_id = assisted["citizen"]["id"]

    response = await gateway.get(contact_url(account_id), headers=reader)

    assert response.status_code == 200, response.text
    assert response.json() == {
        "account_id": account_id,
        "kind": "citizen",
        "phone": None,
        "registered_at_kiosk": True,
        "kecamatan_code": "36.71.01",
        "preferred_language": None,
    }


async def test_a_staff_accounts_contact(gateway: httpx.AsyncClient, reader: dict[str, str]) -> None:
    staff, _headers = await officer(gateway)

    response = await gateway.get(contact_url(staff["id"]), headers=reader)

    assert response.status_code == 200, response.text
    assert response.json() == {
        "account_id": staff["id"],
        "kind": "staff",
        "phone": None,
        "registered_at_kiosk": False,
        "kecamatan_code": None,
        "preferred_language": None,
    }


async def test_an_unknown_account_is_a_404_problem(
    gateway: httpx.AsyncClient, reader: dict[str, str]
) -> None:
    response = await gateway.get(contact_url(uuid.uuid4()), headers=reader)

    assert_problem(response, 404, "account_not_found")


async def test_an_id_that_is_not_one_is_a_422_problem(
    gateway: httpx.AsyncClient, reader: dict[str, str]
) -> None:
    response = await gateway.get(contact_url("not-an-id"), headers=reader)

    assert_problem(response, 422, "validation_failed")


async def test_without_the_scope_every_caller_is_refused_with_a_403_problem(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, auth_headers: AuthHeaders
) -> None:
    citizen = await self_registered(gateway, registry_simulator)
    target = contact_url(citizen["account"]["id"])
    _officer, officer_headers = await officer(gateway)
    assisted = await kiosk_registered(gateway, registry_simulator, officer_headers)
    callers = {
        "the citizen themselves": await sign_in(gateway, citizen["nik"], PASSWORD),
        "an officer": officer_headers,
        "an officer acting for a citizen": bearer(assisted["access_token"]),
        "a city admin": await sign_in(gateway, *ADMIN),
        "a client with another scope": bearer(await client_token(gateway, PERMIT_CHECKS)),
        # Every scope but this one, and every role: neither stands in for the scope.
        "every other grant": auth_headers(
            "client:everything-else",
            roles=["citizen", "permits_officer", "information_officer", "city_admin"],
            scopes=["permits:verify", "payments:invoices:write", "monitoring:read", "identity"],
        ),
    }

    for who, headers in callers.items():
        one = await gateway.get(target, headers=headers)
        many = await gateway.post(
            LOOKUP_PATH, json={"account_ids": [citizen["account"]["id"]]}, headers=headers
        )
        for response in (one, many):
            problem = assert_problem(response, 403, "forbidden")
            assert "+62" not in response.text, who
            assert problem["status"] == 403, who


async def test_a_missing_forged_or_expired_token_is_a_401(
    gateway: httpx.AsyncClient,
    gateway_app: FastAPI,
    registry_simulator: RegistrySimulator,
    reader: dict[str, str],
) -> None:
    citizen = await self_registered(gateway, registry_simulator)
    target = contact_url(citizen["account"]["id"])
    other = await client_token(gateway, PERMIT_CHECKS)
    header, payload, signature = other.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["scope"] = "identity:contacts:read"  # the other client's token, given the scope
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    config: IdentityConfig = gateway_app.state.identity
    expired = issue_access_token(  # signed by the gateway, with the scope, an hour ago
        keys=gateway_app.state.signing_keys,
        issuer=config.issuer,
        audience=config.audience,
        subject="client:information",
        scopes=["identity:contacts:read"],
        ttl=config.access_ttl,
        now=gateway_app.state.clock() - timedelta(hours=1),
    ).token

    assert_problem(await gateway.get(target), 401, "unauthorized")
    forged = await gateway.get(target, headers=bearer(f"{header}.{forged_payload}.{signature}"))
    assert_problem(forged, 401, "unauthorized")
    assert_problem(await gateway.get(target, headers=bearer(expired)), 401, "unauthorized")
    assert (await gateway.get(target, headers=reader)).status_code == 200  # the real one


async def test_every_read_is_audited_and_logged_without_the_phone(
    gateway: httpx.AsyncClient,
    gateway_app: FastAPI,
    registry_simulator: RegistrySimulator,
    reader: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    citizen = await self_registered(gateway, registry_simulator)
    account_id = uuid.UUID(citizen["account"]["id"])
    nobody = uuid.uuid4()
    phone = "+62" + citizen["phone"][1:]

    with caplog.at_level(logging.INFO, logger="kota_gateway.identity.contacts"):
        assert (await gateway.get(contact_url(account_id), headers=reader)).status_code == 200
        assert (await gateway.get(contact_url(nobody), headers=reader)).status_code == 404

    async with gateway_app.state.sessionmaker() as session:
        reads = (
            await session.scalars(
                select(ContactRead)
                .where(ContactRead.account_id.in_([account_id, nobody]))
                .order_by(ContactRead.read_at)
            )
        ).all()
        audit_rows = await session.execute(
            text("SELECT * FROM contact_reads WHERE account_id = :id"), {"id": account_id}
        )
        stored = [str(row) for row in audit_rows]
    assert [(r.read_by, r.account_id, r.found) for r in reads] == [
        ("client:information", account_id, True),
        ("client:information", nobody, False),  # refused, and still recorded
    ]
    assert all(r.source == "127.0.0.1" for r in reads)
    assert stored
    assert not any(phone in row for row in stored)
    logged = [r for r in caplog.records if r.getMessage() == "contacts read"]
    assert [(r.read_by, r.account_ids) for r in logged] == [  # type: ignore[attr-defined]
        ("client:information", [str(account_id)]),
        ("client:information", [str(nobody)]),
    ]
    assert not any(phone in repr(vars(r)) for r in caplog.records)


async def test_a_lookup_answers_the_known_in_order_and_lists_the_unknown(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator, reader: dict[str, str]
) -> None:
    first = await self_registered(gateway, registry_simulator)
    second = await self_registered(gateway, registry_simulator)
    nobody = str(uuid.uuid4())
    asked = [second["account"]["id"], nobody, first["account"]["id"], second["account"]["id"]]

    response = await gateway.post(LOOKUP_PATH, json={"account_ids": asked}, headers=reader)

    assert response.status_code == 200, response.text
    answer = response.json()
    assert [c["account_id"] for c in answer["contacts"]] == [
        second["account"]["id"],
        first["account"]["id"],
    ]
    assert [c["phone"] for c in answer["contacts"]] == [
        "+62" + second["phone"][1:],
        "+62" + first["phone"][1:],
    ]
    assert answer["unknown"] == [nobody]


@pytest.mark.parametrize(
    "body",
    [
        {"account_ids": []},
        {"account_ids": [str(uuid.uuid4()) for _ in range(MAX_LOOKUP + 1)]},
        {"account_ids": ["not-an-id"]},
        {"account_ids": [str(uuid.uuid4())], "phones": ["+6281234567890"]},
        {},
    ],
    ids=["none", "too many", "not an id", "an unknown field", "no ids"],
)
async def test_a_lookup_out_of_bounds_is_a_422_problem(
    gateway: httpx.AsyncClient, reader: dict[str, str], body: dict[str, Any]
) -> None:
    response = await gateway.post(LOOKUP_PATH, json=body, headers=reader)

    assert_problem(response, 422, "validation_failed")


async def test_a_full_lookup_of_the_most_ids_is_answered(
    gateway: httpx.AsyncClient, reader: dict[str, str]
) -> None:
    asked = [str(uuid.uuid4()) for _ in range(MAX_LOOKUP)]

    response = await gateway.post(LOOKUP_PATH, json={"account_ids": asked}, headers=reader)

    assert response.status_code == 200, response.text
    assert response.json() == {"contacts": [], "unknown": asked}


def test_openapi_says_who_may_call_the_contact_api(gateway_app: FastAPI) -> None:
    paths = gateway_app.openapi()["paths"]

    operations = [paths[PATH]["get"], paths[LOOKUP_PATH]["post"]]

    for operation in operations:
        assert operation["description"].startswith("Who may call: ")
        assert "`identity:contacts:read`" in operation["description"]
    assert "account_not_found" in json.dumps(paths[PATH]["get"]["responses"]["404"])


# Clients the settings own ------------------------------------------------------------------


async def _stored(gateway_app: FastAPI, client_id: str) -> AgencyClient:
    async with gateway_app.state.sessionmaker() as session:
        client: AgencyClient | None = await session.get(AgencyClient, client_id)
    assert client is not None
    return client


async def _announced(gateway_app: FastAPI, client_id: str) -> list[str]:
    async with gateway_app.state.sessionmaker() as session:
        types = await session.scalars(
            text("SELECT event_type FROM outbox WHERE key = :id ORDER BY seq"), {"id": client_id}
        )
        return list(types)


async def provision(
    gateway_app: FastAPI, settings: GatewaySettings, *clients: BootstrapClient
) -> dict[str, Provisioned]:
    return await provision_bootstrap_clients(
        gateway_app.state.runtime,
        settings=settings.model_copy(update={"bootstrap_clients": list(clients)}),
        config=gateway_app.state.identity,
    )


async def test_the_bootstrap_creates_each_client_once_with_its_secret_hashed(
    gateway: httpx.AsyncClient, gateway_app: FastAPI, settings: GatewaySettings
) -> None:
    again = await provision_bootstrap_clients(
        gateway_app.state.runtime, settings=settings, config=gateway_app.state.identity
    )

    assert again == {"information": Provisioned.UNCHANGED, "permit-checks": Provisioned.UNCHANGED}
    async with gateway_app.state.sessionmaker() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(AgencyClient)
            .where(AgencyClient.client_id == "information")
        )
    stored = await _stored(gateway_app, "information")
    assert count == 1
    assert (stored.name, stored.agency, stored.scopes) == (
        "information",
        "Dinas Komunikasi dan Informatika",
        ["identity:contacts:read"],
    )
    assert stored.created_by == PROVISIONED_BY
    assert stored.secret_hash.startswith("$argon2id$")
    assert INFORMATION.secret.get_secret_value() not in stored.secret_hash
    assert await _announced(gateway_app, "information") == ["identity.agency_client.registered.v1"]


async def test_a_bootstrapped_client_gets_a_token_with_its_scope(
    gateway: httpx.AsyncClient,
) -> None:
    response = await token_response(gateway, INFORMATION)

    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "identity:contacts:read"
    assert response.json()["expires_in"] == 900


async def test_the_shared_client_credentials_helper_reads_a_contact_through_the_gateway(
    gateway: httpx.AsyncClient, registry_simulator: RegistrySimulator
) -> None:
    """What the information service does: its client's token, fetched and kept by the
    shared helper, then the contact read with the contract's path."""
    citizen = await self_registered(gateway, registry_simulator)
    auth = ClientCredentialsAuth(
        token_url=f"{gateway.base_url}{TOKEN}",
        client_id=INFORMATION.client_id,
        client_secret=INFORMATION.secret.get_secret_value(),
        scopes=["identity:contacts:read"],
        http=gateway,
    )

    response = await gateway.get(contact_url(citizen["account"]["id"]), auth=auth)

    assert response.status_code == 200, response.text
    assert Contact.model_validate(response.json()).phone == "+62" + citizen["phone"][1:]
    with pytest.raises(TokenRequestFailed) as refused:
        await ClientCredentialsAuth(
            token_url=f"{gateway.base_url}{TOKEN}",
            client_id=INFORMATION.client_id,
            client_secret="not-the-secret-of-the-information-client",
            http=gateway,
        ).access_token()
    assert refused.value.error == "invalid_client"


async def test_a_changed_secret_is_a_rotation_with_the_entrys_grace(
    gateway: httpx.AsyncClient, gateway_app: FastAPI, settings: GatewaySettings
) -> None:
    one, two, three = (f"rotating-secret-{n}-0123456789abcdefghij" for n in (1, 2, 3))
    first = changed(service_client("rotating"), secret=one)

    created = await provision(gateway_app, settings, first)
    with_grace = await provision(
        gateway_app, settings, changed(first, secret=two, rotation_grace_seconds=3600)
    )
    during_grace = [(await token_response(gateway, first, s)).status_code for s in (one, two)]
    at_once = await provision(gateway_app, settings, changed(first, secret=three))
    after = [(await token_response(gateway, first, s)).status_code for s in (one, two, three)]
    restarted = await provision(gateway_app, settings, changed(first, secret=three))

    assert (created, with_grace, at_once, restarted) == (
        {"rotating": Provisioned.CREATED},
        {"rotating": Provisioned.UPDATED},
        {"rotating": Provisioned.UPDATED},
        {"rotating": Provisioned.UNCHANGED},
    )
    assert during_grace == [200, 200]
    assert after == [401, 401, 200]
    assert await _announced(gateway_app, "rotating") == [
        "identity.agency_client.registered.v1",
        "identity.agency_client.secret_rotated.v1",
        "identity.agency_client.secret_rotated.v1",
    ]


async def test_the_settings_scopes_name_and_agency_replace_the_stored_ones(
    gateway: httpx.AsyncClient, gateway_app: FastAPI, settings: GatewaySettings
) -> None:
    before = service_client("widening", scopes=("permits:verify",))
    after = changed(
        before,
        scopes=["identity:contacts:read", "permits:verify"],
        agency="Dinas Komunikasi dan Informatika",
        name="Layanan informasi",
    )
    await provision(gateway_app, settings, before)

    assert await provision(gateway_app, settings, after) == {"widening": Provisioned.UPDATED}

    stored = await _stored(gateway_app, "widening")
    assert (stored.scopes, stored.agency, stored.name) == (
        ["identity:contacts:read", "permits:verify"],
        "Dinas Komunikasi dan Informatika",
        "Layanan informasi",
    )
    assert (await token_response(gateway, after)).json()["scope"] == (
        "identity:contacts:read permits:verify"
    )


async def test_a_client_a_city_admin_revoked_stays_revoked(
    gateway: httpx.AsyncClient,
    gateway_app: FastAPI,
    settings: GatewaySettings,
    auth_headers: AuthHeaders,
) -> None:
    doomed = service_client("revoked-one")
    await provision(gateway_app, settings, doomed)
    admin = auth_headers("admin-1", roles=["city_admin"])
    assert (await gateway.delete("/v1/auth/clients/revoked-one", headers=admin)).status_code == 204

    outcome = await provision(
        gateway_app,
        settings,
        changed(doomed, secret="a-new-secret-0123456789abcdefghijkl"),
    )

    assert outcome == {"revoked-one": Provisioned.REVOKED}
    assert not (await _stored(gateway_app, "revoked-one")).active
    refused = await token_response(gateway, doomed, "a-new-secret-0123456789abcdefghijkl")
    assert_problem(refused, 401, "invalid_client")


async def test_two_gateways_provisioning_at_once_create_one_client(
    gateway: httpx.AsyncClient, gateway_app: FastAPI, settings: GatewaySettings
) -> None:
    racing = service_client("racing")

    outcomes = await asyncio.gather(*(provision(gateway_app, settings, racing) for _ in range(4)))

    assert sorted(o["racing"] for o in outcomes) == sorted(
        [Provisioned.CREATED, *[Provisioned.UNCHANGED] * 3]
    )
    assert await _announced(gateway_app, "racing") == ["identity.agency_client.registered.v1"]


async def test_migration_0007_goes_down_and_up(infrastructure: Infrastructure) -> None:
    url = await migrated_database(infrastructure, "kota_gateway:migrations", "downgrade7")
    config = alembic_config("kota_gateway:migrations", url)
    engine = create_async_engine(url)

    async def audit_table_exists() -> bool:
        async with engine.connect() as connection:
            found = await connection.scalar(text("SELECT to_regclass('contact_reads')"))
        return found is not None

    try:
        await asyncio.to_thread(command.downgrade, config, "0006")
        down = await audit_table_exists()
        await asyncio.to_thread(command.upgrade, config, "head")
        up = await audit_table_exists()
    finally:
        await engine.dispose()

    assert (down, up) == (False, True)
