"""Identity at gateway start: its configuration, local token verification, the first admin."""

import asyncio
import logging
import uuid

from fastapi import FastAPI
from kota_contracts.access import Role
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_gateway.config import GatewaySettings
from kota_gateway.identity import passwords, repository
from kota_gateway.identity.models import Account, AccountKind
from kota_gateway.identity.schemas import normalise_username
from kota_gateway.identity.service import IdentityConfig
from kota_gateway.identity.tokens import LocalFirstKeys
from kota_shared.app import ServiceRuntime
from kota_shared.auth import TokenVerifier

_log = logging.getLogger(__name__)


async def start_identity(app: FastAPI, runtime: ServiceRuntime, settings: GatewaySettings) -> None:
    """Call once in the gateway's lifespan, after ``app.state.signing_keys`` is set.

    Puts the identity configuration on ``app.state.identity``, makes the gateway verify
    its own tokens against its key ring (no HTTP call to itself), and creates the first
    city admin when the settings name one.
    """
    # Building the hasher hashes its decoy: tens of milliseconds, kept off the event loop.
    hasher = await asyncio.to_thread(passwords.Passwords)
    config = IdentityConfig.from_settings(settings, passwords=hasher)
    app.state.identity = config
    app.state.token_verifier = TokenVerifier(
        keys=LocalFirstKeys(app, settings.jwks_url, client=runtime.http),
        issuer=settings.token_issuer,
        audience=settings.token_audience,
    )
    await ensure_first_admin(sessionmaker=runtime.sessionmaker, settings=settings, config=config)


async def ensure_first_admin(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: GatewaySettings,
    config: IdentityConfig,
) -> bool:
    """Create the city admin named by the settings unless that username exists.

    Idempotent, and safe when replicas start together (insert-if-absent). An existing
    account is left alone: its password may have been changed since. True if created.
    """
    username, password = settings.first_admin_username, settings.first_admin_password
    if not username and password is None:
        return False
    if not username or password is None:
        raise ValueError(
            "set both GATEWAY_FIRST_ADMIN_USERNAME and GATEWAY_FIRST_ADMIN_PASSWORD, or neither"
        )
    try:
        username = normalise_username(username)
        passwords.check_policy(password.get_secret_value())
    except ValueError as exc:
        raise ValueError(f"the first admin's settings are not valid: {exc}") from None
    async with sessionmaker.begin() as session:
        if await repository.username_taken(session=session, username=username):
            return False
        created = await repository.insert_staff_if_absent(
            session=session,
            account=Account(
                id=uuid.uuid4(),
                kind=AccountKind.STAFF,
                username=username,
                full_name=settings.first_admin_full_name,
                roles=[Role.CITY_ADMIN.value],
                password_hash=await config.passwords.hash(password.get_secret_value()),
            ),
        )
    if created:
        _log.info("created the first city admin account %r", username)
    return created
