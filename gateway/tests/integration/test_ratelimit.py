"""Rate limits per subject through the gateway: in-process, and shared through a real Redis."""

import asyncio
import json
import shutil
import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio
from asgi_lifespan import LifespanManager
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from kota_dev.ports import free_port
from kota_dev.processes import start_service, stop_service, wait_until_ready
from kota_dev.pytest_plugin import AuthHeaders, Infrastructure, migrated_database
from kota_dev.suite import Service
from kota_gateway.config import GatewaySettings
from kota_gateway.main import create_app as create_gateway
from kota_shared.testing.servers import serve_app
from kota_shared.testing.tokens import TestSigner
from kota_shared.testing.waiting import eventually


def echo_app() -> FastAPI:
    app = FastAPI()

    @app.api_route("/v1/echo/{path:path}", methods=["GET", "POST"])
    async def echo(path: str, request: Request) -> JSONResponse:
        return JSONResponse({"path": path})

    @app.get("/readyz")
    async def ready() -> JSONResponse:  # so a gateway in front of it reports ready
        return JSONResponse({"status": "ready"})

    return app


@pytest.fixture(scope="module")
async def gateway_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "kota_gateway:migrations", "gateway")


@pytest.fixture(scope="module")
async def echo() -> AsyncIterator[str]:
    async with serve_app(echo_app()) as url:
        yield url


