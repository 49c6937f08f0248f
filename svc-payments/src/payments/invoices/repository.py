"""Queries on invoices (the only module here that selects them).

Row locks are FOR NO KEY UPDATE: they serialise changes to an invoice without blocking
rows that merely reference it (a flagged settlement report is written while the
settlement's own transaction still holds the invoice).
"""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from payments.invoices.models import Invoice, InvoiceStatus


async def list_owned(*, session: AsyncSession, payer_id: str) -> Sequence[Invoice]:
    """The invoices ``payer_id`` owes, soonest due first (others' are invisible)."""
    return (
        await session.scalars(
            select(Invoice).where(Invoice.payer_id == payer_id).order_by(Invoice.due_at, Invoice.id)
        )
    ).all()


async def get(
    session: AsyncSession, invoice_id: uuid.UUID, *, for_update: bool = False
) -> Invoice | None:
    query = select(Invoice).where(Invoice.id == invoice_id)
    return await session.scalar(query.with_for_update(key_share=True) if for_update else query)


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
