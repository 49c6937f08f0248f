"""Idempotency keys on real PostgreSQL: one effect per key, replays byte for byte, races, expiry."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from idempotent_app import (
    IDEMPOTENCY_KEYS,
    Clock,
    count_transfers,
    create_app,
    lock_waiters,
    metadata,
    stored_keys,
    transfers,
)
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_dev.pytest_plugin import AuthHeaders, Infrastructure, create_database, running_app
from kota_shared import db
from kota_shared.idempotency import (
    DUPLICATE_WAIT,
    KEY_LIFETIME,
    IdempotentRequest,
    create_idempotency_table_v1,
    drop_idempotency_table_v1,
    purge_expired,
)
from kota_shared.problems import ServiceUnavailable
from kota_shared.testing.schema import schema_differences
from kota_shared.testing.tokens import TestSigner
from kota_shared.testing.waiting import eventually

BODY = {"reference": "INV-2026-0001", "amount_rupiah": 150_000}


def _migrate(connection: Connection) -> None:
    """As a service's migration would: the keys table by its step, the rest from the models."""
    with Operations.context(MigrationContext.configure(connection)):
        create_idempotency_table_v1()
    metadata.create_all(connection, tables=[transfers])


@pytest.fixture
async def database_url(infrastructure: Infrastructure) -> str:
    url = await create_database(infrastructure, "idempotency")
    engine = db.create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_migrate)
    finally:
        await engine.dispose()
    return url


@pytest.fixture
async def transfers_db(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    # A pool large enough for ten requests at once, each on its own connection.
    engine = db.create_engine(database_url, pool_size=12)
    try:
        yield db.create_sessionmaker(engine)
    finally:
        await engine.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def serve(
    transfers_db: async_sessionmaker[AsyncSession], jwks_url: str, signer: TestSigner, clock: Clock
) -> Callable[..., Any]:
    """Start the miniature service in-process, with options (``wait``, ``during``)."""

    @asynccontextmanager
    async def start(**options: Any) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(
            sessionmaker=transfers_db,
            jwks_url=jwks_url,
            issuer=signer.issuer,
            audience=signer.audience,
            clock=clock,
            **options,
        )
        async with running_app(app) as client:
            yield client

    return start


@pytest.fixture
async def client(serve: Callable[..., Any]) -> AsyncIterator[httpx.AsyncClient]:
    async with serve() as client:
        yield client


@pytest.fixture
def post(auth_headers: AuthHeaders) -> Callable[..., Any]:
    """POST a transfer as ``caller`` with ``key`` (None: no header)."""

    async def send(
        client: httpx.AsyncClient,
        *,
        key: str | bytes | None,
        body: Any = BODY,
        caller: str = "citizen-1",
        path: str = "/v1/transfers",
        **kwargs: Any,
    ) -> httpx.Response:
        headers: dict[str, Any] = {**auth_headers(caller), **kwargs.pop("headers", {})}
        if key is not None:
            headers["Idempotency-Key"] = key
        if "content" not in kwargs:
            kwargs["json"] = body
        return await client.post(path, headers=headers, **kwargs)

    return send


def _replayed(response: httpx.Response) -> bool:
    return response.headers.get("idempotent-replayed") == "true"


async def test_the_first_request_executes_and_a_retry_gets_its_response_byte_for_byte(
    client, post, transfers_db
) -> None:
    first = await post(client, key="pay-1")
    retry = await post(client, key="pay-1")

    assert first.status_code == 201
    assert not _replayed(first)
    assert first.json() == {
        "id": 1,
        "reference": "INV-2026-0001",
        "amount_rupiah": 150_000,
        "message": "Transfer diterima — terima kasih",
    }
    assert retry.status_code == 201
    assert _replayed(retry)
    assert retry.content == first.content
    assert retry.headers["content-type"] == first.headers["content-type"] == "application/json"
    assert await count_transfers(transfers_db) == 1
    assert [tuple(row) for row in await stored_keys(transfers_db)] == [("citizen-1", "pay-1", 201)]


async def test_the_same_json_written_differently_is_the_same_request(
    client, post, transfers_db
) -> None:
    first = await post(client, key="pay-1")
    reformatted = await post(
        client,
        key="pay-1",
        content=b'{\n  "amount_rupiah": 150000,\n  "reference": "INV-2026-0001"\n}',
        headers={"Content-Type": "application/json"},
    )

    assert _replayed(reformatted)
    assert reformatted.content == first.content
    assert await count_transfers(transfers_db) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"body": {**BODY, "amount_rupiah": 999_000}},
        {"path": "/v1/payouts"},
        {"params": {"note": "again"}},
    ],
    ids=["other-body", "other-path", "other-query"],
)
async def test_the_same_key_for_another_request_is_refused(
    client, post, transfers_db, change
) -> None:
    first = await post(client, key="pay-1")

    reused = await post(client, key="pay-1", **change)

    assert reused.status_code == 422
    assert reused.headers["content-type"] == "application/problem+json"
    assert reused.json()["code"] == "idempotency_key_reused"
    again = await post(client, key="pay-1")  # the stored response is untouched
    assert _replayed(again)
    assert again.content == first.content
    assert await count_transfers(transfers_db) == 1


