"""Refusals in the shape of the API that refuses: the SMS gateway's ``{"error": {"code",
"message"}}``, the Graph API's error object for WhatsApp, and problem documents
(RFC 9457, `kota_shared.problems`) for the simulator's own inbox and controls.

A body that does not validate is answered by the path it was sent to, so a client adapter
meets in the simulator the errors it will meet in production.
"""

import secrets
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from kota_notifysim.sms_schemas import SmsError, SmsErrorDetail
from kota_notifysim.whatsapp_schemas import GraphError, GraphErrorData, GraphErrorDetail
from kota_shared.problems import (
    MAX_MESSAGE_CHARS,
    NotFound,
    ValidationFailed,
    bounded,
    field_errors,
    install_problem_handlers,
    render_problem,
)

SMS_PREFIX = "/sms/"
WHATSAPP_PREFIX = "/whatsapp/"
RETRY_AFTER = {"Retry-After": "1"}


class MessageNotFound(NotFound):
    code = "message_not_found"


class SmsRefusal(Exception):
    def __init__(
        self, *, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


class GraphRefusal(Exception):
    """A Graph API error; ``message`` as Meta words it, ``(#code)`` included where it has it."""

    def __init__(
        self,
        *,
        status: int,
        code: int,
        message: str,
        details: str | None = None,
        subcode: int | None = None,
        type: str = "OAuthException",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.subcode = subcode
        self.type = type
        self.headers = dict(headers or {})


def _fbtrace_id() -> str:
    return secrets.token_urlsafe(17)[:23]


async def _sms_refusal(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SmsRefusal)
    body = SmsError(error=SmsErrorDetail(code=exc.code, message=exc.message))
    return JSONResponse(body.model_dump(), status_code=exc.status, headers=exc.headers)


async def _graph_refusal(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GraphRefusal)
    detail = GraphErrorDetail(
        message=exc.message,
        type=exc.type,
        code=exc.code,
        error_subcode=exc.subcode,
        error_data=GraphErrorData(details=exc.details) if exc.details else None,
        fbtrace_id=_fbtrace_id(),
    )
    body = GraphError(error=detail).model_dump(exclude_none=True)
    return JSONResponse(body, status_code=exc.status, headers=exc.headers)


def _first_error(exc: RequestValidationError) -> str:
    (first, *_others) = exc.errors()
    if first.get("type") == "json_invalid":
        return "the body is not valid JSON"
    field = ".".join(str(part) for part in first.get("loc", ())[1:]) or "body"
    return bounded(f"{field}: {first.get('msg', 'invalid')}", MAX_MESSAGE_CHARS)


async def _invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    path = request.url.path
    if path.startswith(SMS_PREFIX):
        refusal = SmsRefusal(status=400, code="invalid_request", message=_first_error(exc))
        return await _sms_refusal(request, refusal)
    if path.startswith(WHATSAPP_PREFIX):
        invalid = GraphRefusal(
            status=400, code=100, message="(#100) Invalid parameter", details=_first_error(exc)
        )
        return await _graph_refusal(request, invalid)
    return render_problem(request, ValidationFailed(errors=field_errors(exc.errors())))


def install_error_handlers(app: FastAPI) -> None:
    install_problem_handlers(app)
    app.add_exception_handler(SmsRefusal, _sms_refusal)
    app.add_exception_handler(GraphRefusal, _graph_refusal)
    app.add_exception_handler(RequestValidationError, _invalid)
