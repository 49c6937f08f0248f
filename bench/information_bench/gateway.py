"""The gateway, for identity's contact API (``POST /v1/identity/contacts:lookup``), which the
dispatcher asks for each batch's phone numbers: its own database, migrated by the benchmark
and given the sample's accounts, and the information service's agency client from its
settings (``GATEWAY_BOOTSTRAP_CLIENTS``, ``identity:contacts:read``), as a deployment has it.

Its rate limits stay on (their cost is part of each lookup), with the ``write`` class (a
lookup is a POST, counted per client) raised out of the way: at the default 60 a minute, one
client's lookups of 50 numbers would hold the dispatcher at 50 sends a second."""

import asyncio
import json
import secrets
from pathlib import Path

from events_bench.servers import Infrastructure

from kota_shared.migrations import upgrade_to_head

FACTORY = "kota_gateway.main:create_app"
INFORMATION_CLIENT_ID = "information"
UNREFUSED = "100000000/minute"


def client_secret() -> str:
    return secrets.token_urlsafe(32)


async def migrate(database_url: str) -> None:
    await asyncio.to_thread(upgrade_to_head, "kota_gateway:migrations", database_url)


def settings(
    *,
    infra: Infrastructure,
    database_url: str,
    port: int,
    key_dir: Path,
    secret: str,
    log_level: str,
) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}"
    information = {
        "client_id": INFORMATION_CLIENT_ID,
        "agency": "Kota LIVE information (benchmark)",
        "secret": secret,
        "scopes": ["identity:contacts:read"],
    }
    return {
        "database_url": database_url,
        "kafka_bootstrap_servers": infra.kafka,
        "migrate_on_start": "false",
        "signing_key_dir": str(key_dir),
        "token_issuer": url,
        "jwks_url": f"{url}/.well-known/jwks.json",
        "upstreams": "{}",
        "rate_limits": json.dumps({"auth": "60/minute", "read": UNREFUSED, "write": UNREFUSED}),
        "bootstrap_clients": json.dumps([information]),
        "log_level": log_level,
    }
