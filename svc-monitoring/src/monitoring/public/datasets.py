"""The open datasets: what each holds, column by column, and its rows, small cells suppressed.

Every figure comes from the read models' figure functions (the dashboard's and the API's),
aggregated by month, permit type, district, or school level and pathway; no dataset has
an id, a name, or a row per person. Each declares which of its columns are counts, which
figures are computed from one (suppressed with it), and which totals of its rows are
published elsewhere (`monitoring.public.suppression`).
"""

from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.i18n import Message
from monitoring.education import figures as education
from monitoring.filters import Period
from monitoring.health import figures as health
from monitoring.messages import _
from monitoring.payments import figures as payments
from monitoring.payments.figures import PaymentGrouping
from monitoring.permits import figures as permits
from monitoring.permits.figures import PermitFilters, PermitGrouping
from monitoring.public.suppression import suppress

ColumnType = Literal["date", "string", "integer", "number"]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: Message
    unit: Message | None = None
    suppressible: bool = False


@dataclass(frozen=True)
class Scope:
    """What the public figures cover: whole months of the city's days, in one admission
    year, in one city."""

    period: Period
    admission_year: int
    districts: Mapping[str, str]
    minimum: int

    def months(self) -> list[Period]:
        """The period's months, the first and last cut to the period."""
        found = []
        month = self.period.since.replace(day=1)
        while month <= self.period.until:
            following = (month + timedelta(days=32)).replace(day=1)
            found.append(
                Period(
                    since=max(month, self.period.since),
                    until=min(following - timedelta(days=1), self.period.until),
                )
            )
            month = following
        return found


Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Dataset:
    identifier: str
    title: Message
    description: Message
    columns: Sequence[Column]
    rows_of: Callable[[AsyncSession, Scope], Awaitable[Rows]]
    counts: Sequence[str] = ()
    derived: Mapping[str, str] = field(default_factory=dict)
    margins: Sequence[str | None] = ()
    reference_columns: Sequence[str] = ()
    """Columns whose values are codes from a published code list (the districts')."""

    async def rows(self, session: AsyncSession, scope: Scope) -> Rows:
        """The dataset's rows, in its columns' order, small cells suppressed."""
        raw = await self.rows_of(session, scope)
        ordered = [{column.name: row.get(column.name) for column in self.columns} for row in raw]
        return suppress(
            ordered,
            minimum=scope.minimum,
            counts=self.counts,
            derived=self.derived,
            margins=self.margins,
        )


_MONTH = Column("month", "date", _("The month (its first day, ISO 8601: 2026-03-01)."))
_RECEIVED = Column(
    "received",
    "integer",
    _("Applications submitted in the month (first submissions; a resubmission after a "
      "revision is not counted again)."),
    unit=_("applications"),
    suppressible=True,
)  # fmt: skip
_DECIDED = Column(
    "decided",
    "integer",
    _("Applications decided in the month: approved (also by fiktif positif, when no "
      "decision came in time) or rejected."),
    unit=_("applications"),
    suppressible=True,
)  # fmt: skip
_ISSUED = Column(
    "issued", "integer", _("Permits issued in the month."), unit=_("permits"), suppressible=True
)
_ON_TIME = Column(
    "on_time_share",
    "number",
    _("Of the applications decided, the share whose every stage with the city closed "
      "before its deadline (0 to 1)."),
    suppressible=True,
)  # fmt: skip
_MEDIAN = Column(
    "median_working_days",
    "integer",
    _("Of the applications decided, the median of the working days they spent with the "
      "city (the applicant's time revising is not counted)."),
    unit=_("working days"),
    suppressible=True,
)  # fmt: skip
_PERMIT_FIGURES = (_RECEIVED, _DECIDED, _ISSUED, _ON_TIME, _MEDIAN)
_PERMIT_COUNTS = ("received", "decided", "issued")
_PERMIT_DERIVED = {"on_time_share": "decided", "median_working_days": "decided"}


def permit_figures(row: Mapping[str, Any]) -> dict[str, Any]:
    """A service-levels row as the public reads it (the decided are the base of the share
    and the median)."""
    return {
        "received": row["received"],
        "decided": row["end_to_end_closed"],
        "issued": row["issued"],
        "on_time_share": row["end_to_end_compliance"],
        "median_working_days": row["end_to_end_p50_working_days"],
    }


async def _per_month(
    session: AsyncSession, scope: Scope, grouping: PermitGrouping
) -> list[tuple[Period, list[dict[str, Any]]]]:
    return [
        (month, await permits.service_levels(session, PermitFilters(month), grouping))
        for month in scope.months()
    ]


async def _permits_by_type(session: AsyncSession, scope: Scope) -> Rows:
    return [
        {"month": month.since.replace(day=1).isoformat(), "permit_type": row["permit_type"]}
        | permit_figures(row)
        for month, rows in await _per_month(session, scope, PermitGrouping.PERMIT_TYPE)
        for row in rows
    ]


async def _permits_by_district(session: AsyncSession, scope: Scope) -> Rows:
    return [
        {
            "month": month.since.replace(day=1).isoformat(),
            "kecamatan_code": row["kecamatan"],
            "kecamatan_name": scope.districts.get(row["kecamatan"]),
        }
        | permit_figures(row)
        for month, rows in await _per_month(session, scope, PermitGrouping.KECAMATAN)
        for row in rows
    ]


