"""Who may register: the child's age at the reference date and the family card's age.

Ages count whole months, the way a parent counts them: a child born on 31 December 2020 is
5 years 6 months old on 1 July 2026. A date that does not exist in a later year (29 February)
comes round on the day after (1 March).
"""

import enum
from dataclasses import dataclass
from datetime import date

from kota_contracts.education import SchoolLevel

SD_MINIMUM_MONTHS = 6 * 12
SD_MINIMUM_WITH_RECOMMENDATION_MONTHS = 5 * 12 + 6
"""5½ years, allowed only with a psychologist's recommendation."""
MAXIMUM_YEARS = {SchoolLevel.SMP: 15, SchoolLevel.SMA: 21}
"""The oldest a new pupil may be at the reference date, in whole years."""
FAMILY_CARD_MINIMUM_YEARS = 1
"""The family card (KK) must have been issued at least a year before registration."""


def completed_months(since: date, on: date) -> int:
    """Whole months from ``since`` to ``on`` (negative when ``on`` is earlier)."""
    months = (on.year - since.year) * 12 + on.month - since.month
    return months - 1 if on.day < since.day else months


@dataclass(frozen=True)
class Age:
    years: int
    months: int

    @classmethod
    def on(cls, day: date, *, born: date) -> "Age":
        years, months = divmod(completed_months(born, day), 12)
        return cls(years=years, months=months)

    @property
    def in_months(self) -> int:
        return self.years * 12 + self.months

    def __str__(self) -> str:
        return f"{self.years} years {self.months} months"


class AgeVerdict(enum.Enum):
    ELIGIBLE = "eligible"
    TOO_YOUNG = "too_young"
    NEEDS_RECOMMENDATION = "needs_recommendation"
    """Old enough only with a psychologist's recommendation, and there is none."""
    TOO_OLD = "too_old"


def judge_age(level: SchoolLevel, age: Age, *, psychologist_recommendation: bool) -> AgeVerdict:
    """Whether a child of ``age`` at the reference date may enter ``level``."""
    if level is SchoolLevel.SD:
        if age.in_months >= SD_MINIMUM_MONTHS:
            return AgeVerdict.ELIGIBLE
        if age.in_months < SD_MINIMUM_WITH_RECOMMENDATION_MONTHS:
            return AgeVerdict.TOO_YOUNG
        return (
            AgeVerdict.ELIGIBLE if psychologist_recommendation else AgeVerdict.NEEDS_RECOMMENDATION
        )
    return AgeVerdict.TOO_OLD if age.years > MAXIMUM_YEARS[level] else AgeVerdict.ELIGIBLE


def family_card_usable_from(issued_on: date) -> date:
    """The first registration date at which a family card issued on ``issued_on`` counts."""
    year = issued_on.year + FAMILY_CARD_MINIMUM_YEARS
    try:
        return issued_on.replace(year=year)
    except ValueError:  # 29 February, in a year without one
        return date(year, 3, 1)
