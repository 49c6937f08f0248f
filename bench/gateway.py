"""Gateway benchmark: one real service endpoint direct, through nginx, and through the gateway.

Run it from the repository root (``make bench`` runs it after the event benchmark):

    uv run python bench/gateway.py                     # the full run, about 4 minutes
    uv run python bench/gateway.py --duration 3 --warmup 1 --profile-duration 3   # a quick run
    uv run python bench/gateway.py --scenarios nginx,gateway --skip-half-rate --profile-duration 0
    uv run python bench/gateway.py --help              # every knob

It starts, under ``.kota/bench-gateway`` (stopped at the end, even on Ctrl-C or an error, and
removed unless the run failed, had failed requests, or ``--keep-state`` was given, so that the
servers' logs, the generated nginx.conf and the raw profiles can be read):

- a PostgreSQL cluster (``kota_dev.postgres``), with databases for the services below;
- the health service (``uvicorn health.main:create_app``, ``--service-workers`` processes),
  with its demo facilities seeded. The endpoint measured is its public directory read
  ``GET /v1/health/facilities?district_code=367105``: one transaction reading the one
  facility of that district (one row, ~270 bytes of JSON). It needs no token, so the service
  never verifies one: any token verification is the gateway's own;
- nginx (Debian's ``/usr/sbin/nginx``, installed with apt-get when missing and run as root),
  from ``bench/nginx.conf.template``: ``proxy_pass`` to an ``upstream`` with ``keepalive``,
  ``proxy_http_version 1.1``, ``Connection ""``; ``worker_processes`` = ``--workers``;
- two gateways (``uvicorn kota_gateway.main:create_app``, ``--workers`` processes each,
  ``GATEWAY_UPSTREAMS`` = that one health service):

  * ``gateway``: ``GATEWAY_RATE_LIMITS_ENABLED=true`` with a read limit too high to refuse
    anything (so every request is counted, none is turned away), which is also what makes the
    gateway verify tokens: the rate limiter counts a request against the ``sub`` of a valid
    bearer token, verified (EdDSA signature, iss, aud, exp, typ) the first time a token is
    seen and then cached until it expires;
  * ``gateway_auth_limits_off``: ``GATEWAY_RATE_LIMITS_ENABLED=false``: no rate-limit
    middleware, and so no token verification at the gateway at all (the proxy route itself
    never verifies tokens: each service does, for the endpoints that need one).

  Request ids, the trace span, Prometheus metrics and the JSON access log (the shared
  ``ObservabilityMiddleware``) and the body-size limit cannot be turned off: both gateways
  have them, as does the service. ``checks`` in the output shows, per scenario, what the
  answers prove (request id and RateLimit headers, metrics, counting per verified subject).

Kafka is not needed for any of this (the services' outbox relays retry in the background,
off the request path, and ``/readyz`` is not used); ``--kafka`` starts a broker anyway.

Every scenario sends the same request bytes, ``Authorization: Bearer <token>`` included (one of
``--tokens`` citizen tokens signed with the gateway's key, taken in turn, each sent once before
every warm-up so the gateway has verified and cached them all): the service ignores the header,
nginx passes it on, the gateways pass it on (and ``gateway`` verifies it).

What it measures, each scenario in turn (direct first, then ``--scenarios``' order):

1. Maximum throughput, closed loop: ``--concurrency`` keep-alive connections, each sending its
   next request as soon as the previous answer is complete, for ``--warmup`` + ``--duration``
   seconds; requests/s and latency percentiles over the measured part.
2. Latency at half the maximum rate, open loop: requests due at a fixed rate (half the direct
   scenario's maximum, or ``--rate``) whatever earlier ones took, over a pool of
   ``--concurrency`` keep-alive connections; latency from sending (waiting for a free
   connection included) to the complete answer. "added p50" = a scenario's p50 minus direct's.
3. CPU per request of each process (service, PostgreSQL, proxy, load generator, everything
   else on the machine) from /proc, for every run of 1. and 2.; for the gateways, their own
   upstream failure and retry counters (from /metrics) over each run.
4. Where the gateway's time goes: one gateway process (``gateway``'s settings) started
   in-process and profiled under the same closed-loop load, first with cProfile (call counts,
   top functions by cumulative and own time), then with a stdlib CPU-time sampler (SIGPROF),
   which preemption on a busy machine cannot skew; both summed per module and per layer
   (each middleware, the proxying, the response streaming, the HTTP client's pool, logging).
5. Micro-benchmarks of the gateway's per-request auth and limiting pieces, in this process.

The load generator is this script in a process of its own (a raw asyncio HTTP/1.1 keep-alive
client on uvloop with httptools' parser), so it never shares an event loop with a server; it
does share the machine's CPUs with them (its CPU per request is reported).

Goals (from the issue): gateway throughput >= 0.8 x nginx's; auth + limiting cost <= 10% of
throughput; added p50 <= 1 ms at half the maximum rate. One JSON object goes to stdout,
progress to stderr.
"""

import argparse
import asyncio
import collections
import contextlib
import functools
import importlib.metadata
import json
import logging
import os
import platform
import pstats
import queue
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

SCRIPT = Path(__file__).resolve()
REPO = SCRIPT.parents[1]
STATE_DIR = REPO / ".kota" / "bench-gateway"
NGINX_TEMPLATE = SCRIPT.parent / "nginx.conf.template"
REGISTRY = "children.jsonl"  # pid and command line of every process started, for leftovers

DISTRICT = "367105"  # exactly one of health's demo facilities is there (Puskesmas Cipondoh)
PATH = f"/v1/health/facilities?district_code={DISTRICT}"
ISSUER = "http://kota-bench-gateway"
AUDIENCE = "kota-live"
# High enough that no request is ever refused; every request is still counted.
UNREFUSED_READ_LIMIT = "100000000/minute"
READY_TIMEOUT = 120.0

SCENARIOS = ("direct", "nginx", "gateway", "gateway_auth_limits_off")
SCENARIO_MEANING = {
    "direct": "load generator -> health service (uvicorn) -> PostgreSQL",
    "nginx": "load generator -> nginx (proxy_pass, upstream keepalive) -> health service",
    "gateway": "load generator -> gateway (uvicorn) -> health service; rate limits ON, so the "
    "bearer token is verified at the gateway (first sight of a token, then cached until exp) "
    "and counted per subject in the in-memory sliding-window counter; request id, trace "
    "span, metrics, JSON access log and body limit on",
    "gateway_auth_limits_off": "as gateway, with GATEWAY_RATE_LIMITS_ENABLED=false: no "
    "rate-limit middleware and no token verification at the gateway; request id, trace "
    "span, metrics, JSON access log and body limit still on",
}

_log = logging.getLogger("bench.gateway")


def log(message: str, *args: object) -> None:
    _log.info(message, *args)


def _say(stream: IO[str], message: dict[str, Any]) -> None:
    stream.write(json.dumps(message) + "\n")
    stream.flush()


# ---------------------------------------------------------------------------------------------
# Statistics


def latency_summary(seconds: list[float]) -> dict[str, Any]:
    """Percentiles in ms (statistics.quantiles, 1,000 cut points)."""
    if len(seconds) < 2:
        return {"p50_ms": None, "p90_ms": None, "p99_ms": None, "p999_ms": None, "max_ms": None}
    cuts = statistics.quantiles(seconds, n=1000)
    return {
        "p50_ms": round(1000 * cuts[499], 3),
        "p90_ms": round(1000 * cuts[899], 3),
        "p99_ms": round(1000 * cuts[989], 3),
        "p999_ms": round(1000 * cuts[998], 3),
        "max_ms": round(1000 * max(seconds), 3),
        "mean_ms": round(1000 * statistics.fmean(seconds), 3),
    }


