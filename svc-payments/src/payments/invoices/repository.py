"""Queries on invoices (the only module here that builds a select)."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from payments.invoices.models import Invoice


async def list_owned(*, session: AsyncSession, payer_id: str) -> Sequence[Invoice]:
    """The invoices ``payer_id`` owes, soonest due first (others' are invisible)."""
    return (
        await session.scalars(
            select(Invoice).where(Invoice.payer_id == payer_id).order_by(Invoice.due_at, Invoice.id)
        )
    ).all()
