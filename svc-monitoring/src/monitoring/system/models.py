"""What the last probes saw, and every system alert raised (the ledger, rebuilt from
monitoring's own topic like the deadline alerts')."""

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Index, String, Table, Text, Uuid

from monitoring.db import Base

service_status = Table(
    "service_status",
    Base.metadata,
    Column("service", String(40), primary_key=True),
    Column("ready", Boolean, nullable=False),
    # When the service last changed between ready and not ready.
    Column("since", DateTime(timezone=True), nullable=False),
    Column("checked_at", DateTime(timezone=True), nullable=False),
    Column("detail", Text),
    Column("outbox_backlog", BigInteger),
)

consumer_lag = Table(
    "consumer_lag",
    Base.metadata,
    Column("consumer_group", String(200), primary_key=True),
    Column("lag", BigInteger, nullable=False),
    Column("lagging_since", DateTime(timezone=True)),
    Column("checked_at", DateTime(timezone=True), nullable=False),
)

dead_letter_topics = Table(
    "dead_letter_topics",
    Base.metadata,
    Column("topic", String(249), primary_key=True),
    Column("written", BigInteger, nullable=False),
    # The count the last alert reported: a higher one is news.
    Column("alerted_at_written", BigInteger, nullable=False),
    Column("checked_at", DateTime(timezone=True), nullable=False),
)

system_alerts = Table(
    "system_alerts",
    Base.metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("kind", String(40), nullable=False),
    # The service, consumer group or dead-letter topic the alert is about.
    Column("subject", String(249), nullable=False),
    Column("detail", Text, nullable=False),
    Column("detected_at", DateTime(timezone=True), nullable=False),
    Index("ix_system_alerts_newest", "detected_at", "event_id"),
)
