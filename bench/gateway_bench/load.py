"""The load generator: a child process (``gateway.py _load CONFIG``) driving one target.

A raw asyncio HTTP/1.1 keep-alive client (uvloop, httptools' parser) in a process of its own, so
it never shares an event loop with a server. It tells the parent, one JSON line at a time on
stdout, when it is ``ready`` (connected, every token sent once), when the measured window
begins and ends (``measuring``, ``measured``: the parent samples CPU then) and its ``result``.
"""

import asyncio
import collections
import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .processes import say


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
    say(out, {"event": "measuring"})
    await asyncio.sleep(max(0.0, measure_until - time.perf_counter()))
    say(out, {"event": "measured"})


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
    say(out, {"event": "ready"})
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
    say(out, {"event": "result", **result})
