"""What finance officers read about the ledger."""

import uuid
from typing import Self

from pydantic import BaseModel

from payments.ledger.service import Audit


class UnbalancedInvoice(BaseModel):
    invoice_id: uuid.UUID
    debit: int
    credit: int


class LedgerCheck(BaseModel):
    balanced: bool
    """Debits equal credits in total and for every invoice."""
    total_debit: int
    total_credit: int
    balances: dict[str, int]
    unbalanced_invoices: list[UnbalancedInvoice]

    @classmethod
    def of(cls, audit: Audit) -> Self:
        return cls(
            balanced=audit.balanced,
            total_debit=audit.totals.total_debit,
            total_credit=audit.totals.total_credit,
            balances=dict(audit.totals.balances),
            unbalanced_invoices=[
                UnbalancedInvoice(invoice_id=i, debit=d, credit=c)
                for i, d, c in audit.unbalanced_invoices
            ],
        )
