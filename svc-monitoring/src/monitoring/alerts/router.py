"""Endpoints for the alerts raised: newest first, a page at a time."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Response

from kota_shared.db import DbSession
from kota_shared.pagination import Page
from monitoring.alerts import repository
from monitoring.alerts.schemas import AlertRead
from monitoring.dependencies import KECAMATAN, Viewer

router = APIRouter(prefix="/v1/monitoring/alerts", tags=["monitoring"])


class AlertKind(StrEnum):
    AT_RISK = "at_risk"
    BREACHED = "breached"


@router.get(
    "",
    summary="Alerts raised, newest first",
    description="Applications that reached 80 % of a stage's time (`at_risk`) or passed its "
    "deadline (`breached`), once per stage; the same alerts are published on "
    "`monitoring.events`. Who may call: city administrators, monitoring viewers, or agency "
    'clients with `monitoring:read`. Paginated: follow `Link: rel="next"`.',
)
async def list_alerts(
    session: DbSession,
    viewer: Viewer,
    page: Page,
    response: Response,
    kind: AlertKind | None = None,
    permit_type: Annotated[str | None, Query(max_length=40)] = None,
    kecamatan: KECAMATAN = None,
) -> list[AlertRead]:
    rows = await repository.newest(
        session,
        limit=page.fetch_size(),
        kind=kind.value if kind else None,
        permit_type=permit_type,
        kecamatan=kecamatan,
        after=page.after(datetime, uuid.UUID),
    )
    found = [AlertRead.model_validate(dict(row)) for row in rows]
    return list(page.answer(found, response, key=lambda a: (a.detected_at, a.event_id)))
