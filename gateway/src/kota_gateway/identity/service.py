"""Identity operations: register, sign in, refresh, sign out, change password, staff, assist
(acting for a citizen, and registering one at a kiosk).

No commit, no HTTP and no wall clock here: ``now`` comes from the app's injected clock,
read once per request, so tests move time instead of waiting. A refusal that must be
remembered (a failed sign-in counted, a refresh-token family revoked after reuse) is
*returned* as a `Problem`, not raised, so the caller commits what it recorded before
answering with it.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from kota_contracts.access import Role
from kota_contracts.identity import (
    CitizenAssisted,
    CitizenRegistered,
    CitizenRegisteredByOfficer,
    StaffAccountCreated,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kota_gateway.config import GatewaySettings
from kota_gateway.identity import nik as nik_rules
from kota_gateway.identity import phones, repository, tokens
from kota_gateway.identity.lockout import LockoutPolicy, retry_after_seconds
from kota_gateway.identity.models import (
    SERVICE_OFFICER_ROLES,
    Account,
    AccountKind,
    RefreshToken,
    RefreshTokenFamily,
)
from kota_gateway.identity.passwords import Passwords
from kota_gateway.identity.problems import (
    AlreadyRegistered,
    CitizenNotFound,
    InvalidCredentials,
    InvalidRefreshToken,
    NotAPersonalAccount,
    TooManyAttempts,
    UsernameTaken,
    WrongPassword,
)
from kota_gateway.identity.repository import SignInName
from kota_gateway.identity.schemas import (
    AssistedCitizenRegistration,
    AssistResponse,
    CitizenRegistration,
    CitizenSummary,
    StaffCreate,
    TokenResponse,
)
from kota_gateway.keys import SigningKeys
from kota_shared.events.outbox import Outbox
from kota_shared.problems import Forbidden, Problem


@dataclass(frozen=True)
class IdentityConfig:
    """What identity needs from the settings, built once at start."""

    issuer: str
    audience: str
    access_ttl: timedelta
    refresh_ttl: timedelta
    lockout: LockoutPolicy
    passwords: Passwords

    @classmethod
    def from_settings(
        cls, settings: GatewaySettings, *, passwords: Passwords | None = None
    ) -> "IdentityConfig":
        return cls(
            issuer=settings.token_issuer,
            audience=settings.token_audience,
            access_ttl=timedelta(seconds=settings.access_token_ttl_seconds),
            refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
            lockout=LockoutPolicy(
                max_failures=settings.login_max_failures,
                base_seconds=settings.login_lockout_base_seconds,
                max_seconds=settings.login_lockout_max_seconds,
            ),
            passwords=passwords or Passwords(),
        )


async def _add_citizen(
    *,
    session: AsyncSession,
    body: CitizenRegistration | AssistedCitizenRegistration,
    password_hash: str | None,
    registered_by: uuid.UUID | None,
) -> Account:
    """Insert a citizen's account; `AlreadyRegistered` (saying neither which nor whose)
    when the NIK or the phone has one."""
    if await repository.citizen_exists(session=session, nik=body.nik, phone=body.phone):
        raise AlreadyRegistered()
    account = Account(
        id=uuid.uuid4(),
        kind=AccountKind.CITIZEN,
        nik=body.nik,
        phone=body.phone,
        email=body.email,
        full_name=body.full_name,
        birth_date=body.birth_date,
        sex=body.sex,
        roles=[Role.CITIZEN.value],
        password_hash=password_hash,
        registered_by=registered_by,
    )
    session.add(account)
    try:
        await session.flush()
    except IntegrityError:  # the same NIK or phone registering at this very moment
        raise AlreadyRegistered() from None
    return account


async def register_citizen(
    *, session: AsyncSession, outbox: Outbox, config: IdentityConfig, body: CitizenRegistration
) -> Account:
    """A citizen creates their own account (phone and password required)."""
    account = await _add_citizen(
        session=session,
        body=body,
        password_hash=await config.passwords.hash(body.password.get_secret_value()),
        registered_by=None,
    )
    await outbox.add(
        session,
        CitizenRegistered(
            account_id=account.id,
            regency_code=body.nik[:4],
            registered_at=account.created_at,
        ),
        subject=str(account.id),
    )
    return account


def sign_in_name(username: str) -> tuple[SignInName, str]:
    """Which identifier a sign-in uses: 16 digits are a NIK, a phone number is a phone,
    anything else a staff username (those start with a letter, so never collide)."""
    digits = nik_rules.compact(username)
    if len(digits) == nik_rules.NIK_LENGTH and digits.isascii() and digits.isdigit():
        return "nik", digits
    try:
        return "phone", phones.normalise_phone(username)
    except phones.InvalidPhone:
        return "username", username.strip().lower()


def _locked(account: Account, now: datetime) -> TooManyAttempts | None:
    if account.locked_until is not None and account.locked_until > now:
        return TooManyAttempts(retry_after_seconds(account.locked_until, now=now))
    return None


def _count_failure(account: Account, *, policy: LockoutPolicy, now: datetime) -> Problem | None:
    """Count a wrong password; the lock it starts, if it reaches the policy's limit."""
    account.failed_logins += 1
    lock = policy.lock_after(account.failed_logins)
    if lock is None:
        return None
    account.locked_until = now + lock
    return TooManyAttempts(retry_after_seconds(account.locked_until, now=now))


