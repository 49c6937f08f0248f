"""The directory of accounts, notices (the inbox), whose subjects are whose, and
citizens' preferences

Revision ID: 0002
Revises: 0001
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
        "directory",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("citizen", "staff", name="accountkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("kecamatan_code", sa.String(length=8), nullable=True),
        sa.Column("registered_at_kiosk", sa.Boolean(), nullable=False),
        sa.Column("roles", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_directory")),
    )
    op.create_index(
        "ix_directory_citizens_by_kecamatan",
        "directory",
        ["kind", "kecamatan_code", "account_id"],
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("source_id", sa.String(length=80), nullable=False),
        sa.Column("subject_ref", sa.String(length=80), nullable=False),
        sa.Column("params", postgresql.JSONB(), nullable=False),
        sa.Column("content", postgresql.JSONB(), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint(
            "source_id", "recipient_id", "kind", name=op.f("uq_notices_source_id_recipient_id_kind")
        ),
    )
    op.create_index(
        "ix_notices_inbox",
        "notices",
        ["recipient_id", sa.text("created_at DESC"), sa.text("id DESC")],
    )
    op.create_index(
        "ix_notices_unread",
        "notices",
        ["recipient_id"],
        postgresql_where=sa.text("read_at IS NULL AND archived_at IS NULL"),
    )
    op.create_table(
        "subject_owners",
        sa.Column("subject_ref", sa.String(length=80), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("subject_ref", name=op.f("pk_subject_owners")),
    )
    op.create_table(
        "preferences",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("channels", postgresql.ARRAY(sa.String(length=20)), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("quiet_from", sa.Time(), nullable=True),
        sa.Column("quiet_until", sa.Time(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_preferences")),
    )


def downgrade() -> None:
    op.drop_table("preferences")
    op.drop_table("subject_owners")
    op.drop_index("ix_notices_unread", table_name="notices")
    op.drop_index("ix_notices_inbox", table_name="notices")
    op.drop_table("notices")
    op.drop_index("ix_directory_citizens_by_kecamatan", table_name="directory")
    op.drop_table("directory")
