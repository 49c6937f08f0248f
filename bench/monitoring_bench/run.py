"""The run: the log loaded, the baselines, the rebuild, the API, freshness, then the report."""

import argparse
import random
import uuid
from datetime import UTC, date, datetime
from typing import Any

from benchkit.machine import MachineLoad
from events_bench.servers import Infrastructure
from gateway_bench.processes import Children

from kota_contracts import permits
from kota_shared.events.published_schemas import PublishedSchemas
from kota_shared.events.topics import DEFAULT_PARTITIONS, ensure_topics
from kota_shared.testing.tokens import TestSigner, serve_jwks
from monitoring.config import MonitoringSettings

from . import databases, raw
from .api import api_latency, app_process, endpoints, log_warnings
from .config import log
from .freshness import freshness
from .ingest import ingestion, profiled_ingestion
from .log import publish
from .report import report
from .synthetic import SEASON_MONTHS, city, scale_for


def admission_year(today: date) -> int:
    """The admission year of the latest season that has begun: the one the dashboard shows."""
    return today.year if today.month >= SEASON_MONTHS[0] else today.year - 1


async def run(
    args: argparse.Namespace, infra: Infrastructure, children: Children
) -> dict[str, Any]:
    run_id = uuid.uuid4().hex[:8]
    machine_before = MachineLoad.now()
    settings = MonitoringSettings()
    watched = list(settings.watched_topics)
    # On servers of our own, the real topics and the first generation, as a deployment has;
    # on shared ones, topics and a consumer group of the run's own.
    if infra.started_here:
        topics, generation = {t: t for t in watched}, 1
    else:
        topics = {t: f"{t}.bench-{run_id}" for t in watched}
        generation = random.randint(1_000, 999_999)
    used_topics = list(topics.values())
    dbs = databases.Databases(infra.postgres_url, run_id)
    try:
        postgres_version = await dbs.server_version()
        await ensure_topics(infra.kafka, used_topics)

        end = datetime.now(UTC).replace(microsecond=0)
        scale = scale_for(args.events, end=end, days=args.days, seed=args.seed)
        log("log: publishing about %d events of %d days up to %s", args.events, args.days, end)
        log_figures = await publish(
            infra.kafka,
            topics,
            city(end=end, days=args.days, scale=scale, seed=args.seed),
            expected=args.events,
        )
        log_figures = {"days": args.days, "until": end.isoformat(), **log_figures}

        log("raw json baseline: reading %d events", log_figures["events"])
        raw_json = await raw.consume(
            infra.kafka, used_topics, group=f"bench.raw-json.{run_id}", schemas=None
        )
        envelope = None
        if not args.skip_envelope_baseline:
            log("envelope baseline: reading %d events", log_figures["events"])
            envelope = await raw.consume(
                infra.kafka,
                used_topics,
                group=f"bench.envelope.{run_id}",
                schemas=PublishedSchemas.from_directory(settings.event_schemas_dir),
            )

        url = await dbs.create("monitoring")
        log("ingestion: rebuilding the read models from %d events", log_figures["events"])
        ingested = await ingestion(infra, url, used_topics, generation)
        log(
            "ingestion: %d events applied in %.1f s: %.0f events/s",
            ingested["applied"],
            ingested["seconds"],
            ingested["events_per_s"],
        )
        at_size = await databases.sizes(url)

        profile = None
        if args.profile:
            profiled_url = await dbs.create("profiled")
            profile = await profiled_ingestion(
                infra, profiled_url, used_topics, generation + 1, top=args.profile_top
            )

        api: dict[str, Any] | None = None
        fresh = app_log = None
        if not args.skip_app:
            signer = TestSigner()
            today = datetime.now(settings.timezone).date()
            with (
                serve_jwks(signer) as jwks_url,
                app_process(
                    children,
                    infra=infra,
                    database_url=url,
                    topics=used_topics,
                    generation=generation,
                    jwks_url=jwks_url,
                    signer=signer,
                    log_level=args.log_level,
                ) as app,
            ):
                api = {}
                for connections in args.connections:
                    api[f"connections_{connections}"] = await api_latency(
                        app,
                        signer,
                        endpoints(today, admission_year(today)),
                        requests=args.requests,
                        connections=connections,
                        warmup=args.api_warmup,
                        server_pids=infra.server_pids,
                    )
                if args.fresh_duration > 0:
                    log(
                        "freshness: %g events/s for %g s through the live consumer",
                        args.fresh_rate,
                        args.fresh_duration,
                    )
                    fresh = await freshness(
                        app,
                        signer,
                        kafka=infra.kafka,
                        topic=topics[permits.TOPIC],
                        partitions=DEFAULT_PARTITIONS,
                        run_id=run_id,
                        rate=args.fresh_rate,
                        duration=args.fresh_duration,
                        warmup=args.fresh_warmup,
                        poll_interval=args.poll_interval,
                        settle=args.fresh_timeout,
                        timezone=settings.timezone,
                    )
            app_log = log_warnings(app.log_path)
    finally:
        if not infra.started_here:
            await dbs.drop_all()
    return report(
        args=args,
        infra=infra,
        postgres_version=postgres_version,
        machine_before=machine_before,
        setup={"topics": used_topics, "read_models_generation": generation, "scale": scale},
        log_figures=log_figures,
        raw=raw_json,
        envelope=envelope,
        ingestion=ingested,
        at_size=at_size,
        api=api,
        fresh=fresh,
        app_log=app_log,
        profile=profile,
    )
