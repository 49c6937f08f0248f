"""The bodies the gateway reads itself (a JSON or form token request, one of several models)
carry named examples in the document, and each is one the gateway accepts.

Examples of the bodies FastAPI reads are checked for every service at once
(devtools/tests/test_api_documents.py); these are the ones it cannot see."""

import functools
from typing import Any

from pydantic import BaseModel

from kota_contracts.contacts import ContactLookup
from kota_gateway.config import GatewaySettings
from kota_gateway.identity.accounts.schemas import (
    AssistedCitizenRegistration,
    AssistRequest,
    CitizenRegistration,
    LogoutRequest,
    PasswordChange,
    PasswordGrant,
    RefreshGrant,
    StaffCreate,
)
from kota_gateway.identity.clients.schemas import (
    AgencyClientCreate,
    ClientCredentialsGrant,
    SecretRotation,
)
from kota_gateway.main import create_app

REQUEST_MODELS: list[type[BaseModel]] = [
    CitizenRegistration,
    AssistedCitizenRegistration,
    PasswordGrant,
    RefreshGrant,
    LogoutRequest,
    PasswordChange,
    StaffCreate,
    AssistRequest,
    AgencyClientCreate,
    SecretRotation,
    ClientCredentialsGrant,
    ContactLookup,
]
BY_NAME = {model.__name__: model for model in REQUEST_MODELS}


@functools.cache
def document() -> dict[str, Any]:
    built: dict[str, Any] = create_app(GatewaySettings()).openapi()
    return built


def request_bodies() -> list[tuple[str, str, dict[str, Any]]]:
    """(operation id, media type, media) of each request body of the gateway's operations."""
    return [
        (operation["operationId"], media_type, media)
        for item in document()["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items()
    ]


def models_named(schema: dict[str, Any]) -> set[str]:
    """The models a body's schema is made of: by ``$ref``, or by title when inline (a body
    `kota_shared.bodies.body_openapi` describes), through ``oneOf`` and ``anyOf``."""
    if "$ref" in schema:
        return {schema["$ref"].rsplit("/", 1)[1]}
    branches = [*schema.get("oneOf", ()), *schema.get("anyOf", ())]
    if branches:
        return set().union(*(models_named(branch) for branch in branches))
    return {schema["title"]} if "properties" in schema else set()


def test_every_request_body_of_the_gateway_is_one_of_these_models() -> None:
    """A new request model joins `REQUEST_MODELS`, so its examples are checked too."""
    named = set().union(*(models_named(media["schema"]) for _, _, media in request_bodies()))

    assert named == set(BY_NAME)


def test_the_named_examples_of_a_body_validate_with_one_of_its_models() -> None:
    """A body of one of several models (the token endpoint) carries examples of its own."""
    checked = 0
    for operation_id, media_type, media in request_bodies():
        models = [BY_NAME[name] for name in sorted(models_named(media["schema"]))]
        for name, example in media.get("examples", {}).items():
            accepted = []
            for model in models:
                try:
                    model.model_validate(example["value"])
                except ValueError:
                    continue
                accepted.append(model)
            assert accepted, (operation_id, media_type, name)
            checked += 1

    assert checked > 0
