"""The suite's processes: which services exist, their ports, and the environment each gets."""

import base64
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kota_contracts import family_cards
from kota_contracts import services as registry
from kota_contracts.services import ServiceDeclaration
from kota_dev import kafka, postgres


@dataclass(frozen=True)
class Service:
    """A process of the local suite: a declared service (`kota_contracts.services`) or a
    simulator of an outside party, with how ``kota up`` starts it."""

    name: str
    """The service's name: its database, role, URL prefix and settings prefix."""
    port_offset: int
    package: str
    """Its Python package (``main:create_app``, ``seed``)."""
    seeds_demo_data: bool = False
    has_database: bool = True
    starts_after: tuple[str, ...] = ()
    """Services that must answer ``/readyz`` before this one starts (its lifespan) and serves;
    ``kota up`` starts its process with the others' and holds it once its code is imported."""

    @classmethod
    def declared(cls, declaration: ServiceDeclaration, **options: Any) -> "Service":
        return cls(
            name=declaration.name,
            port_offset=declaration.port_offset,
            package=declaration.package,
            seeds_demo_data=declaration.seeds_demo_data,
            **options,
        )

    @property
    def env_prefix(self) -> str:
        return f"{self.name.upper()}_"

    @property
    def app(self) -> str:
        return f"{self.package}.main:create_app"


SERVICES = tuple(Service.declared(declaration) for declaration in registry.SERVICES)
GATEWAY = Service.declared(
    registry.GATEWAY,
    # It reads each upstream's OpenAPI document once at start, then only every
    # GATEWAY_OPENAPI_REFRESH_SECONDS (60 s): serving sooner, /docs would miss operations.
    starts_after=tuple(service.name for service in SERVICES),
)
PAYSIM = Service("paysim", 90, package="kota_paysim", has_database=False)
"""The payment provider simulator: plays the bank, calling payments back through the gateway.
It needs nothing at start: a callback that finds the gateway not ready is retried. Its port
offset is far from the services', which the registry hands out one after another."""
REGSIM = Service("regsim", 91, package="kota_regsim", has_database=False)
"""The civil registry (Dukcapil) simulator, seeded with a synthetic population; the gateway
calls it as it would Dukcapil's web service, with an agency account made per state dir."""
NOTIFYSIM = Service("notifysim", 92, package="kota_notifysim", has_database=False)
"""The SMS and WhatsApp provider simulator: takes the information service's sends and posts
their signed delivery receipts to it through the gateway. It needs nothing at start either:
a receipt that finds the gateway not ready is retried."""
SMS_RECEIPT_PATH = "/v1/information/receipts/sms"
WHATSAPP_RECEIPT_PATH = "/v1/information/receipts/whatsapp"
"""Where the simulator posts each provider's receipts, on the gateway."""
REGISTRY_INSTITUTION = "PEMKOT_TANGERANG"
REGISTRY_USER_ID = "kota-live-gateway"
GATEWAY_METRICS_OFFSET = 99
"""The gateway's internal metrics listener, from the suite's base port (9099 for `kota up`)."""
STARTED = (REGSIM, *SERVICES, GATEWAY, PAYSIM, NOTIFYSIM)
"""Every process of the suite, stopped in the reverse of this order: the SMS and WhatsApp
simulator and the payment simulator, then the gateway, then what it routes to, then the
registry simulator. They start at once, apart from ``starts_after``."""


@dataclass(frozen=True)
class Layout:
    """Where a running suite keeps its state, and which ports it listens on."""

    state_dir: Path
    port_base: int = 8000
    postgres_port: int = 54329
    kafka_port: int = 9092

    def port(self, service: Service) -> int:
        return self.port_base + service.port_offset

    def url(self, service: Service) -> str:
        return f"http://127.0.0.1:{self.port(service)}"

    @property
    def metrics_port(self) -> int:
        """Where the gateway serves its metrics: never its public port."""
        return self.port_base + GATEWAY_METRICS_OFFSET

    @property
    def logs(self) -> Path:
        return self.state_dir / "logs"

    @property
    def kafka_dir(self) -> Path:
        """The broker's data, and its principals' passwords (`kafka.credentials_at`)."""
        return self.state_dir / "kafka"


DEMO_ADMIN = "admin"


def demo_admin_password(state_dir: Path) -> str:
    """The local suite's first city admin password, made once per state directory."""
    return _state_secret(state_dir, "admin-password")


