"""A family card as its holder reads it: the card the civil registry holds, whole (every
member's NIK is printed on the paper card the family keeps), in the shape the contracts
package defines for every service that reads it (`kota_contracts.family_cards`)."""

from kota_contracts.family_cards import FamilyCard, FamilyCardAddress, FamilyCardMember
from kota_gateway.identity.registry import port


def family_card_read(card: port.FamilyCard) -> FamilyCard:
    return FamilyCard(
        number=card.number,
        issued_on=card.issued_on,
        address=FamilyCardAddress(**vars(card.address)),
        members=[
            FamilyCardMember(**{**vars(member), "sex": member.sex.value}) for member in card.members
        ],
    )
