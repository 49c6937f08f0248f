"""Registrations from the civil registry's family card, and the officers' verification.

The child is now its NIK on the family card (one active registration per NIK and year,
instead of per NISN, which anyone can type in); registrations are counted per family card;
a school officer's verification records the documents checked.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACTIVE = sa.text("status = 'submitted'")


def upgrade() -> None:
    op.add_column("registrations", sa.Column("student_nik", sa.String(16), nullable=True))
    op.add_column(
        "registrations", sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("registrations", sa.Column("verified_by", sa.String(64), nullable=True))
    op.add_column(
        "registrations",
        sa.Column("documents_checked", postgresql.ARRAY(sa.String(32)), nullable=True),
    )
    op.add_column("registrations", sa.Column("verification_note", sa.String(500), nullable=True))
    op.drop_index("uq_registrations_active_student", table_name="registrations")
    op.create_index(
        "uq_registrations_active_student",
        "registrations",
        ["admission_year", "student_nik"],
        unique=True,
        postgresql_where=_ACTIVE,
    )
    op.create_index(
        "ix_registrations_family_card",
        "registrations",
        ["family_card_number", "admission_year"],
    )


def downgrade() -> None:
    op.drop_index("ix_registrations_family_card", table_name="registrations")
    op.drop_index("uq_registrations_active_student", table_name="registrations")
    op.create_index(
        "uq_registrations_active_student",
        "registrations",
        ["admission_year", "student_nisn"],
        unique=True,
        postgresql_where=_ACTIVE,
    )
    for column in (
        "verification_note",
        "documents_checked",
        "verified_by",
        "verified_at",
        "student_nik",
    ):
        op.drop_column("registrations", column)
