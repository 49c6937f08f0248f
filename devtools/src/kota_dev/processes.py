"""Start the services as child processes, wait until they are ready, stop them cleanly."""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from kota_dev.suite import Service


@dataclass
class RunningService:
    service: Service
    process: subprocess.Popen[bytes]
    url: str
    log_path: Path


def start_service(
    service: Service, *, port: int, env: dict[str, str], log_dir: Path
) -> RunningService:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{service.name}.log"
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        service.app,
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",  # the service writes its own access log, with request ids
    ]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            env={**os.environ, **env},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches `kota`, which stops children in order
        )
    return RunningService(service, process, f"http://127.0.0.1:{port}", log_path)


def wait_until_ready(running: RunningService, *, timeout: float = 90) -> None:
    """Poll ``/readyz`` until 200; fail early, with the log's tail, if the process dies."""
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise RuntimeError(
                f"{running.service.name} exited with {running.process.returncode}:\n"
                + log_tail(running.log_path)
            )
        try:
            response = httpx.get(f"{running.url}/readyz", timeout=3)
            if response.status_code == 200:
                return
            last = response.text
        except httpx.HTTPError as exc:
            last = str(exc)
        time.sleep(0.2)
    raise TimeoutError(
        f"{running.service.name} was not ready within {timeout:g} s ({last}):\n"
        + log_tail(running.log_path)
    )


def stop_service(running: RunningService, *, timeout: float = 20) -> None:
    """SIGTERM (uvicorn drains and runs the shutdown), SIGKILL if it takes too long."""
    if running.process.poll() is not None:
        return
    running.process.send_signal(signal.SIGTERM)
    try:
        running.process.wait(timeout)
    except subprocess.TimeoutExpired:
        running.process.kill()
        running.process.wait()


def log_tail(path: Path, lines: int = 30) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
