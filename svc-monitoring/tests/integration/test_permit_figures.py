"""A scripted month of permits gives exactly the figures officials expect: compliance against
each stage's deadline, p50/p90 working days, fiktif-positif approvals, the wait for payment,
the backlog by age; and a redelivered event changes none of them."""

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from monitoring_events import K1, K2, day, opened, permit_month, step
from monitoring_feed import Feed, duplicates_counted

from kota_dev.pytest_plugin import AuthHeaders
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.waiting import eventually

URL = "/v1/monitoring/permits/service-levels"


@pytest.fixture
def officials(auth_headers: AuthHeaders) -> dict[str, str]:
    return auth_headers("viewer-1", roles=["monitoring_viewer"])


@pytest.fixture
def moved_clock(monitoring_clock: MovableClock) -> Iterator[MovableClock]:
    yield monitoring_clock
    monitoring_clock.fixed = None


async def figures(
    client: httpx.AsyncClient, headers: dict[str, str], year: int, **params: str
) -> list[dict[str, Any]]:
    response = await client.get(
        URL, params={"from": f"{year}-03-01", "to": f"{year}-03-31", **params}, headers=headers
    )
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()
    return rows


async def test_a_scripted_month_gives_exactly_the_expected_service_levels(
    feed: Feed, monitoring_client: httpx.AsyncClient, officials: dict[str, str], year: int
) -> None:
    permit_type = f"T{uuid.uuid4().hex[:8]}"
    await permit_month(feed, year, permit_type)

    (row,) = await figures(monitoring_client, officials, year, permit_type=permit_type)

    assert {k: row[k] for k in ("received", "resubmitted", "decided", "approved")} == {
        "received": 6,
        "resubmitted": 1,
        "decided": 4,
        "approved": 3,
    }
    assert row["deemed_approved"] == 1
    assert row["rejected"] == 1
    assert row["revisions_requested"] == 1
    assert row["issued"] == 2
    assert row["cancelled"] == 1
    assert row["expired"] == 1
    assert row["payment_wait_hours_mean"] == 24.0
    # Verification closed by the city: A (1 day, on time), B (4, late), B again (2, late),
    # C (1, on time), G (1, on time); F's withdrawal is not the city's.
    assert (row["verification_closed"], row["verification_on_time"]) == (5, 3)
    assert row["verification_compliance"] == 0.6
    assert (row["verification_p50_working_days"], row["verification_p90_working_days"]) == (1, 4)
    # Review: A (2, on time), B's revision request (3, on time), C's rejection (4, late),
    # G (2, on time).
    assert (row["review_closed"], row["review_on_time"]) == (4, 3)
    assert row["review_compliance"] == 0.75
    assert (row["review_p50_working_days"], row["review_p90_working_days"]) == (2, 4)
    # End to end, decided: A and G 3 days, all on time; B 4+3+2 = 9 and C 1+4 = 5, late.
    assert (row["end_to_end_closed"], row["end_to_end_on_time"]) == (4, 2)
    assert row["end_to_end_compliance"] == 0.5
    assert (row["end_to_end_p50_working_days"], row["end_to_end_p90_working_days"]) == (3, 9)


async def test_figures_drill_down_to_districts_and_days(
    feed: Feed, monitoring_client: httpx.AsyncClient, officials: dict[str, str], year: int
) -> None:
    permit_type = f"T{uuid.uuid4().hex[:8]}"
    await permit_month(feed, year, permit_type)

    by_district = await figures(
        monitoring_client, officials, year, permit_type=permit_type, group_by="kecamatan"
    )
    one_district = await figures(
        monitoring_client, officials, year, permit_type=permit_type, kecamatan=K2
    )
    by_day = await figures(
        monitoring_client, officials, year, permit_type=permit_type, group_by="day"
    )

    assert [(r["kecamatan"], r["received"], r["decided"]) for r in by_district] == [
        (K1, 3, 2),
        (K2, 3, 2),
    ]
    assert [(r["received"], r["rejected"], r["review_compliance"]) for r in one_district] == [
        (3, 1, 0.5)
    ]
    received_per_day = {r["day"]: r["received"] for r in by_day if r["received"]}
    assert received_per_day == {
        f"{year}-03-02": 2,
        f"{year}-03-03": 1,
        f"{year}-03-07": 1,
        f"{year}-03-20": 1,
        f"{year}-03-21": 1,
    }


async def test_the_backlog_is_aged_against_the_instants_permits_set(
    feed: Feed,
    monitoring_client: httpx.AsyncClient,
    officials: dict[str, str],
    year: int,
    moved_clock: MovableClock,
) -> None:
    permit_type = f"T{uuid.uuid4().hex[:8]}"
    await permit_month(feed, year, permit_type)
    # E entered verification on the 20th, due the 22nd: on the 24th it has waited 3 (and
    # not yet 6) of the working days permits counted, and is overdue.
    moved_clock.fixed = day(year, 3, 24)

    response = await monitoring_client.get(
        "/v1/monitoring/permits/backlog", params={"permit_type": permit_type}, headers=officials
    )

    assert response.status_code == 200
    assert response.json() == [
        {
            "permit_type": permit_type,
            "kecamatan": K2,
            "stage": "verification",
            "open": 1,
            "at_risk": 0,
            "overdue": 1,
            "age_0_2": 0,
            "age_3_5": 1,
            "age_6_10": 0,
            "age_over_10": 0,
        }
    ]


async def test_a_redelivered_step_changes_no_figure(
    feed: Feed, monitoring_client: httpx.AsyncClient, officials: dict[str, str], year: int
) -> None:
    permit_type = f"T{uuid.uuid4().hex[:8]}"
    application = uuid.uuid4()
    submitted = step(
        application, "submit", "draft", "submitted", day(year, 3, 2), kecamatan=K1,
        permit_type=permit_type, opens=opened("verification", day(year, 3, 2), day(year, 3, 4)),
    )  # fmt: skip
    event_id = await feed.send(submitted, subject=application, at=submitted.at)
    await feed.applied([event_id])
    before = await figures(monitoring_client, officials, year, permit_type=permit_type)
    duplicates_before = await duplicates_counted(monitoring_client)

    # The same event (same id) again, twice: what a producer retry or a rebalance does.
    for _ in range(2):
        await feed.resend(event_id)

    await eventually(
        lambda: duplicates_counted(monitoring_client),
        until=lambda n: n >= duplicates_before + 2,
        what="both repeats recognised as duplicates",
    )
    assert await figures(monitoring_client, officials, year, permit_type=permit_type) == before
    assert before[0]["received"] == 1
