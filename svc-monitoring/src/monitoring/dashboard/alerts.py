"""The alerts page: applications at risk of missing a stage's deadline, or past it, newest
first, a page at a time (the API's order and cursor)."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.pagination import PageRequest, encode_cursor
from monitoring.alerts import repository

KINDS = ("at_risk", "breached")


@dataclass(frozen=True)
class AlertsPage:
    alerts: Sequence[dict[str, Any]]
    older: str | None
    """The next page's cursor, if there are older alerts."""


async def newest(session: AsyncSession, *, limit: int) -> list[dict[str, Any]]:
    return [dict(row) for row in await repository.newest(session, limit=limit)]


async def page(
    session: AsyncSession,
    *,
    page: PageRequest,
    kind: str | None,
    permit_type: str | None,
    kecamatan: str | None,
) -> AlertsPage:
    after = page.after(datetime, uuid.UUID)
    rows = await repository.newest(
        session,
        limit=page.fetch_size(),
        kind=kind,
        permit_type=permit_type,
        kecamatan=kecamatan,
        after=(after[0], after[1]) if after else None,
    )
    shown = [dict(row) for row in rows[: page.limit]]
    more = len(rows) > page.limit
    older = encode_cursor((shown[-1]["detected_at"], shown[-1]["event_id"])) if more else None
    return AlertsPage(alerts=shown, older=older)