def _state_secret(state_dir: Path, name: str, *, make: Callable[[], str] | None = None) -> str:
    """A random secret kept in the state directory, so restarts keep using it."""
    path = state_dir / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(make() if make else secrets.token_urlsafe(12))
    return path.read_text()


def _webhook_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and base64 of 24 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


@dataclass(frozen=True)
class NotificationProviders:
    """The simulated SMS and WhatsApp providers' credentials, made once per state directory:
    the simulator checks the key and token and signs its receipts with the secrets, and the
    information service is given the same."""

    sms_api_key: str
    sms_webhook_secret: str
    whatsapp_access_token: str
    whatsapp_webhook_secret: str


def notification_providers(state_dir: Path) -> NotificationProviders:
    return NotificationProviders(
        sms_api_key=_state_secret(state_dir, "sms-api-key"),
        sms_webhook_secret=_state_secret(state_dir, "sms-webhook-secret", make=_webhook_secret),
        whatsapp_access_token=_state_secret(state_dir, "whatsapp-access-token"),
        whatsapp_webhook_secret=_state_secret(
            state_dir, "whatsapp-webhook-secret", make=_webhook_secret
        ),
    )


def database_passwords(state_dir: Path) -> dict[str, str]:
    """One random password per service role, made once per state directory."""
    path = state_dir / "db-passwords.json"
    if path.exists():
        saved: dict[str, str] = json.loads(path.read_text())
        return saved
    passwords = {s.name: secrets.token_urlsafe(18) for s in (GATEWAY, *SERVICES)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(json.dumps(passwords))
    return passwords


def service_environment(
    service: Service,
    *,
    layout: Layout,
    cluster: postgres.PostgresCluster,
    kafka_bootstrap_servers: str,
) -> dict[str, str]:
    """The variables a service reads (its own prefix), pointing at this suite's parts.

    On the suite's secured broker each service connects as itself: the broker lets it write
    its own topic and read those it consumes, and nothing else.
    """
    gateway_url = layout.url(GATEWAY)
    # Standard Webhooks secret shared by the simulated provider and payments.
    provider_secret = _state_secret(
        layout.state_dir, "provider-webhook-secret", make=_webhook_secret
    )
    registry_password = _state_secret(layout.state_dir, "registry-password")
    if service is REGSIM:
        account = {
            "password": registry_password,
            "institution": REGISTRY_INSTITUTION,
            "ips": ["127.0.0.1"],
            "daily_quota": 100_000,
        }
        return {"REGSIM_ACCOUNTS": json.dumps({REGISTRY_USER_ID: account})}
    if service is PAYSIM:
        return {
            "PAYSIM_CALLBACK_URL": f"{gateway_url}/v1/payments/callbacks/settlements",
            "PAYSIM_WEBHOOK_SECRET": provider_secret,
        }
    if service is NOTIFYSIM:
        providers = notification_providers(layout.state_dir)
        return {
            "NOTIFYSIM_SMS_API_KEY": providers.sms_api_key,
            "NOTIFYSIM_SMS_WEBHOOK_SECRET": providers.sms_webhook_secret,
            "NOTIFYSIM_SMS_RECEIPT_URL": gateway_url + SMS_RECEIPT_PATH,
            "NOTIFYSIM_WHATSAPP_ACCESS_TOKEN": providers.whatsapp_access_token,
            "NOTIFYSIM_WHATSAPP_WEBHOOK_SECRET": providers.whatsapp_webhook_secret,
            "NOTIFYSIM_WHATSAPP_RECEIPT_URL": gateway_url + WHATSAPP_RECEIPT_PATH,
        }
    password = database_passwords(layout.state_dir)[service.name]
    database_url = postgres.ensure_database(
        cluster, name=service.name, owner=service.name, password=password
    )
    env = {
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap_servers,
        "JWKS_URL": f"{gateway_url}/.well-known/jwks.json",
        "TOKEN_ISSUER": gateway_url,
    }
    kafka_passwords = kafka.credentials_at(layout.kafka_dir)
    if kafka_passwords:
        env["KAFKA_SECURITY_PROTOCOL"] = "SASL_PLAINTEXT"
        env["KAFKA_SASL_MECHANISM"] = "SCRAM-SHA-512"
        env["KAFKA_USERNAME"] = service.name
        env["KAFKA_PASSWORD"] = kafka_passwords[service.name]
    if service is GATEWAY:
        env["UPSTREAMS"] = json.dumps({s.name: layout.url(s) for s in SERVICES})
        env["SIGNING_KEY_DIR"] = str(layout.state_dir / "gateway-keys")
        env["METRICS_PORT"] = str(layout.metrics_port)
        env["FIRST_ADMIN_USERNAME"] = DEMO_ADMIN
        env["FIRST_ADMIN_PASSWORD"] = demo_admin_password(layout.state_dir)
        env["REGISTRY_URL"] = layout.url(REGSIM)
        env["REGISTRY_INSTITUTION"] = REGISTRY_INSTITUTION
        env["REGISTRY_USER_ID"] = REGISTRY_USER_ID
        env["REGISTRY_PASSWORD"] = registry_password
        env["BOOTSTRAP_CLIENTS"] = json.dumps([information_client(layout.state_dir)])
    if service.name == "permits":
        secret = _state_secret(layout.state_dir, "permits-verification-secret")
        env["VERIFICATION_SECRETS"] = json.dumps([secret])
        env["DOCUMENTS_LOCATION"] = str(layout.state_dir / "permits-documents")
        env["PUBLIC_BASE_URL"] = gateway_url
    if service.name == "education":
        env["FAMILY_CARD_URL"] = gateway_url + family_cards.PATH
    if service.name == "payments":
        env["CALLBACK_SECRETS"] = json.dumps([provider_secret])
    if service.name == "monitoring":
        # The dashboard's sign-in form is posted to monitoring, which signs in at the gateway.
        env["GATEWAY_URL"] = gateway_url
        env["DASHBOARD_SECRET_KEY"] = _state_secret(layout.state_dir, "monitoring-dashboard-key")
        # Every process with a database, and its metrics (the gateway's on its own listener).
        env["READINESS_URLS"] = json.dumps({s.name: layout.url(s) for s in (GATEWAY, *SERVICES)})
        env["METRICS_URLS"] = json.dumps(
            {s.name: f"{layout.url(s)}/metrics" for s in SERVICES}
            | {GATEWAY.name: f"http://127.0.0.1:{layout.metrics_port}/metrics"}
        )
    if service.name == "information":
        env.update(_information_delivery(layout))
    return {service.env_prefix + key: value for key, value in env.items()}


INFORMATION_CLIENT_ID = "information"
NOTIFYSIM_PHONE_NUMBER_ID = "109876543210001"
"""The simulated WhatsApp business number's id (the simulator's default)."""


def information_client(state_dir: Path) -> dict[str, object]:
    """The agency client the gateway provisions at start for the information service, which
    reads a citizen's phone number with it just before a send (``identity:contacts:read``)."""
    return {
        "client_id": INFORMATION_CLIENT_ID,
        "agency": "Kota LIVE information",
        "secret": _state_secret(state_dir, "information-client-secret", make=_long_secret),
        "scopes": ["identity:contacts:read"],
    }


def _long_secret() -> str:
    return secrets.token_urlsafe(32)


def _information_delivery(layout: Layout) -> dict[str, str]:
    """Information's providers: the simulator's SMS gateway and WhatsApp Cloud API, the
    receipts' secrets, and its client at the gateway for the citizens' phone numbers."""
    providers = notification_providers(layout.state_dir)
    simulator = layout.url(NOTIFYSIM)
    return {
        "GATEWAY_URL": layout.url(GATEWAY),
        "CONTACTS_CLIENT_ID": INFORMATION_CLIENT_ID,
        "CONTACTS_CLIENT_SECRET": str(information_client(layout.state_dir)["secret"]),
        "SMS_GATEWAY_URL": simulator,
        "SMS_GATEWAY_API_KEY": providers.sms_api_key,
        "SMS_RECEIPT_SECRETS": json.dumps([providers.sms_webhook_secret]),
        "WHATSAPP_API_URL": f"{simulator}/whatsapp",
        "WHATSAPP_PHONE_NUMBER_ID": NOTIFYSIM_PHONE_NUMBER_ID,
        "WHATSAPP_ACCESS_TOKEN": providers.whatsapp_access_token,
        "WHATSAPP_RECEIPT_SECRETS": json.dumps([providers.whatsapp_webhook_secret]),
        "NUMBER_HASH_KEY": _state_secret(layout.state_dir, "information-number-hash-key"),
        "PUBLIC_FEED_URL": f"{layout.url(GATEWAY)}/v1/information/feed",
    }
