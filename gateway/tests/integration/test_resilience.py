"""Resilience of the proxy against real upstreams: dead, hung, failing, and back again."""

import asyncio
import re
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import generate_latest

from kota_dev.ports import free_port
from kota_dev.pytest_plugin import Infrastructure, migrated_database, running_app
from kota_gateway.config import GatewaySettings
from kota_gateway.main import create_app as create_gateway
from kota_shared.testing.servers import serve_app
from kota_shared.testing.waiting import eventually


def upstream_app() -> FastAPI:
    """An upstream that answers, fails with 503, or hangs until ``app.state.release`` is set;
    ``app.state.received`` lists the method and body length of each request ``ok`` answered."""
    app = FastAPI()
    release = app.state.release = asyncio.Event()
    received: list[tuple[str, int]] = []
    app.state.received = received

    @app.api_route("/v1/{service}/ok", methods=["GET", "POST", "PUT"])
    async def ok(service: str, request: Request) -> JSONResponse:
        body_length = len(await request.body())
        received.append((request.method, body_length))
        return JSONResponse({"service": service, "body_length": body_length})

    @app.get("/v1/{service}/sick")
    async def sick(service: str) -> Response:
        return JSONResponse({"detail": "database down"}, status_code=503)

    @app.get("/v1/{service}/slow")
    async def slow(service: str) -> JSONResponse:
        await release.wait()
        return JSONResponse({"service": service})

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        return JSONResponse({"status": "ready"})

    return app


@pytest.fixture
def hung_port() -> Iterator[int]:
    """A port whose accept queue is full: connection attempts hang (a frozen host)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = int(listener.getsockname()[1])
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        with suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    try:
        yield port
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


@asynccontextmanager
async def counting_server() -> AsyncIterator[tuple[int, list[int]]]:
    """A TCP server that counts connections and hangs up on each at once (a crashing host)."""
    connections: list[int] = []

    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = int(server.sockets[0].getsockname()[1])
    try:
        yield port, connections
    finally:
        server.close()
        await server.wait_closed()


@pytest.fixture(scope="module")
async def gateway_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "kota_gateway:migrations", "gateway")


@pytest.fixture(scope="module")
async def steady() -> AsyncIterator[str]:
    app = upstream_app()
    async with serve_app(app) as url:
        try:
            yield url
        finally:
            app.state.release.set()  # or the server would wait for hung requests forever


@pytest.fixture
def make_gateway(
    gateway_database: str,
    service_env: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[..., Any]:
    """``async with make_gateway(upstreams={...}, **settings) as client``."""

    @asynccontextmanager
    async def make(**overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
        settings = GatewaySettings(
            **{
                "database_url": gateway_database,
                "signing_key_dir": tmp_path_factory.mktemp("keys"),
                "rate_limits_enabled": False,
                "upstream_connect_timeout_seconds": 0.5,
                "upstream_read_timeout_seconds": 2,
                "circuit_failure_threshold": 3,
                "circuit_open_seconds": 1,
                **service_env,
                **overrides,
            }
        )
        async with running_app(create_gateway(settings)) as client:
            yield client

    return make


def metric(text: str, name: str, **labels: str) -> float:
    """One sample's value from a Prometheus exposition (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(rf"{re.escape(name)}\{{(.*)\}} (\S+)", line)
        if match and ",".join(sorted(match.group(1).split(","))) == wanted:
            return float(match.group(2))
    return 0.0


async def metrics(_gateway: httpx.AsyncClient) -> str:
    """This process's metrics, which the in-process gateway counts into (and its internal
    listener serves: the public port has no /metrics)."""
    return generate_latest().decode()


