"""The simulator under uvicorn in the test's event loop, spoken to over real HTTP as the
gateway speaks to Dukcapil; the app object stays at hand, so a test can replace its sleep."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kota_regsim.audit import Clock, utc_now
from kota_regsim.config import DEV_INSTITUTION, DEV_PASSWORD, DEV_USER_ID, RegsimSettings
from kota_regsim.main import create_app
from kota_shared.testing.servers import serve_app

ACCOUNT = {"USER_ID": DEV_USER_ID, "PASSWORD": DEV_PASSWORD, "IP_USER": "127.0.0.1"}
"""The development account every simulator knows unless a test says otherwise."""
SMALL_POPULATION = 20
"""Generated families on top of the demo ones: enough to be a population, quick to build."""


@dataclass
class Simulator:
    app: FastAPI
    client: httpx.AsyncClient

    async def call(
        self,
        service: str,
        fields: dict[str, Any] | None = None,
        *,
        institution: str = DEV_INSTITUTION,
        account: dict[str, str] | None = None,
    ) -> httpx.Response:
        """A Dukcapil call with the development account (or ``account``) and ``fields``."""
        body = {**(ACCOUNT if account is None else account), **(fields or {})}
        return await self.client.post(f"/dukcapil/get_json/{institution}/{service}", json=body)

    async def calls(self, limit: int = 50) -> list[dict[str, Any]]:
        answer = await self.client.get("/simulator/calls", params={"limit": limit})
        assert answer.status_code == 200, answer.text
        received: list[dict[str, Any]] = answer.json()
        return received

    @staticmethod
    def records(answer: httpx.Response) -> list[dict[str, str]]:
        """The records of a Dukcapil page, after checking the answer is one."""
        assert answer.status_code == 200, answer.text
        page = answer.json()
        records: list[dict[str, str]] = page["content"]
        assert page["numberOfElements"] == page["totalElements"] == len(records)
        assert (page["firstPage"], page["lastPage"], page["number"]) == (True, True, 0)
        return records

    @classmethod
    def refusal(cls, answer: httpx.Response) -> str:
        """The text of a refusal: a page of one ``{"RESPON": ...}``."""
        (record,) = cls.records(answer)
        assert list(record) == ["RESPON"]
        return record["RESPON"]


StartSimulator = Callable[..., AbstractAsyncContextManager[Simulator]]


@pytest.fixture
def start_simulator() -> StartSimulator:
    """Serve a simulator with these settings (and ``clock``) for the ``async with`` block."""

    @asynccontextmanager
    async def start(*, clock: Clock = utc_now, **overrides: Any) -> AsyncIterator[Simulator]:
        settings = RegsimSettings(**({"families": SMALL_POPULATION} | overrides))
        app = create_app(settings, clock=clock)
        async with serve_app(app) as url, httpx.AsyncClient(base_url=url) as client:
            yield Simulator(app=app, client=client)

    return start


@pytest.fixture
async def simulator(start_simulator: StartSimulator) -> AsyncIterator[Simulator]:
    async with start_simulator() as running:
        yield running
