"""Agency clients: register, rotate, revoke, and issue a token to one that authenticates.

No commit and no wall clock here: the request boundary commits, and ``tx.now`` is the app's
injected clock. Secrets are 256 random bits, shown once and kept only as Argon2id hashes
(verified off the event loop); each change is announced on ``identity.events`` through the
outbox, in the same transaction.
"""

import secrets
from collections.abc import Iterable
from datetime import timedelta

from kota_contracts.identity import (
    AgencyClientRegistered,
    AgencyClientRevoked,
    AgencyClientSecretRotated,
)
from kota_gateway.identity import tokens
from kota_gateway.identity.clients import repository
from kota_gateway.identity.clients.models import AgencyClient
from kota_gateway.identity.clients.problems import InvalidClient, InvalidScope
from kota_gateway.identity.clients.schemas import AgencyClientCreate, ClientToken
from kota_gateway.identity.config import IdentityConfig
from kota_gateway.identity.keys import SigningKeys
from kota_gateway.messages import _
from kota_shared.auth import Principal
from kota_shared.problems import Conflict, ValidationFailed
from kota_shared.transaction import Transaction

CLIENT_ID_PREFIX = "ac_"
SECRET_PREFIX = "acs_"  # noqa: S105 - a recognisable prefix (for secret scanners), not a secret
SUBJECT_PREFIX = "client:"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def subject_of(client: AgencyClient) -> str:
    """The ``sub`` of the client's access tokens."""
    return SUBJECT_PREFIX + client.client_id


def _check_scopes(requested: Iterable[str], allowed: Iterable[str]) -> list[str]:
    allowed_set = set(allowed)
    wanted = sorted(set(requested))
    unknown = [scope for scope in wanted if scope not in allowed_set]
    if unknown:
        raise ValidationFailed(
            errors=[
                {
                    "field": "body.scopes",
                    "message": _(
                        "Not a scope that can be granted: {unknown}. Allowed: {allowed}.",
                        unknown=", ".join(unknown),
                        allowed=", ".join(sorted(allowed_set)),
                    ),
                    "type": "unknown_scope",
                }
            ]
        )
    return wanted


async def register(
    tx: Transaction, *, config: IdentityConfig, body: AgencyClientCreate, by: Principal
) -> tuple[AgencyClient, str]:
    """A new client and its secret (the only time the secret exists in clear)."""
    scopes = _check_scopes(body.scopes, config.agency_client_scopes)
    secret = new_secret()
    client = AgencyClient(
        client_id=CLIENT_ID_PREFIX + secrets.token_hex(10),
        name=body.name,
        agency=body.agency,
        scopes=scopes,
        secret_hash=await config.passwords.hash(secret),
        created_by=by.subject,
        created_at=tx.now,
    )
    await repository.add(tx.session, client=client)
    await announce_registration(tx, client=client)
    return client, secret


async def announce_registration(tx: Transaction, *, client: AgencyClient) -> None:
    """``identity.agency_client.registered.v1`` for ``client``, just inserted."""
    await tx.outbox.add(
        tx.session,
        AgencyClientRegistered(
            client_id=client.client_id,
            agency=client.agency,
            scopes=list(client.scopes),
            registered_by=client.created_by,
            registered_at=client.created_at,
        ),
        subject=client.client_id,
    )


async def rotate_secret(
    tx: Transaction,
    *,
    config: IdentityConfig,
    client: AgencyClient,
    grace: timedelta,
    by: Principal,
) -> str:
    """A new secret for ``client`` (held row-locked); the current one keeps working for
    ``grace`` (and only the current one)."""
    if not client.active:
        raise Conflict(_("This client is revoked; register a new one instead."))
    secret = new_secret()
    await replace_secret(
        tx, config=config, client=client, secret=secret, grace=grace, by=by.subject
    )
    return secret


async def replace_secret(
    tx: Transaction,
    *,
    config: IdentityConfig,
    client: AgencyClient,
    secret: str,
    grace: timedelta,
    by: str,
) -> None:
    """Make ``secret`` the active ``client``'s (held row-locked), the current one working
    on for ``grace``; announced as rotated by ``by``."""
    if grace > timedelta(0):
        client.previous_secret_hash = client.secret_hash
        client.previous_secret_expires_at = tx.now + grace
    else:
        client.previous_secret_hash = None
        client.previous_secret_expires_at = None
    client.secret_hash = await config.passwords.hash(secret)
    client.secret_rotated_at = tx.now
    await tx.outbox.add(
        tx.session,
        AgencyClientSecretRotated(
            client_id=client.client_id,
            rotated_by=by,
            rotated_at=tx.now,
            previous_valid_until=client.previous_secret_expires_at,
        ),
        subject=client.client_id,
    )


async def revoke(tx: Transaction, *, client: AgencyClient, by: Principal) -> None:
    """No more tokens for ``client`` (held row-locked); revoking twice changes nothing."""
    if not client.active:
        return
    client.revoked_at = tx.now
    client.revoked_by = by.subject
    client.previous_secret_hash = None
    client.previous_secret_expires_at = None
    await tx.outbox.add(
        tx.session,
        AgencyClientRevoked(client_id=client.client_id, revoked_by=by.subject, revoked_at=tx.now),
        subject=client.client_id,
    )


async def _authenticate(
    tx: Transaction, *, config: IdentityConfig, client_id: str, client_secret: str
) -> AgencyClient:
    """The active client whose secret this is, else `InvalidClient` (never saying why).

    An unknown id is checked against a decoy hash, so timing does not reveal which ids exist.
    """
    hasher = config.passwords
    client = await repository.get(tx.session, client_id=client_id)
    matched = await hasher.verify(client.secret_hash if client else None, client_secret)
    if client is not None and not matched and client.previous_secret_hash is not None:
        expires_at = client.previous_secret_expires_at
        if expires_at is not None and expires_at > tx.now:
            matched = await hasher.verify(client.previous_secret_hash, client_secret)
    if client is None or not matched or not client.active:
        raise InvalidClient()
    return client


def granted_scopes(client: AgencyClient, requested: str | None) -> list[str]:
    """RFC 6749 §3.3: what was asked for, if all of it is granted; everything if nothing was."""
    if requested is None or not requested.strip():
        return sorted(client.scopes)
    wanted = set(requested.split())
    missing = wanted - set(client.scopes)
    if missing:
        raise InvalidScope(
            _("Not granted to this client: {scopes}.", scopes=" ".join(sorted(missing)))
        )
    return sorted(wanted)


async def issue_token(
    tx: Transaction,
    *,
    config: IdentityConfig,
    keys: SigningKeys,
    client_id: str,
    client_secret: str,
    scope: str | None,
) -> ClientToken:
    """Client-credentials grant: an access token with the scopes asked for (all granted
    ones if none), no roles and no refresh token."""
    client = await _authenticate(
        tx, config=config, client_id=client_id, client_secret=client_secret
    )
    scopes = granted_scopes(client, scope)
    access = tokens.issue_access_token(
        keys=keys,
        issuer=config.issuer,
        audience=config.audience,
        subject=subject_of(client),
        roles=(),
        scopes=scopes,
        ttl=config.access_ttl,
        now=tx.now,
    )
    return ClientToken(
        access_token=access.token, expires_in=access.expires_in, scope=" ".join(scopes)
    )
