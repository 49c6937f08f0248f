"""Reconciling a day: the provider's statement against the payments recorded for that day."""

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from kota_shared.transaction import Transaction
from payments.reconciliation.matching import ReconciliationReport, RecordedPayment, reconcile
from payments.reconciliation.statement import StatementLine
from payments.settlement import repository as settlement


async def reconcile_day(
    tx: Transaction, *, day: date, timezone: ZoneInfo, statement: Sequence[StatementLine]
) -> ReconciliationReport:
    """Every difference between ``statement`` and what was recorded as paid on ``day``, the
    city's local date in ``timezone`` (as the provider's statement counts days)."""
    recorded = [
        RecordedPayment(
            provider_transaction_id=p.provider_transaction_id,
            amount=p.amount_rupiah,
            channel=p.channel.value,
            reference=p.reference,
        )
        for p in await settlement.paid_on(tx.session, day=day, timezone=timezone)
    ]
    return reconcile(statement, recorded)
