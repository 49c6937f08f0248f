"""The civil registry simulator's ASGI app: a stand-in Dukcapil for development and tests.

Never deployed. It answers the Dukcapil web service for agencies (verify a person by NIK,
name and date of birth; read a person; read a family card) for a synthetic population of
Kota Tangerang families, and gives tests a control API to add families, make the registry
slow or down, and read the calls it received. Run it with::

    uvicorn kota_regsim.main:create_app --factory --port 8091

Then, for example::

    curl -X POST localhost:8091/dukcapil/get_json/PEMKOT_TANGERANG/CALL_VERIFY_BY_ELEMEN \\
         -H 'content-type: application/json' \\
         -d '{"USER_ID": "kota-live-dev", "PASSWORD": "regsim-dev-password",
              "IP_USER": "127.0.0.1", "TRESHOLD": "90", "NIK": "3671014508900001",
              "NAMA_LGKP": "Siti Rahmawati", "TGL_LHR": "05-08-1990"}'
    curl localhost:8091/simulator/families/3671010403180002
    curl -X PUT localhost:8091/simulator/availability \\
         -H 'content-type: application/json' -d '{"mode": "down"}'

docs/registry-simulator.md describes every call and answer. State lives in memory and is
lost at restart; the same seed gives the same population.
"""

import asyncio
import logging
from datetime import date

from fastapi import FastAPI

from kota_regsim.audit import CallLog, Clock, Quota, utc_now
from kota_regsim.availability import Switch
from kota_regsim.config import RegsimSettings
from kota_regsim.demo import register_demo_families
from kota_regsim.dukcapil import Dukcapil
from kota_regsim.dukcapil_router import router as dukcapil_router
from kota_regsim.generator import populate
from kota_regsim.limits import BodyLimit
from kota_regsim.population import Registry
from kota_regsim.problems import install_problem_handlers
from kota_regsim.router import router as control_router


def create_app(settings: RegsimSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    """``clock`` decides the quota's day and the population's; tests move it."""
    settings = settings or RegsimSettings()
    _configure_logging(settings.log_level)
    today = settings.population_date or clock().astimezone(settings.timezone).date()
    registry = _populated(settings, today=today)
    quota = Quota()
    calls = CallLog(size=settings.call_log_size)

    app = FastAPI(
        title="Kota LIVE civil registry simulator",
        description="Answers as Dukcapil's web service for agencies does. Never deployed.",
        redirect_slashes=False,
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.registry = registry
    app.state.quota = quota
    app.state.calls = calls
    app.state.availability = Switch()
    app.state.sleep = asyncio.sleep
    app.state.dukcapil = Dukcapil(
        registry=registry,
        accounts=settings.accounts,
        quota=quota,
        calls=calls,
        clock=clock,
        timezone=settings.timezone,
    )
    install_problem_handlers(app)
    app.include_router(dukcapil_router)
    app.include_router(control_router)

    @app.get("/livez", include_in_schema=False)
    async def livez() -> dict[str, str]:
        return {"status": "alive"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> dict[str, str]:
        """What ``kota up`` polls; the population is built before the app exists."""
        return {"status": "ready"}

    app.add_middleware(
        BodyLimit,
        dukcapil_bytes=settings.max_body_bytes,
        other_bytes=settings.control_max_body_bytes,
    )
    return app


def _populated(settings: RegsimSettings, *, today: date) -> Registry:
    """The demo families first, so their numbers are never taken by generated ones."""
    registry = Registry()
    register_demo_families(registry, today=today)
    populate(registry, families=settings.families, seed=settings.seed, today=today)
    return registry


def _configure_logging(level: str) -> None:
    """uvicorn sets up only its own loggers; give ours a stderr handler at the chosen level."""
    logger = logging.getLogger("kota_regsim")
    logger.setLevel(level.upper())
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)
