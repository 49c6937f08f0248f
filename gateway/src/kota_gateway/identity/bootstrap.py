"""Identity at gateway start: the key ring, its configuration, local token verification,
the first admin, the agency clients the settings own, and two background jobs (the revoked
clients' refresh, the purge of stale sign-in failures)."""

import asyncio
import logging
import uuid
from collections.abc import Sequence
from functools import partial

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_contracts.access import Role
from kota_gateway.identity import passwords
from kota_gateway.identity.accounts import lockout, repository
from kota_gateway.identity.accounts.models import Account, AccountKind
from kota_gateway.identity.accounts.schemas import normalise_username
from kota_gateway.identity.clients import provisioning
from kota_gateway.identity.clients.revocations import RevokedClients
from kota_gateway.identity.config import IdentityConfig
from kota_gateway.identity.keys import SigningKeys
from kota_gateway.identity.registry.audit import AuditedRegistry
from kota_gateway.identity.registry.dukcapil import DukcapilRegistry
from kota_gateway.identity.settings import IdentitySettings
from kota_gateway.identity.tokens import LocalFirstKeys
from kota_shared.app import ServiceRuntime
from kota_shared.auth import TokenVerifier
from kota_shared.periodic import every

_log = logging.getLogger(__name__)

PURGE_SIGN_IN_FAILURES_SECONDS = 3600


async def start_identity(
    app: FastAPI,
    runtime: ServiceRuntime,
    settings: IdentitySettings,
    *,
    trusted_proxies: Sequence[str] = (),
) -> None:
    """Call once in the gateway's lifespan.

    Loads the key ring onto ``app.state.signing_keys`` (where a rotation replaces it), puts
    the identity configuration on ``app.state.identity`` and the audited civil registry on
    ``app.state.civil_registry``, makes the gateway verify its own tokens against its key
    ring (no HTTP call to itself), creates the first city admin when the settings name
    one, and provisions the agency clients they list (``GATEWAY_BOOTSTRAP_CLIENTS``).
    Issuer, audience and JWKS are every service's settings; ``trusted_proxies`` is the
    edge's (the caller's address counts failed sign-ins).

    Starts, on the runtime's supervisor, the refresh of ``app.state.revoked_clients`` (read
    by the edge, `kota_gateway.edge.revocations`) and the hourly purge of stale sign-in
    failures.
    """
    app.state.signing_keys = SigningKeys.load_or_create(settings.signing_key_dir)
    # Building the hasher hashes its decoy: tens of milliseconds, kept off the event loop.
    hasher = await asyncio.to_thread(passwords.Passwords)
    service = runtime.settings
    config = IdentityConfig.from_settings(
        settings,
        issuer=service.token_issuer,
        audience=service.token_audience,
        passwords=hasher,
        trusted_proxies=trusted_proxies,
    )
    app.state.identity = config
    app.state.civil_registry = AuditedRegistry(
        DukcapilRegistry(settings, client=runtime.http),
        sessionmaker=runtime.sessionmaker,
        clock=runtime.clock,
        daily_quota=settings.registry_daily_quota,
        timezone=settings.registry_timezone,
    )
    if not settings.registry_url:
        _log.warning("GATEWAY_REGISTRY_URL is not set: citizens cannot be verified or registered")
    app.state.token_verifier = TokenVerifier(
        keys=LocalFirstKeys(app, service.jwks_url, client=runtime.http),
        issuer=service.token_issuer,
        audience=service.token_audience,
    )
    await ensure_first_admin(sessionmaker=runtime.sessionmaker, settings=settings, config=config)
    await provision_bootstrap_clients(runtime, settings=settings, config=config)
    revoked = RevokedClients()
    app.state.revoked_clients = revoked
    await revoked.refresh(runtime.sessionmaker)  # before the first request is served
    runtime.supervisor.start(
        "revoked-clients",
        every(
            settings.revoked_clients_refresh_seconds, partial(revoked.refresh, runtime.sessionmaker)
        ),
    )
    runtime.supervisor.start(
        "sign-in-failures-purge",
        every(PURGE_SIGN_IN_FAILURES_SECONDS, partial(_purge_sign_in_failures, runtime, config)),
    )


async def provision_bootstrap_clients(
    runtime: ServiceRuntime, *, settings: IdentitySettings, config: IdentityConfig
) -> dict[str, provisioning.Provisioned]:
    """Create or bring up to date each client of ``GATEWAY_BOOTSTRAP_CLIENTS``, each in a
    transaction of its own (its events with it); what became of each, by client id."""
    outcomes = {}
    for wanted in settings.bootstrap_clients:
        async with runtime.sessionmaker.begin() as session:
            outcomes[wanted.client_id] = await provisioning.provision(
                runtime.transaction(session), config=config, wanted=wanted
            )
    return outcomes


async def _purge_sign_in_failures(runtime: ServiceRuntime, config: IdentityConfig) -> int:
    async with runtime.sessionmaker.begin() as session:
        return await lockout.purge_stale(runtime.transaction(session), policy=config.lockout)


async def ensure_first_admin(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: IdentitySettings,
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
        if await repository.username_taken(session, username=username):
            return False
        created = await repository.insert_staff_if_absent(
            session,
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
