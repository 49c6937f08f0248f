"""Unpaid invoices past their due date expire, each announced once, so the service that asked
for the payment closes its record (permits marks the application expired).

`sweep` works at the clock's "now": tests move time instead of waiting for it.
"""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_shared.clock import Clock
from kota_shared.events.outbox import Outbox
from payments.invoices import repository, service

BATCH = 200


async def sweep(
    sessionmaker: async_sessionmaker[AsyncSession], outbox: Outbox, *, clock: Clock
) -> int:
    """Expire every overdue open invoice, a batch per transaction; returns how many."""
    expired = 0
    while True:
        now = clock()
        async with sessionmaker() as session, session.begin():
            overdue = await repository.overdue(session, now=now, limit=BATCH)
            for invoice in overdue:
                await service.expire(session, outbox, invoice, now=now)
        expired += len(overdue)
        if len(overdue) < BATCH:
            return expired
