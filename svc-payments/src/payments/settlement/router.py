"""The endpoint the payment provider calls when a citizen has paid."""

from fastapi import APIRouter, Request
from pydantic import ValidationError

from kota_shared.openapi import answers
from kota_shared.problems import ValidationFailed, field_errors
from kota_shared.transaction import CurrentTransaction
from kota_shared.webhook_verification import CallbackTimestampOutOfRange, InvalidCallbackSignature
from payments.dependencies import Settings
from payments.problems import AmountMismatch, UnknownPaymentReference
from payments.settlement import service
from payments.settlement.dependencies import ProviderSignature
from payments.settlement.schemas import SettlementAnswer, SettlementNotice

router = APIRouter(prefix="/v1/payments/callbacks", tags=["payments"])


@router.post(
    "/settlements",
    summary="The payment provider reports a settled payment",
    responses=answers(
        InvalidCallbackSignature,
        CallbackTimestampOutOfRange,
        ValidationFailed,
        UnknownPaymentReference,
        AmountMismatch,
    ),
    description=(
        "Who may call: the payment provider, proven by a Standard Webhooks signature "
        "(`webhook-id`, `webhook-timestamp`, `webhook-signature`: HMAC-SHA256 over the raw "
        "body) with one of `PAYMENTS_CALLBACK_SECRETS`; no token. A bad signature is 401 "
        "`invalid_callback_signature`, a timestamp more than 5 minutes off is 400 "
        "`callback_timestamp_out_of_range`; a reference no invoice has is 422 "
        "`unknown_payment_reference`, an amount that does not match the invoice 422 "
        "`amount_mismatch`, both flagged for finance officers. The same provider transaction "
        "reported again is acknowledged as `duplicate` and changes nothing. A payment to "
        "an invoice no longer open is recorded and refunded."
    ),
)
async def settlement_notice(
    request: Request, tx: CurrentTransaction, signature: ProviderSignature, settings: Settings
) -> SettlementAnswer:
    # The raw body, not a parsed model: the signature covers its exact bytes.
    body = await request.body()
    signature.verify(body, request.headers, now=tx.now)
    try:
        notice = SettlementNotice.model_validate_json(body)
    except ValidationError as exc:
        raise ValidationFailed(errors=field_errors(exc.errors())) from None
    applied = await service.receive(
        tx, notice=notice, settings=settings, sessionmaker=request.app.state.sessionmaker
    )
    return SettlementAnswer(
        status=applied.status, invoice_id=str(applied.invoice_id), received_at=tx.now
    )
