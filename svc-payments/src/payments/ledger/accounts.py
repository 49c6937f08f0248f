"""The chart of accounts: fixed names and one revenue account per billing service, nothing else.

Refusing any other name means a typo can never open a new account.

An account's kind decides its normal side: assets and expenses grow with debits, liabilities
and revenue with credits. Balances are reported on the normal side, so a healthy account's
balance is never negative.
"""

import enum
import re


class AccountKind(enum.StrEnum):
    ASSET = "asset"
    LIABILITY = "liability"
    REVENUE = "revenue"
    EXPENSE = "expense"


class Account(enum.StrEnum):
    PROVIDER_CLEARING = "provider_clearing"
    """Asset: money the payment provider holds for the city until it settles."""
    REFUNDS_PAYABLE = "refunds_payable"
    """Liability: money owed back to a citizen (e.g. a payment on an expired invoice)."""
    PROVIDER_FEES = "provider_fees"
    """Expense: the provider's merchant fee (0% for payments to government)."""


REVENUE_PREFIX = "revenue:"
_SERVICE = re.compile(r"[a-z][a-z0-9_]{0,47}")
"""A billing service's name (``permits``, ``health``, ``agency``): short, so accounts fit."""

_KINDS: dict[str, AccountKind] = {
    Account.PROVIDER_CLEARING: AccountKind.ASSET,
    Account.REFUNDS_PAYABLE: AccountKind.LIABILITY,
    Account.PROVIDER_FEES: AccountKind.EXPENSE,
}


def revenue(source: str) -> str:
    """The revenue account of an invoice's source, one per billing service: the part before
    any ``:``, so every ``agency:<client>`` invoice counts as ``revenue:agency``."""
    service = source.partition(":")[0]
    if not _SERVICE.fullmatch(service):
        raise ValueError(f"invoice source {source!r} does not start with a name like 'permits'")
    return f"{REVENUE_PREFIX}{service}"


def kind_of(account: str) -> AccountKind:
    """The kind of ``account``; refuses any name outside the chart."""
    if (kind := _KINDS.get(account)) is not None:
        return kind
    if account.startswith(REVENUE_PREFIX) and _SERVICE.fullmatch(account[len(REVENUE_PREFIX) :]):
        return AccountKind.REVENUE
    raise ValueError(f"{account!r} is not an account of the ledger")


def balance(account: str, *, debit: int, credit: int) -> int:
    """The balance of ``account`` on its normal side, given its total debits and credits."""
    if kind_of(account) in (AccountKind.ASSET, AccountKind.EXPENSE):
        return debit - credit
    return credit - debit
