"""Consumes every event and counts it by type (runs inside the consumer's transaction)."""

from kota_shared.events.envelope import EventData, ReceivedEvent
from kota_shared.transaction import Transaction
from monitoring.counters import repository


async def count_event(tx: Transaction, event: ReceivedEvent[EventData | None]) -> None:
    """Count ``event`` by its type, at the time it says it happened (its data is unread)."""
    await repository.count_one(tx.session, event_type=event.type, at=event.time)
