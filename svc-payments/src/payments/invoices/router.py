"""Endpoints for citizens' invoices."""

from typing import Annotated

from fastapi import APIRouter, Depends

from kota_shared.auth import Principal, Require
from kota_shared.db import DbSession
from payments.invoices import repository
from payments.invoices.schemas import InvoiceRead

router = APIRouter(prefix="/v1/payments/invoices", tags=["payments"])

Citizen = Annotated[Principal, Depends(Require(roles={"citizen"}))]


@router.get(
    "",
    summary="List your invoices",
    description=(
        "Who may call: a signed-in citizen, for themselves; each sees only the invoices they "
        "owe. Soonest due first. Strongly consistent."
    ),
)
async def list_invoices(session: DbSession, citizen: Citizen) -> list[InvoiceRead]:
    invoices = await repository.list_owned(session=session, payer_id=citizen.subject)
    return [InvoiceRead.model_validate(i) for i in invoices]
