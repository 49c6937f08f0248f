"""Settings of the monitoring service (environment prefix ``MONITORING_``)."""

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from kota_contracts.services import EVERY_SERVICE, SERVICES, declared, local_suite_url
from kota_shared.events.published_schemas import REPOSITORY_CATALOGUE
from kota_shared.settings import ServiceSettings
from monitoring.districts import KOTA_TANGERANG


class MonitoringSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MONITORING_")

    service_name: str = "monitoring"
    watched_topics: list[str] = Field(
        default=list(declared("monitoring").consumes),
        description="Every topic whose events feed the read models (by default, those the "
        "service registry says monitoring consumes).",
    )
    read_models_generation: int = Field(
        default=1,
        ge=1,
        description="Which generation of the read models this database holds: the consumer "
        "that keeps them is `monitoring.read-models.g<generation>`. A rebuild "
        "(`python -m monitoring.rebuild`) builds the next generation into a fresh database; "
        "the service is then started on that database with this set to it "
        "(docs/monitoring.md#rebuilding-the-read-models).",
    )
    alert_sweep_seconds: float = Field(
        default=60.0,
        gt=0,
        description="How often open applications are checked against their stages' 80 % "
        "and deadline instants, to raise their alerts.",
    )
    readiness_urls: dict[str, str] = Field(
        default_factory=lambda: {s.name: local_suite_url(s) for s in EVERY_SERVICE},
        description="Service name → base URL whose `/readyz` is polled (by default, where "
        "the local suite runs every service).",
    )
    metrics_urls: dict[str, str] = Field(
        default_factory=lambda: {s.name: f"{local_suite_url(s)}/metrics" for s in SERVICES},
        description="Service name → its Prometheus `/metrics` URL, read for its outbox "
        "backlog (`kota_outbox_backlog`). The gateway's metrics are on an internal listener "
        "of their own (GATEWAY_METRICS_PORT), so a deployment adds it here.",
    )
    system_probe_seconds: float = Field(
        default=15.0, gt=0, description="How often readiness, lag and dead letters are read."
    )
    not_ready_alert_seconds: float = Field(
        default=300.0,
        ge=0,
        description="How long a service may stay not ready before it is alerted "
        "(`monitoring.service.not_ready.v1`).",
    )
    consumer_lag_threshold: int = Field(
        default=1000,
        ge=1,
        description="Records a consumer group may be behind before it is alerted "
        "(`monitoring.consumer.lagging.v1`).",
    )
    event_schemas_dir: Path = Field(
        default=REPOSITORY_CATALOGUE,
        description="The published event schemas (`<type>.json`) that other services' events "
        "are held to, since monitoring has none of their models; an event of a type with no "
        "schema here, or whose data breaks it, is dead-lettered and not counted. The default "
        "is the repository's `schemas/events`, for running from a checkout; a deployment sets "
        "MONITORING_EVENT_SCHEMAS_DIR to where its image ships them.",
    )
    gateway_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Where monitoring reaches the gateway when an official signs in to the "
        "dashboard: the form is posted to monitoring, which exchanges the name and password "
        "for tokens at the gateway's `POST /v1/auth/token` (its internal address, "
        "`http://gateway:8000` in compose).",
    )
    forward_client_address: bool = Field(
        default=False,
        description="At sign-in, pass the browser's address (the `X-Forwarded-For` the "
        "gateway gave monitoring) on to the gateway, so it counts failed sign-ins per "
        "browser. Set it only where the gateway lists monitoring's address in "
        "`GATEWAY_TRUSTED_PROXIES`; otherwise the gateway ignores the header and counts every "
        "dashboard sign-in as coming from monitoring (docs/dashboard.md#signing-in).",
    )
    dashboard_secret_key: SecretStr | None = Field(
        default=None,
        description="Signs the dashboard's CSRF tokens. Unset: a random key at each start, "
        "so a form opened before a restart, or served by another replica, is refused once. "
        "Set the same long random value on every replica.",
    )
    dashboard_secure_cookies: bool = Field(
        default=False,
        description="Always mark the dashboard's cookies `Secure`. Otherwise they are when "
        "the request came over HTTPS (`X-Forwarded-Proto: https`); set it where TLS ends in "
        "front of the gateway, which then sees plain HTTP.",
    )
    public_minimum_count: int = Field(
        default=5,
        ge=2,
        description="The public page and open data show no count below this (nor a share "
        "or median computed from one): such a cell is written `<5`, so no person can be "
        "singled out.",
    )
    open_data_publisher: str = Field(
        default="Pemerintah Kota Tangerang",
        description="Who publishes the open data (the metadata's `publisher`).",
    )
    city_code: str = Field(
        default="36.71",
        pattern=r"^\d{2}\.\d{2}$",
        description="The city's Kemendagri code (the open data's spatial coverage).",
    )
    city_name: str = Field(default="Kota Tangerang", description="The city's name.")
    districts: dict[str, str] = Field(
        default=KOTA_TANGERANG,
        description="The city's districts (kecamatan): dotted Kemendagri code → name, to "
        "name them on the pages and in the open data's reference codes. The default is Kota "
        "Tangerang's 13.",
    )
