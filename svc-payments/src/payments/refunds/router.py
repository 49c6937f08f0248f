"""Refunds by finance officers."""

import uuid

from fastapi import APIRouter, Response

from kota_shared.openapi import answers
from kota_shared.transaction import CurrentTransaction
from payments.dependencies import FinanceOfficer, Idempotent
from payments.problems import InvoiceNotRefundable, RefundableChanged, RefundExceedsRefundable
from payments.refunds import service
from payments.refunds.schemas import RefundCreate, RefundRead

router = APIRouter(prefix="/v1/payments/invoices/{invoice_id}/refunds", tags=["payments"])


@router.post(
    "",
    status_code=201,
    responses=answers(RefundExceedsRefundable, RefundableChanged, InvoiceNotRefundable),
    summary="Refund part or all of a paid invoice",
    description=(
        "Who may call: a finance officer (`finance_officer`). Requires an `Idempotency-Key`. "
        "Never more than was paid minus what was already refunded (422 "
        "`refund_exceeds_refundable`); a stale `expected_refundable_rupiah` is 412 "
        "`refundable_amount_changed`; an invoice never paid is 409 `invoice_not_refundable`."
    ),
)
async def create_refund(
    invoice_id: uuid.UUID,
    body: RefundCreate,
    tx: CurrentTransaction,
    officer: FinanceOfficer,
    idempotent: Idempotent,
) -> Response:
    async def refund_it() -> RefundRead:
        refund = await service.refund(
            tx,
            invoice_id=invoice_id,
            amount=body.amount_rupiah,
            reason=body.reason,
            by=officer.subject,
            expected_refundable=body.expected_refundable_rupiah,
        )
        return RefundRead.of(refund, officer)

    return await idempotent.run(
        tx.session, scope=officer.subject, operation=refund_it, status_code=201
    )
