"""Posting journals and reading balances (the only module of the ledger that builds a select)."""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BigInteger, ColumnElement, SQLColumnExpression, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from payments.ledger import accounts
from payments.ledger.models import LedgerEntry
from payments.ledger.postings import Journal


@dataclass(frozen=True, slots=True)
class TrialBalance:
    """Every account's balance on its normal side, and the totals that must agree."""

    total_debit: int
    total_credit: int
    balances: Mapping[str, int]

    @property
    def balanced(self) -> bool:
        return self.total_debit == self.total_credit


def _total(column: SQLColumnExpression[int]) -> ColumnElement[int]:
    # PostgreSQL sums a bigint as numeric; cast back so rupiah stay ints, never Decimals.
    return cast(func.coalesce(func.sum(column), 0), BigInteger)


async def post(session: AsyncSession, *, journal: Journal, at: datetime) -> uuid.UUID:
    """Add ``journal``'s entries in the caller's transaction; returns the new journal's id."""
    if at.tzinfo is None:
        raise ValueError("a journal's posting time needs a timezone")
    journal_id = uuid.uuid4()
    session.add_all(
        LedgerEntry(
            journal_id=journal_id,
            kind=journal.kind,
            account=entry.account,
            debit=entry.debit,
            credit=entry.credit,
            invoice_id=journal.invoice_id,
            reference=journal.reference,
            posted_at=at,
        )
        for entry in journal.entries
    )
    return journal_id


async def trial_balance(session: AsyncSession) -> TrialBalance:
    """The whole ledger summed by account, accounts in name order."""
    rows = (
        await session.execute(
            select(LedgerEntry.account, _total(LedgerEntry.debit), _total(LedgerEntry.credit))
            .group_by(LedgerEntry.account)
            .order_by(LedgerEntry.account)
        )
    ).all()
    return TrialBalance(
        total_debit=sum(debit for _, debit, _ in rows),
        total_credit=sum(credit for _, _, credit in rows),
        balances={
            account: accounts.balance(account, debit=debit, credit=credit)
            for account, debit, credit in rows
        },
    )


async def unbalanced_invoices(session: AsyncSession) -> list[tuple[uuid.UUID, int, int]]:
    """Invoices whose entries' debits and credits differ, with both: must always be empty."""
    debit, credit = _total(LedgerEntry.debit), _total(LedgerEntry.credit)
    rows = await session.execute(
        select(LedgerEntry.invoice_id, debit, credit)
        .group_by(LedgerEntry.invoice_id)
        .having(debit != credit)
        .order_by(LedgerEntry.invoice_id)
    )
    # Entries of no invoice are not an invoice's problem: the trial balance shows them.
    return [
        (invoice_id, debits, credits)
        for invoice_id, debits, credits in rows
        if invoice_id is not None
    ]
