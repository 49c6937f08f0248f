"""A parcels consumer in a process of its own, for fault runs that SIGKILL it.

``python -m kota_dev.faults.consumer_process DB KAFKA GROUP TOPIC [--die-after-first-apply]``
(see `kota_dev.faults.load.spawn_consumer`): with the flag it SIGKILLs itself once its first
effect has committed, before the offset has.
"""

import asyncio
import os
import signal
import sys

from kota_dev.faults.parcels import TABLES, ParcelScanned, record_scan
from kota_shared.db import create_engine, create_sessionmaker
from kota_shared.events.consumer import EventConsumer, on


def _die(_event: object) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


async def main(
    database_url: str, bootstrap_servers: str, group: str, topic: str, *flags: str
) -> None:
    consumer = EventConsumer(
        name=group,
        topics=[topic],
        bootstrap_servers=bootstrap_servers,
        sessionmaker=create_sessionmaker(create_engine(database_url)),
        tables=TABLES,
        context=lambda session: session,
        subscriptions=[on(ParcelScanned, record_scan)],
        after_apply=_die if "--die-after-first-apply" in flags else None,
    )
    await consumer.run()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
