"""Who may call the information API: the roles its endpoints admit, as typed dependencies."""

import uuid
from typing import Annotated

from fastapi import Depends

from information.messages import _
from kota_contracts.access import Role
from kota_shared.auth import Principal, Require
from kota_shared.problems import Forbidden

Person = Annotated[Principal, Depends(Require(roles=set(Role)))]
"""Anyone signed in (a citizen, an officer at a kiosk holding a citizen's token, or staff):
each reads their own notices. An agency client's token has no role, so no inbox."""
Citizen = Annotated[Principal, Depends(Require(roles={Role.CITIZEN}))]
"""A signed-in citizen, or an officer at a kiosk holding a token for one."""


def account_id(principal: Principal) -> uuid.UUID:
    """The caller's account id: the gateway's tokens name accounts by UUID, so a token
    naming anything else (signed, but not by the gateway's sign-in) has no inbox here."""
    return _account(principal.subject)


def acting_officer_id(principal: Principal) -> uuid.UUID | None:
    """The kiosk officer of an assisted session, if it is one."""
    officer = principal.acting_officer
    return None if officer is None else _account(officer)


def _account(subject: str) -> uuid.UUID:
    try:
        return uuid.UUID(subject)
    except ValueError:
        raise Forbidden(_("This token does not name a Kota LIVE account.")) from None
