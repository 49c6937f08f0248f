"""Endpoints for agency clients: the city admin's registry and the OAuth2 token endpoint."""

import asyncio
import base64
import binascii
from datetime import timedelta
from typing import Annotated
from urllib.parse import unquote_plus

from fastapi import APIRouter, Depends, Form, Request, Response, status
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from kota_contracts.access import Role

from kota_gateway.clients import repository, service
from kota_gateway.clients.problems import InvalidClient, InvalidRequest, UnsupportedGrantType
from kota_gateway.clients.schemas import (
    AgencyClientCreate,
    AgencyClientCreated,
    AgencyClientRead,
    ClientToken,
    SecretRotated,
    SecretRotation,
)
from kota_gateway.config import GatewaySettings
from kota_gateway.identity.passwords import Passwords
from kota_gateway.identity.tokens import issue_access_token
from kota_gateway.keys import SigningKeys
from kota_shared.auth import Principal, Require
from kota_shared.db import DbSession
from kota_shared.events.outbox import Outbox
from kota_shared.problems import NotFound

router = APIRouter(prefix="/v1/auth/clients", tags=["agency clients"])

CityAdmin = Annotated[Principal, Depends(Require(roles={Role.CITY_ADMIN}))]


def _settings(request: Request) -> GatewaySettings:
    settings = request.app.state.runtime.settings
    assert isinstance(settings, GatewaySettings)
    return settings


def _outbox(request: Request) -> Outbox:
    outbox = request.app.state.runtime.outbox
    assert isinstance(outbox, Outbox)
    return outbox


async def _hasher(request: Request) -> Passwords:
    """One hasher per app, made off the event loop (it hashes its decoy when built)."""
    hasher: Passwords | None = getattr(request.app.state, "client_secret_hasher", None)
    if hasher is None:
        hasher = await asyncio.to_thread(Passwords)
        request.app.state.client_secret_hasher = hasher
    return hasher


Settings = Annotated[GatewaySettings, Depends(_settings)]
EventOutbox = Annotated[Outbox, Depends(_outbox)]
SecretHasher = Annotated[Passwords, Depends(_hasher)]


class _ClientBasicAuth(HTTPBasic):
    """HTTP Basic as RFC 6749 §2.3.1 has it (id and secret form-encoded), errors as OAuth2's."""

    async def __call__(self, request: Request) -> HTTPBasicCredentials | None:  # type: ignore[override]
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise InvalidClient("The Basic credentials are not valid base64.") from None
        client_id, colon, secret = decoded.partition(":")
        if not colon:
            raise InvalidClient("The Basic credentials must be client_id:client_secret.")
        return HTTPBasicCredentials(username=unquote_plus(client_id), password=unquote_plus(secret))


BasicCredentials = Annotated[
    HTTPBasicCredentials | None,
    Depends(_ClientBasicAuth(auto_error=False, description="client_id and client_secret")),
]


