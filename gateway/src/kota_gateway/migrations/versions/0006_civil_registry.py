"""citizens verified against the civil registry: their domicile, the audit of calls, each
day's count of them

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("kecamatan_code", sa.String(length=8), nullable=True))
    op.add_column("accounts", sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "registry_calls",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operation", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("asked_by", sa.String(length=64), nullable=False),
        sa.Column("acting_officer", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("family_card_number", sa.String(length=16), nullable=True),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_calls")),
    )
    op.create_index(op.f("ix_registry_calls_asked_at"), "registry_calls", ["asked_at"])
    op.create_index(op.f("ix_registry_calls_asked_by"), "registry_calls", ["asked_by"])
    op.create_index(op.f("ix_registry_calls_nik"), "registry_calls", ["nik"])
    op.create_table(
        "registry_quota_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_registry_quota_days")),
    )


def downgrade() -> None:
    op.drop_table("registry_quota_days")
    op.drop_index(op.f("ix_registry_calls_nik"), table_name="registry_calls")
    op.drop_index(op.f("ix_registry_calls_asked_by"), table_name="registry_calls")
    op.drop_index(op.f("ix_registry_calls_asked_at"), table_name="registry_calls")
    op.drop_table("registry_calls")
    op.drop_column("accounts", "verified_at")
    op.drop_column("accounts", "kecamatan_code")
