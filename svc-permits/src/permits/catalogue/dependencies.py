"""The permit type named in the path, loaded or answered with 404."""

from typing import Annotated

from fastapi import Depends, Path

from kota_shared.problems import NotFound
from kota_shared.transaction import CurrentTransaction
from permits.catalogue import repository
from permits.catalogue.definition import PermitTypeDefinition
from permits.messages import _

TypeCode = Annotated[str, Path(pattern=r"^[A-Z][A-Z0-9_]{1,19}$", examples=["PBG"])]


async def _offered_type(code: TypeCode, tx: CurrentTransaction) -> PermitTypeDefinition:
    definition = await repository.get(tx.session, code=code)
    if definition is None or not definition.active:
        raise NotFound(_("There is no permit type with this code."))
    return definition


OfferedType = Annotated[PermitTypeDefinition, Depends(_offered_type)]
"""An active permit type; a withdrawn one is not found, as one that never existed."""
