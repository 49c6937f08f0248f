"""The PostgreSQL and Kafka the run uses: named by the environment, or started here for it."""

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .config import REPO, STATE_DIR, log


@dataclass(frozen=True)
class Infrastructure:
    """Where the run's PostgreSQL and Kafka are, and whether the bench started them."""

    postgres_url: str  # superuser, maintenance database
    kafka: str
    started_here: bool
    # The servers' process trees by name ("postgres", "kafka"): known, and their CPU
    # counted, only when the bench started them.
    server_pids: dict[str, int] = field(default_factory=dict)


def kafka_version() -> str | None:
    pom = REPO / "devtools" / "kafka" / "pom.xml"
    found = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", pom.read_text())
    return found.group(1) if found else None


@contextlib.contextmanager
def infrastructure() -> Iterator[Infrastructure]:
    """The servers named by the environment, or a PostgreSQL and a Kafka of our own."""
    postgres_url = os.environ.get("KOTA_BENCH_POSTGRES_URL")
    kafka = os.environ.get("KOTA_BENCH_KAFKA")
    if postgres_url or kafka:
        if not (postgres_url and kafka):
            raise SystemExit("set both KOTA_BENCH_POSTGRES_URL and KOTA_BENCH_KAFKA, or neither")
        yield Infrastructure(postgres_url=postgres_url, kafka=kafka, started_here=False)
        return

    from kota_dev import kafka as kafka_dev
    from kota_dev import postgres as postgres_dev

    # Leftovers of an interrupted run must stop before their data directories go.
    kafka_dev.stop_broker_at(STATE_DIR / "kafka")
    if (STATE_DIR / "postgres" / "postmaster.pid").is_file():
        postgres_dev.stop_cluster(postgres_dev.PostgresCluster(STATE_DIR / "postgres", port=0))
    shutil.rmtree(STATE_DIR, ignore_errors=True)
    cache_dir = Path(os.environ.get("KOTA_CACHE_DIR", REPO / ".kota" / "cache"))

    log("starting PostgreSQL and Kafka in %s", STATE_DIR)
    cluster = postgres_dev.start_cluster(STATE_DIR / "postgres")
    try:
        broker = kafka_dev.start_broker(STATE_DIR / "kafka", cache_dir=cache_dir)
        try:
            # The postmaster's tree: its live backends, and those it has reaped.
            pids = {"postgres": int((cluster.data_dir / "postmaster.pid").read_text().split()[0])}
            if broker.process:
                pids["kafka"] = broker.process.pid
            yield Infrastructure(
                postgres_url=cluster.url(),
                kafka=broker.bootstrap_servers,
                started_here=True,
                server_pids=pids,
            )
        finally:
            log("stopping Kafka")
            kafka_dev.stop_broker(broker)
    finally:
        log("stopping PostgreSQL")
        postgres_dev.stop_cluster(cluster)
    # Reached only after a clean run: a failed one leaves its servers' logs to read.
    shutil.rmtree(STATE_DIR, ignore_errors=True)
