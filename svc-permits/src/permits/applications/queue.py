"""The officers' work queue: open applications, most urgent deadline first."""

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from kota_shared.auth import Principal
from kota_shared.pagination import Key
from kota_shared.transaction import Transaction
from permits.applications import repository
from permits.applications.models import Application
from permits.applications.repository import QueueFilter
from permits.applications.workflow import Status

OPEN_FOR_OFFICERS = (Status.SUBMITTED, Status.RESUBMITTED, Status.IN_REVIEW)

Claimed = Literal["mine", "none"]
"""``mine``: the officer's own work; ``none``: what nobody has taken yet."""


async def work_queue(
    tx: Transaction,
    *,
    officer: Principal,
    statuses: Sequence[Status] | None,
    permit_type: str | None,
    district_code: str | None,
    due_before: datetime | None,
    claimed: Claimed | None,
    after: Key | None,
    limit: int,
) -> Sequence[Application]:
    """What needs an officer unless ``statuses`` says otherwise, narrowed by the filters."""
    queue = QueueFilter(
        statuses=statuses or OPEN_FOR_OFFICERS,
        permit_type=permit_type,
        district_code=district_code,
        due_before=due_before,
        claimed_by=officer.subject if claimed == "mine" else None,
        unclaimed=claimed == "none",
    )
    return await repository.queue(tx.session, queue=queue, after=after, limit=limit)
