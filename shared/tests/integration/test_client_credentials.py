"""Client credentials against a real token endpoint over HTTP: fetched once, kept until it is
due, renewed on a 401 once, one fetch at a time however many requests wait for it."""

import asyncio
import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote_plus

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from kota_shared.client_credentials import ClientCredentialsAuth, TokenRequestFailed
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.servers import serve_app
from kota_shared.testing.waiting import eventually

CLIENT_ID = "information"
SECRET = "a secret with spaces & symbols: +/="


@dataclass
class TokenServer:
    """An OAuth2 token endpoint and one protected resource, as the gateway and a service
    are to a client, with what a test needs to see: the token requests it got."""

    expires_in: int = 900
    token_requests: list[dict[str, list[str]]] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)
    accepted: set[str] = field(default_factory=set)
    gate: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.gate.set()

    def refuse_every_token(self) -> None:
        """As a signing key withdrawn: every token issued so far is refused from now on."""
        self.accepted.clear()

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/token")
        async def token(request: Request) -> JSONResponse:
            form = parse_qs((await request.body()).decode())
            self.token_requests.append(form)
            await self.gate.wait()
            scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
            client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
            credentials = (unquote_plus(client_id), unquote_plus(secret))
            if scheme != "Basic" or credentials != (CLIENT_ID, SECRET):
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            issued = f"token-{len(self.issued)}"
            self.issued.append(issued)
            self.accepted.add(issued)
            return JSONResponse(
                {"access_token": issued, "token_type": "Bearer", "expires_in": self.expires_in}
            )

        @app.post("/resource")
        async def resource(request: Request) -> JSONResponse:
            presented = request.headers.get("authorization", "").removeprefix("Bearer ")
            if presented not in self.accepted:
                return JSONResponse({"code": "unauthorized"}, status_code=401)
            return JSONResponse({"token": presented, "body": (await request.body()).decode()})

        @app.get("/refuses-everyone")
        async def refuses_everyone() -> JSONResponse:
            return JSONResponse({"code": "unauthorized"}, status_code=401)

        return app


@pytest.fixture
async def server() -> AsyncIterator[tuple[TokenServer, str]]:
    tokens = TokenServer()
    async with serve_app(tokens.app()) as url:
        yield tokens, url


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def clock() -> MovableClock:
    clock = MovableClock()
    clock.fixed = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    return clock


def auth_for(
    url: str, http: httpx.AsyncClient, clock: MovableClock, **overrides: object
) -> ClientCredentialsAuth:
    options: dict[str, object] = {
        "token_url": f"{url}/token",
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
        "http": http,
        "clock": clock,
        **overrides,
    }
    return ClientCredentialsAuth(**options)  # type: ignore[arg-type]


async def test_the_token_is_fetched_once_and_kept_until_it_is_due(
    server: tuple[TokenServer, str], http: httpx.AsyncClient, clock: MovableClock
) -> None:
    tokens, url = server
    auth = auth_for(url, http, clock, scopes=["identity:contacts:read", "permits:verify"])

    first = await http.post(f"{url}/resource", auth=auth)
    second = await http.post(f"{url}/resource", auth=auth)
    assert clock.fixed is not None
    clock.fixed += timedelta(seconds=900 - 61)  # still more than a minute left
    third = await http.post(f"{url}/resource", auth=auth)

    assert [r.status_code for r in (first, second, third)] == [200, 200, 200]
    assert {r.json()["token"] for r in (first, second, third)} == {"token-0"}
    assert tokens.token_requests == [
        {"grant_type": ["client_credentials"], "scope": ["identity:contacts:read permits:verify"]}
    ]


async def test_a_token_about_to_expire_is_renewed_before_it_is_sent(
    server: tuple[TokenServer, str], http: httpx.AsyncClient, clock: MovableClock
) -> None:
    tokens, url = server
    auth = auth_for(url, http, clock)
    await http.post(f"{url}/resource", auth=auth)
    assert clock.fixed is not None

    clock.fixed += timedelta(seconds=900 - 59)  # less than a minute left
    renewed = await http.post(f"{url}/resource", auth=auth)

    assert renewed.json()["token"] == "token-1"
    assert len(tokens.token_requests) == 2
    assert tokens.token_requests[0] == {"grant_type": ["client_credentials"]}  # no scope asked


