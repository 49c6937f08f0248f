"""What the public figures cover: the last twelve months, or one calendar year asked for."""

from datetime import date
from typing import Annotated

from fastapi import Query, Request

from kota_shared.clock import Now, local_date
from monitoring.public.datasets import Scope
from monitoring.public.transparency import calendar_year, last_months

Year = Annotated[
    int | None,
    Query(ge=2000, le=2999, description="One calendar year (default: the last 12 months)."),
]


def public_scope(request: Request, now: Now, year: Year = None) -> Scope:
    settings = request.app.state.runtime.settings
    today: date = local_date(now, settings.timezone)
    return Scope(
        period=calendar_year(year) if year is not None else last_months(today),
        admission_year=year or today.year,
        districts=settings.districts,
        minimum=settings.public_minimum_count,
    )
