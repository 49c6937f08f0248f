"""The caller's family card, for the endpoints that need it (registering a child)."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from education.families.source import FamilyCards
from kota_contracts.family_cards import FamilyCard


@dataclass(frozen=True)
class CallersFamilyCard:
    """Read when the endpoint asks, not as a dependency: a body the service refuses, or a
    retry answered from its idempotency key, costs no call to the civil registry."""

    source: FamilyCards
    authorization: str

    async def read(self) -> FamilyCard:
        return await self.source.of_caller(self.authorization)


def _callers_family_card(request: Request) -> CallersFamilyCard:
    # Declared after the role check (the endpoint's Citizen comes first), so the header is
    # a verified citizen's bearer token.
    return CallersFamilyCard(
        source=request.app.state.family_cards, authorization=request.headers["authorization"]
    )


CallersCard = Annotated[CallersFamilyCard, Depends(_callers_family_card)]
"""The family card the civil registry lists the caller on, read through the gateway."""
