"""Posting rules: which accounts each money movement debits and credits, as balanced journals.

Pure: no I/O. A `Journal` cannot be built unbalanced, so nothing unbalanced can be posted.
Amounts are whole rupiah; a float or a bool is refused rather than rounded.
"""

import enum
import uuid
from dataclasses import dataclass

from payments.ledger.accounts import Account, kind_of, revenue

MAX_REFERENCE_LENGTH = 200
"""The ledger's ``reference`` column: refuse here rather than fail inside the transaction."""


class JournalKind(enum.StrEnum):
    PAYMENT_RECEIVED = "payment_received"
    REFUND_ISSUED = "refund_issued"
    PAYMENT_ON_CLOSED_INVOICE = "payment_on_closed_invoice"
    REFUND_OF_UNOWED_PAYMENT = "refund_of_unowed_payment"
    PROVIDER_FEE = "provider_fee"


class UnbalancedJournal(ValueError):
    """Debits and credits differ, or there is nothing to post."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of a journal: an amount on exactly one side of one account."""

    account: str
    debit: int
    credit: int

    def __post_init__(self) -> None:
        kind_of(self.account)
        for side in (self.debit, self.credit):
            if type(side) is not int:
                raise TypeError(f"amounts are whole rupiah (int), not {type(side).__name__}")
        if min(self.debit, self.credit) < 0 or (self.debit > 0) == (self.credit > 0):
            raise ValueError(
                f"an entry on {self.account} needs exactly one positive side, "
                f"got debit {self.debit} and credit {self.credit}"
            )


@dataclass(frozen=True, slots=True)
class Journal:
    """Entries posted together: their debits equal their credits, and they are about one invoice."""

    kind: JournalKind
    entries: tuple[Entry, ...]
    invoice_id: uuid.UUID | None
    reference: str
    """What moved the money: the provider's transaction id, or our refund id."""

    def __post_init__(self) -> None:
        debits = sum(entry.debit for entry in self.entries)
        credits = sum(entry.credit for entry in self.entries)
        if debits != credits or debits == 0:
            raise UnbalancedJournal(
                f"{self.kind} journal {self.reference!r} debits {debits} and credits {credits}"
            )
        if not 0 < len(self.reference) <= MAX_REFERENCE_LENGTH:
            raise ValueError(f"a journal's reference has 1 to {MAX_REFERENCE_LENGTH} characters")


def _transfer(
    kind: JournalKind,
    *,
    debit: str,
    credit: str,
    amount: int,
    invoice_id: uuid.UUID,
    reference: str,
) -> Journal:
    entries = (Entry(debit, amount, 0), Entry(credit, 0, amount))
    return Journal(kind, entries, invoice_id, reference)


def payment_received(invoice_id: uuid.UUID, source: str, amount: int, reference: str) -> Journal:
    """A payment on an open invoice: the provider now holds revenue of the invoice's source."""
    return _transfer(
        JournalKind.PAYMENT_RECEIVED,
        debit=Account.PROVIDER_CLEARING,
        credit=revenue(source),
        amount=amount,
        invoice_id=invoice_id,
        reference=reference,
    )


def refund_issued(invoice_id: uuid.UUID, source: str, amount: int, reference: str) -> Journal:
    """Revenue given back: the caller has checked it does not exceed what is still refundable."""
    return _transfer(
        JournalKind.REFUND_ISSUED,
        debit=revenue(source),
        credit=Account.PROVIDER_CLEARING,
        amount=amount,
        invoice_id=invoice_id,
        reference=reference,
    )


def payment_on_closed_invoice(invoice_id: uuid.UUID, amount: int, reference: str) -> Journal:
    """Money for an invoice that no longer wants it (expired, cancelled, paid): owed back."""
    return _transfer(
        JournalKind.PAYMENT_ON_CLOSED_INVOICE,
        debit=Account.PROVIDER_CLEARING,
        credit=Account.REFUNDS_PAYABLE,
        amount=amount,
        invoice_id=invoice_id,
        reference=reference,
    )


def refund_of_unowed_payment(invoice_id: uuid.UUID, amount: int, reference: str) -> Journal:
    """The money of a payment on a closed invoice goes back to the citizen, settling the debt."""
    return _transfer(
        JournalKind.REFUND_OF_UNOWED_PAYMENT,
        debit=Account.REFUNDS_PAYABLE,
        credit=Account.PROVIDER_CLEARING,
        amount=amount,
        invoice_id=invoice_id,
        reference=reference,
    )


def provider_fee(invoice_id: uuid.UUID, fee: int, reference: str) -> Journal | None:
    """The provider keeps ``fee`` out of what it settles; a zero fee (QRIS to government) is
    no movement, so there is nothing to post."""
    if type(fee) is int and fee == 0:
        return None
    return _transfer(
        JournalKind.PROVIDER_FEE,
        debit=Account.PROVIDER_FEES,
        credit=Account.PROVIDER_CLEARING,
        amount=fee,
        invoice_id=invoice_id,
        reference=reference,
    )
