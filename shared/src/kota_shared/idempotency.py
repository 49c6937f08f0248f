"""Idempotency keys with Stripe's semantics, for writes a client may retry (payments, bookings).

The key row is inserted in the request's own transaction, before the operation runs, and the
response is written into it before the commit. So the key and the effect commit together or
not at all (a request that raised a `Problem` or failed validation leaves no trace), and a
concurrent duplicate's insert waits on the unique index until the first commits, then replays
its response; or, if the first rolled back, executes itself. Requires READ COMMITTED (the
default): the waiting insert must see the row that was committed while it waited.
"""

import hashlib
import inspect
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import parse_qsl

import sqlalchemy as sa
from alembic import op
from fastapi import Header, Request, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel
from sqlalchemy import (
    Column,
    DateTime,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    delete,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.messages import _
from kota_shared.problems import Problem

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_LIFETIME = timedelta(hours=24)
DUPLICATE_WAIT = timedelta(seconds=5)
_KEY = re.compile(r"[\x20-\x7e]{1,255}")
_LOCK_NOT_AVAILABLE = "55P03"

Clock = Callable[[], datetime]
ResponseContent = BaseModel | dict[str, Any]


class IdempotencyKeyRequired(Problem):
    status = 400
    code = "idempotency_key_required"
    title = _("This request needs an Idempotency-Key header, so that a retry cannot repeat it.")


class IdempotencyKeyInvalid(Problem):
    status = 400
    code = "idempotency_key_invalid"
    title = _("The Idempotency-Key header must be 1 to 255 printable ASCII characters.")


class IdempotencyKeyReused(Problem):
    status = 422
    code = "idempotency_key_reused"
    title = _("This Idempotency-Key was already used for a different request.")


class IdempotencyKeyInProgress(Problem):
    status = 409
    code = "idempotency_key_in_progress"
    title = _("A request with this Idempotency-Key is still being processed. Try again shortly.")

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": "1"})


def idempotency_table(metadata: MetaData) -> Table:
    """Declare ``idempotency_keys`` on a service's metadata (its migrations create it)."""
    return Table(
        "idempotency_keys",
        metadata,
        # scope is the caller (a token subject): two callers' keys never collide.
        Column("scope", String(255), primary_key=True),
        Column("key", String(255), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
        # The response, NULL only inside the transaction that claimed the key. The body is the
        # exact bytes sent first (JSONB would reorder keys), so a replay is byte for byte.
        Column("status_code", SmallInteger),
        Column("body", LargeBinary),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
    )


def create_idempotency_table_v1() -> None:
    """Migration step, written out so an applied migration never changes with the table."""
    op.create_table(
        "idempotency_keys",
        sa.Column("scope", sa.String(length=255), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.SmallInteger(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_index(
        op.f("ix_idempotency_keys_expires_at"), "idempotency_keys", ["expires_at"], unique=False
    )


def drop_idempotency_table_v1() -> None:
    op.drop_index(op.f("ix_idempotency_keys_expires_at"), table_name="idempotency_keys")
    op.drop_table("idempotency_keys")


async def purge_expired(session: AsyncSession, *, table: Table, now: datetime) -> int:
    """Delete keys expired at ``now`` (they already count as new); returns how many."""
    result = await session.execute(delete(table).where(table.c.expires_at <= now))
    return int(result.rowcount)  # type: ignore[attr-defined]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _fingerprint(*, method: str, path: str, query: str, body: bytes) -> str:
    """SHA-256 of the request in a canonical form: reformatted JSON is the same request."""
    try:
        content: Any = ["json", json.loads(body)] if body else None
    except ValueError:  # not JSON (nor UTF-8): the bytes themselves
        content = ["bytes", body.hex()]
    canonical = json.dumps(
        [method, path, sorted(parse_qsl(query, keep_blank_values=True)), content],
        sort_keys=True,
        separators=(",", ":"),  # ASCII escapes: a lone surrogate in the body still encodes
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _json_bytes(result: ResponseContent) -> bytes:
    """Rendered as FastAPI's JSONResponse renders, so a stored body reads like any other."""
    return json.dumps(
        jsonable_encoder(result), ensure_ascii=False, allow_nan=False, separators=(",", ":")
    ).encode()


@dataclass(frozen=True)
class IdempotentRequest:
    """One request's key and fingerprint; `run` executes it at most once per caller and key.

    ``key`` is None when an endpoint makes the header optional and the client sent none: the
    operation then simply runs (the endpoint's own rules must keep a retry harmless).
    """

    table: Table
    key: str | None
    fingerprint: str
    lifetime: timedelta
    wait: timedelta
    clock: Clock

    async def run(
        self,
        session: AsyncSession,
        *,
        scope: str,
        operation: Callable[[], Awaitable[ResponseContent]],
        status_code: int = 201,
    ) -> Response:
        """The operation's response, or the stored one when this key was already used.

        ``session`` must be the request's transaction (`DbSession`), so the key commits with
        the effect. ``scope`` names the caller, normally ``principal.subject``.
        """
        if not scope:
            raise ValueError("an idempotency key needs a caller to belong to")
        if self.key is None:
            return Response(
                _json_bytes(await operation()),
                status_code=status_code,
                media_type="application/json",
            )
        if not await self._claim(session, scope=scope):
            return await self._replay(session, scope=scope)
        body = _json_bytes(await operation())
        await session.execute(
            update(self.table)
            .where(self.table.c.scope == scope, self.table.c.key == self.key)
            .values(status_code=status_code, body=body)
        )
        return Response(body, status_code=status_code, media_type="application/json")

    async def _claim(self, session: AsyncSession, *, scope: str) -> bool:
        """Insert the key (or take over an expired one); False when it is live and taken.

        The insert waits for a transaction holding the same key, up to ``wait``: duplicates
        piling up behind a stuck request must not take every pooled connection.
        """
        assert self.key is not None  # run() claims only keyed requests
        now, table = self.clock(), self.table
        row = insert(table).values(
            scope=scope,
            key=self.key,
            fingerprint=self.fingerprint,
            created_at=now,
            expires_at=now + self.lifetime,
        )
        claim = row.on_conflict_do_update(
            index_elements=[table.c.scope, table.c.key],
            set_={
                "fingerprint": row.excluded.fingerprint,
                "created_at": row.excluded.created_at,
                "expires_at": row.excluded.expires_at,
                "status_code": None,
                "body": None,
            },
            where=table.c.expires_at <= now,
        ).returning(table.c.key)
        timeout = f"{max(1, round(self.wait.total_seconds() * 1000))}ms"
        await session.execute(
            text("SELECT set_config('lock_timeout', :timeout, true)"), {"timeout": timeout}
        )
        try:
            claimed = (await session.execute(claim)).first() is not None
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
                raise IdempotencyKeyInProgress() from exc
            raise
        await session.execute(text("SET LOCAL lock_timeout TO DEFAULT"))
        return claimed

    async def _replay(self, session: AsyncSession, *, scope: str) -> Response:
        # The claim locked the row (ON CONFLICT DO UPDATE locks even when WHERE is false).
        stored = (
            await session.execute(
                select(self.table.c.fingerprint, self.table.c.status_code, self.table.c.body).where(
                    self.table.c.scope == scope, self.table.c.key == self.key
                )
            )
        ).one()
        if stored.fingerprint != self.fingerprint:
            raise IdempotencyKeyReused()
        if stored.status_code is None or stored.body is None:
            raise RuntimeError(
                f"idempotency key {self.key!r} was committed without its response: "
                "an endpoint caught its operation's error and committed anyway"
            )
        return Response(
            stored.body,
            status_code=stored.status_code,
            media_type="application/json",
            headers={REPLAYED_HEADER: "true"},
        )


REQUIRED_MARK = "x-kota-required"
"""On the header's schema where the key is required: FastAPI must not refuse a missing key
itself (that is our 400, not a 422), so the OpenAPI post-processing marks it required."""


def _signature(*, required: bool) -> inspect.Signature:
    """``(request, key)``, the key read from the ``Idempotency-Key`` header."""
    header = Header(
        alias=KEY_HEADER,
        description=(
            "A value of yours, unique per operation (a UUID): send the same one when you "
            "retry, and the first result comes back instead of the operation running again "
            "(the same key with another body is a 422). Kept 24 hours."
            + (" Required here: 400 without it." if required else "")
        ),
        json_schema_extra={REQUIRED_MARK: True} if required else None,
    )
    return inspect.Signature(
        [
            inspect.Parameter(
                "request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request
            ),
            inspect.Parameter(
                "key",
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=None,
                annotation=Annotated[str | None, header],
            ),
        ],
        return_annotation=IdempotentRequest,
    )


class RequireIdempotencyKey:
    """A dependency reading ``Idempotency-Key`` and fingerprinting the request.

    ``Annotated[IdempotentRequest, Depends(RequireIdempotencyKey(IDEMPOTENCY_KEYS))]``;
    a malformed key, or a missing one where ``required``, is a 400 before anything runs.
    ``required=False`` suits writes whose own rules already turn a blind retry into a
    harmless 409 (one booking per queue and day): the key then replays the first answer.
    """

    def __init__(
        self,
        table: Table,
        *,
        required: bool = True,
        lifetime: timedelta = KEY_LIFETIME,
        wait: timedelta = DUPLICATE_WAIT,
        clock: Clock | None = None,
    ) -> None:
        """``clock`` is by default the app's (``app.state.clock``), the one its purge of
        expired keys reads: a key then expires by the same "now" it is purged by."""
        self._table = table
        self._required = required
        self.__signature__ = _signature(required=required)
        self._lifetime = lifetime
        self._wait = wait
        self._clock = clock

    def _clock_of(self, request: Request) -> Clock:
        if self._clock is not None:
            return self._clock
        app_clock: Clock = getattr(request.app.state, "clock", _utc_now)
        return app_clock

    async def __call__(self, request: Request, key: str | None = None) -> IdempotentRequest:
        """The signature FastAPI reads is `_signature`'s, which documents the header."""
        if key is None:
            if self._required:
                raise IdempotencyKeyRequired()
            return IdempotentRequest(
                table=self._table,
                key=None,
                fingerprint="",
                lifetime=self._lifetime,
                wait=self._wait,
                clock=self._clock_of(request),
            )
        if not _KEY.fullmatch(key):
            raise IdempotencyKeyInvalid()
        # Starlette caches the body FastAPI already read, so this is not a second read.
        body = await request.body()
        return IdempotentRequest(
            table=self._table,
            key=key,
            fingerprint=_fingerprint(
                method=request.method, path=request.url.path, query=request.url.query, body=body
            ),
            lifetime=self._lifetime,
            wait=self._wait,
            clock=self._clock_of(request),
        )
