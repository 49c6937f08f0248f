"""What the account endpoints receive by injection: the caller's own account, and the
officers who serve citizens (and so may act for one)."""

from typing import Annotated

from fastapi import Depends

from kota_gateway.identity.accounts import repository, subjects
from kota_gateway.identity.accounts.models import SERVICE_OFFICER_ROLES, Account
from kota_gateway.identity.accounts.problems import NotAPersonalAccount
from kota_shared.auth import CurrentPrincipal, Principal, Require
from kota_shared.db import DbSession

ServiceOfficer = Annotated[Principal, Depends(Require(roles=SERVICE_OFFICER_ROLES))]


async def _own_account(principal: CurrentPrincipal, session: DbSession) -> Account:
    account = await repository.get_account(
        session, account_id=subjects.account_id(principal.subject)
    )
    if account is None:
        raise NotAPersonalAccount()
    return account


OwnAccount = Annotated[Account, Depends(_own_account)]
"""The account the caller's token names (an officer acting for a citizen: the citizen's),
else 403 `NotAPersonalAccount` (an agency client's token, or an account since removed)."""