class Gateway:
    """A running gateway app; ``client(ip)`` talks to it as if from that address."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def client(self, ip: str = "127.0.0.1") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, client=(ip, 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.fixture
def make_gateway(
    gateway_database: str,
    echo: str,
    service_env: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[..., Any]:
    """``async with make_gateway(**settings) as gateway``: a gateway in front of the echo."""

    @asynccontextmanager
    async def make(**overrides: Any) -> AsyncIterator[Gateway]:
        settings = GatewaySettings(
            **{
                "database_url": gateway_database,
                "signing_key_dir": tmp_path_factory.mktemp("keys"),
                "upstreams": {"echo": echo},
                # Per day: the sliding window counter weighs the previous window, so exact
                # counts in a test could shift if it straddled a window's start.
                "rate_limits": {"auth": "2/day", "read": "3/day", "write": "2/day"},
                **service_env,
                **overrides,
            }
        )
        app = create_gateway(settings)
        async with LifespanManager(app, startup_timeout=60) as manager:
            yield Gateway(manager.app)

    return make


def limit_headers(response: httpx.Response) -> tuple[str | None, ...]:
    return tuple(
        response.headers.get(name)
        for name in ("ratelimit-limit", "ratelimit-remaining", "ratelimit-policy")
    )


async def test_every_answer_says_what_is_left_and_the_excess_is_a_429(
    make_gateway: Callable[..., Any],
) -> None:
    async with make_gateway() as gateway, gateway.client() as client:
        answers = [await client.get("/v1/echo/a") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [limit_headers(a) for a in answers] == [
        ("3", "2", "3;w=86400"),
        ("3", "1", "3;w=86400"),
        ("3", "0", "3;w=86400"),
        ("3", "0", "3;w=86400"),
    ]
    refused = answers[-1]
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 86400
    wait = refused.headers["retry-after"]
    assert refused.json()["title"] == (
        "Terlalu banyak permintaan. Silakan tunggu sebentar lalu coba lagi."
    )
    assert refused.json()["detail"] == (
        f"Batasnya 3 permintaan per 86400 detik; silakan coba lagi dalam {wait} detik."
    )
    assert refused.headers["content-language"] == "id"
    assert refused.headers["retry-after"] == refused.headers["ratelimit-reset"]
    assert refused.headers["x-request-id"]  # observed like any other answer
    assert 0 <= int(answers[0].headers["ratelimit-reset"]) <= 86400


async def test_each_subject_has_its_own_budget(
    make_gateway: Callable[..., Any], auth_headers: AuthHeaders
) -> None:
    ani, budi = auth_headers("citizen-ani"), auth_headers("citizen-budi")
    async with make_gateway() as gateway, gateway.client() as client:
        for _ in range(3):
            assert (await client.get("/v1/echo/a", headers=ani)).status_code == 200
        ani_again = await client.get("/v1/echo/a", headers=ani)
        ani_fresh_token = await client.get("/v1/echo/a", headers=auth_headers("citizen-ani"))
        budi_first = await client.get("/v1/echo/a", headers=budi)
        anonymous = await client.get("/v1/echo/a")  # same IP, but counted as the IP
        ani_writes = await client.post("/v1/echo/a", headers=ani)  # another route class

    assert ani_again.status_code == 429
    assert ani_fresh_token.status_code == 429  # the subject is counted, not the token
    assert budi_first.status_code == 200
    assert budi_first.headers["ratelimit-remaining"] == "2"
    assert anonymous.status_code == 200
    assert ani_writes.status_code == 200
    assert ani_writes.headers["ratelimit-limit"] == "2"


async def test_anonymous_callers_are_counted_per_ip(make_gateway: Callable[..., Any]) -> None:
    async with (
        make_gateway() as gateway,
        gateway.client("192.0.2.1") as first,
        gateway.client("192.0.2.2") as second,
    ):
        spent = [(await first.get("/v1/echo/a")).status_code for _ in range(4)]
        other = await second.get("/v1/echo/a")

    assert spent == [200, 200, 200, 429]
    assert other.status_code == 200


async def test_an_invalid_or_forged_token_spends_the_ips_budget_not_the_subjects(
    make_gateway: Callable[..., Any], auth_headers: AuthHeaders
) -> None:
    forger = TestSigner()  # the right issuer and audience, but a key the gateway doesn't know
    forged = {"Authorization": f"Bearer {forger.issue('citizen-victim')}"}
    async with make_gateway() as gateway, gateway.client() as client:
        await client.get("/v1/echo/a", headers={"Authorization": "Bearer not-a-token"})
        await client.get("/v1/echo/a", headers=forged)
        third = await client.get("/v1/echo/a")
        victim = await client.get("/v1/echo/a", headers=auth_headers("citizen-victim"))

    assert third.headers["ratelimit-remaining"] == "0"  # all three came from this IP
    assert victim.headers["ratelimit-remaining"] == "2"  # the victim's budget is untouched


async def test_sign_in_routes_are_counted_per_ip_whatever_the_token(
    make_gateway: Callable[..., Any], auth_headers: AuthHeaders
) -> None:
    form = {"grant_type": "password"}
    async with make_gateway() as gateway, gateway.client() as client:
        answers = [
            await client.post(
                "/v1/auth/clients/token", data=form, headers=auth_headers(f"citizen-{n}")
            )
            for n in range(3)
        ]

    assert [a.status_code for a in answers] == [400, 400, 429]
    assert answers[0].json()["code"] == "unsupported_grant_type"


async def test_forwarded_for_counts_only_behind_a_trusted_proxy(
    make_gateway: Callable[..., Any],
) -> None:
    async def spend(gateway: Gateway) -> list[int]:
        statuses = []
        async with gateway.client("10.0.0.5") as via_proxy:
            for n in range(5):
                forwarded = {"X-Forwarded-For": f"198.51.100.{n}"}
                statuses.append((await via_proxy.get("/v1/echo/a", headers=forwarded)).status_code)
        return statuses

    async with make_gateway(trusted_proxies=["10.0.0.0/8"]) as gateway:
        trusted = await spend(gateway)
    async with make_gateway() as gateway:
        untrusted = await spend(gateway)

    assert trusted == [200] * 5  # five clients behind our load balancer
    assert untrusted == [200, 200, 200, 429, 429]  # one caller claiming to be five


async def test_probes_and_keys_are_never_limited(make_gateway: Callable[..., Any]) -> None:
    async with make_gateway() as gateway, gateway.client() as client:
        answers = [await client.get(path) for path in ["/livez", "/.well-known/jwks.json"] * 5]

    assert {a.status_code for a in answers} == {200}
    assert all("ratelimit-limit" not in a.headers for a in answers)


async def test_limits_can_be_turned_off(make_gateway: Callable[..., Any]) -> None:
    async with make_gateway(rate_limits_enabled=False) as gateway, gateway.client() as client:
        answers = [await client.get("/v1/echo/a") for _ in range(10)]

    assert {a.status_code for a in answers} == {200}
    assert "ratelimit-limit" not in answers[0].headers


async def test_a_class_left_out_is_unlimited(make_gateway: Callable[..., Any]) -> None:
    async with make_gateway(rate_limits={"write": "1/day"}) as gateway, gateway.client() as c:
        reads = [await c.get("/v1/echo/a") for _ in range(5)]

    assert {r.status_code for r in reads} == {200}


# Several gateway processes share limits through Redis.


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A real, throwaway redis-server on a free loopback port (no persistence)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
async def redis_storage(redis_url: str) -> AsyncIterator[str]:
    """The Redis URL once the server answers, emptied for each test."""
    client = redis.asyncio.Redis.from_url(redis_url)

    async def answers() -> bool:
        try:
            return bool(await client.ping())
        except redis.exceptions.ConnectionError:
            return False

    try:
        await eventually(answers, within=15, what="redis-server to start")
        await client.flushdb()
        yield redis_url
    finally:
        await client.aclose()


async def test_two_gateways_sharing_redis_share_the_limit(
    make_gateway: Callable[..., Any], redis_storage: str, auth_headers: AuthHeaders
) -> None:
    ani = auth_headers("citizen-ani")
    async with (
        make_gateway(redis_url=redis_storage) as first,
        make_gateway(redis_url=redis_storage) as second,
        first.client() as to_first,
        second.client() as to_second,
    ):
        answers = [
            await to_first.get("/v1/echo/a", headers=ani),
            await to_second.get("/v1/echo/a", headers=ani),
            await to_first.get("/v1/echo/a", headers=ani),
            await to_second.get("/v1/echo/a", headers=ani),
        ]
        other_subject = await to_second.get("/v1/echo/a", headers=auth_headers("citizen-budi"))
        readiness = (await to_first.get("/readyz")).json()["checks"]["rate_limits"]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert other_subject.status_code == 200
    assert readiness == {
        "status": "ready",
        "storage": "redis",
        "reachable": True,
        "circuit": "closed",
    }


async def test_two_gateway_processes_sharing_redis_share_the_limit(
    gateway_database: str,
    echo: str,
    service_env: dict[str, Any],
    redis_storage: str,
    auth_headers: AuthHeaders,
    tmp_path: Path,
) -> None:
    """Two real OS processes, as two replicas behind a load balancer would be."""
    env = {f"GATEWAY_{name.upper()}": str(value) for name, value in service_env.items()} | {
        "GATEWAY_DATABASE_URL": gateway_database,
        "GATEWAY_SIGNING_KEY_DIR": str(tmp_path / "keys"),
        "GATEWAY_UPSTREAMS": json.dumps({"echo": echo}),
        "GATEWAY_RATE_LIMITS": json.dumps({"auth": "2/day", "read": "3/day", "write": "2/day"}),
        "GATEWAY_REDIS_URL": redis_storage,
    }
    replicas = [
        start_service(
            Service(f"gateway-replica-{n}", 0, package="kota_gateway"),
            port=free_port(),
            env=env,
            log_dir=tmp_path,
        )
        for n in (1, 2)
    ]
    try:
        for replica in replicas:
            await asyncio.to_thread(wait_until_ready, replica)
        ani = auth_headers("citizen-ani-processes")
        async with httpx.AsyncClient() as client:
            answers = [
                await client.get(f"{replicas[n % 2].url}/v1/echo/a", headers=ani) for n in range(4)
            ]
    finally:
        for replica in replicas:
            stop_service(replica)

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["2", "1", "0", "0"]


async def test_without_redis_the_gateway_fails_open(make_gateway: Callable[..., Any]) -> None:
    gone = f"redis://127.0.0.1:{free_port()}/0"
    async with make_gateway(redis_url=gone) as gateway, gateway.client() as client:
        answers = [await client.get("/v1/echo/a") for _ in range(5)]
        readiness = (await client.get("/readyz")).json()["checks"]["rate_limits"]

    assert {a.status_code for a in answers} == {200}  # not limited, but not down either
    assert "ratelimit-limit" not in answers[0].headers
    assert readiness == {
        "status": "ready",
        "storage": "redis",
        "reachable": False,
        "circuit": "open",  # after three errors, Redis is left alone for a while
    }
