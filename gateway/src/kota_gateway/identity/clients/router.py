"""Endpoints for agency clients: the city admin's registry and the OAuth2 token endpoint."""

import base64
import binascii
from datetime import timedelta
from typing import Annotated
from urllib.parse import unquote_plus

from fastapi import APIRouter, Body, Depends, Request, Response, status
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import TypeAdapter

from kota_gateway.identity.clients import repository, service
from kota_gateway.identity.clients.dependencies import AnyAgencyClient, AnyAgencyClientForUpdate
from kota_gateway.identity.clients.problems import (
    InvalidClient,
    InvalidRequest,
    InvalidScope,
    UnsupportedGrantType,
)
from kota_gateway.identity.clients.schemas import (
    SECRET_ROTATION_EXAMPLE,
    AgencyClientCreate,
    AgencyClientCreated,
    AgencyClientRead,
    ClientCredentialsGrant,
    ClientToken,
    SecretRotated,
    SecretRotation,
)
from kota_gateway.identity.dependencies import CityAdmin, Config, Keys
from kota_gateway.messages import _
from kota_shared.bodies import BodyFormat, body_openapi, read_body, read_bytes
from kota_shared.db import DbSession
from kota_shared.openapi import answers
from kota_shared.pagination import PAGINATION_DESCRIPTION, Page
from kota_shared.problems import Conflict
from kota_shared.transaction import CurrentTransaction

router = APIRouter(prefix="/v1/auth/clients", tags=["agency clients"])


class _ClientBasicAuth(HTTPBasic):
    """HTTP Basic as RFC 6749 §2.3.1 has it (id and secret form-encoded), errors as OAuth2's."""

    async def __call__(self, request: Request) -> HTTPBasicCredentials | None:  # type: ignore[override]
        scheme, _space, encoded = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise InvalidClient(_("The Basic credentials are not valid base64.")) from None
        client_id, colon, secret = decoded.partition(":")
        if not colon:
            raise InvalidClient(_("The Basic credentials must be client_id:client_secret."))
        return HTTPBasicCredentials(username=unquote_plus(client_id), password=unquote_plus(secret))


BasicCredentials = Annotated[
    HTTPBasicCredentials | None,
    Depends(
        _ClientBasicAuth(
            scheme_name="ClientBasic", auto_error=False, description="client_id and client_secret"
        )
    ),
]
_FORM = (BodyFormat.FORM,)
"""RFC 6749 §4.4.2: the token request is a form."""
_GRANT: TypeAdapter[ClientCredentialsGrant] = TypeAdapter(ClientCredentialsGrant)


async def _read_grant(request: Request) -> ClientCredentialsGrant:
    """The token request's form. No body at all is an empty form, so that OAuth2's own
    ``invalid_request`` names what is missing; a body of another type is a 415."""
    if request.headers.get("content-type") is None and not await read_bytes(request):
        return ClientCredentialsGrant()
    return await read_body(request, _GRANT, formats=_FORM)  # 415 before reading, if no type


