"""Agency clients: register, rotate, revoke, and authenticate a token request.

No commit here: the request boundary commits. Secrets are 256 random bits, shown once and
kept only as Argon2id hashes (verified off the event loop); each change is announced on
``identity.events`` through the outbox, in the same transaction.
"""

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from kota_contracts.identity import (
    AgencyClientRegistered,
    AgencyClientRevoked,
    AgencyClientSecretRotated,
)
from sqlalchemy.ext.asyncio import AsyncSession

from kota_gateway.clients import repository
from kota_gateway.clients.models import AgencyClient
from kota_gateway.clients.problems import InvalidClient, InvalidScope
from kota_gateway.clients.schemas import AgencyClientCreate
from kota_gateway.identity.passwords import Passwords
from kota_shared.auth import Principal
from kota_shared.events.outbox import Outbox
from kota_shared.problems import Conflict, NotFound, ValidationFailed

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
                    "message": f"Not a scope that can be granted: {', '.join(unknown)}. "
                    f"Allowed: {', '.join(sorted(allowed_set))}.",
                    "type": "unknown_scope",
                }
            ]
        )
    return wanted


async def register(
    *,
    session: AsyncSession,
    outbox: Outbox,
    hasher: Passwords,
    body: AgencyClientCreate,
    allowed_scopes: Iterable[str],
    admin: Principal,
) -> tuple[AgencyClient, str]:
    """A new client and its secret (the only time the secret exists in clear)."""
    scopes = _check_scopes(body.scopes, allowed_scopes)
    secret = new_secret()
    now = datetime.now(UTC)
    client = AgencyClient(
        client_id=CLIENT_ID_PREFIX + secrets.token_hex(10),
        name=body.name,
        agency=body.agency,
        scopes=scopes,
        secret_hash=await hasher.hash(secret),
        created_by=admin.subject,
        created_at=now,
    )
    repository.add(session=session, client=client)
    await session.flush()
    await outbox.add(
        session,
        AgencyClientRegistered(
            client_id=client.client_id,
            agency=client.agency,
            scopes=scopes,
            registered_by=admin.subject,
            registered_at=now,
        ),
        subject=client.client_id,
    )
    return client, secret


async def _existing(*, session: AsyncSession, client_id: str) -> AgencyClient:
    client = await repository.get(session=session, client_id=client_id, for_update=True)
    if client is None:
        raise NotFound("There is no agency client with this id.")
    return client


async def rotate_secret(
    *,
    session: AsyncSession,
    outbox: Outbox,
    hasher: Passwords,
    client_id: str,
    grace: timedelta,
    admin: Principal,
) -> tuple[AgencyClient, str]:
    """A new secret; the current one keeps working for ``grace`` (and only the current one)."""
    client = await _existing(session=session, client_id=client_id)
    if not client.active:
        raise Conflict("This client is revoked; register a new one instead.")
    secret = new_secret()
    now = datetime.now(UTC)
    if grace > timedelta(0):
        client.previous_secret_hash = client.secret_hash
        client.previous_secret_expires_at = now + grace
    else:
        client.previous_secret_hash = None
        client.previous_secret_expires_at = None
    client.secret_hash = await hasher.hash(secret)
    client.secret_rotated_at = now
    await outbox.add(
        session,
        AgencyClientSecretRotated(
            client_id=client.client_id,
            rotated_by=admin.subject,
            rotated_at=now,
            previous_valid_until=client.previous_secret_expires_at,
        ),
        subject=client.client_id,
    )
    return client, secret


async def revoke(
    *, session: AsyncSession, outbox: Outbox, client_id: str, admin: Principal
) -> AgencyClient:
    """No more tokens for this client; revoking twice changes nothing."""
    client = await _existing(session=session, client_id=client_id)
    if not client.active:
        return client
    now = datetime.now(UTC)
    client.revoked_at = now
    client.revoked_by = admin.subject
    client.previous_secret_hash = None
    client.previous_secret_expires_at = None
    await outbox.add(
        session,
        AgencyClientRevoked(client_id=client.client_id, revoked_by=admin.subject, revoked_at=now),
        subject=client.client_id,
    )
    return client


async def authenticate(
    *, session: AsyncSession, hasher: Passwords, client_id: str, client_secret: str
) -> AgencyClient:
    """The active client whose secret this is, else `InvalidClient` (never saying why).

    An unknown id is checked against a decoy hash, so timing does not reveal which ids exist.
    """
    client = await repository.get(session=session, client_id=client_id)
    matched = await hasher.verify(client.secret_hash if client else None, client_secret)
    if client is not None and not matched and client.previous_secret_hash is not None:
        expires_at = client.previous_secret_expires_at
        if expires_at is not None and expires_at > datetime.now(UTC):
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
        raise InvalidScope(f"Not granted to this client: {' '.join(sorted(missing))}.")
    return sorted(wanted)
