"""Queries on accounts and refresh tokens (the only module here that builds a select)."""

import uuid
from datetime import datetime
from typing import Literal

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kota_gateway.identity.accounts.models import (
    Account,
    AccountKind,
    RefreshToken,
    RefreshTokenFamily,
    SignInFailures,
)


async def get_account(session: AsyncSession, *, account_id: uuid.UUID) -> Account | None:
    return await session.get(Account, account_id)


async def citizen_exists(session: AsyncSession, *, nik: str, phone: str | None) -> bool:
    """True when the NIK or the phone (if any) belongs to an account already."""
    # Never ``phone IS NULL``: every account without a phone would match.
    taken = Account.nik == nik if phone is None else or_(Account.nik == nik, Account.phone == phone)
    found = await session.scalar(select(func.count()).select_from(Account).where(taken))
    return bool(found)


async def get_citizen_by_nik(session: AsyncSession, *, nik: str) -> Account | None:
    return await session.scalar(
        select(Account).where(Account.nik == nik, Account.kind == AccountKind.CITIZEN)
    )


SignInName = Literal["nik", "phone", "username"]
_SIGN_IN_COLUMNS = {"nik": Account.nik, "phone": Account.phone, "username": Account.username}


async def account_for_sign_in(
    session: AsyncSession, *, name_kind: SignInName, name: str
) -> Account | None:
    """The account a sign-in names (not locked: the attempt's failure row serialises
    attempts; see `lock_sign_in_failures`)."""
    column = _SIGN_IN_COLUMNS[name_kind]
    return await session.scalar(select(Account).where(column == name))


async def lock_account(session: AsyncSession, *, account_id: uuid.UUID) -> Account | None:
    return await session.scalar(select(Account).where(Account.id == account_id).with_for_update())


async def username_taken(session: AsyncSession, *, username: str) -> bool:
    found = await session.scalar(select(Account.id).where(Account.username == username))
    return found is not None


async def insert_staff_if_absent(session: AsyncSession, *, account: Account) -> bool:
    """Insert unless the username exists (two replicas starting at once); True if inserted."""
    inserted = await session.scalar(
        insert(Account)
        .values(
            id=account.id,
            kind=account.kind,
            username=account.username,
            full_name=account.full_name,
            roles=account.roles,
            password_hash=account.password_hash,
        )
        .on_conflict_do_nothing(index_elements=[Account.username])
        .returning(Account.id)
    )
    return inserted is not None


async def lock_refresh_token(
    session: AsyncSession, *, digest: str
) -> tuple[RefreshToken, RefreshTokenFamily] | None:
    """The token with this digest and its family, both row-locked: two refreshes racing
    with one token are decided one after the other."""
    row = (
        await session.execute(
            select(RefreshToken, RefreshTokenFamily)
            .join(RefreshTokenFamily, RefreshToken.family_id == RefreshTokenFamily.id)
            .where(RefreshToken.token_digest == digest)
            .with_for_update()
        )
    ).one_or_none()
    return (row[0], row[1]) if row is not None else None


async def revoke_families(
    session: AsyncSession,
    *,
    reason: str,
    now: datetime,
    family_id: uuid.UUID | None = None,
    account_id: uuid.UUID | None = None,
) -> int:
    """Revoke one family, or every live family of an account; how many were revoked."""
    statement = update(RefreshTokenFamily).where(RefreshTokenFamily.revoked_at.is_(None))
    if family_id is not None:
        statement = statement.where(RefreshTokenFamily.id == family_id)
    elif account_id is not None:
        statement = statement.where(RefreshTokenFamily.account_id == account_id)
    else:
        raise ValueError("name a family or an account")
    result = await session.execute(statement.values(revoked_at=now, revoked_reason=reason))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def lock_sign_in_failures(
    session: AsyncSession, *, name_digest: str, source: str
) -> SignInFailures:
    """The failures of this name from this address, created if none, row-locked until the
    transaction ends: concurrent attempts are counted one after the other, replicas too.

    The insert waits for a concurrent one of the same key to commit, then does nothing;
    the select then waits for that attempt's lock.
    """
    await session.execute(
        insert(SignInFailures)
        .values(name_digest=name_digest, source=source, failures=0)
        .on_conflict_do_nothing(index_elements=[SignInFailures.name_digest, SignInFailures.source])
    )
    row = await session.scalar(
        select(SignInFailures)
        .where(SignInFailures.name_digest == name_digest, SignInFailures.source == source)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert row is not None, "inserted above or already there, and only purged when stale"
    return row


async def count_failure_everywhere(
    session: AsyncSession, *, name_digest: str, source: str, now: datetime, since: datetime
) -> int:
    """Add a failure to the name's count from every address (row ``source``), which starts
    again when none came since ``since``; the count after it."""
    stale = or_(SignInFailures.last_failed_at.is_(None), SignInFailures.last_failed_at < since)
    counted = await session.scalar(
        insert(SignInFailures)
        .values(name_digest=name_digest, source=source, failures=1, last_failed_at=now)
        .on_conflict_do_update(
            index_elements=[SignInFailures.name_digest, SignInFailures.source],
            set_={
                "failures": case((stale, 1), else_=SignInFailures.failures + 1),
                "last_failed_at": now,
            },
        )
        .returning(SignInFailures.failures)
    )
    return int(counted or 0)


async def forget_sign_in_failures(session: AsyncSession, *, name_digest: str, source: str) -> None:
    await session.execute(
        delete(SignInFailures).where(
            SignInFailures.name_digest == name_digest, SignInFailures.source == source
        )
    )


async def purge_sign_in_failures(session: AsyncSession, *, before: datetime, now: datetime) -> int:
    """Forget failures older than ``before`` that hold no lock at ``now``; how many rows."""
    result = await session.execute(
        delete(SignInFailures).where(
            or_(SignInFailures.last_failed_at.is_(None), SignInFailures.last_failed_at < before),
            or_(SignInFailures.locked_until.is_(None), SignInFailures.locked_until <= now),
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
