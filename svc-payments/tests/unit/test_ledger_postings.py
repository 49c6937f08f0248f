"""Posting rules and the chart of accounts: journals balance, refunds keep revenue >= 0."""

import uuid
from collections import defaultdict
from collections.abc import Iterable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payments.ledger.accounts import Account, AccountKind, balance, kind_of, revenue
from payments.ledger.postings import (
    Entry,
    Journal,
    JournalKind,
    UnbalancedJournal,
    payment_on_closed_invoice,
    payment_received,
    provider_fee,
    refund_issued,
    refund_of_unowed_payment,
)

INVOICE = uuid.UUID("00000000-0000-4000-8000-000000000001")
SOURCES = ["permits", "health", "education", "agency"]

amounts = st.integers(min_value=1, max_value=10**13)
references = st.text(st.characters(codec="ascii"), min_size=1, max_size=200)


def balances(journals: Iterable[Journal]) -> dict[str, int]:
    """Each account's balance on its normal side, as the ledger would report it."""
    debits: dict[str, int] = defaultdict(int)
    credits: dict[str, int] = defaultdict(int)
    for journal in journals:
        for entry in journal.entries:
            debits[entry.account] += entry.debit
            credits[entry.account] += entry.credit
    return {
        account: balance(account, debit=debits[account], credit=credits[account])
        for account in debits.keys() | credits.keys()
    }


def sides(journal: Journal) -> list[tuple[str, int, int]]:
    return [(entry.account, entry.debit, entry.credit) for entry in journal.entries]


# The chart of accounts.


def test_accounts_have_their_kinds() -> None:
    assert kind_of(Account.PROVIDER_CLEARING) is AccountKind.ASSET
    assert kind_of(Account.REFUNDS_PAYABLE) is AccountKind.LIABILITY
    assert kind_of(Account.PROVIDER_FEES) is AccountKind.EXPENSE
    assert kind_of("revenue:permits") is AccountKind.REVENUE


@pytest.mark.parametrize("source", SOURCES)
def test_each_invoice_source_has_its_revenue_account(source: str) -> None:
    assert revenue(source) == f"revenue:{source}"


def test_agency_invoices_share_one_revenue_account() -> None:
    assert revenue("agency:client-7f3a") == revenue("agency") == "revenue:agency"


@pytest.mark.parametrize("source", ["", "Permits", "per mits", ":permits", "x" * 49, "1abc"])
def test_a_malformed_source_opens_no_account(source: str) -> None:
    with pytest.raises(ValueError, match="invoice source"):
        revenue(source)


@pytest.mark.parametrize("account", ["cash", "revenue:", "revenue:Permits", "Provider_Clearing"])
def test_names_outside_the_chart_are_refused(account: str) -> None:
    with pytest.raises(ValueError, match="not an account"):
        kind_of(account)


def test_balances_are_on_the_normal_side() -> None:
    assert balance(Account.PROVIDER_CLEARING, debit=100, credit=30) == 70
    assert balance(Account.PROVIDER_FEES, debit=5, credit=0) == 5
    assert balance(Account.REFUNDS_PAYABLE, debit=30, credit=100) == 70
    assert balance("revenue:health", debit=30, credit=100) == 70


# Entries and journals refuse what cannot be posted.


@pytest.mark.parametrize(("debit", "credit"), [(0, 0), (10, 10), (-10, 0), (10, -10), (-5, 5)])
def test_an_entry_has_exactly_one_positive_side(debit: int, credit: int) -> None:
    with pytest.raises(ValueError, match="exactly one positive side"):
        Entry(Account.PROVIDER_CLEARING, debit, credit)


@pytest.mark.parametrize("amount", [10.0, 10.5, True])
def test_an_entry_refuses_anything_but_whole_rupiah(amount: object) -> None:
    with pytest.raises(TypeError, match="whole rupiah"):
        Entry(Account.PROVIDER_CLEARING, amount, 0)  # type: ignore[arg-type]


def test_an_entry_refuses_an_unknown_account() -> None:
    with pytest.raises(ValueError, match="not an account"):
        Entry("cash", 10, 0)


def test_an_unbalanced_journal_cannot_be_built() -> None:
    entries = (Entry(Account.PROVIDER_CLEARING, 100, 0), Entry("revenue:permits", 0, 99))
    with pytest.raises(UnbalancedJournal, match="debits 100 and credits 99"):
        Journal(JournalKind.PAYMENT_RECEIVED, entries, INVOICE, "trx-1")


def test_an_empty_journal_cannot_be_built() -> None:
    with pytest.raises(UnbalancedJournal):
        Journal(JournalKind.PAYMENT_RECEIVED, (), INVOICE, "trx-1")


@pytest.mark.parametrize("reference", ["", "x" * 201])
def test_a_journal_reference_fits_the_ledger(reference: str) -> None:
    with pytest.raises(ValueError, match="reference"):
        payment_received(INVOICE, "permits", 100, reference)


