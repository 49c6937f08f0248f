"""Registrations (SPMB), and each school's capacity, from which the pathways' quotas come.

Schools already in the database get a typical intake for their level (SD 2 classes of 28,
SMP 8 of 32, SMA 8 of 36) until the city sets theirs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 00:48:59.986477
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACTIVE = sa.text("status = 'submitted'")


def upgrade() -> None:
    op.add_column("schools", sa.Column("capacity", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE schools"
        " SET capacity = CASE level WHEN 'SD' THEN 56 WHEN 'SMP' THEN 256 ELSE 288 END"
    )
    op.alter_column("schools", "capacity", nullable=False)
    op.create_check_constraint(op.f("ck_schools_capacity_not_negative"), "schools", "capacity >= 0")

    op.create_table(
        "registrations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("admission_year", sa.SmallInteger(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("submitted", "withdrawn", name="status", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("parent_id", sa.String(length=64), nullable=False),
        sa.Column("registered_by", sa.String(length=64), nullable=False),
        sa.Column("school_npsn", sa.String(length=8), nullable=False),
        sa.Column(
            "pathway",
            sa.Enum(
                "domisili",
                "afirmasi",
                "mutasi",
                "prestasi",
                name="pathway",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("student_nisn", sa.String(length=10), nullable=False),
        sa.Column("student_name", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("psychologist_recommendation", sa.Boolean(), nullable=False),
        sa.Column("family_card_number", sa.String(length=16), nullable=False),
        sa.Column("family_card_issued_on", sa.Date(), nullable=False),
        sa.Column("home_latitude", sa.Numeric(precision=9, scale=6), nullable=False),
        sa.Column("home_longitude", sa.Numeric(precision=9, scale=6), nullable=False),
        sa.Column("distance_m", sa.Integer(), nullable=False),
        sa.Column("achievement_score", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["school_npsn"], ["schools.npsn"], name=op.f("fk_registrations_school_npsn_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
        sa.UniqueConstraint("number", name=op.f("uq_registrations_number")),
    )
    op.create_index(
        "ix_registrations_parent", "registrations", ["parent_id", "admission_year"], unique=False
    )
    op.create_index(
        "ix_registrations_school_pathway",
        "registrations",
        ["school_npsn", "admission_year", "pathway"],
        unique=False,
    )
    # One active registration per child and year; withdrawn ones do not count.
    op.create_index(
        "uq_registrations_active_student",
        "registrations",
        ["admission_year", "student_nisn"],
        unique=True,
        postgresql_where=_ACTIVE,
    )


def downgrade() -> None:
    op.drop_index(
        "uq_registrations_active_student", table_name="registrations", postgresql_where=_ACTIVE
    )
    op.drop_index("ix_registrations_school_pathway", table_name="registrations")
    op.drop_index("ix_registrations_parent", table_name="registrations")
    op.drop_table("registrations")
    op.drop_constraint(op.f("ck_schools_capacity_not_negative"), "schools", type_="check")
    op.drop_column("schools", "capacity")
