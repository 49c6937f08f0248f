"""The invoice a path names, loaded for the caller or answered with 404."""

import uuid
from typing import Annotated

from fastapi import Depends

from kota_contracts.access import Role
from kota_shared.db import DbSession
from kota_shared.problems import NotFound
from kota_shared.transaction import CurrentTransaction
from payments.dependencies import CitizenOrFinance, FinanceOfficer
from payments.invoices import repository, service
from payments.invoices.models import Invoice
from payments.messages import _


async def _visible(session: DbSession, caller: CitizenOrFinance, invoice_id: uuid.UUID) -> Invoice:
    """The invoice if the caller may see it: its payer, or a finance officer. Anyone else's
    is answered as if it did not exist, so ids cannot be probed."""
    invoice = await repository.get(session, invoice_id=invoice_id)
    if invoice is None or not (
        caller.has_role(Role.FINANCE_OFFICER) or invoice.payer_id == caller.subject
    ):
        raise NotFound(_("No invoice with this id is addressed to you."))
    return invoice


async def _any_for_update(
    _officer: FinanceOfficer, tx: CurrentTransaction, invoice_id: uuid.UUID
) -> Invoice:
    return await service.locked(tx, invoice_id=invoice_id)


VisibleInvoice = Annotated[Invoice, Depends(_visible)]
"""Its payer's, or any for a finance officer."""
AnyInvoiceForUpdate = Annotated[Invoice, Depends(_any_for_update)]
"""Any invoice, for a finance officer to change: its row locked until the request commits."""
