"""The providers' signed delivery receipts, and a notice's messages for its recipient."""

from fastapi import APIRouter, Request
from pydantic import ValidationError

from information.delivery import repository, service
from information.delivery.dependencies import Deliveries
from information.delivery.schemas import MessageRead, ReceiptsAcknowledged
from information.notices.dependencies import OwnNotice
from information.preferences.models import Channel
from kota_shared.clock import system_clock
from kota_shared.db import DbSession
from kota_shared.openapi import answers
from kota_shared.problems import ValidationFailed, field_errors
from kota_shared.transaction import CurrentTransaction
from kota_shared.webhook_verification import CallbackTimestampOutOfRange, InvalidCallbackSignature

router = APIRouter(tags=["information"])

_RECEIPTS = (
    "Who may call: the {provider}, proven by a Standard Webhooks signature (`webhook-id`, "
    "`webhook-timestamp`, `webhook-signature`: HMAC-SHA256 over the raw body) with one of "
    "`INFORMATION_{setting}_RECEIPT_SECRETS`; no token. A missing or bad signature (or a "
    "provider this deployment does not use) is 401 `invalid_callback_signature`, a timestamp "
    "more than 5 minutes from now 400 `callback_timestamp_out_of_range`, a signed body that "
    "is not {shape} 422 `validation_failed`; none of them changes anything. A receipt moves "
    "its message forward only (a repeat, a late or an out-of-order one changes nothing); "
    "one that says it was not delivered hands the notice on to the citizen's next channel. "
    "A receipt for no message of ours is acknowledged and ignored."
)


async def _receive(
    request: Request, tx: CurrentTransaction, deliveries: Deliveries, channel: Channel
) -> ReceiptsAcknowledged:
    desk = deliveries.desks.get(channel)
    if desk is None:
        raise InvalidCallbackSignature()
    # The raw body, not a parsed model: the signature covers its exact bytes. Judged on the
    # wall clock, not the app's: freshness is about replays in real time.
    body = await request.body()
    desk.verifier.verify(body, request.headers, now=system_clock())
    try:
        receipts = desk.provider.read_receipts(body)
    except ValidationError as exc:
        raise ValidationFailed(errors=field_errors(exc.errors())) from None
    applied = await service.receive(
        tx, channel=channel, receipts=receipts, receipt_wait=deliveries.receipt_wait
    )
    return ReceiptsAcknowledged(
        applied=applied.applied, unchanged=applied.unchanged, unknown=applied.unknown
    )


_SIGNATURE_PROBLEMS = answers(
    InvalidCallbackSignature, CallbackTimestampOutOfRange, ValidationFailed
)


@router.post(
    "/v1/information/receipts/sms",
    summary="The SMS gateway reports a delivery (DLR)",
    description=_RECEIPTS.format(provider="SMS gateway", setting="SMS", shape="a delivery report"),
    responses=_SIGNATURE_PROBLEMS,
)
async def sms_receipt(
    request: Request, tx: CurrentTransaction, deliveries: Deliveries
) -> ReceiptsAcknowledged:
    return await _receive(request, tx, deliveries, Channel.SMS)


@router.post(
    "/v1/information/receipts/whatsapp",
    summary="WhatsApp reports a message's status",
    description=_RECEIPTS.format(
        provider="WhatsApp Cloud API", setting="WHATSAPP", shape="a status webhook"
    ),
    responses=_SIGNATURE_PROBLEMS,
)
async def whatsapp_receipt(
    request: Request, tx: CurrentTransaction, deliveries: Deliveries
) -> ReceiptsAcknowledged:
    return await _receive(request, tx, deliveries, Channel.WHATSAPP)


@router.get(
    "/v1/information/notices/{notice_id}/messages",
    summary="How a notice of yours was sent",
    description=(
        "Who may call: the notice's recipient (a citizen; an officer at a kiosk with the "
        "citizen's token); another account's notice is 404. Its WhatsApp and SMS messages, "
        "in the order they were tried, with their statuses; never the number they went to. "
        "Empty when the citizen is reached by the inbox only (no phone, or no channel)."
    ),
)
async def notice_messages(notice: OwnNotice, session: DbSession) -> list[MessageRead]:
    messages = await repository.of_notice(session, notice_id=notice.id)
    return [MessageRead.of(message) for message in messages]
