"""What finance officers send and receive about refunds."""

import uuid
from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field

from kota_shared.auth import Principal
from payments.refunds.models import Refund


class RefundCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "amount_rupiah": 50000,
                    "reason": "Retribusi dibayar dua kali; kelebihan dikembalikan.",
                    "expected_refundable_rupiah": 150000,
                }
            ]
        },
    )

    amount_rupiah: int = Field(gt=0, description="Whole rupiah; at most what remains refundable.")
    reason: str = Field(min_length=3, max_length=500)
    expected_refundable_rupiah: int | None = Field(
        default=None,
        ge=0,
        description="What you believe remains refundable; if it changed meanwhile, 412.",
    )


class RefundRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    invoice_id: uuid.UUID
    amount_rupiah: int
    reason: str
    refunded_by: str
    refunded_at: datetime

    @classmethod
    def of(cls, refund: Refund, caller: Principal) -> Self:
        """``refund`` as ``caller`` reads it: only finance officers see refunds, and in full."""
        return cls.model_validate(refund)
