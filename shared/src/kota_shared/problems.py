"""RFC 9457 problem+json errors: one base class, one set of handlers, messages in id and en.

Every error a client can cause is a `Problem` with a stable machine ``code``; the handlers
render it, FastAPI's validation errors and unknown routes alike, so bad input never
becomes a 500 and never leaks a stack trace. The database going away, or transactions
colliding, is neither the client's fault nor a bug: a 503 with ``Retry-After``.

An answer never echoes unbounded input: a field's name (which the caller chose: an unknown
form field, a JSON key), its message and a problem's ``detail`` are cut to a bound, and at
most `MAX_FIELD_ERRORS` field errors are listed, so a 1 MB field name gets a small 422.
"""

import logging
import re
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from kota_shared.outages import Transience, describe, transience

PROBLEM_MEDIA_TYPE = "application/problem+json"
_log = logging.getLogger(__name__)

MAX_FIELD_CHARS = 200
"""The longest field path an error names (``body.<a name the caller made up>``)."""
MAX_MESSAGE_CHARS = 500
"""The longest message of one field error (validators may quote what they were given)."""
MAX_DETAIL_CHARS = 1000
"""The longest ``detail`` (some quote the request: a scope asked for, a code)."""
MAX_FIELD_ERRORS = 50
"""At most this many field errors are listed; a body with more gets the first ones."""


