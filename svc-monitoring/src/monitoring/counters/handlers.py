"""Consumes every event and counts it by type (runs inside the consumer's transaction)."""

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.events.envelope import ReceivedEvent
from monitoring.counters.models import EventCount


async def count_event(session: AsyncSession, event: ReceivedEvent) -> None:
    statement = insert(EventCount).values(event_type=event.type, count=1, last_event_at=event.time)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[EventCount.event_type],
            set_={
                "count": EventCount.count + 1,
                "last_event_at": statement.excluded.last_event_at,
            },
        )
    )
