"""Create the topics a component uses before it uses them (idempotent)."""

import logging

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import for_code

from kota_shared.events.kafka_security import UNAUTHENTICATED, KafkaSecurity

_log = logging.getLogger(__name__)
DEFAULT_PARTITIONS = 3

_TOPIC_ALREADY_EXISTS = 36
_NOT_ALLOWED = frozenset({29, 31})  # TOPIC_ and CLUSTER_AUTHORIZATION_FAILED


async def ensure_topics(
    bootstrap_servers: str,
    topics: list[str],
    *,
    partitions: int = DEFAULT_PARTITIONS,
    security: KafkaSecurity = UNAUTHENTICATED,
) -> None:
    """Without this, a consumer that starts before the first publish waits for a metadata
    refresh (minutes) before it sees the topic appear.

    On a broker with ACLs a service may create only the topics of its own namespace (its
    dead-letter topics); the ones it consumes are created by their owner or by the
    deployment's tooling, so being refused one of those is logged and not an error.
    """
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, **security.client_options())
    try:
        await admin.start()
        existing = set(await admin.list_topics())
        missing = [t for t in topics if t not in existing]
        if not missing:
            return
        response = await admin.create_topics(
            [NewTopic(name=t, num_partitions=partitions, replication_factor=1) for t in missing]
        )
        created = []
        for topic, code, *message in response.topic_errors:
            if code == 0:
                created.append(topic)
            elif code in _NOT_ALLOWED:
                _log.warning("not allowed to create topic %s: its owner creates it", topic)
            # Another process may create one between our list and our create: that is fine.
            elif code != _TOPIC_ALREADY_EXISTS:
                raise for_code(code)(f"creating topic {topic}: {' '.join(map(str, message))}")
        if created:
            _log.info("created topics %s", created)
    finally:
        await admin.close()