@pytest.mark.parametrize("amount", [0, -1])
def test_rules_refuse_an_amount_that_is_not_positive(amount: int) -> None:
    with pytest.raises(ValueError, match="exactly one positive side"):
        payment_received(INVOICE, "permits", amount, "trx-1")


# The posting rules.


def test_payment_received_moves_money_to_clearing_and_revenue() -> None:
    journal = payment_received(INVOICE, "permits", 150_000, "trx-1")
    assert journal.kind is JournalKind.PAYMENT_RECEIVED
    assert (journal.invoice_id, journal.reference) == (INVOICE, "trx-1")
    assert sides(journal) == [("provider_clearing", 150_000, 0), ("revenue:permits", 0, 150_000)]


def test_refund_issued_reverses_revenue_of_the_invoice_source() -> None:
    journal = refund_issued(INVOICE, "health", 50_000, "refund-1")
    assert journal.kind is JournalKind.REFUND_ISSUED
    assert sides(journal) == [("revenue:health", 50_000, 0), ("provider_clearing", 0, 50_000)]


def test_a_payment_on_a_closed_invoice_is_owed_back_not_revenue() -> None:
    journal = payment_on_closed_invoice(INVOICE, 75_000, "trx-2")
    assert journal.kind is JournalKind.PAYMENT_ON_CLOSED_INVOICE
    assert sides(journal) == [("provider_clearing", 75_000, 0), ("refunds_payable", 0, 75_000)]


def test_refunding_an_unowed_payment_settles_the_debt() -> None:
    journal = refund_of_unowed_payment(INVOICE, 75_000, "refund-2")
    assert journal.kind is JournalKind.REFUND_OF_UNOWED_PAYMENT
    assert sides(journal) == [("refunds_payable", 75_000, 0), ("provider_clearing", 0, 75_000)]


def test_a_provider_fee_is_an_expense_out_of_clearing() -> None:
    journal = provider_fee(INVOICE, 1_050, "trx-3")
    assert journal is not None
    assert journal.kind is JournalKind.PROVIDER_FEE
    assert sides(journal) == [("provider_fees", 1_050, 0), ("provider_clearing", 0, 1_050)]


def test_a_zero_fee_posts_nothing() -> None:
    """QRIS payments to government carry a 0% merchant fee."""
    assert provider_fee(INVOICE, 0, "trx-4") is None


# Properties.


@st.composite
def journals(draw: st.DrawFn) -> Journal:
    invoice_id = draw(st.uuids())
    source = draw(st.sampled_from(SOURCES))
    amount, reference = draw(amounts), draw(references)
    journal = draw(
        st.sampled_from(
            [
                payment_received(invoice_id, source, amount, reference),
                refund_issued(invoice_id, source, amount, reference),
                payment_on_closed_invoice(invoice_id, amount, reference),
                refund_of_unowed_payment(invoice_id, amount, reference),
                provider_fee(invoice_id, amount, reference),
            ]
        )
    )
    assert journal is not None
    return journal


@given(journals())
def test_every_journal_the_rules_build_is_balanced(journal: Journal) -> None:
    assert sum(entry.debit for entry in journal.entries) == sum(
        entry.credit for entry in journal.entries
    )
    assert all((entry.debit > 0) != (entry.credit > 0) for entry in journal.entries)


@given(st.lists(journals(), max_size=20))
def test_any_set_of_journals_has_equal_debit_and_credit_balances(found: list[Journal]) -> None:
    by_kind: dict[AccountKind, int] = defaultdict(int)
    for account, amount in balances(found).items():
        by_kind[kind_of(account)] += amount
    # Assets + expenses = liabilities + revenue: the accounting equation.
    assert (
        by_kind[AccountKind.ASSET] + by_kind[AccountKind.EXPENSE]
        == by_kind[AccountKind.LIABILITY] + by_kind[AccountKind.REVENUE]
    )


@given(st.data(), amounts, st.sampled_from(SOURCES))
def test_refunds_within_the_payment_never_make_revenue_negative(
    data: st.DataObject, paid: int, source: str
) -> None:
    refunds: list[int] = []
    refundable = paid
    while refundable > 0 and data.draw(st.booleans()):
        refund = data.draw(st.integers(min_value=1, max_value=refundable))
        refunds.append(refund)
        refundable -= refund

    posted = [payment_received(INVOICE, source, paid, "trx-1")] + [
        refund_issued(INVOICE, source, refund, f"refund-{n}") for n, refund in enumerate(refunds)
    ]

    result = balances(posted)
    assert result[revenue(source)] == refundable >= 0
    assert result[Account.PROVIDER_CLEARING] == refundable


@given(amounts)
def test_refunding_an_unowed_payment_in_full_leaves_nothing_owed(amount: int) -> None:
    result = balances(
        [
            payment_on_closed_invoice(INVOICE, amount, "trx-1"),
            refund_of_unowed_payment(INVOICE, amount, "refund-1"),
        ]
    )
    assert result == {Account.PROVIDER_CLEARING: 0, Account.REFUNDS_PAYABLE: 0}
