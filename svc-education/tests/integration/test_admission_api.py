"""The admission period, public: its dates, whether it is open now, each level's pathways."""

from datetime import UTC, datetime
from typing import Any

import pytest

Admissions = Any  # the `admissions` fixture's driver (conftest)
URL = "/v1/education/admission"


@pytest.mark.parametrize(
    ("now", "is_open"),
    [
        (datetime(2027, 6, 10, 3, 0, tzinfo=UTC), True),
        (datetime(2027, 6, 20, 17, 0, tzinfo=UTC), False),  # 21 June in Jakarta
    ],
)
async def test_anyone_reads_the_period_and_whether_it_is_open(
    admissions: Admissions, during_registration: Any, now: datetime, is_open: bool
) -> None:
    during_registration.fixed = now

    response = await admissions.client.get(URL)  # no token: public

    assert response.status_code == 200
    admission = response.json()
    assert admission["admission_year"] == 2027
    assert admission["registration_opens_on"] == "2027-06-02"
    assert admission["registration_closes_on"] == "2027-06-20"
    assert admission["age_reference_date"] == "2027-07-01"
    assert admission["timezone"] == "Asia/Jakarta"
    assert admission["open"] is is_open


async def test_the_pathways_per_level_are_the_regulations(admissions: Admissions) -> None:
    pathways = (await admissions.client.get(URL)).json()["pathways"]

    assert [p["pathway"] for p in pathways["SD"]] == ["domisili", "afirmasi", "mutasi"]
    sma = {p["pathway"]: (p["minimum_percent"], p["maximum_percent"]) for p in pathways["SMA"]}
    assert sma == {
        "domisili": (30, 100),
        "afirmasi": (30, 100),
        "mutasi": (0, 5),
        "prestasi": (30, 100),
    }
