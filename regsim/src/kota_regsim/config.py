"""Settings of the civil registry simulator (environment prefix ``REGSIM_``).

Defaults match the local suite, so ``uvicorn kota_regsim.main:create_app --factory`` runs
without exporting anything, with one agency account for development:

    USER_ID kota-live-dev, PASSWORD regsim-dev-password, institution PEMKOT_TANGERANG,
    calling from 127.0.0.1 or ::1, 1,000 calls a day.

``REGSIM_ACCOUNTS`` replaces it (JSON, user id → account):
``{"kota-live-gateway": {"password": "...", "institution": "PEMKOT_TANGERANG",
"ips": ["127.0.0.1"], "daily_quota": 100000}}``.
"""

from datetime import date
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_USER_ID = "kota-live-dev"
# A development password for a tool that is never deployed; override it with REGSIM_ACCOUNTS.
DEV_PASSWORD = "regsim-dev-password"  # noqa: S105
DEV_INSTITUTION = "PEMKOT_TANGERANG"


class Account(BaseModel):
    """An agency's account with Dukcapil: which institution it calls for, from where, how often."""

    password: str = Field(min_length=1)
    institution: str = Field(min_length=1)
    """The ``{institution}`` segment of the path its calls must use."""
    ips: list[str] = Field(min_length=1)
    """The addresses (``IP_USER``) it may call from."""
    daily_quota: int = Field(ge=0)
    """Calls per account per Asia/Jakarta calendar day, every call counted."""


def _dev_accounts() -> dict[str, Account]:
    return {
        DEV_USER_ID: Account(
            password=DEV_PASSWORD,
            institution=DEV_INSTITUTION,
            ips=["127.0.0.1", "::1"],
            daily_quota=1000,
        )
    }


class RegsimSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REGSIM_", extra="ignore")

    families: int = Field(default=300, ge=0, le=20_000)
    """Generated families, on top of the fixed demo families."""
    seed: int = 3671
    """The generated population is the same for the same seed (and population date)."""
    population_date: date | None = None
    """The day ages and card issue dates count back from; default the day it starts."""
    accounts: dict[str, Account] = Field(default_factory=_dev_accounts)
    timezone: ZoneInfo = ZoneInfo("Asia/Jakarta")
    """Decides the calendar day a call's quota is counted in."""
    max_body_bytes: int = Field(default=16 * 1024, gt=0)
    """The largest body a ``/dukcapil`` call may carry: 413 beyond it."""
    control_max_body_bytes: int = Field(default=256 * 1024, gt=0)
    """The same for the control API (``/simulator``)."""
    call_log_size: int = Field(default=10_000, gt=0)
    """How many calls ``GET /simulator/calls`` remembers, the oldest forgotten first."""
    log_level: str = "INFO"
