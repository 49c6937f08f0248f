"""Unpaid invoices past their due date expire, each announced once, so the service that asked
for the payment closes its record (permits marks the application expired).

`sweep` works at the clock's "now": tests move time instead of waiting for it.
"""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_shared.clock import Clock
from kota_shared.events.outbox import Outbox
from kota_shared.settings import ServiceSettings
from kota_shared.transaction import Transaction
from payments.invoices import service

BATCH = 200


async def sweep(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    outbox: Outbox,
    clock: Clock,
    settings: ServiceSettings,
) -> int:
    """Expire every overdue open invoice, a batch per transaction; returns how many."""
    expired = 0
    while True:
        async with sessionmaker() as session, session.begin():
            tx = Transaction.begin(session, outbox=outbox, clock=clock, settings=settings)
            batch = await service.expire_overdue(tx, limit=BATCH)
        expired += batch
        if batch < BATCH:
            return expired
