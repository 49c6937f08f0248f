"""Start the services as child processes, wait until they are ready, stop them cleanly."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from kota_dev.suite import Service

GO = b"go\n"
_HELD_START = """\
import importlib, runpy, sys
preload, module, *arguments = sys.argv[1:]
importlib.import_module(preload)
if sys.stdin.readline() != "go\\n":
    sys.exit(0)  # `kota` went away before letting it go on
sys.argv = [module, *arguments]
sys.modules.pop(module, None)  # run as __main__ afresh (its imports stay loaded)
runpy.run_module(module, run_name="__main__", alter_sys=True)
"""
"""``python -m <module> <arguments>``, held after importing ``preload`` until ``go`` arrives
on stdin: importing (and, without a bytecode cache, compiling) the code is most of a start,
so a process that must wait for others to be ready does that part while they start."""


UVICORN_OPTIONS = (
    "--no-access-log",  # the service writes its own access log, with request ids
    # Only the gateway decides who the client is, from GATEWAY_TRUSTED_PROXIES: uvicorn's
    # default would take X-Forwarded-For from any loopback peer and rewrite the address first.
    "--no-proxy-headers",
    "--no-server-header",  # no "Server: uvicorn" on every answer
)
"""How every service's uvicorn is started here (``deploy/Dockerfile.service`` the same)."""


def _held(preload: str, module: str, *arguments: str) -> list[str]:
    return [sys.executable, "-c", _HELD_START, preload, module, *arguments]


@dataclass
class RunningService:
    service: Service
    process: subprocess.Popen[bytes]
    url: str
    log_path: Path
    log_offset: int = 0
    """Where this run's lines begin in the log, which earlier runs' lines precede."""

    def release(self) -> None:
        """Let a held start go on to serve (see ``start_service``)."""
        assert self.process.stdin is not None, "not a held start"
        try:
            self.process.stdin.write(GO)
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # it died while held: waiting for it to be ready says so, with its log


class ServiceNotReady(RuntimeError):
    """A service that died, or did not answer ``/readyz``, or whose seed failed: the message
    names it and ends with the tail of its log (or of the seed's output)."""

    def __init__(self, service: str, problem: str, *, tail: str) -> None:
        super().__init__(f"{service} {problem}:\n{tail}")
        self.service = service


@dataclass(frozen=True)
class Launch:
    """One service to start: where it listens and the environment it gets."""

    service: Service
    port: int
    env: dict[str, str]


