"""The revoked agency clients, whose access tokens the gateway refuses at the edge.

A client token lasts 15 minutes and every service verifies it by its signature alone, so
revoking a client would leave its tokens working until they expire. Instead of shorter
tokens (which would make every agency fetch one every minute, and still leave a minute),
each gateway keeps the set of revoked clients, re-read every
``revoked_clients_refresh_seconds`` (2 by default), and its edge refuses any token whose
``sub`` names one (`kota_gateway.edge.revocations`). Every request from outside passes a
gateway, and the services are not published, so within seconds on every replica no
request carries such a token any more. Revocation is final (a client is never restored),
so the set only grows, and reading it is one indexed query of a small table.
"""

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_gateway.identity.clients import repository
from kota_gateway.identity.clients.service import SUBJECT_PREFIX

_log = logging.getLogger(__name__)


class RevokedClients:
    """The ``sub`` of every revoked client's tokens (``client:<id>``), refreshed from the
    database; ``in`` is all the edge asks of it."""

    def __init__(self) -> None:
        self.subjects: frozenset[str] = frozenset()

    def __contains__(self, subject: object) -> bool:
        return subject in self.subjects

    def __bool__(self) -> bool:
        return bool(self.subjects)

    async def refresh(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        """Re-read the set. On failure the last one is kept (revocations never undo)."""
        async with sessionmaker() as session:
            ids = await repository.revoked_client_ids(session)
        subjects = frozenset(SUBJECT_PREFIX + client_id for client_id in ids)
        if len(subjects) != len(self.subjects):
            _log.info("%d agency clients are revoked", len(subjects))
        self.subjects = subjects
