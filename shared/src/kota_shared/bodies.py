"""Strict request bodies: JSON and HTML forms, read with their size and depth bounded and
their content type enforced, for an endpoint that reads its body itself.

FastAPI parses a body declared as a model on its own; an endpoint that takes JSON *or* a
form (the OAuth2 token endpoint), or reads its body by hand, uses `read_body` instead, so
that every such body meets the same rules:

- **Content type enforced.** JSON only as ``application/json`` or ``application/*+json``,
  a form only as ``application/x-www-form-urlencoded``; anything else (``text/plain``, no
  type at all) is a 415 `UnsupportedMediaType`. A web page on another origin can send
  ``text/plain`` without a CORS preflight; it cannot send ``application/json``.
- **Size bounded.** At most ``max_bytes`` are read; past that, a 413 `PayloadTooLarge` and
  reading stops.
- **Depth bounded.** JSON is parsed by pydantic-core's parser (Rust, no Python recursion;
  its own limit is 200 levels) and refused beyond ``max_depth`` levels of arrays and
  objects, so a 1,000-level document is a 422, never a ``RecursionError`` and a 500.
- **Strict JSON and forms.** JSON is UTF-8 without ``NaN`` or ``Infinity``; a form has at
  most ``max_fields`` fields, each sent once, percent-decoded as UTF-8.

Malformed bodies are the usual 422 ``validation_failed`` with one error on ``body`` (type
``body_invalid``, ``body_too_deep``, ``body_too_many_fields`` or ``body_repeated_field``),
and model errors name their fields, as FastAPI's own validation does; the problem handlers
bound what those errors may echo (`kota_shared.problems.bounded`).
"""

import enum
from collections.abc import Iterable
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import pydantic_core
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, TypeAdapter, ValidationError

from kota_shared.i18n import FileSize, Message
from kota_shared.messages import _
from kota_shared.problems import PayloadTooLarge, UnsupportedMediaType

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MAX_BODY_BYTES = 64 * 1024
"""A hand-read body is a small document (credentials, a token): far below any upload."""
MAX_DEPTH = 32
"""Levels of nested arrays and objects; no request of the API needs more than a few."""
MAX_FORM_FIELDS = 50

T = TypeVar("T")


class BodyFormat(enum.StrEnum):
    JSON = "json"
    FORM = "form"


_MEDIA_TYPES = {BodyFormat.JSON: JSON, BodyFormat.FORM: FORM}


def media_type(content_type: str | None) -> str:
    """``application/json; charset=utf-8`` → ``application/json`` (lower case)."""
    return (content_type or "").partition(";")[0].strip().lower()


def is_json(media: str) -> bool:
    """``application/json`` or a structured ``+json`` type (``application/merge-patch+json``)."""
    kind, slash, subtype = media.partition("/")
    return (
        kind == "application" and bool(slash) and (subtype == "json" or subtype.endswith("+json"))
    )


def format_of(content_type: str | None, accepted: Iterable[BodyFormat]) -> BodyFormat:
    """Which accepted format ``content_type`` names, else `UnsupportedMediaType` (415)."""
    accepted = tuple(accepted)
    media = media_type(content_type)
    if BodyFormat.JSON in accepted and is_json(media):
        return BodyFormat.JSON
    if BodyFormat.FORM in accepted and media == FORM:
        return BodyFormat.FORM
    names = [_MEDIA_TYPES[f] for f in accepted]
    raise UnsupportedMediaType(
        _("Send the body as {media_types}.", media_types=" or ".join(names)),
        accepted=names,
        headers={"Accept-Post": ", ".join(names)},
    )


class UnreadableBody(ValueError):
    """A body that is not well-formed in its format; ``kind`` is the error's ``type``."""

    def __init__(self, message: Message, *, kind: str = "body_invalid") -> None:
        super().__init__(message)
        self.kind = kind


