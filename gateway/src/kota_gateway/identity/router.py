"""Identity endpoints: registration, tokens, sign-out, password, staff, assisted service
(acting for a citizen, and registering one at a kiosk)."""

import json
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.exceptions import RequestValidationError
from kota_contracts.access import Role
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_gateway.identity import service
from kota_gateway.identity.models import SERVICE_OFFICER_ROLES
from kota_gateway.identity.problems import NotAPersonalAccount
from kota_gateway.identity.schemas import (
    AccountRead,
    AssistedCitizenRegistration,
    AssistRequest,
    AssistResponse,
    CitizenRegistration,
    LogoutRequest,
    PasswordChange,
    PasswordGrant,
    RefreshGrant,
    StaffCreate,
    StaffRead,
    TokenRequest,
    TokenResponse,
)
from kota_gateway.identity.service import IdentityConfig
from kota_gateway.keys import SigningKeys
from kota_shared.auth import CurrentPrincipal, Principal, Require
from kota_shared.clock import Now
from kota_shared.db import DbSession
from kota_shared.events.outbox import Outbox
from kota_shared.problems import Problem

router = APIRouter(tags=["identity"])


def _config(request: Request) -> IdentityConfig:
    config: IdentityConfig = request.app.state.identity
    return config


def _keys(request: Request) -> SigningKeys:
    # Read per request: a key rotation replaces the ring while the gateway runs.
    keys: SigningKeys = request.app.state.signing_keys
    return keys


def _outbox(request: Request) -> Outbox:
    outbox: Outbox | None = request.app.state.runtime.outbox
    assert outbox is not None, "the gateway declares its event tables"
    return outbox


