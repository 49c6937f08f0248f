"""A message's statuses and what a provider's receipt may change, as one reviewable rule.

Pure: no I/O. Receipts come late, twice or out of order (WhatsApp's ``read`` may overtake
``delivered``), and a receipt can be the first word on a send whose answer was lost, so the
rule is that a receipt only ever moves a message forward: to what the provider knows, never
back from what it said before.
"""

import enum


class MessageStatus(enum.StrEnum):
    CREATED = "created"
    """Waiting to be sent: new, or held back by quiet hours or a limit until ``due_at``."""
    SENDING = "sending"
    """Handed to the provider (or being handed): waiting for its delivery receipt."""
    DELIVERED = "delivered"
    READ = "read"
    """WhatsApp's read receipt: the citizen opened it."""
    PERMANENT_FAILURE = "permanent_failure"
    """The provider refused it or cannot deliver it to this number, ever: not retried."""
    TEMPORARY_FAILURE = "temporary_failure"
    """The provider gave up for now (the phone stayed off), or no receipt came in time."""
    TECHNICAL_FAILURE = "technical_failure"
    """The provider did not take it (down, 5xx, refused the connection): retried while
    ``due_at`` is set, given up when it is not."""


UNDELIVERED = frozenset({MessageStatus.PERMANENT_FAILURE, MessageStatus.TEMPORARY_FAILURE})
"""Endings that send the notice on by the citizen's next channel."""

_FORWARD: dict[MessageStatus, frozenset[MessageStatus]] = {
    MessageStatus.SENDING: frozenset(
        {
            MessageStatus.DELIVERED,
            MessageStatus.READ,
            MessageStatus.PERMANENT_FAILURE,
            MessageStatus.TEMPORARY_FAILURE,
        }
    ),
    # A retry was pending when the receipt showed the first try had arrived after all.
    MessageStatus.TECHNICAL_FAILURE: frozenset(
        {
            MessageStatus.SENDING,
            MessageStatus.DELIVERED,
            MessageStatus.READ,
            MessageStatus.PERMANENT_FAILURE,
            MessageStatus.TEMPORARY_FAILURE,
        }
    ),
    # "No receipt in time" is our guess; a late receipt is the provider's knowledge.
    MessageStatus.TEMPORARY_FAILURE: frozenset(
        {MessageStatus.DELIVERED, MessageStatus.READ, MessageStatus.PERMANENT_FAILURE}
    ),
    MessageStatus.DELIVERED: frozenset({MessageStatus.READ}),
}


def after_receipt(current: MessageStatus, reported: MessageStatus) -> MessageStatus | None:
    """The status a receipt reporting ``reported`` gives a message in ``current``, or None
    when it changes nothing (a repeat, an older word, or a message that was never handed
    over)."""
    if reported in _FORWARD.get(current, frozenset()):
        return reported
    return None