# ---------------------------------------------------------------------------------------------
# The load generator (a child process: ``gateway.py _load CONFIG``)


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 keep-alive connection; httptools frames the answers (length or chunked)."""

    def __init__(self) -> None:
        import httptools

        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[int] | None = None
        self.closed = False
        self.keep_alive = True

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except Exception as exc:  # a framing error: this connection is done
            self._fail(exc)
            if self.transport is not None:
                self.transport.close()

    def on_message_complete(self) -> None:  # httptools callback
        if not self.parser.should_keep_alive():
            self.keep_alive = False
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(self.parser.get_status_code())

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(exc or ConnectionResetError("the server closed the connection"))

    def _fail(self, exc: BaseException) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)


class _Client:
    """A connection that reconnects when the server closed it (counted in ``connects``)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, host: str, port: int) -> None:
        self.loop = loop
        self.host = host
        self.port = port
        self.conn: _Connection | None = None
        self.connects = 0

    async def connect(self) -> _Connection:
        _, conn = await self.loop.create_connection(_Connection, self.host, self.port)
        self.conn = conn
        self.connects += 1
        return conn

    async def request(self, payload: bytes) -> int:
        conn = self.conn
        if conn is None or conn.closed or not conn.keep_alive:
            if conn is not None and conn.transport is not None:
                conn.transport.close()
            conn = await self.connect()
        assert conn.transport is not None
        waiter: asyncio.Future[int] = self.loop.create_future()
        conn.waiter = waiter
        conn.transport.write(payload)
        try:
            return await waiter
        except BaseException:
            self.conn = None
            conn.transport.close()
            raise


@dataclass
class _Tally:
    latencies: list[float] = field(default_factory=list)  # 2xx answers, seconds
    statuses: collections.Counter[str] = field(default_factory=collections.Counter)
    exceptions: collections.Counter[str] = field(default_factory=collections.Counter)

    def answer(self, status: int, seconds: float) -> None:
        self.statuses[str(status)] += 1
        if 200 <= status < 300:
            self.latencies.append(seconds)

    def report(self, duration: float) -> dict[str, Any]:
        ok = len(self.latencies)
        errors = sum(self.exceptions.values()) + sum(
            n for status, n in self.statuses.items() if not status.startswith("2")
        )
        return {
            "requests_per_second": round(ok / duration, 1),
            "ok": ok,
            "errors": errors,
            **latency_summary(self.latencies),
            "statuses": dict(self.statuses),
            "exceptions": dict(self.exceptions),
        }


async def _emit_markers(out: IO[str], measure_from: float, measure_until: float) -> None:
    await asyncio.sleep(max(0.0, measure_from - time.perf_counter()))
    _say(out, {"event": "measuring"})
    await asyncio.sleep(max(0.0, measure_until - time.perf_counter()))
    _say(out, {"event": "measured"})


async def _closed_loop(
    clients: list[_Client],
    payloads: list[bytes],
    measure_from: float,
    measure_until: float,
    tally: _Tally,
) -> None:
    step = len(clients)

    async def worker(index: int, client: _Client) -> None:
        n = index
        while True:
            started = time.perf_counter()
            if started >= measure_until:
                return
            payload = payloads[n % len(payloads)]
            n += step
            try:
                status = await client.request(payload)
            except Exception as exc:
                if started >= measure_from:
                    tally.exceptions[type(exc).__name__] += 1
                await asyncio.sleep(0.01)  # a refusing server must not be spun against
                continue
            if started >= measure_from:
                tally.answer(status, time.perf_counter() - started)

    await asyncio.gather(*(worker(i, c) for i, c in enumerate(clients)))


async def _open_loop(
    clients: list[_Client],
    payloads: list[bytes],
    *,
    rate: float,
    start: float,
    measure_from: float,
    measure_until: float,
    tally: _Tally,
) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    idle = list(clients)  # a stack: the most recently used connection is reused first
    queue: collections.deque[asyncio.Future[_Client]] = collections.deque()
    lateness: list[float] = []
    in_flight = 0
    skipped = 0
    sent = 0
    max_in_flight = max(len(clients), int(rate))  # one second of requests

    async def acquire() -> _Client:
        if idle:
            return idle.pop()
        waiter: asyncio.Future[_Client] = loop.create_future()
        queue.append(waiter)
        return await waiter

    def release(client: _Client) -> None:
        while queue:
            waiter = queue.popleft()
            if not waiter.done():
                waiter.set_result(client)
                return
        idle.append(client)

    async def one(n: int, due: float, dispatched: float) -> None:
        nonlocal in_flight
        measured = due >= measure_from
        try:
            client = await acquire()
            try:
                status = await client.request(payloads[n % len(payloads)])
            finally:
                release(client)
        except Exception as exc:
            if measured:
                tally.exceptions[type(exc).__name__] += 1
            return
        finally:
            in_flight -= 1
        if measured:
            tally.answer(status, time.perf_counter() - dispatched)
            lateness.append(dispatched - due)

    tasks: set[asyncio.Task[None]] = set()
    n = 0
    while True:
        due = start + n / rate
        if due >= measure_until:
            break
        now = time.perf_counter()
        if due > now:
            await asyncio.sleep(due - now)
            now = time.perf_counter()
        if in_flight >= max_in_flight:
            # The target cannot keep up: shed load rather than queue without end.
            skipped += due >= measure_from
        else:
            in_flight += 1
            sent += due >= measure_from
            task = asyncio.create_task(one(n, due, now))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        n += 1
    if tasks:
        _, pending = await asyncio.wait(set(tasks), timeout=30)
        for task in pending:
            task.cancel()
            tally.exceptions["TimedOut"] += 1
    return {
        "target_rate_per_s": rate,
        "sent": sent,
        "skipped_as_unsustainable": skipped,
        "rate_sustained": skipped == 0,
        "send_lateness_p50_ms": latency_summary(lateness)["p50_ms"],
        "send_lateness_p99_ms": latency_summary(lateness)["p99_ms"],
    }


async def _prime(clients: list[_Client], payloads: list[bytes]) -> dict[str, int]:
    """Send every distinct request (token) once before the warm-up, so that the gateway has
    verified and cached every token before anything is measured, however short the warm-up."""
    todo = iter(payloads)
    statuses: collections.Counter[str] = collections.Counter()

    async def worker(client: _Client) -> None:
        for payload in todo:  # shared: each payload goes once, over whichever client is free
            try:
                statuses[str(await client.request(payload))] += 1
            except Exception as exc:
                statuses[type(exc).__name__] += 1

    await asyncio.gather(*(worker(client) for client in clients))
    return dict(statuses)


async def _load(config: dict[str, Any], out: IO[str]) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    host, port = "127.0.0.1", int(config["port"])
    payloads = [
        (
            f"GET {config['path']} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: kota-bench\r\n"
            f"Accept: application/json\r\nAuthorization: Bearer {token}\r\n\r\n"
        ).encode("latin-1")
        for token in config["tokens"]
    ]
    clients = [_Client(loop, host, port) for _ in range(int(config["connections"]))]
    await asyncio.gather(*(client.connect() for client in clients))
    primed = await _prime(clients, payloads)
    _say(out, {"event": "ready"})
    start = time.perf_counter() + 0.05
    measure_from = start + float(config["warmup"])
    measure_until = measure_from + float(config["duration"])
    tally = _Tally()
    markers = asyncio.create_task(_emit_markers(out, measure_from, measure_until))
    cpu_before = time.process_time()
    extra: dict[str, Any] = {}
    if config["mode"] == "closed":
        await _closed_loop(clients, payloads, measure_from, measure_until, tally)
    else:
        extra = await _open_loop(
            clients,
            payloads,
            rate=float(config["rate"]),
            start=start,
            measure_from=measure_from,
            measure_until=measure_until,
            tally=tally,
        )
    await markers
    for client in clients:
        if client.conn is not None and client.conn.transport is not None:
            client.conn.transport.close()
    return {
        **tally.report(float(config["duration"])),
        **extra,
        "connections": len(clients),
        "primed": primed,
        "reconnects": sum(c.connects for c in clients) - len(clients),
        "load_generator_cpu_s": round(time.process_time() - cpu_before, 3),
    }


