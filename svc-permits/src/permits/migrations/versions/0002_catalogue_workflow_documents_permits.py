"""catalogue workflow documents permits

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
        "permit_number_counters",
        sa.Column("permit_type", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_sequence", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("permit_type", "year", name=op.f("pk_permit_number_counters")),
    )
    op.create_table(
        "permit_types",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("definition", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_permit_types")),
    )
    op.create_table(
        "application_transitions",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "submit",
                "start_review",
                "request_revision",
                "resubmit",
                "approve",
                "reject",
                "deem_approved",
                "request_payment",
                "issue",
                "record_payment",
                "expire",
                "cancel",
                "revoke",
                name="action",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "from_status",
            sa.Enum(
                "draft",
                "submitted",
                "in_review",
                "revision_requested",
                "resubmitted",
                "approved",
                "awaiting_payment",
                "issued",
                "rejected",
                "cancelled",
                "expired",
                "revoked",
                name="status",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "draft",
                "submitted",
                "in_review",
                "revision_requested",
                "resubmitted",
                "approved",
                "awaiting_payment",
                "issued",
                "rejected",
                "cancelled",
                "expired",
                "revoked",
                name="status",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "actor",
            sa.Enum("applicant", "officer", "system", name="actor", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("acting_officer_id", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_transitions_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_transitions")),
    )
    op.create_index(
        op.f("ix_application_transitions_application_id"),
        "application_transitions",
        ["application_id"],
        unique=False,
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_documents_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_documents_storage_key")),
    )
    op.create_index(
        op.f("ix_documents_application_id"), "documents", ["application_id"], unique=False
    )
    op.create_table(
        "permits",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("applicant_id", sa.String(length=64), nullable=False),
        sa.Column("permit_type", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("holder_name", sa.String(length=200), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=64), nullable=True),
        sa.Column("revocation_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_permits_application_id_applications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permits")),
        sa.UniqueConstraint("application_id", name=op.f("uq_permits_application_id")),
        sa.UniqueConstraint("number", name=op.f("uq_permits_number")),
        sa.UniqueConstraint(
            "permit_type", "year", "sequence", name=op.f("uq_permits_permit_type_year_sequence")
        ),
    )
    op.create_index(op.f("ix_permits_applicant_id"), "permits", ["applicant_id"], unique=False)
    op.add_column("applications", sa.Column("holder_name", sa.String(length=200), nullable=True))
    op.add_column(
        "applications",
        sa.Column(
            "fields",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
    )
    op.add_column(
        "applications",
        sa.Column(
            "stage",
            sa.Enum("verification", "review", name="stage", native_enum=False, length=32),
            nullable=True,
        ),
    )
    op.add_column(
        "applications", sa.Column("stage_deadline_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "applications", sa.Column("deadline_passed_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "applications", sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("applications", sa.Column("claimed_by", sa.String(length=64), nullable=True))
    op.add_column("applications", sa.Column("fee_amount", sa.BigInteger(), nullable=True))
    op.add_column(
        "applications", sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "applications", sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "applications",
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
    )
    op.create_index(
        op.f("ix_applications_permit_type"), "applications", ["permit_type"], unique=False
    )
    op.create_index(
        "ix_applications_queue", "applications", ["status", "stage_deadline_at"], unique=False
    )
    op.create_index(
        "ix_applications_overdue",
        "applications",
        ["stage_deadline_at"],
        unique=False,
        postgresql_where=sa.text("deadline_passed_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_applications_overdue", table_name="applications")
    op.drop_index("ix_applications_queue", table_name="applications")
    op.drop_index(op.f("ix_applications_permit_type"), table_name="applications")
    op.drop_column("applications", "updated_at")
    op.drop_column("applications", "decided_at")
    op.drop_column("applications", "submitted_at")
    op.drop_column("applications", "fee_amount")
    op.drop_column("applications", "claimed_by")
    op.drop_column("applications", "escalated_at")
    op.drop_column("applications", "deadline_passed_at")
    op.drop_column("applications", "stage_deadline_at")
    op.drop_column("applications", "stage")
    op.drop_column("applications", "fields")
    op.drop_column("applications", "holder_name")
    op.drop_index(op.f("ix_permits_applicant_id"), table_name="permits")
    op.drop_table("permits")
    op.drop_index(op.f("ix_documents_application_id"), table_name="documents")
    op.drop_table("documents")
    op.drop_index(
        op.f("ix_application_transitions_application_id"), table_name="application_transitions"
    )
    op.drop_table("application_transitions")
    op.drop_table("permit_types")
    op.drop_table("permit_number_counters")
