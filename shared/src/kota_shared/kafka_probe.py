"""Kafka readiness: a real metadata round trip through one long-lived admin client."""

from typing import Any

from aiokafka.admin import AIOKafkaAdminClient


class KafkaProbe:
    def __init__(self, bootstrap_servers: str) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._admin: Any = None

    async def check(self) -> dict[str, Any]:
        if self._admin is None:
            admin = AIOKafkaAdminClient(
                bootstrap_servers=self._bootstrap_servers, request_timeout_ms=2000
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