def load_main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    out = sys.stdout
    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:
        runner = asyncio.Runner()
    with runner:
        result = runner.run(_load(config, out))
    _say(out, {"event": "result", **result})


# ---------------------------------------------------------------------------------------------
# The profiled gateway (a child process: ``gateway.py _profile CONFIG``)
#
# One gateway process, as ``uvicorn --factory`` runs it, profiled twice in turn on its event
# loop's thread, each time between commands on stdin, while the parent drives load at it:
#
# - cProfile (deterministic: every call, with call counts). Its timer is the wall clock: a
#   process preempted for another on 2 busy cores charges the gap to whatever function was
#   running, which is unbiased on average but noisy; a CPU-time timer would be a syscall per
#   event here (~1 us), inflating tiny, frequent functions tenfold.
# - A CPU-time sampler (statistical, stdlib only): SIGPROF every --sample-interval of the
#   process's CPU time records the Python stack being run. Preemption cannot skew it and its
#   cost does not depend on how many calls a function makes (py-spy's model). Time in C code
#   counts to the Python function that called it; uvloop's own C work to the next Python frame.


class CpuSampler:
    """Own (leaf) and inclusive sample counts per function, from SIGPROF on CPU time."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.samples = 0
        self.cpu_seconds = 0.0  # the process's CPU time while sampling: what samples share
        self.own: collections.Counter[tuple[str, int, str]] = collections.Counter()
        self.inclusive: collections.Counter[tuple[str, int, str]] = collections.Counter()

    def _sample(self, _signum: int, frame: Any) -> None:
        self.samples += 1
        seen = set()
        leaf = True
        while frame is not None:
            code = frame.f_code
            key = (code.co_filename, code.co_firstlineno, code.co_name)
            if leaf:
                self.own[key] += 1
                leaf = False
            seen.add(key)
            frame = frame.f_back
        self.inclusive.update(seen)

    def start(self) -> None:  # in the main thread: signal handlers run there
        signal.signal(signal.SIGPROF, self._sample)
        self.cpu_seconds -= time.process_time()
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)

    def stop(self) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        self.cpu_seconds += time.process_time()
        signal.signal(signal.SIGPROF, signal.SIG_DFL)

    def dump(self, path: str) -> None:
        Path(path).write_text(
            json.dumps(
                {
                    "interval": self.interval,
                    "samples": self.samples,
                    "cpu_seconds": self.cpu_seconds,
                    "own": [[*key, n] for key, n in self.own.items()],
                    "inclusive": [[*key, n] for key, n in self.inclusive.items()],
                }
            )
        )


def profile_main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # anything else printed goes to the log, not into the protocol
    os.environ.update(config["env"])

    import cProfile

    import uvicorn

    profiler = cProfile.Profile()
    sampler = CpuSampler(float(config["sample_interval"]))
    server = uvicorn.Server(
        uvicorn.Config(
            "kota_gateway.main:create_app",
            factory=True,
            host="127.0.0.1",
            port=int(config["port"]),
            access_log=False,
        )
    )

    def on_command(word: str) -> None:  # in the event loop's thread
        if word == "profile-start":
            profiler.enable()
        elif word == "profile-stop":
            profiler.disable()
            profiler.dump_stats(config["stats_path"])
            _say(protocol, {"event": "profiled"})
        elif word == "sample-start":
            sampler.start()
        elif word == "sample-stop":
            sampler.stop()
            sampler.dump(config["samples_path"])
            _say(protocol, {"event": "sampled"})
        else:  # "exit", or the parent went away
            server.should_exit = True

    async def serve() -> None:
        loop = asyncio.get_running_loop()

        def commands() -> None:
            for line in sys.stdin:
                loop.call_soon_threadsafe(on_command, line.strip())
            loop.call_soon_threadsafe(on_command, "exit")

        serving = asyncio.create_task(server.serve())
        while not server.started:
            if serving.done():
                await serving
                raise RuntimeError("the gateway stopped before it started")
            await asyncio.sleep(0.05)
        threading.Thread(target=commands, daemon=True).start()
        _say(protocol, {"event": "ready"})
        await serving

    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:
        runner = asyncio.Runner()
    with runner:
        runner.run(serve())


def _where(filename: str) -> str:
    """A short name for a profiled function's file."""
    if filename == "~":
        return ""
    for marker in ("/site-packages/", "/src/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    found = re.search(r"/lib/python3\.\d+/(.*)$", filename)
    return found.group(1) if found else filename


def _module_of(filename: str) -> str:
    """What own time is summed under: a module of ours, or a library / stdlib package."""
    if filename == "~":
        return "(C functions: sockets, builtins, C extensions)"
    short = _where(filename)
    parts = short.removesuffix(".py").split("/")
    if parts[0].startswith("kota_") or parts[0] in ("health",):
        return ".".join(p for p in parts if p != "__init__")
    return parts[0]


# Where a request's CPU goes in the gateway, from the cumulative times of nested functions
# (file suffix, function): a middleware's cumulative time covers everything inside it, so a
# layer's own cost is its cumulative time minus that of the next layer in.
_LAYERS = {
    "asgi_app": ("uvicorn/protocols/http/httptools_impl.py", "run_asgi"),
    "fastapi": ("fastapi/applications.py", "__call__"),
    "starlette": ("starlette/applications.py", "__call__"),
    "observability": ("kota_shared/observability.py", "__call__"),
    "rate_limit": ("kota_gateway/ratelimit.py", "__call__"),
    "body_limit": ("kota_gateway/body_limit.py", "__call__"),
    "forward": ("kota_gateway/proxy.py", "forward"),
    "response": ("starlette/responses.py", "__call__"),
    # StreamingResponse streams the body in a task of an anyio task group (ASGI spec < 2.4, as
    # uvicorn's httptools protocol declares): that work runs outside run_asgi.
    "task_group_tasks": ("anyio/_core/_tasks.py", "_run_coro"),
    "logging": ("logging/__init__.py", "callHandlers"),
    "pool": ("httpcore/_async/connection_pool.py", "_assign_requests_to_connections"),
    "subject": ("kota_gateway/ratelimit.py", "of"),
    "limit_hit": ("kota_gateway/ratelimit.py", "hit"),
}


def _layers(cumulative_of: dict[tuple[str, int, str], float], total: float) -> dict[str, float]:
    c = dict.fromkeys(_LAYERS, 0.0)
    for (filename, _, function), cumulative in cumulative_of.items():
        for layer, (suffix, name) in _LAYERS.items():
            if function == name and filename.endswith(suffix):
                c[layer] += cumulative
    inner = c["rate_limit"] or c["body_limit"]  # the layer inside observability
    return {
        "outside_the_asgi_app (uvicorn protocol, event loop, background tasks)": total
        - c["asgi_app"]
        - c["task_group_tasks"],
        "fastapi_native_telemetry (FastAPI's own OpenTelemetry span + metrics)": c["fastapi"]
        - c["starlette"],
        "observability_middleware (request id, span, metrics, access log)": c["observability"]
        - inner,
        "rate_limit_middleware (token subject + limits hit + headers)": c["rate_limit"]
        - c["body_limit"]
        if c["rate_limit"]
        else 0.0,
        "  of which token subject (verify or cache)": c["subject"],
        "  of which limits hit": c["limit_hit"],
        "proxy.forward (build, send upstream, wait for its headers)": c["forward"],
        "streaming the response back (StreamingResponse, its task group and body task)": c[
            "response"
        ]
        + c["task_group_tasks"],
        "  httpcore pool bookkeeping, anywhere (_assign_requests_to_connections)": c["pool"],
        "  logging, anywhere (access log + httpx's own INFO line per request)": c["logging"],
    }


def _everything(filename: str) -> bool:
    """Frames under every sample (this script's, asyncio's runner): no information."""
    return filename == str(SCRIPT) or filename.endswith("asyncio/runners.py")


def _summarize(
    records: Sequence[tuple[tuple[str, int, str], int | None, float, float]],
    *,
    requests: int,
    top: int,
) -> dict[str, Any]:
    """records: (file, line, function), calls (None if unknown), own and cumulative seconds."""
    per_request = 1e6 / max(requests, 1)
    total = sum(own for _, _, own, _ in records)
    by_module: dict[str, float] = collections.defaultdict(float)
    rows: list[dict[str, Any]] = []
    for (filename, line, function), calls, own, cumulative in records:
        by_module[_module_of(filename)] += own
        if _everything(filename):
            continue
        where = _where(filename)
        row: dict[str, Any] = {"function": f"{where}:{line}({function})" if where else function}
        if calls is not None:
            row["calls_per_request"] = round(calls / max(requests, 1), 2)
        row["own_us_per_request"] = round(own * per_request, 1)
        row["cumulative_us_per_request"] = round(cumulative * per_request, 1)
        rows.append(row)
    layers = _layers({key: cumulative for key, _, _, cumulative in records}, total)
    return {
        "cpu_us_per_request": round(total * per_request, 1),
        "layers_us_per_request": {name: round(v * per_request, 1) for name, v in layers.items()},
        "top_by_cumulative": sorted(rows, key=lambda r: -r["cumulative_us_per_request"])[:top],
        "top_by_own_time": sorted(rows, key=lambda r: -r["own_us_per_request"])[:top],
        "own_time_by_module": [
            {
                "module": module,
                "own_us_per_request": round(own * per_request, 1),
                "share_pct": round(100 * own / total, 1) if total else None,
            }
            for module, own in sorted(by_module.items(), key=lambda kv: -kv[1])[: top + 10]
        ],
    }


def summarize_cprofile(stats_path: Path, requests: int, top: int) -> dict[str, Any]:
    stats = pstats.Stats(str(stats_path))
    entries: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    records = [(key, calls, own, cum) for key, (_, calls, own, cum, _) in entries.items()]
    return _summarize(records, requests=requests, top=top)


def summarize_samples(samples_path: Path, requests: int, top: int) -> dict[str, Any]:
    data = json.loads(samples_path.read_text())
    # The kernel delivers ITIMER_PROF on its scheduler tick (often 4 ms, not the 1 ms asked
    # for): each sample stands for an equal share of the CPU time measured while sampling.
    interval = float(data["cpu_seconds"]) / max(int(data["samples"]), 1)
    own = {(f, line, name): n * interval for f, line, name, n in data["own"]}
    inclusive = {(f, line, name): n * interval for f, line, name, n in data["inclusive"]}
    records = [(key, None, own.get(key, 0.0), cum) for key, cum in inclusive.items()]
    return {
        "samples": data["samples"],
        "cpu_ms_per_sample": round(1000 * interval, 2),
        **_summarize(records, requests=requests, top=top),
    }


# ---------------------------------------------------------------------------------------------
# CPU accounting from /proc


def _stat_fields(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def _process_table() -> dict[int, list[int]]:
    """Parent pid -> child pids, of every process now."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None:
                children[int(fields[1])].append(int(entry.name))
    return children


def _tree_cpu_seconds(pid: int, table: dict[int, list[int]]) -> float:
    """A process, its live descendants, and the children it has reaped (CPU seconds)."""
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    own = ticks / os.sysconf("SC_CLK_TCK")
    return own + sum(_tree_cpu_seconds(child, table) for child in table.get(pid, ()))


def _machine_busy_and_total() -> tuple[float, float]:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    total = sum(values[:8])
    tick = os.sysconf("SC_CLK_TCK")
    return (total - idle) / tick, total / tick


class CpuMeter:
    """CPU seconds of named process trees and of the whole machine between two samples."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids

    def sample(self) -> dict[str, float]:
        table = _process_table()
        sample = {name: _tree_cpu_seconds(pid, table) for name, pid in self.pids.items()}
        sample["_machine_busy"], sample["_machine_total"] = _machine_busy_and_total()
        sample["_bench"] = time.process_time()
        return sample

    @staticmethod
    def report(before: dict[str, float], after: dict[str, float], requests: int) -> dict[str, Any]:
        used = {key: after[key] - before[key] for key in before}
        named = {k: v for k, v in used.items() if not k.startswith("_")}
        other = used["_machine_busy"] - sum(named.values()) - used["_bench"]
        per = 1e6 / max(requests, 1)
        return {
            "us_per_request": {
                **{name: round(seconds * per, 1) for name, seconds in named.items()},
                "other_processes": round(max(0.0, other) * per, 1),
            },
            "machine_busy_pct": round(
                100 * used["_machine_busy"] / max(used["_machine_total"], 1e-9), 1
            ),
        }


# ---------------------------------------------------------------------------------------------
# Child processes: started in sessions of their own (a Ctrl-C reaches only us, and we stop them
# in order), recorded in a registry so that an interrupted run's leftovers are stopped next time.


@dataclass
class Child:
    name: str
    process: subprocess.Popen[Any]
    log_path: Path | None
    stop_signal: int = signal.SIGTERM
    lines: "queue.Queue[str]" = field(default_factory=queue.Queue)
    """Its stdout's lines (protocol children), read by a thread so a wait can time out."""

    def _read_lines(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put("")  # end of output


class Children:
    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.running: list[Child] = []

    def spawn(
        self,
        name: str,
        command: list[str],
        *,
        env: dict[str, str] | None = None,
        log_path: Path | None = None,
        stdin: int | None = subprocess.DEVNULL,
        stdout: int | None = None,
        stop_signal: int = signal.SIGTERM,
    ) -> Child:
        log_file = log_path.open("ab") if log_path is not None else None
        try:
            process = subprocess.Popen(
                command,
                env=env,
                stdin=stdin,
                stdout=stdout if stdout is not None else log_file,
                stderr=log_file,
                start_new_session=True,
                text=stdout is not None or stdin == subprocess.PIPE,
            )
        finally:
            if log_file is not None:
                log_file.close()
        with (self.state_dir / REGISTRY).open("a") as registry:
            entry = {"pid": process.pid, "started": _start_time(process.pid), "name": name}
            registry.write(json.dumps(entry) + "\n")
        child = Child(name, process, log_path, stop_signal)
        self.running.append(child)
        if stdout is not None:
            threading.Thread(target=child._read_lines, daemon=True).start()
        return child

    def stop(self, child: Child, *, timeout: float = 20) -> None:
        process = child.process
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(child.stop_signal)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                log("%s did not stop in %g s: killing it", child.name, timeout)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        # Its own workers (uvicorn's, nginx's) normally go with it; make sure.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        if child in self.running:
            self.running.remove(child)

    def stop_all(self) -> None:
        for child in reversed(list(self.running)):
            self.stop(child)

    @staticmethod
    def stop_leftovers(state_dir: Path) -> None:
        """Stop what a killed run left running: the same process (pid and start time) only."""
        registry = state_dir / REGISTRY
        if not registry.is_file():
            return
        for line in registry.read_text().splitlines():
            entry = json.loads(line)
            pid = int(entry["pid"])
            if entry["started"] is None or _start_time(pid) != entry["started"]:
                continue  # gone, or the pid now belongs to another process
            log("stopping %s, left running by an earlier run (pid %d)", entry["name"], pid)
            for sig in (signal.SIGTERM, signal.SIGKILL):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, sig)
                deadline = time.monotonic() + 10
                while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
                    time.sleep(0.1)


def _start_time(pid: int) -> int | None:
    """When the process started (clock ticks after boot): with the pid, it names one process."""
    fields = _stat_fields(pid)
    return int(fields[19]) if fields is not None else None


def read_event(child: Child, expected: str, timeout: float) -> dict[str, Any]:
    """The child's next protocol line, which must be ``{"event": expected, ...}``."""
    try:
        line = child.lines.get(timeout=timeout)
    except queue.Empty:
        raise TimeoutError(f"{child.name}: no {expected!r} within {timeout:g} s") from None
    if not line:
        code = child.process.wait()
        raise RuntimeError(f"{child.name} exited ({code}) before {expected!r}{_tail(child)}")
    message: dict[str, Any] = json.loads(line)
    if message.get("event") != expected:
        raise RuntimeError(f"{child.name}: expected {expected!r}, got {line.strip()!r}")
    return message


def _tail(child: Child, lines: int = 25) -> str:
    if child.log_path is None or not child.log_path.exists():
        return ""
    text = child.log_path.read_text(errors="replace").splitlines()[-lines:]
    return f"; last lines of {child.log_path}:\n" + "\n".join(text)


# ---------------------------------------------------------------------------------------------
# The servers


def nginx_binary() -> str:
    """Debian's nginx; installed with apt-get when missing and we are root."""
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None
    )
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("nginx is needed: `sudo apt-get install nginx`")
    log("installing nginx with apt-get")
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "nginx"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(install, env=env, check=False, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
        subprocess.run(install, env=env, check=True, stdout=subprocess.DEVNULL)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_version(binary: str) -> str:
    out = subprocess.run([binary, "-v"], capture_output=True, text=True, check=False)
    return (out.stderr or out.stdout).strip().removeprefix("nginx version: ")


def wait_ready(child: Child, url: str, *, timeout: float = READY_TIMEOUT) -> None:
    """Poll ``url`` until it answers 200; fail early, with the log's tail, if the child dies."""
    import httpx

    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            raise RuntimeError(f"{child.name} exited with {child.process.returncode}{_tail(child)}")
        try:
            response = httpx.get(url, timeout=3)
            if response.status_code == 200:
                return
            last = f"{response.status_code} {response.text[:200]}"
        except httpx.HTTPError as exc:
            last = str(exc)
        time.sleep(0.2)
    raise TimeoutError(f"{child.name} not ready within {timeout:g} s ({last}){_tail(child)}")


GATEWAY_COUNTERS = (
    "kota_gateway_upstream_failures_total",
    "kota_gateway_upstream_retries_total",
    "kota_gateway_rate_limited_total",
    "kota_gateway_rate_limit_storage_errors_total",
)


def gateway_counters(port: int) -> dict[str, float]:
    """The gateway's own failure, retry and refusal counters (one process's, from /metrics)."""
    import httpx

    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    except httpx.HTTPError:
        return {}
    found = {}
    for line in text.splitlines():
        if line.startswith(GATEWAY_COUNTERS):
            name, _, value = line.rpartition(" ")
            found[name] = float(value)
    return found


def uvicorn_command(app: str, port: int, workers: int) -> list[str]:
    # As kota_dev.processes starts services; uvicorn picks uvloop and httptools (installed).
    command = [sys.executable, "-m", "uvicorn", app, "--factory", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--no-access-log", "--workers", str(workers)]
    return command


def clean_environment() -> dict[str, str]:
    """Ours, without settings a developer may have exported for the suite."""
    return {
        k: v for k, v in os.environ.items() if not k.startswith(("GATEWAY_", "HEALTH_", "OTEL_"))
    }


def sign_tokens(key_dir: Path, count: int, *, ttl: int = 3 * 3600) -> list[str]:
    """Citizen access tokens signed with the gateway's current key, as its login signs them."""
    import jwt

    from kota_gateway.keys import SigningKeys

    key = SigningKeys.load_or_create(key_dir).current
    now = int(time.time())
    tokens = []
    for _ in range(count):
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(uuid.uuid4()),
            "typ": "access",
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "jti": uuid.uuid4().hex,
            "roles": ["citizen"],
            "scope": "",
        }
        tokens.append(
            jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})
        )
    return tokens