@router.post(
    "/token",
    response_model=ClientToken,
    summary="Get an access token for an agency client (OAuth2 client credentials)",
    description=(
        "Who may call: an agency client, with its `client_id` and `client_secret` in HTTP "
        "Basic (preferred) or in the form. `grant_type=client_credentials`; `scope` "
        "(space-separated) may narrow the token to some of the client's scopes. The token "
        "lasts 15 minutes; ask for a new one rather than refreshing. Counted against the "
        "per-IP `auth` rate limit. The body is `application/x-www-form-urlencoded` (else 415 "
        "`unsupported_media_type`). Errors are OAuth2's (RFC 6749 §5.2, also in `error`): "
        "400 `invalid_request` (no `grant_type`, or credentials sent both ways), "
        "`unsupported_grant_type` or `invalid_scope` (a scope not granted to the client); "
        "401 `invalid_client` (no credentials, an unknown or revoked client, a wrong secret)."
    ),
    openapi_extra=body_openapi(ClientCredentialsGrant, formats=_FORM),
    responses=answers(InvalidRequest, UnsupportedGrantType, InvalidScope, InvalidClient),
)
async def issue_client_token(
    request: Request,
    response: Response,
    tx: CurrentTransaction,
    config: Config,
    keys: Keys,
    basic: BasicCredentials,
) -> ClientToken:
    grant = await _read_grant(request)
    if grant.grant_type is None:
        raise InvalidRequest(_("The grant_type parameter is missing."))
    if grant.grant_type != "client_credentials":
        raise UnsupportedGrantType()
    client_id, client_secret = grant.client_id, grant.client_secret
    if basic is not None and (client_id is not None or client_secret is not None):
        raise InvalidRequest(_("Send the client's credentials one way only (Basic or form)."))
    if basic is not None:
        client_id, client_secret = basic.username, basic.password
    if not client_id or not client_secret:
        raise InvalidClient(_("The client's credentials are missing."))
    issued = await service.issue_token(
        tx,
        config=config,
        keys=keys,
        client_id=client_id,
        client_secret=client_secret,
        scope=grant.scope,
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return issued


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register an agency client",
    description=(
        "Who may call: a city admin. Answers the client's id and secret; the secret is shown "
        "this once. Scopes must come from the deployment's allowed list."
    ),
)
async def register_agency_client(
    body: AgencyClientCreate,
    tx: CurrentTransaction,
    config: Config,
    admin: CityAdmin,
    response: Response,
) -> AgencyClientCreated:
    client, secret = await service.register(tx, config=config, body=body, by=admin)
    response.headers["Cache-Control"] = "no-store"
    return AgencyClientCreated.with_secret(client, secret)


@router.get(
    "",
    summary="List agency clients",
    description=(
        "Who may call: a city admin. Newest first; revoked clients are listed too "
        "(`active: false`)." + PAGINATION_DESCRIPTION
    ),
)
async def list_clients(
    session: DbSession, _admin: CityAdmin, page: Page, response: Response
) -> list[AgencyClientRead]:
    clients = await repository.list_page(
        session, after=page.after(*repository.LIST_KEY_TYPES), limit=page.fetch_size()
    )
    shown = page.answer(clients, response, key=repository.LIST_ORDER.key)
    return [AgencyClientRead.of(client) for client in shown]


@router.get(
    "/{client_id}",
    summary="Read one agency client",
    description="Who may call: a city admin.",
)
async def read_client(client: AnyAgencyClient) -> AgencyClientRead:
    return AgencyClientRead.of(client)


@router.post(
    "/{client_id}/secret",
    summary="Rotate an agency client's secret",
    description=(
        "Who may call: a city admin. Answers the new secret, shown this once. The current "
        "secret stops working at once, or after `grace_period_seconds` so the agency can "
        "switch without a gap. A revoked client cannot be rotated (409 `conflict`)."
    ),
    responses=answers(Conflict),
)
async def rotate_secret(
    client: AnyAgencyClientForUpdate,
    tx: CurrentTransaction,
    config: Config,
    admin: CityAdmin,
    response: Response,
    body: Annotated[
        SecretRotation | None,
        Body(
            openapi_examples={
                "with_a_day_of_grace": {
                    "summary": "The current secret keeps working for a day",
                    "value": SECRET_ROTATION_EXAMPLE,
                },
                "at_once": {
                    "summary": "The current secret stops working at once (as with no body)",
                    "value": {"grace_period_seconds": 0},
                },
            }
        ),
    ] = None,
) -> SecretRotated:
    rotation = body or SecretRotation()
    secret = await service.rotate_secret(
        tx,
        config=config,
        client=client,
        grace=timedelta(seconds=rotation.grace_period_seconds),
        by=admin,
    )
    response.headers["Cache-Control"] = "no-store"
    return SecretRotated.of(client, secret)


@router.delete(
    "/{client_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an agency client",
    description=(
        "Who may call: a city admin. The client gets no new tokens (its secrets stop working "
        "at once), and the tokens it already holds are refused (401 `client_revoked`) by "
        "every gateway within a few seconds. The record is kept. Revoking a revoked client "
        "changes nothing."
    ),
)
async def revoke_agency_client(
    client: AnyAgencyClientForUpdate, tx: CurrentTransaction, admin: CityAdmin
) -> None:
    await service.revoke(tx, client=client, by=admin)
