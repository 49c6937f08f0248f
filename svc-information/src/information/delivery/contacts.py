"""Citizens' phone numbers, read from the gateway's identity at the moment of sending.

Information keeps no phone: each batch of sends asks identity's internal contact API
(``identity:contacts:read``, as an OAuth2 client of the gateway) for the numbers of its
recipients, and the answer lives no longer than that batch.
"""

import uuid
from collections.abc import Mapping, Sequence

import httpx
from pydantic import ValidationError

from kota_contracts.access import Scope
from kota_contracts.contacts import LOOKUP_PATH, MAX_LOOKUP, ContactLookupResult
from kota_shared.client_credentials import ClientCredentialsAuth

TOKEN_PATH = "/v1/auth/clients/token"  # noqa: S105 - a path, not a secret
"""The gateway's OAuth2 token endpoint (client credentials)."""


class ContactsUnavailable(Exception):
    """Identity could not be asked (down, refusing our client, an unreadable answer): the
    sends wait and are tried again."""


class ContactBook:
    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        gateway_url: str,
        client_id: str,
        client_secret: str,
        timeout_seconds: float,
    ) -> None:
        base = gateway_url.rstrip("/")
        self._http = http
        self._url = base + LOOKUP_PATH
        self._timeout = timeout_seconds
        self._auth = ClientCredentialsAuth(
            token_url=base + TOKEN_PATH,
            client_id=client_id,
            client_secret=client_secret,
            http=http,
            scopes=[Scope.IDENTITY_CONTACTS_READ],
            timeout_seconds=timeout_seconds,
        )

    async def phones(self, account_ids: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, str | None]:
        """Each account's phone (E.164), None for one that has none or that identity does
        not know; raises `ContactsUnavailable` if identity cannot be asked."""
        found: dict[uuid.UUID, str | None] = {}
        asked = list(dict.fromkeys(account_ids))
        for chunk in (asked[i : i + MAX_LOOKUP] for i in range(0, len(asked), MAX_LOOKUP)):
            try:
                response = await self._http.post(
                    self._url,
                    json={"account_ids": [str(account_id) for account_id in chunk]},
                    auth=self._auth,
                    timeout=self._timeout,
                )
            except httpx.HTTPError as exc:  # the token endpoint's refusals included
                raise ContactsUnavailable(f"identity cannot be asked: {exc!r}") from exc
            if response.status_code != httpx.codes.OK:
                raise ContactsUnavailable(f"identity answered {response.status_code}")
            try:
                result = ContactLookupResult.model_validate_json(response.content)
            except ValidationError as exc:
                raise ContactsUnavailable("identity's answer is not a contact lookup") from exc
            found.update({contact.account_id: contact.phone for contact in result.contacts})
            found.update(dict.fromkeys(result.unknown))
        return found
