"""What clients send and receive about invoices."""

import uuid
from datetime import datetime
from typing import Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from kota_shared.auth import Principal
from kota_shared.i18n import Rupiah
from payments.invoices.models import Invoice, InvoiceStatus
from payments.messages import _

MAX_INVOICE_RUPIAH = 9_999_999_999_999
"""The most one invoice may ask: QRIS (EMVCo tag 54) carries at most 13 digits of rupiah."""
WholeRupiah = Field(gt=0, le=MAX_INVOICE_RUPIAH, description="Whole rupiah (currency code 360).")


class LineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    description: str
    amount_rupiah: int


class InvoiceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str = Field(examples=["KL2026-00000123"])
    source: str
    source_reference: str
    description: str
    lines: list[LineRead]
    amount_rupiah: int = Field(description="Whole rupiah (currency code 360).", examples=[150000])
    paid_rupiah: int
    refunded_rupiah: int
    status: InvoiceStatus
    va_number: str = Field(description="Pay by bank transfer to this virtual account.")
    qris_payload: str = Field(description="Dynamic QRIS (EMVCo); also as an image at qris.png.")
    due_at: datetime
    paid_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, invoice: Invoice, caller: Principal) -> Self:
        """``invoice`` as ``caller`` reads it: whoever may see an invoice (its payer, the
        agency that billed it, a finance officer) sees all of it."""
        return cls.model_validate(invoice)


class LineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = Field(min_length=2, max_length=300)
    amount_rupiah: int = WholeRupiah


class InvoiceCreate(BaseModel):
    """An agency's bill to a citizen (e.g. the local-tax office's PBB)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "payer_id": "0b6f3c52-7f1e-4d0a-9a51-3c2e8e4f9d17",
                    "reference": "PBB-2026-367101-000123",
                    "description": "PBB-P2 2026, Jl. Daan Mogot No. 12, Cipondoh",
                    "lines": [
                        {"description": "PBB-P2 terutang 2026", "amount_rupiah": 412000},
                        {"description": "Denda keterlambatan", "amount_rupiah": 8240},
                    ],
                    "due_at": "2027-08-31T23:59:59+07:00",
                }
            ]
        },
    )

    payer_id: str = Field(
        min_length=1, max_length=64, description="The citizen's Kota LIVE account id."
    )
    reference: str = Field(
        pattern=r"^[A-Za-z0-9._:/-]{1,100}$",
        description="The agency's own id for this bill; one invoice per reference, ever.",
        examples=["PBB-2026-367101-000123"],
    )
    description: str = Field(min_length=2, max_length=500)
    lines: list[LineCreate] = Field(min_length=1, max_length=50)
    due_at: AwareDatetime

    @model_validator(mode="after")
    def _total_fits_one_payment(self) -> Self:
        """Each line is bounded, and so is their sum: a QRIS payment carries the total."""
        total = sum(line.amount_rupiah for line in self.lines)
        if total > MAX_INVOICE_RUPIAH:
            raise ValueError(
                _(
                    "The lines add up to {total}; one invoice takes at most {maximum}.",
                    total=Rupiah(total),
                    maximum=Rupiah(MAX_INVOICE_RUPIAH),
                )
            )
        return self


class CancelRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"reason": "Ditagihkan ganda; tagihan KL2026-00000124 yang berlaku."}]
        },
    )

    reason: str = Field(min_length=3, max_length=500)
