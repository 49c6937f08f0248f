"""One transaction's tools, handed to every service operation as its first argument.

A request (or a consumed event) is one transaction: its session, the outbox whose events
commit with it, and one "now" read once from the service's clock, with the city's date at
that moment. Every operation takes it first and keyword-only arguments after it, so all
services read alike; a service that needs more (a working calendar, an admission period)
extends it with a frozen subclass and its own dependency built on `CurrentTransaction`.
"""

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Self

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.clock import Clock, Now, local_date
from kota_shared.db import DbSession
from kota_shared.events.outbox import Outbox
from kota_shared.settings import ServiceSettings


@dataclass(frozen=True, kw_only=True)
class Transaction:
    session: AsyncSession
    """Committed once when the request (or the event's handler) returns, rolled back if it
    raises: services never commit."""
    outbox: Outbox
    """Events added here are published only if the transaction commits."""
    now: datetime
    today: date
    """The city's date at ``now`` (a visit day, a due date and a deadline are local dates)."""

    @classmethod
    def begin(
        cls, session: AsyncSession, *, outbox: Outbox, clock: Clock, settings: ServiceSettings
    ) -> "Transaction":
        now = clock()
        return Transaction(
            session=session, outbox=outbox, now=now, today=local_date(now, settings.timezone)
        )

    @classmethod
    def extending(cls, base: "Transaction", **fields: Any) -> Self:
        """A service's own transaction: ``base``'s tools plus the service's ``fields``."""
        inherited = {f.name: getattr(base, f.name) for f in dataclasses.fields(Transaction)}
        return cls(**inherited, **fields)


def _outbox(request: Request) -> Outbox:
    outbox = request.app.state.runtime.outbox
    if outbox is None:
        raise RuntimeError("this service declared no event tables, so it has no outbox")
    assert isinstance(outbox, Outbox)
    return outbox


EventOutbox = Annotated[Outbox, Depends(_outbox)]
"""The service's outbox: events added to it commit with the request's transaction."""


def _transaction(
    request: Request, session: DbSession, outbox: EventOutbox, now: Now
) -> Transaction:
    settings: ServiceSettings = request.app.state.runtime.settings
    return Transaction(
        session=session, outbox=outbox, now=now, today=local_date(now, settings.timezone)
    )


CurrentTransaction = Annotated[Transaction, Depends(_transaction)]
"""The request's transaction: a service's own dependency builds on it with `extending`."""
