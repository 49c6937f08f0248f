"""Matching a settlement statement against the payments we recorded, by provider transaction id.

Pure: the caller loads both sides for the same settlement window. A payment recorded just
before the provider's cut-off may settle in the next statement; the report lists it anyway,
and finance decides, because an unexplained mismatch must never be hidden.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from kota_contracts.payments import Channel
from payments.reconciliation.statement import StatementLine


@dataclass(frozen=True, slots=True)
class RecordedPayment:
    """A payment as we recorded it, with the reference the provider reports it under."""

    provider_transaction_id: str
    amount: int
    channel: Channel
    reference: str


_Payment = TypeVar("_Payment", StatementLine, RecordedPayment)


@dataclass(frozen=True, slots=True)
class AmountMismatch:
    provider_transaction_id: str
    statement_amount: int
    recorded_amount: int


@dataclass(frozen=True, slots=True)
class DetailsMismatch:
    """Same transaction and amount, but another channel or reference: possibly the wrong invoice."""

    statement: StatementLine
    recorded: RecordedPayment


@dataclass(frozen=True, slots=True)
class ReconciliationReport:
    """Every mismatch, each list ordered by provider transaction id, and what matched."""

    missing_in_ledger: tuple[StatementLine, ...]
    """Settled by the provider, never recorded by us."""
    missing_in_statement: tuple[RecordedPayment, ...]
    """Recorded by us, not settled in this statement."""
    amount_differs: tuple[AmountMismatch, ...]
    details_differ: tuple[DetailsMismatch, ...]
    matched_count: int
    matched_total: int
    """Whole rupiah of the payments that agree in every field."""

    @property
    def clean(self) -> bool:
        return not (
            self.missing_in_ledger
            or self.missing_in_statement
            or self.amount_differs
            or self.details_differ
        )


def reconcile(
    statement: Sequence[StatementLine], recorded: Sequence[RecordedPayment]
) -> ReconciliationReport:
    """Compare both sides; raises ValueError if either repeats a transaction id."""
    settled = _by_transaction_id(statement, side="the statement's lines")
    ours = _by_transaction_id(recorded, side="the recorded payments")
    amount_differs: list[AmountMismatch] = []
    details_differ: list[DetailsMismatch] = []
    matched: list[int] = []
    for key in sorted(settled.keys() & ours.keys()):
        line, payment = settled[key], ours[key]
        same_amount = line.amount == payment.amount
        same_details = (line.channel, line.reference) == (payment.channel, payment.reference)
        if not same_amount:
            amount_differs.append(AmountMismatch(key, line.amount, payment.amount))
        if not same_details:
            details_differ.append(DetailsMismatch(line, payment))
        if same_amount and same_details:
            matched.append(line.amount)
    return ReconciliationReport(
        missing_in_ledger=tuple(settled[key] for key in sorted(settled.keys() - ours.keys())),
        missing_in_statement=tuple(ours[key] for key in sorted(ours.keys() - settled.keys())),
        amount_differs=tuple(amount_differs),
        details_differ=tuple(details_differ),
        matched_count=len(matched),
        matched_total=sum(matched),
    )


def _by_transaction_id(items: Sequence[_Payment], *, side: str) -> dict[str, _Payment]:
    keyed = {item.provider_transaction_id: item for item in items}
    if len(keyed) != len(items):
        counts = Counter(item.provider_transaction_id for item in items)
        repeated = sorted(key for key, count in counts.items() if count > 1)
        raise ValueError(f"{side} repeat transaction ids {repeated}")
    return keyed
