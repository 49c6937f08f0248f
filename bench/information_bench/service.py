"""The information service's settings in its two runs, on the same database: fanning out
with no provider (messages are planned and wait, as they do in a deployment whose providers
are not configured), then dispatching with the SMS provider pointed at the simulator and its
contacts read from the gateway."""

import json
import secrets

from events_bench.servers import Infrastructure

from kota_shared.testing.tokens import TestSigner

from .gateway import INFORMATION_CLIENT_ID
from .notifysim import Simulator

FACTORY = "information.main:create_app"
RECEIPTS_PATH = "/v1/information/receipts/sms"


def fan_out_settings(
    *,
    infra: Infrastructure,
    database_url: str,
    jwks_url: str,
    signer: TestSigner,
    chunk: int,
    log_level: str,
) -> dict[str, str]:
    return {
        "database_url": database_url,
        "kafka_bootstrap_servers": infra.kafka,
        "jwks_url": jwks_url,
        "token_issuer": signer.issuer,
        "token_audience": signer.audience,
        "migrate_on_start": "false",  # migrated by the benchmark, before the directory
        "announcement_fan_out_chunk": str(chunk),
        "log_level": log_level,
    }


def dispatch_settings(
    fan_out: dict[str, str],
    *,
    simulator: Simulator,
    gateway_url: str,
    client_secret: str,
    sends_per_second: float,
    concurrency: int,
    batch_size: int,
) -> dict[str, str]:
    return {
        **fan_out,
        "sms_gateway_url": simulator.app.url,
        "sms_gateway_api_key": simulator.api_key,
        "sms_receipt_secrets": json.dumps([simulator.webhook_secret]),
        "gateway_url": gateway_url,
        "contacts_client_id": INFORMATION_CLIENT_ID,
        "contacts_client_secret": client_secret,
        "number_hash_key": secrets.token_urlsafe(32),
        # Far above what one dispatcher reaches: the bucket never holds a send back.
        "sms_sends_per_second": str(sends_per_second),
        "dispatch_concurrency": str(concurrency),
        "dispatch_batch_size": str(batch_size),
    }
