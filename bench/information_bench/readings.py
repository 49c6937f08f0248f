"""What the benchmark reads from the information service's database while it measures and
after: the fan-out's progress, whether every inbox holds the announcement once, the tables'
sizes, and the sample's sends."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass(frozen=True)
class Progress:
    recipients: int
    started_at: datetime | None
    completed_at: datetime | None


async def fan_out(engine: AsyncEngine, announcement_id: uuid.UUID) -> Progress | None:
    """The announcement's fan-out row (None before its publication made one)."""
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                text(
                    "SELECT recipients, started_at, completed_at FROM announcement_fan_outs "
                    "WHERE announcement_id = :id"
                ),
                {"id": announcement_id},
            )
        ).first()
    return None if row is None else Progress(*row)


async def inboxes(engine: AsyncEngine, announcement_id: uuid.UUID) -> dict[str, int]:
    """How many notices the announcement gave, how many citizens have none, and the
    messages planned for them (by channel)."""
    source = f"announcement:{announcement_id}"
    async with engine.connect() as connection:
        notices = await connection.scalar(
            text("SELECT count(*) FROM notices WHERE source_id = :source"), {"source": source}
        )
        # The notices' unique key (cause, recipient, kind) makes a second copy impossible;
        # this finds anyone left without one.
        missing = await connection.scalar(
            text(
                "SELECT count(*) FROM directory d WHERE d.kind = 'citizen' AND NOT EXISTS "
                "(SELECT 1 FROM notices n WHERE n.source_id = :source "
                "AND n.recipient_id = d.account_id AND n.kind = 'announcement')"
            ),
            {"source": source},
        )
        planned = (
            await connection.execute(
                text("SELECT channel, count(*) FROM messages GROUP BY channel ORDER BY channel")
            )
        ).all()
    return {
        "notices": int(notices or 0),
        "citizens_without_it": int(missing or 0),
        **{f"messages_planned_{channel}": int(count) for channel, count in planned},
    }


async def table_sizes(engine: AsyncEngine, tables: list[str]) -> dict[str, Any]:
    """Each table's size on disk with its indexes, in MB, and the database's."""
    async with engine.connect() as connection:
        sizes = {
            table: round(
                int(
                    await connection.scalar(
                        text("SELECT pg_total_relation_size(CAST(:t AS regclass))"), {"t": table}
                    )
                    or 0
                )
                / 2**20,
                1,
            )
            for table in tables
        }
        database = await connection.scalar(text("SELECT pg_database_size(current_database())"))
    return {"database_mb": round(int(database or 0) / 2**20, 1), "tables_mb": sizes}


# Messages reserved for a send carry their number's hash (a partial index has exactly
# those), so this stays cheap beside a million planned messages.
_HANDED_OVER = "FROM messages WHERE number_hash IS NOT NULL"


async def sends(engine: AsyncEngine) -> dict[str, int]:
    """Messages the provider took (named by its id) and those it did not."""
    async with engine.connect() as connection:
        taken, failed = (
            await connection.execute(
                text(
                    "SELECT count(*) FILTER (WHERE provider_message_id IS NOT NULL), "
                    "count(*) FILTER (WHERE provider_message_id IS NULL AND status IN "
                    "('permanent_failure', 'technical_failure')) " + _HANDED_OVER
                )
            )
        ).one()
    return {"taken": int(taken), "failed": int(failed)}


async def statuses(engine: AsyncEngine) -> dict[str, int]:
    """The messages handed over for a send, by their status now (``delivered`` once a
    receipt said so)."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT status, count(*) " + _HANDED_OVER + " GROUP BY status ORDER BY status")
        )
        return {str(status): int(count) for status, count in rows}


async def taken(engine: AsyncEngine) -> dict[str, datetime]:
    """Each message the provider took, by the provider's id for it: when it was marked
    ``sending``, just before the provider was called."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT provider_message_id, sent_at "
                + _HANDED_OVER
                + " AND provider_message_id IS NOT NULL"
            )
        )
        return {str(provider_id): at for provider_id, at in rows}
