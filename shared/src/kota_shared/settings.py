"""The settings every service reads from its environment (one subclass per service, own prefix)."""

from typing import Self
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kota_shared.events.kafka_security import KafkaSecurity, SaslMechanism, SecurityProtocol


class ServiceSettings(BaseSettings):
    """Base for each service's settings; a subclass sets `env_prefix` (e.g. ``PERMITS_``).

    Defaults match the local suite that ``kota up`` starts, so a developer can run one
    service by hand without exporting much: only the Kafka credentials, which ``kota up``
    makes per state directory (``.kota/run/kafka/credentials.json``).
    """

    model_config = SettingsConfigDict(env_nested_delimiter="__", extra="ignore")

    service_name: str
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:54329/postgres"
    database_pool_size: int = Field(default=10, ge=1)
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_security_protocol: SecurityProtocol = Field(
        default="PLAINTEXT",
        description="SASL_PLAINTEXT (or SASL_SSL) wherever the broker authenticates its "
        "clients, as the local suite's and compose's do; PLAINTEXT only for an open broker.",
    )
    kafka_sasl_mechanism: SaslMechanism = "SCRAM-SHA-512"
    kafka_username: str | None = Field(
        default=None,
        description="The service's own principal on the broker, whose ACLs let it write only "
        "its own topics and read only those it consumes: its name, in the local suite.",
    )
    kafka_password: SecretStr | None = None
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

    @model_validator(mode="after")
    def _kafka_credentials_with_sasl(self) -> Self:
        # Refused at start rather than found out by every Kafka client retrying forever.
        if self.kafka_security_protocol != "PLAINTEXT" and not (
            self.kafka_username and self.kafka_password
        ):
            raise ValueError(
                f"KAFKA_SECURITY_PROTOCOL={self.kafka_security_protocol} needs "
                "KAFKA_USERNAME and KAFKA_PASSWORD (under the service's prefix)"
            )
        return self

    @property
    def kafka_security(self) -> KafkaSecurity:
        """What every Kafka client of this service authenticates with."""
        return KafkaSecurity(
            protocol=self.kafka_security_protocol,
            mechanism=self.kafka_sasl_mechanism,
            username=self.kafka_username,
            password=self.kafka_password.get_secret_value() if self.kafka_password else None,
        )