# ---------------------------------------------------------------------------------------------
# Micro-benchmarks of the gateway's auth and limiting pieces (this process, one core)


async def _micro(key_dir: Path, tokens: list[str]) -> dict[str, Any]:
    import jwt

    from kota_gateway.keys import SigningKeys
    from kota_gateway.ratelimit import RateLimits, Subjects
    from kota_shared.auth import JwksKeys, TokenVerifier

    ring = SigningKeys.load_or_create(key_dir)

    class RingKeys(JwksKeys):  # the gateway's LocalFirstKeys, without an app around it
        def __init__(self) -> None:
            super().__init__("http://unused", client=None)  # type: ignore[arg-type]
            self._ring = {k["kid"]: jwt.PyJWK.from_dict(k) for k in ring.jwks()["keys"]}

        async def get(self, kid: str) -> jwt.PyJWK | None:
            return self._ring.get(kid)

    verifier = TokenVerifier(keys=RingKeys(), issuer=ISSUER, audience=AUDIENCE)

    async def timed(n: int, op: Callable[[int], Any]) -> float:
        began = time.perf_counter()
        for i in range(n):
            await op(i)
        return round(1e6 * (time.perf_counter() - began) / n, 2)

    sample = tokens[:500]
    verify_us = await timed(len(sample), lambda i: verifier.verify(sample[i]))
    subjects = Subjects([])
    scopes = [
        {"type": "http", "headers": [(b"authorization", f"Bearer {t}".encode())], "client": None}
        for t in tokens
    ]
    for scope in scopes:  # fill the cache, as the warm-up does for the gateway
        await subjects.of(scope, "read", verifier)
    cached_us = await timed(
        20_000,
        lambda i: subjects.of(scopes[i % len(scopes)], "read", verifier),
    )
    limits = RateLimits({"read": UNREFUSED_READ_LIMIT})
    try:
        hit_us = await timed(20_000, lambda i: limits.hit("read", f"sub:{i % len(tokens)}"))
    finally:
        await limits.aclose()
    return {
        "token_verify_uncached_us": verify_us,
        "token_subject_cached_us": cached_us,
        "rate_limit_hit_us": hit_us,
        "note": "One core of this process, no load: a fresh token costs token_verify_uncached_us "
        "once (then it is cached until exp); every request costs token_subject_cached_us + "
        "rate_limit_hit_us (sliding-window counter in memory: a hit and a window-stats read).",
    }


