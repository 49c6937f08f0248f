"""Sessions: sign in with a password, refresh (rotating the refresh token), sign out.

No commit, no HTTP and no wall clock here: ``tx.now`` comes from the app's injected clock,
read once per request, so tests move time instead of waiting. A refusal that must be
remembered (a failed sign-in counted, a refresh-token family revoked after reuse) is
*returned* as a `Problem`, not raised, so the caller commits what it recorded before
answering with it.
"""

import uuid

from kota_gateway.identity import tokens
from kota_gateway.identity.accounts import lockout, phones, repository
from kota_gateway.identity.accounts import nik as nik_rules
from kota_gateway.identity.accounts.models import Account, RefreshToken, RefreshTokenFamily
from kota_gateway.identity.accounts.problems import InvalidCredentials, InvalidRefreshToken
from kota_gateway.identity.accounts.repository import SignInName
from kota_gateway.identity.accounts.schemas import TokenResponse
from kota_gateway.identity.config import IdentityConfig
from kota_gateway.identity.keys import SigningKeys
from kota_gateway.messages import _
from kota_shared.problems import Problem
from kota_shared.transaction import Transaction


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


async def _issue_pair(
    tx: Transaction,
    *,
    config: IdentityConfig,
    keys: SigningKeys,
    account: Account,
    family_id: uuid.UUID,
) -> TokenResponse:
    refresh = tokens.new_refresh_token()
    tx.session.add(
        RefreshToken(
            id=uuid.uuid4(),
            family_id=family_id,
            token_digest=tokens.refresh_token_digest(refresh),
            issued_at=tx.now,
            expires_at=tx.now + config.refresh_ttl,
        )
    )
    access = tokens.issue_access_token(
        keys=keys,
        issuer=config.issuer,
        audience=config.audience,
        subject=str(account.id),
        roles=account.roles,
        ttl=config.access_ttl,
        now=tx.now,
    )
    return TokenResponse(
        access_token=access.token, expires_in=access.expires_in, refresh_token=refresh
    )


async def sign_in(
    tx: Transaction,
    *,
    config: IdentityConfig,
    keys: SigningKeys,
    username: str,
    password: str,
    source: str,
) -> TokenResponse | Problem:
    """Password grant: a new refresh-token family and an access token, or the refusal.

    ``source`` is the client's address (`lockout` counts failures per name and address).
    A name no account has goes the same way as a wrong password, step for step: checked
    against the decoy hash, counted, locked, and answered alike.
    """
    name_kind, name = sign_in_name(username)
    attempt = await lockout.begin(tx, digest=lockout.name_digest(name_kind, name), source=source)
    if isinstance(attempt, Problem):
        return attempt  # without checking the password: a lock holds even for the right one
    account = await repository.account_for_sign_in(tx.session, name_kind=name_kind, name=name)
    password_hash = account.password_hash if account is not None else None
    # No account, or one without a password (a citizen an officer registered at a kiosk):
    # the decoy hash is checked, the failure counted, the same 401, so the answer says
    # neither whether the name exists nor how the account was made.
    if not await config.passwords.verify(password_hash, password) or password_hash is None:
        refusal = await lockout.failed(tx, attempt, policy=config.lockout)
        return refusal or InvalidCredentials()
    assert account is not None  # a hash matched, so there is an account
    await lockout.succeeded(tx, attempt)
    if config.passwords.needs_rehash(password_hash):
        account.password_hash = await config.passwords.hash(password)
    family = RefreshTokenFamily(id=uuid.uuid4(), account_id=account.id)
    tx.session.add(family)
    return await _issue_pair(tx, config=config, keys=keys, account=account, family_id=family.id)


async def refresh(
    tx: Transaction, *, config: IdentityConfig, keys: SigningKeys, refresh_token: str
) -> TokenResponse | Problem:
    """Refresh grant: rotate within the family. A token presented a second time means a
    copy is in someone else's hands, so the whole family (the newer token too) is revoked."""
    found = await repository.lock_refresh_token(
        tx.session, digest=tokens.refresh_token_digest(refresh_token)
    )
    if found is None:
        return InvalidRefreshToken()
    token, family = found
    if family.revoked_at is not None:
        return InvalidRefreshToken()
    if token.used_at is not None:
        await repository.revoke_families(
            tx.session, family_id=family.id, reason="reuse", now=tx.now
        )
        return InvalidRefreshToken(_("This sign-in was ended for your safety. Sign in again."))
    if token.expires_at <= tx.now:
        return InvalidRefreshToken()
    account = await repository.get_account(tx.session, account_id=family.account_id)
    if account is None:
        return InvalidRefreshToken()
    token.used_at = tx.now
    return await _issue_pair(tx, config=config, keys=keys, account=account, family_id=family.id)


async def sign_out(tx: Transaction, *, refresh_token: str) -> None:
    """Revoke the family of ``refresh_token``; unknown or already ended tokens change nothing."""
    found = await repository.lock_refresh_token(
        tx.session, digest=tokens.refresh_token_digest(refresh_token)
    )
    if found is not None:
        await repository.revoke_families(
            tx.session, family_id=found[1].id, reason="logout", now=tx.now
        )
