"""A scripted month of invoices gives exactly the payments figures officials expect: opened,
paid (and the share paid before the due time), expired, cancelled, refunds, anomalies and
revenue per channel; and fees per permit type, whichever topic monitoring reads first."""

import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest
from monitoring_events import day, opened, step
from monitoring_feed import Feed
from monitoring_service_events import Invoice, Story, publish, taken

from kota_contracts.payments import Channel
from kota_contracts.permits import FEE_INVOICE_SOURCE, StepTaken, fee_invoice_reference
from kota_dev.pytest_plugin import AuthHeaders

URL = "/v1/monitoring/payments"
REVENUE_URL = "/v1/monitoring/payments/revenue"
MONTH = 4


@pytest.fixture
def officials(auth_headers: AuthHeaders) -> dict[str, str]:
    return auth_headers("viewer-1", roles=["monitoring_viewer"])


async def get_rows(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], **params: str
) -> list[dict[str, Any]]:
    response = await client.get(url, params=params, headers=headers)
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()
    return rows


def month(year: int) -> dict[str, str]:
    return {"from": f"{year}-{MONTH:02d}-01", "to": f"{year}-{MONTH:02d}-30"}


async def script_month(feed: Feed, year: int, source: str) -> None:
    """Eight invoices of one source in April: paid on time by VA; paid late by QRIS;
    expired; cancelled; paid and refunded; paid another amount; a payment for an invoice
    never seen opened; one left open."""

    def d(n: int) -> datetime:
        return day(year, MONTH, n)

    on_time = Invoice(source, 100_000, due_at=d(3))
    late = Invoice(source, 50_000, due_at=d(2))
    expired = Invoice(source, 75_000, due_at=d(5))
    cancelled = Invoice(source, 20_000, due_at=d(9))
    refunded = Invoice(source, 30_000, due_at=d(10))
    short = Invoice(source, 40_000, due_at=d(10))
    unseen = Invoice(source, 60_000, due_at=d(10))
    still_open = Invoice(source, 10_000, due_at=d(20))
    await publish(
        feed,
        [
            on_time.created(d(1)),
            late.created(d(1)),
            expired.created(d(2)),
            cancelled.created(d(2)),
            on_time.paid(d(2), channel="va"),
            refunded.created(d(3)),
            cancelled.cancelled(d(3)),
            refunded.paid(d(3), channel="va"),
            short.created(d(4)),
            late.paid(d(4), channel="qris"),
            expired.expired(d(5)),
            short.paid(d(5), channel="qris", amount=45_000),
            unseen.paid(d(5), channel="va"),
            refunded.refunded(d(6)),
            still_open.created(d(6)),
        ],
    )


async def test_a_scripted_month_gives_exactly_the_expected_payment_figures(
    feed: Feed, monitoring_client: httpx.AsyncClient, officials: dict[str, str], year: int
) -> None:
    source = f"agency{uuid.uuid4().hex[:6]}"
    await script_month(feed, year, source)

    rows = await get_rows(
        monitoring_client, URL, officials, **month(year), group_by="source", source=source
    )

    assert rows == [
        {
            "source": source,
            "day": None,
            "month": None,
            # Every invoice seen opened (not the unseen one), and their rupiah.
            "opened": 7,
            "opened_amount": 100_000 + 50_000 + 75_000 + 20_000 + 30_000 + 40_000 + 10_000,
            # On time, late, refunded, short and unseen; three before their due time (the
            # late one after it, the unseen one against no due time monitoring knows).
            "paid": 5,
            "paid_within_due_share": 0.6,
            "expired": 1,
            "cancelled": 1,
            "refunds": 1,
            "refunded_amount": 30_000,
            # Another amount than invoiced, and an invoice monitoring never saw opened.
            "anomalies": 2,
            "revenue": 285_000,
            "revenue_va": 100_000 + 30_000 + 60_000,
            "revenue_qris": 50_000 + 45_000,
        }
    ]


async def test_payment_figures_per_day_and_month(
    feed: Feed, monitoring_client: httpx.AsyncClient, officials: dict[str, str], year: int
) -> None:
    source = f"agency{uuid.uuid4().hex[:6]}"
    await script_month(feed, year, source)

    by_day = await get_rows(
        monitoring_client, URL, officials, **month(year), group_by="day", source=source
    )
    fifth = f"{year}-{MONTH:02d}-05"
    one_day = await get_rows(
        monitoring_client, URL, officials, group_by="day", source=source,
        **{"from": fifth, "to": fifth},
    )  # fmt: skip
    by_month = await get_rows(
        monitoring_client, URL, officials, **month(year), group_by="month", source=source
    )

    assert [(r["day"], r["opened"], r["paid"], r["revenue"]) for r in by_day] == [
        (f"{year}-04-01", 2, 0, 0),
        (f"{year}-04-02", 2, 1, 100_000),
        (f"{year}-04-03", 1, 1, 30_000),
        (f"{year}-04-04", 1, 1, 50_000),
        (f"{year}-04-05", 0, 2, 105_000),
        (f"{year}-04-06", 1, 0, 0),
    ]
    assert one_day == [
        {
            "source": None,
            "day": fifth,
            "month": None,
            "opened": 0,
            "opened_amount": 0,
            "paid": 2,
            "paid_within_due_share": 0.5,  # the short payment was on time; the unseen not
            "expired": 1,
            "cancelled": 0,
            "refunds": 0,
            "refunded_amount": 0,
            "anomalies": 2,
            "revenue": 105_000,
            "revenue_va": 60_000,
            "revenue_qris": 45_000,
        }
    ]
    assert [(r["month"], r["opened"], r["paid"], r["revenue"]) for r in by_month] == [
        (f"{year}-04-01", 7, 5, 285_000)
    ]


