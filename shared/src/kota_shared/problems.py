"""RFC 9457 problem+json errors: one base class, one set of handlers, messages in id and en.

Titles, details and field messages are `Message`s, rendered in the caller's language
(`kota_shared.i18n.negotiate`: Indonesian unless English is preferred), pydantic's own
validation messages included (`kota_shared.i18n.validation`).

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

from kota_shared.i18n import Language, Message, Text, negotiate
from kota_shared.i18n.catalogue import render
from kota_shared.i18n.validation import field_message
from kota_shared.messages import _
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
    title: ClassVar[Message] = _("The request cannot be processed.")

    def __init__(
        self,
        detail: Message | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(str(detail or self.title))
        self.detail = detail
        self.headers = dict(headers or {})
        self.extensions = extensions


class NotFound(Problem):
    status = 404
    code = "not_found"
    title = _("We could not find what you asked for.")


class Unauthorized(Problem):
    status = 401
    code = "unauthorized"
    title = _("Please sign in again: your session is missing, expired or invalid.")

    def __init__(self, detail: Message | None = None, **extensions: Any) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"}, **extensions)


class Forbidden(Problem):
    status = 403
    code = "forbidden"
    title = _("You are not allowed to do this.")


class Conflict(Problem):
    status = 409
    code = "conflict"
    title = _("This conflicts with the current state of the record.")


class ValidationFailed(Problem):
    status = 422
    code = "validation_failed"
    title = _("Some of the information you sent is not valid.")


class PayloadTooLarge(Problem):
    status = 413
    code = "payload_too_large"
    title = _("The request is too large.")


class UnsupportedMediaType(Problem):
    """The body's ``Content-Type`` is not one the operation reads (``accepted`` lists them)."""

    status = 415
    code = "unsupported_media_type"
    title = _("The request body is not in a format this operation accepts.")


class ServiceUnavailable(Problem):
    status = 503
    code = "service_unavailable"
    title = _("This service is temporarily unavailable. Please try again shortly.")


class _RetryLater(Problem):
    """A 503 that passes by itself: ``Retry-After`` says when the same request should work."""

    status = 503
    retry_after_seconds: ClassVar[int]

    def __init__(self, detail: Message | None = None, **extensions: Any) -> None:
        retry_after = {"Retry-After": str(self.retry_after_seconds)}
        super().__init__(detail, headers=retry_after, **extensions)


class DatabaseUnavailable(_RetryLater):
    """PostgreSQL is restarting or unreachable; a fast restart takes a second or two."""

    code = "database_unavailable"
    retry_after_seconds = 5
    title = _("We cannot reach our records right now. Please try again in a few seconds.")


class BusyTryAgain(_RetryLater):
    """Concurrent transactions collided (serialization failure, deadlock): retry at once."""

    code = "busy_try_again"
    retry_after_seconds = 1
    title = _("We are busy with other changes to the same records. Please try again.")


_RETRY_LATER: dict[Transience, type[_RetryLater]] = {
    Transience.OUTAGE: DatabaseUnavailable,
    Transience.CONTENTION: BusyTryAgain,
}


class MethodNotAllowed(Problem):
    status = 405
    code = "method_not_allowed"
    title = _("This address does not accept this method.")


class InternalError(Problem):
    """A fault of ours, not of the request: logged whole, answered without internals."""

    status = 500
    code = "internal_error"
    title = _("Something went wrong on our side.")


_STATUS_PROBLEMS: dict[int, type[Problem]] = {
    p.status: p
    for p in (NotFound, Unauthorized, Forbidden, Conflict, MethodNotAllowed, ServiceUnavailable)
}


def request_language(request: Request) -> Language:
    """The language the caller reads (``Accept-Language``, Indonesian by default)."""
    return negotiate(request.headers.get("accept-language"))


