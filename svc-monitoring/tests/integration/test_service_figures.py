"""Scripted clinic bookings, school registrations and citizens' steps give exactly the figures
officials expect: bookings per service and visit day, registrations per level and pathway, and
the digital divide (the share of each service's transactions taken at a kiosk), per district
where the event says it; and the gateway's v1 registrations beside v2 are counted once."""

import uuid
from datetime import date, datetime
from typing import Any

import httpx
import pytest
from monitoring_events import OFFICER, closed, day, opened, step
from monitoring_feed import Feed
from monitoring_service_events import (
    Booking,
    Registration,
    Story,
    citizen_registered,
    publish,
    taken,
    unique_npsn,
)

from kota_contracts.education import Pathway, SchoolLevel
from kota_dev.pytest_plugin import AuthHeaders

BOOKINGS_URL = "/v1/monitoring/health/bookings"
REGISTRATIONS_URL = "/v1/monitoring/education/registrations"
REACH_URL = "/v1/monitoring/reach"
K1, K2 = "36.71.03", "36.71.04"
ADMISSION_YEAR = 2090
"""Within the API's bound (2100); each test isolates its figures by a school of its own."""


@pytest.fixture
def officials(auth_headers: AuthHeaders) -> dict[str, str]:
    return auth_headers("viewer-1", roles=["monitoring_viewer"])


