"""Age at the reference date and the family card's age, at their edges."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from education.admission.eligibility import (
    Age,
    AgeVerdict,
    completed_months,
    family_card_usable_from,
    judge_age,
)
from kota_contracts.education import SchoolLevel

JULY_1 = date(2027, 7, 1)


@pytest.mark.parametrize(
    ("born", "on", "years", "months"),
    [
        (date(2021, 7, 1), JULY_1, 6, 0),  # the sixth birthday is the reference date itself
        (date(2021, 7, 2), JULY_1, 5, 11),  # a day short
        (date(2022, 1, 1), JULY_1, 5, 6),  # exactly 5½
        (date(2021, 12, 31), date(2027, 6, 30), 5, 5),  # 30 June is not yet the 31st
        (date(2021, 12, 31), JULY_1, 5, 6),
        (date(2020, 2, 29), date(2027, 2, 28), 6, 11),  # a leap-day child's birthday is 1 March
        (date(2020, 2, 29), date(2027, 3, 1), 7, 0),
        (date(2012, 6, 30), JULY_1, 15, 0),
    ],
)
def test_age_counts_whole_months(born: date, on: date, years: int, months: int) -> None:
    assert Age.on(on, born=born) == Age(years=years, months=months)


@pytest.mark.parametrize(
    ("born", "recommendation", "verdict"),
    [
        (date(2021, 7, 1), False, AgeVerdict.ELIGIBLE),  # 6 years 0 months
        (date(2021, 7, 2), False, AgeVerdict.NEEDS_RECOMMENDATION),  # 5 years 11 months
        (date(2021, 7, 2), True, AgeVerdict.ELIGIBLE),
        (date(2022, 1, 1), True, AgeVerdict.ELIGIBLE),  # exactly 5½, recommended
        (date(2022, 1, 1), False, AgeVerdict.NEEDS_RECOMMENDATION),
        (date(2022, 1, 2), True, AgeVerdict.TOO_YOUNG),  # a day under 5½: nothing helps
        (date(2024, 3, 3), True, AgeVerdict.TOO_YOUNG),
        (date(2014, 1, 1), False, AgeVerdict.ELIGIBLE),  # SD has no maximum in the table
    ],
)
def test_sd_minimum_age(born: date, recommendation: bool, verdict: AgeVerdict) -> None:
    age = Age.on(JULY_1, born=born)
    assert judge_age(SchoolLevel.SD, age, psychologist_recommendation=recommendation) is verdict


@pytest.mark.parametrize(
    ("level", "born", "verdict"),
    [
        (SchoolLevel.SMP, date(2011, 7, 2), AgeVerdict.ELIGIBLE),  # 15 years 11 months
        (SchoolLevel.SMP, date(2011, 7, 1), AgeVerdict.TOO_OLD),  # 16 on the day
        (SchoolLevel.SMP, date(2016, 1, 1), AgeVerdict.ELIGIBLE),  # no minimum in the table
        (SchoolLevel.SMA, date(2005, 7, 2), AgeVerdict.ELIGIBLE),  # 21 years 11 months
        (SchoolLevel.SMA, date(2005, 7, 1), AgeVerdict.TOO_OLD),  # 22 on the day
    ],
)
def test_smp_and_sma_maximum_age(level: SchoolLevel, born: date, verdict: AgeVerdict) -> None:
    age = Age.on(JULY_1, born=born)
    for recommendation in (False, True):  # a recommendation changes nothing above SD
        assert judge_age(level, age, psychologist_recommendation=recommendation) is verdict


@pytest.mark.parametrize(
    ("issued_on", "usable_from"),
    [
        (date(2026, 6, 15), date(2027, 6, 15)),
        (date(2024, 2, 29), date(2025, 3, 1)),  # no 29 February in 2025
        (date(2025, 12, 31), date(2026, 12, 31)),
    ],
)
def test_a_family_card_counts_a_year_after_it_was_issued(
    issued_on: date, usable_from: date
) -> None:
    assert family_card_usable_from(issued_on) == usable_from


dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))


@given(issued_on=dates, registered_on=dates)
def test_a_year_for_the_family_card_is_twelve_whole_months(
    issued_on: date, registered_on: date
) -> None:
    usable = registered_on >= family_card_usable_from(issued_on)
    assert usable == (completed_months(issued_on, registered_on) >= 12)


@given(born=dates, on=dates)
def test_age_grows_by_one_month_at_most_overnight(born: date, on: date) -> None:
    today, tomorrow = Age.on(on, born=born), Age.on(on + timedelta(days=1), born=born)
    assert tomorrow.in_months - today.in_months in (0, 1)