async def test_a_killed_upstream_opens_its_circuit_and_closes_it_when_back(
    make_gateway: Callable[..., Any], steady: str
) -> None:
    port = free_port()
    async with make_gateway(
        upstreams={"steady": steady, "flaky": f"http://127.0.0.1:{port}"}
    ) as gateway:
        async with serve_app(upstream_app(), port=port):
            assert (await gateway.get("/v1/flaky/ok")).status_code == 200
        # Killed. Each request is refused within the connect timeout, and after the
        # threshold the circuit opens.
        for _ in range(3):
            started = time.monotonic()
            refused = await gateway.get("/v1/flaky/ok")
            assert time.monotonic() - started < 0.5
            assert refused.status_code == 503
            assert refused.headers["content-type"] == "application/problem+json"
        fast = await gateway.get("/v1/flaky/ok")
        other = await gateway.get("/v1/steady/ok")
        readiness = (await gateway.get("/readyz")).json()["checks"]
        exposed = await metrics(gateway)

        assert fast.status_code == 503
        assert fast.json()["circuit"] == "open"
        assert fast.json()["upstream"] == "flaky"
        assert fast.headers["retry-after"] == "1"
        assert other.status_code == 200  # the others are unaffected
        assert readiness["upstream:flaky"]["status"] == "unavailable"
        assert "circuit open" in readiness["upstream:flaky"]["error"]
        assert readiness["upstream:steady"] == {
            "status": "ready",
            "circuit": "closed",
            "consecutive_failures": 0,
        }
        assert metric(exposed, "kota_gateway_upstream_circuit_state", upstream="flaky") == 2
        assert metric(exposed, "kota_gateway_upstream_circuit_state", upstream="steady") == 0

        async with serve_app(upstream_app(), port=port):

            async def through() -> int:
                return (await gateway.get("/v1/flaky/ok")).status_code

            await eventually(through, until=lambda s: s == 200, what="the circuit to close")
            readiness = (await gateway.get("/readyz")).json()["checks"]
            exposed = await metrics(gateway)

        assert readiness["upstream:flaky"]["status"] == "ready"
        assert readiness["upstream:flaky"]["circuit"] == "closed"
        assert metric(exposed, "kota_gateway_upstream_circuit_state", upstream="flaky") == 0


async def test_an_open_circuit_fails_fast_without_connecting(
    make_gateway: Callable[..., Any],
) -> None:
    async with (
        counting_server() as (port, connections),
        make_gateway(
            upstreams={"crashing": f"http://127.0.0.1:{port}"}, circuit_open_seconds=60
        ) as gateway,
    ):
        at_start = len(connections)  # the gateway reads each upstream's OpenAPI on start
        failures = [await gateway.get("/v1/crashing/ok") for _ in range(3)]
        assert len(connections) - at_start == 3  # hung up on: not retried, not refused

        after = [await gateway.get("/v1/crashing/ok") for _ in range(5)]

    assert [r.status_code for r in failures + after] == [503] * 8
    assert len(connections) - at_start == 3  # no connection while the circuit is open
    assert {r.json()["circuit"] for r in after} == {"open"}
    assert 55 <= int(after[-1].headers["retry-after"]) <= 60


async def test_a_hung_upstream_is_a_503_within_the_connect_timeout(
    make_gateway: Callable[..., Any], hung_port: int
) -> None:
    async with make_gateway(
        upstreams={"frozen": f"http://127.0.0.1:{hung_port}"},
        upstream_connect_timeout_seconds=0.3,
    ) as gateway:
        started = time.monotonic()
        response = await gateway.get("/v1/frozen/ok")
        elapsed = time.monotonic() - started
        exposed = await metrics(gateway)

    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert 0.3 <= elapsed < 1.0  # one connect timeout: a timeout is not retried
    assert metric(exposed, "kota_gateway_upstream_retries_total", upstream="frozen") == 0


async def test_a_slow_answer_is_a_504_and_counts_against_the_circuit(
    make_gateway: Callable[..., Any], steady: str
) -> None:
    async with make_gateway(
        upstreams={"steady": steady}, upstream_read_timeout_seconds=0.3
    ) as gateway:
        responses = [await gateway.get("/v1/steady/slow") for _ in range(3)]
        after = await gateway.get("/v1/steady/ok")

    assert [r.status_code for r in responses] == [504, 504, 504]
    assert responses[0].json()["code"] == "gateway_timeout"
    assert after.status_code == 503
    assert after.json()["circuit"] == "open"


async def test_502_503_504_answers_open_the_circuit(
    make_gateway: Callable[..., Any], steady: str
) -> None:
    async with make_gateway(upstreams={"steady": steady}) as gateway:
        answers = [await gateway.get("/v1/steady/sick") for _ in range(3)]
        after = await gateway.get("/v1/steady/ok")

    assert [a.status_code for a in answers] == [503, 503, 503]
    assert answers[0].json() == {"detail": "database down"}  # the service's own answer
    assert after.status_code == 503
    assert after.json()["circuit"] == "open"


