"""``/v1/identity/contacts``: how to reach a person, for the city's own services only."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from kota_contracts.access import Scope
from kota_contracts.contacts import LOOKUP_PATH, PATH, Contact, ContactLookup, ContactLookupResult
from kota_gateway.identity.contacts import service
from kota_gateway.identity.contacts.problems import AccountNotFound
from kota_gateway.identity.dependencies import ClientAddress, Runtime
from kota_shared.auth import Principal, Require
from kota_shared.openapi import answers
from kota_shared.transaction import CurrentTransaction

router = APIRouter(tags=["identity"])

ContactReader = Annotated[Principal, Depends(Require(scopes={Scope.IDENTITY_CONTACTS_READ}))]
"""A client token holding ``identity:contacts:read``; anyone else 403 ``forbidden``."""

_WHO = (
    "Who may call: a client token (OAuth2 client credentials) holding `identity:contacts:read`, "
    "which only the city's own services are given (information, to send a notice). Citizens, "
    "officers and clients without the scope: 403 `forbidden`. "
)
_HOW = (
    " Strongly consistent (read from identity's own records at each call). Every id asked "
    "for is audited (`contact_reads`: who, whose, when, from where; never the phone). "
    "Keep the answer no longer than the send that needs it; never put it on a topic."
)


@router.get(
    PATH,
    summary="Read one account's contact details (internal)",
    description=(
        _WHO + "Answers the account's kind, phone (E.164 or null), whether an officer "
        "registered it at a kiosk, its district (`kecamatan_code`) and preferred language "
        "(null: identity keeps none). No account with the id: 404 `account_not_found`." + _HOW
    ),
    responses=answers(AccountNotFound),
)
async def read_contact(
    account_id: uuid.UUID,
    reader: ContactReader,
    runtime: Runtime,
    source: ClientAddress,
    response: Response,
) -> Contact:
    response.headers["Cache-Control"] = "no-store"
    # Owns its transaction: the read of an id nobody has is still recorded, then refused.
    async with runtime.sessionmaker.begin() as session:
        found = await service.look_up(
            runtime.transaction(session), account_ids=[account_id], reader=reader, source=source
        )
    if not found.contacts:
        raise AccountNotFound()
    return found.contacts[0]


@router.post(
    LOOKUP_PATH,
    summary="Read several accounts' contact details in one call (internal)",
    description=(
        _WHO + "Up to 100 account ids; answers the contacts of those that exist (in the "
        "order asked, each once) and lists the others in `unknown`, never a 404. Cheaper "
        "than one call each, and counted once against the caller's `write` rate limit." + _HOW
    ),
)
async def look_up_contacts(
    body: ContactLookup,
    reader: ContactReader,
    tx: CurrentTransaction,
    source: ClientAddress,
    response: Response,
) -> ContactLookupResult:
    response.headers["Cache-Control"] = "no-store"
    return await service.look_up(tx, account_ids=body.account_ids, reader=reader, source=source)
