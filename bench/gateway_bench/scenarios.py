"""The run: state cleaned, servers up, checks, the scenarios in turn, the profile, servers down.

Each scenario is measured twice, closed loop at full speed then open loop at half the direct
maximum (or --rate), while the other servers idle; the profiled gateway comes last.
"""

import argparse
import asyncio
import os
import shutil
import signal
from pathlib import Path
from typing import Any

from benchkit.machine import MachineLoad

from .checks import probe
from .config import REPO, STATE_DIR, log
from .measure import Bench
from .micro import micro_benchmarks
from .processes import Children
from .report import report
from .servers import gateway_env, postgres_version, start_gateway, start_nginx, start_service
from .tokens import sign_tokens


def run(args: argparse.Namespace, children: Children) -> dict[str, Any]:
    """Everything, in order, and the report; whatever happens, the servers are stopped."""
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

    machine_before = MachineLoad.now()
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
        micro = asyncio.run(micro_benchmarks(STATE_DIR / "gateway-keys", bench.tokens))

        direct = start_service(
            children=children,
            cluster=cluster,
            broker=broker,
            workers=args.service_workers,
            log_level=args.log_level,
        )
        bench.service_pid = direct.pid
        targets = {"direct": direct}
        versions = {"postgres": postgres_version(), "nginx": None}
        if "nginx" in scenarios:
            targets["nginx"], versions["nginx"] = start_nginx(
                children=children, upstream_port=direct.port, workers=args.workers
            )
        gateway_envs = {}
        for name, limits in (("gateway", True), ("gateway_auth_limits_off", False)):
            if name in scenarios or (name == "gateway" and args.profile_duration > 0):
                port = free_port()
                env = gateway_env(
                    cluster=cluster,
                    name=name,
                    limits=limits,
                    broker=broker,
                    service_port=direct.port,
                    port=port,
                    log_level=args.log_level,
                )
                gateway_envs[name] = env
                targets[name] = start_gateway(
                    children=children, name=name, env=env, port=port, workers=args.workers
                )
        checks = {name: probe(targets[name], token=bench.tokens[0]) for name in scenarios}

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
        machine_before=machine_before,
    )
