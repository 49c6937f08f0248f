"""Verifying a provider's signed webhooks (a payment's settlement, a message's delivery
receipt): Standard Webhooks, HMAC-SHA256 over the id, the timestamp and the raw body, with
several secrets accepted during a rotation. The sending side is `kota_shared.webhooks`.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime

from standardwebhooks.webhooks import Webhook

from kota_shared.messages import _
from kota_shared.problems import Problem, Unauthorized

TOLERANCE_SECONDS = 300
"""Stale or future timestamps are refused (the library enforces the same window)."""


class InvalidCallbackSignature(Unauthorized):
    code = "invalid_callback_signature"
    title = _("The notification's signature is missing or does not verify.")


class CallbackTimestampOutOfRange(Problem):
    status = 400
    code = "callback_timestamp_out_of_range"
    title = _("The notification's timestamp is too old or in the future.")


class CallbackVerifier:
    def __init__(self, secrets: Sequence[str]) -> None:
        if not secrets:
            raise ValueError("at least one webhook secret is needed")
        self._webhooks = [Webhook(secret) for secret in secrets]

    def verify(self, body: bytes, headers: Mapping[str, str], *, now: datetime) -> None:
        """Return if some secret signed exactly ``body``; raise a 400/401 problem otherwise.

        The timestamp is judged first, so a replayed old notification is told why it failed.
        """
        lowered = {key.lower(): value for key, value in headers.items()}
        try:
            sent_at = int(lowered["webhook-timestamp"])
        except (KeyError, ValueError):
            raise InvalidCallbackSignature(
                _("The webhook-timestamp header is missing or not a number of seconds.")
            ) from None
        if abs(now.timestamp() - sent_at) > TOLERANCE_SECONDS:
            raise CallbackTimestampOutOfRange(
                _(
                    "Timestamps more than {seconds} seconds from now are refused.",
                    seconds=TOLERANCE_SECONDS,
                )
            )
        if not any(_signed(webhook, body, lowered) for webhook in self._webhooks):
            raise InvalidCallbackSignature()


def _signed(webhook: Webhook, body: bytes, headers: dict[str, str]) -> bool:
    try:
        webhook.verify(body, headers, json_parse=False)
    except Exception:  # malformed headers raise more than the library's own error
        return False
    return True
