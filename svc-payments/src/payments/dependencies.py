"""Who may call the payments API, and what endpoints receive by injection."""

from typing import Annotated

from fastapi import Depends, Request

from kota_contracts.access import Role, Scope
from kota_shared.auth import Principal, Require
from kota_shared.idempotency import IdempotentRequest, RequireIdempotencyKey
from payments.channels.for_invoices import ChannelMaker
from payments.config import PaymentsSettings
from payments.db import IDEMPOTENCY_KEYS

Citizen = Annotated[Principal, Depends(Require(roles={Role.CITIZEN}))]
FinanceOfficer = Annotated[Principal, Depends(Require(roles={Role.FINANCE_OFFICER}))]
CitizenOrFinance = Annotated[
    Principal, Depends(Require(roles={Role.CITIZEN, Role.FINANCE_OFFICER}))
]
InvoiceWriter = Annotated[Principal, Depends(Require(scopes={Scope.PAYMENTS_INVOICES_WRITE}))]
"""An agency client (e.g. the local-tax office) allowed to bill citizens."""

Idempotent = Annotated[IdempotentRequest, Depends(RequireIdempotencyKey(IDEMPOTENCY_KEYS))]
"""The request's ``Idempotency-Key`` (required): a retry returns the first response."""


def _settings(request: Request) -> PaymentsSettings:
    settings = request.app.state.runtime.settings
    assert isinstance(settings, PaymentsSettings)
    return settings


def _channels(request: Request) -> ChannelMaker:
    channels: ChannelMaker = request.app.state.channels
    return channels


Settings = Annotated[PaymentsSettings, Depends(_settings)]
Channels = Annotated[ChannelMaker, Depends(_channels)]
"""Makes a new invoice's virtual account and QRIS payload (built once, at start)."""
