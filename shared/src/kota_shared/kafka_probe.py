"""Kafka readiness: a real metadata round trip through one long-lived admin client."""

from typing import Any

from aiokafka.admin import AIOKafkaAdminClient

from kota_shared.events.kafka_security import UNAUTHENTICATED, KafkaSecurity


class KafkaProbe:
    """Asks the broker for its metadata as the service's own principal: a service whose
    credentials the broker refuses is not ready, however well the broker itself is."""

    def __init__(
        self, bootstrap_servers: str, *, security: KafkaSecurity = UNAUTHENTICATED
    ) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._security = security
        self._admin: Any = None

    async def check(self) -> dict[str, Any]:
        if self._admin is None:
            admin = AIOKafkaAdminClient(
                bootstrap_servers=self._bootstrap_servers,
                request_timeout_ms=2000,
                **self._security.client_options(),
            )
            try:
                await admin.start()
            except BaseException:  # a timed-out probe too: never leak its connections
                await admin.close()
                raise
            self._admin = admin
        try:
            cluster = await self._admin.describe_cluster()
        except Exception:
            await self.close()
            raise
        return {"brokers": len(cluster.get("brokers", []))}

    async def close(self) -> None:
        admin, self._admin = self._admin, None
        if admin is not None:
            await admin.close()
