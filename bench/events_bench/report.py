"""The report: one JSON document with the machine, the parameters, the results, the goals.

Goals (from the issue): p99 ≤ 50 ms at 1,000 events/s; relay ≥ 0.3x raw aiokafka.
"""

import argparse
from typing import Any

from benchkit.machine import MachineLoad, machine_report

from kota_shared.events.topics import DEFAULT_PARTITIONS

from .servers import Infrastructure, kafka_version

# How to read the figures; part of every report.
NOTES = (
    "Latency is wall clock (time.time()) on one machine: outbox = handler entry minus "
    "the moment the writer's commit returned; raw = record read minus the moment "
    "send() was called. Warm-up events are excluded; lost counts measured events "
    "never seen by the consumer.",
    "The writer and its OutboxRelay share one process and event loop, as in a service; "
    "the consumer runs in a second process so that it does not compete with them for "
    "the loop (the consuming service is another process in production too).",
    "The writer is open-loop: event i is due at start + i/rate whatever earlier ones "
    "took, up to writer_concurrency transactions in flight; each is one transaction "
    "with a state row and an outbox row, inside a tracing span so events carry "
    "traceparent as a service's do. Events due while max_backlog_s worth of events "
    "wait to start are skipped (skipped_as_unsustainable; rate_sustained is then "
    "false): the machine could not produce the rate, and the run keeps its length.",
    "stages: relay pickup is the outbox row's published_at (now() of the relay's "
    "transaction); commit_to_handler_committed is when the consumer's transaction "
    "(inbox row + effect) committed.",
    "Raw aiokafka: AIOKafkaProducer(enable_idempotence=True) (acks=all), otherwise "
    "defaults; consumer group with manual commits and read_committed, as EventConsumer. "
    "Same CloudEvent bytes, keys and headers as the outbox sends.",
    "Relay throughput is timed from OutboxRelay.start() (producer connect included) "
    "until the last row has published_at; raw throughput from the first send() to the "
    "last acknowledgement, after producer.start().",
    "A bench-started PostgreSQL runs with fsync=off and synchronous_commit=off (the "
    "dev/test settings of kota_dev.postgres), so commits are cheaper than in production.",
    "Everything (PostgreSQL, Kafka, writer, consumer) shares the machine's CPUs; other "
    "work on the machine (see load_average_* and cpu_pressure_*) disturbs the numbers. "
    "cpu.ms_per_event divides each party's CPU time during a fixed-rate run (drain "
    "included) by the events sent; postgres and kafka only when the bench started them; "
    "machine_busy_pct counts every process on the machine.",
)


# What is on an event's path: their versions are reported.
LIBRARIES = ("aiokafka", "sqlalchemy", "asyncpg", "pydantic")


def report(
    *,
    args: argparse.Namespace,
    infra: Infrastructure,
    postgres_version: str,
    kota: dict[str, Any],
    raw: dict[str, Any],
    throughput: dict[str, Any] | None,
    machine_before: MachineLoad,
) -> dict[str, Any]:
    """The JSON document: what ran, on what, the three measurements, the goals, the notes."""
    p99 = kota.get("p99_ms")
    ratio = throughput["ratio"] if throughput else None
    return {
        "bench": "events",
        "machine": {
            **machine_report(
                before=machine_before,
                servers={"kafka": kafka_version(), "postgres": postgres_version},
                libraries=LIBRARIES,
            ),
            "infrastructure": "started by the bench" if infra.started_here else "from environment",
        },
        "params": {
            "rate_per_s": args.rate,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "relay_events": args.relay_events,
            "relay_batch_size": args.relay_batch_size,
            "writer_concurrency": args.pool_size,
            "max_backlog_s": args.max_backlog,
            "partitions": DEFAULT_PARTITIONS,
        },
        "latency_at_rate": {"kota_outbox": kota, "raw_aiokafka": raw},
        "max_throughput": throughput,
        "goals": {
            "p99_ms_le_50": p99 is not None and p99 <= 50 and kota["lost"] == 0,
            "relay_ratio_ge_0_3": ratio is not None and ratio >= 0.3,
        },
        "notes": list(NOTES),
    }
