"""The invoice opened for an application's fee, so only its payment issues the permit.

Applications already awaiting payment have none recorded: their invoices were announced
before permits listened, so a payment of theirs is refused (logged) rather than trusted.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("applications", sa.Column("fee_invoice_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    op.drop_column("applications", "fee_invoice_id")
