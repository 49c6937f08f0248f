"""the audit of contact reads by the city's services

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contact_reads",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_by", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("found", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_reads")),
    )
    op.create_index(op.f("ix_contact_reads_read_at"), "contact_reads", ["read_at"])
    op.create_index(op.f("ix_contact_reads_read_by"), "contact_reads", ["read_by"])
    op.create_index(op.f("ix_contact_reads_account_id"), "contact_reads", ["account_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_contact_reads_account_id"), table_name="contact_reads")
    op.drop_index(op.f("ix_contact_reads_read_by"), table_name="contact_reads")
    op.drop_index(op.f("ix_contact_reads_read_at"), table_name="contact_reads")
    op.drop_table("contact_reads")
