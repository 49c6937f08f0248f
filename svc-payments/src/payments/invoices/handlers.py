"""Invoices asked for by other services' events (run inside the consumer's transaction)."""

from datetime import timedelta

from kota_contracts.permits import (
    FEE_INVOICE_SOURCE,
    ApplicationApproved,
    fee_invoice_reference,
)
from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.events.consumer import Handler
from kota_shared.events.envelope import ReceivedEvent
from kota_shared.events.outbox import Outbox
from payments.invoices.service import ChannelMaker, InvoiceRequest, Line, open_invoice


def permit_fee_handler(outbox: Outbox, channels: ChannelMaker, *, due_days: int) -> Handler:
    """Open the invoice for a permit approved with a fee (a free permit needs none)."""

    async def handle(session: AsyncSession, event: ReceivedEvent) -> None:
        approved = event.data
        assert isinstance(approved, ApplicationApproved)
        if approved.fee_amount <= 0:
            return
        description = f"Retribusi {approved.permit_type_name}"
        await open_invoice(
            session,
            outbox=outbox,
            channels=channels,
            request=InvoiceRequest(
                payer_id=approved.applicant_id,
                source=FEE_INVOICE_SOURCE,
                source_reference=fee_invoice_reference(approved.application_id),
                description=description,
                lines=[Line(description=description, amount_rupiah=approved.fee_amount)],
                due_at=approved.approved_at + timedelta(days=due_days),
            ),
            created_by="permits",
            now=approved.approved_at,
        )

    return handle
