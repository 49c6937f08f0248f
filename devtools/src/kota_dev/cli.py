"""``kota``: start the whole suite on this machine (``up``), stop it (``down``), test it (``test``),
scaffold a service (``new-service``) and render the compose file (``compose``).

No Docker needed: PostgreSQL from the installed server binaries, Kafka from Maven Central's
jars, and every service as a uvicorn process, all under one state directory.
"""

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path

from kota_dev import compose, kafka, messages, postgres, scaffold
from kota_dev.processes import (
    Launch,
    RunningService,
    ServiceNotReady,
    start_together,
    stop_service,
)
from kota_dev.suite import (
    DEMO_ADMIN,
    GATEWAY,
    NOTIFYSIM,
    PAYSIM,
    REGSIM,
    SERVICES,
    STARTED,
    Layout,
    demo_admin_password,
    service_environment,
)

REPO = Path(__file__).resolve().parents[3]
CACHE_DIR = Path(os.environ.get("KOTA_CACHE_DIR", REPO / ".kota" / "cache"))
LINTED_PACKAGES = (
    "kota_shared",
    "kota_contracts",
    "kota_dev",
    "kota_gateway",
    "kota_paysim",
    "kota_regsim",
    "kota_notifysim",
    *(s.package for s in SERVICES),
)
READY_WITHIN_SECONDS = 180
"""How long the services may take, together, to be ready and seeded once PostgreSQL and Kafka
are: 2.5 times the 70 s they took at once on a busy 2-core machine, and short enough that the
end-to-end suite (which waits 300 s for `kota up`) is told which one was late."""
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _Stop(Exception):
    """SIGTERM (``kota down``) or SIGINT (Ctrl-C): stop everything in order."""


def _raise_stop(signum: int, _frame: object) -> None:
    raise _Stop(signal.Signals(signum).name)


def _say(message: str) -> None:
    print(message, flush=True)


def _quiet(_message: str) -> None:
    return None


@contextmanager
def infrastructure(
    state_dir: Path,
    *,
    postgres_port: int | None,
    kafka_port: int | None,
    say_on_stop: Callable[[str], None] = _say,
    wait_for_kafka: bool = True,
    harness: bool = False,
) -> Iterator[tuple[postgres.PostgresCluster, kafka.KafkaBroker]]:
    """PostgreSQL and Kafka, started under ``state_dir`` and stopped on the way out.

    Kafka's JVM is launched first and starts while PostgreSQL does; without
    ``wait_for_kafka`` the caller gets the broker before it answers (`kafka.wait_until_ready`).
    """
    _say("starting Kafka (the first run fetches its jars with Maven) and PostgreSQL…")
    # Secured as compose's is (kota_dev.kafka_access); the test run's adds the harness listener.
    broker = kafka.launch_broker(
        state_dir / "kafka",
        port=kafka_port,
        cache_dir=CACHE_DIR,
        quick_start=True,
        secured=True,
        harness=harness,
    )
    try:
        cluster = postgres.start_cluster(state_dir / "postgres", port=postgres_port)
    except BaseException:
        kafka.stop_broker(broker)
        raise
    try:
        if wait_for_kafka:
            kafka.wait_until_ready(broker)
        yield cluster, broker
    finally:
        # Kafka first: what the services drained into it is on its disk before PostgreSQL goes.
        try:
            say_on_stop("stopping Kafka…")
            kafka.stop_broker(broker)
        finally:
            say_on_stop("stopping PostgreSQL…")
            postgres.stop_cluster(cluster)


