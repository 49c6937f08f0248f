"""The endpoint the payment provider calls when a citizen has paid."""

import uuid

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_shared.app import EventOutbox
from kota_shared.clock import Now
from kota_shared.db import DbSession
from kota_shared.problems import ValidationFailed, field_errors
from payments.channels.virtual_accounts import is_valid_va
from payments.config import PaymentsSettings
from payments.problems import AmountMismatch, UnknownPaymentReference
from payments.settlement import service
from payments.settlement.models import AnomalyKind, PaymentAnomaly
from payments.settlement.schemas import SettlementAnswer, SettlementNotice
from payments.settlement.signatures import CallbackVerifier

router = APIRouter(prefix="/v1/payments/callbacks", tags=["payments"])


@router.post(
    "/settlements",
    summary="The payment provider reports a settled payment",
    description=(
        "Who may call: the payment provider, proven by a Standard Webhooks signature "
        "(`webhook-id`, `webhook-timestamp`, `webhook-signature`: HMAC-SHA256 over the raw "
        "body) with one of `PAYMENTS_CALLBACK_SECRETS`; no token. A bad signature is 401, a "
        "timestamp more than 5 minutes off is 400, an amount that does not match the "
        "invoice is 422 and flagged for finance officers. The same provider transaction "
        "reported again is acknowledged as `duplicate` and changes nothing. A payment to "
        "an invoice no longer open is recorded and refunded."
    ),
)
async def settlement_notice(
    request: Request, session: DbSession, outbox: EventOutbox, now: Now
) -> SettlementAnswer:
    body = await request.body()
    verifier: CallbackVerifier = request.app.state.callback_verifier
    verifier.verify(body, request.headers, now=now)
    try:
        notice = SettlementNotice.model_validate_json(body)
    except ValidationError as exc:
        raise ValidationFailed(errors=field_errors(exc.errors())) from None
    settings: PaymentsSettings = request.app.state.runtime.settings
    fee = settings.va_fee_rupiah if notice.channel == "va" else 0
    try:
        if notice.channel == "va" and not is_valid_va(notice.reference, settings.va_bank_prefix):
            raise UnknownPaymentReference(reference=notice.reference)  # a mistyped account
        applied = await service.apply(session, outbox, notice, fee_rupiah=fee, now=now)
    except (AmountMismatch, UnknownPaymentReference) as refused:
        await _flag(request.app.state.sessionmaker, notice, refused)
        raise
    return SettlementAnswer(
        status=applied.status, invoice_id=str(applied.invoice_id), received_at=now
    )


async def _flag(
    sessionmaker: async_sessionmaker[AsyncSession],
    notice: SettlementNotice,
    refused: AmountMismatch | UnknownPaymentReference,
) -> None:
    """Keep a refused report for finance officers, outside the request's rolled-back work."""
    mismatch = isinstance(refused, AmountMismatch)
    invoice_id = refused.extensions.get("invoice_id")
    async with sessionmaker() as session, session.begin():
        session.add(
            PaymentAnomaly(
                kind=AnomalyKind.AMOUNT_MISMATCH if mismatch else AnomalyKind.UNKNOWN_REFERENCE,
                provider_transaction_id=notice.provider_transaction_id,
                channel=notice.channel,
                reference=notice.reference,
                amount_rupiah=notice.amount,
                expected_rupiah=refused.extensions.get("expected"),
                invoice_id=uuid.UUID(invoice_id) if invoice_id else None,
            )
        )