# ---------------------------------------------------------------------------------------------
# The run


@dataclass
class Target:
    name: str
    port: int
    pid: int  # the process tree whose CPU is "proxy" (or "service" for direct)


class Bench:
    def __init__(self, args: argparse.Namespace, children: Children) -> None:
        self.args = args
        self.children = children
        self.service_pid = 0
        self.postgres_pid = 0
        self.tokens: list[str] = []

    # -- load

    def run_load(
        self,
        target: Target,
        *,
        mode: str,
        warmup: float,
        duration: float,
        rate: float | None = None,
        on_measuring: Callable[[], None] | None = None,
        on_measured: Callable[[], None] | None = None,
    ) -> dict[str, Any]:
        config = {
            "port": target.port,
            "path": PATH,
            "tokens": self.tokens,
            "connections": self.args.concurrency,
            "mode": mode,
            "rate": rate,
            "warmup": warmup,
            "duration": duration,
        }
        counters_before = gateway_counters(target.port) if target.name.startswith("gateway") else {}
        config_path = STATE_DIR / f"load-{target.name}-{mode}.json"
        config_path.write_text(json.dumps(config))
        child = self.children.spawn(
            f"load generator ({target.name})",
            [sys.executable, str(SCRIPT), "_load", str(config_path)],
            stdout=subprocess.PIPE,
        )
        try:
            pids = {"service": self.service_pid, "postgres": self.postgres_pid}
            if target.name != "direct":
                pids["proxy"] = target.pid
            pids["load_generator"] = child.process.pid
            meter = CpuMeter(pids)
            read_event(child, "ready", 120 + len(self.tokens) / 20)
            read_event(child, "measuring", warmup + 30)
            before = meter.sample()
            if on_measuring is not None:
                on_measuring()
            read_event(child, "measured", duration + 30)
            after = meter.sample()
            if on_measured is not None:
                on_measured()
            result = read_event(child, "result", 90)
        finally:
            self.children.stop(child)
        result.pop("event")
        if result["ok"] == 0:
            raise RuntimeError(
                f"{target.name}: no successful answer in the measured window: {result}"
            )
        result["cpu"] = CpuMeter.report(before, after, result["ok"])
        if target.name.startswith("gateway"):
            after_run = gateway_counters(target.port)
            result["gateway_counters"] = {
                key: value - counters_before.get(key, 0.0)
                for key, value in after_run.items()
                if value != counters_before.get(key, 0.0)
            }
        return result

    # -- servers

    def start_service(self, cluster: Any, broker: str) -> Target:
        from kota_dev import postgres as postgres_dev
        from kota_dev.ports import free_port

        db_url = postgres_dev.ensure_database(
            cluster, name="health", owner="health", password=secrets.token_urlsafe(12)
        )
        port = free_port()
        env = {
            **clean_environment(),
            "HEALTH_DATABASE_URL": db_url,
            "HEALTH_KAFKA_BOOTSTRAP_SERVERS": broker,
            "HEALTH_TOKEN_ISSUER": ISSUER,
            "HEALTH_LOG_LEVEL": self.args.log_level,
        }
        log("starting the health service on port %d", port)
        child = self.children.spawn(
            "health",
            uvicorn_command("health.main:create_app", port, self.args.service_workers),
            env=env,
            log_path=STATE_DIR / "logs" / "health.log",
        )
        wait_ready(child, f"http://127.0.0.1:{port}/livez")
        subprocess.run(
            [sys.executable, "-m", "health.seed"], env=env, check=True, stdout=subprocess.DEVNULL
        )
        self.service_pid = child.process.pid
        return Target("direct", port, child.process.pid)

    def start_nginx(self, upstream_port: int) -> tuple[Target, str]:
        from kota_dev.ports import free_port, wait_for_tcp

        binary = nginx_binary()
        port = free_port()
        (STATE_DIR / "nginx-tmp").mkdir(parents=True, exist_ok=True)
        replacements = {
            "@USER_LINE@": "user root;" if os.geteuid() == 0 else "",
            "@WORKERS@": str(self.args.workers),
            "@STATE_DIR@": str(STATE_DIR),
            "@UPSTREAM_PORT@": str(upstream_port),
            "@PORT@": str(port),
        }
        conf = NGINX_TEMPLATE.read_text()
        for placeholder, value in replacements.items():
            conf = conf.replace(placeholder, value)
        conf_path = STATE_DIR / "nginx.conf"
        conf_path.write_text(conf)
        command = [binary, "-p", f"{STATE_DIR}/", "-c", str(conf_path)]
        command += ["-e", str(STATE_DIR / "nginx-error.log")]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise RuntimeError(f"nginx refused its configuration:\n{check.stderr}")
        log("starting nginx on port %d (%d worker processes)", port, self.args.workers)
        child = self.children.spawn(
            "nginx",
            command,
            log_path=STATE_DIR / "logs" / "nginx.log",
            stop_signal=signal.SIGQUIT,  # graceful: finish what is in flight
        )
        wait_for_tcp("127.0.0.1", port, timeout=30)
        return Target("nginx", port, child.process.pid), nginx_version(binary)

    def gateway_env(
        self, cluster: Any, *, name: str, limits: bool, broker: str, service_port: int, port: int
    ) -> dict[str, str]:
        from kota_dev import postgres as postgres_dev

        db_url = postgres_dev.ensure_database(
            cluster, name=name, owner=name, password=secrets.token_urlsafe(12)
        )
        return {
            "GATEWAY_DATABASE_URL": db_url,
            "GATEWAY_KAFKA_BOOTSTRAP_SERVERS": broker,
            "GATEWAY_UPSTREAMS": json.dumps({"health": f"http://127.0.0.1:{service_port}"}),
            "GATEWAY_SIGNING_KEY_DIR": str(STATE_DIR / "gateway-keys"),
            "GATEWAY_TOKEN_ISSUER": ISSUER,
            "GATEWAY_JWKS_URL": f"http://127.0.0.1:{port}/.well-known/jwks.json",
            "GATEWAY_RATE_LIMITS_ENABLED": "true" if limits else "false",
            "GATEWAY_RATE_LIMITS": json.dumps(
                {"auth": "60/minute", "read": UNREFUSED_READ_LIMIT, "write": "60/minute"}
            ),
            "GATEWAY_LOG_LEVEL": self.args.log_level,
        }

    def start_gateway(self, name: str, env: dict[str, str], port: int) -> Target:
        log("starting %s on port %d (%d worker processes)", name, port, self.args.workers)
        child = self.children.spawn(
            name,
            uvicorn_command("kota_gateway.main:create_app", port, self.args.workers),
            env={**clean_environment(), **env},
            log_path=STATE_DIR / "logs" / f"{name}.log",
        )
        wait_ready(child, f"http://127.0.0.1:{port}/livez")
        return Target(name, port, child.process.pid)

    # -- checks: the request works, and each scenario does what it says

    def probe(self, target: Target) -> dict[str, Any]:
        import httpx

        url = f"http://127.0.0.1:{target.port}{PATH}"
        headers = {"Authorization": f"Bearer {self.tokens[0]}"}
        response = httpx.get(url, headers=headers, timeout=10)
        body = response.json() if response.status_code == 200 else None
        if not (isinstance(body, list) and len(body) == 1 and body[0]["district_code"] == DISTRICT):
            raise RuntimeError(
                f"{target.name}: {url} answered {response.status_code} {response.text[:300]}"
            )
        found: dict[str, Any] = {
            "status": response.status_code,
            "body_bytes": len(response.content),
            "framing": "chunked"
            if response.headers.get("transfer-encoding") == "chunked"
            else "content-length",
            "x_request_id": "x-request-id" in response.headers,
            "ratelimit_headers": "ratelimit-limit" in response.headers,
        }
        if target.name.startswith("gateway"):
            metrics = httpx.get(f"http://127.0.0.1:{target.port}/metrics", timeout=10).text
            found["metrics_count_requests"] = 'service="gateway"' in metrics
        if target.name == "gateway":
            found["counted_per_verified_subject"] = self._counted_per_subject(url)
        return found

    def _counted_per_subject(self, url: str) -> bool:
        """Two fresh tokens: if A's second request and B's first see different budgets, the
        gateway counted them by their verified ``sub``, not by the (shared) client address."""
        import httpx

        a, b = sign_tokens(STATE_DIR / "gateway-keys", 2)
        remaining = []
        for token in (a, a, b):
            response = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
            remaining.append(int(response.headers["ratelimit-remaining"]))
        return remaining[0] - remaining[1] == 1 and remaining[2] == remaining[0]

    # -- the profile

    def profile(self, env: dict[str, str]) -> dict[str, Any]:
        from kota_dev.ports import free_port

        port = free_port()
        stats_path = STATE_DIR / "gateway.pstats"
        samples_path = STATE_DIR / "gateway-samples.json"
        config_path = STATE_DIR / "profile.json"
        config = {
            "env": env,
            "port": port,
            "stats_path": str(stats_path),
            "samples_path": str(samples_path),
            "sample_interval": self.args.sample_interval,
        }
        config_path.write_text(json.dumps(config))
        log("profiling one gateway process on port %d: cProfile, then CPU sampling", port)
        child = self.children.spawn(
            "gateway (profiled)",
            [sys.executable, str(SCRIPT), "_profile", str(config_path)],
            env=clean_environment(),
            log_path=STATE_DIR / "logs" / "gateway-profiled.log",
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        runs = {}
        try:
            read_event(child, "ready", READY_TIMEOUT)
            stdin = child.process.stdin
            assert stdin is not None

            def command(word: str) -> None:
                stdin.write(word + "\n")
                stdin.flush()

            target = Target("gateway_profiled", port, child.process.pid)
            for kind, done in (("profile", "profiled"), ("sample", "sampled")):
                runs[kind] = self.run_load(
                    target,
                    mode="closed",
                    warmup=min(self.args.warmup, 2.0),
                    duration=self.args.profile_duration,
                    on_measuring=functools.partial(command, f"{kind}-start"),
                    on_measured=functools.partial(command, f"{kind}-stop"),
                )
                read_event(child, done, 120)
            command("exit")
            child.process.wait(60)
        finally:
            self.children.stop(child)

        def under(result: dict[str, Any]) -> dict[str, Any]:
            return {
                "requests_per_second": result["requests_per_second"],
                "p50_ms": result["p50_ms"],
                "gateway_process_cpu_us_per_request": result["cpu"]["us_per_request"].get("proxy"),
            }

        top = self.args.profile_top
        return {
            "scenario": "gateway (rate limits and token verification on), one process started "
            "in-process as uvicorn --factory does, closed loop at --concurrency, each profiler "
            "on its event loop's thread for --profile-duration seconds",
            "cprofile": {
                "timer": "wall clock (cProfile's default)",
                "under_profiler": under(runs["profile"]),
                **summarize_cprofile(stats_path, runs["profile"]["ok"], top),
            },
            "cpu_sampling": {
                "timer": f"SIGPROF every {self.args.sample_interval * 1000:g} ms of process CPU "
                "(or the kernel's tick, if longer)",
                "under_profiler": under(runs["sample"]),
                **summarize_samples(samples_path, runs["sample"]["ok"], top),
            },
        }


def run(args: argparse.Namespace, children: Children) -> dict[str, Any]:
    from kota_dev import kafka as kafka_dev
    from kota_dev import postgres as postgres_dev
    from kota_dev.ports import free_port

    # Leftovers of an interrupted run must stop before their directories go.
    Children.stop_leftovers(STATE_DIR)
    kafka_dev.stop_broker_at(STATE_DIR / "kafka")
    if (STATE_DIR / "postgres" / "postmaster.pid").is_file():
        postgres_dev.stop_cluster(postgres_dev.PostgresCluster(STATE_DIR / "postgres", port=0))
    shutil.rmtree(STATE_DIR, ignore_errors=True)
    (STATE_DIR / "logs").mkdir(parents=True)

    load_before = os.getloadavg()
    pressure_before = cpu_pressure()
    bench = Bench(args, children)
    scenarios = list(args.scenarios)  # in the order given; direct first

    try:
        log("starting PostgreSQL in %s", STATE_DIR / "postgres")
        cluster = postgres_dev.start_cluster(STATE_DIR / "postgres")
        bench.postgres_pid = int((cluster.data_dir / "postmaster.pid").read_text().split()[0])
        if args.kafka:
            log("starting Kafka")
            cache = Path(os.environ.get("KOTA_CACHE_DIR", REPO / ".kota" / "cache"))
            broker = kafka_dev.start_broker(STATE_DIR / "kafka", cache_dir=cache).bootstrap_servers
        else:
            broker = f"127.0.0.1:{free_port()}"  # nothing listens: relays retry, off the path
        bench.tokens = sign_tokens(STATE_DIR / "gateway-keys", args.tokens)
        micro = asyncio.run(_micro(STATE_DIR / "gateway-keys", bench.tokens))

        direct = bench.start_service(cluster, broker)
        targets = {"direct": direct}
        versions = {"postgres": postgres_version(), "nginx": None}
        if "nginx" in scenarios:
            targets["nginx"], versions["nginx"] = bench.start_nginx(direct.port)
        gateway_envs = {}
        for name, limits in (("gateway", True), ("gateway_auth_limits_off", False)):
            if name in scenarios or (name == "gateway" and args.profile_duration > 0):
                port = free_port()
                env = bench.gateway_env(
                    cluster,
                    name=name,
                    limits=limits,
                    broker=broker,
                    service_port=direct.port,
                    port=port,
                )
                gateway_envs[name] = env
                targets[name] = bench.start_gateway(name, env, port)
        checks = {name: bench.probe(targets[name]) for name in scenarios}

        maximum: dict[str, Any] = {}
        for name in scenarios:
            log(
                "%s: closed loop, %d connections, %g s + %g s",
                name,
                args.concurrency,
                args.warmup,
                args.duration,
            )
            maximum[name] = bench.run_load(
                targets[name], mode="closed", warmup=args.warmup, duration=args.duration
            )
            log(
                "%s: %.0f requests/s, p50 %s ms",
                name,
                maximum[name]["requests_per_second"],
                maximum[name]["p50_ms"],
            )

        half: dict[str, Any] = {}
        rate = args.rate or (
            0.5 * maximum["direct"]["requests_per_second"] if "direct" in maximum else None
        )
        if rate and not args.skip_half_rate:
            rate = round(rate, 1)
            for name in scenarios:
                log("%s: open loop at %g requests/s", name, rate)
                half[name] = bench.run_load(
                    targets[name],
                    mode="open",
                    warmup=args.warmup,
                    duration=args.duration,
                    rate=rate,
                )
                log("%s: p50 %s ms, p99 %s ms", name, half[name]["p50_ms"], half[name]["p99_ms"])

        profile = None
        if args.profile_duration > 0:
            # The other servers stay up but idle; the profiled gateway is a third process.
            profile = bench.profile(gateway_envs["gateway"])
    finally:
        # In order, and not cut short by a second Ctrl-C; by data directory, so that a server
        # whose start was interrupted is stopped too.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        log("stopping the servers")
        children.stop_all()
        if args.kafka:
            log("stopping Kafka")
            kafka_dev.stop_broker_at(STATE_DIR / "kafka")
        log("stopping PostgreSQL")
        postgres_dev.stop_cluster(postgres_dev.PostgresCluster(STATE_DIR / "postgres", port=0))

    return report(
        args=args,
        scenarios=scenarios,
        checks=checks,
        maximum=maximum,
        half=half,
        rate=rate,
        micro=micro,
        profile=profile,
        versions=versions,
        machine_before=(load_before, pressure_before),
    )


# ---------------------------------------------------------------------------------------------
# The report


def cpu_pressure() -> float | None:
    """Share of the last minute in which runnable tasks waited for a CPU (Linux PSI), in %."""
    try:
        some = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (FileNotFoundError, IndexError, PermissionError, OSError):
        return None
    found = re.search(r"avg60=([0-9.]+)", some)
    return float(found.group(1)) if found else None


def postgres_version() -> str | None:
    from kota_dev.postgres import server_bin_dir

    out = subprocess.run(
        [str(server_bin_dir() / "postgres"), "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip().rpartition(" ")[2] or None


def library_versions() -> dict[str, str]:
    found = {}
    for package in (
        "uvicorn",
        "uvloop",
        "httptools",
        "fastapi",
        "starlette",
        "httpx",
        "httpcore",
        "limits",
        "pyjwt",
        "cryptography",
        "sqlalchemy",
        "asyncpg",
        "opentelemetry-sdk",
        "prometheus-client",
    ):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found[package] = importlib.metadata.version(package)
    return found


def _brief(result: dict[str, Any] | None) -> dict[str, Any] | None:
    if result is None:
        return None
    keys = ("requests_per_second", "p50_ms", "p90_ms", "p99_ms", "errors")
    return {**{k: result.get(k) for k in keys}, "detail": result}


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def report(
    *,
    args: argparse.Namespace,
    scenarios: list[str],
    checks: dict[str, Any],
    maximum: dict[str, Any],
    half: dict[str, Any],
    rate: float | None,
    micro: dict[str, Any],
    profile: dict[str, Any] | None,
    versions: dict[str, Any],
    machine_before: tuple[tuple[float, float, float], float | None],
) -> dict[str, Any]:
    def rps(name: str) -> float | None:
        return maximum[name]["requests_per_second"] if name in maximum else None

    def added_p50(name: str) -> float | None:
        if name not in half or "direct" not in half:
            return None
        a, b = half[name]["p50_ms"], half["direct"]["p50_ms"]
        return round(a - b, 3) if a is not None and b is not None else None

    gateway_vs_nginx = _ratio(rps("gateway"), rps("nginx"))
    full_vs_bare = _ratio(rps("gateway"), rps("gateway_auth_limits_off"))
    auth_cost = round(1 - full_vs_bare, 3) if full_vs_bare is not None else None
    gateway_added = added_p50("gateway")
    errors = sum(r["errors"] for r in (*maximum.values(), *half.values()))

    def goal(value: float | None, target: float, *, at_least: bool) -> dict[str, Any]:
        met = None if value is None else (value >= target if at_least else value <= target)
        return {"value": value, "target": target, "met": met}

    load_before, pressure_before = machine_before
    return {
        "bench": "gateway",
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "nginx": versions.get("nginx"),
            "postgres": versions.get("postgres"),
            "libraries": library_versions(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "cpu_pressure_avg60_pct_before": pressure_before,
            "cpu_pressure_avg60_pct_after": cpu_pressure(),
        },
        "params": {
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "concurrency": args.concurrency,
            "gateway_processes": args.workers,
            "nginx_worker_processes": args.workers,
            "service_processes": args.service_workers,
            "tokens": args.tokens,
            "log_level": args.log_level,
            "kafka": args.kafka,
            "half_rate_per_s": rate,
        },
        "endpoint": {
            "request": f"GET {PATH}",
            "service": "health (kota_shared app: request id, trace, metrics, JSON access log; "
            "one transaction per request with SQLAlchemy + asyncpg)",
            "reads": "one row of facilities (the district's only facility), ~260-byte JSON list",
            "token": "Authorization: Bearer <citizen access token> on every request in every "
            "scenario; the endpoint is public, so only the gateway ever verifies it",
        },
        "scenarios": {name: SCENARIO_MEANING[name] for name in scenarios},
        "checks": checks,
        "max_throughput": {name: _brief(maximum.get(name)) for name in scenarios},
        "half_rate": {
            "rate_per_s": rate,
            **{name: _brief(half.get(name)) for name in scenarios},
            "added_p50_ms_vs_direct": {
                name: added_p50(name) for name in scenarios if name != "direct"
            },
        },
        "ratios": {
            "gateway_vs_nginx_throughput": gateway_vs_nginx,
            "gateway_auth_limits_off_vs_nginx_throughput": _ratio(
                rps("gateway_auth_limits_off"), rps("nginx")
            ),
            "nginx_vs_direct_throughput": _ratio(rps("nginx"), rps("direct")),
            "gateway_vs_direct_throughput": _ratio(rps("gateway"), rps("direct")),
            "auth_limits_cost": auth_cost,
        },
        "goals": {
            "gateway_throughput_ge_0_8_nginx": goal(gateway_vs_nginx, 0.8, at_least=True),
            "auth_limits_cost_le_10pct": goal(auth_cost, 0.10, at_least=False),
            "added_p50_le_1ms_at_half_rate": goal(gateway_added, 1.0, at_least=False),
            "no_errors": errors == 0,
        },
        "micro": micro,
        "profile": profile,
        "notes": [
            "Everything shares this machine's CPUs: PostgreSQL, the service, the proxy under "
            "test and the load generator. Throughput is therefore bounded by the CPU all of them "
            "use per request; cpu.us_per_request (from /proc, per process tree, divided by the "
            "2xx answers of the measured window) shows who used it, other_processes being the "
            "rest of the machine (other work disturbs the figures: see machine.load_average_* "
            "and cpu_pressure_*).",
            "Closed loop: each connection sends its next request when the previous answer is "
            "complete; requests_per_second counts 2xx answers to requests started in the "
            "measured window; latency is from writing the request to the end of the answer.",
            "Open loop (half_rate): request i is due at start + i/rate; it waits for a free "
            "connection of the pool (that wait counts in its latency), and is skipped "
            "(skipped_as_unsustainable) when a second's worth of requests is already in flight. "
            "Latency is from the moment it was sent for (timer lateness, a property of the load "
            "generator, is excluded and reported as send_lateness_*).",
            "Processes: nginx worker_processes = the gateway's uvicorn processes (--workers); the "
            "service runs --service-workers uvicorn processes. uvicorn uses uvloop and httptools.",
            "Logging: the service and the gateways write one JSON access-log line per request "
            "(level --log-level) to a file; nginx writes its combined access log to a file.",
            "The gateway's rate limiter verifies a token the first time it sees it and caches "
            "the subject until exp: with --tokens distinct tokens used in turn, verification "
            "happens during the warm-up and steady state costs a cache lookup "
            "(micro.token_verify_uncached_us is the cost of a cache miss).",
            "profile: one gateway process, profiled twice in turn under the same closed-loop "
            "load: cprofile (deterministic, with call counts; wall-clock timer, so time the "
            "process spent preempted lands on whatever function was running; it also slows "
            "Python code about twofold) and cpu_sampling (SIGPROF on the process's CPU time: "
            "preemption-proof, a few % overhead; time in C code is counted to the Python "
            "function that called it). Compare shares, not absolute times, with the unprofiled "
            "runs' cpu.us_per_request.proxy. layers_us_per_request derives each middleware's own "
            "cost from the cumulative time of the nested calls (a layer minus the next one in).",
        ],
    }


# ---------------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--duration", type=float, default=15.0, help="measured seconds per run (15)"
    )
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds first (3)")
    parser.add_argument("--concurrency", type=int, default=32, help="keep-alive connections (32)")
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="open-loop rate (default: half of direct's maximum)",
    )
    parser.add_argument("--skip-half-rate", action="store_true", help="no open-loop runs")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="gateway uvicorn processes = nginx worker_processes (1)",
    )
    parser.add_argument(
        "--service-workers", type=int, default=1, help="health service processes (1)"
    )
    parser.add_argument("--tokens", type=int, default=200, help="distinct citizen tokens (200)")
    parser.add_argument(
        "--scenarios",
        type=lambda s: [x.strip() for x in s.split(",") if x.strip()],
        default=list(SCENARIOS),
        help=f"comma-separated subset of {','.join(SCENARIOS)}, run in that order (direct first)",
    )
    parser.add_argument(
        "--profile-duration", type=float, default=10.0, help="profiled seconds (10; 0 skips)"
    )
    parser.add_argument("--profile-top", type=int, default=15, help="functions listed (15)")
    parser.add_argument(
        "--sample-interval", type=float, default=0.001, help="CPU seconds between samples (0.001)"
    )
    parser.add_argument(
        "--log-level", default="INFO", help="services' and gateways' log level (INFO)"
    )
    parser.add_argument("--kafka", action="store_true", help="start a Kafka broker for the relays")
    parser.add_argument(
        "--keep-state",
        action="store_true",
        help=f"keep {STATE_DIR.relative_to(REPO)} (logs, nginx.conf, gateway.pstats) after the run",
    )
    args = parser.parse_args(argv)
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    # direct first: the baseline of every comparison, and the half rate's reference
    args.scenarios = ["direct", *dict.fromkeys(s for s in args.scenarios if s != "direct")]
    return args