def start_service(
    service: Service, *, port: int, env: dict[str, str], log_dir: Path, held: bool = False
) -> RunningService:
    """Start the service under uvicorn, logging to ``<log_dir>/<name>.log``. ``held``: it
    imports its code, then waits for ``release()`` before it starts (lifespan) and serves."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{service.name}.log"
    log_offset = log_path.stat().st_size if log_path.exists() else 0
    arguments = [
        service.app,
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *UVICORN_OPTIONS,
    ]
    if held:
        command = _held(service.app.partition(":")[0], "uvicorn", *arguments)
    else:
        command = [sys.executable, "-m", "uvicorn", *arguments]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            env={**os.environ, **env},
            stdin=subprocess.PIPE if held else subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches `kota`, which stops children in order
        )
    return RunningService(service, process, f"http://127.0.0.1:{port}", log_path, log_offset)


async def start_together(
    launches: Sequence[Launch],
    *,
    log_dir: Path,
    running: list[RunningService],
    ready_within: float,
    say: Callable[[str], None],
) -> None:
    """Start every service at once; one with ``starts_after`` is held once it has imported
    its code until those are ready. Wait for each one's ``/readyz`` concurrently, and seed
    each right after it is ready (the seed's process, too, imports while it waits). Every
    process is appended to ``running`` as it starts, so the caller stops them all whatever
    happens here.

    All must be ready (and seeded) within ``ready_within`` seconds of this call. The first
    that dies, is late or fails its seed cancels the rest and is raised as ``ServiceNotReady``.
    """
    began = time.monotonic()
    ready = {launch.service.name: asyncio.Event() for launch in launches}
    for launch in launches:
        if unknown := set(launch.service.starts_after) - set(ready):
            raise ValueError(f"{launch.service.name} starts after {unknown}, not started here")

    async def bring_up(launch: Launch, group: asyncio.TaskGroup) -> None:
        service, waits_for = launch.service, launch.service.starts_after
        after = f" (serving once {', '.join(waits_for)} are ready)" if waits_for else ""
        say(f"starting {service.name} on http://127.0.0.1:{launch.port}…{after}")
        started = start_service(
            service, port=launch.port, env=launch.env, log_dir=log_dir, held=bool(waits_for)
        )
        running.append(started)
        if service.seeds_demo_data:
            group.create_task(seeded(launch))
        for name in waits_for:
            await ready[name].wait()
        if waits_for:
            started.release()
        await until_ready(started, within=ready_within, since=began)
        ready[service.name].set()
        say(f"{service.name} is ready ({time.monotonic() - began:.1f} s)")

    async def seeded(launch: Launch) -> None:
        name = launch.service.name
        say(await seed(launch.service, env=launch.env, once=ready[name], by=began + ready_within))

    try:
        async with asyncio.TaskGroup() as group:
            for launch in launches:
                group.create_task(bring_up(launch, group))
    except ExceptionGroup as failed:
        # The first failure cancels the others, so there is one unless two failed at once.
        raise failed.exceptions[0] from None


async def until_ready(
    running: RunningService, *, within: float, since: float | None = None
) -> None:
    """Poll ``/readyz`` until 200, for ``within`` seconds from ``since`` (``time.monotonic()``,
    default now); fail early if the process dies. Either failure is a ``ServiceNotReady`` with
    the tail of the service's log."""
    deadline = (time.monotonic() if since is None else since) + within
    name = running.service.name
    last = "no answer yet"
    async with httpx.AsyncClient(timeout=3) as client:
        while time.monotonic() < deadline:
            if running.process.poll() is not None:
                raise ServiceNotReady(
                    name,
                    f"exited with {running.process.returncode} before it was ready; "
                    f"the end of {running.log_path}",
                    tail=log_tail(running.log_path, since=running.log_offset),
                )
            try:
                response = await client.get(f"{running.url}/readyz")
                if response.status_code == 200:
                    return
                last = f"/readyz answered {response.status_code}: {response.text[:500]}"
            except httpx.HTTPError as exc:
                last = str(exc) or type(exc).__name__
            await asyncio.sleep(0.2)
    raise ServiceNotReady(
        name,
        f"was not ready within {within:g} s ({last}); the end of {running.log_path}",
        tail=log_tail(running.log_path, since=running.log_offset),
    )


def wait_until_ready(running: RunningService, *, timeout: float = 90) -> None:
    """``until_ready`` for callers without an event loop (or in a thread of their own)."""
    asyncio.run(until_ready(running, within=timeout))


async def seed(service: Service, *, env: dict[str, str], once: asyncio.Event, by: float) -> str:
    """Run ``python -m <package>.seed`` once ``once`` is set: when the service is ready, so
    its database is migrated. Started (held) at once, so that its imports overlap the
    service's start. Returns its output, kept whole so that seeds run at once do not
    interleave. Cancelled, or still running at ``by`` (``time.monotonic()``), it is killed."""
    module = f"{service.package}.seed"
    process = await asyncio.create_subprocess_exec(
        *_held(module, module),
        env={**os.environ, **env},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches `kota`, which cancels the seed itself
    )
    try:
        await once.wait()
        async with asyncio.timeout(max(by - time.monotonic(), 0)):
            output, _ = await process.communicate(GO)
    except TimeoutError:
        raise ServiceNotReady(
            service.name,
            f"was ready, but `python -m {module}` did not finish in time",
            tail="(killed; what it wrote is lost)",
        ) from None
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    text = output.decode(errors="replace").rstrip()
    if process.returncode != 0:
        raise ServiceNotReady(
            service.name,
            f"was ready, but `python -m {module}` exited with {process.returncode}",
            tail=_tail(text),
        )
    return text


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


def log_tail(path: Path, lines: int = 30, *, since: int = 0) -> str:
    """The last ``lines`` of the log, of what was written from byte ``since`` on."""
    if not path.exists():
        return "(no log)"
    with path.open("rb") as log:
        log.seek(since)
        return _tail(log.read().decode(errors="replace"), lines)


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.splitlines()[-lines:]) or "(nothing written)"
