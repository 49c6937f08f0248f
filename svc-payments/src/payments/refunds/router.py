"""Refunds by finance officers."""

import uuid
from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from kota_shared.clock import Now
from kota_shared.db import DbSession
from kota_shared.problems import NotFound
from kota_shared.transaction import EventOutbox
from payments.dependencies import FinanceOfficer, Idempotent
from payments.invoices import repository
from payments.refunds import service

router = APIRouter(prefix="/v1/payments/invoices/{invoice_id}/refunds", tags=["payments"])


class RefundCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

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


@router.post(
    "",
    status_code=201,
    summary="Refund part or all of a paid invoice",
    description=(
        "Who may call: a finance officer (`finance_officer`). Requires an `Idempotency-Key`. "
        "Never more than was paid minus what was already refunded (422 "
        "`refund_exceeds_refundable`); a stale `expected_refundable_rupiah` is 412."
    ),
)
async def create_refund(
    invoice_id: uuid.UUID,
    body: RefundCreate,
    session: DbSession,
    outbox: EventOutbox,
    officer: FinanceOfficer,
    idempotent: Idempotent,
    now: Now,
) -> Response:
    async def refund_it() -> RefundRead:
        invoice = await repository.get(session, invoice_id, for_update=True)
        if invoice is None:
            raise NotFound("There is no invoice with this id.")
        refund = await service.refund(
            session,
            outbox,
            invoice,
            amount=body.amount_rupiah,
            reason=body.reason,
            by=officer.subject,
            expected_refundable=body.expected_refundable_rupiah,
            now=now,
        )
        return RefundRead.model_validate(refund)

    return await idempotent.run(
        session, scope=officer.subject, operation=refund_it, status_code=201
    )