def bounded(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


class Problem(Exception):
    """An error a client can act on. Subclasses set ``status``, ``code`` and the messages."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title_en: ClassVar[str] = "The request cannot be processed."
    title_id: ClassVar[str] = "Permintaan tidak dapat diproses."

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail or self.title_en)
        self.detail = detail
        self.headers = dict(headers or {})
        self.extensions = extensions


class NotFound(Problem):
    status = 404
    code = "not_found"
    title_en = "We could not find what you asked for."
    title_id = "Data yang Anda cari tidak ditemukan."


class Unauthorized(Problem):
    status = 401
    code = "unauthorized"
    title_en = "Please sign in again: your session is missing, expired or invalid."
    title_id = "Silakan masuk kembali: sesi Anda tidak ada, kedaluwarsa, atau tidak sah."

    def __init__(self, detail: str | None = None, **extensions: Any) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"}, **extensions)


class Forbidden(Problem):
    status = 403
    code = "forbidden"
    title_en = "You are not allowed to do this."
    title_id = "Anda tidak memiliki izin untuk melakukan ini."


class Conflict(Problem):
    status = 409
    code = "conflict"
    title_en = "This conflicts with the current state of the record."
    title_id = "Permintaan ini bertentangan dengan keadaan data saat ini."


class ValidationFailed(Problem):
    status = 422
    code = "validation_failed"
    title_en = "Some of the information you sent is not valid."
    title_id = "Sebagian data yang Anda kirim tidak valid."


class PayloadTooLarge(Problem):
    status = 413
    code = "payload_too_large"
    title_en = "The request is too large."
    title_id = "Permintaan terlalu besar."


class UnsupportedMediaType(Problem):
    """The body's ``Content-Type`` is not one the operation reads (``accepted`` lists them)."""

    status = 415
    code = "unsupported_media_type"
    title_en = "The request body is not in a format this operation accepts."
    title_id = "Format isi permintaan tidak diterima oleh operasi ini."


class ServiceUnavailable(Problem):
    status = 503
    code = "service_unavailable"
    title_en = "This service is temporarily unavailable. Please try again shortly."
    title_id = "Layanan ini sedang tidak tersedia. Silakan coba beberapa saat lagi."


class _RetryLater(Problem):
    """A 503 that passes by itself: ``Retry-After`` says when the same request should work."""

    status = 503
    retry_after_seconds: ClassVar[int]

    def __init__(self, detail: str | None = None, **extensions: Any) -> None:
        retry_after = {"Retry-After": str(self.retry_after_seconds)}
        super().__init__(detail, headers=retry_after, **extensions)


class DatabaseUnavailable(_RetryLater):
    """PostgreSQL is restarting or unreachable; a fast restart takes a second or two."""

    code = "database_unavailable"
    retry_after_seconds = 5
    title_en = "We cannot reach our records right now. Please try again in a few seconds."
    title_id = "Kami sedang tidak dapat mengakses data. Silakan coba lagi dalam beberapa detik."


class BusyTryAgain(_RetryLater):
    """Concurrent transactions collided (serialization failure, deadlock): retry at once."""

    code = "busy_try_again"
    retry_after_seconds = 1
    title_en = "We are busy with other changes to the same records. Please try again."
    title_id = "Kami sedang memproses perubahan lain pada data yang sama. Silakan coba lagi."


_RETRY_LATER: dict[Transience, type[_RetryLater]] = {
    Transience.OUTAGE: DatabaseUnavailable,
    Transience.CONTENTION: BusyTryAgain,
}

_STATUS_PROBLEMS: dict[int, type[Problem]] = {
    p.status: p for p in (NotFound, Unauthorized, Forbidden, Conflict, ServiceUnavailable)
}


def prefers_indonesian(request: Request) -> bool:
    """True when the caller's ``Accept-Language`` ranks Indonesian above English."""
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        lang = part.split(";")[0].strip().lower()
        if lang.startswith("id"):
            return True
        if lang.startswith("en"):
            return False
    return False


def problem_response(
    request: Request,
    *,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """Render one problem document; ``instance`` is the path so a report can be traced."""
    body: dict[str, Any] = {
        "type": f"https://docs.kota.live/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
        "instance": request.url.path,
    }
    if detail:
        body["detail"] = bounded(detail, MAX_DETAIL_CHARS)
    request_id = request.headers.get("x-request-id")
    if request_id:
        body["request_id"] = request_id
    body.update(extensions or {})
    if isinstance(body.get("errors"), list):  # also when a service raised them itself
        body["errors"] = _bounded_errors(body["errors"])
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _title(problem: type[Problem], request: Request) -> str:
    return problem.title_id if prefers_indonesian(request) else problem.title_en


def render_problem(request: Request, problem: Problem) -> JSONResponse:
    """The response for ``problem``; for ASGI middleware that answers before any endpoint."""
    return problem_response(
        request,
        status=problem.status,
        code=problem.code,
        title=_title(type(problem), request),
        detail=problem.detail,
        headers=problem.headers,
        extensions=problem.extensions,
    )


async def _handle_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return render_problem(request, exc)


def field_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Name each invalid field by its JSON pointer-ish path, with the validator's message
    (the first `MAX_FIELD_ERRORS`, each cut to its bounds: see `bounded`)."""
    fields = []
    for error in errors[:MAX_FIELD_ERRORS]:
        location = [str(part) for part in error.get("loc", ())]
        fields.append(
            {
                "field": bounded(".".join(location), MAX_FIELD_CHARS),
                "message": bounded(str(error.get("msg", "")), MAX_MESSAGE_CHARS),
                "type": error.get("type"),
            }
        )
    return fields


def _bounded_errors(errors: list[Any]) -> list[Any]:
    """A problem's ``errors`` within the bounds, whoever built them."""
    kept = []
    for error in errors[:MAX_FIELD_ERRORS]:
        if isinstance(error, dict):
            error = {
                key: bounded(value, MAX_MESSAGE_CHARS if key == "message" else MAX_FIELD_CHARS)
                if isinstance(value, str)
                else value
                for key, value in error.items()
            }
        kept.append(error)
    return kept


async def _handle_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return problem_response(
        request,
        status=ValidationFailed.status,
        code=ValidationFailed.code,
        title=_title(ValidationFailed, request),
        extensions={"errors": field_errors(exc.errors())},
    )


async def _handle_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    problem = _STATUS_PROBLEMS.get(exc.status_code)
    if problem is not None:
        title, code = _title(problem, request), problem.code
    else:
        phrase = HTTPStatus(exc.status_code).phrase
        title, code = phrase, re.sub(r"[^a-z0-9]+", "_", phrase.lower()).strip("_")
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
    return problem_response(
        request,
        status=exc.status_code,
        code=code,
        title=title,
        detail=detail,
        headers=exc.headers,
    )


# What a request meets when PostgreSQL is away or busy: driver errors wrapped by SQLAlchemy,
# the pool's timeout, and the raw OSError (refused, reset) of a new connection.
_DATABASE_ERRORS: tuple[type[Exception], ...] = (DBAPIError, PoolTimeoutError, OSError)


async def _handle_database_error(request: Request, exc: Exception) -> JSONResponse:
    """An outage or contention is a 503 to retry, logged in one line; anything else a bug.

    Registered for specific classes, so it runs in ExceptionMiddleware and the 503 is an
    ordinary response: the `Exception` handler runs in ServerErrorMiddleware, which
    re-raises after answering, and the server would log every failed request's traceback.
    """
    kind = transience(exc)
    if kind is None:
        raise exc  # a real fault: on to `_handle_unexpected`, traceback and all
    problem = _RETRY_LATER[kind]()
    _log.warning(
        "%s %s answered %s (%s): %s",
        request.method,
        request.url.path,
        problem.status,
        problem.code,
        describe(exc),
    )
    return render_problem(request, problem)


async def _handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    """A bug, not bad input: log it whole and answer without internals."""
    _log.exception("unhandled error", exc_info=exc)
    return problem_response(
        request,
        status=500,
        code="internal_error",
        title=(
            "Terjadi kesalahan pada sistem kami."
            if prefers_indonesian(request)
            else "Something went wrong on our side."
        ),
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error through the problem renderers."""
    app.add_exception_handler(Problem, _handle_problem)
    app.add_exception_handler(RequestValidationError, _handle_validation)
    app.add_exception_handler(StarletteHTTPException, _handle_http)
    for error_class in _DATABASE_ERRORS:
        app.add_exception_handler(error_class, _handle_database_error)
    app.add_exception_handler(Exception, _handle_unexpected)
