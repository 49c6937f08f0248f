"""Queries on invoices and their lines (the only module here with SQL for them).

Row locks are FOR NO KEY UPDATE: they serialise changes to an invoice without blocking
rows that merely reference it (a flagged settlement report is written while the
settlement's own transaction still holds the invoice).
"""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.keyset import ListOrder, SortColumn
from kota_shared.pagination import Key
from payments.invoices.models import INVOICE_SERIAL, Invoice, InvoiceLine, InvoiceStatus


async def list_owned(
    session: AsyncSession, *, payer_id: str, after: Key | None, limit: int
) -> Sequence[Invoice]:
    """The invoices ``payer_id`` owes, soonest due first (others' are invisible), from the
    one after ``after`` (a `list_key`) on."""
    query = select(Invoice).where(Invoice.payer_id == payer_id)
    if after is not None:
        query = query.where(OWNED_ORDER.after(after))
    return (await session.scalars(query.order_by(*OWNED_ORDER.order_by()).limit(limit))).all()


OWNED_ORDER = ListOrder([SortColumn(Invoice.due_at), SortColumn(Invoice.id)])
"""A payer's invoices: soonest due first."""
OWNED_KEY_TYPES = (datetime, uuid.UUID)


async def get(
    session: AsyncSession, *, invoice_id: uuid.UUID, for_update: bool = False
) -> Invoice | None:
    query = select(Invoice).where(Invoice.id == invoice_id)
    return await session.scalar(query.with_for_update(key_share=True) if for_update else query)


async def by_source_reference(session: AsyncSession, *, source_reference: str) -> Invoice | None:
    return await session.scalar(select(Invoice).where(Invoice.source_reference == source_reference))


async def next_serial(session: AsyncSession) -> int:
    """The next invoice serial (a sequence: never handed out twice, even to a rolled-back
    transaction)."""
    return int(await session.scalar(INVOICE_SERIAL.next_value()) or 0)


async def insert_unless_referenced(
    session: AsyncSession,
    *,
    serial: int,
    number: str,
    payer_id: str,
    source: str,
    source_reference: str,
    description: str,
    amount_rupiah: int,
    va_number: str,
    qris_payload: str,
    due_at: datetime,
    created_by: str,
) -> uuid.UUID | None:
    """Insert an open invoice unless one for ``source_reference`` exists: its id, or None.

    The insert skips on the unique source reference, so a concurrent twin waits for the
    winner's transaction instead of failing.
    """
    return await session.scalar(
        insert(Invoice)
        .values(
            id=uuid.uuid4(),
            serial=serial,
            number=number,
            payer_id=payer_id,
            source=source,
            source_reference=source_reference,
            description=description,
            amount_rupiah=amount_rupiah,
            status=InvoiceStatus.OPEN,
            va_number=va_number,
            qris_payload=qris_payload,
            due_at=due_at,
            created_by=created_by,
        )
        .on_conflict_do_nothing(index_elements=[Invoice.source_reference])
        .returning(Invoice.id)
    )


async def add_lines(
    session: AsyncSession, *, invoice_id: uuid.UUID, lines: Sequence[tuple[str, int]]
) -> None:
    """Add the new invoice's lines, ``(description, amount_rupiah)`` in the order printed."""
    session.add_all(
        InvoiceLine(
            invoice_id=invoice_id, position=i, description=description, amount_rupiah=amount
        )
        for i, (description, amount) in enumerate(lines, start=1)
    )


async def with_lines(session: AsyncSession, *, invoice_id: uuid.UUID) -> Invoice:
    """The invoice, with its lines read afresh (after lines were added in this session)."""
    invoice = await session.get_one(Invoice, invoice_id)
    await session.refresh(invoice, ["lines"])
    return invoice


async def for_settlement(session: AsyncSession, *, channel: str, reference: str) -> Invoice | None:
    """The invoice a settlement pays, locked: by virtual account (the open invoice holding
    it, else the latest that did) or by QRIS bill number (the invoice number)."""
    if channel == "qris":
        query = select(Invoice).where(Invoice.number == reference)
    else:
        query = (
            select(Invoice)
            .where(Invoice.va_number == reference)
            .order_by((Invoice.status == InvoiceStatus.OPEN).desc(), Invoice.created_at.desc())
            .limit(1)
        )
    return await session.scalar(query.with_for_update(key_share=True))


async def overdue(session: AsyncSession, *, now: datetime, limit: int) -> Sequence[Invoice]:
    """Open invoices past due, locked (SKIP LOCKED: replicas share the sweep)."""
    return (
        await session.scalars(
            select(Invoice)
            .where(Invoice.status == InvoiceStatus.OPEN, Invoice.due_at <= now)
            .order_by(Invoice.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()
