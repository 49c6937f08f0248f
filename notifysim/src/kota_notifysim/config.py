"""Settings of the SMS and WhatsApp provider simulator (environment prefix ``NOTIFYSIM_``).

Defaults match the local suite, so ``uvicorn kota_notifysim.main:create_app --factory`` (or
``python -m kota_notifysim``) runs without exporting anything; the information service must
be given the same API key, access token and webhook secrets. Each simulated provider has its
own credentials and receipt secret, as two real providers would.
"""

from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from kota_shared.webhooks import usable_secret

# Development credentials of a tool that is never deployed; override them (NOTIFYSIM_...).
DEV_SMS_API_KEY = "notifysim-dev-sms-key"
DEV_SMS_WEBHOOK_SECRET = "whsec_a290YS1saXZlLW5vdGlmeXNpbS1zbXMtZGV2"  # noqa: S105
DEV_WHATSAPP_ACCESS_TOKEN = "notifysim-dev-whatsapp-token"  # noqa: S105
DEV_WHATSAPP_WEBHOOK_SECRET = "whsec_a290YS1saXZlLW5vdGlmeXNpbS13YS1kZXYh"  # noqa: S105

WebhookSecret = Annotated[str, AfterValidator(usable_secret)]


class NotifysimSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFYSIM_", extra="ignore")

    sms_api_key: str = Field(default=DEV_SMS_API_KEY, min_length=1)
    """The bearer key ``POST /sms/v1/messages`` asks for."""
    sms_receipt_url: str = "http://127.0.0.1:8000/v1/information/receipts/sms"
    """Where SMS delivery reports (DLRs) are POSTed."""
    sms_webhook_secret: WebhookSecret = DEV_SMS_WEBHOOK_SECRET
    sms_max_segments: int = Field(default=10, ge=1, le=255)
    """The longest text the gateway takes, in SMS parts; a longer one is refused."""

    whatsapp_access_token: str = Field(default=DEV_WHATSAPP_ACCESS_TOKEN, min_length=1)
    """The bearer token the Cloud API asks for."""
    whatsapp_phone_number_id: str = Field(default="109876543210001", pattern=r"^\d{1,20}$")
    """The business phone number's id, the ``{phone_number_id}`` of the send path."""
    whatsapp_business_account_id: str = Field(default="109876543210000", pattern=r"^\d{1,20}$")
    """The WhatsApp Business Account: ``entry[].id`` of a receipt, the templates' owner."""
    whatsapp_display_phone_number: str = "6281299990000"
    """The business number as receipts' ``metadata.display_phone_number`` show it."""
    whatsapp_receipt_url: str = "http://127.0.0.1:8000/v1/information/receipts/whatsapp"
    """Where WhatsApp status webhooks are POSTed."""
    whatsapp_webhook_secret: WebhookSecret = DEV_WHATSAPP_WEBHOOK_SECRET
    whatsapp_require_templates: bool = False
    """Refuse a template nobody registered (error 132001), as Meta does; by default an
    unknown template is sent with its parameters shown as they came."""

    receipt_delay_seconds: float = Field(default=0.0, ge=0)
    """How long after a send its receipts start, unless a number's controls say otherwise."""
    retry_initial_seconds: float = Field(default=0.5, gt=0)
    retry_max_seconds: float = Field(default=30.0, gt=0)
    inbox_size: int = Field(default=100_000, gt=0)
    """How many sent messages are kept, the oldest forgotten first."""

    host: str = "127.0.0.1"
    port: int = Field(default=8092, ge=1, le=65535)
    """Where ``python -m kota_notifysim`` listens (``kota up`` gives uvicorn its own)."""
    log_level: str = "INFO"
