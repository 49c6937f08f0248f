"""Every service's OpenAPI document is valid and describes its errors as they are: problem+json
with the shared schemas, 401/403 where a token is needed, and operations named for people
(lowerCamelCase, unique across the whole suite, as the gateway merges them)."""

import functools
import importlib
import re
from typing import Any, get_args

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from pydantic import BaseModel, TypeAdapter

from kota_contracts.access import Scope
from kota_contracts.services import EVERY_SERVICE, GATEWAY, SERVICES, ServiceDeclaration
from kota_dev.problem_catalogue import problem_classes
from kota_gateway.composition.openapi import OAUTH2, merge, through_the_gateway
from kota_shared.openapi import takes_access_token

PROBLEM_MEDIA_TYPE = "application/problem+json"
CAMEL_CASE = re.compile(r"^[a-z][a-zA-Z0-9]+$")
REQUIRED_SETTINGS = {
    "permits": {"verification_secrets": ["a-test-only-secret"]},
    "payments": {"callback_secrets": ["whsec_dGVzdC1vbmx5LXNlY3JldA=="]},
}
"""What a service refuses to start without (no default for a secret)."""


@functools.cache
def application(name: str) -> FastAPI:
    service = next(s for s in EVERY_SERVICE if s.name == name)
    config = importlib.import_module(f"{service.package}.config")
    settings_class = next(
        value
        for key, value in vars(config).items()
        if key.endswith("Settings") and getattr(value, "__module__", "") == config.__name__
    )
    settings = settings_class(**REQUIRED_SETTINGS.get(name, {}))
    app: FastAPI = importlib.import_module(f"{service.package}.main").create_app(settings)
    return app


@functools.cache
def document(name: str) -> dict[str, Any]:
    built: dict[str, Any] = application(name).openapi()
    return built


@functools.cache
def served() -> dict[str, Any]:
    """The merged document as the gateway serves it, every service's in it."""
    routed = {service.name: document(service.name) for service in SERVICES if service.routed}
    return through_the_gateway(
        merge(document(GATEWAY.name), routed), server_url="/", services=frozenset(routed)
    )


def operations(name: str) -> list[tuple[str, str, dict[str, Any]]]:
    return operations_of(document(name))


def operations_of(built: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in built["paths"].items()
        for method, operation in item.items()
        if method in {"get", "put", "post", "delete", "patch"}
    ]


@pytest.mark.parametrize("service", EVERY_SERVICE, ids=lambda s: s.name)
def test_the_document_is_valid_openapi(service: ServiceDeclaration) -> None:
    validate(document(service.name))


