"""The rows of the payments figures, as the API documents and exports them."""

from pydantic import BaseModel, Field


class PaymentSummary(BaseModel):
    source: str | None = Field(default=None, description="The service that asked for the invoices.")
    day: str | None = None
    month: str | None = None
    opened: int
    opened_amount: int = Field(description="Rupiah invoiced.")
    paid: int
    paid_within_due_share: float | None = Field(description="Paid before the due time / paid.")
    expired: int
    cancelled: int
    refunds: int
    refunded_amount: int
    anomalies: int = Field(
        description="Payments that do not fit their invoice: another amount, an invoice not "
        "seen opened, or one already closed."
    )
    revenue: int = Field(description="Rupiah received, all channels.")
    revenue_va: int
    revenue_qris: int


class RevenueByItem(BaseModel):
    item: str = Field(description="The permit type of a fee, or the invoice's source.")
    channel: str
    payments: int
    amount: int
