"""Which account a token's ``sub`` names: a personal account's id, or `NotAPersonalAccount`
(an agency client's token names ``client:...``, which is no account)."""

import uuid

from kota_gateway.identity.accounts.problems import NotAPersonalAccount


def account_id(subject: str) -> uuid.UUID:
    try:
        return uuid.UUID(subject)
    except ValueError:
        raise NotAPersonalAccount() from None