@router.post(
    "/token",
    response_model=ClientToken,
    summary="Get an access token for an agency client (OAuth2 client credentials)",
    description=(
        "Who may call: an agency client, with its `client_id` and `client_secret` in HTTP "
        "Basic (preferred) or in the form. `grant_type=client_credentials`; `scope` "
        "(space-separated) may narrow the token to some of the client's scopes. The token "
        "lasts 15 minutes; ask for a new one rather than refreshing. Counted against the "
        "per-IP `auth` rate limit."
    ),
    responses={
        400: {"description": "invalid_request, unsupported_grant_type or invalid_scope"},
        401: {"description": "invalid_client: unknown, revoked, or wrong secret"},
    },
)
async def token(
    request: Request,
    response: Response,
    session: DbSession,
    settings: Settings,
    hasher: SecretHasher,
    basic: BasicCredentials,
    grant_type: Annotated[str | None, Form()] = None,
    scope: Annotated[str | None, Form()] = None,
    client_id: Annotated[str | None, Form()] = None,
    client_secret: Annotated[str | None, Form()] = None,
) -> ClientToken:
    if grant_type is None:
        raise InvalidRequest("grant_type is missing.")
    if grant_type != "client_credentials":
        raise UnsupportedGrantType()
    if basic is not None and (client_id is not None or client_secret is not None):
        raise InvalidRequest("Send the client's credentials one way only (Basic or form).")
    if basic is not None:
        client_id, client_secret = basic.username, basic.password
    if not client_id or not client_secret:
        raise InvalidClient("The client's credentials are missing.")
    client = await service.authenticate(
        session=session, hasher=hasher, client_id=client_id, client_secret=client_secret
    )
    scopes = service.granted_scopes(client, scope)
    keys: SigningKeys = request.app.state.signing_keys
    access = issue_access_token(
        keys=keys,
        issuer=settings.token_issuer,
        audience=settings.token_audience,
        subject=service.subject_of(client),
        roles=(),
        scopes=scopes,
        ttl=timedelta(seconds=settings.access_token_ttl_seconds),
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return ClientToken(
        access_token=access.token, expires_in=access.expires_in, scope=" ".join(scopes)
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register an agency client",
    description=(
        "Who may call: a city admin. Answers the client's id and secret; the secret is shown "
        "this once. Scopes must come from the deployment's allowed list."
    ),
)
async def register(
    body: AgencyClientCreate,
    session: DbSession,
    outbox: EventOutbox,
    hasher: SecretHasher,
    settings: Settings,
    admin: CityAdmin,
    response: Response,
) -> AgencyClientCreated:
    client, secret = await service.register(
        session=session,
        outbox=outbox,
        hasher=hasher,
        body=body,
        allowed_scopes=settings.agency_client_scopes,
        admin=admin,
    )
    response.headers["Cache-Control"] = "no-store"
    return AgencyClientCreated(
        **AgencyClientRead.model_validate(client).model_dump(), client_secret=secret
    )


@router.get(
    "",
    summary="List agency clients",
    description="Who may call: a city admin. Revoked clients are listed too (`active: false`).",
)
async def list_clients(session: DbSession, _admin: CityAdmin) -> list[AgencyClientRead]:
    return [AgencyClientRead.model_validate(c) for c in await repository.list_all(session=session)]


@router.get(
    "/{client_id}",
    summary="Read one agency client",
    description="Who may call: a city admin.",
)
async def read_client(client_id: str, session: DbSession, _admin: CityAdmin) -> AgencyClientRead:
    client = await repository.get(session=session, client_id=client_id)
    if client is None:
        raise NotFound("There is no agency client with this id.")
    return AgencyClientRead.model_validate(client)


@router.post(
    "/{client_id}/secret",
    summary="Rotate an agency client's secret",
    description=(
        "Who may call: a city admin. Answers the new secret, shown this once. The current "
        "secret stops working at once, or after `grace_period_seconds` so the agency can "
        "switch without a gap. A revoked client cannot be rotated (409)."
    ),
)
async def rotate_secret(
    client_id: str,
    session: DbSession,
    outbox: EventOutbox,
    hasher: SecretHasher,
    admin: CityAdmin,
    response: Response,
    body: SecretRotation | None = None,
) -> SecretRotated:
    rotation = body or SecretRotation()
    client, secret = await service.rotate_secret(
        session=session,
        outbox=outbox,
        hasher=hasher,
        client_id=client_id,
        grace=timedelta(seconds=rotation.grace_period_seconds),
        admin=admin,
    )
    response.headers["Cache-Control"] = "no-store"
    return SecretRotated(
        client_id=client.client_id,
        client_secret=secret,
        previous_secret_valid_until=client.previous_secret_expires_at,
    )


@router.delete(
    "/{client_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an agency client",
    description=(
        "Who may call: a city admin. The client gets no new tokens (its secrets stop working "
        "at once); tokens it already holds expire within 15 minutes. The record is kept. "
        "Revoking a revoked client changes nothing."
    ),
)
async def revoke(client_id: str, session: DbSession, outbox: EventOutbox, admin: CityAdmin) -> None:
    await service.revoke(session=session, outbox=outbox, client_id=client_id, admin=admin)