def up(layout: Layout) -> int:
    """Start everything, print where it is, and run until Ctrl-C or ``kota down``.

    PostgreSQL and Kafka first; then every service at once (the gateway serving once its
    upstreams are ready, see ``Service.starts_after``), each seeded as soon as it is ready.
    """
    began = time.monotonic()
    for stop_signal in STOP_SIGNALS:
        signal.signal(stop_signal, _raise_stop)
    pid_file = layout.state_dir / "kota-up.pid"
    layout.state_dir.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(f"{os.getpid()}\n")
    running: list[RunningService] = []
    code = 0
    try:
        with infrastructure(
            layout.state_dir,
            postgres_port=layout.postgres_port,
            kafka_port=layout.kafka_port,
            wait_for_kafka=False,
        ) as (cluster, broker):
            try:
                infrastructure_ready = time.monotonic()
                launches = [
                    Launch(
                        service,
                        port=layout.port(service),
                        env=service_environment(
                            service,
                            layout=layout,
                            cluster=cluster,
                            kafka_bootstrap_servers=broker.bootstrap_servers,
                        ),
                    )
                    for service in STARTED
                ]
                asyncio.run(
                    _stopped_by_signals(
                        _while_kafka_starts(
                            broker,
                            start_together(
                                launches,
                                log_dir=layout.logs,
                                running=running,
                                ready_within=READY_WITHIN_SECONDS,
                                say=_say,
                            ),
                        )
                    )
                )
                _announce(
                    layout,
                    infrastructure=infrastructure_ready - began,
                    services=time.monotonic() - infrastructure_ready,
                )
                _supervise(running)
            except _Stop as stop:
                print(f"\n{stop}: stopping…", flush=True)
            except ServiceNotReady as failed:
                print(f"\nkota up: {failed}\nstopping…", flush=True)
                code = 1
            finally:
                # Services first, while the database and Kafka they drain into still run;
                # a second Ctrl-C must not cut this short and leave processes behind.
                for stop_signal in STOP_SIGNALS:
                    signal.signal(stop_signal, signal.SIG_IGN)
                for child in sorted(running, key=lambda r: STARTED.index(r.service), reverse=True):
                    print(f"stopping {child.service.name}…", flush=True)
                    stop_service(child)
    except _Stop:
        print("\nstopped while PostgreSQL or Kafka was starting.", flush=True)
    finally:
        pid_file.unlink(missing_ok=True)
    print("stopped.", flush=True)
    return code


async def _while_kafka_starts(
    broker: kafka.KafkaBroker, services: Coroutine[object, object, None]
) -> None:
    """Start the services while Kafka's JVM comes up: they import, migrate and connect once
    it answers, which is most of what a start takes. A broker that never answers stops the
    start at once with its log, rather than every service's readiness timing out."""
    kafka_ready = asyncio.ensure_future(asyncio.to_thread(kafka.wait_until_ready, broker))
    starting = asyncio.ensure_future(services)
    try:
        await asyncio.wait({kafka_ready, starting}, return_when=asyncio.FIRST_EXCEPTION)
        if kafka_ready.done() and (failure := kafka_ready.exception()) is not None:
            raise ServiceNotReady("Kafka", "did not start", tail=str(failure))
        await starting
        await kafka_ready
    finally:
        starting.cancel()
        await asyncio.gather(starting, return_exceptions=True)
        # The wait runs in a thread that cannot be cancelled; its end is read, not left
        # to be reported as an exception nobody retrieved.
        kafka_ready.add_done_callback(lambda wait: wait.cancelled() or wait.exception())


async def _stopped_by_signals(work: Coroutine[object, object, None]) -> None:
    """Await ``work``; SIGINT or SIGTERM cancels it and is raised as ``_Stop``.

    Inside the event loop a signal must not raise where it lands (in the loop's own code, or
    in one task of a group): the loop's handler cancels ``work`` instead, whose tasks then
    stop what they started. ``_raise_stop`` is put back with both signals blocked, so none
    meets the default action (which would end `kota` and leave the services running).
    """
    loop = asyncio.get_running_loop()
    this = asyncio.current_task()
    assert this is not None
    received: list[signal.Signals] = []

    def on_signal(stop_signal: signal.Signals) -> None:
        received.append(stop_signal)
        this.cancel()

    for stop_signal in STOP_SIGNALS:
        loop.add_signal_handler(stop_signal, on_signal, stop_signal)
    try:
        await work
    except asyncio.CancelledError:
        if received:
            raise _Stop(received[0].name) from None
        raise
    finally:
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            for stop_signal in STOP_SIGNALS:
                loop.remove_signal_handler(stop_signal)
                signal.signal(stop_signal, _raise_stop)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def _announce(layout: Layout, *, infrastructure: float, services: float) -> None:
    gateway = layout.url(GATEWAY)
    print(
        f"\nKota LIVE is up.\n"
        f"  ready in {infrastructure + services:.0f} s (PostgreSQL {infrastructure:.0f} s, "
        f"then Kafka and the services together {services:.0f} s)\n"
        f"  gateway:  {gateway}\n  API docs: {gateway}/docs\n"
        f"  dashboard: {gateway}/v1/monitoring/dashboard (officials: sign in as the admin)\n"
        f"  public figures and open data: {gateway}/v1/monitoring/public\n"
        f"  admin:    {DEMO_ADMIN} / {demo_admin_password(layout.state_dir)}\n"
        f"  payment provider simulator: {layout.url(PAYSIM)}/docs\n"
        f"  civil registry simulator:   {layout.url(REGSIM)}/docs\n"
        f"  SMS and WhatsApp simulator: {layout.url(NOTIFYSIM)} (what phones received; /docs)\n"
        f"  gateway metrics (internal): http://127.0.0.1:{layout.metrics_port}/metrics\n"
        f"  logs:     {layout.logs}\nPress Ctrl-C (or run `kota down`) to stop.",
        flush=True,
    )