async def test_a_payment_late_in_the_evening_counts_on_the_next_city_day(
    feed: Feed, monitoring_client: httpx.AsyncClient, officials: dict[str, str], year: int
) -> None:
    # 18:00 UTC on the 9th is 01:00 on the 10th in Kota Tangerang (UTC+7).
    source = f"agency{uuid.uuid4().hex[:6]}"
    invoice = Invoice(source, 25_000, due_at=day(year, MONTH, 12))
    await publish(
        feed,
        [
            invoice.created(day(year, MONTH, 9)),
            invoice.paid(day(year, MONTH, 9, hour=18), channel="qris"),
        ],
    )

    by_day = await get_rows(
        monitoring_client, URL, officials, **month(year), group_by="day", source=source
    )

    assert [(r["day"], r["opened"], r["paid"], r["revenue_qris"]) for r in by_day] == [
        (f"{year}-04-09", 1, 0, 0),
        (f"{year}-04-10", 0, 1, 25_000),
    ]


def submitted(application: uuid.UUID, permit_type: str, year: int) -> StepTaken:
    return step(
        application, "submit", "draft", "submitted", day(year, MONTH, 1), kecamatan="36.71.03",
        permit_type=permit_type,
        opens=opened("verification", day(year, MONTH, 1), day(year, MONTH, 3)),
    )  # fmt: skip


def fee(application: uuid.UUID, amount: int, year: int) -> Invoice:
    return Invoice(
        FEE_INVOICE_SOURCE,
        amount,
        due_at=day(year, MONTH, 20),
        source_reference=fee_invoice_reference(application),
    )


def paid_fee(invoice: Invoice, year: int, *, channel: Channel) -> Story:
    return [
        invoice.created(day(year, MONTH, 8)),
        invoice.paid(day(year, MONTH, 10), channel=channel),
    ]


async def test_revenue_is_reported_per_permit_type_and_channel(
    feed: Feed, monitoring_client: httpx.AsyncClient, officials: dict[str, str], year: int
) -> None:
    permit_type = f"T{uuid.uuid4().hex[:8]}"
    other_type = f"T{uuid.uuid4().hex[:8]}"
    source = f"agency{uuid.uuid4().hex[:6]}"
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await publish(
        feed,
        [
            taken(submitted(first, permit_type, year)),
            taken(submitted(second, permit_type, year)),
            taken(submitted(third, other_type, year)),
        ],
    )
    agency = Invoice(source, 5_000, due_at=day(year, MONTH, 20))
    await publish(
        feed,
        paid_fee(fee(first, 250_000, year), year, channel="qris")
        + paid_fee(fee(second, 150_000, year), year, channel="qris")
        + paid_fee(fee(third, 100_000, year), year, channel="va")
        + paid_fee(agency, year, channel="va"),
    )

    rows = await get_rows(monitoring_client, REVENUE_URL, officials, **month(year))

    # Sorted here: the database's collation decides how upper and lower case interleave.
    assert sorted(rows, key=lambda r: (r["item"], r["channel"])) == sorted(
        [
            {"item": permit_type, "channel": "qris", "payments": 2, "amount": 400_000},
            {"item": other_type, "channel": "va", "payments": 1, "amount": 100_000},
            {"item": source, "channel": "va", "payments": 1, "amount": 5_000},
        ],
        key=lambda r: (r["item"], r["channel"]),
    )


async def test_revenue_per_permit_type_does_not_depend_on_which_topic_is_read_first(
    feed: Feed, monitoring_client: httpx.AsyncClient, officials: dict[str, str], year: int
) -> None:
    permit_type = f"T{uuid.uuid4().hex[:8]}"
    application = uuid.uuid4()
    # The fee is opened and paid before monitoring has read the application's first step.
    await publish(feed, paid_fee(fee(application, 250_000, year), year, channel="qris"))
    before_the_step = await get_rows(monitoring_client, REVENUE_URL, officials, **month(year))

    await publish(feed, [taken(submitted(application, permit_type, year))])
    after_the_step = await get_rows(monitoring_client, REVENUE_URL, officials, **month(year))
    by_source = await get_rows(
        monitoring_client, URL, officials, **month(year), group_by="source",
        source=FEE_INVOICE_SOURCE,
    )  # fmt: skip

    # Until its application is known, a fee is reported under its source: never lost.
    assert before_the_step == [
        {"item": FEE_INVOICE_SOURCE, "channel": "qris", "payments": 1, "amount": 250_000}
    ]
    assert after_the_step == [
        {"item": permit_type, "channel": "qris", "payments": 1, "amount": 250_000}
    ]
    assert [(r["opened"], r["paid"], r["anomalies"], r["revenue_qris"]) for r in by_source] == [
        (1, 1, 0, 250_000)
    ]
