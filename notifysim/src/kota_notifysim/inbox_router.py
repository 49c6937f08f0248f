"""The simulator's inbox: what it sent, to whom, and what became of it, as JSON and as a
page a developer reads to see what a citizen would receive."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined

from kota_notifysim.dependencies import SimulatorDep
from kota_notifysim.errors import MessageNotFound
from kota_notifysim.inbox import Channel, Message, UnknownMessage
from kota_notifysim.numbers import recipient
from kota_notifysim.schemas import MessageRead
from kota_shared.problems import ValidationFailed

router = APIRouter(tags=["Inbox"])

PAGE_SIZE = 200
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
_pages = Environment(
    loader=PackageLoader("kota_notifysim", "pages"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

To = Annotated[str | None, Query(max_length=32, description="A number, `+62…` or `62…`")]
Reference = Annotated[str | None, Query(max_length=512)]


def _listed(
    simulator: SimulatorDep,
    *,
    to: str | None,
    channel: Channel | None,
    reference: str | None,
    limit: int,
) -> list[Message]:
    number = None
    if to:
        found = recipient(to.strip())  # ?to=+62… arrives as " 62…" when the + is not escaped
        if found is None:
            error = {"field": "to", "message": "not a valid number", "type": "invalid_number"}
            raise ValidationFailed(errors=[error])
        number = found.e164
    return simulator.inbox.listed(to=number, channel=channel, reference=reference, limit=limit)


@router.get("/messages")
async def list_messages(
    simulator: SimulatorDep,
    to: To = None,
    channel: Channel | None = None,
    reference: Reference = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> list[MessageRead]:
    """Who may call: anyone (a test tool). The messages sent, newest first, filtered by
    recipient, channel and the client's reference (``reference`` of an SMS,
    ``biz_opaque_callback_data`` of a WhatsApp message)."""
    found = _listed(simulator, to=to, channel=channel, reference=reference, limit=limit)
    return [MessageRead.of(message) for message in found]


@router.get("/messages/{message_id}")
async def read_message(
    message_id: Annotated[str, Path(max_length=80)], simulator: SimulatorDep
) -> MessageRead:
    """Who may call: anyone (a test tool). One message, with each receipt's body and
    every attempt to deliver it."""
    try:
        return MessageRead.of(simulator.inbox.get(message_id))
    except UnknownMessage:
        raise MessageNotFound() from None


@router.get("/", response_class=HTMLResponse)
async def inbox_page(
    request: Request,
    simulator: SimulatorDep,
    to: To = None,
    channel: Channel | None = None,
) -> HTMLResponse:
    """Who may call: anyone (a test tool). The newest messages as a page: what each
    citizen's phone shows, and its status."""
    messages = _listed(simulator, to=to, channel=channel, reference=None, limit=PAGE_SIZE)
    html = _pages.get_template("inbox.html").render(
        messages=messages,
        to=to or "",
        channel=channel or "",
        stylesheet=request.url_for("static", path="inbox.css").path,
    )
    headers = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-store"}
    return HTMLResponse(html, headers=headers)
