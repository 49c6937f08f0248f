"""Applies permits' workflow steps to the permits read model (inside the consumer's
transaction, so an event's figures and its inbox row commit together).

Only `StepTaken` is read: it carries every step with the clocks permits set, so monitoring
compares instants and never counts working days itself.
"""

from typing import Any

from kota_contracts.permits import OpenedStage, StepTaken
from kota_shared.events.envelope import ReceivedEvent
from monitoring import aggregates
from monitoring import tallies_repository as tallies
from monitoring.permits import repository
from monitoring.permits.models import END_TO_END, permit_daily, permit_stage_daily
from monitoring.reach import handlers as reach
from monitoring.transaction import MonitoringTransaction

_COUNTED: dict[str, tuple[str, ...]] = {
    "submit": ("received",),
    "resubmit": ("resubmitted",),
    "request_revision": ("revisions_requested",),
    "approve": ("decided", "approved"),
    "deem_approved": ("decided", "approved", "deemed_approved"),
    "reject": ("decided", "rejected"),
    "issue": ("issued",),
    "record_payment": ("issued", "paid"),
    "cancel": ("cancelled",),
    "expire": ("expired",),
}
"""The daily counters each step adds one to."""

DECISIONS = frozenset({"approve", "deem_approved", "reject"})
_APPLICANT_STEPS = frozenset({"submit", "resubmit", "cancel"})


async def step_taken(tx: MonitoringTransaction, event: ReceivedEvent[StepTaken]) -> None:
    step = event.data
    kecamatan = step.kecamatan_code or aggregates.UNKNOWN
    day = aggregates.city_day(step.at, tx.timezone)
    case = await _case(tx, step)
    amounts = dict.fromkeys(_COUNTED.get(step.action, ()), 1)
    if step.action in _APPLICANT_STEPS:
        await reach.count_transaction(
            tx,
            service="permits",
            kecamatan=step.kecamatan_code,
            at=step.at,
            assisted=step.assisted_by is not None,
        )
    if step.action == "record_payment" and case["approved_at"] is not None:
        amounts["payment_wait_seconds"] = int((step.at - case["approved_at"]).total_seconds())
    key = {"permit_type": step.permit_type, "kecamatan_code": kecamatan, "day": day}
    await tallies.add(tx.session, permit_daily, key, **amounts)

    closed = step.closed_stage if step.action != "cancel" else None
    if closed is not None:
        on_time = step.at < closed.due_at
        await _closed(tx, key, closed.stage, closed.working_days, on_time=on_time)
        case["city_working_days"] += closed.working_days
        case["late_stages"] += not on_time
    if step.action in DECISIONS:
        await _closed(
            tx, key, END_TO_END, case["city_working_days"], on_time=case["late_stages"] == 0
        )
    await _save(tx, step, case, kecamatan, step.opened_stage)


async def _closed(
    tx: MonitoringTransaction,
    key: dict[str, Any],
    stage: str,
    working_days: int,
    *,
    on_time: bool,
) -> None:
    await tallies.add(
        tx.session,
        permit_stage_daily,
        {**key, "stage": stage, "working_days": working_days},
        closed=1,
        on_time=int(on_time),
    )


async def _case(tx: MonitoringTransaction, step: StepTaken) -> dict[str, Any]:
    """The application's row as it stands (locked), or a new one's starting values."""
    found = await repository.case_for_update(tx.session, step.application_id)
    return found or {"city_working_days": 0, "late_stages": 0, "approved_at": None}


async def _save(
    tx: MonitoringTransaction,
    step: StepTaken,
    case: dict[str, Any],
    kecamatan: str,
    opened: OpenedStage | None,
) -> None:
    values: dict[str, Any] = {
        "permit_type": step.permit_type,
        "kecamatan_code": kecamatan,
        "status": step.to_status,
        "stage": opened.stage if opened else None,
        "stage_started_at": step.at if opened else None,
        "due_at": opened.due_at if opened else None,
        "at_risk_at": opened.at_risk_at if opened else None,
        "aged_3_at": opened.aged_3_working_days_at if opened else None,
        "aged_6_at": opened.aged_6_working_days_at if opened else None,
        "aged_11_at": opened.aged_11_working_days_at if opened else None,
        "city_working_days": case["city_working_days"],
        "late_stages": case["late_stages"],
        "approved_at": step.at if step.to_status == "approved" else case["approved_at"],
    }
    await repository.save_case(tx.session, step.application_id, values)
