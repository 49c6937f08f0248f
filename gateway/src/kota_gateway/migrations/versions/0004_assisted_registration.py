"""assisted registration: citizens an officer registers at a kiosk, without phone or password

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_IDENTIFIER_BY_KIND_BEFORE = (
    "(kind = 'citizen' AND nik IS NOT NULL AND phone IS NOT NULL)"
    " OR (kind = 'staff' AND username IS NOT NULL)"
)
_IDENTIFIER_BY_KIND = (
    "(kind = 'citizen' AND nik IS NOT NULL) OR (kind = 'staff' AND username IS NOT NULL)"
)
_CREDENTIALS_BY_ORIGIN = (
    "(kind = 'citizen' AND registered_by IS NOT NULL)"
    " OR (registered_by IS NULL AND password_hash IS NOT NULL"
    " AND (kind = 'staff' OR phone IS NOT NULL))"
)


def upgrade() -> None:
    op.add_column("accounts", sa.Column("registered_by", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f("fk_accounts_registered_by_accounts"),
        "accounts",
        "accounts",
        ["registered_by"],
        ["id"],
    )
    op.alter_column("accounts", "password_hash", existing_type=sa.String(length=255), nullable=True)
    op.drop_constraint(op.f("ck_accounts_identifier_by_kind"), "accounts", type_="check")
    op.create_check_constraint(
        op.f("ck_accounts_identifier_by_kind"), "accounts", _IDENTIFIER_BY_KIND
    )
    op.create_check_constraint(
        op.f("ck_accounts_credentials_by_origin"), "accounts", _CREDENTIALS_BY_ORIGIN
    )


def downgrade() -> None:
    # Before 0004 every citizen had a phone and every account a password. Citizens
    # registered at a kiosk who have not added both cannot be kept, and deleting people
    # is not a migration's call: refuse, saying how many, rather than fail half-way.
    stranded = op.get_bind().scalar(
        sa.text(
            "SELECT count(*) FROM accounts WHERE password_hash IS NULL"
            " OR (kind = 'citizen' AND phone IS NULL)"
        )
    )
    if stranded:
        raise RuntimeError(
            f"{stranded} account(s) have no phone or no password (citizens registered by an "
            "officer): the schema before 0004 cannot hold them. Resolve them first."
        )
    op.drop_constraint(op.f("ck_accounts_credentials_by_origin"), "accounts", type_="check")
    op.drop_constraint(op.f("ck_accounts_identifier_by_kind"), "accounts", type_="check")
    op.create_check_constraint(
        op.f("ck_accounts_identifier_by_kind"), "accounts", _IDENTIFIER_BY_KIND_BEFORE
    )
    op.alter_column(
        "accounts", "password_hash", existing_type=sa.String(length=255), nullable=False
    )
    op.drop_constraint(op.f("fk_accounts_registered_by_accounts"), "accounts", type_="foreignkey")
    op.drop_column("accounts", "registered_by")