def _reset_failures(account: Account) -> None:
    account.failed_logins = 0
    account.locked_until = None


async def _issue_pair(
    *,
    session: AsyncSession,
    config: IdentityConfig,
    keys: SigningKeys,
    account: Account,
    family_id: uuid.UUID,
    now: datetime,
) -> TokenResponse:
    refresh = tokens.new_refresh_token()
    session.add(
        RefreshToken(
            id=uuid.uuid4(),
            family_id=family_id,
            token_digest=tokens.refresh_token_digest(refresh),
            issued_at=now,
            expires_at=now + config.refresh_ttl,
        )
    )
    access = tokens.issue_access_token(
        keys=keys,
        issuer=config.issuer,
        audience=config.audience,
        subject=str(account.id),
        roles=account.roles,
        ttl=config.access_ttl,
        now=now,
    )
    return TokenResponse(
        access_token=access.token, expires_in=access.expires_in, refresh_token=refresh
    )


async def sign_in(
    *,
    session: AsyncSession,
    config: IdentityConfig,
    keys: SigningKeys,
    username: str,
    password: str,
    now: datetime,
) -> TokenResponse | Problem:
    """Password grant: a new refresh-token family and an access token, or the refusal."""
    name_kind, name = sign_in_name(username)
    account = await repository.lock_account_for_sign_in(
        session=session, name_kind=name_kind, name=name
    )
    if account is None:
        await config.passwords.verify(None, password)  # as slow as a wrong password
        return InvalidCredentials()
    locked = _locked(account, now)
    if locked is not None:
        return locked  # without checking the password: a lock holds even for the right one
    password_hash = account.password_hash
    # An account without a password (a citizen an officer registered at a kiosk) is
    # refused as a wrong password is: the decoy hash checked, the failure counted, the
    # same 401, so the answer does not say how the account was made.
    if not await config.passwords.verify(password_hash, password) or password_hash is None:
        return _count_failure(account, policy=config.lockout, now=now) or InvalidCredentials()
    _reset_failures(account)
    if config.passwords.needs_rehash(password_hash):
        account.password_hash = await config.passwords.hash(password)
    family = RefreshTokenFamily(id=uuid.uuid4(), account_id=account.id)
    session.add(family)
    return await _issue_pair(
        session=session, config=config, keys=keys, account=account, family_id=family.id, now=now
    )


async def refresh(
    *,
    session: AsyncSession,
    config: IdentityConfig,
    keys: SigningKeys,
    refresh_token: str,
    now: datetime,
) -> TokenResponse | Problem:
    """Refresh grant: rotate within the family. A token presented a second time means a
    copy is in someone else's hands, so the whole family (the newer token too) is revoked."""
    found = await repository.lock_refresh_token(
        session=session, digest=tokens.refresh_token_digest(refresh_token)
    )
    if found is None:
        return InvalidRefreshToken()
    token, family = found
    if family.revoked_at is not None:
        return InvalidRefreshToken()
    if token.used_at is not None:
        await repository.revoke_families(
            session=session, family_id=family.id, reason="reuse", now=now
        )
        return InvalidRefreshToken("This sign-in was ended for your safety. Sign in again.")
    if token.expires_at <= now:
        return InvalidRefreshToken()
    account = await repository.get_account(session=session, account_id=family.account_id)
    if account is None:
        return InvalidRefreshToken()
    token.used_at = now
    return await _issue_pair(
        session=session, config=config, keys=keys, account=account, family_id=family.id, now=now
    )


async def sign_out(*, session: AsyncSession, refresh_token: str, now: datetime) -> None:
    """Revoke the family of ``refresh_token``; unknown or already ended tokens change nothing."""
    found = await repository.lock_refresh_token(
        session=session, digest=tokens.refresh_token_digest(refresh_token)
    )
    if found is not None:
        await repository.revoke_families(
            session=session, family_id=found[1].id, reason="logout", now=now
        )


def _account_id(subject: str) -> uuid.UUID:
    try:
        return uuid.UUID(subject)
    except ValueError:
        raise NotAPersonalAccount() from None


async def get_own_account(*, session: AsyncSession, subject: str) -> Account:
    account = await repository.get_account(session=session, account_id=_account_id(subject))
    if account is None:
        raise NotAPersonalAccount()
    return account


async def change_password(
    *,
    session: AsyncSession,
    config: IdentityConfig,
    subject: str,
    current_password: str,
    new_password: str,
    now: datetime,
) -> Problem | None:
    """Replace the password and end every session of the account (all refresh families).

    A wrong current password counts as a failed sign-in: a stolen access token must not
    become a way to guess the password without the lockout.
    """
    account = await repository.lock_account(session=session, account_id=_account_id(subject))
    if account is None:
        return NotAPersonalAccount()
    locked = _locked(account, now)
    if locked is not None:
        return locked
    if not await config.passwords.verify(account.password_hash, current_password):
        return _count_failure(account, policy=config.lockout, now=now) or WrongPassword()
    _reset_failures(account)
    account.password_hash = await config.passwords.hash(new_password)
    account.password_changed_at = now
    await repository.revoke_families(
        session=session, account_id=account.id, reason="password_changed", now=now
    )
    return None