async def get_rows(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    response = await client.get(url, params=params, headers=headers)
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()
    return rows


def may(year: int) -> dict[str, str]:
    return {"from": f"{year}-05-01", "to": f"{year}-05-31"}


async def script_bookings(feed: Feed, year: int, facility: str, elsewhere: str) -> None:
    """Bookings at one clinic for May's visit days (two services, two at a kiosk, two given
    back), one for a June visit booked in May, and one at another clinic."""

    def visit(n: int, month: int = 5) -> date:
        return date(year, month, n)

    def booked_on(n: int) -> datetime:
        return day(year, 5, n)

    general_10 = Booking(facility, "umum", visit(10))
    # Booked after the clinic raised that day's places from 20 to 25: the day offers 25.
    general_10_kiosk = Booking(
        facility, "umum", visit(10), assisted_by=OFFICER, queue_number=2, daily_quota=25
    )
    general_11_given_back = Booking(facility, "umum", visit(11))
    dental_10_kiosk = Booking(facility, "gigi", visit(10), assisted_by=OFFICER)
    dental_12_given_back = Booking(facility, "gigi", visit(12))
    general_june = Booking(facility, "umum", visit(2, month=6))
    other_clinic = Booking(elsewhere, "umum", visit(10))
    story: Story = [
        b.booked(booked_on(3))
        for b in (
            general_10,
            general_10_kiosk,
            general_11_given_back,
            dental_10_kiosk,
            dental_12_given_back,
            general_june,
            other_clinic,
        )
    ]
    story += [b.cancelled(booked_on(5)) for b in (general_11_given_back, dental_12_given_back)]
    await publish(feed, story)


async def test_clinic_bookings_per_service_over_the_visit_days(
    feed: Feed, monitoring_client: httpx.AsyncClient, officials: dict[str, str], year: int
) -> None:
    facility, elsewhere = f"F{uuid.uuid4().hex[:8]}", f"F{uuid.uuid4().hex[:8]}"
    await script_bookings(feed, year, facility, elsewhere)

    rows = await get_rows(
        monitoring_client, BOOKINGS_URL, officials, **may(year), facility=facility
    )

    # The June visit is outside May's visit days, though booked in May; the other clinic's
    # booking is not this facility's.
    assert rows == [
        {
            "facility_code": facility,
            "service_code": "gigi",
            "visit_date": None,
            "booked": 2,
            "cancelled": 1,
            "active": 1,
            "assisted": 1,
            "places": 40,  # 20 on the 10th and 20 on the 12th
            "fill_rate": 0.025,
        },
        {
            "facility_code": facility,
            "service_code": "umum",
            "visit_date": None,
            "booked": 3,
            "cancelled": 1,
            "active": 2,
            "assisted": 1,
            "places": 45,  # 25 on the 10th (the largest reported), 20 on the 11th
            "fill_rate": 0.0444,
        },
    ]


async def test_clinic_bookings_per_visit_day(
    feed: Feed, monitoring_client: httpx.AsyncClient, officials: dict[str, str], year: int
) -> None:
    facility, elsewhere = f"F{uuid.uuid4().hex[:8]}", f"F{uuid.uuid4().hex[:8]}"
    await script_bookings(feed, year, facility, elsewhere)

    rows = await get_rows(
        monitoring_client, BOOKINGS_URL, officials, **may(year), facility=facility, by_day="true"
    )
    june = await get_rows(
        monitoring_client, BOOKINGS_URL, officials, facility=facility,
        **{"from": f"{year}-06-01", "to": f"{year}-06-30"},
    )  # fmt: skip

    figures = ("booked", "cancelled", "active", "assisted")
    assert [(r["service_code"], r["visit_date"], *(r[f] for f in figures)) for r in rows] == [
        ("gigi", f"{year}-05-10", 1, 0, 1, 1),
        ("gigi", f"{year}-05-12", 1, 1, 0, 0),
        ("umum", f"{year}-05-10", 2, 0, 2, 1),
        ("umum", f"{year}-05-11", 1, 1, 0, 0),
    ]
    assert [(r["service_code"], r["booked"], r["active"]) for r in june] == [("umum", 1, 1)]


async def test_school_registrations_per_level_and_pathway(
    feed: Feed, monitoring_client: httpx.AsyncClient, officials: dict[str, str], year: int
) -> None:
    school, other_school = unique_npsn(), unique_npsn()

    def registration(
        level: SchoolLevel, pathway: Pathway, *, at_kiosk: bool = False, npsn: str = school
    ) -> Registration:
        return Registration(
            npsn, level, pathway, ADMISSION_YEAR, assisted_by=OFFICER if at_kiosk else None
        )

    sd_home_verified = registration(SchoolLevel.SD, Pathway.DOMISILI)
    sd_home_withdrawn = registration(SchoolLevel.SD, Pathway.DOMISILI, at_kiosk=True)
    sd_affirmative = registration(SchoolLevel.SD, Pathway.AFIRMASI)
    smp_merit_verified = registration(SchoolLevel.SMP, Pathway.PRESTASI, at_kiosk=True)
    smp_merit = registration(SchoolLevel.SMP, Pathway.PRESTASI)
    elsewhere = registration(SchoolLevel.SD, Pathway.DOMISILI, npsn=other_school)
    every = (sd_home_verified, sd_home_withdrawn, sd_affirmative, smp_merit_verified, smp_merit)
    story: Story = [r.submitted(day(year, 6, 2)) for r in (*every, elsewhere)]
    story += [
        sd_home_withdrawn.withdrawn(day(year, 6, 4)),
        sd_home_verified.verified(day(year, 6, 5)),
        smp_merit_verified.verified(day(year, 6, 5)),
    ]
    await publish(feed, story)

    rows = await get_rows(
        monitoring_client, REGISTRATIONS_URL, officials,
        admission_year=ADMISSION_YEAR, school=school,
    )  # fmt: skip
    junior_high = await get_rows(
        monitoring_client, REGISTRATIONS_URL, officials,
        admission_year=ADMISSION_YEAR, school=school, level="SMP",
    )  # fmt: skip
    another_year = await get_rows(
        monitoring_client, REGISTRATIONS_URL, officials,
        admission_year=ADMISSION_YEAR + 1, school=school,
    )  # fmt: skip

    def row(level: str, pathway: str, *counts: int) -> dict[str, Any]:
        names = ("submitted", "withdrawn", "active", "verified", "assisted")
        figures = dict(zip(names, counts, strict=True))
        # Every registration reports the school's 100 places, 50 of them for its pathway.
        places = {"capacity": 100, "pathway_quota": 50, "fill_rate": figures["active"] / 50}
        return {"school_npsn": school, "level": level, "pathway": pathway} | figures | places

    assert rows == [
        row("SD", "afirmasi", 1, 0, 1, 0, 0),
        row("SD", "domisili", 2, 1, 1, 1, 1),
        row("SMP", "prestasi", 2, 0, 2, 1, 1),
    ]
    assert junior_high == [row("SMP", "prestasi", 2, 0, 2, 1, 1)]
    assert another_year == []


async def script_reach(feed: Feed, year: int) -> None:
    """June's citizens' steps in every service, some taken for them at a kiosk."""

    def d(n: int) -> datetime:
        return day(year, 6, n)

    officer = uuid.uuid4()
    # Identity: three citizens register themselves, two are registered at a kiosk; the
    # gateway publishes each as v1 and, beside it, v2 (with the district).
    story: Story = [
        *citizen_registered(K1, d(1)),
        *citizen_registered(K1, d(2)),
        *citizen_registered(K2, d(2)),
        *citizen_registered(K1, d(3), by_officer=officer),
        *citizen_registered(K2, d(3), by_officer=officer),
    ]
    # Health: two bookings by the citizen, one at a kiosk; a cancellation is no new step.
    mine = Booking("F-REACH", "umum", date(year, 6, 20))
    also_mine = Booking("F-REACH", "gigi", date(year, 6, 20))
    kiosk = Booking("F-REACH", "umum", date(year, 6, 21), assisted_by=OFFICER)
    story += [b.booked(d(4)) for b in (mine, also_mine, kiosk)]
    story.append(mine.cancelled(d(5)))
    # Education: one registration by the parent, one at a kiosk; a withdrawal is no new one.
    school = unique_npsn()
    by_parent = Registration(school, SchoolLevel.SD, Pathway.DOMISILI, ADMISSION_YEAR)
    at_kiosk = Registration(
        school, SchoolLevel.SD, Pathway.DOMISILI, ADMISSION_YEAR, assisted_by=OFFICER
    )
    story += [r.submitted(d(6)) for r in (by_parent, at_kiosk)]
    story.append(by_parent.withdrawn(d(7)))
    # Permits: A handed in and withdrawn by its applicant in K1; B handed in at a kiosk in K2,
    # then reviewed by an officer (the city's step, not the citizen's).
    permit_type = f"T{uuid.uuid4().hex[:8]}"
    a, b = uuid.uuid4(), uuid.uuid4()
    steps = [
        step(a, "submit", "draft", "submitted", d(8), kecamatan=K1, permit_type=permit_type,
             opens=opened("verification", d(8), d(10))),
        step(b, "submit", "draft", "submitted", d(8), kecamatan=K2, permit_type=permit_type,
             assisted_by=OFFICER, opens=opened("verification", d(8), d(10))),
        step(a, "cancel", "submitted", "cancelled", d(9), kecamatan=K1, permit_type=permit_type,
             closes=closed("verification", d(8), d(10), 1)),
        step(b, "start_review", "submitted", "in_review", d(9), kecamatan=K2,
             permit_type=permit_type, closes=closed("verification", d(8), d(10), 1),
             opens=opened("review", d(9), d(14))),
    ]  # fmt: skip
    story += [taken(s) for s in steps]
    await publish(feed, story)


def june(year: int) -> dict[str, str]:
    return {"from": f"{year}-06-01", "to": f"{year}-06-30"}


async def test_the_digital_divide_per_service(
    feed: Feed, monitoring_client: httpx.AsyncClient, officials: dict[str, str], year: int
) -> None:
    await script_reach(feed, year)

    rows = await get_rows(monitoring_client, REACH_URL, officials, **june(year))
    identity_only = await get_rows(
        monitoring_client, REACH_URL, officials, **june(year), service="identity"
    )

    def row(service: str, transactions: int, assisted: int, share: float) -> dict[str, Any]:
        return {
            "service": service,
            "kecamatan": None,
            "transactions": transactions,
            "assisted": assisted,
            "assisted_share": share,
        }

    assert rows == [
        row("education", 2, 1, 0.5),
        row("health", 3, 1, 0.3333),
        row("identity", 5, 2, 0.4),  # each registration once, though published twice
        row("permits", 3, 1, 0.3333),
    ]
    assert identity_only == [row("identity", 5, 2, 0.4)]


async def test_the_digital_divide_per_district(
    feed: Feed, monitoring_client: httpx.AsyncClient, officials: dict[str, str], year: int
) -> None:
    await script_reach(feed, year)

    rows = await get_rows(
        monitoring_client, REACH_URL, officials, **june(year), by_kecamatan="true"
    )

    # Health's and education's are counted where the clinic or the school is.
    assert [
        (r["service"], r["kecamatan"], r["transactions"], r["assisted"], r["assisted_share"])
        for r in rows
    ] == [
        ("education", "36.71.02", 2, 1, 0.5),
        ("health", "36.71.01", 3, 1, 0.3333),
        ("identity", K1, 3, 1, 0.3333),
        ("identity", K2, 2, 1, 0.5),
        ("permits", K1, 2, 0, 0.0),
        ("permits", K2, 1, 1, 1.0),
    ]


async def test_a_registration_published_as_v1_and_v2_counts_once(
    feed: Feed, monitoring_client: httpx.AsyncClient, officials: dict[str, str], year: int
) -> None:
    officer = uuid.uuid4()
    await publish(
        feed,
        [
            *citizen_registered(K1, day(year, 6, 1)),
            *citizen_registered(K2, day(year, 6, 1), by_officer=officer),
        ],
    )
    # Only v1, as a gateway older than v2 published them: not a registration monitoring reads.
    v1_only = [
        told
        for told in citizen_registered(K1, day(year, 6, 2))
        + citizen_registered(K1, day(year, 6, 2), by_officer=officer)
        if not told.event.event_type.endswith(".v2")
    ]
    await publish(feed, v1_only)

    rows = await get_rows(
        monitoring_client, REACH_URL, officials, **june(year), by_kecamatan="true"
    )

    assert [(r["service"], r["kecamatan"], r["transactions"], r["assisted"]) for r in rows] == [
        ("identity", K1, 1, 0),
        ("identity", K2, 1, 1),
    ]
