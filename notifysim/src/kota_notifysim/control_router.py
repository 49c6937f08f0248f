"""The control API for tests and developers: how a number fares, whether each provider is
up, receipts sent again, and a reset to a fresh simulator."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from kota_notifysim.controls import CHANNELS
from kota_notifysim.dependencies import SimulatorDep
from kota_notifysim.errors import MessageNotFound
from kota_notifysim.inbox import UnknownMessage
from kota_notifysim.numbers import recipient
from kota_notifysim.schemas import (
    AvailabilityRead,
    AvailabilityUpdate,
    NumberControls,
    NumberControlsRead,
    ReceiptUrlsRead,
    ReceiptUrlsUpdate,
    RedeliveryCreate,
    RedeliveryRead,
)
from kota_shared.problems import ValidationFailed

router = APIRouter(prefix="/control", tags=["Simulator control"])


def international_number(number: Annotated[str, Path(max_length=32)]) -> str:
    """The number in E.164, however the path spelled it (``+62…`` or ``62…``)."""
    found = recipient(number)
    if found is None:
        error = {
            "field": "number",
            "message": "not a valid number in international form, such as +6281234567890",
            "type": "invalid_number",
        }
        raise ValidationFailed(errors=[error])
    return found.e164


Number = Annotated[str, Depends(international_number)]


@router.get("/numbers/{number}")
async def read_number(number: Number, simulator: SimulatorDep) -> NumberControlsRead:
    """Who may call: anyone (a test tool). How the number fares now."""
    return NumberControlsRead.of(number, simulator.controls.number(number))


@router.put("/numbers/{number}")
async def control_number(
    number: Number, body: NumberControls, simulator: SimulatorDep
) -> NumberControlsRead:
    """Who may call: anyone (a test tool). From the next send on, on both channels:
    ``fate`` ``refused`` answers the send with an error; ``permanent_failure`` and
    ``temporary_failure`` take it and report it failed; ``delivered`` (with ``read`` on
    WhatsApp) reports it arrived. ``receipt_delay_seconds`` holds its receipts back,
    ``withhold_receipts`` never sends them, ``times`` limits all this to the next sends."""
    simulator.controls.set_number(number, body.behaviour())
    return NumberControlsRead.of(number, simulator.controls.number(number))


@router.delete("/numbers/{number}", status_code=204, response_class=Response)
async def release_number(number: Number, simulator: SimulatorDep) -> Response:
    """Who may call: anyone (a test tool). The number fares as any other again."""
    simulator.controls.forget_number(number)
    return Response(status_code=204)


def _availability(simulator: SimulatorDep) -> AvailabilityRead:
    state = {c: "up" if simulator.controls.is_up(c) else "down" for c in CHANNELS}
    return AvailabilityRead.model_validate(state)


@router.get("/availability")
async def read_availability(simulator: SimulatorDep) -> AvailabilityRead:
    """Who may call: anyone (a test tool). Whether each provider takes sends."""
    return _availability(simulator)


@router.put("/availability")
async def set_availability(body: AvailabilityUpdate, simulator: SimulatorDep) -> AvailabilityRead:
    """Who may call: anyone (a test tool). ``down``: every send to that provider answers
    503 until it is ``up`` again; receipts already owed are still sent."""
    for channel in CHANNELS:
        availability = getattr(body, channel)
        if availability is not None:
            simulator.controls.set_up(channel, availability == "up")
    return _availability(simulator)


def _receipt_urls(simulator: SimulatorDep) -> ReceiptUrlsRead:
    receipts = simulator.receipts
    return ReceiptUrlsRead(sms_url=receipts.url("sms"), whatsapp_url=receipts.url("whatsapp"))


@router.get("/receipts")
async def read_receipt_urls(simulator: SimulatorDep) -> ReceiptUrlsRead:
    """Who may call: anyone (a test tool). Where each provider's receipts go."""
    return _receipt_urls(simulator)


@router.put("/receipts")
async def point_receipts(body: ReceiptUrlsUpdate, simulator: SimulatorDep) -> ReceiptUrlsRead:
    """Who may call: anyone (a test tool). Send receipts elsewhere from the next attempt
    on: a test that serves its own receiver points a running simulator at it."""
    if body.sms_url is not None:
        simulator.receipts.point("sms", str(body.sms_url))
    if body.whatsapp_url is not None:
        simulator.receipts.point("whatsapp", str(body.whatsapp_url))
    return _receipt_urls(simulator)


@router.post("/messages/{message_id}/redeliver")
async def redeliver(
    message_id: Annotated[str, Path(max_length=80)],
    body: RedeliveryCreate,
    simulator: SimulatorDep,
) -> RedeliveryRead:
    """Who may call: anyone (a test tool). Send the message's receipts again (same
    ``webhook-id`` and body, a fresh signature), to prove the receiver applies each once."""
    try:
        status_codes = await simulator.receipts.redeliver(
            message_id, times=body.times, concurrently=body.concurrently
        )
    except UnknownMessage:
        raise MessageNotFound() from None
    return RedeliveryRead(message_id=message_id, status_codes=status_codes)


@router.post("/reset", status_code=204, response_class=Response)
async def reset(simulator: SimulatorDep) -> Response:
    """Who may call: anyone (a test tool). Back to a fresh simulator: no messages, no
    receipts still to send, no templates, no controls, both providers up."""
    await simulator.reset()
    return Response(status_code=204)
