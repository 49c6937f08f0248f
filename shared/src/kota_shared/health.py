"""``/livez`` (the process and its background tasks are sound) and ``/readyz`` (its
dependencies answer too, and how each background task is doing)."""

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kota_shared.supervision import Supervisor

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


def _supervisor(request: Request) -> Supervisor | None:
    supervisor = getattr(request.app.state, "supervisor", None)
    return supervisor if isinstance(supervisor, Supervisor) else None


def health_router() -> APIRouter:
    """Probes for orchestrators; public, cheap, and left out of the API docs."""
    router = APIRouter(include_in_schema=False)

    @router.get("/livez")
    async def livez(request: Request) -> JSONResponse:
        # Only a task that keeps failing makes the process unhealthy: a restart is what
        # helps then. A database or broker outage is waited out and never fails liveness.
        supervisor = _supervisor(request)
        failing = supervisor.unhealthy() if supervisor else []
        if failing:
            return JSONResponse({"status": "failing", "tasks": failing}, status_code=503)
        return JSONResponse({"status": "alive"})

    @router.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        ready, report = await readiness(request.app.state.readiness_checks)
        body: dict[str, Any] = {"status": "ready" if ready else "unavailable", "checks": report}
        supervisor = _supervisor(request)
        if supervisor is not None:
            body["tasks"] = supervisor.report()
        return JSONResponse(body, status_code=200 if ready else 503)

    return router
