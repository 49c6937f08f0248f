"""Account endpoints: registration, tokens, sign-out, password, staff, assisted service
(acting for a citizen, and registering one at a kiosk)."""

from typing import Any

from fastapi import APIRouter, Request, Response, status
from pydantic import TypeAdapter

from kota_gateway.identity.accounts import assistance, password_change, registration, sign_in
from kota_gateway.identity.accounts.dependencies import OwnAccount, ServiceOfficer
from kota_gateway.identity.accounts.problems import (
    AlreadyRegistered,
    CitizenNotFound,
    IdentityNotVerified,
    InvalidCredentials,
    InvalidRefreshToken,
    NotAPersonalAccount,
    TooManyAttempts,
    UsernameTaken,
    WrongPassword,
)
from kota_gateway.identity.accounts.schemas import (
    CITIZEN_SIGN_IN_EXAMPLE,
    OFFICER_SIGN_IN_EXAMPLE,
    REFRESH_EXAMPLE,
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
from kota_gateway.identity.dependencies import (
    CityAdmin,
    ClientAddress,
    Config,
    Keys,
    Registry,
    Runtime,
)
from kota_gateway.identity.registry.problems import RegistryUnavailable
from kota_shared.auth import CurrentPrincipal
from kota_shared.bodies import BodyFormat, body_openapi, read_body
from kota_shared.openapi import answers
from kota_shared.problems import Problem
from kota_shared.transaction import CurrentTransaction

router = APIRouter(tags=["identity"])

_JSON_OR_FORM = (BodyFormat.JSON, BodyFormat.FORM)
"""OAuth2 clients send forms (RFC 6749 §4.3.2), the app sends JSON; nothing else is read."""
_TOKEN_REQUEST: TypeAdapter[PasswordGrant | RefreshGrant] = TypeAdapter(TokenRequest)


def _with_examples(
    openapi_extra: dict[str, Any], examples: dict[str, tuple[str, dict[str, Any]]]
) -> dict[str, Any]:
    """``openapi_extra`` (a `body_openapi`) with ``examples`` (name: summary and value) for
    each media type: a body of one of several models has no example of its own."""
    for media in openapi_extra["requestBody"]["content"].values():
        media["examples"] = {
            name: {"summary": summary, "value": value}
            for name, (summary, value) in examples.items()
        }
    return openapi_extra


@router.post(
    "/v1/auth/citizens",
    status_code=status.HTTP_201_CREATED,
    summary="Register as a citizen",
    description=(
        "Who may call: anyone (public). The NIK is validated (region, date of birth, sex) and "
        "must agree with the date of birth and sex given; then the NIK, name and date of "
        "birth are verified against the civil registry (Dukcapil). Any mismatch, or a NIK "
        "the registry does not know, is one 422 `identity_not_verified` that does not say "
        "what differs; five mismatches of one NIK from one address answer 429 "
        "`too_many_attempts` with `Retry-After` for a while. With the registry down or out "
        "of quota: 503 `registry_unavailable` with `Retry-After`, and nothing is stored. A "
        "NIK or phone number that already has an account gets 409 `already_registered`, "
        "which does not say which or whose. The account's district (`kecamatan_code`) is "
        "the registry's. Announced as `identity.citizen.registered.v1` and `.v2`."
    ),
    responses=answers(IdentityNotVerified, TooManyAttempts, AlreadyRegistered, RegistryUnavailable),
)
async def register_citizen(
    body: CitizenRegistration,
    runtime: Runtime,
    config: Config,
    registry: Registry,
    source: ClientAddress,
) -> AccountRead:
    # Owns its transaction: a mismatch must still commit the attempt it counted.
    async with runtime.sessionmaker.begin() as session:
        outcome = await registration.register_citizen(
            runtime.transaction(session),
            config=config,
            registry=registry,
            body=body,
            source=source,
        )
        account = outcome if isinstance(outcome, Problem) else AccountRead.of(outcome)
    if isinstance(account, Problem):
        raise account
    return account


@router.post(
    "/v1/auth/token",
    summary="Sign in, or refresh a session (OAuth2 token endpoint)",
    description=(
        "Who may call: anyone with credentials. `grant_type=password` with `username` (a "
        "citizen's NIK or phone, or a staff username) and `password`; or "
        "`grant_type=refresh_token` with `refresh_token`, which rotates it (each refresh "
        "token works once; presenting a used one ends the whole session). Body as "
        "`application/json` or `application/x-www-form-urlencoded` (else 415 "
        "`unsupported_media_type`). Wrong credentials, or a name nobody has: 401 "
        "`invalid_credentials`. After repeated failures with one name from one address, that "
        "address is refused that name for a while, even with the right password: 429 "
        "`too_many_attempts` with `Retry-After` (other addresses are not affected)."
    ),
    openapi_extra=_with_examples(
        body_openapi(PasswordGrant, RefreshGrant, formats=_JSON_OR_FORM),
        {
            "citizen": ("A citizen signs in with their NIK", CITIZEN_SIGN_IN_EXAMPLE),
            "officer": ("An officer signs in with their username", OFFICER_SIGN_IN_EXAMPLE),
            "refresh": ("A session is refreshed", REFRESH_EXAMPLE),
        },
    ),
    responses=answers(InvalidCredentials, InvalidRefreshToken, TooManyAttempts),
)
async def issue_token(
    request: Request,
    response: Response,
    runtime: Runtime,
    config: Config,
    keys: Keys,
    source: ClientAddress,
) -> TokenResponse:
    response.headers["Cache-Control"] = "no-store"  # RFC 6749 §5.1: tokens are not cached
    grant = await read_body(request, _TOKEN_REQUEST, formats=_JSON_OR_FORM)
    # This endpoint owns its transaction: a refusal must still commit what it recorded
    # (a failure counted, a family revoked), so the Problem is raised after the commit.
    async with runtime.sessionmaker.begin() as session:
        tx = runtime.transaction(session)
        outcome: TokenResponse | Problem
        if isinstance(grant, PasswordGrant):
            outcome = await sign_in.sign_in(
                tx,
                config=config,
                keys=keys,
                username=grant.username,
                password=grant.password.get_secret_value(),
                source=source,
            )
        else:
            outcome = await sign_in.refresh(
                tx, config=config, keys=keys, refresh_token=grant.refresh_token.get_secret_value()
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
    openapi_extra=body_openapi(LogoutRequest, formats=_JSON_OR_FORM),
)
async def logout(request: Request, tx: CurrentTransaction) -> Response:
    body = await read_body(request, _LOGOUT_REQUEST, formats=_JSON_OR_FORM)
    await sign_in.sign_out(tx, refresh_token=body.refresh_token.get_secret_value())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/v1/me",
    summary="Your account",
    description=(
        "Who may call: any signed-in person, about their own account (the NIK whole: it is "
        "theirs). An officer acting for a citizen sees the citizen's. Strongly consistent. "
        "An agency client's token has no account: 403 `not_a_personal_account`."
    ),
    responses=answers(NotAPersonalAccount),
)
async def read_me(account: OwnAccount) -> AccountRead:
    return AccountRead.of(account)


