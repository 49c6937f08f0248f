"""Reading contacts: the accounts asked for, every read audited and logged, never the phone
in the audit or the log.

The audit rows are written in the caller's transaction, which the endpoint commits before it
answers: no contact leaves the gateway unrecorded, and an id nobody has is recorded too.
"""

import logging
import uuid
from collections.abc import Sequence

from kota_contracts.contacts import Contact, ContactLookupResult
from kota_gateway.identity.accounts.models import Account
from kota_gateway.identity.contacts import repository
from kota_gateway.identity.contacts.models import ContactRead
from kota_shared.auth import Principal
from kota_shared.transaction import Transaction

_log = logging.getLogger(__name__)


def contact_of(account: Account) -> Contact:
    return Contact(
        account_id=account.id,
        kind=account.kind.value,
        phone=account.phone,
        registered_at_kiosk=account.registered_by is not None,
        kecamatan_code=account.kecamatan_code,
        # Identity records no language choice; the field is in the contract for when it does.
        preferred_language=None,
    )


async def look_up(
    tx: Transaction, *, account_ids: Sequence[uuid.UUID], reader: Principal, source: str
) -> ContactLookupResult:
    """The contacts of ``account_ids`` (each once, in the order asked) and the ids no
    account has; each id asked for is audited as read by ``reader`` from ``source``."""
    asked = list(dict.fromkeys(account_ids))
    found = {
        account.id: account for account in await repository.accounts(tx.session, account_ids=asked)
    }
    repository.record_reads(
        tx.session,
        [
            ContactRead(
                read_at=tx.now,
                read_by=reader.subject[:64],
                account_id=account_id,
                found=account_id in found,
                source=source[:64],
            )
            for account_id in asked
        ],
    )
    unknown = [account_id for account_id in asked if account_id not in found]
    _log.info(
        "contacts read",
        extra={
            "read_by": reader.subject,
            "account_ids": [str(account_id) for account_id in asked],
            "unknown_account_ids": [str(account_id) for account_id in unknown],
        },
    )
    return ContactLookupResult(
        contacts=[contact_of(found[account_id]) for account_id in asked if account_id in found],
        unknown=unknown,
    )
