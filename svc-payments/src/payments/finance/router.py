"""Finance officers' controls: the ledger's balance, refused reports, reconciliation."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kota_shared.db import DbSession
from kota_shared.openapi import answers
from kota_shared.pagination import PAGINATION_DESCRIPTION, Page
from kota_shared.transaction import CurrentTransaction
from payments.dependencies import FinanceOfficer, Settings
from payments.ledger import service as ledger
from payments.ledger.schemas import LedgerCheck
from payments.messages import _
from payments.problems import InvalidStatementFile
from payments.reconciliation import service as reconciliation
from payments.reconciliation.matching import ReconciliationReport
from payments.reconciliation.statement import STATEMENT_EXAMPLE, InvalidStatement, parse_statement
from payments.settlement import repository as settlement
from payments.settlement.schemas import AnomalyRead

router = APIRouter(prefix="/v1/payments", tags=["payments"])


@router.get(
    "/ledger/check",
    summary="Does the double-entry ledger balance?",
    description=(
        "Who may call: a finance officer (`finance_officer`). Totals per account and every "
        "invoice whose entries do not balance (there should be none). Strongly consistent."
    ),
)
async def check_ledger(tx: CurrentTransaction, officer: FinanceOfficer) -> LedgerCheck:
    return LedgerCheck.of(await ledger.audit(tx))


@router.get(
    "/anomalies",
    summary="Settlement reports that were refused (wrong amount, unknown reference)",
    description="Who may call: a finance officer. Newest first." + PAGINATION_DESCRIPTION,
)
async def list_anomalies(
    session: DbSession, officer: FinanceOfficer, page: Page, response: Response
) -> list[AnomalyRead]:
    found = await settlement.anomalies(
        session, after=page.after(*settlement.ANOMALY_KEY_TYPES), limit=page.fetch_size()
    )
    shown = page.answer(found, response, key=settlement.ANOMALY_ORDER.key)
    return [AnomalyRead.of(a, officer) for a in shown]


@router.post(
    "/reconciliations",
    summary="Reconcile the provider's settlement statement for a day against the ledger",
    responses=answers(InvalidStatementFile),
    description=(
        "Who may call: a finance officer. Send the provider's CSV statement as the body "
        "(`text/csv`). Lists every payment settled but never recorded, recorded but not "
        "settled, or recorded with another amount or reference. A malformed file is 422 "
        "`invalid_settlement_statement` with the problems by line."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/csv": {"schema": {"type": "string"}, "example": STATEMENT_EXAMPLE}},
        }
    },
)
async def reconcile_day(
    day: Annotated[
        date, Query(description="The statement's local date (the city's, PAYMENTS_TIMEZONE).")
    ],
    request: Request,
    tx: CurrentTransaction,
    officer: FinanceOfficer,
    settings: Settings,
) -> ReconciliationReport:
    try:
        statement = parse_statement((await request.body()).decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidStatementFile(_("The statement must be UTF-8 text.")) from None
    except InvalidStatement as exc:
        raise InvalidStatementFile(
            exc.detail, errors=[{"line": e.line, "message": e.message} for e in exc.errors]
        ) from None
    return await reconciliation.reconcile_day(
        tx, day=day, timezone=settings.timezone, statement=statement
    )
