"""Queries on the directory of accounts (the only module here that touches it)."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import String, func, literal, select, true
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from information.directory.models import AccountKind, DirectoryEntry


async def record_citizen(
    session: AsyncSession,
    *,
    account_id: uuid.UUID,
    kecamatan_code: str | None,
    registered_at_kiosk: bool,
    registered_at: datetime,
) -> None:
    """Add a citizen, or complete one: identity announces each registration twice (v1 and
    v2, the latter with the district), in either order, so a known district is never
    replaced by an unknown one."""
    statement = insert(DirectoryEntry).values(
        account_id=account_id,
        kind=AccountKind.CITIZEN,
        kecamatan_code=kecamatan_code,
        registered_at_kiosk=registered_at_kiosk,
        roles=[],
        registered_at=registered_at,
    )
    new = statement.excluded
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[DirectoryEntry.account_id],
            set_={
                "kecamatan_code": func.coalesce(new.kecamatan_code, DirectoryEntry.kecamatan_code),
                "registered_at_kiosk": DirectoryEntry.registered_at_kiosk | new.registered_at_kiosk,
            },
        )
    )


async def record_staff(
    session: AsyncSession, *, account_id: uuid.UUID, roles: Sequence[str], created_at: datetime
) -> None:
    statement = insert(DirectoryEntry).values(
        account_id=account_id,
        kind=AccountKind.STAFF,
        kecamatan_code=None,
        registered_at_kiosk=False,
        roles=sorted(roles),
        registered_at=created_at,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[DirectoryEntry.account_id], set_={"roles": statement.excluded.roles}
        )
    )


async def staff_with_any_role(session: AsyncSession, *, roles: Sequence[str]) -> list[uuid.UUID]:
    """The staff accounts holding one of ``roles``, in id order."""
    query = (
        select(DirectoryEntry.account_id)
        .where(DirectoryEntry.kind == AccountKind.STAFF, DirectoryEntry.roles.overlap(list(roles)))
        .order_by(DirectoryEntry.account_id)
    )
    return list((await session.scalars(query)).all())


async def get(session: AsyncSession, *, account_id: uuid.UUID) -> DirectoryEntry | None:
    return await session.get(DirectoryEntry, account_id)


async def citizens_after(
    session: AsyncSession,
    *,
    kecamatan_codes: Sequence[str] | None,
    after: uuid.UUID | None,
    limit: int,
) -> list[uuid.UUID]:
    """The next ``limit`` citizens in account id order after ``after``: every citizen, or
    (with ``kecamatan_codes``) those living in one of them. An announcement's fan-out walks
    its audience with it, a page per transaction.

    Per kecamatan, the page is read from ``ix_directory_citizens_by_kecamatan`` in id order
    and the pages merged, so a page costs its size whatever the district's: a plain
    ``kecamatan_code IN (...)`` would sort every remaining citizen of them for each page.
    """
    start = after or uuid.UUID(int=0)
    if kecamatan_codes is None:
        query = (
            select(DirectoryEntry.account_id)
            .where(DirectoryEntry.kind == AccountKind.CITIZEN, DirectoryEntry.account_id > start)
            .order_by(DirectoryEntry.account_id)
            .limit(limit)
        )
        return list((await session.scalars(query)).all())
    codes = literal(list(kecamatan_codes), ARRAY(String(8)))
    code = func.unnest(codes).table_valued("code").render_derived(name="codes")
    per_kecamatan = (
        select(DirectoryEntry.account_id)
        .where(
            DirectoryEntry.kind == AccountKind.CITIZEN,
            DirectoryEntry.kecamatan_code == code.c.code,
            DirectoryEntry.account_id > start,
        )
        .order_by(DirectoryEntry.account_id)
        .limit(limit)
        .lateral("per_kecamatan")
    )
    query = (
        select(per_kecamatan.c.account_id)
        .select_from(code.join(per_kecamatan, true()))
        .order_by(per_kecamatan.c.account_id)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())
