"""When each reminder is due, scheduling it, cancelling it when settled, and the sweep that
records the due ones as notices."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from information.notices import service as notices
from information.notices.drafts import CitizenRecipient, NoticeDraft
from information.notices.kinds import NoticeKind
from information.reminders import repository
from kota_shared.transaction import Transaction


@dataclass(frozen=True)
class ReminderTimes:
    """The city's rules for when reminders go (`InformationSettings`)."""

    invoice_days_before: int
    """An unpaid invoice's reminder goes this many days before it is due."""
    booking_reminder_at: time
    """A booking's reminder goes at this city time the day before the visit."""
    timezone: ZoneInfo

    def due_at(self, draft: NoticeDraft) -> datetime:
        if draft.kind == NoticeKind.INVOICE_REMINDER:
            due = datetime.fromisoformat(str(draft.params["due_at"]))
            return due - timedelta(days=self.invoice_days_before)
        if draft.kind == NoticeKind.BOOKING_REMINDER:
            visit = date.fromisoformat(str(draft.params["visit_date"]))
            day_before = visit - timedelta(days=1)
            return datetime.combine(day_before, self.booking_reminder_at, tzinfo=self.timezone)
        raise ValueError(f"no reminder time for {draft.kind}")


async def schedule(tx: Transaction, drafts: Sequence[NoticeDraft], *, times: ReminderTimes) -> None:
    """Schedule each reminder unless its time has already come: an invoice due tomorrow was
    just announced, a reminder now would only repeat it."""
    for draft in drafts:
        due_at = times.due_at(draft)
        if due_at <= tx.now or not isinstance(draft.recipient, CitizenRecipient):
            continue
        await repository.schedule(
            tx.session,
            {
                "kind": draft.kind,
                "recipient_id": draft.recipient.account_id,
                "subject_ref": draft.subject_ref,
                "params": dict(draft.params),
                "urgent": draft.urgent,
                "due_at": due_at,
                "created_at": tx.now,
            },
        )


async def settle(tx: Transaction, *, subject_ref: str) -> None:
    """What the reminders were about is done (paid, expired, cancelled): none will go."""
    await repository.cancel(tx.session, subject_ref=subject_ref, at=tx.now)


async def send_due(tx: Transaction, *, batch_size: int, timezone: ZoneInfo) -> int:
    """Record the reminders due now as notices (the dispatcher sends them); how many."""
    due = await repository.claim_due(tx.session, now=tx.now, limit=batch_size)
    for reminder in due:
        draft = NoticeDraft(
            kind=NoticeKind(reminder.kind),
            recipient=CitizenRecipient(reminder.recipient_id),
            params=reminder.params,
            urgent=reminder.urgent,
            subject_ref=reminder.subject_ref,
        )
        await notices.record(tx, [draft], source_id=f"reminder:{reminder.id}", timezone=timezone)
    await repository.mark_sent(tx.session, reminder_ids=[r.id for r in due], at=tx.now)
    return len(due)
