"""Initial schema: invoices, and the outbox and inbox every service has.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kota_shared.events.schema import create_event_tables_v1, drop_event_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invoices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("payer_id", sa.String(length=64), nullable=False),
        sa.Column("source_reference", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("amount_rupiah", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("amount_rupiah > 0", name=op.f("ck_invoices_amount_rupiah_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("source_reference", name=op.f("uq_invoices_source_reference")),
    )
    op.create_index(op.f("ix_invoices_payer_id"), "invoices", ["payer_id"], unique=False)
    create_event_tables_v1()


def downgrade() -> None:
    drop_event_tables_v1()
    op.drop_index(op.f("ix_invoices_payer_id"), table_name="invoices")
    op.drop_table("invoices")
