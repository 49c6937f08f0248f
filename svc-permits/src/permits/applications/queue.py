"""The officers' work queue: open applications, most urgent deadline first."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from permits.applications import repository
from permits.applications.flow import Flow
from permits.applications.repository import QueueFilter
from permits.applications.router import present
from permits.applications.schemas import ApplicationRead
from permits.applications.workflow import Status
from permits.dependencies import Officer

router = APIRouter(prefix="/v1/permits/queue", tags=["permits"])

OPEN_FOR_OFFICERS = (Status.SUBMITTED, Status.RESUBMITTED, Status.IN_REVIEW)


@router.get(
    "",
    summary="Applications waiting for officers, the most urgent deadline first",
    description=(
        "Who may call: a permits officer (`permits_officer`). Without `status`, lists "
        "what needs an officer (submitted, resubmitted, in review). `claimed=mine` shows "
        "the caller's own work, `claimed=none` what nobody has taken yet. `due_before` "
        "keeps applications whose running stage is due before that instant. Strongly "
        "consistent."
    ),
)
async def work_queue(
    flow: Flow,
    officer: Officer,
    status: Annotated[list[Status] | None, Query()] = None,
    permit_type: Annotated[str | None, Query(pattern=r"^[A-Z][A-Z0-9_]{1,19}$")] = None,
    district_code: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
    due_before: AwareDatetime | None = None,
    claimed: Literal["mine", "none"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[ApplicationRead]:
    queue = QueueFilter(
        statuses=status or OPEN_FOR_OFFICERS,
        permit_type=permit_type,
        district_code=district_code,
        due_before=due_before,
        claimed_by=officer.subject if claimed == "mine" else None,
        unclaimed=claimed == "none",
    )
    found = await repository.queue(session=flow.session, queue=queue, limit=limit)
    return [present(application, officer) for application in found]
