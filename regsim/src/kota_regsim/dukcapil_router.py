"""Dukcapil's endpoint over HTTP: availability first, then `kota_regsim.dukcapil` answers."""

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kota_regsim.availability import Switch
from kota_regsim.dukcapil import FAMILY_CARD, PERSON, VERIFY, Dukcapil

router = APIRouter(prefix="/dukcapil", tags=["Dukcapil web service for agencies"])

Sleep = Callable[[float], Awaitable[Any]]

_ACCOUNT = {"USER_ID": "kota-live-dev", "PASSWORD": "regsim-dev-password", "IP_USER": "127.0.0.1"}
_EXAMPLES = {
    VERIFY: {
        **_ACCOUNT,
        "TRESHOLD": "90",
        "NIK": "3671014508900001",
        "NAMA_LGKP": "Siti Rahmawati",
        "TGL_LHR": "05-08-1990",
    },
    PERSON: {**_ACCOUNT, "NIK": "3671010101700001"},
    FAMILY_CARD: {**_ACCOUNT, "NO_KK": "3671010403180002"},
}
_REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "object", "additionalProperties": {"type": "string"}},
                "examples": {name: {"value": body} for name, body in _EXAMPLES.items()},
            }
        },
    }
}
_ANSWER = {"content": {"application/json": {"schema": {"type": "object"}}}}


@router.post(
    "/get_json/{institution}/{service}",
    openapi_extra=_REQUEST_BODY,
    responses={
        200: {"description": 'A page of results, or of one {"RESPON": ...} refusal.'},
        400: {"description": "Not a JSON object, or a field missing.", **_ANSWER},
        404: {"description": "No such service.", **_ANSWER},
        413: {"description": "A body over the limit.", **_ANSWER},
        503: {"description": "Down for maintenance (availability `down`).", **_ANSWER},
    },
)
async def call_dukcapil(institution: str, service: str, request: Request) -> JSONResponse:
    """Who may call: an agency account (``USER_ID``, ``PASSWORD``, ``IP_USER`` in the body)
    for the institution in the path. ``service`` is ``CALL_VERIFY_BY_ELEMEN``, ``CALL_NIK``
    or ``CALL_KK``; docs/registry-simulator.md lists each one's fields and answers."""
    dukcapil: Dukcapil = request.app.state.dukcapil
    switch: Switch = request.app.state.availability
    availability = switch.current
    if availability.mode == "down":
        reply = dukcapil.unavailable(institution=institution, service=service)
    else:
        if availability.delay:
            sleep: Sleep = request.app.state.sleep
            await sleep(availability.delay)
        body = await request.body()
        reply = dukcapil.handle(institution=institution, service=service, body=body)
    return JSONResponse(reply.body, status_code=reply.status)
