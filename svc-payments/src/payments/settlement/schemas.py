"""The provider's settlement notification, as the simulator (and a real gateway) sends it."""

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class SettlementNotice(BaseModel):
    model_config = ConfigDict(extra="ignore")  # providers add fields; we read what we need

    type: Literal["payment.settled"]
    provider_transaction_id: str = Field(min_length=1, max_length=100)
    channel: Literal["va", "qris"]
    reference: str = Field(min_length=1, max_length=40)
    amount: int = Field(gt=0)
    currency: Literal["IDR"]
    paid_at: AwareDatetime


class SettlementAnswer(BaseModel):
    status: Literal["accepted", "duplicate", "refunded"]
    """accepted: it paid the invoice; duplicate: already recorded; refunded: the invoice was
    no longer open, so the money goes back."""
    invoice_id: str
    received_at: datetime
