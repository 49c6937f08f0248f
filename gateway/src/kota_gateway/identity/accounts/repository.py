"""Queries on accounts and refresh tokens (the only module here that builds a select)."""

import uuid
from datetime import datetime
from typing import Literal

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kota_gateway.identity.accounts.models import (
    Account,
    AccountKind,
    RefreshToken,
    RefreshTokenFamily,
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


async def lock_account_for_sign_in(
    session: AsyncSession, *, name_kind: SignInName, name: str
) -> Account | None:
    """The account a sign-in names, row-locked until the transaction ends, so concurrent
    attempts on one account are counted one after the other (replicas included)."""
    column = _SIGN_IN_COLUMNS[name_kind]
    return await session.scalar(select(Account).where(column == name).with_for_update())


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