def _sessionmaker(request: Request) -> async_sessionmaker[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    return sessionmaker


Config = Annotated[IdentityConfig, Depends(_config)]
Keys = Annotated[SigningKeys, Depends(_keys)]
EventOutbox = Annotated[Outbox, Depends(_outbox)]
Sessions = Annotated[async_sessionmaker[AsyncSession], Depends(_sessionmaker)]
CityAdmin = Annotated[Principal, Depends(Require(roles={Role.CITY_ADMIN}))]
ServiceOfficer = Annotated[Principal, Depends(Require(roles=SERVICE_OFFICER_ROLES))]

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
_TOKEN_REQUEST: TypeAdapter[PasswordGrant | RefreshGrant] = TypeAdapter(TokenRequest)
_FORM = "application/x-www-form-urlencoded"


def _request_body(*models: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI for a body taken as JSON or as an HTML form (as OAuth2 clients send it)."""
    schemas = [model.model_json_schema() for model in models]
    schema = schemas[0] if len(schemas) == 1 else {"oneOf": schemas}
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema}, _FORM: {"schema": schema}},
        }
    }


async def _json_or_form(request: Request, adapter: TypeAdapter[Any]) -> Any:
    """Validate a JSON or form body; errors as the usual 422 with field details."""
    content_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    raw = await request.body()
    data: Any
    try:
        if content_type == _FORM:
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


@router.post(
    "/v1/auth/citizens",
    status_code=status.HTTP_201_CREATED,
    summary="Register as a citizen",
    description=(
        "Who may call: anyone (public). The NIK is validated (region, date of birth, sex) and "
        "must agree with the date of birth and sex given. A NIK or phone number that already "
        "has an account gets 409 `already_registered`, which does not say which or whose."
    ),
    responses={409: _PROBLEM},
)
async def register_citizen(
    body: CitizenRegistration, session: DbSession, outbox: EventOutbox, config: Config
) -> AccountRead:
    account = await service.register_citizen(
        session=session, outbox=outbox, config=config, body=body
    )
    return AccountRead.model_validate(account)


@router.post(
    "/v1/auth/token",
    summary="Sign in, or refresh a session (OAuth2 token endpoint)",
    description=(
        "Who may call: anyone with credentials. `grant_type=password` with `username` (a "
        "citizen's NIK or phone, or a staff username) and `password`; or "
        "`grant_type=refresh_token` with `refresh_token`, which rotates it (each refresh "
        "token works once; presenting a used one ends the whole session). JSON or form body. "
        "Wrong credentials: 401 `invalid_credentials`. After repeated failures the account "
        "is locked for a while: 429 `too_many_attempts` with `Retry-After`."
    ),
    openapi_extra=_request_body(PasswordGrant, RefreshGrant),
    responses={401: _PROBLEM, 429: _PROBLEM},
)
async def token(
    request: Request,
    response: Response,
    sessions: Sessions,
    config: Config,
    keys: Keys,
    now: Now,
) -> TokenResponse:
    response.headers["Cache-Control"] = "no-store"  # RFC 6749 §5.1: tokens are not cached
    grant = await _json_or_form(request, _TOKEN_REQUEST)
    # This endpoint owns its transaction: a refusal must still commit what it recorded
    # (a failure counted, a family revoked), so the Problem is raised after the commit.
    async with sessions.begin() as session:
        outcome: TokenResponse | Problem
        if isinstance(grant, PasswordGrant):
            outcome = await service.sign_in(
                session=session,
                config=config,
                keys=keys,
                username=grant.username,
                password=grant.password.get_secret_value(),
                now=now,
            )
        else:
            outcome = await service.refresh(
                session=session,
                config=config,
                keys=keys,
                refresh_token=grant.refresh_token.get_secret_value(),
                now=now,
            )
    if isinstance(outcome, Problem):
        raise outcome
    return outcome


_LOGOUT_REQUEST: TypeAdapter[LogoutRequest] = TypeAdapter(LogoutRequest)


@router.post(
    "/v1/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Sign out: end the session a refresh token belongs to",
    description=(
        "Who may call: whoever holds the refresh token. Its whole family is revoked. Always "
        "204, also for an unknown or already ended token (nothing is revealed)."
    ),
    openapi_extra=_request_body(LogoutRequest),
)
async def logout(request: Request, session: DbSession, now: Now) -> Response:
    body = await _json_or_form(request, _LOGOUT_REQUEST)
    await service.sign_out(
        session=session, refresh_token=body.refresh_token.get_secret_value(), now=now
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/v1/me",
    summary="Your account",
    description=(
        "Who may call: any signed-in person, about their own account (the NIK whole: it is "
        "theirs). An officer acting for a citizen sees the citizen's. Strongly consistent."
    ),
    responses={403: _PROBLEM},
)
async def read_me(principal: CurrentPrincipal, session: DbSession) -> AccountRead:
    account = await service.get_own_account(session=session, subject=principal.subject)
    return AccountRead.model_validate(account)


@router.post(
    "/v1/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change your password (ends every session)",
    description=(
        "Who may call: the account holder, signed in themselves (not an officer acting for "
        "them). Needs the current password; a wrong one counts toward the sign-in lockout. "
        "Every refresh token of the account stops working; access tokens already issued "
        "expire on their own within 15 minutes."
    ),
    responses={403: _PROBLEM, 429: _PROBLEM},
)
async def change_password(
    body: PasswordChange,
    principal: CurrentPrincipal,
    sessions: Sessions,
    config: Config,
    now: Now,
) -> Response:
    if principal.acting_officer is not None:
        raise NotAPersonalAccount()
    async with sessions.begin() as session:  # a wrong password is counted even though refused
        refusal = await service.change_password(
            session=session,
            config=config,
            subject=principal.subject,
            current_password=body.current_password.get_secret_value(),
            new_password=body.new_password.get_secret_value(),
            now=now,
        )
    if refusal is not None:
        raise refusal
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/v1/auth/officers",
    status_code=status.HTTP_201_CREATED,
    summary="Create an officer's or administrator's account",
    description=(
        "Who may call: a city admin (`city_admin`). Roles are any of permits_officer, "
        "clinic_officer, school_officer, finance_officer, monitoring_viewer, city_admin. "
        "The officer signs in with `grant_type=password` and the username."
    ),
    responses={403: _PROBLEM, 409: _PROBLEM},
)
async def create_officer(
    body: StaffCreate, admin: CityAdmin, session: DbSession, outbox: EventOutbox, config: Config
) -> StaffRead:
    account = await service.create_staff(
        session=session, outbox=outbox, config=config, body=body, created_by=admin.subject
    )
    return StaffRead.model_validate(account)


@router.post(
    "/v1/auth/assist",
    summary="Act for a citizen at a kiosk (assisted service)",
    description=(
        "Who may call: an officer serving citizens (permits, clinic, school or finance "
        "officer). Returns a 15-minute access token for the citizen with the given NIK; the "
        "token's `act.sub` names the officer, so records it creates name both. No refresh "
        "token. Announced as `identity.citizen.assisted.v1`."
    ),
    responses={403: _PROBLEM, 404: _PROBLEM},
)
async def assist(
    body: AssistRequest,
    officer: ServiceOfficer,
    session: DbSession,
    outbox: EventOutbox,
    config: Config,
    keys: Keys,
    response: Response,
    now: Now,
) -> AssistResponse:
    response.headers["Cache-Control"] = "no-store"
    return await service.assist(
        session=session,
        outbox=outbox,
        config=config,
        keys=keys,
        officer_subject=officer.subject,
        citizen_nik=body.citizen_nik,
        now=now,
    )


@router.post(
    "/v1/auth/assisted-citizens",
    status_code=status.HTTP_201_CREATED,
    summary="Register a citizen at a kiosk and act for them (assisted service)",
    description=(
        "Who may call: an officer serving citizens (permits, clinic, school or finance "
        "officer). Registers a citizen who may have no phone (and no email): the NIK is "
        "validated as in self-registration and must agree with the date of birth and sex; "
        "no password, so the citizen cannot sign in alone. The account records the officer "
        "who registered it. Answers with what `/v1/auth/assist` answers: a 15-minute access "
        "token for the new citizen whose `act.sub` names the officer, so the officer can go "
        "on to file the application; no refresh token. A NIK or phone number that already "
        "has an account gets 409 `already_registered`, which does not say which or whose "
        "(an officer retrying after a lost answer can take a token with `/v1/auth/assist`). "
        "Announced as `identity.citizen.registered_by_officer.v1` and "
        "`identity.citizen.assisted.v1`."
    ),
    responses={403: _PROBLEM, 409: _PROBLEM},
)
async def register_assisted_citizen(
    body: AssistedCitizenRegistration,
    officer: ServiceOfficer,
    session: DbSession,
    outbox: EventOutbox,
    config: Config,
    keys: Keys,
    response: Response,
    now: Now,
) -> AssistResponse:
    response.headers["Cache-Control"] = "no-store"
    return await service.register_assisted_citizen(
        session=session,
        outbox=outbox,
        config=config,
        keys=keys,
        officer_subject=officer.subject,
        body=body,
        now=now,
    )
