"""Applicant accounts' rows, locked while a draft or a document is counted against its limit.

Accounts with applications already get their row when they next start a draft or upload a
document: the lock creates it, so nothing needs to be filled in here.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 09:00:00
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
        "applicants",
        sa.Column("applicant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("applicant_id", name=op.f("pk_applicants")),
    )


def downgrade() -> None:
    op.drop_table("applicants")
