"""sign-in failures per name and source address, instead of per account

Failed sign-ins were counted on the account row, so only names that exist were ever
locked (which told whether a NIK is registered), and anyone could lock anyone out. They
are now counted per sign-in name and source address, for unknown names too.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("name_digest", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name_digest", "source", name=op.f("pk_sign_in_failures")),
    )
    op.create_index(
        op.f("ix_sign_in_failures_last_failed_at"), "sign_in_failures", ["last_failed_at"]
    )
    # A lock in force carries over to nothing: it was the account's, from any address.
    op.drop_column("accounts", "locked_until")
    op.drop_column("accounts", "failed_logins")


def downgrade() -> None:
    op.add_column(
        "accounts",
        sa.Column("failed_logins", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )
    op.add_column("accounts", sa.Column("locked_until", sa.DateTime(timezone=True)))
    op.drop_index(op.f("ix_sign_in_failures_last_failed_at"), table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
