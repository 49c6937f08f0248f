"""Endpoints for invoices: citizens' own, agencies' bills, finance officers' view."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from kota_contracts.access import Role

from kota_shared.clock import Now
from kota_shared.db import DbSession
from kota_shared.problems import NotFound, ValidationFailed
from kota_shared.qr import qr_png, qr_svg
from kota_shared.transaction import EventOutbox
from payments.dependencies import (
    Citizen,
    CitizenOrFinance,
    FinanceOfficer,
    Idempotent,
    InvoiceWriter,
)
from payments.invoices import repository, service
from payments.invoices.models import Invoice
from payments.invoices.schemas import CancelRequest, InvoiceCreate, InvoiceRead
from payments.invoices.service import InvoiceRequest, Line

router = APIRouter(prefix="/v1/payments/invoices", tags=["payments"])
_NOT_YOURS = "No invoice with this id is addressed to you."


async def _visible(session: DbSession, caller: CitizenOrFinance, invoice_id: uuid.UUID) -> Invoice:
    """The invoice if the caller may see it: its payer, or a finance officer."""
    invoice = await repository.get(session, invoice_id)
    if invoice is None or not (
        caller.has_role(Role.FINANCE_OFFICER) or invoice.payer_id == caller.subject
    ):
        raise NotFound(_NOT_YOURS)
    return invoice


Visible = Annotated[Invoice, Depends(_visible)]


@router.get(
    "",
    summary="List your invoices",
    description=(
        "Who may call: a signed-in citizen, for themselves; each sees only the invoices they "
        "owe. Soonest due first. Strongly consistent."
    ),
)
async def list_invoices(session: DbSession, citizen: Citizen) -> list[InvoiceRead]:
    invoices = await repository.list_owned(session=session, payer_id=citizen.subject)
    return [InvoiceRead.model_validate(i) for i in invoices]


@router.get(
    "/{invoice_id}",
    summary="One invoice, with its virtual account and QRIS payload",
    description=(
        "Who may call: the citizen it is addressed to (others get 404), or a finance officer."
    ),
)
async def read_invoice(invoice: Visible) -> InvoiceRead:
    return InvoiceRead.model_validate(invoice)


@router.get(
    "/{invoice_id}/qris.png",
    summary="The invoice's QRIS code as PNG, for the app to show",
    description="Who may call: the citizen it is addressed to, or a finance officer.",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
async def qris_png(invoice: Visible) -> Response:
    return Response(qr_png(invoice.qris_payload), media_type="image/png")


@router.get(
    "/{invoice_id}/qris.svg",
    summary="The invoice's QRIS code as SVG",
    description="Who may call: the citizen it is addressed to, or a finance officer.",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
)
async def qris_svg(invoice: Visible) -> Response:
    return Response(qr_svg(invoice.qris_payload), media_type="image/svg+xml")


@router.post(
    "",
    status_code=201,
    summary="Bill a citizen (agencies)",
    description=(
        "Who may call: an agency client with the `payments:invoices:write` scope. Requires "
        "an `Idempotency-Key` header: a retry with the same key and body returns the first "
        "response; the same key with another body is 422. The same `reference` again with "
        "the same details returns the existing invoice; with other details, 409."
    ),
)
async def create_invoice(
    body: InvoiceCreate,
    request: Request,
    session: DbSession,
    outbox: EventOutbox,
    agency: InvoiceWriter,
    idempotent: Idempotent,
    now: Now,
) -> Response:
    if body.due_at <= now:
        raise ValidationFailed("The due date must be in the future.")

    async def open_it() -> InvoiceRead:
        invoice, _ = await service.open_invoice(
            session,
            outbox=outbox,
            channels=request.app.state.channels,
            request=InvoiceRequest(
                payer_id=body.payer_id,
                source=f"agency:{agency.subject}",
                source_reference=f"agency:{agency.subject}:{body.reference}",
                description=body.description,
                lines=[Line(x.description, x.amount_rupiah) for x in body.lines],
                due_at=body.due_at,
            ),
            created_by=agency.subject,
            now=now,
        )
        return InvoiceRead.model_validate(invoice)

    return await idempotent.run(session, scope=agency.subject, operation=open_it, status_code=201)


@router.post(
    "/{invoice_id}/cancel",
    summary="Cancel an open invoice",
    description="Who may call: a finance officer. Only an open invoice can be cancelled (409).",
)
async def cancel_invoice(
    invoice_id: uuid.UUID,
    body: CancelRequest,
    session: DbSession,
    outbox: EventOutbox,
    officer: FinanceOfficer,
    now: Now,
) -> InvoiceRead:
    invoice = await repository.get(session, invoice_id, for_update=True)
    if invoice is None:
        raise NotFound("There is no invoice with this id.")
    await service.cancel(session, outbox, invoice, reason=body.reason, now=now)
    return InvoiceRead.model_validate(invoice)
