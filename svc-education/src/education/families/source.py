"""Where education learns a parent's family: the gateway's ``GET /v1/me/family-card``.

Called with the caller's own ``Authorization`` header, so the gateway answers only the family
card of the citizen whose token it is (an officer at a kiosk: the citizen they serve);
education never holds a key to the civil registry and can read no other family. The answer is
read with the contracts package's model; anything else is `FamilyCardUnavailable`, never a
guess.
"""

from typing import Protocol

import httpx
from pydantic import ValidationError

from education.problems import FamilyCardNotFound, FamilyCardUnavailable
from kota_contracts.family_cards import FamilyCard


class FamilyCards(Protocol):
    async def of_caller(self, authorization: str) -> FamilyCard:
        """The caller's family card; `FamilyCardNotFound` or `FamilyCardUnavailable` if not."""
        ...


class GatewayFamilyCards:
    def __init__(self, *, url: str, client: httpx.AsyncClient, timeout_seconds: float) -> None:
        self._url = url
        self._client = client
        self._timeout = timeout_seconds

    async def of_caller(self, authorization: str) -> FamilyCard:
        try:
            response = await self._client.get(
                self._url, headers={"Authorization": authorization}, timeout=self._timeout
            )
        except httpx.HTTPError:
            raise FamilyCardUnavailable() from None
        # 404: the registry lists no card for the citizen; 403: the token names no citizen's
        # account the gateway holds (an account since removed). Either way: no family here.
        if response.status_code in (403, 404):
            raise FamilyCardNotFound()
        if response.status_code != 200:
            raise FamilyCardUnavailable()
        try:
            return FamilyCard.model_validate_json(response.content)
        except ValidationError:
            raise FamilyCardUnavailable() from None
