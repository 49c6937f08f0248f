"""Opening and closing invoices; the request (or event) boundary commits.

However often a request or event for the same source reference arrives, one invoice exists:
the insert skips on the unique source reference, and a loser of a concurrent race reads the
winner's invoice.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from kota_contracts.payments import InvoiceCancelled, InvoiceCreated, InvoiceExpired
from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.events.outbox import Outbox
from payments.invoices import repository
from payments.invoices.models import Invoice, InvoiceLine, InvoiceStatus
from payments.problems import InvoiceNotOpen, SourceReferenceConflict


@dataclass(frozen=True)
class PaymentChannels:
    va_number: str
    qris_payload: str


ChannelMaker = Callable[[int, str, int], PaymentChannels]
"""(invoice serial, invoice number, amount) → its virtual account and QRIS payload."""


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
    session: AsyncSession,
    *,
    outbox: Outbox,
    channels: ChannelMaker,
    request: InvoiceRequest,
    created_by: str,
    now: datetime,
) -> tuple[Invoice, bool]:
    """The invoice for ``request.source_reference``, opened unless it exists; True if new.

    A repeat with different details is a 409: a source reference means one bill.
    """
    serial = await repository.next_serial(session)
    number = invoice_number(serial, now.year)
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
    session.add_all(
        InvoiceLine(
            invoice_id=inserted,
            position=i,
            description=line.description,
            amount_rupiah=line.amount_rupiah,
        )
        for i, line in enumerate(request.lines, start=1)
    )
    invoice = await repository.with_lines(session, inserted)
    await outbox.add(
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
            created_at=now,
        ),
        subject=str(invoice.id),
    )
    return invoice, True


async def expire(session: AsyncSession, outbox: Outbox, invoice: Invoice, *, now: datetime) -> None:
    """Close an unpaid invoice past its due date; the asking service closes its record."""
    invoice.status = InvoiceStatus.EXPIRED
    invoice.closed_at = now
    await outbox.add(
        session,
        InvoiceExpired(
            invoice_id=invoice.id,
            payer_id=invoice.payer_id,
            source=invoice.source,
            source_reference=invoice.source_reference,
            amount=invoice.amount_rupiah,
            expired_at=now,
        ),
        subject=str(invoice.id),
    )


async def cancel(
    session: AsyncSession, outbox: Outbox, invoice: Invoice, *, reason: str, now: datetime
) -> None:
    if invoice.status is not InvoiceStatus.OPEN:
        raise InvoiceNotOpen(current_status=invoice.status.value)
    invoice.status = InvoiceStatus.CANCELLED
    invoice.closed_at = now
    await outbox.add(
        session,
        InvoiceCancelled(
            invoice_id=invoice.id,
            source=invoice.source,
            source_reference=invoice.source_reference,
            reason=reason,
            cancelled_at=now,
        ),
        subject=str(invoice.id),
    )