async def test_keys_belong_to_their_caller(client, post, transfers_db) -> None:
    mine = await post(client, key="pay-1", caller="citizen-1")
    theirs = await post(client, key="pay-1", caller="citizen-2")

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert not _replayed(theirs)
    assert mine.json()["id"] != theirs.json()["id"]
    assert (await post(client, key="pay-1", caller="citizen-2")).content == theirs.content
    assert (await post(client, key="pay-1", caller="citizen-1")).content == mine.content
    assert await count_transfers(transfers_db) == 2


async def test_ten_concurrent_duplicates_apply_once_and_all_get_the_same_response(
    serve, post, transfers_db
) -> None:
    async def until_nine_duplicates_wait() -> None:
        # The executing request holds its effect open until the other nine are queued on the
        # key in PostgreSQL, so they truly race it rather than arrive after it committed.
        await eventually(
            lambda: lock_waiters(transfers_db),
            until=lambda waiting: waiting == 9,
            within=20,
            what="nine duplicates waiting on the key",
        )

    async with serve(wait=timedelta(seconds=60), during=until_nine_duplicates_wait) as client:
        responses = await asyncio.gather(*(post(client, key="pay-1") for _ in range(10)))

    assert [r.status_code for r in responses] == [201] * 10
    assert len({r.content for r in responses}) == 1
    assert sorted(_replayed(r) for r in responses) == [False] + [True] * 9
    assert await count_transfers(transfers_db) == 1


async def test_a_duplicate_waiting_on_a_request_that_fails_executes_itself(
    serve, post, transfers_db
) -> None:
    calls = 0

    async def first_fails_once_the_duplicate_waits() -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            await eventually(lambda: lock_waiters(transfers_db), what="the duplicate to wait")
            raise ServiceUnavailable("The bank did not answer.")

    async with serve(
        wait=timedelta(seconds=60), during=first_fails_once_the_duplicate_waits
    ) as client:
        responses = await asyncio.gather(post(client, key="pay-1"), post(client, key="pay-1"))

    failed, executed = sorted(responses, key=lambda r: r.status_code, reverse=True)
    assert failed.status_code == 503
    assert executed.status_code == 201
    assert not _replayed(executed)
    assert calls == 2
    assert await count_transfers(transfers_db) == 1


async def test_a_duplicate_that_waits_too_long_is_told_to_retry(serve, post) -> None:
    entered, release = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        entered.set()
        await release.wait()

    async with serve(wait=timedelta(milliseconds=100), during=hold) as client:
        first = asyncio.create_task(post(client, key="pay-1"))
        await asyncio.wait_for(entered.wait(), timeout=20)
        try:
            duplicate = await asyncio.wait_for(post(client, key="pay-1"), timeout=20)
        finally:
            release.set()
        executed = await first
        retry = await post(client, key="pay-1")

    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "idempotency_key_in_progress"
    assert duplicate.headers["retry-after"] == "1"
    assert executed.status_code == 201
    assert _replayed(retry)
    assert retry.content == executed.content


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"reference": "INV-2026-0001", "amount_rupiah": 0}', "application/json"),
        # A lone surrogate has no UTF-8: the fingerprint must still encode it.
        (b'{"reference": "\\ud800", "amount_rupiah": 0}', "application/json"),
        # Not JSON at all: FastAPI reads it as bytes, the fingerprint takes the bytes.
        (b"reference=INV-2026-0001&amount_rupiah=150000", "text/plain"),
    ],
    ids=["invalid-amount", "lone-surrogate", "not-json"],
)
async def test_a_request_that_fails_validation_stores_nothing(
    client, post, transfers_db, content, content_type
) -> None:
    invalid = await post(
        client, key="pay-1", content=content, headers={"Content-Type": content_type}
    )

    assert invalid.status_code == 422
    assert invalid.json()["code"] == "validation_failed"
    assert await stored_keys(transfers_db) == []
    corrected = await post(client, key="pay-1")
    assert corrected.status_code == 201
    assert not _replayed(corrected)
    assert await count_transfers(transfers_db) == 1