@pytest.mark.parametrize("service", EVERY_SERVICE, ids=lambda s: s.name)
def test_errors_are_documented_as_problems(service: ServiceDeclaration) -> None:
    schemas = document(service.name)["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert {"Problem", "ValidationProblem"} <= set(schemas)
    for method, path, operation in operations(service.name):
        answers = operation["responses"]
        for status, answer in answers.items():
            if status.startswith(("4", "5")):
                assert PROBLEM_MEDIA_TYPE in answer.get("content", {}), (method, path, status)
        if takes_access_token(operation):
            assert {"401", "403"} <= set(answers), (method, path)
        if "422" in answers:
            schema = answers["422"]["content"][PROBLEM_MEDIA_TYPE]["schema"]
            assert schema["allOf"][0] == {"$ref": "#/components/schemas/ValidationProblem"}


def _codes(answer: dict[str, Any]) -> list[str]:
    schema = answer["content"][PROBLEM_MEDIA_TYPE]["schema"]
    codes: list[str] = schema["allOf"][1]["properties"]["code"]["enum"]
    return codes


@pytest.mark.parametrize("service", EVERY_SERVICE, ids=lambda s: s.name)
def test_each_error_answer_lists_its_codes_and_each_is_of_its_status(
    service: ServiceDeclaration,
) -> None:
    status_of = {cls.code: cls.status for cls in problem_classes()}
    for method, path, operation in operations(service.name):
        for status, answer in operation["responses"].items():
            if status.startswith(("4", "5")):
                codes = _codes(answer)
                assert codes, (method, path, status)
                assert {status_of[code] for code in codes} == {int(status)}, (method, path)


@pytest.mark.parametrize("service", EVERY_SERVICE, ids=lambda s: s.name)
def test_every_problem_of_the_service_is_documented_on_an_operation(
    service: ServiceDeclaration,
) -> None:
    """A domain problem no operation lists is one an integrator cannot plan for."""
    own = {cls.code for cls in problem_classes() if cls.__module__.split(".")[0] == service.package}
    # The gateway's edge answers for every operation: its codes are on the document it serves.
    built = served() if service.name == GATEWAY.name else document(service.name)
    documented = {
        code
        for _method, _path, operation in operations_of(built)
        for status, answer in operation["responses"].items()
        if status.startswith(("4", "5"))
        for code in _codes(answer)
    }

    assert sorted(own - documented) == []


def test_operation_ids_read_as_names_and_are_unique_across_the_suite() -> None:
    seen: dict[str, str] = {}
    for service in EVERY_SERVICE:
        for method, path, operation in operations(service.name):
            operation_id = operation["operationId"]
            assert CAMEL_CASE.match(operation_id), (method, path, operation_id)
            where = f"{service.name} {method.upper()} {path}"
            assert operation_id not in seen, f"{operation_id}: {seen.get(operation_id)} and {where}"
            seen[operation_id] = where


def _body_examples(media: dict[str, Any], components: dict[str, Any]) -> list[Any]:
    schema = media.get("schema", {})
    if "$ref" in schema:
        schema = components["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    named = media.get("examples", {})
    return [
        *schema.get("examples", ()),
        *([media["example"]] if "example" in media else ()),
        *(example["value"] for example in named.values() if "value" in example),
    ]


@pytest.mark.parametrize("service", EVERY_SERVICE, ids=lambda s: s.name)
def test_every_request_body_has_an_example_that_its_schema_accepts(
    service: ServiceDeclaration,
) -> None:
    """The docs' "Try it out" starts from a body that works, and integrators see one."""
    components = document(service.name)["components"]
    for method, path, operation in operations(service.name):
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            if "schema" not in media or _is_upload(media_type, media["schema"]):
                continue  # an upload: its example is a file, not a document
            examples = _body_examples(media, components)
            assert examples, (method, path, media_type)
            validator = Draft202012Validator({**media["schema"], "components": components})
            for example in examples:
                assert not list(validator.iter_errors(example)), (method, path, example)


def _is_upload(media_type: str, schema: dict[str, Any]) -> bool:
    """A form with a file, or the file's bytes themselves (an image PUT as image/png)."""
    return media_type.startswith("multipart/") or schema.get("format") == "binary"


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models a body's annotation names: ``StepRequest | None`` → ``[StepRequest]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models_in(arg)]


@pytest.mark.parametrize("service", EVERY_SERVICE, ids=lambda s: s.name)
def test_every_example_of_a_request_body_is_one_the_service_accepts(
    service: ServiceDeclaration,
) -> None:
    """The schema cannot say everything (a model's own validators: dates in order, totals
    that fit): each documented example goes through the very model the operation reads."""
    checked = 0
    for context in iter_route_contexts(application(service.name).routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        for body in route.dependant.body_params:
            annotation = body.field_info.annotation
            examples = [
                *(body.field_info.examples or ()),
                *(
                    example
                    for model in _models_in(annotation)
                    for example in model.model_json_schema().get("examples", ())
                ),
            ]
            if not _models_in(annotation):
                continue  # a form field or an uploaded file: its example is not a document
            assert examples, (route.path, body.name)
            adapter: TypeAdapter[Any] = TypeAdapter(annotation)
            for example in examples:
                adapter.validate_python(example)
                checked += 1

    takes_documents = any(
        "application/json" in operation.get("requestBody", {}).get("content", {})
        for _method, _path, operation in operations(service.name)
    )
    assert (checked > 0) == takes_documents


def test_the_served_document_is_valid_and_lets_the_docs_fetch_a_token() -> None:
    """Swagger UI's Authorize button reads the OAuth2 flows; every operation that takes an
    access token accepts one obtained that way."""
    document = served()

    validate(document)
    assert document["servers"] == [{"url": "/", "description": "The Kota LIVE gateway"}]
    flows = document["components"]["securitySchemes"][OAUTH2]["flows"]
    assert flows["password"]["tokenUrl"] == "/v1/auth/token"
    assert flows["clientCredentials"]["tokenUrl"] == "/v1/auth/clients/token"
    assert set(flows["clientCredentials"]["scopes"]) == {scope.value for scope in Scope}
    bearer = [op for _m, _p, op in operations_of(document) if takes_access_token(op)]
    assert len(bearer) > 20
    assert all({OAUTH2: []} in operation["security"] for operation in bearer)
