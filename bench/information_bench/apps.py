"""The benchmark's HTTP processes (the information service, the gateway, the provider
simulator): each as deployed (uvicorn, one process) in a session of its own, with a clean
environment and the settings given, ready once its ``/livez`` answers, its log kept after it
stops (``LOGS_KEPT``)."""

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gateway_bench.processes import Children
from gateway_bench.servers import uvicorn_command, wait_ready

from .config import LOGS_KEPT, STATE_DIR, log

_PREFIXES = ("INFORMATION_", "GATEWAY_", "NOTIFYSIM_", "OTEL_")
"""Settings a developer may have exported for the suite: never passed on."""


@dataclass(frozen=True)
class App:
    name: str
    url: str
    pid: int
    log_path: Path
    """Its log, kept after the run."""


def environment(prefix: str, settings: dict[str, str]) -> dict[str, str]:
    """Ours, without the suite's settings, and ``settings`` under ``prefix``."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(_PREFIXES)}
    return {
        **kept,
        **{f"{prefix}{name.upper()}": value for name, value in settings.items()},
        # Neither the working directory nor a script's folder on its sys.path: from bench/,
        # ``import information`` would find the benchmark's entry script.
        "PYTHONSAFEPATH": "1",
    }


@contextlib.contextmanager
def running(
    children: Children,
    name: str,
    factory: str,
    *,
    port: int,
    prefix: str,
    settings: dict[str, str],
) -> Iterator[App]:
    """``factory`` (``package.main:create_app``) on ``port`` until the block ends."""
    log_path = STATE_DIR / "logs" / f"{name}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log("starting %s on port %d", name, port)
    child = children.spawn(
        name,
        uvicorn_command(factory, port, 1),
        env=environment(prefix, settings),
        log_path=log_path,
    )
    kept = LOGS_KEPT / f"{name}.log"
    try:
        wait_ready(child, f"http://127.0.0.1:{port}/livez")
        yield App(name, f"http://127.0.0.1:{port}", child.process.pid, kept)
    finally:
        children.stop(child)
        LOGS_KEPT.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(log_path, kept)
