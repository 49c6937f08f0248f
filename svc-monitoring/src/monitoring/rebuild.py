"""Rebuild the read models from the log: ``python -m monitoring.rebuild --generation N``.

Replays every watched topic from its beginning into the database ``MONITORING_DATABASE_URL``
(or ``--database-url``), which must be fresh, as generation N of the read models, and stops
once it has caught up with what the topics held when it began. The live service keeps
serving its own database meanwhile; start it on the new one with
``MONITORING_READ_MODELS_GENERATION=N`` and it goes on from where the rebuild stopped (its
consumer group is the rebuild's), so no event is missed or counted twice. Read models that
change shape are rebuilt this way, never migrated by hand.
"""

import argparse
import asyncio
import json
import sys
import time
from dataclasses import asdict, dataclass

from kota_shared import db
from kota_shared.app import event_source
from kota_shared.clock import system_clock
from kota_shared.events.outbox import Outbox
from kota_shared.events.published_schemas import PublishedSchemas
from kota_shared.logging import setup_logging
from kota_shared.migrations import upgrade_to_head
from monitoring import inbox_repository, readmodels
from monitoring.config import MonitoringSettings
from monitoring.db import EVENT_TABLES
from monitoring.main import read_models_consumer, transactions


class NotFresh(Exception):
    """The target database already holds this generation: rebuilding into it would mix two
    replays."""


@dataclass(frozen=True)
class RebuildReport:
    consumer: str
    applied: int
    duplicates: int
    dead_lettered: int
    seconds: float


async def rebuild(settings: MonitoringSettings) -> RebuildReport:
    """Replay the log into ``settings.database_url`` as ``settings.read_models_generation``."""
    schemas = PublishedSchemas.from_directory(settings.event_schemas_dir)
    await asyncio.to_thread(upgrade_to_head, "monitoring:migrations", settings.database_url)
    engine = db.create_engine(settings.database_url, pool_size=2)
    try:
        sessionmaker = db.create_sessionmaker(engine)
        name = readmodels.consumer_name(settings.read_models_generation)
        async with sessionmaker() as session:
            held = await inbox_repository.applied_by(session, name)
        if held:
            raise NotFresh(
                f"{name} has already applied {held} events in this database: rebuild into a "
                "fresh database, or as a new generation"
            )
        outbox = Outbox(tables=EVENT_TABLES, source=event_source(settings.service_name))
        consumer = read_models_consumer(
            settings,
            schemas,
            sessionmaker,
            transactions(outbox, system_clock, settings),
            until_caught_up=True,
        )
        started = time.monotonic()
        await consumer.run()
        return RebuildReport(
            consumer=name,
            applied=consumer.applied,
            duplicates=consumer.duplicates,
            dead_lettered=consumer.dead_lettered,
            seconds=round(time.monotonic() - started, 1),
        )
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m monitoring.rebuild", description=__doc__)
    parser.add_argument("--generation", type=int, required=True, help="the new generation")
    parser.add_argument("--database-url", help="the fresh database (default: from the env)")
    arguments = parser.parse_args(argv)
    overrides: dict[str, object] = {"read_models_generation": arguments.generation}
    if arguments.database_url:
        overrides["database_url"] = arguments.database_url
    settings = MonitoringSettings(**overrides)  # type: ignore[arg-type]
    setup_logging(service=f"{settings.service_name}-rebuild", level=settings.log_level)
    try:
        report = asyncio.run(rebuild(settings))
    except NotFresh as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(asdict(report)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