@router.post(
    "/v1/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change your password (ends every session)",
    description=(
        "Who may call: the account holder, signed in themselves (not an officer acting for "
        "them). Needs the current password; wrong ones are counted as failed sign-ins are "
        "(after five from one address, 429 `too_many_attempts` there for a while). "
        "Every refresh token of the account stops working; access tokens already issued "
        "expire on their own within 15 minutes. A wrong current password: 403 "
        "`wrong_password`; an officer acting for a citizen, or an agency client: 403 "
        "`not_a_personal_account`."
    ),
    responses=answers(WrongPassword, NotAPersonalAccount, TooManyAttempts),
)
async def change_password(
    body: PasswordChange,
    principal: CurrentPrincipal,
    runtime: Runtime,
    config: Config,
    source: ClientAddress,
) -> Response:
    async with runtime.sessionmaker.begin() as session:  # a wrong password is counted
        refusal = await password_change.change_password(
            runtime.transaction(session),
            config=config,
            by=principal,
            current_password=body.current_password.get_secret_value(),
            new_password=body.new_password.get_secret_value(),
            source=source,
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
        "The officer signs in with `grant_type=password` and the username. A username "
        "already in use: 409 `username_taken`."
    ),
    responses=answers(UsernameTaken),
)
async def create_officer(
    body: StaffCreate, admin: CityAdmin, tx: CurrentTransaction, config: Config
) -> StaffRead:
    account = await registration.create_staff(tx, config=config, body=body, by=admin)
    return StaffRead.of(account)


@router.post(
    "/v1/auth/assist",
    summary="Act for a citizen at a kiosk (assisted service)",
    description=(
        "Who may call: an officer serving citizens (permits, clinic, school or finance "
        "officer). Returns a 15-minute access token for the citizen with the given NIK; the "
        "token's `act.sub` names the officer, so records it creates name both. No refresh "
        "token. Announced as `identity.citizen.assisted.v1`. No citizen account with the "
        "NIK: 404 `citizen_not_found` (register them with `/v1/auth/assisted-citizens`)."
    ),
    responses=answers(CitizenNotFound),
)
async def act_for_citizen(
    body: AssistRequest,
    officer: ServiceOfficer,
    tx: CurrentTransaction,
    config: Config,
    keys: Keys,
    response: Response,
) -> AssistResponse:
    response.headers["Cache-Control"] = "no-store"
    return await assistance.assist(
        tx, config=config, keys=keys, citizen_nik=body.citizen_nik, by=officer
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
        "The citizen is verified against the civil registry exactly as in self-registration "
        "(422 `identity_not_verified`, 429 `too_many_attempts`, 503 `registry_unavailable`). "
        "Announced as `identity.citizen.registered_by_officer.v1` and `.v2`, and "
        "`identity.citizen.assisted.v1`."
    ),
    responses=answers(IdentityNotVerified, TooManyAttempts, AlreadyRegistered, RegistryUnavailable),
)
async def register_assisted_citizen(
    body: AssistedCitizenRegistration,
    officer: ServiceOfficer,
    runtime: Runtime,
    config: Config,
    keys: Keys,
    registry: Registry,
    source: ClientAddress,
    response: Response,
) -> AssistResponse:
    response.headers["Cache-Control"] = "no-store"
    # Owns its transaction: a mismatch must still commit the attempt it counted.
    async with runtime.sessionmaker.begin() as session:
        outcome = await assistance.register_assisted_citizen(
            runtime.transaction(session),
            config=config,
            keys=keys,
            registry=registry,
            body=body,
            by=officer,
            source=source,
        )
    if isinstance(outcome, Problem):
        raise outcome
    return outcome
