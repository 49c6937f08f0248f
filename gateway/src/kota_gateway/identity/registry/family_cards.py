"""A citizen's own family card, read from the civil registry each time it is asked for:
the card changes (a birth, a marriage, a move) and the registry is its only source."""

from kota_gateway.identity.accounts.models import Account
from kota_gateway.identity.registry import port


async def own_family_card(
    registry: port.CivilRegistry, *, account: Account, inquiry: port.Inquiry
) -> port.FamilyCard:
    """The card the registry lists ``account``'s NIK on; `NotInRegistry` if none (or the
    account has no NIK: staff), `RegistryError` if the registry cannot answer."""
    if account.nik is None:
        raise port.NotInRegistry
    person = await registry.person(account.nik, inquiry=inquiry)
    card = await registry.family_card(person.family_card_number, inquiry=inquiry)
    if card.member(account.nik) is None:  # the person's record and the card disagree
        raise port.NotInRegistry
    return card
