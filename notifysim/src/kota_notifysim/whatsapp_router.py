"""WhatsApp Cloud API: template sends from the business number, and the business account's
message templates, under ``/whatsapp/{version}`` where Meta has ``graph.facebook.com/{version}``."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kota_notifysim.dependencies import SimulatorDep, holds
from kota_notifysim.errors import RETRY_AFTER, GraphRefusal
from kota_notifysim.templates import AlreadyRegistered
from kota_notifysim.whatsapp_schemas import (
    Contact,
    GraphError,
    MessageCreate,
    MessageSent,
    SentMessage,
    TemplateCreate,
    TemplateCreated,
    TemplateDeleted,
    TemplateList,
    TemplateRead,
)

router = APIRouter(prefix="/whatsapp/{version}", tags=["WhatsApp Cloud API"])
_bearer = HTTPBearer(auto_error=False, description="The system user's access token")

Version = Annotated[str, Path(pattern=r"^v\d{1,2}\.\d$", examples=["v23.0"])]
ObjectId = Annotated[str, Path(max_length=32)]


def _graph_client(
    version: Version,
    simulator: SimulatorDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Down answers nobody; up, only the holder of the access token."""
    if not simulator.controls.is_up("whatsapp"):
        raise GraphRefusal(
            status=503,
            code=131016,
            message="(#131016) Service unavailable",
            details="A service is temporarily unavailable.",
            headers=RETRY_AFTER,
        )
    if not holds(credentials, simulator.settings.whatsapp_access_token):
        raise GraphRefusal(
            status=401,
            code=190,
            message="Invalid OAuth access token - Cannot parse access token",
            headers={"WWW-Authenticate": "Bearer"},
        )


def _answers(*statuses: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": GraphError, "description": why} for status, why in statuses}


_REFUSED = (
    (401, "190: no access token, or not this one."),
    (503, "131016: the Cloud API is down (`Retry-After`)."),
)


def _own_account(business_account_id: ObjectId, simulator: SimulatorDep) -> None:
    if business_account_id != simulator.settings.whatsapp_business_account_id:
        raise GraphRefusal(
            status=400,
            code=100,
            subcode=33,
            type="GraphMethodException",
            message=f"Unsupported request. Object with ID '{business_account_id}' does not "
            "exist, cannot be loaded due to missing permissions, or does not support this "
            "operation.",
        )


@router.post(
    "/{phone_number_id}/messages",
    dependencies=[Depends(_graph_client)],
    responses=_answers(
        (
            400,
            "100 (not this business number, or a body Meta refuses), 131009 (`to` is no "
            "number), 131026 (refused for this number), 132000 (parameter count), 132001 "
            "(unknown template, when templates are required), 132005 (text too long), "
            "132018 (a parameter with a new line, a tab or five spaces).",
        ),
        *_REFUSED,
    ),
)
async def send_message(
    phone_number_id: ObjectId, body: MessageCreate, simulator: SimulatorDep
) -> MessageSent:
    """Who may call: the holder of the access token, for the business's phone number id.

    Takes a template message to one customer; its statuses (``sent``, ``delivered``,
    ``read`` or ``failed``) are POSTed to the WhatsApp receipt URL later."""
    message = simulator.send_whatsapp(phone_number_id=phone_number_id, body=body)
    contact = Contact(input=body.to, wa_id=message.to.removeprefix("+"))
    return MessageSent(contacts=[contact], messages=[SentMessage(id=message.message_id)])


@router.post(
    "/{business_account_id}/message_templates",
    dependencies=[Depends(_graph_client), Depends(_own_account)],
    responses=_answers((400, "100: not this business account, or the template exists."), *_REFUSED),
)
async def create_template(body: TemplateCreate, simulator: SimulatorDep) -> TemplateCreated:
    """Who may call: the holder of the access token, for its business account.

    Registers (and at once approves) a template per name and language; a send of it is
    then checked against its ``{{n}}`` placeholders and shown filled in the inbox."""
    try:
        template = simulator.templates.register(body)
    except AlreadyRegistered:
        raise GraphRefusal(
            status=400,
            code=100,
            subcode=2388024,
            message="(#100) Invalid parameter",
            details="Content in this language already exists",
        ) from None
    return TemplateCreated(id=template.id, category=body.category)


@router.get(
    "/{business_account_id}/message_templates",
    dependencies=[Depends(_graph_client), Depends(_own_account)],
    responses=_answers((400, "100: not this business account."), *_REFUSED),
)
async def list_templates(simulator: SimulatorDep) -> TemplateList:
    """Who may call: the holder of the access token, for its business account."""
    return TemplateList(
        data=[
            TemplateRead(id=t.id, **t.definition.model_dump()) for t in simulator.templates.listed()
        ]
    )


@router.delete(
    "/{business_account_id}/message_templates",
    dependencies=[Depends(_graph_client), Depends(_own_account)],
    responses=_answers((400, "100: not this business account."), *_REFUSED),
)
async def delete_template(
    name: Annotated[str, Query(max_length=512)], simulator: SimulatorDep
) -> TemplateDeleted:
    """Who may call: the holder of the access token, for its business account. Deletes the
    template ``name`` in every language."""
    return TemplateDeleted(success=simulator.templates.delete(name) > 0)
