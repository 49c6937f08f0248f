"""initial schema: the outbox, the inbox and the idempotency keys

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence

from kota_shared.events.schema import create_event_tables_v1, drop_event_tables_v1
from kota_shared.idempotency import create_idempotency_table_v1, drop_idempotency_table_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_event_tables_v1()
    create_idempotency_table_v1()


def downgrade() -> None:
    drop_idempotency_table_v1()
    drop_event_tables_v1()
