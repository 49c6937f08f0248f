"""`all_of`: a service's several extensions set up in order and torn down in reverse."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from fastapi import FastAPI

from kota_shared.app import Extension, ServiceRuntime, all_of


def _recording(name: str, log: list[str]) -> Extension:
    @asynccontextmanager
    async def extension(app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        log.append(f"start {name}")
        try:
            yield
        finally:
            log.append(f"stop {name}")

    return extension


async def test_they_start_in_order_and_stop_in_reverse() -> None:
    log: list[str] = []
    runtime: Any = object()

    async with all_of(_recording("fan-out", log), _recording("reminders", log))(FastAPI(), runtime):
        log.append("serving")

    assert log == ["start fan-out", "start reminders", "serving", "stop reminders", "stop fan-out"]


async def test_one_failing_to_start_stops_those_already_started() -> None:
    log: list[str] = []

    @asynccontextmanager
    async def broken(app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        raise RuntimeError("no provider")
        yield

    runtime: Any = object()
    with pytest.raises(RuntimeError, match="no provider"):
        async with all_of(_recording("fan-out", log), broken)(FastAPI(), runtime):
            log.append("serving")

    assert log == ["start fan-out", "stop fan-out"]
