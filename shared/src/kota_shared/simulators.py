"""What every simulator of an outside party has (a development and test tool, never
deployed): the probes ``kota up`` polls, and its own logger on stderr."""

import logging

from fastapi import FastAPI


def add_probes(app: FastAPI) -> None:
    """``/livez`` and ``/readyz``; a simulator has nothing to wait for before it serves."""

    @app.get("/livez", include_in_schema=False)
    async def livez() -> dict[str, str]:
        return {"status": "alive"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> dict[str, str]:
        """What ``kota up`` polls before it starts the next process."""
        return {"status": "ready"}


def configure_logging(package: str, level: str) -> None:
    """uvicorn sets up only its own loggers; give ``package``'s a stderr handler at ``level``."""
    logger = logging.getLogger(package)
    logger.setLevel(level.upper())
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)
