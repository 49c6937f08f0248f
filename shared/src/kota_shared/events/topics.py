"""Create the topics a component uses before it uses them (idempotent)."""

import contextlib
import logging

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

_log = logging.getLogger(__name__)
DEFAULT_PARTITIONS = 3


async def ensure_topics(
    bootstrap_servers: str, topics: list[str], *, partitions: int = DEFAULT_PARTITIONS
) -> None:
    """Without this, a consumer that starts before the first publish waits for a metadata
    refresh (minutes) before it sees the topic appear."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    try:
        await admin.start()
        existing = set(await admin.list_topics())
        missing = [t for t in topics if t not in existing]
        if not missing:
            return
        # Another process may create one between our list and our create: that is fine.
        with contextlib.suppress(TopicAlreadyExistsError):
            await admin.create_topics(
                [NewTopic(name=t, num_partitions=partitions, replication_factor=1) for t in missing]
            )
        _log.info("created topics %s", missing)
    finally:
        await admin.close()
