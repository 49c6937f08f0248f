"""Agency clients the settings own (``GATEWAY_BOOTSTRAP_CLIENTS``), made to match them at
each start, so that a deployment gives one of the city's services its credentials (the
information service its ``identity:contacts:read`` client) with no administrator's step.

The settings are the truth for these clients: a secret that differs from the stored one is
a rotation (announced as a city admin's is, the replaced secret working on for the entry's
grace); scopes, name and agency are set to the settings' (a change of scopes is logged:
``identity.events`` has no type for it). Two things are never done: a
revoked client is not brought back (revocation is final; the operator names a new client
id), and a client dropped from the settings is left as it is (a city admin revokes it).
Safe when replicas start together: the row is inserted only if absent, then locked.
"""

import enum
import logging
from datetime import timedelta

from kota_gateway.identity.clients import repository, service
from kota_gateway.identity.clients.models import AgencyClient
from kota_gateway.identity.config import IdentityConfig
from kota_gateway.identity.settings import BootstrapClient
from kota_shared.transaction import Transaction

PROVISIONED_BY = "settings:GATEWAY_BOOTSTRAP_CLIENTS"
"""Who created or changed a client the settings own (``created_by``, the events' ``…_by``)."""

_log = logging.getLogger(__name__)


class Provisioned(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REVOKED = "revoked"
    """Revoked by a city admin, so left revoked: the settings' entry gives no access."""


async def provision(
    tx: Transaction, *, config: IdentityConfig, wanted: BootstrapClient
) -> Provisioned:
    """Create the client ``wanted`` describes, or bring it in line with it."""
    secret = wanted.secret.get_secret_value()
    client = await repository.get(tx.session, client_id=wanted.client_id, for_update=True)
    if client is None:
        client = AgencyClient(
            client_id=wanted.client_id,
            name=wanted.name or wanted.client_id,
            agency=wanted.agency,
            scopes=wanted.scopes,
            secret_hash=await config.passwords.hash(secret),
            created_by=PROVISIONED_BY,
            created_at=tx.now,
        )
        if await repository.insert_if_absent(tx.session, client=client):
            await service.announce_registration(tx, client=client)
            _log.info("created the agency client %r from the settings", client.client_id)
            return Provisioned.CREATED
        # Another gateway starting at the same moment inserted it: compare with theirs.
        client = await repository.get(tx.session, client_id=wanted.client_id, for_update=True)
        assert client is not None, "inserted by the other gateway, and never deleted"
    if not client.active:
        _log.error(
            "the agency client %r in GATEWAY_BOOTSTRAP_CLIENTS was revoked by a city admin and "
            "stays revoked; give the service a new client_id",
            client.client_id,
        )
        return Provisioned.REVOKED
    changed = False
    if not await config.passwords.verify(client.secret_hash, secret):
        await service.replace_secret(
            tx,
            config=config,
            client=client,
            secret=secret,
            grace=timedelta(seconds=wanted.rotation_grace_seconds),
            by=PROVISIONED_BY,
        )
        _log.info("rotated the secret of agency client %r from the settings", client.client_id)
        changed = True
    if sorted(client.scopes) != wanted.scopes:
        _log.warning(
            "agency client %r: scopes %s replaced by the settings' %s",
            client.client_id,
            " ".join(sorted(client.scopes)),
            " ".join(wanted.scopes),
        )
        client.scopes = wanted.scopes
        changed = True
    name = wanted.name or wanted.client_id
    if (client.name, client.agency) != (name, wanted.agency):
        client.name, client.agency = name, wanted.agency
        changed = True
    return Provisioned.UPDATED if changed else Provisioned.UNCHANGED
