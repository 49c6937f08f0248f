"""The officers' work queue endpoint."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime

from kota_shared.pagination import PAGINATION_DESCRIPTION, Page
from kota_shared.transaction import CurrentTransaction
from permits.applications import queue, repository
from permits.applications.queue import Claimed
from permits.applications.schemas import ApplicationRead
from permits.applications.workflow import Status
from permits.dependencies import Officer

router = APIRouter(prefix="/v1/permits/queue", tags=["permits"])


@router.get(
    "",
    summary="Applications waiting for officers, the most urgent deadline first",
    description=(
        "Who may call: a permits officer (`permits_officer`). Without `status`, lists "
        "what needs an officer (submitted, resubmitted, in review). `claimed=mine` shows "
        "the caller's own work, `claimed=none` what nobody has taken yet. `due_before` "
        "keeps applications whose running stage is due before that instant. Strongly "
        "consistent." + PAGINATION_DESCRIPTION
    ),
)
async def work_queue(
    tx: CurrentTransaction,
    officer: Officer,
    page: Page,
    response: Response,
    status: Annotated[list[Status] | None, Query()] = None,
    permit_type: Annotated[str | None, Query(pattern=r"^[A-Z][A-Z0-9_]{1,19}$")] = None,
    district_code: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
    due_before: AwareDatetime | None = None,
    claimed: Claimed | None = None,
) -> list[ApplicationRead]:
    found = await queue.work_queue(
        tx,
        officer=officer,
        statuses=status,
        permit_type=permit_type,
        district_code=district_code,
        due_before=due_before,
        claimed=claimed,
        after=page.after(*repository.QUEUE_KEY_TYPES),
        limit=page.fetch_size(),
    )
    shown = page.answer(found, response, key=repository.QUEUE_ORDER.key)
    return [ApplicationRead.of(application, officer) for application in shown]
