"""Every service's OpenAPI document tells the truth about its errors and names its operations.

FastAPI documents a 422 as its own ``{"detail": [...]}`` and nothing else, while every error
here is RFC 9457 problem+json (`kota_shared.problems`). This post-processing, run once when
the document is built, puts the shared ``Problem`` and ``ValidationProblem`` schemas in the
components, documents each 422 with the second, 401 and 403 on every operation that takes a
token, 404 on every operation that names a record in its path, and 503 (the database away,
or colliding transactions) on every operation; operations are named by their endpoint
functions in lowerCamelCase (``listInvoices``) instead of FastAPI's generated
``list_invoices_v1_payments_invoices_get``.

Each error answer lists the problem ``code``s it can carry as an enum: those every
operation of its kind may give (an operation with a body may answer 413
``payload_too_large`` and 415 ``unsupported_media_type``; one with an ``Idempotency-Key``
the idempotency codes, and the header marked required where it is; a list with a
``cursor`` 400 ``invalid_cursor``), plus the domain problems the operation declares with
`answers` in its route: ``@router.post(..., responses=answers(IllegalTransition,
NotEditable))``. A route that declares a 404 of its own lists every 404 it gives
(``NotFound`` too, if it can).
"""

from collections.abc import Iterable
from typing import Any

from fastapi.routing import APIRoute

from kota_shared.idempotency import (
    KEY_HEADER,
    REQUIRED_MARK,
    IdempotencyKeyInProgress,
    IdempotencyKeyInvalid,
    IdempotencyKeyRequired,
    IdempotencyKeyReused,
)
from kota_shared.pagination import InvalidCursor
from kota_shared.problems import (
    PROBLEM_MEDIA_TYPE,
    BusyTryAgain,
    DatabaseUnavailable,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    Problem,
    ServiceUnavailable,
    Unauthorized,
    UnsupportedMediaType,
    ValidationFailed,
)

CODES_KEY = "x-problem-codes"
"""Where `answers` leaves an answer's codes for `document_problems` to turn into its enum."""

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details: `code` is stable, `title` is for people "
    "(Bahasa Indonesia or English by Accept-Language).",
    "type": "object",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {
            "type": "string",
            "format": "uri-reference",
            "description": "`/problems/<code>`: the gateway's page describing `code`.",
        },
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "code": {
            "type": "string",
            "description": "Stable, machine-readable.",
            "examples": ["not_found"],
        },
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "The path that was asked."},
        "request_id": {"type": "string"},
    },
}
VALIDATION_PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "ValidationProblem",
    "description": "A request that cannot be processed as sent: when it breaks its schema "
    "(`validation_failed`), `errors` names each invalid field (or line of an uploaded file); "
    "a rule of the service it breaks has a code of its own.",
    "allOf": [
        {"$ref": "#/components/schemas/Problem"},
        {
            "type": "object",
            "properties": {
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["message"],
                        "properties": {
                            "field": {"type": "string", "examples": ["body.lines.0.amount_rupiah"]},
                            "line": {
                                "type": ["integer", "null"],
                                "description": "In an uploaded file (null: the file as a whole).",
                            },
                            "message": {"type": "string"},
                            "type": {"type": ["string", "null"]},
                        },
                    },
                }
            },
        },
    ],
}
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
_COMMON_ANSWERS = {
    "400": "The request is malformed: see `code` and `detail`.",
    "401": "No valid access token: missing, expired, revoked or forged.",
    "403": "The token is valid but may not do this.",
    "404": "No such record, or not one the caller may see: both answer alike.",
    "409": "The request conflicts with the record's current state: reload it.",
    "412": "The record changed since it was read: read it again, then decide again.",
    "413": "The body, or a file in it, is too large.",
    "415": "The body, or a file in it, is not in a format the operation accepts.",
    "422": "The request cannot be processed as sent: `validation_failed` (with `errors` "
    "naming each field) or a rule of the operation.",
    "429": "Too many requests or attempts: wait `Retry-After` seconds.",
    "503": "The database is restarting or transactions collided, or a service this one "
    "needs is away; retry after `Retry-After` seconds.",
    "504": "A service did not answer in time: repeat requests that are safe to repeat.",
}
_ALWAYS = (DatabaseUnavailable, BusyTryAgain, ServiceUnavailable)
_WITH_TOKEN = (Unauthorized, Forbidden)
_WITH_BODY = (ValidationFailed, PayloadTooLarge, UnsupportedMediaType)
_WITH_IDEMPOTENCY_KEY = (
    IdempotencyKeyInvalid,
    IdempotencyKeyInProgress,
    IdempotencyKeyReused,
)