class _Stop(Exception):
    """SIGINT (Ctrl-C) or SIGTERM: stop everything in order."""


def _raise_stop(signum: int, _frame: object) -> None:
    raise _Stop(signal.Signals(signum).name)


def main() -> None:
    if sys.argv[1:2] == ["_load"]:
        load_main(sys.argv[2])
        return
    if sys.argv[1:2] == ["_profile"]:
        profile_main(sys.argv[2])
        return
    logging.basicConfig(
        stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(name)s %(message)s"
    )
    _log.setLevel(logging.INFO)
    args = parse_args(sys.argv[1:])
    # Both stop everything in order (SIGINT explicitly: a shell may start us with it ignored).
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    children = Children(STATE_DIR)
    failed = True
    try:
        result = run(args, children)
        # A run with failed requests keeps its servers' logs to read, like a failed run.
        failed = not result["goals"]["no_errors"] or args.keep_state
    except (KeyboardInterrupt, _Stop) as stop:
        log("interrupted (%s): everything started was stopped", stop)
        raise SystemExit(130) from None
    finally:
        # run() stops what it started; this is for a failure before it got that far.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        children.stop_all()
        if not failed:
            shutil.rmtree(STATE_DIR, ignore_errors=True)
        else:
            log("kept for reading: %s (servers' logs in logs/)", STATE_DIR)
    sys.stdout.write(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