def _localized(value: Any, language: Language) -> Any:
    """``value`` with every `Message` in it (however nested) rendered in ``language``."""
    if isinstance(value, dict):
        return {key: _localized(item, language) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_localized(item, language) for item in value]
    if hasattr(value, "render"):
        return render(value, language)
    return value


def problem_response(
    request: Request,
    *,
    status: int,
    code: str,
    title: Text,
    detail: Message | None = None,
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """Render one problem document in the caller's language; ``instance`` is the path so a
    report can be traced."""
    language = request_language(request)
    body: dict[str, Any] = {
        "type": f"/problems/{code}",
        "title": render(title, language),
        "status": status,
        "code": code,
        "instance": request.url.path,
    }
    if detail:
        body["detail"] = bounded(render(detail, language), MAX_DETAIL_CHARS)
    request_id = request.headers.get("x-request-id")
    if request_id:
        body["request_id"] = request_id
    body.update(_localized(dict(extensions or {}), language))
    if isinstance(body.get("errors"), list):  # also when a service raised them itself
        body["errors"] = _bounded_errors(body["errors"])
    return JSONResponse(
        body,
        status_code=status,
        headers={**(headers or {}), "Content-Language": language},
        media_type=PROBLEM_MEDIA_TYPE,
    )


def render_problem(request: Request, problem: Problem) -> JSONResponse:
    """The response for ``problem``; for ASGI middleware that answers before any endpoint."""
    return problem_response(
        request,
        status=problem.status,
        code=problem.code,
        title=problem.title,
        detail=problem.detail,
        headers=problem.headers,
        extensions=problem.extensions,
    )


async def _handle_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return render_problem(request, exc)


def field_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Name each invalid field by its JSON pointer-ish path, with the validator's message as
    a `Message` (the first `MAX_FIELD_ERRORS`, each cut to its bounds: see `bounded`)."""
    fields = []
    for error in errors[:MAX_FIELD_ERRORS]:
        location = [str(part) for part in error.get("loc", ())]
        fields.append(
            {
                "field": bounded(".".join(location), MAX_FIELD_CHARS),
                "message": field_message(error),
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
    return render_problem(request, ValidationFailed(errors=field_errors(exc.errors())))


_GENERIC_TITLE = Problem.title
_FASTAPI_UNPARSABLE_BODY = "There was an error parsing the body"
"""FastAPI's 400 for a declared body it cannot decode at all (bytes that are not UTF-8)."""
_UNPARSABLE_BODY = _("The body is not valid UTF-8 JSON.")


async def _handle_http(request: Request, exc: Exception) -> JSONResponse:
    """Starlette's own errors (an unknown route, a wrong method) as problems; a status with
    no class of its own gets the generic title and a code made from its phrase.

    FastAPI's undecodable body is answered as every other malformed body is: 422
    ``validation_failed`` with one ``body_invalid`` error on ``body``.
    """
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == HTTPStatus.BAD_REQUEST and exc.detail == _FASTAPI_UNPARSABLE_BODY:
        error = {"field": "body", "message": _UNPARSABLE_BODY, "type": "body_invalid"}
        return render_problem(request, ValidationFailed(errors=[error]))
    problem = _STATUS_PROBLEMS.get(exc.status_code)
    if problem is not None:
        title: Message = problem.title
        code = problem.code
    else:
        phrase = HTTPStatus(exc.status_code).phrase
        title, code = _GENERIC_TITLE, re.sub(r"[^a-z0-9]+", "_", phrase.lower()).strip("_")
    return problem_response(
        request, status=exc.status_code, code=code, title=title, headers=exc.headers
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
    return render_problem(request, InternalError())


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error through the problem renderers."""
    app.add_exception_handler(Problem, _handle_problem)
    app.add_exception_handler(RequestValidationError, _handle_validation)
    app.add_exception_handler(StarletteHTTPException, _handle_http)
    for error_class in _DATABASE_ERRORS:
        app.add_exception_handler(error_class, _handle_database_error)
    app.add_exception_handler(Exception, _handle_unexpected)
