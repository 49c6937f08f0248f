"""What the simulator's endpoints accept and answer, and the body of its settlement callback.

Every timestamp is rendered by pydantic, so the callback, the answers and the statement show
``paid_at`` as exactly the same text.
"""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from kota_paysim.ledger import Channel, Payment, Transaction
from kota_shared.webhooks import Outcome

Amount = Annotated[int, Field(gt=0, le=9_999_999_999_999, strict=True)]
"""Whole rupiah; the bound is QRIS's 13-digit amount field."""


class VaPaymentCreate(BaseModel):
    amount: Amount
    notify: bool = True


class QrisPaymentCreate(BaseModel):
    payload: str = Field(min_length=1, max_length=512)
    notify: bool = True


class RedeliveryCreate(BaseModel):
    times: int = Field(ge=1, le=20)
    concurrently: bool = False


class PaymentRead(BaseModel):
    provider_transaction_id: str
    channel: Channel
    reference: str
    amount: int
    paid_at: datetime

    @classmethod
    def of(cls, payment: Payment) -> "PaymentRead":
        return cls.model_validate(payment, from_attributes=True)


class SettlementCallback(BaseModel):
    """The JSON body POSTed to the payments service, signed per Standard Webhooks.

    Spelled out field by field, not derived from the answers, because it is a wire contract.
    """

    type: Literal["payment.settled"] = "payment.settled"
    provider_transaction_id: str
    channel: Channel
    reference: str
    amount: int
    currency: Literal["IDR"] = "IDR"
    paid_at: datetime

    @classmethod
    def of(cls, payment: Payment) -> "SettlementCallback":
        return cls.model_validate(payment, from_attributes=True)


class AttemptRead(BaseModel):
    at: datetime
    outcome: Outcome
    status_code: int | None
    error: str | None


class TransactionRead(PaymentRead):
    notify: bool
    webhook_id: str
    attempts: list[AttemptRead]
    acknowledged: bool
    refused: bool

    @classmethod
    def of_transaction(cls, transaction: Transaction) -> "TransactionRead":
        return cls(
            **PaymentRead.of(transaction.payment).model_dump(),
            notify=transaction.payment.notify,
            webhook_id=transaction.message_id,
            attempts=[
                AttemptRead.model_validate(a, from_attributes=True) for a in transaction.attempts
            ],
            acknowledged=transaction.acknowledged,
            refused=transaction.refused,
        )


class RedeliveryRead(BaseModel):
    provider_transaction_id: str
    status_codes: list[int | None]
    """One per delivery, in the order they were started; null where no answer came."""