async def test_a_problem_raised_by_the_operation_rolls_back_its_effect_and_its_key(
    serve, post, transfers_db
) -> None:
    outage = True

    async def bank() -> None:
        if outage:
            raise ServiceUnavailable("The bank did not answer.")

    async with serve(during=bank) as client:
        failed = await post(client, key="pay-1")
        assert await stored_keys(transfers_db) == []
        assert await count_transfers(transfers_db) == 0  # the operation's own write is undone
        outage = False
        retried = await post(client, key="pay-1")

    assert failed.status_code == 503
    assert failed.json()["code"] == "service_unavailable"
    assert retried.status_code == 201
    assert not _replayed(retried)
    assert await count_transfers(transfers_db) == 1


async def test_a_key_expires_after_24_hours_and_is_then_new(
    client, post, transfers_db, clock
) -> None:
    first = await post(client, key="pay-1")
    clock.advance(KEY_LIFETIME - timedelta(seconds=1))
    still_kept = await post(client, key="pay-1")
    clock.advance(timedelta(seconds=1))
    other = {**BODY, "amount_rupiah": 75_000}
    after_expiry = await post(client, key="pay-1", body=other)

    assert _replayed(still_kept)
    assert still_kept.content == first.content
    assert after_expiry.status_code == 201  # another request with an expired key: not a 422
    assert not _replayed(after_expiry)
    assert after_expiry.json()["amount_rupiah"] == 75_000
    assert (await post(client, key="pay-1")).json()["code"] == "idempotency_key_reused"
    assert await count_transfers(transfers_db) == 2


async def test_purging_deletes_only_expired_keys(client, post, transfers_db, clock) -> None:
    await post(client, key="old")
    clock.advance(timedelta(hours=12))
    recent = await post(client, key="recent")
    clock.advance(timedelta(hours=12))

    async with transfers_db() as session, session.begin():
        purged = await purge_expired(session, table=IDEMPOTENCY_KEYS, now=clock())

    assert purged == 1
    assert [row.key for row in await stored_keys(transfers_db)] == ["recent"]
    assert (await post(client, key="recent")).content == recent.content


async def test_a_missing_key_is_required(client, post, transfers_db) -> None:
    response = await post(client, key=None)

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "idempotency_key_required"
    assert await count_transfers(transfers_db) == 0


@pytest.mark.parametrize(
    "key",
    ["", "k" * 256, "tab\there", "kunci-é".encode("latin-1"), "line\nbreak"],
    ids=["empty", "256-chars", "control-char", "non-ascii", "newline"],
)
async def test_a_malformed_key_is_refused(client, post, transfers_db, key) -> None:
    response = await post(client, key=key)

    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_invalid"
    assert await count_transfers(transfers_db) == 0


@pytest.mark.parametrize(
    "key",
    ["k" * 255, "x", "7f3c2a9e-5b1d-4c8e-9a6f-0d2e4b8c1a3f", "order 42/retry:#1 ~"],
    ids=["255-chars", "one-char", "uuid", "punctuation-and-space"],
)
async def test_printable_keys_up_to_255_characters_are_accepted(client, post, key) -> None:
    assert (await post(client, key=key)).status_code == 201
    assert _replayed(await post(client, key=key))


async def test_a_key_committed_without_its_response_is_reported_not_replayed(
    transfers_db, clock
) -> None:
    """An endpoint that swallows its operation's error commits a key with no response."""
    request = IdempotentRequest(
        table=IDEMPOTENCY_KEYS,
        key="pay-1",
        fingerprint="0" * 64,
        lifetime=KEY_LIFETIME,
        wait=DUPLICATE_WAIT,
        clock=clock,
    )

    async def fails() -> dict[str, Any]:
        raise ServiceUnavailable()

    async with transfers_db() as session, session.begin():
        with pytest.raises(ServiceUnavailable):
            await request.run(session, scope="citizen-1", operation=fails)

    async with transfers_db() as session, session.begin():
        with pytest.raises(RuntimeError, match="committed without its response"):
            await request.run(session, scope="citizen-1", operation=fails)


async def test_the_migration_step_creates_exactly_the_declared_table(database_url) -> None:
    assert await schema_differences(database_url, metadata) == []

    engine = db.create_engine(database_url)
    try:
        async with engine.begin() as connection:

            def drop(sync: Connection) -> list[str]:
                with Operations.context(MigrationContext.configure(sync)):
                    drop_idempotency_table_v1()
                return inspect(sync).get_table_names()

            assert await connection.run_sync(drop) == ["transfers"]
    finally:
        await engine.dispose()
