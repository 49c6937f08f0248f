"""Endpoints for invoices: citizens' own, agencies' bills, finance officers' view."""

from fastapi import APIRouter, Response

from kota_shared.db import DbSession
from kota_shared.openapi import answers
from kota_shared.pagination import PAGINATION_DESCRIPTION, Page
from kota_shared.problems import ValidationFailed
from kota_shared.qr import qr_png, qr_svg
from kota_shared.transaction import CurrentTransaction
from payments.dependencies import (
    Channels,
    Citizen,
    CitizenOrFinance,
    FinanceOfficer,
    Idempotent,
    InvoiceWriter,
)
from payments.invoices import repository, service
from payments.invoices.dependencies import AnyInvoiceForUpdate, VisibleInvoice
from payments.invoices.schemas import CancelRequest, InvoiceCreate, InvoiceRead
from payments.invoices.service import InvoiceRequest, Line
from payments.messages import _
from payments.problems import InvoiceNotOpen, SourceReferenceConflict

router = APIRouter(prefix="/v1/payments/invoices", tags=["payments"])


@router.get(
    "",
    summary="List your invoices",
    description=(
        "Who may call: a signed-in citizen, for themselves; each sees only the invoices they "
        "owe. Soonest due first. Strongly consistent." + PAGINATION_DESCRIPTION
    ),
)
async def list_invoices(
    session: DbSession, citizen: Citizen, page: Page, response: Response
) -> list[InvoiceRead]:
    invoices = await repository.list_owned(
        session,
        payer_id=citizen.subject,
        after=page.after(*repository.OWNED_KEY_TYPES),
        limit=page.fetch_size(),
    )
    shown = page.answer(invoices, response, key=repository.OWNED_ORDER.key)
    return [InvoiceRead.of(i, citizen) for i in shown]


@router.get(
    "/{invoice_id}",
    summary="One invoice, with its virtual account and QRIS payload",
    description=(
        "Who may call: the citizen it is addressed to (others get 404), or a finance officer."
    ),
)
async def read_invoice(invoice: VisibleInvoice, caller: CitizenOrFinance) -> InvoiceRead:
    return InvoiceRead.of(invoice, caller)


@router.get(
    "/{invoice_id}/qris.png",
    summary="The invoice's QRIS code as PNG, for the app to show",
    description="Who may call: the citizen it is addressed to, or a finance officer.",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
async def qris_png(invoice: VisibleInvoice) -> Response:
    return Response(qr_png(invoice.qris_payload), media_type="image/png")


@router.get(
    "/{invoice_id}/qris.svg",
    summary="The invoice's QRIS code as SVG",
    description="Who may call: the citizen it is addressed to, or a finance officer.",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
)
async def qris_svg(invoice: VisibleInvoice) -> Response:
    return Response(qr_svg(invoice.qris_payload), media_type="image/svg+xml")


@router.post(
    "",
    status_code=201,
    responses=answers(ValidationFailed, SourceReferenceConflict),
    summary="Bill a citizen (agencies)",
    description=(
        "Who may call: an agency client with the `payments:invoices:write` scope. Requires "
        "an `Idempotency-Key` header: a retry with the same key and body returns the first "
        "response; the same key with another body is 422. The same `reference` again with "
        "the same details returns the existing invoice; with other details, 409 "
        "`source_reference_conflict`. A due date not in the future is 422 `validation_failed`."
    ),
)
async def create_invoice(
    body: InvoiceCreate,
    tx: CurrentTransaction,
    channels: Channels,
    agency: InvoiceWriter,
    idempotent: Idempotent,
) -> Response:
    if body.due_at <= tx.now:
        raise ValidationFailed(_("The due date must be in the future."))

    async def open_it() -> InvoiceRead:
        invoice, _new = await service.open_invoice(
            tx,
            channels=channels,
            request=InvoiceRequest(
                payer_id=body.payer_id,
                source=f"agency:{agency.subject}",
                source_reference=f"agency:{agency.subject}:{body.reference}",
                description=body.description,
                lines=[Line(x.description, x.amount_rupiah) for x in body.lines],
                due_at=body.due_at,
                requested_at=tx.now,
            ),
            created_by=agency.subject,
        )
        return InvoiceRead.of(invoice, agency)

    return await idempotent.run(
        tx.session, scope=agency.subject, operation=open_it, status_code=201
    )


@router.post(
    "/{invoice_id}/cancel",
    summary="Cancel an open invoice",
    responses=answers(InvoiceNotOpen),
    description=(
        "Who may call: a finance officer. Only an open invoice can be cancelled (409 "
        "`invoice_not_open`)."
    ),
)
async def cancel_invoice(
    officer: FinanceOfficer,
    invoice: AnyInvoiceForUpdate,
    body: CancelRequest,
    tx: CurrentTransaction,
) -> InvoiceRead:
    await service.cancel(tx, invoice=invoice, reason=body.reason)
    return InvoiceRead.of(invoice, officer)
