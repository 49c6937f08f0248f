"""When the running stage's clock started, so a closing stage can say how long it took.

Applications already in a stage get their latest step's time, which is when that stage began.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "applications",
        sa.Column("stage_started_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.execute(
        "UPDATE applications SET stage_started_at = ("
        " SELECT max(t.at) FROM application_transitions t WHERE t.application_id = applications.id)"
        " WHERE stage IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_column("applications", "stage_started_at")
