"""Invoices asked for by other services' events (run inside the consumer's transaction)."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

from kota_contracts.permits import (
    FEE_INVOICE_SOURCE,
    ApplicationApproved,
    fee_invoice_reference,
)
from kota_shared.events.envelope import ReceivedEvent
from kota_shared.transaction import Transaction
from payments.channels.for_invoices import ChannelMaker
from payments.invoices.service import InvoiceRequest, Line, open_invoice

PermitFeeHandler = Callable[[Transaction, ReceivedEvent[ApplicationApproved]], Awaitable[None]]


def permit_fee_handler(channels: ChannelMaker, *, due_days: int) -> PermitFeeHandler:
    """Open the invoice for a permit approved with a fee (a free permit needs none)."""

    async def handle(tx: Transaction, event: ReceivedEvent[ApplicationApproved]) -> None:
        approved = event.data
        if approved.fee_amount <= 0:
            return
        description = f"Retribusi {approved.permit_type_name}"
        await open_invoice(
            tx,
            channels=channels,
            request=InvoiceRequest(
                payer_id=approved.applicant_id,
                source=FEE_INVOICE_SOURCE,
                source_reference=fee_invoice_reference(approved.application_id),
                description=description,
                lines=[Line(description=description, amount_rupiah=approved.fee_amount)],
                due_at=approved.approved_at + timedelta(days=due_days),
                requested_at=approved.approved_at,
            ),
            created_by="permits",
        )

    return handle
