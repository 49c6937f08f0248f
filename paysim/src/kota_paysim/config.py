"""Settings of the payment provider simulator (environment prefix ``PAYSIM_``).

Defaults match the local suite, so ``uvicorn kota_paysim.main:create_app --factory`` runs
without exporting anything; the payments service must be given the same webhook secret.
"""

from zoneinfo import ZoneInfo

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from standardwebhooks import Webhook

# A development secret for a tool that is never deployed; override it with PAYSIM_WEBHOOK_SECRET.
DEV_WEBHOOK_SECRET = "whsec_a290YS1saXZlLXBheXNpbS1kZXYtc2VjcmV0"  # noqa: S105


class PaysimSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAYSIM_", extra="ignore")

    callback_url: str = "http://127.0.0.1:8004/v1/payments/callbacks/paysim"
    webhook_secret: str = DEV_WEBHOOK_SECRET
    retry_initial_seconds: float = Field(default=0.5, gt=0)
    retry_max_seconds: float = Field(default=30.0, gt=0)
    timezone: ZoneInfo = ZoneInfo("Asia/Jakarta")
    """Decides which statement day a payment belongs to."""
    log_level: str = "INFO"

    @field_validator("webhook_secret")
    @classmethod
    def _usable_secret(cls, value: str) -> str:
        """Fail at start-up, not at the first callback, on a secret the signer cannot use."""
        try:
            Webhook(value)
        except Exception as exc:  # the library raises bare errors of several kinds
            raise ValueError(f"not a Standard Webhooks secret (whsec_<base64>): {exc}") from exc
        return value
