"""Endpoints for invoices, payments and revenue."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from kota_shared.db import DbSession
from monitoring.dependencies import WHO_READS, Viewer
from monitoring.export import Format, FormatQuery, rows_response
from monitoring.filters import PERIOD_ANSWERS, PeriodQuery
from monitoring.payments import figures
from monitoring.payments.figures import PaymentGrouping
from monitoring.payments.schemas import PaymentSummary, RevenueByItem

router = APIRouter(prefix="/v1/monitoring/payments", tags=["monitoring"])


@router.get(
    "",
    summary="Invoices and revenue, per source, day or month",
    description="Invoices opened, paid (and the share paid before the due time), expired, "
    "cancelled, refunds, anomalies, and revenue per channel. " + WHO_READS,
    response_model=list[PaymentSummary],
    responses=PERIOD_ANSWERS,
)
async def payments(
    session: DbSession,
    viewer: Viewer,
    period: PeriodQuery,
    format: FormatQuery = Format.JSON,
    group_by: PaymentGrouping = PaymentGrouping.DAY,
    source: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    rows = await figures.summary(session, period, group_by, source)
    return rows_response(
        [PaymentSummary.model_validate(row) for row in rows],
        PaymentSummary,
        format=format,
        name=f"payments-{period.since}-{period.until}",
    )


@router.get(
    "/revenue",
    summary="Revenue per permit type (or source) and channel",
    description="Fees received in the period, by what they were for. " + WHO_READS,
    response_model=list[RevenueByItem],
    responses=PERIOD_ANSWERS,
)
async def revenue(
    session: DbSession, viewer: Viewer, period: PeriodQuery, format: FormatQuery = Format.JSON
) -> Response:
    rows = await figures.revenue_by_permit_type(session, period)
    return rows_response(
        [RevenueByItem.model_validate(row) for row in rows],
        RevenueByItem,
        format=format,
        name=f"revenue-{period.since}-{period.until}",
    )