async def _services_by_month(session: AsyncSession, scope: Scope) -> Rows:
    months: dict[str, dict[str, Any]] = {
        month.since.replace(day=1).isoformat(): {
            "applications_received": 0,
            "permits_issued": 0,
            "clinic_places_booked": 0,
            "invoices_paid": 0,
            "revenue_rupiah": 0,
        }
        for month in scope.months()
    }
    for row in await permits.service_levels(
        session, PermitFilters(scope.period), PermitGrouping.MONTH
    ):
        months[row["month"]]["applications_received"] = row["received"]
        months[row["month"]]["permits_issued"] = row["issued"]
    for row in await health.bookings(session, scope.period, facility=None, by_day=True):
        visit = date.fromisoformat(str(row["visit_date"])).replace(day=1).isoformat()
        months[visit]["clinic_places_booked"] += row["booked"]
    for row in await payments.summary(session, scope.period, PaymentGrouping.MONTH):
        months[row["month"]]["invoices_paid"] = row["paid"]
        months[row["month"]]["revenue_rupiah"] = row["revenue"]
    return [{"month": month} | figures for month, figures in sorted(months.items())]


async def _school_registrations(session: AsyncSession, scope: Scope) -> Rows:
    active: dict[tuple[str, str], int] = defaultdict(int)
    for row in await education.registrations(
        session, admission_year=scope.admission_year, school=None, level=None
    ):
        active[(row["level"], row["pathway"])] += row["active"]
    return [
        {
            "admission_year": scope.admission_year,
            "level": level,
            "pathway": pathway,
            "registrations": count,
        }
        for (level, pathway), count in sorted(active.items())
    ]


PERMITS_BY_TYPE = Dataset(
    identifier="permits-by-type-monthly",
    title=_("Permits per permit type and month"),
    description=_(
        "Per month and permit type: applications received, decided and permits issued; of "
        "those decided, the share decided within every stage's deadline and the median "
        "working days with the city."
    ),
    columns=(
        _MONTH,
        Column(
            "permit_type",
            "string",
            _("The permit type's code in the city's permit catalogue (GET /v1/permits/types)."),
        ),
        *_PERMIT_FIGURES,
    ),
    rows_of=_permits_by_type,
    counts=_PERMIT_COUNTS,
    derived=_PERMIT_DERIVED,
    # Published beside it: each month's total over the types, each type's over the months.
    margins=("permit_type", "month"),
)
PERMITS_BY_DISTRICT = Dataset(
    identifier="permits-by-district-monthly",
    title=_("Permits per district and month"),
    description=_(
        "Per month and district (kecamatan) of the place the permit is for: applications "
        "received, decided and permits issued, the share decided on time and the median "
        "working days."
    ),
    columns=(
        _MONTH,
        Column(
            "kecamatan_code",
            "string",
            _(
                "The district's Kemendagri code, dotted (36.71.01); empty where the "
                "application did not say."
            ),
        ),
        Column("kecamatan_name", "string", _("The district's name.")),
        *_PERMIT_FIGURES,
    ),
    rows_of=_permits_by_district,
    counts=_PERMIT_COUNTS,
    derived=_PERMIT_DERIVED,
    margins=("kecamatan_code",),
    reference_columns=("kecamatan_code",),
)
SERVICES_BY_MONTH = Dataset(
    identifier="services-monthly",
    title=_("The city's services per month"),
    description=_(
        "Per month: permit applications received and permits issued, clinic places booked "
        "(by visit day), invoices paid and the revenue received."
    ),
    columns=(
        _MONTH,
        Column(
            "applications_received",
            "integer",
            _("Permit applications submitted."),
            unit=_("applications"),
            suppressible=True,
        ),
        Column(
            "permits_issued", "integer", _("Permits issued."), unit=_("permits"), suppressible=True
        ),
        Column(
            "clinic_places_booked",
            "integer",
            _("Clinic places booked for a visit in the month (given back ones included)."),
            unit=_("places"),
            suppressible=True,
        ),
        Column(
            "invoices_paid",
            "integer",
            _("Invoices paid (permit fees and other charges)."),
            unit=_("invoices"),
            suppressible=True,
        ),
        Column(
            "revenue_rupiah",
            "integer",
            _("Rupiah received for the invoices paid."),
            unit=_("rupiah"),
            suppressible=True,
        ),
    ),
    rows_of=_services_by_month,
    counts=("applications_received", "permits_issued", "clinic_places_booked", "invoices_paid"),
    derived={"revenue_rupiah": "invoices_paid"},
    margins=(None,),
)
SCHOOL_REGISTRATIONS = Dataset(
    identifier="school-registrations",
    title=_("School registrations per level and pathway"),
    description=_(
        "One admission year's registrations still active (submitted and not withdrawn), "
        "per school level and admission pathway, over every school of the city."
    ),
    columns=(
        Column("admission_year", "integer", _("The admission year.")),
        Column("level", "string", _("The school level: SD, SMP or SMA.")),
        Column(
            "pathway",
            "string",
            _(
                "The admission pathway: domisili (residence), afirmasi "
                "(affirmation), mutasi (a parent's transfer) or prestasi "
                "(achievement)."
            ),
        ),
        Column(
            "registrations",
            "integer",
            _("Registrations still active."),
            unit=_("registrations"),
            suppressible=True,
        ),
    ),
    rows_of=_school_registrations,
    counts=("registrations",),
    margins=(None,),
)

DATASETS: dict[str, Dataset] = {
    dataset.identifier: dataset
    for dataset in (PERMITS_BY_TYPE, PERMITS_BY_DISTRICT, SERVICES_BY_MONTH, SCHOOL_REGISTRATIONS)
}
