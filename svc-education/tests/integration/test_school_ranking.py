"""A school's applicants per pathway in ranking order, as its officers read them.

Other tests register at the same demo schools, so each test checks the order of its own
registrations within the list.
"""

from typing import Any

import pytest

Admissions = Any  # the `admissions` fixture's driver (conftest)

NORTH_OF_SMP = -6.178306  # the SMP's latitude; homes are 0.001° (111 m) apart going north


def own(ranking: dict[str, Any], ids: set[str]) -> list[str]:
    return [r["id"] for r in ranking["registrations"] if r["id"] in ids]


async def test_smp_domisili_by_distance_ties_to_the_older_then_the_earlier(
    admissions: Admissions,
) -> None:
    async def at(metres_north: int, birth_date: str) -> str:
        created = await admissions.registered(
            admissions.parent(),
            home_latitude=NORTH_OF_SMP + metres_north * 0.001 / 111,
            birth_date=birth_date,
        )
        return str(created["id"])

    far = await at(2000, "2013-09-01")
    near_young_early = await at(300, "2014-08-01")
    near_old = await at(300, "2013-12-01")
    near_young_late = await at(300, "2014-08-01")
    nearest = await at(100, "2014-10-01")
    withdrawn = await at(50, "2014-01-01")
    parent_of_withdrawn = await admissions.client.get(
        f"{admissions.url}/{withdrawn}", headers=admissions.school_officer()
    )
    await admissions.withdraw(admissions.parent(parent_of_withdrawn.json()["parent_id"]), withdrawn)

    response = await admissions.ranking(admissions.school_officer(), admissions.smp, "domisili")

    assert response.status_code == 200, response.text
    ranking = response.json()
    assert ranking["npsn"] == admissions.smp
    assert ranking["level"] == "SMP"
    assert ranking["admission_year"] == admissions.year
    assert ranking["pathway"] == "domisili"
    assert ranking["quota"] == 160
    ids = {far, near_young_early, near_old, near_young_late, nearest, withdrawn}
    assert own(ranking, ids) == [nearest, near_old, near_young_early, near_young_late, far]
    ranks = [r["rank"] for r in ranking["registrations"]]
    assert ranks == list(range(1, len(ranks) + 1))
    first = next(r for r in ranking["registrations"] if r["id"] == nearest)
    assert first["distance_m"] == 100
    assert {"student_nisn", "student_name", "birth_date", "registered_at"} <= first.keys()


async def test_sd_ranks_the_older_child_first_then_the_nearer(admissions: Admissions) -> None:
    async def child(birth_date: str, metres_north: int) -> str:
        created = await admissions.registered(
            admissions.parent(),
            school_npsn=admissions.sd,
            birth_date=birth_date,
            home_latitude=-6.176812 + metres_north * 0.001 / 111,
            home_longitude=106.634510,
            pathway="afirmasi",
        )
        return str(created["id"])

    young_near = await child("2021-05-01", 50)
    old_far = await child("2020-08-01", 3000)
    old_near = await child("2020-08-01", 900)

    response = await admissions.ranking(admissions.school_officer(), admissions.sd, "afirmasi")

    assert response.status_code == 200, response.text
    assert response.json()["quota"] == 13
    assert own(response.json(), {young_near, old_far, old_near}) == [
        old_near,
        old_far,
        young_near,
    ]


async def test_prestasi_by_score(admissions: Admissions) -> None:
    async def scored(score: float, metres_north: int) -> str:
        created = await admissions.registered(
            admissions.parent(),
            school_npsn=admissions.sma,
            birth_date="2011-08-01",
            pathway="prestasi",
            achievement_score=score,
            home_latitude=-6.176455 + metres_north * 0.001 / 111,
            home_longitude=106.627883,
        )
        return str(created["id"])

    near_low = await scored(71.5, 10)
    far_high = await scored(96.25, 8000)
    middle = await scored(88, 500)

    response = await admissions.ranking(admissions.school_officer(), admissions.sma, "prestasi")

    assert response.status_code == 200, response.text
    ranking = response.json()
    assert ranking["quota"] == 108
    assert own(ranking, {near_low, far_high, middle}) == [far_high, middle, near_low]
    assert [r["achievement_score"] for r in ranking["registrations"] if r["id"] == far_high] == [
        96.25
    ]


async def test_an_unknown_school_is_404(admissions: Admissions) -> None:
    response = await admissions.ranking(admissions.school_officer(), "99999999", "domisili")

    assert response.status_code == 404
    assert response.json()["code"] == "school_not_found"
    assert response.headers["content-language"] == "id"
    assert response.json()["detail"] == "Tidak ada sekolah di kota ini dengan NPSN 99999999."


async def test_prestasi_at_an_sd_is_not_a_pathway(admissions: Admissions) -> None:
    response = await admissions.ranking(admissions.school_officer(), admissions.sd, "prestasi")

    assert response.status_code == 422
    assert response.json()["code"] == "pathway_not_offered"
    assert response.json()["detail"] == (
        "Jenjang SD menerima murid baru melalui jalur domisili, afirmasi, dan mutasi."
    )


@pytest.mark.parametrize(
    ("npsn", "pathway", "field"),
    [
        ("20603115", None, "query.pathway"),
        ("20603115", "zonasi", "query.pathway"),
        ("2060311", "domisili", "path.npsn"),
    ],
)
async def test_bad_parameters_are_a_422_naming_them(
    admissions: Admissions, npsn: str, pathway: str | None, field: str
) -> None:
    response = await admissions.ranking(admissions.school_officer(), npsn, pathway)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert field in [e["field"] for e in response.json()["errors"]]
