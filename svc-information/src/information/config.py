"""Settings of the information service (environment prefix ``INFORMATION_``)."""

from datetime import time
from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from kota_contracts.regions import KOTA_TANGERANG_KECAMATAN
from kota_contracts.services import declared
from kota_shared.settings import ServiceSettings


class InformationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INFORMATION_")

    service_name: str = "information"
    watched_topics: list[str] = Field(
        default_factory=lambda: list(declared("information").consumes),
        description="The topics whose events become notices (and identity's, the directory).",
    )
    consumer_group: str = Field(
        default="information.notices",
        min_length=1,
        max_length=100,
        description="The Kafka consumer group reading them. A second deployment reading the "
        "same log into another database (a blue/green switch, a test) takes its own.",
    )
    invoice_reminder_days_before: int = Field(
        default=2,
        ge=1,
        le=30,
        description="An unpaid invoice's reminder goes this many days before it is due.",
    )
    booking_reminder_at: time = Field(
        default=time(16, 0),
        description="A clinic booking's reminder goes at this city time the day before.",
    )
    reminder_sweep_seconds: float = Field(
        default=60.0, gt=0, description="How often due reminders are looked for."
    )
    reminder_batch_size: int = Field(
        default=500, ge=1, le=5000, description="Reminders recorded in one transaction."
    )
    city_name: str = Field(
        default="Kota Tangerang",
        min_length=1,
        max_length=80,
        description="The city's name: a kiosk letter's letterhead reads `Pemerintah "
        "<city_name>` and its date line `<city_name>, 7 Desember 2026`.",
    )
    letter_office: str = Field(
        default="Layanan Informasi Kota LIVE",
        min_length=1,
        max_length=120,
        description="The office a kiosk letter's letterhead names beneath the city.",
    )
    letter_batch_limit: int = Field(
        default=50,
        ge=1,
        le=100,
        description="The most notices one printed batch letter holds, the oldest pending "
        "first (the rest wait for the next batch).",
    )
    kecamatan: dict[str, str] = Field(
        default=KOTA_TANGERANG_KECAMATAN,
        min_length=1,
        description="The city's kecamatan: dotted Kemendagri code → name. An announcement's "
        "kecamatan audience must name only these. The default is Kota Tangerang's 13.",
    )
    public_feed_url: str = Field(
        default="http://127.0.0.1:8000/v1/information/feed",
        description="Where the public reaches the announcements' feed (through the "
        "gateway): the Atom feed's links and ids are built on it.",
    )
    announcement_image_max_bytes: int = Field(
        default=2 * 1024 * 1024,
        ge=1024,
        le=20 * 1024 * 1024,
        description="The largest image an announcement may carry (JPEG, PNG or WebP).",
    )
    announcement_fan_out_chunk: int = Field(
        default=1000,
        ge=1,
        le=50_000,
        description="How many inboxes one transaction of an announcement's fan-out fills: "
        "a crash repeats at most one chunk's work, which adds nothing twice.",
    )
    announcement_fan_out_poll_seconds: float = Field(
        default=2.0,
        gt=0,
        description="How often the fan-out looks for announcements whose publication time "
        "has come (and for fan-outs a crash interrupted).",
    )

    # Delivery by WhatsApp and SMS (docs/information.md, "Delivery"). A provider is used
    # once its URL is given; without either, notices stay in the inbox and messages wait.
    gateway_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The gateway: its token endpoint and identity's contact API, where each "
        "send reads the citizen's phone number.",
    )
    contacts_client_id: str = Field(
        default="information",
        description="This service's agency client at the gateway (`identity:contacts:read`).",
    )
    contacts_client_secret: SecretStr | None = Field(
        default=None, description="That client's secret; needed once a provider is given."
    )
    whatsapp_api_url: str | None = Field(
        default=None,
        description="The WhatsApp Cloud API's base URL (`https://graph.facebook.com`, or "
        "the simulator's `.../whatsapp`); none: no WhatsApp.",
    )
    whatsapp_api_version: str = Field(default="v23.0", pattern=r"^v\d{1,2}\.\d$")
    whatsapp_phone_number_id: str | None = Field(
        default=None, description="The business phone number's id (the send path's)."
    )
    whatsapp_access_token: SecretStr | None = None
    whatsapp_receipt_secrets: list[SecretStr] = Field(
        default=[],
        description="Standard Webhooks secrets (`whsec_...`) WhatsApp's status webhooks are "
        "signed with; several during a rotation.",
    )
    whatsapp_sends_per_second: float = Field(
        default=20.0, gt=0, description="The Cloud API throughput the dispatchers keep within."
    )
    sms_gateway_url: str | None = Field(
        default=None, description="The SMS gateway's base URL; none: no SMS."
    )
    sms_gateway_api_key: SecretStr | None = None
    sms_receipt_secrets: list[SecretStr] = Field(
        default=[],
        description="Standard Webhooks secrets the SMS gateway's delivery reports are "
        "signed with; several during a rotation.",
    )
    sms_sends_per_second: float = Field(
        default=10.0, gt=0, description="The SMS gateway's rate the dispatchers keep within."
    )
    number_hash_key: SecretStr | None = Field(
        default=None,
        description="The HMAC key numbers are hashed with for the per-number limits (the "
        "number itself is never stored); needed once a provider is given.",
    )
    fallback_after_seconds: float = Field(
        default=24 * 3600,
        gt=0,
        description="How long a message waits for its delivery receipt (or a provider that "
        "is down) before the citizen's next channel is tried.",
    )
    messages_per_number_per_hour: int = Field(
        default=100, ge=1, description="Sends to one number within any hour, at most."
    )
    identical_messages_per_number_per_hour: int = Field(
        default=20, ge=1, description="Identical sends to one number within any hour, at most."
    )
    send_retry_first_seconds: float = Field(
        default=5.0, gt=0, description="The first pause before a send a provider did not take."
    )
    send_retry_max_seconds: float = Field(
        default=300.0, gt=0, description="The longest pause between tries of one send."
    )
    provider_timeout_seconds: float = Field(
        default=10.0, gt=0, description="How long a provider (or identity) is given to answer."
    )
    dispatch_batch_size: int = Field(
        default=50, ge=1, le=500, description="Messages one dispatcher claims at a time."
    )
    dispatch_concurrency: int = Field(
        default=10, ge=1, le=200, description="Sends one dispatcher has in flight at once."
    )
    dispatch_poll_seconds: float = Field(
        default=1.0, gt=0, description="How often an idle dispatcher looks for due messages."
    )
    dispatch_lease_seconds: float = Field(
        default=60.0,
        gt=0,
        description="How long a claimed message is held for its dispatcher before another "
        "may take it (a dispatcher that died before sending).",
    )

    @property
    def delivers(self) -> bool:
        """Whether any provider is given, so the dispatcher runs."""
        return self.whatsapp_api_url is not None or self.sms_gateway_url is not None

    @model_validator(mode="after")
    def _providers_complete(self) -> Self:
        # Refused at start, not found out at the first send or the first receipt.
        missing = []
        if self.whatsapp_api_url is not None:
            if not (self.whatsapp_phone_number_id and self.whatsapp_access_token):
                missing.append("WHATSAPP_PHONE_NUMBER_ID and WHATSAPP_ACCESS_TOKEN")
            if not self.whatsapp_receipt_secrets:
                missing.append("WHATSAPP_RECEIPT_SECRETS")
        if self.sms_gateway_url is not None:
            if self.sms_gateway_api_key is None:
                missing.append("SMS_GATEWAY_API_KEY")
            if not self.sms_receipt_secrets:
                missing.append("SMS_RECEIPT_SECRETS")
        if self.delivers:
            if self.contacts_client_secret is None:
                missing.append("CONTACTS_CLIENT_SECRET")
            if self.number_hash_key is None:
                missing.append("NUMBER_HASH_KEY")
        if missing:
            raise ValueError(
                "a provider is configured without " + ", ".join(missing) + " (INFORMATION_...)"
            )
        return self
