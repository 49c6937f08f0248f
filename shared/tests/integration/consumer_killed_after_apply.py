"""A parcels consumer that SIGKILLs itself after its first effect commits, before the offset.

Run as a script by the crash test: ``python consumer_killed_after_apply.py DB KAFKA GROUP TOPIC``.
"""

import asyncio
import os
import signal
import sys

from sqlalchemy.ext.asyncio import create_async_engine

from kota_shared.db import create_sessionmaker
from kota_shared.events.consumer import EventConsumer
from parcels import TABLES, ParcelScanned, record_scan


async def main(database_url: str, bootstrap_servers: str, group: str, topic: str) -> None:
    consumer = EventConsumer(
        name=group,
        topics=[topic],
        bootstrap_servers=bootstrap_servers,
        sessionmaker=create_sessionmaker(create_async_engine(database_url)),
        tables=TABLES,
        handlers={ParcelScanned: record_scan},
        after_apply=lambda _event: os.kill(os.getpid(), signal.SIGKILL),
    )
    await consumer.start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