def _deeper_than(value: Any, limit: int) -> bool:
    """True when arrays and objects nest more than ``limit`` levels (iteratively)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def parse_json(raw: bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """A strict JSON document, or `UnreadableBody`."""
    try:
        value = pydantic_core.from_json(raw, allow_inf_nan=False)
    except ValueError as exc:  # malformed, not UTF-8, past the parser's own depth limit
        too_deep = "recursion limit" in str(exc)
        raise UnreadableBody(
            _("The JSON is nested more than {depth} levels deep.", depth=max_depth)
            if too_deep
            else _("The body is not valid JSON ({reason}).", reason=exc),
            kind="body_too_deep" if too_deep else "body_invalid",
        ) from None
    # Opening brackets bound the depth: most bodies need no walk at all.
    brackets = raw.count(b"[") + raw.count(b"{")
    if brackets > max_depth and _deeper_than(value, max_depth):
        raise UnreadableBody(
            _("The JSON is nested more than {depth} levels deep.", depth=max_depth),
            kind="body_too_deep",
        )
    return value


def parse_form(raw: bytes, *, max_fields: int = MAX_FORM_FIELDS) -> dict[str, str]:
    """A strict ``application/x-www-form-urlencoded`` body, or `UnreadableBody`."""
    try:
        pairs = parse_qsl(
            raw.decode("ascii"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=max_fields,
        )
    except UnicodeError:
        raise UnreadableBody(_("The form is not percent-encoded UTF-8.")) from None
    except ValueError:  # parse_qsl's "Max number of fields exceeded"
        raise UnreadableBody(
            _("The form has more than {count} fields.", count=max_fields),
            kind="body_too_many_fields",
        ) from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise UnreadableBody(
                _("A form field is sent more than once."), kind="body_repeated_field"
            )
        form[name] = value
    return form


def body_too_large(max_bytes: int, *, headers: dict[str, str] | None = None) -> PayloadTooLarge:
    """The 413 for a body past ``max_bytes`` (the gateway's edge limit answers it too)."""
    return PayloadTooLarge(
        _("The body may be at most {size}.", size=FileSize(max_bytes)),
        headers=headers,
        max_bytes=max_bytes,
    )


async def read_bytes(request: Request, *, max_bytes: int = MAX_BODY_BYTES) -> bytes:
    """The body, or `PayloadTooLarge` (413) as soon as it passes ``max_bytes``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise body_too_large(max_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise body_too_large(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _unreadable(error: UnreadableBody) -> RequestValidationError:
    return RequestValidationError(
        [{"type": error.kind, "loc": ("body",), "msg": str(error), "ctx": {"error": error}}]
    )


async def read_body(
    request: Request,
    adapter: TypeAdapter[T],
    *,
    formats: Iterable[BodyFormat] = (BodyFormat.JSON,),
    max_bytes: int = MAX_BODY_BYTES,
    max_depth: int = MAX_DEPTH,
    max_fields: int = MAX_FORM_FIELDS,
) -> T:
    """Read, parse and validate the body by the rules above; 415, 413 or 422 otherwise."""
    body_format = format_of(request.headers.get("content-type"), formats)
    raw = await read_bytes(request, max_bytes=max_bytes)
    data: Any
    try:
        if body_format is BodyFormat.FORM:
            data = parse_form(raw, max_fields=max_fields)
        else:
            data = parse_json(raw, max_depth=max_depth)
    except UnreadableBody as error:
        raise _unreadable(error) from None
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        raise RequestValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in errors]
        ) from None


def body_openapi(
    *models: type[BaseModel], formats: Iterable[BodyFormat] = (BodyFormat.JSON,)
) -> dict[str, Any]:
    """The ``openapi_extra`` of an operation whose body `read_body` reads: one of
    ``models``, in each of ``formats``."""
    schemas = [model.model_json_schema() for model in models]
    schema = schemas[0] if len(schemas) == 1 else {"oneOf": schemas}
    return {
        "requestBody": {
            "required": True,
            "content": {_MEDIA_TYPES[f]: {"schema": schema} for f in formats},
        }
    }
