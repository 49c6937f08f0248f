"""Agency clients loaded from the path's ``client_id``, or 404.

Only a city admin reads or changes agency clients, so the loaders ask for one themselves:
whatever order an endpoint lists its parameters in, a caller who may not ask is answered
401 or 403 before anyone learns whether the id exists.
"""

from typing import Annotated

from fastapi import Depends

from kota_gateway.identity.clients import repository
from kota_gateway.identity.clients.models import AgencyClient
from kota_gateway.identity.dependencies import CityAdmin
from kota_gateway.messages import _
from kota_shared.db import DbSession
from kota_shared.problems import NotFound


async def _load(session: DbSession, client_id: str, *, for_update: bool) -> AgencyClient:
    client = await repository.get(session, client_id=client_id, for_update=for_update)
    if client is None:
        raise NotFound(_("There is no agency client with this id."))
    return client


async def _any_client(client_id: str, session: DbSession, _admin: CityAdmin) -> AgencyClient:
    return await _load(session, client_id, for_update=False)


async def _any_client_for_update(
    client_id: str, session: DbSession, _admin: CityAdmin
) -> AgencyClient:
    return await _load(session, client_id, for_update=True)


AnyAgencyClient = Annotated[AgencyClient, Depends(_any_client)]
"""Any agency client, for the city admin."""
AnyAgencyClientForUpdate = Annotated[AgencyClient, Depends(_any_client_for_update)]
"""The same, row-locked until the request's transaction ends: a rotation and a revocation
of one client are decided one after the other."""
