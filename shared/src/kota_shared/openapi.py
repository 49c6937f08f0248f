"""Every service's OpenAPI document tells the truth about its errors and names its operations.

FastAPI documents a 422 as its own ``{"detail": [...]}`` and nothing else, while every error
here is RFC 9457 problem+json (`kota_shared.problems`). This post-processing, run once when
the document is built, puts the shared ``Problem`` and ``ValidationProblem`` schemas in the
components, documents each 422 with the second, 401 and 403 on every operation that takes a
token, 404 on every operation that names a record in its path, and 503 (the database away,
or colliding transactions) on every operation; operations are named by their endpoint
functions in lowerCamelCase (``listInvoices``) instead of FastAPI's generated
``list_invoices_v1_payments_invoices_get``.
"""

from typing import Any

from fastapi.routing import APIRoute

from kota_shared.problems import PROBLEM_MEDIA_TYPE

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details: `code` is stable, `title` is for people "
    "(Bahasa Indonesia or English by Accept-Language).",
    "type": "object",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string", "format": "uri", "description": "A page describing `code`."},
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
    "401": "No valid access token: missing, expired, revoked or forged (`unauthorized`).",
    "403": "The token is valid but may not do this (`forbidden`).",
    "404": "No such record, or not one the caller may see (`not_found`): both answer alike.",
    "422": "The request cannot be processed as sent: `validation_failed` (with `errors` "
    "naming each field) or a rule of the operation.",
    "503": "The database is restarting or transactions collided (`database_unavailable`, "
    "`busy_try_again`); retry after `Retry-After` seconds.",
}


def operation_id(route: APIRoute) -> str:
    """``list_invoices`` → ``listInvoices``: the endpoint function's name, as clients
    generated from the document name their methods."""
    first, *rest = route.name.split("_")
    return first + "".join(word.capitalize() for word in rest)


def _problem(description: str, schema: str = "Problem") -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with its error answers described as they are (see the module's doc)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas["ValidationProblem"] = VALIDATION_PROBLEM_SCHEMA
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "put", "post", "delete", "patch"}:
                continue
            responses = operation.setdefault("responses", {})
            if "422" in responses or operation.get("parameters") or "requestBody" in operation:
                responses["422"] = _problem(_COMMON_ANSWERS["422"], "ValidationProblem")
            if operation.get("security"):
                responses.setdefault("401", _problem(_COMMON_ANSWERS["401"]))
                responses.setdefault("403", _problem(_COMMON_ANSWERS["403"]))
            if "{" in path:
                responses.setdefault("404", _problem(_COMMON_ANSWERS["404"]))
            responses.setdefault("503", _problem(_COMMON_ANSWERS["503"]))
            for status, answer in responses.items():
                if status.startswith(("4", "5")) and "content" not in answer:
                    answer["content"] = _problem(answer.get("description", ""))["content"]
    return document
