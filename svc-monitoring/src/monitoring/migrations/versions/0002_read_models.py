"""Read models of every service's figures, the suite's health, and the alert ledgers.

Read models are rebuilt from the log, never migrated by hand: the event counts start again
from zero here, because the consumer that keeps them now (``monitoring.read-models.g1``)
reads every topic from its beginning.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_READ_MODELS = (
    "permit_cases",
    "permit_daily",
    "permit_stage_daily",
    "invoice_cases",
    "payment_daily",
    "revenue_daily",
    "booking_daily",
    "registration_totals",
    "reach_daily",
    "alerts",
    "service_status",
    "consumer_lag",
    "dead_letter_topics",
    "system_alerts",
)


def _counters(*names: str, big: tuple[str, ...] = ()) -> list[sa.Column[int]]:
    return [
        sa.Column(
            name,
            sa.BigInteger() if name in big else sa.Integer(),
            server_default="0",
            nullable=False,
        )
        for name in names
    ]


def upgrade() -> None:
    op.execute("TRUNCATE event_counts")
    op.create_table(
        "permit_cases",
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("permit_type", sa.String(length=40), nullable=False),
        sa.Column("kecamatan_code", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=True),
        sa.Column("stage_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("at_risk_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("aged_3_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("aged_6_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("aged_11_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("city_working_days", sa.Integer(), server_default="0", nullable=False),
        sa.Column("late_stages", sa.Integer(), server_default="0", nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_permit_cases")),
    )
    op.create_index(
        "ix_permit_cases_open",
        "permit_cases",
        ["stage", "due_at"],
        postgresql_where="stage IS NOT NULL",
    )
    op.create_table(
        "permit_daily",
        sa.Column("permit_type", sa.String(length=40), nullable=False),
        sa.Column("kecamatan_code", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *_counters(
            "received",
            "resubmitted",
            "decided",
            "approved",
            "deemed_approved",
            "rejected",
            "revisions_requested",
            "issued",
            "cancelled",
            "expired",
            "paid",
            "payment_wait_seconds",
            big=("payment_wait_seconds",),
        ),
        sa.PrimaryKeyConstraint(
            "permit_type", "kecamatan_code", "day", name=op.f("pk_permit_daily")
        ),
    )
    op.create_table(
        "permit_stage_daily",
        sa.Column("permit_type", sa.String(length=40), nullable=False),
        sa.Column("kecamatan_code", sa.String(length=8), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        *_counters("closed", "on_time"),
        sa.PrimaryKeyConstraint(
            "permit_type",
            "kecamatan_code",
            "stage",
            "day",
            "working_days",
            name=op.f("pk_permit_stage_daily"),
        ),
    )
    op.create_table(
        "invoice_cases",
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("paid_day", sa.Date(), nullable=True),
        sa.Column("paid_amount", sa.BigInteger(), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("invoice_id", name=op.f("pk_invoice_cases")),
    )
    op.create_index(
        "ix_invoice_cases_paid_day",
        "invoice_cases",
        ["paid_day"],
        postgresql_where="paid_day IS NOT NULL",
    )
    op.create_table(
        "payment_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        *_counters(
            "opened",
            "opened_amount",
            "paid",
            "paid_within_due",
            "expired",
            "cancelled",
            "refunds",
            "refunded_amount",
            "anomalies",
            big=("opened_amount", "refunded_amount"),
        ),
        sa.PrimaryKeyConstraint("day", "source", name=op.f("pk_payment_daily")),
    )
    op.create_table(
        "revenue_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        *_counters("payments", "amount", big=("amount",)),
        sa.PrimaryKeyConstraint("day", "source", "channel", name=op.f("pk_revenue_daily")),
    )
    op.create_table(
        "booking_daily",
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("facility_code", sa.String(length=40), nullable=False),
        sa.Column("service_code", sa.String(length=40), nullable=False),
        *_counters("booked", "cancelled", "assisted"),
        sa.Column("quota", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint(
            "visit_date", "facility_code", "service_code", name=op.f("pk_booking_daily")
        ),
    )
    op.create_table(
        "registration_totals",
        sa.Column("admission_year", sa.Integer(), nullable=False),
        sa.Column("school_npsn", sa.String(length=8), nullable=False),
        sa.Column("level", sa.String(length=3), nullable=False),
        sa.Column("pathway", sa.String(length=20), nullable=False),
        *_counters("submitted", "withdrawn", "verified", "assisted"),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("pathway_quota", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint(
            "admission_year",
            "school_npsn",
            "level",
            "pathway",
            name=op.f("pk_registration_totals"),
        ),
    )
    op.create_table(
        "reach_daily",
        sa.Column("service", sa.String(length=20), nullable=False),
        sa.Column("kecamatan_code", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *_counters("transactions", "assisted"),
        sa.PrimaryKeyConstraint("service", "kecamatan_code", "day", name=op.f("pk_reach_daily")),
    )
    op.create_table(
        "alerts",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("permit_type", sa.String(length=40), nullable=False),
        sa.Column("kecamatan_code", sa.String(length=8), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_alerts")),
        sa.UniqueConstraint(
            "kind", "application_id", "stage", "started_at", name="uq_alerts_cause"
        ),
    )
    op.create_index("ix_alerts_newest", "alerts", ["detected_at", "event_id"])
    op.create_table(
        "service_status",
        sa.Column("service", sa.String(length=40), nullable=False),
        sa.Column("ready", sa.Boolean(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("outbox_backlog", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("service", name=op.f("pk_service_status")),
    )
    op.create_table(
        "consumer_lag",
        sa.Column("consumer_group", sa.String(length=200), nullable=False),
        sa.Column("lag", sa.BigInteger(), nullable=False),
        sa.Column("lagging_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer_group", name=op.f("pk_consumer_lag")),
    )
    op.create_table(
        "dead_letter_topics",
        sa.Column("topic", sa.String(length=249), nullable=False),
        sa.Column("written", sa.BigInteger(), nullable=False),
        sa.Column("alerted_at_written", sa.BigInteger(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("topic", name=op.f("pk_dead_letter_topics")),
    )
    op.create_table(
        "system_alerts",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=249), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_system_alerts")),
    )
    op.create_index("ix_system_alerts_newest", "system_alerts", ["detected_at", "event_id"])


def downgrade() -> None:
    for table in reversed(_READ_MODELS):
        op.drop_table(table)
