"""A miniature service for testing idempotency keys: transfers that must never happen twice."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI, Response
from pydantic import BaseModel, Field
from sqlalchemy import (
    BigInteger,
    Column,
    Identity,
    Integer,
    String,
    Table,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_shared.auth import CurrentPrincipal, JwksKeys, TokenVerifier
from kota_shared.db import DbSession, new_metadata
from kota_shared.idempotency import (
    DUPLICATE_WAIT,
    IdempotentRequest,
    RequireIdempotencyKey,
    idempotency_table,
)
from kota_shared.problems import install_problem_handlers

metadata = new_metadata()
IDEMPOTENCY_KEYS = idempotency_table(metadata)
transfers = Table(
    "transfers",
    metadata,
    Column("id", Integer, Identity(), primary_key=True),
    Column("owner", String(64), nullable=False),
    Column("reference", String(64), nullable=False),
    Column("amount_rupiah", BigInteger, nullable=False),
)

_LOCK_WAITERS = text(
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
)

Hook = Callable[[], Awaitable[None]]
"""Runs inside the operation, after its effect is written: a test pauses or fails it there."""


class TransferCreate(BaseModel):
    reference: str
    amount_rupiah: int = Field(gt=0)


class TransferRead(BaseModel):
    id: int
    reference: str
    amount_rupiah: int
    message: str


class Clock:
    """The time as the test sets it: expiry is tested by moving it, never by sleeping."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


async def _nothing() -> None:
    return None


async def make_transfer(
    session: AsyncSession, *, owner: str, transfer: TransferCreate, during: Hook
) -> TransferRead:
    transfer_id = await session.scalar(
        insert(transfers)
        .values(owner=owner, reference=transfer.reference, amount_rupiah=transfer.amount_rupiah)
        .returning(transfers.c.id)
    )
    await during()
    assert transfer_id is not None
    return TransferRead(
        id=transfer_id,
        reference=transfer.reference,
        amount_rupiah=transfer.amount_rupiah,
        message="Transfer diterima — terima kasih",  # non-ASCII: the replay must keep the bytes
    )


def create_app(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    jwks_url: str,
    issuer: str,
    audience: str,
    clock: Clock,
    wait: timedelta = DUPLICATE_WAIT,
    during: Hook = _nothing,
) -> FastAPI:
    keys = RequireIdempotencyKey(IDEMPOTENCY_KEYS, wait=wait, clock=clock)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient() as http:
            app.state.sessionmaker = sessionmaker
            app.state.token_verifier = TokenVerifier(
                keys=JwksKeys(jwks_url, client=http), issuer=issuer, audience=audience
            )
            yield

    app = FastAPI(lifespan=lifespan)
    install_problem_handlers(app)

    async def create_transfer(
        transfer: TransferCreate,
        session: DbSession,
        caller: CurrentPrincipal,
        idempotent: Annotated[IdempotentRequest, Depends(keys)],
    ) -> Response:
        return await idempotent.run(
            session,
            scope=caller.subject,
            operation=lambda: make_transfer(
                session, owner=caller.subject, transfer=transfer, during=during
            ),
        )

    # Two paths, one operation: the same key sent to the other path is another request.
    for path in ("/v1/transfers", "/v1/payouts"):
        app.add_api_route(
            path, create_transfer, methods=["POST"], status_code=201, response_model=TransferRead
        )
    return app


async def count_transfers(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(transfers)) or 0)


async def stored_keys(sessionmaker: async_sessionmaker[AsyncSession]) -> list[Any]:
    async with sessionmaker() as session:
        table = IDEMPOTENCY_KEYS
        return list(
            await session.execute(
                select(table.c.scope, table.c.key, table.c.status_code).order_by(table.c.key)
            )
        )


async def lock_waiters(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    """Connections of this database waiting on a lock: duplicates queued behind a key."""
    async with sessionmaker() as session:
        return int(await session.scalar(_LOCK_WAITERS) or 0)
