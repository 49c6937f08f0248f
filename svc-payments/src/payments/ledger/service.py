"""Auditing the ledger: does every rupiah posted balance, in total and per invoice?"""

import uuid
from dataclasses import dataclass

from kota_shared.transaction import Transaction
from payments.ledger import repository
from payments.ledger.repository import TrialBalance


@dataclass(frozen=True, slots=True)
class Audit:
    totals: TrialBalance
    unbalanced_invoices: list[tuple[uuid.UUID, int, int]]
    """Each invoice whose entries do not balance, with its debits and credits."""

    @property
    def balanced(self) -> bool:
        """Debits equal credits in total and for every invoice."""
        return self.totals.balanced and not self.unbalanced_invoices


async def audit(tx: Transaction) -> Audit:
    """The whole ledger's trial balance and every invoice that does not balance (there
    should be none: journals cannot be built unbalanced)."""
    return Audit(
        totals=await repository.trial_balance(tx.session),
        unbalanced_invoices=await repository.unbalanced_invoices(tx.session),
    )
