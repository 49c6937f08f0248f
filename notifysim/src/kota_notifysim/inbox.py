"""The simulator's memory: every message it accepted, and the receipts it owes for each.

A development tool keeps this in process memory, the newest ``size`` messages; a lock
guards it because endpoints and receipt deliveries read and write it concurrently, and
readers get copies, never a list a delivery is appending to.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from kota_shared.webhooks import DeliveryAttempt

Channel = Literal["sms", "whatsapp"]


@dataclass(frozen=True)
class TemplateSent:
    """A WhatsApp template message as it came: what the citizen's phone fills in."""

    name: str
    language: str
    parameters: tuple[str, ...]


@dataclass
class Receipt:
    """One delivery receipt: its body is fixed when first sent, so every (re)delivery
    carries the same ``webhook-id`` and the same bytes."""

    webhook_id: str
    status: str
    body: str
    attempts: list[DeliveryAttempt] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return any(a.outcome != "failed" for a in self.attempts)


@dataclass
class Message:
    message_id: str
    channel: Channel
    to: str
    """The recipient in E.164 (``+62…``)."""
    accepted_at: datetime
    text: str | None
    """What the phone shows: the SMS text, or the WhatsApp template filled in when the
    simulator knows its body; None for a template it does not know."""
    reference: str | None = None
    """The client's own id: an SMS's ``reference``, WhatsApp's ``biz_opaque_callback_data``."""
    template: TemplateSent | None = None
    segments: int | None = None
    encoding: str | None = None
    fate: str = "delivered"
    """What the controls made of it (`kota_notifysim.controls.Fate`)."""
    planned: tuple[str, ...] = ()
    """The receipts' statuses, in the order they will be sent."""
    receipts_due_at: datetime | None = None
    """When the receipts start; None when they are withheld."""
    receipts: list[Receipt] = field(default_factory=list)

    @property
    def status(self) -> str:
        """The provider's latest word on it: ``accepted`` until a receipt goes out."""
        return self.receipts[-1].status if self.receipts else "accepted"

    def copy(self) -> "Message":
        receipts = [replace(r, attempts=list(r.attempts)) for r in self.receipts]
        return replace(self, receipts=receipts)


class UnknownMessage(LookupError):
    pass


class Inbox:
    def __init__(self, *, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._messages: OrderedDict[str, Message] = OrderedDict()

    def accept(self, message: Message) -> None:
        with self._lock:
            self._messages[message.message_id] = message
            while len(self._messages) > self._size:
                self._messages.popitem(last=False)

    def get(self, message_id: str) -> Message:
        with self._lock:
            try:
                return self._messages[message_id].copy()
            except KeyError:
                raise UnknownMessage(message_id) from None

    def add_receipt(self, message_id: str, receipt: Receipt) -> int:
        """Keep a receipt about to be sent; its index names it from then on."""
        with self._lock:
            receipts = self._found(message_id).receipts
            receipts.append(receipt)
            return len(receipts) - 1

    def record_attempt(self, message_id: str, index: int, attempt: DeliveryAttempt) -> None:
        with self._lock:
            self._found(message_id).receipts[index].attempts.append(attempt)

    def listed(
        self,
        *,
        to: str | None = None,
        channel: Channel | None = None,
        reference: str | None = None,
        limit: int,
    ) -> list[Message]:
        """The messages that match every filter given, newest first."""
        with self._lock:
            found = []
            for message in reversed(self._messages.values()):
                if (
                    (to is None or message.to == to)
                    and (channel is None or message.channel == channel)
                    and (reference is None or message.reference == reference)
                ):
                    found.append(message.copy())
                    if len(found) == limit:
                        break
            return found

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()

    def _found(self, message_id: str) -> Message:
        try:
            return self._messages[message_id]
        except KeyError:
            raise UnknownMessage(message_id) from None
