"""The provider's settlement notification, as the simulator (and a real gateway) sends it,
our answer to it, and the refused reports finance officers review."""

import uuid
from datetime import datetime
from typing import Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from kota_shared.auth import Principal
from payments.settlement.models import PaymentAnomaly


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


class AnomalyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    provider_transaction_id: str
    channel: str
    reference: str
    amount_rupiah: int
    expected_rupiah: int | None
    invoice_id: uuid.UUID | None
    flagged_at: datetime

    @classmethod
    def of(cls, anomaly: PaymentAnomaly, caller: Principal) -> Self:
        """Only finance officers read refused reports, and in full."""
        return cls.model_validate(anomaly)
