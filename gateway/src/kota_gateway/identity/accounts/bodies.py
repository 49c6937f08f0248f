"""Request bodies taken as JSON or as an HTML form, as OAuth2 clients send them, with the
OpenAPI that documents both and the usual 422 with field details when they are wrong."""

import json
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, TypeAdapter, ValidationError

FORM = "application/x-www-form-urlencoded"


def json_or_form_body(*models: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI for a body taken as JSON or as an HTML form (``openapi_extra``)."""
    schemas = [model.model_json_schema() for model in models]
    schema = schemas[0] if len(schemas) == 1 else {"oneOf": schemas}
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema}, FORM: {"schema": schema}},
        }
    }


async def read_json_or_form(request: Request, adapter: TypeAdapter[Any]) -> Any:
    """Validate a JSON or form body; errors as the usual 422 with field details."""
    content_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    raw = await request.body()
    data: Any
    try:
        if content_type == FORM:
            data = dict(parse_qsl(raw.decode(), keep_blank_values=True))
        else:
            data = json.loads(raw)
    except ValueError:  # undecodable bytes or malformed JSON
        unreadable = {"type": "body_invalid", "loc": ("body",), "msg": "Send JSON or a form."}
        raise RequestValidationError([unreadable]) from None
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False, include_context=False)
        raise RequestValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in errors]
        ) from None