def _supervise(running: list[RunningService]) -> None:
    """Wait for a stop signal; a service that dies stops the suite (loudly) rather than limp."""
    while True:
        for service in running:
            if service.process.poll() is not None:
                raise SystemExit(
                    f"{service.service.name} exited with {service.process.returncode}; "
                    f"see {service.log_path}"
                )
        time.sleep(0.5)


def down(layout: Layout) -> int:
    """Ask a running ``kota up`` to stop, and wait until it has."""
    pid_file = layout.state_dir / "kota-up.pid"
    if not pid_file.exists():
        print("nothing is running.")
        return 0
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pid_file.unlink(missing_ok=True)
        return 0
    deadline = time.monotonic() + 120
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return 0 if not pid_file.exists() else 1


def test(pytest_args: list[str], *, lint: bool, lint_only: bool) -> int:
    """Lint, then run every test against a PostgreSQL and a Kafka started for this run."""
    if (lint or lint_only) and (code := _lint()) != 0:
        return code
    if lint_only:
        return 0
    # One directory per run, so two runs at once (two terminals, two worktrees' helpers)
    # never share, or wipe, each other's PostgreSQL and Kafka.
    state_dir = REPO / ".kota" / "test" / str(os.getpid())
    shutil.rmtree(state_dir, ignore_errors=True)
    try:
        # Quiet on the way out: pytest's summary stays the last thing printed.
        with infrastructure(
            state_dir, postgres_port=None, kafka_port=None, say_on_stop=_quiet, harness=True
        ) as (cluster, broker):
            env = {
                **os.environ,
                "KOTA_TEST_POSTGRES_URL": cluster.url(),
                "KOTA_TEST_KAFKA_DIR": str(broker.data_dir),
            }
            return subprocess.run(
                [sys.executable, "-m", "pytest", *pytest_args], cwd=REPO, env=env, check=False
            ).returncode
    finally:
        shutil.rmtree(state_dir, ignore_errors=True)


def _lint() -> int:
    packages = [arg for name in LINTED_PACKAGES for arg in ("-p", name)]
    for command in (
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy", *packages],
    ):
        print("$", " ".join(command), flush=True)
        code = subprocess.run([sys.executable, "-m", *command], cwd=REPO, check=False).returncode
        if code != 0:
            return code
    return 0


def _new_service(name: str) -> int:
    try:
        written = scaffold.new_service(name, REPO)
    except scaffold.ScaffoldError as exc:
        print(f"kota new-service: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"  wrote {path.relative_to(REPO)}")
    print(f"next: `uv sync`, then `uv run kota test svc-{name}/tests`; `kota up` starts it.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kota", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("up", "start the whole suite"), ("down", "stop `kota up`")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--state-dir", type=Path, default=REPO / ".kota" / "run")
        command.add_argument(
            "--port-base", type=int, default=8000, help="gateway port; services follow"
        )
        command.add_argument("--postgres-port", type=int, default=54329)
        command.add_argument("--kafka-port", type=int, default=9092)
    commands.add_parser("compose", help="render docker-compose.yml from the service registry")
    messages_command = commands.add_parser(
        "messages", help="extract messages into each package's Indonesian catalogue"
    )
    messages_command.add_argument(
        "--check", action="store_true", help="only list untranslated or stale messages"
    )
    messages_command.add_argument(
        "--package", action="append", help="only this package (e.g. permits); repeatable"
    )
    scaffold_command = commands.add_parser(
        "new-service", help="scaffold a service in the house shape, declared everywhere"
    )
    scaffold_command.add_argument("name", help="lower-case letters and digits, e.g. 'parking'")
    test_command = commands.add_parser("test", help="lint and run every test")
    test_command.add_argument("--no-lint", action="store_true", help="skip ruff and mypy")
    test_command.add_argument("--lint-only", action="store_true", help="only ruff and mypy")
    args, rest = parser.parse_known_args(argv)
    if args.command == "test":
        return test(rest, lint=not args.no_lint, lint_only=args.lint_only)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.command == "compose":
        changed = compose.write()
        print(f"{compose.COMPOSE_FILE.name} {'rewritten' if changed else 'already up to date'}")
        return 0
    if args.command == "messages":
        return messages.main(check=args.check, only=args.package)
    if args.command == "new-service":
        return _new_service(args.name)
    layout = Layout(
        state_dir=args.state_dir.resolve(),
        port_base=args.port_base,
        postgres_port=args.postgres_port,
        kafka_port=args.kafka_port,
    )
    return up(layout) if args.command == "up" else down(layout)


if __name__ == "__main__":
    sys.exit(main())
