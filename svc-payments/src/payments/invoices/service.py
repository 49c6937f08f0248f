"""Opening and closing invoices; the request (or event) boundary commits.

However often a request or event for the same source reference arrives, one invoice exists:
the insert skips on the unique source reference, and a loser of a concurrent race reads the
winner's invoice.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from kota_contracts.payments import InvoiceCancelled, InvoiceCreated, InvoiceExpired
from kota_shared.problems import NotFound
from kota_shared.transaction import Transaction
from payments.channels.for_invoices import ChannelMaker
from payments.invoices import repository
from payments.invoices.models import Invoice, InvoiceStatus
from payments.messages import _
from payments.problems import InvoiceNotOpen, SourceReferenceConflict


@dataclass(frozen=True)
class Line:
    description: str
    amount_rupiah: int


@dataclass(frozen=True)
class InvoiceRequest:
    payer_id: str
    source: str
    source_reference: str
    description: str
    lines: Sequence[Line]
    due_at: datetime
    requested_at: datetime
    """When it was asked for: the year in its number and the time its creation announces
    (a permit fee's is the approval's, not the moment the event happened to be consumed)."""

    @property
    def amount_rupiah(self) -> int:
        return sum(line.amount_rupiah for line in self.lines)

    def same_as(self, invoice: Invoice) -> bool:
        """Whether ``invoice`` is what this request asks for (a harmless repeat)."""
        return (
            invoice.payer_id == self.payer_id
            and invoice.description == self.description
            and invoice.amount_rupiah == self.amount_rupiah
            and [(x.description, x.amount_rupiah) for x in invoice.lines]
            == [(x.description, x.amount_rupiah) for x in self.lines]
        )


def invoice_number(serial: int, year: int) -> str:
    """``KL2026-00000123``: the year it was opened and its serial (fits QRIS's 25 chars)."""
    return f"KL{year}-{serial:08d}"


async def open_invoice(
    tx: Transaction, *, channels: ChannelMaker, request: InvoiceRequest, created_by: str
) -> tuple[Invoice, bool]:
    """The invoice for ``request.source_reference``, opened unless it exists; True if new.

    A repeat with different details is a 409: a source reference means one bill.
    """
    session = tx.session
    serial = await repository.next_serial(session)
    number = invoice_number(serial, request.requested_at.year)
    made = channels(serial, number, request.amount_rupiah)
    inserted = await repository.insert_unless_referenced(
        session,
        serial=serial,
        number=number,
        payer_id=request.payer_id,
        source=request.source,
        source_reference=request.source_reference,
        description=request.description,
        amount_rupiah=request.amount_rupiah,
        va_number=made.va_number,
        qris_payload=made.qris_payload,
        due_at=request.due_at,
        created_by=created_by,
    )
    if inserted is None:
        existing = await repository.by_source_reference(
            session, source_reference=request.source_reference
        )
        assert existing is not None  # the conflict was on this very reference
        if not request.same_as(existing):
            raise SourceReferenceConflict(invoice_id=str(existing.id))
        return existing, False
    await repository.add_lines(
        session,
        invoice_id=inserted,
        lines=[(line.description, line.amount_rupiah) for line in request.lines],
    )
    invoice = await repository.with_lines(session, invoice_id=inserted)
    await tx.outbox.add(
        session,
        InvoiceCreated(
            invoice_id=invoice.id,
            number=invoice.number,
            payer_id=invoice.payer_id,
            source=invoice.source,
            source_reference=invoice.source_reference,
            amount=invoice.amount_rupiah,
            due_at=invoice.due_at,
            va_number=invoice.va_number,
            created_at=request.requested_at,
        ),
        subject=str(invoice.id),
    )
    return invoice, True


async def locked(tx: Transaction, *, invoice_id: uuid.UUID) -> Invoice:
    """The invoice, its row locked until the transaction ends, for a finance officer's
    change; 404 if there is none."""
    invoice = await repository.get(tx.session, invoice_id=invoice_id, for_update=True)
    if invoice is None:
        raise NotFound(_("There is no invoice with this id."))
    return invoice


async def expire_overdue(tx: Transaction, *, limit: int) -> int:
    """Expire up to ``limit`` open invoices due by ``tx.now``; returns how many."""
    overdue = await repository.overdue(tx.session, now=tx.now, limit=limit)
    for invoice in overdue:
        await _expire(tx, invoice=invoice)
    return len(overdue)


async def _expire(tx: Transaction, *, invoice: Invoice) -> None:
    """Close an unpaid invoice past its due date; the asking service closes its record."""
    invoice.status = InvoiceStatus.EXPIRED
    invoice.closed_at = tx.now
    await tx.outbox.add(
        tx.session,
        InvoiceExpired(
            invoice_id=invoice.id,
            payer_id=invoice.payer_id,
            source=invoice.source,
            source_reference=invoice.source_reference,
            amount=invoice.amount_rupiah,
            expired_at=tx.now,
        ),
        subject=str(invoice.id),
    )


async def cancel(tx: Transaction, *, invoice: Invoice, reason: str) -> None:
    """Close an open invoice a finance officer withdraws (the caller holds its row lock)."""
    if invoice.status is not InvoiceStatus.OPEN:
        raise InvoiceNotOpen(current_status=invoice.status.value)
    invoice.status = InvoiceStatus.CANCELLED
    invoice.closed_at = tx.now
    await tx.outbox.add(
        tx.session,
        InvoiceCancelled(
            invoice_id=invoice.id,
            source=invoice.source,
            source_reference=invoice.source_reference,
            reason=reason,
            cancelled_at=tx.now,
        ),
        subject=str(invoice.id),
    )
