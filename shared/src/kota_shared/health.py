"""``/livez`` (the process answers) and ``/readyz`` (its dependencies answer too)."""

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

ReadinessCheck = Callable[[], Awaitable[Any]]
"""Raises when its dependency is not usable; may return details to show."""

CHECK_TIMEOUT_SECONDS = 2.0


async def _run_check(check: ReadinessCheck) -> dict[str, Any]:
    try:
        details = await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
    except Exception as exc:  # a readiness probe reports failures, it never raises them
        return {"status": "unavailable", "error": f"{type(exc).__name__}: {exc}"}
    result: dict[str, Any] = {"status": "ready"}
    if isinstance(details, Mapping):
        result.update(details)
    return result


async def readiness(checks: Mapping[str, ReadinessCheck]) -> tuple[bool, dict[str, Any]]:
    names = list(checks)
    results = await asyncio.gather(*(_run_check(checks[n]) for n in names))
    report = dict(zip(names, results, strict=True))
    ready = all(r["status"] == "ready" for r in results)
    return ready, report


def health_router() -> APIRouter:
    """Probes for orchestrators; public, cheap, and left out of the API docs."""
    router = APIRouter(include_in_schema=False)

    @router.get("/livez")
    async def livez() -> dict[str, str]:
        return {"status": "alive"}

    @router.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        ready, report = await readiness(request.app.state.readiness_checks)
        return JSONResponse(
            {"status": "ready" if ready else "unavailable", "checks": report},
            status_code=200 if ready else 503,
        )

    return router
