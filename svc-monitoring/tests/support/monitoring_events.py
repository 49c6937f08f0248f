"""Events as the other services publish them, written out for tests' scripted months."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from monitoring_feed import Feed

from kota_contracts.permits import Action, ClosedStage, OpenedStage, Stage, StepTaken

OFFICER = "officer-kiosk-7"
K1, K2 = "36.71.01", "36.71.02"


def day(year: int, month: int, number: int, hour: int = 2) -> datetime:
    """``hour`` UTC on that day: 09:00 in Kota Tangerang by default, the same city day."""
    return datetime(year, month, number, hour, tzinfo=UTC)


def opened(stage: Stage, at: datetime, due_at: datetime) -> OpenedStage:
    """A stage's clock as permits would set it (ages counted in calendar days here: what
    monitoring compares is the instants, however permits computed them)."""
    return OpenedStage(
        stage=stage,
        due_at=due_at,
        at_risk_at=at + (due_at - at) * 0.8,
        aged_3_working_days_at=at + timedelta(days=3),
        aged_6_working_days_at=at + timedelta(days=6),
        aged_11_working_days_at=at + timedelta(days=11),
    )


def closed(stage: Stage, started_at: datetime, due_at: datetime, working_days: int) -> ClosedStage:
    return ClosedStage(stage=stage, started_at=started_at, due_at=due_at, working_days=working_days)


_ACTORS: dict[str, Literal["applicant", "officer", "system"]] = {
    "submit": "applicant",
    "resubmit": "applicant",
    "cancel": "applicant",
    "start_review": "officer",
    "request_revision": "officer",
    "approve": "officer",
    "reject": "officer",
    "revoke": "officer",
}


def step(
    application_id: uuid.UUID,
    action: Action,
    source: str,
    target: str,
    at: datetime,
    *,
    permit_type: str,
    kecamatan: str | None,
    closes: ClosedStage | None = None,
    opens: OpenedStage | None = None,
    assisted_by: str | None = None,
) -> StepTaken:
    return StepTaken(
        application_id=application_id,
        permit_type=permit_type,
        kecamatan_code=kecamatan,
        action=action,
        from_status=source,
        to_status=target,
        actor=_ACTORS.get(action, "system"),
        assisted_by=assisted_by,
        at=at,
        closed_stage=closes,
        opened_stage=opens,
    )


async def permit_month(feed: Feed, year: int, permit_type: str) -> None:
    """Six applications in March: on time and paid; late, revised and deemed approved; assisted
    and rejected late; approved on time and expired unpaid; left open; withdrawn."""

    def d(n: int) -> Any:
        return day(year, 3, n)

    a, b, c, e, f, g = (uuid.uuid4() for _ in range(6))
    kind = {"permit_type": permit_type}
    story = [
        # A: decided on time in both stages, then paid a day after approval.
        (a, step(a, "submit", "draft", "submitted", d(2), kecamatan=K1, **kind,
                 opens=opened("verification", d(2), d(4)))),
        (a, step(a, "start_review", "submitted", "in_review", d(3), kecamatan=K1, **kind,
                 closes=closed("verification", d(2), d(4), 1),
                 opens=opened("review", d(3), d(8)))),
        (a, step(a, "approve", "in_review", "approved", d(5), kecamatan=K1, **kind,
                 closes=closed("review", d(3), d(8), 2))),
        (a, step(a, "request_payment", "approved", "awaiting_payment", d(5), kecamatan=K1,
                 **kind)),
        (a, step(a, "record_payment", "awaiting_payment", "issued", d(6), kecamatan=K1, **kind)),
        # B: verified late, sent back, resubmitted, then deemed approved past its deadline.
        (b, step(b, "submit", "draft", "submitted", d(2), kecamatan=K1, **kind,
                 opens=opened("verification", d(2), d(4)))),
        (b, step(b, "start_review", "submitted", "in_review", d(6), kecamatan=K1, **kind,
                 closes=closed("verification", d(2), d(4), 4),
                 opens=opened("review", d(6), d(11)))),
        (b, step(b, "request_revision", "in_review", "revision_requested", d(9), kecamatan=K1,
                 **kind, closes=closed("review", d(6), d(11), 3))),
        (b, step(b, "resubmit", "revision_requested", "resubmitted", d(12), kecamatan=K1,
                 **kind, opens=opened("verification", d(12), d(14)))),
        (b, step(b, "deem_approved", "resubmitted", "approved", d(16), kecamatan=K1, **kind,
                 closes=closed("verification", d(12), d(14), 2))),
        (b, step(b, "issue", "approved", "issued", d(16), kecamatan=K1, **kind)),
        # C: handed in by a kiosk officer for the citizen; rejected after its deadline.
        (c, step(c, "submit", "draft", "submitted", d(3), kecamatan=K2, **kind,
                 assisted_by=OFFICER, opens=opened("verification", d(3), d(5)))),
        (c, step(c, "start_review", "submitted", "in_review", d(4), kecamatan=K2, **kind,
                 closes=closed("verification", d(3), d(5), 1),
                 opens=opened("review", d(4), d(9)))),
        (c, step(c, "reject", "in_review", "rejected", d(10), kecamatan=K2, **kind,
                 closes=closed("review", d(4), d(9), 4))),
        # G: decided on time, its fee never paid: the approval expires with the invoice.
        (g, step(g, "submit", "draft", "submitted", d(7), kecamatan=K2, **kind,
                 opens=opened("verification", d(7), d(9)))),
        (g, step(g, "start_review", "submitted", "in_review", d(8), kecamatan=K2, **kind,
                 closes=closed("verification", d(7), d(9), 1),
                 opens=opened("review", d(8), d(13)))),
        (g, step(g, "approve", "in_review", "approved", d(10), kecamatan=K2, **kind,
                 closes=closed("review", d(8), d(13), 2))),
        (g, step(g, "request_payment", "approved", "awaiting_payment", d(10), kecamatan=K2,
                 **kind)),
        (g, step(g, "expire", "awaiting_payment", "expired", d(20), kecamatan=K2, **kind)),
        # E: still waiting for verification.
        (e, step(e, "submit", "draft", "submitted", d(20), kecamatan=K2, **kind,
                 opens=opened("verification", d(20), d(22)))),
        # F: withdrawn by the applicant: its stage closes, but not by the city.
        (f, step(f, "submit", "draft", "submitted", d(21), kecamatan=K1, **kind,
                 opens=opened("verification", d(21), d(23)))),
        (f, step(f, "cancel", "submitted", "cancelled", d(22), kecamatan=K1, **kind,
                 closes=closed("verification", d(21), d(23), 1))),
    ]  # fmt: skip
    await feed.applied([await feed.send(data, subject=s, at=data.at) for s, data in story])