async def test_a_short_lived_token_is_kept_for_half_its_life(
    server: tuple[TokenServer, str], http: httpx.AsyncClient, clock: MovableClock
) -> None:
    tokens, url = server
    tokens.expires_in = 60
    auth = auth_for(url, http, clock)
    assert await auth.access_token() == "token-0"
    assert clock.fixed is not None

    clock.fixed += timedelta(seconds=29)
    kept = await auth.access_token()
    clock.fixed += timedelta(seconds=1)
    renewed = await auth.access_token()

    assert (kept, renewed) == ("token-0", "token-1")


async def test_concurrent_requests_share_one_fetch(
    server: tuple[TokenServer, str], http: httpx.AsyncClient, clock: MovableClock
) -> None:
    tokens, url = server
    auth = auth_for(url, http, clock)
    tokens.gate.clear()  # the first fetch waits until every request has started

    requests = [
        asyncio.create_task(http.post(f"{url}/resource", auth=auth, content=f"request {n}"))
        for n in range(20)
    ]
    await eventually(lambda: asyncio.sleep(0, tokens.token_requests), what="the first fetch")
    tokens.gate.set()
    responses = await asyncio.gather(*requests)

    assert [r.status_code for r in responses] == [200] * 20
    assert {r.json()["token"] for r in responses} == {"token-0"}
    assert len(tokens.token_requests) == 1


async def test_a_refused_token_is_renewed_once_and_the_request_sent_again(
    server: tuple[TokenServer, str], http: httpx.AsyncClient, clock: MovableClock
) -> None:
    tokens, url = server
    auth = auth_for(url, http, clock)
    await http.post(f"{url}/resource", auth=auth)
    tokens.refuse_every_token()

    answers = await asyncio.gather(
        *(http.post(f"{url}/resource", auth=auth, content=f"body {n}") for n in range(10))
    )

    assert [a.status_code for a in answers] == [200] * 10
    assert {a.json()["token"] for a in answers} == {"token-1"}
    assert sorted(a.json()["body"] for a in answers) == sorted(f"body {n}" for n in range(10))
    assert len(tokens.token_requests) == 2  # one renewal for all ten refusals


async def test_a_second_401_is_the_callers_answer(
    server: tuple[TokenServer, str], http: httpx.AsyncClient, clock: MovableClock
) -> None:
    """A resource that refuses every token gets two tries, not a loop."""
    tokens, url = server
    auth = auth_for(url, http, clock)

    answer = await http.get(f"{url}/refuses-everyone", auth=auth)

    assert answer.status_code == 401
    assert len(answer.history) == 1  # the first try's 401
    assert len(tokens.token_requests) == 2


async def test_a_refused_client_is_an_http_error_with_oauths_code(
    server: tuple[TokenServer, str], http: httpx.AsyncClient, clock: MovableClock
) -> None:
    _tokens, url = server
    auth = auth_for(url, http, clock, client_secret="not the secret")

    with pytest.raises(TokenRequestFailed) as refused:
        await http.post(f"{url}/resource", auth=auth)

    assert isinstance(refused.value, httpx.HTTPError)
    assert (refused.value.status_code, refused.value.error) == (401, "invalid_client")


async def test_an_answer_without_a_token_is_refused(
    http: httpx.AsyncClient, clock: MovableClock
) -> None:
    app = FastAPI()

    @app.post("/token")
    async def token() -> JSONResponse:
        return JSONResponse({"token_type": "Bearer", "expires_in": 900})

    async with serve_app(app) as url:
        with pytest.raises(TokenRequestFailed, match="no usable token"):
            await auth_for(url, http, clock).access_token()


async def test_a_blocking_client_is_refused_rather_than_sent_without_a_token(
    http: httpx.AsyncClient, clock: MovableClock
) -> None:
    auth = auth_for("http://127.0.0.1:9", http, clock)

    with httpx.Client() as client, pytest.raises(RuntimeError, match="AsyncClient"):
        await asyncio.to_thread(client.get, "http://127.0.0.1:9/resource", auth=auth)