def answers(*problems: type[Problem]) -> dict[int | str, dict[str, Any]]:
    """An operation's ``responses``: the domain problems it may answer with, by status.
    The document describes each with its codes (`document_problems`)."""
    by_status: dict[int | str, dict[str, Any]] = {}
    for problem in problems:
        answer = by_status.setdefault(str(problem.status), {CODES_KEY: []})
        answer[CODES_KEY].append(problem.code)
    return by_status


def operation_id(route: APIRoute) -> str:
    """``list_invoices`` → ``listInvoices``: the endpoint function's name, as clients
    generated from the document name their methods."""
    first, *rest = route.name.split("_")
    return first + "".join(word.capitalize() for word in rest)


def _problem_content(schema: str, codes: Iterable[str] = ()) -> dict[str, Any]:
    reference = {"$ref": f"#/components/schemas/{schema}"}
    enum = sorted(set(codes))
    if not enum:
        return {PROBLEM_MEDIA_TYPE: {"schema": reference}}
    narrowed = {"type": "object", "properties": {"code": {"type": "string", "enum": enum}}}
    return {PROBLEM_MEDIA_TYPE: {"schema": {"allOf": [reference, narrowed]}}}


def _header_names(operation: dict[str, Any], where: str) -> set[str]:
    return {
        str(parameter.get("name", "")).lower()
        for parameter in operation.get("parameters", ())
        if parameter.get("in") == where
    }


BEARER_SCHEME = "HTTPBearer"
"""The security scheme of an access token (`kota_shared.auth`), as FastAPI names it."""


def takes_access_token(operation: dict[str, Any]) -> bool:
    """True when the operation is called with an access token (not, say, HTTP Basic)."""
    return any(BEARER_SCHEME in requirement for requirement in operation.get("security", ()))


def _implied(path: str, operation: dict[str, Any]) -> list[type[Problem]]:
    """The problems every operation of this kind may answer with."""
    implied: list[type[Problem]] = list(_ALWAYS)
    if takes_access_token(operation):
        implied += _WITH_TOKEN
    if "{" in path:
        implied.append(NotFound)
    if "requestBody" in operation:
        implied += _WITH_BODY
    elif operation.get("parameters"):
        implied.append(ValidationFailed)
    for parameter in operation.get("parameters", ()):
        if parameter.get("in") == "header" and parameter.get("name") == KEY_HEADER:
            implied += _WITH_IDEMPOTENCY_KEY
            if parameter.get("schema", {}).pop(REQUIRED_MARK, False):
                parameter["required"] = True
                implied.append(IdempotencyKeyRequired)
    if "cursor" in _header_names(operation, "query"):
        implied.append(InvalidCursor)
    return implied


def _describe(operation: dict[str, Any], implied: list[type[Problem]]) -> None:
    """Each 4xx/5xx answer of ``operation`` as problem+json with the codes it can carry."""
    responses = operation.setdefault("responses", {})
    declared = {
        status: answer.pop(CODES_KEY) for status, answer in responses.items() if CODES_KEY in answer
    }
    codes: dict[str, list[str]] = {}
    for problem in implied:
        if problem is NotFound and "404" in declared:
            continue  # the route named its own 404s (a code that is not ours is no record)
        codes.setdefault(str(problem.status), []).append(problem.code)
    for status, carried in declared.items():
        codes.setdefault(status, []).extend(carried)
    for status, carried in codes.items():
        answer = responses.setdefault(status, {})
        schema = "ValidationProblem" if status == "422" else "Problem"
        answer["description"] = _COMMON_ANSWERS.get(status) or answer.get("description", "")
        answer["content"] = _problem_content(schema, carried)
    for status, answer in responses.items():
        if status.startswith(("4", "5")) and "content" not in answer:
            answer["content"] = _problem_content("Problem")


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with its error answers described as they are (see the module's doc)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas["ValidationProblem"] = VALIDATION_PROBLEM_SCHEMA
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method in {"get", "put", "post", "delete", "patch"}:
                _describe(operation, _implied(path, operation))
    return document


def add_problems(operation: dict[str, Any], *problems: type[Problem]) -> None:
    """Add ``problems`` to an operation `document_problems` already described (what a proxy
    in front of it may answer as well): each code joins its status's enum."""
    responses = operation.setdefault("responses", {})
    for problem in problems:
        status = str(problem.status)
        answer = responses.get(status)
        if answer is None:
            responses[status] = {
                "description": _COMMON_ANSWERS.get(status, problem.title.text),
                "content": _problem_content("Problem", [problem.code]),
            }
            continue
        schema = answer["content"][PROBLEM_MEDIA_TYPE]["schema"]
        if "allOf" not in schema:
            answer["content"] = _problem_content("Problem", [problem.code])
            continue
        enum = schema["allOf"][1]["properties"]["code"]["enum"]
        enum[:] = sorted({*enum, problem.code})
