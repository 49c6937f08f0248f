"""What the receipts endpoints get by injection: each configured provider's adapter and the
verifier of its signatures, built at start (`information.main`)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from information.delivery.providers import Provider
from information.preferences.models import Channel
from kota_shared.webhook_verification import CallbackVerifier


@dataclass(frozen=True)
class ReceiptDesk:
    """One provider's receipts: who may sign them, and how to read them."""

    provider: Provider
    verifier: CallbackVerifier


@dataclass(frozen=True)
class Delivery:
    desks: Mapping[Channel, ReceiptDesk]
    """The configured providers only: another channel's receipts verify against nothing."""
    receipt_wait: timedelta


NOT_DELIVERING = Delivery(desks={}, receipt_wait=timedelta(0))
"""A service with no provider configured: every receipt is refused as unsigned."""


def _delivery(request: Request) -> Delivery:
    delivery = getattr(request.app.state, "delivery", NOT_DELIVERING)
    assert isinstance(delivery, Delivery)
    return delivery


Deliveries = Annotated[Delivery, Depends(_delivery)]
