"""Payment channels, settlements, refunds, the ledger, idempotency keys.

The invoices table had no rows before this revision (nothing could create one), so its new
columns are added without defaults.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kota_shared.idempotency import create_idempotency_table_v1, drop_idempotency_table_v1

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_idempotency_table_v1()
    op.execute(sa.schema.CreateSequence(sa.Sequence("invoice_serial")))
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("journal_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "payment_received",
                "refund_issued",
                "payment_on_closed_invoice",
                "refund_of_unowed_payment",
                "provider_fee",
                name="journalkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("debit", sa.BigInteger(), nullable=False),
        sa.Column("credit", sa.BigInteger(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(debit > 0) <> (credit > 0)", name=op.f("ck_ledger_entries_exactly_one_side_positive")
        ),
        sa.CheckConstraint("credit >= 0", name=op.f("ck_ledger_entries_credit_not_negative")),
        sa.CheckConstraint("debit >= 0", name=op.f("ck_ledger_entries_debit_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    op.create_index(op.f("ix_ledger_entries_account"), "ledger_entries", ["account"], unique=False)
    op.create_index(
        op.f("ix_ledger_entries_invoice_id"), "ledger_entries", ["invoice_id"], unique=False
    )
    op.create_index(
        op.f("ix_ledger_entries_journal_id"), "ledger_entries", ["journal_id"], unique=False
    )
    op.create_table(
        "invoice_lines",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("amount_rupiah", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "amount_rupiah > 0", name=op.f("ck_invoice_lines_amount_rupiah_positive")
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_invoice_lines_invoice_id_invoices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_lines")),
    )
    op.create_index(
        op.f("ix_invoice_lines_invoice_id"), "invoice_lines", ["invoice_id"], unique=False
    )
    op.create_table(
        "payment_anomalies",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "amount_mismatch",
                "unknown_reference",
                name="anomalykind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("provider_transaction_id", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("amount_rupiah", sa.BigInteger(), nullable=False),
        sa.Column("expected_rupiah", sa.BigInteger(), nullable=True),
        sa.Column("invoice_id", sa.Uuid(), nullable=True),
        sa.Column(
            "flagged_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_payment_anomalies_invoice_id_invoices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_anomalies")),
    )
    op.create_index(
        op.f("ix_payment_anomalies_provider_transaction_id"),
        "payment_anomalies",
        ["provider_transaction_id"],
        unique=False,
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("provider_transaction_id", sa.String(length=100), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum("va", "qris", name="channel", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("amount_rupiah", sa.BigInteger(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum("applied", "refunded", name="outcome", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_payments_invoice_id_invoices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint(
            "provider_transaction_id", name=op.f("uq_payments_provider_transaction_id")
        ),
    )
    op.create_index(op.f("ix_payments_invoice_id"), "payments", ["invoice_id"], unique=False)
    op.create_table(
        "refunds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=True),
        sa.Column("amount_rupiah", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("refunded_by", sa.String(length=64), nullable=False),
        sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_rupiah > 0", name=op.f("ck_refunds_amount_rupiah_positive")),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_refunds_invoice_id_invoices")
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_refunds_payment_id_payments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refunds")),
    )
    op.create_index(op.f("ix_refunds_invoice_id"), "refunds", ["invoice_id"], unique=False)
    op.add_column(
        "invoices",
        sa.Column(
            "serial",
            sa.BigInteger(),
            server_default=sa.text("nextval('invoice_serial')"),
            nullable=False,
        ),
    )
    op.add_column("invoices", sa.Column("number", sa.String(length=25), nullable=False))
    op.add_column("invoices", sa.Column("source", sa.String(length=64), nullable=False))
    op.add_column(
        "invoices", sa.Column("paid_rupiah", sa.BigInteger(), server_default="0", nullable=False)
    )
    op.add_column(
        "invoices",
        sa.Column("refunded_rupiah", sa.BigInteger(), server_default="0", nullable=False),
    )
    op.add_column("invoices", sa.Column("va_number", sa.String(length=20), nullable=False))
    op.add_column("invoices", sa.Column("qris_payload", sa.Text(), nullable=False))
    op.add_column("invoices", sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("invoices", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("invoices", sa.Column("created_by", sa.String(length=64), nullable=False))
    op.create_index(
        "ix_invoices_open_due_at",
        "invoices",
        ["due_at"],
        unique=False,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_unique_constraint(op.f("uq_invoices_number"), "invoices", ["number"])
    op.create_index(
        "uq_invoices_open_va_number",
        "invoices",
        ["va_number"],
        unique=True,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_unique_constraint(op.f("uq_invoices_serial"), "invoices", ["serial"])


def downgrade() -> None:
    op.drop_constraint(op.f("uq_invoices_serial"), "invoices", type_="unique")
    op.drop_index(
        "uq_invoices_open_va_number",
        table_name="invoices",
        postgresql_where=sa.text("status = 'open'"),
    )
    op.drop_constraint(op.f("uq_invoices_number"), "invoices", type_="unique")
    op.drop_index(
        "ix_invoices_open_due_at",
        table_name="invoices",
        postgresql_where=sa.text("status = 'open'"),
    )
    op.drop_column("invoices", "created_by")
    op.drop_column("invoices", "closed_at")
    op.drop_column("invoices", "paid_at")
    op.drop_column("invoices", "qris_payload")
    op.drop_column("invoices", "va_number")
    op.drop_column("invoices", "refunded_rupiah")
    op.drop_column("invoices", "paid_rupiah")
    op.drop_column("invoices", "source")
    op.drop_column("invoices", "number")
    op.drop_column("invoices", "serial")
    op.drop_index(op.f("ix_refunds_invoice_id"), table_name="refunds")
    op.drop_table("refunds")
    op.drop_index(op.f("ix_payments_invoice_id"), table_name="payments")
    op.drop_table("payments")
    op.drop_index(
        op.f("ix_payment_anomalies_provider_transaction_id"), table_name="payment_anomalies"
    )
    op.drop_table("payment_anomalies")
    op.drop_index(op.f("ix_invoice_lines_invoice_id"), table_name="invoice_lines")
    op.drop_table("invoice_lines")
    op.drop_index(op.f("ix_ledger_entries_journal_id"), table_name="ledger_entries")
    op.drop_index(op.f("ix_ledger_entries_invoice_id"), table_name="ledger_entries")
    op.drop_index(op.f("ix_ledger_entries_account"), table_name="ledger_entries")
    op.drop_table("ledger_entries")
    op.execute(sa.schema.DropSequence(sa.Sequence("invoice_serial")))
    drop_idempotency_table_v1()
