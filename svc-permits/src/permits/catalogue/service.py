"""The catalogue's operations: what the city offers, and an admin's definition of a type."""

from collections.abc import Sequence

from kota_shared.auth import Principal
from kota_shared.transaction import Transaction
from permits.catalogue import repository
from permits.catalogue.definition import PermitTypeDefinition
from permits.messages import _
from permits.problems import UnknownPermitType


async def offered_types(tx: Transaction) -> Sequence[PermitTypeDefinition]:
    """The active types, by code; withdrawn ones are the admin's business only."""
    return await repository.list_all(tx.session, include_inactive=False)


async def offered(tx: Transaction, *, code: str) -> PermitTypeDefinition:
    """The type an application is started or submitted for; 422 unless the city offers it."""
    definition = await repository.get(tx.session, code=code)
    if definition is None or not definition.active:
        raise UnknownPermitType(
            _("The city does not offer a permit type with code {code}.", code=code)
        )
    return definition


async def save(tx: Transaction, *, definition: PermitTypeDefinition, by: Principal) -> bool:
    """Create or replace a type, as ``by`` defined it; True when it was new."""
    return await repository.save(tx.session, definition=definition, updated_by=by.subject)
