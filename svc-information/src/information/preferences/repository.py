"""Queries on preferences (the only module here that touches them)."""

import uuid
from datetime import datetime, time
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from information.preferences.models import Preference


async def get(session: AsyncSession, *, account_id: uuid.UUID) -> Preference | None:
    return await session.get(Preference, account_id)


async def put(
    session: AsyncSession,
    *,
    account_id: uuid.UUID,
    channels: list[str],
    language: str,
    quiet_from: time | None,
    quiet_until: time | None,
    now: datetime,
) -> Preference:
    values: dict[str, Any] = {
        "channels": channels,
        "language": language,
        "quiet_from": quiet_from,
        "quiet_until": quiet_until,
        "updated_at": now,
    }
    statement = (
        insert(Preference)
        .values(account_id=account_id, **values)
        .on_conflict_do_update(index_elements=[Preference.account_id], set_=values)
        .returning(Preference)
    )
    stored = await session.scalars(statement, execution_options={"populate_existing": True})
    return stored.one()
