"""Settings of the payment provider simulator (environment prefix ``PAYSIM_``).

Defaults match the local suite, so ``uvicorn kota_paysim.main:create_app --factory`` runs
without exporting anything; the payments service must be given the same webhook secret.
"""

from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from kota_shared.webhooks import usable_secret

# A development secret for a tool that is never deployed; override it with PAYSIM_WEBHOOK_SECRET.
DEV_WEBHOOK_SECRET = "whsec_a290YS1saXZlLXBheXNpbS1kZXYtc2VjcmV0"  # noqa: S105


class PaysimSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAYSIM_", extra="ignore")

    callback_url: str = "http://127.0.0.1:8004/v1/payments/callbacks/paysim"
    webhook_secret: Annotated[str, AfterValidator(usable_secret)] = DEV_WEBHOOK_SECRET
    retry_initial_seconds: float = Field(default=0.5, gt=0)
    retry_max_seconds: float = Field(default=30.0, gt=0)
    timezone: ZoneInfo = ZoneInfo("Asia/Jakarta")
    """Decides which statement day a payment belongs to."""
    log_level: str = "INFO"
