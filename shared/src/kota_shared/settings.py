"""The settings every service reads from its environment (one subclass per service, own prefix)."""

from zoneinfo import ZoneInfo

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Base for each service's settings; a subclass sets `env_prefix` (e.g. ``PERMITS_``).

    Defaults match the local suite that ``kota up`` starts, so a developer can run one
    service by hand without exporting anything.
    """

    model_config = SettingsConfigDict(env_nested_delimiter="__", extra="ignore")

    service_name: str
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:54329/postgres"
    database_pool_size: int = Field(default=10, ge=1)
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    jwks_url: str = "http://127.0.0.1:8000/.well-known/jwks.json"
    token_issuer: str = "http://127.0.0.1:8000"  # noqa: S105 - a URL, not a secret
    token_audience: str = "kota-live"  # noqa: S105 - an audience name
    log_level: str = "INFO"
    migrate_on_start: bool = True
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    task_unhealthy_after_seconds: float = Field(
        default=180.0,
        gt=0,
        description="How long a background task (relay, consumer, sweep) may keep failing "
        "and being restarted before /livez fails, so the orchestrator restarts the process. "
        "Outages of PostgreSQL or Kafka are waited out and never count.",
    )
    timezone: ZoneInfo = Field(
        default=ZoneInfo("Asia/Jakarta"),
        description="The city's time zone (WIB, WITA or WIT): what a local date means, such as "
        "today for a clinic visit or the last day of a registration period.",
    )
