"""The SMS gateway's API: one send, answered at once, reported on by a DLR later."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kota_notifysim.dependencies import SimulatorDep, holds
from kota_notifysim.errors import RETRY_AFTER, SmsRefusal
from kota_notifysim.sms_schemas import SmsAccepted, SmsCreate, SmsError

router = APIRouter(prefix="/sms/v1", tags=["SMS gateway"])
_bearer = HTTPBearer(auto_error=False, description="The gateway's API key")


def _sms_client(
    simulator: SimulatorDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """A gateway that is down answers nobody; one that is up, only its key's holder."""
    if not simulator.controls.is_up("sms"):
        raise SmsRefusal(
            status=503,
            code="service_unavailable",
            message="the gateway is down for maintenance; try again later",
            headers=RETRY_AFTER,
        )
    if not holds(credentials, simulator.settings.sms_api_key):
        raise SmsRefusal(
            status=401,
            code="unauthorized",
            message="send the API key as 'Authorization: Bearer <key>'",
            headers={"WWW-Authenticate": "Bearer"},
        )


def _answers(*statuses: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": SmsError, "description": why} for status, why in statuses}


@router.post(
    "/messages",
    status_code=202,
    dependencies=[Depends(_sms_client)],
    responses=_answers(
        (
            400,
            "`invalid_request`, `invalid_number`, `empty_text`, `text_too_long` or "
            "`recipient_rejected`.",
        ),
        (401, "`unauthorized`: no API key, or not this one."),
        (503, "`service_unavailable`: the gateway is down (`Retry-After`)."),
    ),
)
async def send_sms(body: SmsCreate, simulator: SimulatorDep) -> SmsAccepted:
    """Who may call: the holder of the gateway's API key (``Authorization: Bearer``).

    Takes one SMS to one number in international form. The answer says how many segments
    (parts) it takes in which alphabet; its delivery report is POSTed to the SMS receipt
    URL later, with ``reference`` repeated."""
    message = simulator.send_sms(to=body.to, text=body.text, reference=body.reference)
    accepted = {
        "message_id": message.message_id,
        "segments": message.segments,
        "encoding": message.encoding,
    }
    return SmsAccepted.model_validate(accepted)
