"""What the provider's callback endpoint receives by injection."""

from typing import Annotated

from fastapi import Depends, Request

from kota_shared.webhook_verification import CallbackVerifier


def _callback_verifier(request: Request) -> CallbackVerifier:
    verifier = request.app.state.callback_verifier
    assert isinstance(verifier, CallbackVerifier)
    return verifier


ProviderSignature = Annotated[CallbackVerifier, Depends(_callback_verifier)]
"""Checks the payment provider's signature on a callback, with every current secret."""
