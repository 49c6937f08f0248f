"""How permits figures are narrowed and grouped (what the API and the dashboard ask for)."""

from dataclasses import dataclass
from enum import StrEnum

from monitoring.filters import Period


class PermitGrouping(StrEnum):
    PERMIT_TYPE = "permit_type"
    KECAMATAN = "kecamatan"
    DAY = "day"
    MONTH = "month"


@dataclass(frozen=True)
class PermitFilters:
    period: Period
    permit_type: str | None = None
    kecamatan: str | None = None
