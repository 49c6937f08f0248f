"""Endpoints for the suite's health, for operators."""

import uuid
from datetime import datetime

from fastapi import APIRouter, Response

from kota_shared.db import DbSession
from kota_shared.pagination import Page
from monitoring.dependencies import Viewer
from monitoring.system import repository
from monitoring.system.schemas import (
    ConsumerGroupLag,
    DeadLetterTopic,
    ServiceHealth,
    SystemAlertRead,
    SystemHealth,
)

router = APIRouter(prefix="/v1/monitoring/system", tags=["monitoring"])

_WHO = (
    "Who may call: city administrators, monitoring viewers, or agency clients with "
    "`monitoring:read`."
)


@router.get(
    "",
    summary="Each service's readiness and outbox backlog, each consumer group's lag, dead letters",
    description="As the last probe saw them (every `MONITORING_SYSTEM_PROBE_SECONDS`). "
    "The same figures are Prometheus gauges on monitoring's `/metrics`. " + _WHO,
)
async def system_health(session: DbSession, viewer: Viewer) -> SystemHealth:
    services, groups, dead_letters = await repository.everything_seen(session)
    return SystemHealth(
        services=[ServiceHealth.model_validate(dict(r)) for r in services],
        consumer_groups=[ConsumerGroupLag.model_validate(dict(r)) for r in groups],
        dead_letter_topics=[DeadLetterTopic.model_validate(dict(r)) for r in dead_letters],
    )


@router.get(
    "/alerts",
    summary="System alerts raised, newest first",
    description="Services not ready for too long, consumer groups lagging, dead letters "
    "written; each once per cause, also published on `monitoring.events`. "
    + _WHO
    + ' Paginated: follow `Link: rel="next"`.',
)
async def list_system_alerts(
    session: DbSession, viewer: Viewer, page: Page, response: Response
) -> list[SystemAlertRead]:
    rows = await repository.newest_alerts(
        session,
        limit=page.fetch_size(),
        after=page.after(datetime, uuid.UUID),
    )
    found = [SystemAlertRead.model_validate(dict(row)) for row in rows]
    return list(page.answer(found, response, key=lambda a: (a.detected_at, a.event_id)))