async def create_staff(
    *,
    session: AsyncSession,
    outbox: Outbox,
    config: IdentityConfig,
    body: StaffCreate,
    created_by: str,
) -> Account:
    if await repository.username_taken(session=session, username=body.username):
        raise UsernameTaken()
    admin_id = _account_id(created_by)
    account = Account(
        id=uuid.uuid4(),
        kind=AccountKind.STAFF,
        username=body.username,
        full_name=body.full_name,
        roles=[role.value for role in body.roles],
        password_hash=await config.passwords.hash(body.password.get_secret_value()),
        created_by=admin_id,
    )
    session.add(account)
    try:
        await session.flush()
    except IntegrityError:
        raise UsernameTaken() from None
    await outbox.add(
        session,
        StaffAccountCreated(
            account_id=account.id,
            roles=account.roles,
            created_by=admin_id,
            created_at=account.created_at,
        ),
        subject=str(account.id),
    )
    return account


async def _serving_officer(*, session: AsyncSession, officer_subject: str) -> Account:
    """The officer's account, if it (still) serves citizens; else `Forbidden`.

    The roles are read from the database, not trusted from the token, so an officer whose
    roles were withdrawn cannot act for citizens with a token still alive.
    """
    officer = await repository.get_account(session=session, account_id=_account_id(officer_subject))
    if officer is None or not SERVICE_OFFICER_ROLES.intersection(officer.roles):
        raise Forbidden("Only officers serving citizens may act for one.")
    return officer


async def _act_for(
    *,
    session: AsyncSession,
    outbox: Outbox,
    config: IdentityConfig,
    keys: SigningKeys,
    officer: Account,
    citizen: Account,
    citizen_nik: str,
    now: datetime,
) -> AssistResponse:
    """An assisted session: a citizen's access token naming the officer (``act``), announced."""
    access = tokens.issue_access_token(
        keys=keys,
        issuer=config.issuer,
        audience=config.audience,
        subject=str(citizen.id),
        roles=[Role.CITIZEN.value],
        ttl=config.access_ttl,
        acting_officer=str(officer.id),
        now=now,
    )
    await outbox.add(
        session,
        CitizenAssisted(
            citizen_id=citizen.id,
            officer_id=officer.id,
            token_id=access.jti,
            expires_at=access.expires_at,
            assisted_at=now,
        ),
        subject=str(citizen.id),
    )
    return AssistResponse(
        access_token=access.token,
        expires_in=access.expires_in,
        citizen=CitizenSummary(
            id=citizen.id, full_name=citizen.full_name, nik_masked=nik_rules.mask_nik(citizen_nik)
        ),
        acting_officer=officer.id,
    )


async def assist(
    *,
    session: AsyncSession,
    outbox: Outbox,
    config: IdentityConfig,
    keys: SigningKeys,
    officer_subject: str,
    citizen_nik: str,
    now: datetime,
) -> AssistResponse:
    """An access token for a citizen that names the officer acting for them (``act``).

    No refresh token: an assisted session ends with its access token.
    """
    officer = await _serving_officer(session=session, officer_subject=officer_subject)
    citizen = await repository.get_citizen_by_nik(session=session, nik=citizen_nik)
    if citizen is None:
        raise CitizenNotFound()
    return await _act_for(
        session=session,
        outbox=outbox,
        config=config,
        keys=keys,
        officer=officer,
        citizen=citizen,
        citizen_nik=citizen_nik,
        now=now,
    )


async def register_assisted_citizen(
    *,
    session: AsyncSession,
    outbox: Outbox,
    config: IdentityConfig,
    keys: SigningKeys,
    officer_subject: str,
    body: AssistedCitizenRegistration,
    now: datetime,
) -> AssistResponse:
    """An officer registers a citizen at a kiosk, then acts for them at once.

    The account has no password (the citizen cannot sign in alone) and names the officer
    in ``registered_by``; `AlreadyRegistered` as for self-registration. Two events: the
    registration, and the assisted session its token opens (as `assist` announces it).
    """
    officer = await _serving_officer(session=session, officer_subject=officer_subject)
    citizen = await _add_citizen(
        session=session, body=body, password_hash=None, registered_by=officer.id
    )
    await outbox.add(
        session,
        CitizenRegisteredByOfficer(
            account_id=citizen.id,
            regency_code=body.nik[:4],
            registered_by=officer.id,
            registered_at=citizen.created_at,
        ),
        subject=str(citizen.id),
    )
    return await _act_for(
        session=session,
        outbox=outbox,
        config=config,
        keys=keys,
        officer=officer,
        citizen=citizen,
        citizen_nik=body.nik,
        now=now,
    )
