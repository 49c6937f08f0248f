"""The dashboard's first page: every service at a glance, for a phone or a wall screen.

The headline figures of each service, the charts officials watch (permits over time and
against their deadlines, the backlog by age, revenue, clinic and school volumes, the share
served at kiosks) and the newest alerts; each section links to its service's page.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from monitoring.dashboard import alerts, bookings, payments, permits, registrations
from monitoring.filters import Period
from monitoring.messages import _
from monitoring.pages.charts import Chart, Series
from monitoring.pages.tiles import Tile
from monitoring.reach import figures as reach

NEWEST_ALERTS = 5
SERVICE_NAMES = {
    "permits": _("Permits"),
    "payments": _("Payments"),
    "health": _("Clinics"),
    "education": _("Schools"),
    "identity": _("Accounts"),
}


@dataclass(frozen=True)
class Overview:
    permits: permits.PermitsPage
    payments: Sequence[Tile]
    revenue: Chart
    clinics: Sequence[Tile]
    clinic_places: Chart
    schools: Sequence[Tile]
    school_pathways: Chart
    admission_year: int
    reach: Chart
    alerts: Sequence[Mapping[str, Any]]


async def page(
    session: AsyncSession,
    *,
    period: Period,
    now: datetime,
    districts: Mapping[str, str],
    admission_year: int,
) -> Overview:
    permits_page = await permits.page(
        session, period=period, now=now, scope=permits.PermitScope(), districts=districts
    )
    payments_page = await payments.page(session, period=period)
    clinics = await bookings.page(session, period=period)
    schools = await registrations.page(session, admission_year=admission_year)
    shares = await reach.assisted_shares(session, period, by_kecamatan=False, service=None)
    return Overview(
        permits=permits_page,
        payments=[t for t in payments_page.tiles if t.key in ("revenue", "paid", "expired")],
        revenue=payments_page.revenue,
        clinics=[t for t in clinics.tiles if t.key in ("booked", "active", "fill_rate")],
        clinic_places=clinics.per_facility,
        schools=[t for t in schools.tiles if t.key in ("active", "fill_rate")],
        school_pathways=schools.per_pathway,
        admission_year=admission_year,
        reach=Chart(
            key="reach",
            title=_("Served at a kiosk, share of each service's transactions"),
            labels=[SERVICE_NAMES.get(row["service"], row["service"]) for row in shares],
            horizontal=True,
            series=[
                Series(
                    _("Assisted"),
                    [row["assisted_share"] for row in shares],
                    axis="share",
                    tone="violet",
                )
            ],
        ),
        alerts=await alerts.newest(session, limit=NEWEST_ALERTS),
    )
