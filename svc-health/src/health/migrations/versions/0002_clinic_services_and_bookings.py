"""Polyclinic services per facility, bookings with queue numbers, and the queue counters.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 00:46:06.969722
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clinic_services",
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("daily_quota", sa.Integer(), nullable=False),
        sa.Column("open_weekdays", postgresql.ARRAY(sa.SmallInteger()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "cardinality(open_weekdays) > 0 AND open_weekdays <@ ARRAY[1,2,3,4,5,6,7]::smallint[]",
            name=op.f("ck_clinic_services_open_weekdays_valid"),
        ),
        sa.CheckConstraint("daily_quota > 0", name=op.f("ck_clinic_services_daily_quota_positive")),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["facilities.id"],
            name=op.f("fk_clinic_services_facility_id_facilities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("facility_id", "code", name=op.f("pk_clinic_services")),
    )
    op.create_table(
        "bookings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("citizen_id", sa.String(length=64), nullable=False),
        sa.Column("booked_by", sa.String(length=64), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("service_code", sa.String(length=20), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("queue_number", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("booked", "cancelled", name="bookingstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["facility_id", "service_code"],
            ["clinic_services.facility_id", "clinic_services.code"],
            name=op.f("fk_bookings_facility_id_clinic_services"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
        sa.UniqueConstraint(
            "facility_id",
            "service_code",
            "visit_date",
            "queue_number",
            name=op.f("uq_bookings_facility_id_service_code_visit_date_queue_number"),
        ),
    )
    op.create_index(
        "ix_bookings_citizen_visits", "bookings", ["citizen_id", "visit_date"], unique=False
    )
    op.create_index(
        "uq_bookings_one_active_per_citizen",
        "bookings",
        ["citizen_id", "facility_id", "service_code", "visit_date"],
        unique=True,
        postgresql_where=sa.text("status = 'booked'"),
    )
    op.create_table(
        "queue_counters",
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("service_code", sa.String(length=20), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id", "service_code"],
            ["clinic_services.facility_id", "clinic_services.code"],
            name=op.f("fk_queue_counters_facility_id_clinic_services"),
        ),
        sa.PrimaryKeyConstraint(
            "facility_id", "service_code", "visit_date", name=op.f("pk_queue_counters")
        ),
    )


def downgrade() -> None:
    op.drop_table("queue_counters")
    op.drop_index(
        "uq_bookings_one_active_per_citizen",
        table_name="bookings",
        postgresql_where=sa.text("status = 'booked'"),
    )
    op.drop_index("ix_bookings_citizen_visits", table_name="bookings")
    op.drop_table("bookings")
    op.drop_table("clinic_services")
