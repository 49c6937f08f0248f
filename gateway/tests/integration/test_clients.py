"""Agency clients: a city admin's registry, the client-credentials grant, and scopes end to end."""

import base64
import json
import time
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from kota_dev.ports import free_port
from kota_dev.pytest_plugin import (
    AuthHeaders,
    Infrastructure,
    bearer,
    migrated_database,
    running_app,
)
from kota_gateway.config import GatewaySettings
from kota_gateway.db import Base
from kota_gateway.identity.clients import models as client_models
from kota_gateway.main import create_app as create_gateway
from kota_shared.testing.pages import every_page, next_link
from kota_shared.testing.schema import schema_differences
from kota_shared.testing.servers import serve_app
from kota_shared.testing.waiting import eventually
from monitoring.config import MonitoringSettings
from monitoring.main import create_app as create_monitoring

CLIENTS = "/v1/auth/clients"
TOKEN = "/v1/auth/clients/token"


def basic(client_id: str, secret: str) -> dict[str, str]:
    encoded = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


@pytest.fixture(scope="module")
async def gateway_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "kota_gateway:migrations", "gateway")


@pytest.fixture(scope="module")
def settings(
    gateway_database: str,
    service_env: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> GatewaySettings:
    return GatewaySettings(
        **{
            **service_env,
            "database_url": gateway_database,
            "signing_key_dir": tmp_path_factory.mktemp("keys"),
            "upstreams": {},
            "rate_limits_enabled": False,
        }
    )


@pytest.fixture(scope="module")
async def gateway(settings: GatewaySettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(create_gateway(settings)) as client:
        yield client


@pytest.fixture
def admin(auth_headers: AuthHeaders) -> dict[str, str]:
    return auth_headers("admin-1", roles=["city_admin"])


async def register(
    gateway: httpx.AsyncClient, admin: dict[str, str], scopes: list[str]
) -> dict[str, Any]:
    response = await gateway.post(
        CLIENTS,
        json={"name": "Roadside permit checks", "agency": "Polda Banten", "scopes": scopes},
        headers=admin,
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def get_token(
    gateway: httpx.AsyncClient, client: dict[str, Any], **form: str
) -> httpx.Response:
    return await gateway.post(
        TOKEN,
        data={"grant_type": "client_credentials", **form},
        headers=basic(client["client_id"], client["client_secret"]),
    )


async def test_a_city_admin_registers_a_client_and_sees_its_secret_once(
    gateway: httpx.AsyncClient, admin: dict[str, str], gateway_database: str
) -> None:
    created = await register(gateway, admin, ["permits:verify", "monitoring:read"])
    listed = (await gateway.get(CLIENTS, headers=admin)).json()
    one = await gateway.get(f"{CLIENTS}/{created['client_id']}", headers=admin)

    assert created["client_id"].startswith("ac_")
    assert created["client_secret"].startswith("acs_")
    assert created["scopes"] == ["monitoring:read", "permits:verify"]
    assert created["active"] is True
    assert created["created_by"] == "admin-1"
    assert one.status_code == 200
    assert "client_secret" not in one.json()
    assert created["client_id"] in {c["client_id"] for c in listed}
    assert all("client_secret" not in c for c in listed)
    engine = create_async_engine(gateway_database)
    try:
        async with engine.connect() as connection:
            stored = await connection.scalar(
                text("SELECT secret_hash FROM agency_clients WHERE client_id = :id"),
                {"id": created["client_id"]},
            )
            announced = await connection.scalar(
                text("SELECT event_type FROM outbox WHERE key = :id"),
                {"id": created["client_id"]},
            )
    finally:
        await engine.dispose()
    assert stored.startswith("$argon2id$")
    assert created["client_secret"] not in stored
    assert announced == "identity.agency_client.registered.v1"


async def test_only_a_city_admin_manages_clients(
    gateway: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    citizen = auth_headers("citizen-1", roles=["citizen"])
    body = {"name": "x", "agency": "y", "scopes": ["permits:verify"]}

    assert (await gateway.post(CLIENTS, json=body, headers=citizen)).status_code == 403
    assert (await gateway.post(CLIENTS, json=body)).status_code == 401
    assert (await gateway.get(CLIENTS, headers=citizen)).status_code == 403
    assert (await gateway.delete(f"{CLIENTS}/ac_x", headers=citizen)).status_code == 403
    assert (await gateway.post(f"{CLIENTS}/ac_x/secret", headers=citizen)).status_code == 403


async def test_the_registry_comes_in_pages_newest_first_revoked_clients_too(
    gateway: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    registered = [await register(gateway, admin, ["permits:verify"]) for _ in range(5)]
    revoked = registered[1]["client_id"]
    assert (await gateway.delete(f"{CLIENTS}/{revoked}", headers=admin)).status_code == 204

    pages = await every_page(gateway, f"{CLIENTS}?limit=2", headers=admin)

    listed = [client for page in pages for client in page]
    ids = [client["client_id"] for client in listed]
    ours = {client["client_id"] for client in registered}
    assert all(len(page) == 2 for page in pages[:-1])
    assert 1 <= len(pages[-1]) <= 2
    assert len(ids) == len(set(ids))  # none twice, though every page is read anew
    assert [i for i in ids if i in ours] == [c["client_id"] for c in reversed(registered)]
    assert listed == sorted(
        listed,
        key=lambda c: (datetime.fromisoformat(c["created_at"]), c["client_id"]),
        reverse=True,
    )
    assert next(c for c in listed if c["client_id"] == revoked)["active"] is False
    assert all("client_secret" not in client for client in listed)


async def test_a_full_last_page_of_clients_has_no_next_link(
    gateway: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await register(gateway, admin, ["permits:verify"])
    everyone = [c for page in await every_page(gateway, CLIENTS, headers=admin) for c in page]

    response = await gateway.get(f"{CLIENTS}?limit={len(everyone)}", headers=admin)

    assert len(response.json()) == len(everyone)
    assert next_link(response) is None


def cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "query",
    [
        "cursor=not-base64-json!",
        f"cursor={cursor([])}",
        f"cursor={cursor([{'t': '2026-12-03T10:00:00+07:00'}])}",  # one value short
        f"cursor={cursor([{'t': '2026-12-03T10:00:00'}, 'ac_x'])}",  # no time zone
        # An invoice list's cursor: an id where a client id belongs.
        f"cursor={cursor([{'t': '2026-12-03T10:00:00+07:00'}, {'u': str(uuid.uuid4())}])}",
    ],
)
async def test_a_cursor_that_is_not_of_the_registry_is_a_400_problem(
    gateway: httpx.AsyncClient, admin: dict[str, str], query: str
) -> None:
    response = await gateway.get(f"{CLIENTS}?{query}", headers=admin)

    assert response.status_code == 400, response.text
    assert response.json()["code"] == "invalid_cursor"


async def test_the_registrys_pages_are_capped(
    gateway: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    response = await gateway.get(f"{CLIENTS}?limit=5000", headers=admin)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


async def test_scopes_come_from_the_allowed_list(
    gateway: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    response = await gateway.post(
        CLIENTS,
        json={"name": "x", "agency": "y", "scopes": ["permits:verify", "root:everything"]},
        headers=admin,
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    (error,) = response.json()["errors"]
    assert error["field"] == "body.scopes"
    assert error["type"] == "unknown_scope"
    assert error["message"].startswith(
        "Cakupan ini tidak dapat diberikan: root:everything. Cakupan yang diizinkan: "
    )
    assert "permits:verify" in error["message"]


async def test_the_token_is_a_signed_access_token_for_the_client(
    gateway: httpx.AsyncClient, admin: dict[str, str], settings: GatewaySettings
) -> None:
    client = await register(gateway, admin, ["permits:verify", "monitoring:read"])

    response = await get_token(gateway, client)

    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["scope"] == "monitoring:read permits:verify"
    keys = jwt.PyJWKSet.from_dict((await gateway.get("/.well-known/jwks.json")).json())
    header = jwt.get_unverified_header(body["access_token"])
    (key,) = [k for k in keys.keys if k.key_id == header["kid"]]
    claims = jwt.decode(
        body["access_token"],
        key=key,
        algorithms=["EdDSA"],
        audience=settings.token_audience,
        issuer=settings.token_issuer,
    )
    assert header["alg"] == "EdDSA"
    assert claims["sub"] == f"client:{client['client_id']}"
    assert claims["typ"] == "access"
    assert claims["roles"] == []
    assert claims["scope"] == "monitoring:read permits:verify"
    assert claims["exp"] - claims["iat"] == 900
    assert claims["nbf"] == claims["iat"]
    assert claims["jti"]


async def test_credentials_in_the_form_and_a_narrower_scope(
    gateway: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    client = await register(gateway, admin, ["permits:verify", "monitoring:read"])

    response = await gateway.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": client["client_id"],
            "client_secret": client["client_secret"],
            "scope": "monitoring:read",
        },
    )

    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "monitoring:read"


@pytest.mark.parametrize(
    ("form", "use_basic", "status", "code"),
    [
        (
            {"grant_type": "client_credentials", "scope": "health:fhir:read"},
            True,
            400,
            "invalid_scope",
        ),
        ({"grant_type": "password"}, True, 400, "unsupported_grant_type"),
        ({}, True, 400, "invalid_request"),
        ({"grant_type": "client_credentials", "client_id": "ac_x"}, True, 400, "invalid_request"),
        ({"grant_type": "client_credentials"}, False, 401, "invalid_client"),
    ],
)
async def test_malformed_token_requests_are_oauth2_errors(
    gateway: httpx.AsyncClient,
    admin: dict[str, str],
    form: dict[str, str],
    use_basic: bool,
    status: int,
    code: str,
) -> None:
    client = await register(gateway, admin, ["permits:verify"])
    headers = basic(client["client_id"], client["client_secret"]) if use_basic else {}

    response = await gateway.post(TOKEN, data=form, headers=headers)

    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert response.json()["error"] == code  # what OAuth2 client libraries read
    assert response.headers["content-language"] == "id"


async def test_the_token_request_is_a_form(
    gateway: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    """RFC 6749 §4.4.2; no body at all is an empty form (OAuth2's `invalid_request`)."""
    client = await register(gateway, admin, ["permits:verify"])
    headers = basic(client["client_id"], client["client_secret"])

    as_json = await gateway.post(TOKEN, json={"grant_type": "client_credentials"}, headers=headers)
    repeated = await gateway.post(
        TOKEN,
        content=b"grant_type=client_credentials&grant_type=password",
        headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    nothing = await gateway.post(TOKEN, headers=headers)
    blank = await get_token(gateway, client, scope="")

    assert as_json.status_code == 415
    assert as_json.json()["code"] == "unsupported_media_type"
    assert as_json.headers["accept-post"] == "application/x-www-form-urlencoded"
    assert repeated.status_code == 422
    assert repeated.json()["errors"][0]["type"] == "body_repeated_field"
    assert (nothing.status_code, nothing.json()["code"]) == (400, "invalid_request")
    assert blank.status_code == 200, blank.text  # an empty field is as not sent
    assert blank.json()["scope"] == "permits:verify"


@pytest.mark.parametrize(
    ("form", "use_basic", "indonesian", "english"),
    [
        (
            {"grant_type": "client_credentials", "scope": "health:fhir:read permits:verify"},
            True,
            "Tidak diberikan kepada klien ini: health:fhir:read.",
            "Not granted to this client: health:fhir:read.",
        ),
        (
            {},
            True,
            "Parameter grant_type tidak disertakan.",
            "The grant_type parameter is missing.",
        ),
        (
            {"grant_type": "client_credentials", "client_id": "ac_x"},
            True,
            "Kirim kredensial klien dengan satu cara saja (Basic atau formulir).",
            "Send the client's credentials one way only (Basic or form).",
        ),
        (
            {"grant_type": "client_credentials"},
            False,
            "Kredensial klien tidak disertakan.",
            "The client's credentials are missing.",
        ),
    ],
)
async def test_token_errors_are_explained_in_indonesian_unless_english_is_asked_for(
    gateway: httpx.AsyncClient,
    admin: dict[str, str],
    form: dict[str, str],
    use_basic: bool,
    indonesian: str,
    english: str,
) -> None:
    client = await register(gateway, admin, ["permits:verify"])
    headers = basic(client["client_id"], client["client_secret"]) if use_basic else {}

    by_default = await gateway.post(TOKEN, data=form, headers=headers)
    in_english = await gateway.post(TOKEN, data=form, headers={**headers, "Accept-Language": "en"})

    assert by_default.json()["detail"] == indonesian
    assert in_english.json()["detail"] == english
    assert by_default.headers["content-language"] == "id"
    assert in_english.headers["content-language"] == "en"
    assert by_default.json()["code"] == in_english.json()["code"]


async def test_a_wrong_secret_or_an_unknown_client_is_invalid_client(
    gateway: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    client = await register(gateway, admin, ["permits:verify"])
    form = {"grant_type": "client_credentials"}

    wrong = await gateway.post(TOKEN, data=form, headers=basic(client["client_id"], "acs_guess"))
    unknown = await gateway.post(TOKEN, data=form, headers=basic("ac_nobody", "acs_guess"))
    garbled = await gateway.post(TOKEN, data=form, headers={"Authorization": "Basic %%%"})

    for response in (wrong, unknown, garbled):
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_client"
        assert response.headers["www-authenticate"].startswith("Basic")
    assert wrong.json()["title"] == unknown.json()["title"]  # says nothing about which
    assert wrong.json()["title"] == "Klien tidak dikenal, sudah dicabut, atau rahasianya salah."
    assert garbled.json()["detail"] == "Kredensial Basic bukan base64 yang valid."


async def test_rotation_retires_the_old_secret(
    gateway: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    client = await register(gateway, admin, ["permits:verify"])

    rotated = await gateway.post(f"{CLIENTS}/{client['client_id']}/secret", headers=admin)
    renewed = {**client, "client_secret": rotated.json()["client_secret"]}

    assert rotated.status_code == 200
    assert rotated.json()["previous_secret_valid_until"] is None
    assert (await get_token(gateway, client)).status_code == 401
    assert (await get_token(gateway, renewed)).status_code == 200


async def test_rotation_with_a_grace_period_keeps_the_old_secret_working_for_a_while(
    gateway: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    client = await register(gateway, admin, ["permits:verify"])
    url = f"{CLIENTS}/{client['client_id']}/secret"

    first = await gateway.post(url, json={"grace_period_seconds": 3600}, headers=admin)
    second_secret = {**client, "client_secret": first.json()["client_secret"]}
    old_during_grace = await get_token(gateway, client)
    new_during_grace = await get_token(gateway, second_secret)
    second = await gateway.post(url, json={"grace_period_seconds": 0}, headers=admin)

    assert first.json()["previous_secret_valid_until"] is not None
    assert old_during_grace.status_code == 200
    assert new_during_grace.status_code == 200
    assert (await get_token(gateway, client)).status_code == 401  # only one secret back
    assert (await get_token(gateway, second_secret)).status_code == 401
    third_secret = {**client, "client_secret": second.json()["client_secret"]}
    assert (await get_token(gateway, third_secret)).status_code == 200


async def test_a_revoked_client_gets_no_more_tokens(
    gateway: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    client = await register(gateway, admin, ["permits:verify"])
    url = f"{CLIENTS}/{client['client_id']}"

    revoked = await gateway.delete(url, headers=admin)
    again = await gateway.delete(url, headers=admin)
    token = await get_token(gateway, client)
    record = (await gateway.get(url, headers=admin)).json()
    rotate = await gateway.post(f"{url}/secret", headers=admin)

    assert revoked.status_code == 204
    assert again.status_code == 204
    assert token.status_code == 401
    assert token.json()["code"] == "invalid_client"
    assert record["active"] is False
    assert record["revoked_at"] is not None
    assert rotate.status_code == 409
    assert rotate.json()["detail"] == "Klien ini sudah dicabut; silakan daftarkan klien baru."
    assert (await gateway.delete(f"{CLIENTS}/ac_nobody", headers=admin)).status_code == 404


async def test_an_unknown_client_is_a_404_in_the_callers_language(
    gateway: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    indonesian = await gateway.get(f"{CLIENTS}/ac_nobody", headers=admin)
    english = await gateway.get(f"{CLIENTS}/ac_nobody", headers={**admin, "Accept-Language": "en"})

    assert (indonesian.status_code, english.status_code) == (404, 404)
    assert indonesian.json()["code"] == english.json()["code"] == "not_found"
    assert indonesian.json()["type"] == "/problems/not_found"
    assert indonesian.json()["detail"] == "Tidak ada klien instansi dengan ID ini."
    assert english.json()["detail"] == "There is no agency client with this id."
    assert indonesian.headers["content-language"] == "id"
    assert english.headers["content-language"] == "en"


def echo_app() -> FastAPI:
    """An upstream that lets everything in (the edge is what is tested)."""
    app = FastAPI()

    @app.get("/v1/echo/{path:path}")
    async def echo(path: str, request: Request) -> JSONResponse:
        return JSONResponse({"path": path})

    return app


async def test_a_revoked_clients_tokens_stop_working_within_seconds(
    settings: GatewaySettings, admin: dict[str, str]
) -> None:
    """Its tokens are refused at the edge of every gateway replica, not only new ones."""
    refresh = settings.revoked_clients_refresh_seconds
    async with serve_app(echo_app()) as echo:
        behind = settings.model_copy(update={"upstreams": {"echo": echo}})
        async with (
            running_app(create_gateway(behind)) as gateway,
            running_app(create_gateway(behind)) as replica,
        ):
            revoked = await register(gateway, admin, ["permits:verify"])
            kept = await register(gateway, admin, ["permits:verify"])
            revoked_token = bearer((await get_token(gateway, revoked)).json()["access_token"])
            kept_token = bearer((await get_token(gateway, kept)).json()["access_token"])
            before = [await g.get("/v1/echo/x", headers=revoked_token) for g in (gateway, replica)]

            deleted = await gateway.delete(f"{CLIENTS}/{revoked['client_id']}", headers=admin)
            began = time.monotonic()

            async def answers() -> list[httpx.Response]:
                return [
                    await g.get("/v1/echo/x", headers=revoked_token) for g in (gateway, replica)
                ]

            after = await eventually(
                answers,
                until=lambda rs: all(r.status_code == 401 for r in rs),
                within=refresh + 10,
                what="the revoked client's token to be refused by both replicas",
            )
            took = time.monotonic() - began
            still = await replica.get("/v1/echo/x", headers=kept_token)

    assert [b.status_code for b in before] == [200, 200]
    assert deleted.status_code == 204
    assert took < refresh + 10
    for answer in after:
        assert answer.json()["code"] == "client_revoked"
        assert answer.headers["www-authenticate"] == "Bearer"
        assert answer.json()["detail"] == (
            "Silakan minta klien instansi yang baru kepada pemerintah kota."
        )
        assert answer.headers["content-language"] == "id"
    assert still.status_code == 200


async def test_the_migration_creates_the_agency_clients_table_as_modelled(
    gateway_database: str,
) -> None:
    assert client_models.AgencyClient.__table__.metadata is Base.metadata
    differences = await schema_differences(gateway_database, Base.metadata)

    assert [d for d in differences if "agency_clients" in repr(d)] == []


async def test_a_service_admits_an_agency_client_by_its_scopes(
    infrastructure: Infrastructure,
    service_env: dict[str, Any],
    settings: GatewaySettings,
    admin: dict[str, str],
) -> None:
    """End to end over HTTP: the monitoring service verifies the gateway's own tokens."""
    monitoring_port = free_port()
    behind = settings.model_copy(
        update={"upstreams": {"monitoring": f"http://127.0.0.1:{monitoring_port}"}}
    )
    monitoring_database = await migrated_database(
        infrastructure, "monitoring:migrations", "monitoring"
    )
    async with serve_app(create_gateway(behind)) as gateway_url:
        monitoring = create_monitoring(
            MonitoringSettings(
                **{
                    **service_env,
                    "database_url": monitoring_database,
                    "jwks_url": f"{gateway_url}/.well-known/jwks.json",
                    "token_issuer": behind.token_issuer,
                    # A consumer group of its own: on the session's broker, the default
                    # one is monitoring's tests', whose events it would otherwise take.
                    "read_models_generation": 9001,
                    "readiness_urls": {},
                    "metrics_urls": {},
                }
            )
        )
        async with (
            serve_app(monitoring, port=monitoring_port),
            httpx.AsyncClient(base_url=gateway_url) as gateway,
        ):
            permits_only = await register(gateway, admin, ["permits:verify"])
            watcher = await register(gateway, admin, ["monitoring:read"])
            without = (await get_token(gateway, permits_only)).json()["access_token"]
            with_scope = (await get_token(gateway, watcher)).json()["access_token"]

            refused = await gateway.get(
                "/v1/monitoring/event-counts", headers={"Authorization": f"Bearer {without}"}
            )
            admitted = await gateway.get(
                "/v1/monitoring/event-counts", headers={"Authorization": f"Bearer {with_scope}"}
            )

    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert admitted.status_code == 200, admitted.text
    assert isinstance(admitted.json(), list)
