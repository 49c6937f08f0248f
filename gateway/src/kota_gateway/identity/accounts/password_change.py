"""Changing one's own password, which ends every session of the account.

Like a sign-in, a wrong current password is *returned* as a `Problem` after being counted,
so the caller commits the count before answering.
"""

from kota_gateway.identity.accounts import lockout, repository, subjects
from kota_gateway.identity.accounts.problems import NotAPersonalAccount, WrongPassword
from kota_gateway.identity.config import IdentityConfig
from kota_shared.auth import Principal
from kota_shared.problems import Problem
from kota_shared.transaction import Transaction


async def change_password(
    tx: Transaction,
    *,
    config: IdentityConfig,
    by: Principal,
    current_password: str,
    new_password: str,
    source: str,
) -> Problem | None:
    """Replace the password and end every session of the account (all refresh families).

    Only the account holder, signed in themselves: an officer acting for a citizen may not.
    A wrong current password counts as a failed sign-in: a stolen access token must not
    become a way to guess the password without the lockout. Counted under the account's
    id (``account`` kind in `lockout`) and ``source``, the caller's address.
    """
    if by.acting_officer is not None:
        return NotAPersonalAccount()
    account = await repository.lock_account(tx.session, account_id=subjects.account_id(by.subject))
    if account is None:
        return NotAPersonalAccount()
    attempt = await lockout.begin(
        tx, digest=lockout.name_digest("account", str(account.id)), source=source
    )
    if isinstance(attempt, Problem):
        return attempt
    if not await config.passwords.verify(account.password_hash, current_password):
        return await lockout.failed(tx, attempt, policy=config.lockout) or WrongPassword()
    await lockout.succeeded(tx, attempt)
    account.password_hash = await config.passwords.hash(new_password)
    account.password_changed_at = tx.now
    await repository.revoke_families(
        tx.session, account_id=account.id, reason="password_changed", now=tx.now
    )
    return None
