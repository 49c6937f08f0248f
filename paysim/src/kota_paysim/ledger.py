"""The simulator's memory: every payment it settled and what became of its callback.

A development tool keeps this in process memory; a lock guards it because endpoints and
delivery tasks read and write it concurrently.
"""

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from kota_shared.webhooks import DeliveryAttempt

Channel = Literal["va", "qris"]

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Payment:
    provider_transaction_id: str
    channel: Channel
    reference: str
    amount: int
    paid_at: datetime
    notify: bool


@dataclass
class Transaction:
    """A payment with its callback: the same message id and body on every (re)delivery."""

    payment: Payment
    message_id: str
    attempts: list[DeliveryAttempt] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        return any(a.outcome == "acknowledged" for a in self.attempts)

    @property
    def refused(self) -> bool:
        return any(a.outcome == "refused" for a in self.attempts)


class UnknownTransaction(LookupError):
    pass


class Ledger:
    def __init__(self, *, timezone: ZoneInfo, clock: Clock = utc_now) -> None:
        self._timezone = timezone
        self._clock = clock
        self._lock = threading.Lock()
        self._transactions: dict[str, Transaction] = {}

    def settle(self, *, channel: Channel, reference: str, amount: int, notify: bool) -> Transaction:
        """Record a payment settled now, under a provider transaction id never used before."""
        paid_at = self._clock()
        day = paid_at.astimezone(self._timezone).strftime("%Y%m%d")
        with self._lock:
            transaction_id = self._unused_id(day)
            payment = Payment(transaction_id, channel, reference, amount, paid_at, notify)
            transaction = Transaction(payment, message_id=f"msg_{secrets.token_hex(12)}")
            self._transactions[transaction_id] = transaction
        return transaction

    def _unused_id(self, day: str) -> str:
        while True:
            candidate = f"SIM-{day}-{secrets.token_hex(5).upper()}"
            if candidate not in self._transactions:
                return candidate

    def get(self, provider_transaction_id: str) -> Transaction:
        """A snapshot, so readers never see a list that a delivery task is appending to."""
        with self._lock:
            try:
                found = self._transactions[provider_transaction_id]
            except KeyError:
                raise UnknownTransaction(provider_transaction_id) from None
            return Transaction(found.payment, found.message_id, list(found.attempts))

    def record_attempt(self, provider_transaction_id: str, attempt: DeliveryAttempt) -> None:
        with self._lock:
            self._transactions[provider_transaction_id].attempts.append(attempt)

    def settled_on(self, day: date) -> list[Payment]:
        """The payments of one local statement day, in the order they were paid."""
        with self._lock:
            payments = [t.payment for t in self._transactions.values()]
        return sorted(
            (p for p in payments if p.paid_at.astimezone(self._timezone).date() == day),
            key=lambda p: p.paid_at,
        )