async def test_only_requests_that_are_safe_to_send_again_are_retried(
    make_gateway: Callable[..., Any],
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    async with make_gateway(upstreams={"dead": dead}, circuit_failure_threshold=100) as gateway:
        before = metric(
            await metrics(gateway), "kota_gateway_upstream_retries_total", upstream="dead"
        )
        sent = {
            "GET": await gateway.get("/v1/dead/ok"),
            "DELETE": await gateway.delete("/v1/dead/ok"),
            "PUT small": await gateway.put("/v1/dead/ok", content=b"x" * 1000),
        }
        retried = metric(
            await metrics(gateway), "kota_gateway_upstream_retries_total", upstream="dead"
        )
        not_sent_again = {
            "POST": await gateway.post("/v1/dead/ok", content=b"{}"),
            "PATCH": await gateway.patch("/v1/dead/ok", content=b"{}"),
            "PUT large": await gateway.put("/v1/dead/ok", content=b"x" * (128 * 1024)),
            "PUT streamed": await gateway.put("/v1/dead/ok", content=_chunks(b"x", 3)),
        }
        after = metric(
            await metrics(gateway), "kota_gateway_upstream_retries_total", upstream="dead"
        )

    assert {r.status_code for r in (*sent.values(), *not_sent_again.values())} == {503}
    assert retried - before == 3  # one retry each (upstream_retries=1)
    assert after == retried


@asynccontextmanager
async def serving_on(app: FastAPI, listener: socket.socket) -> AsyncIterator[None]:
    """Serve ``app`` on a socket that already listens: connections the kernel has queued
    meanwhile are answered once the server runs."""
    config = uvicorn.Config(
        app, log_config=None, lifespan="on", proxy_headers=False, server_header=False
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        yield
    finally:
        server.should_exit = True
        await serving


async def test_a_retry_reaches_an_upstream_that_was_briefly_away(
    make_gateway: Callable[..., Any],
) -> None:
    # Bound but not listening, the port refuses connections, as a restarting service's does;
    # listen() brings it back at once, with no start-up between deciding and accepting.
    door = socket.socket()
    door.bind(("127.0.0.1", 0))
    upstream = upstream_app()
    try:
        async with make_gateway(
            upstreams={"restarting": f"http://127.0.0.1:{door.getsockname()[1]}"},
            upstream_retries=2,
            upstream_retry_backoff_seconds=0.5,
        ) as gateway:

            async def retries() -> float:
                text = await metrics(gateway)
                return metric(text, "kota_gateway_upstream_retries_total", upstream="restarting")

            before = await retries()
            sending = asyncio.create_task(
                gateway.put("/v1/restarting/ok", content=b"kept for a retry")
            )
            try:
                # Counted once the first attempt is refused, before the pause it retries after.
                await eventually(
                    retries, until=lambda n: n > before, what="the first attempt to be refused"
                )
                door.listen()
                async with serving_on(upstream, door):
                    response = await sending
            finally:
                sending.cancel()
                await asyncio.gather(sending, return_exceptions=True)
            retried = await retries() - before
    finally:
        door.close()

    assert response.status_code == 200
    assert response.json() == {"service": "restarting", "body_length": 16}
    assert upstream.state.received == [("PUT", 16)]  # the refused attempt never arrived
    assert retried in (1, 2)  # the first retry, or the second if the first came too early


async def test_post_bodies_and_large_uploads_still_stream(
    make_gateway: Callable[..., Any], steady: str
) -> None:
    body = bytes(range(256)) * 2_000  # 512 kB, 16 times chunked, once with a length
    async with make_gateway(upstreams={"steady": steady}) as gateway:
        posted = await gateway.post("/v1/steady/ok", content=_chunks(body, 16))
        put = await gateway.put("/v1/steady/ok", content=body)

    assert posted.json()["body_length"] == len(body) * 16
    assert put.json()["body_length"] == len(body)


async def _chunks(body: bytes, times: int) -> AsyncIterator[bytes]:
    for _ in range(times):
        yield body
