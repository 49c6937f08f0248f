"""``/v1/me/family-card``: a citizen's own family card, from the civil registry.

The one way into the registry for a service: education reads a parent's card by calling
this with the parent's own token, so no service can read a family it was not asked by."""

from fastapi import APIRouter, Response

from kota_contracts.family_cards import PATH, FamilyCard
from kota_gateway.identity.accounts.dependencies import OwnAccount
from kota_gateway.identity.accounts.models import AccountKind
from kota_gateway.identity.accounts.problems import NotAPersonalAccount
from kota_gateway.identity.dependencies import ClientAddress, Registry
from kota_gateway.identity.registry import family_cards, port
from kota_gateway.identity.registry.problems import (
    CitizensOnly,
    FamilyCardNotFound,
    RegistryUnavailable,
)
from kota_gateway.identity.registry.schemas import family_card_read
from kota_shared.auth import CurrentPrincipal
from kota_shared.openapi import answers

router = APIRouter(tags=["identity"])


@router.get(
    PATH,
    summary="Read my family card (KK) from the civil registry",
    description=(
        "Who may call: a citizen, for their own card (an officer acting for a citizen at a "
        "kiosk: that citizen's). Staff (`citizens_only`) and agency clients "
        "(`not_a_personal_account`): 403. Read from the civil "
        "registry (Dukcapil) at each call, audited: the card's number and issue date, its "
        "address with Kemendagri codes, and every member (NIK, name, date of birth, sex, "
        "relationship). 404 `family_card_not_found` when the registry lists none for the "
        "citizen's NIK; 503 `registry_unavailable` with `Retry-After` when it cannot answer."
    ),
    responses=answers(NotAPersonalAccount, CitizensOnly, FamilyCardNotFound, RegistryUnavailable),
)
async def read_my_family_card(
    account: OwnAccount,
    principal: CurrentPrincipal,
    registry: Registry,
    source: ClientAddress,
    response: Response,
) -> FamilyCard:
    response.headers["Cache-Control"] = "no-store"
    if account.kind != AccountKind.CITIZEN:
        raise CitizensOnly()
    inquiry = port.Inquiry(
        purpose=port.Purpose.FAMILY_CARD,
        asked_by=principal.subject,
        source=source,
        acting_officer=principal.acting_officer,
    )
    try:
        card = await family_cards.own_family_card(registry, account=account, inquiry=inquiry)
    except port.NotInRegistry:
        raise FamilyCardNotFound() from None
    except port.RegistryError:
        raise RegistryUnavailable() from None
    return family_card_read(card)
