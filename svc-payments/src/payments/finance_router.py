"""Finance officers' controls: the ledger's balance, refused reports, reconciliation."""

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict

from kota_shared.db import DbSession
from payments.dependencies import FinanceOfficer
from payments.ledger import repository as ledger
from payments.problems import InvalidStatementFile
from payments.reconciliation.matching import ReconciliationReport, RecordedPayment, reconcile
from payments.reconciliation.statement import InvalidStatement, parse_statement
from payments.settlement import repository as settlement

router = APIRouter(prefix="/v1/payments", tags=["payments"])


class UnbalancedInvoice(BaseModel):
    invoice_id: uuid.UUID
    debit: int
    credit: int


class LedgerCheck(BaseModel):
    balanced: bool
    """Debits equal credits in total and for every invoice."""
    total_debit: int
    total_credit: int
    balances: dict[str, int]
    unbalanced_invoices: list[UnbalancedInvoice]


class AnomalyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    provider_transaction_id: str
    channel: str
    reference: str
    amount_rupiah: int
    expected_rupiah: int | None
    invoice_id: uuid.UUID | None
    flagged_at: datetime


@router.get(
    "/ledger/check",
    summary="Does the double-entry ledger balance?",
    description=(
        "Who may call: a finance officer (`finance_officer`). Totals per account and every "
        "invoice whose entries do not balance (there should be none). Strongly consistent."
    ),
)
async def check_ledger(session: DbSession, officer: FinanceOfficer) -> LedgerCheck:
    totals = await ledger.trial_balance(session=session)
    unbalanced = await ledger.unbalanced_invoices(session=session)
    return LedgerCheck(
        balanced=totals.balanced and not unbalanced,
        total_debit=totals.total_debit,
        total_credit=totals.total_credit,
        balances=dict(totals.balances),
        unbalanced_invoices=[
            UnbalancedInvoice(invoice_id=i, debit=d, credit=c) for i, d, c in unbalanced
        ],
    )


@router.get(
    "/anomalies",
    summary="Settlement reports that were refused (wrong amount, unknown reference)",
    description="Who may call: a finance officer. Newest first.",
)
async def list_anomalies(
    session: DbSession, officer: FinanceOfficer, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[AnomalyRead]:
    return [AnomalyRead.model_validate(a) for a in await settlement.anomalies(session, limit=limit)]


@router.post(
    "/reconciliations",
    summary="Reconcile the provider's settlement statement for a day against the ledger",
    description=(
        "Who may call: a finance officer. Send the provider's CSV statement as the body "
        "(`text/csv`). Lists every payment settled but never recorded, recorded but not "
        "settled, or recorded with another amount or reference. A malformed file is 422 "
        "with the problems by line."
    ),
    openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def reconcile_day(
    day: Annotated[
        date, Query(description="The statement's local date (the city's, PAYMENTS_TIMEZONE).")
    ],
    request: Request,
    session: DbSession,
    officer: FinanceOfficer,
) -> ReconciliationReport:
    try:
        statement = parse_statement((await request.body()).decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidStatementFile("The statement must be UTF-8 text.") from None
    except InvalidStatement as exc:
        raise InvalidStatementFile(
            str(exc), errors=[{"line": e.line, "message": e.message} for e in exc.errors]
        ) from None
    recorded = [
        RecordedPayment(
            provider_transaction_id=p.provider_transaction_id,
            amount=p.amount_rupiah,
            channel=p.channel.value,
            reference=p.reference,
        )
        for p in await settlement.paid_on(session, day, request.app.state.runtime.settings.timezone)
    ]
    return reconcile(statement, recorded)
