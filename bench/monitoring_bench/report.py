"""The report: one JSON document with the machine, the parameters, the figures, the goals.

Goals (from the issue): read-model ingestion ≥ 2,000 events/s; the dashboard's API p95
≤ 200 ms at that size; an event's effect visible in the API p99 ≤ 5 s at 200 events/s.
"""

import argparse
from typing import Any

from benchkit.machine import MachineLoad, machine_report
from events_bench.servers import Infrastructure, kafka_version

from kota_shared.events.topics import DEFAULT_PARTITIONS

from .config import (
    API_P95_GOAL_MS,
    FRESHNESS_GOAL_RATE,
    FRESHNESS_P99_GOAL_S,
    INGESTION_GOAL_EVENTS_PER_S,
)

LIBRARIES = ("aiokafka", "sqlalchemy", "asyncpg", "pydantic", "fastapi", "uvicorn", "httpx")

NOTES = (
    "The log is one synthetic year of the city (monitoring_bench/synthetic.py), published "
    "before anything is measured; by_type shows its mix. Events are keyed by their "
    "aggregate, the CloudEvent bytes and headers are what the outbox relay sends.",
    "consumption: raw_json and envelope are one plain AIOKafkaConsumer group reading the "
    "same topics from the beginning to the end in the same run (json.loads of each value; "
    "or kota_shared's parse_message with the published schemas, as the read models' "
    "consumer parses before any handler). read_models_rebuild is monitoring.rebuild.rebuild "
    "into a fresh database: events/s = applied / its seconds (the consumer's run, group "
    "join included; seconds_with_migrations adds the migrations).",
    "cpu.ms_per_event: CPU of the rebuilding process (the benchmark's own), and of "
    "PostgreSQL (postmaster and backends) and Kafka when the benchmark started them; cores "
    "= CPU seconds per second of the rebuild.",
    "api: the app runs as deployed (uvicorn, one process) on the rebuilt database; each "
    "endpoint is asked requests_per_endpoint times over `connections` keep-alive "
    "connections (closed loop) with a monitoring viewer's token, after the warm-up; "
    "latency is the client's, wall clock. Periods are the last 365 days of the city. One "
    "run per connections_N: with 1 it is the service time, with more it includes waiting "
    "for the app's one process (the goal is judged at the most connections).",
    "freshness: the app's live consumer (the rebuild's group, so caught up) applies "
    "StepTaken submissions published on an open-loop schedule; each is visible when the "
    "service-levels answer counts it, stamped at that answer's arrival (an upper bound by "
    "one poll). Latency = that stamp - the wall clock before send().",
    "A bench-started PostgreSQL runs with fsync=off and synchronous_commit=off (the dev and "
    "test settings of kota_dev.postgres): commits are cheaper than in production.",
    "Everything (PostgreSQL, Kafka, the rebuild, the app, the load) shares the machine's "
    "CPUs; other work on it (load_average_*, cpu_pressure_*) disturbs the figures.",
)


def goals(
    ingestion: dict[str, Any], api: dict[str, Any] | None, fresh: dict[str, Any] | None
) -> dict[str, Any]:
    """Each goal beside its figure, met or not."""
    rate = ingestion["events_per_s"]
    found: dict[str, Any] = {
        "ingestion_events_per_s_ge_2000": {
            "goal": INGESTION_GOAL_EVENTS_PER_S,
            "measured": rate,
            "met": rate >= INGESTION_GOAL_EVENTS_PER_S and ingestion["dead_lettered"] == 0,
        }
    }
    if api:
        judged = list(api.values())[-1]  # the most connections at once
        worst = judged["worst_p95"]["p95_ms"]
        found["api_p95_ms_le_200"] = {
            "goal": API_P95_GOAL_MS,
            "measured": worst,
            "endpoint": judged["worst_p95"]["endpoint"],
            "connections": judged["connections"],
            "met": worst is not None and worst <= API_P95_GOAL_MS and judged["errors"] == 0,
        }
    if fresh is not None:
        p99 = fresh["publish_to_visible"].get("p99_s")
        found["freshness_p99_s_le_5_at_200_per_s"] = {
            "goal": FRESHNESS_P99_GOAL_S,
            "measured": p99,
            "rate_per_s": fresh["achieved_rate_per_s"],
            "met": p99 is not None
            and p99 <= FRESHNESS_P99_GOAL_S
            and fresh["rate_per_s"] >= FRESHNESS_GOAL_RATE
            and fresh["skipped_as_unsustainable"] == 0
            and fresh["not_visible_within_timeout"] == 0,
        }
    return found


def report(
    *,
    args: argparse.Namespace,
    infra: Infrastructure,
    postgres_version: str,
    machine_before: MachineLoad,
    setup: dict[str, Any],
    log_figures: dict[str, Any],
    raw: dict[str, Any],
    envelope: dict[str, Any] | None,
    ingestion: dict[str, Any],
    at_size: dict[str, Any],
    api: dict[str, Any] | None,
    fresh: dict[str, Any] | None,
    app_log: dict[str, Any] | None,
    profile: dict[str, Any] | None,
) -> dict[str, Any]:
    consumption: dict[str, Any] = {"raw_json": raw}
    if envelope is not None:
        consumption["envelope"] = envelope
    consumption["read_models_rebuild"] = ingestion
    consumption["rebuild_to_raw_json_ratio"] = round(
        ingestion["events_per_s"] / raw["events_per_s"], 4
    )
    if envelope is not None:
        consumption["rebuild_to_envelope_ratio"] = round(
            ingestion["events_per_s"] / envelope["events_per_s"], 4
        )
    return {
        "bench": "monitoring",
        "machine": {
            **machine_report(
                before=machine_before,
                servers={"kafka": kafka_version(), "postgres": postgres_version},
                libraries=LIBRARIES,
            ),
            "infrastructure": "started by the bench" if infra.started_here else "from environment",
        },
        "params": {
            "events_asked": args.events,
            "days": args.days,
            "seed": args.seed,
            "partitions_per_topic": DEFAULT_PARTITIONS,
            "api_requests_per_endpoint": args.requests,
            "api_connections": args.connections,
            "api_warmup_per_endpoint": args.api_warmup,
            "fresh_rate_per_s": args.fresh_rate,
            "fresh_duration_s": args.fresh_duration,
            "fresh_warmup_s": args.fresh_warmup,
            "poll_interval_s": args.poll_interval,
            **setup,
        },
        "log": log_figures,
        "consumption": consumption,
        "read_models_at_size": at_size,
        "api": api,
        "freshness": fresh,
        "app_log_warnings": app_log,
        "rebuild_profile": profile,
        "goals": goals(ingestion, api, fresh),
        "notes": list(NOTES),
    }
