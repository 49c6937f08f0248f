"""The row per citizen that their bookings lock first, so per-citizen limits hold under
concurrency.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "citizen_booking_locks",
        sa.Column("citizen_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("citizen_id", name=op.f("pk_citizen_booking_locks")),
    )


def downgrade() -> None:
    op.drop_table("citizen_booking_locks")
