"""The request-scoped `Workflow` as a FastAPI dependency."""

from typing import Annotated

from fastapi import Depends, Request

from kota_shared.clock import Now
from kota_shared.db import DbSession
from kota_shared.transaction import EventOutbox
from permits.applications.context import Workflow
from permits.dependencies import Calendar


def _workflow(
    request: Request, session: DbSession, outbox: EventOutbox, calendar: Calendar, now: Now
) -> Workflow:
    return Workflow(
        session=session,
        outbox=outbox,
        calendar=calendar,
        city_code=request.app.state.runtime.settings.city_code,
        now=now,
    )


Flow = Annotated[Workflow, Depends(_workflow)]
