"""Who may read the figures, and what a bad request for them is answered with: every figures
endpoint admits city administrators, monitoring viewers and agencies granted `monitoring:read`
only; downloads are CSV with the rows' own columns, never a formula a spreadsheet would run;
and a period, page or filter out of bounds is a problem in words, never a slow query."""

import csv
import io
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
from monitoring_events import day
from monitoring_feed import Feed
from monitoring_service_events import Invoice, publish
from pydantic import BaseModel

from kota_dev.pytest_plugin import AuthHeaders, bearer
from kota_shared.pagination import encode_cursor
from kota_shared.testing.problems import assert_problem
from kota_shared.testing.tokens import TestSigner
from monitoring.education.schemas import RegistrationFigures
from monitoring.health.schemas import BookingFigures
from monitoring.payments.schemas import PaymentSummary, RevenueByItem
from monitoring.permits.schemas import PermitBacklog, PermitServiceLevels
from monitoring.reach.schemas import ReachFigures

PREFIX = "/v1/monitoring"
DOWNLOADS: dict[str, type[BaseModel]] = {
    f"{PREFIX}/permits/service-levels": PermitServiceLevels,
    f"{PREFIX}/permits/backlog": PermitBacklog,
    f"{PREFIX}/payments": PaymentSummary,
    f"{PREFIX}/payments/revenue": RevenueByItem,
    f"{PREFIX}/health/bookings": BookingFigures,
    f"{PREFIX}/education/registrations": RegistrationFigures,
    f"{PREFIX}/reach": ReachFigures,
}
"""Every figures endpoint that downloads as CSV, with the model of its rows."""
EVERY_ENDPOINT = [*DOWNLOADS, f"{PREFIX}/alerts"]
OVER_A_PERIOD = [
    f"{PREFIX}/permits/service-levels",
    f"{PREFIX}/payments",
    f"{PREFIX}/payments/revenue",
    f"{PREFIX}/health/bookings",
    f"{PREFIX}/reach",
]
"""The endpoints whose figures are over a period (``from``, ``to``)."""
BY_KECAMATAN = [f"{PREFIX}/permits/service-levels", f"{PREFIX}/permits/backlog", f"{PREFIX}/alerts"]
"""The endpoints that narrow to one district."""

Caller = Callable[[AuthHeaders, TestSigner], dict[str, str]]


def _forged_with_the_real_kid(auth: AuthHeaders, signer: TestSigner) -> dict[str, str]:
    # The right issuer, audience, claims and key id; signed by a key that is not the gateway's.
    forger = TestSigner()
    return bearer(forger.issue("viewer-9", roles=["city_admin"], headers={"kid": signer.kid}))


def _forged_with_its_own_key(auth: AuthHeaders, signer: TestSigner) -> dict[str, str]:
    return bearer(TestSigner().issue("viewer-9", roles=["city_admin"]))


REFUSED: dict[str, tuple[Caller, int, str]] = {
    "citizen": (lambda auth, _: auth("citizen-1", roles=["citizen"]), 403, "forbidden"),
    "permits officer": (
        lambda auth, _: auth("officer-1", roles=["permits_officer"]),
        403,
        "forbidden",
    ),
    "agency without monitoring:read": (
        lambda auth, _: auth("client-bank", roles=[], scopes=["permits:verify"]),
        403,
        "forbidden",
    ),
    "no token": (lambda auth, _: {}, 401, "unauthorized"),
    "not a token": (lambda auth, _: bearer("not-a-token"), 401, "unauthorized"),
    "forged with the gateway's kid": (_forged_with_the_real_kid, 401, "unauthorized"),
    "forged with a key of its own": (_forged_with_its_own_key, 401, "unauthorized"),
    "expired": (
        lambda auth, _: auth("viewer-1", roles=["monitoring_viewer"], ttl_seconds=-60),
        401,
        "unauthorized",
    ),
}

ADMITTED: dict[str, Caller] = {
    "monitoring viewer": lambda auth, _: auth("viewer-1", roles=["monitoring_viewer"]),
    "city admin": lambda auth, _: auth("admin-1", roles=["city_admin"]),
    "agency with monitoring:read": lambda auth, _: auth(
        "client-bappeda", roles=[], scopes=["monitoring:read"]
    ),
}


@pytest.fixture
def officials(auth_headers: AuthHeaders) -> dict[str, str]:
    return auth_headers("viewer-1", roles=["monitoring_viewer"])


@pytest.mark.parametrize("url", EVERY_ENDPOINT)
@pytest.mark.parametrize("caller", list(REFUSED))
async def test_only_officials_and_granted_agencies_read_the_figures(
    monitoring_client: httpx.AsyncClient,
    auth_headers: AuthHeaders,
    signer: TestSigner,
    url: str,
    caller: str,
) -> None:
    headers, status, code = REFUSED[caller]

    response = await monitoring_client.get(url, headers=headers(auth_headers, signer))

    assert_problem(response, status, code)


@pytest.mark.parametrize("url", EVERY_ENDPOINT)
@pytest.mark.parametrize("caller", list(ADMITTED))
async def test_officials_and_granted_agencies_read_every_figure(
    monitoring_client: httpx.AsyncClient,
    auth_headers: AuthHeaders,
    signer: TestSigner,
    url: str,
    caller: str,
) -> None:
    response = await monitoring_client.get(url, headers=ADMITTED[caller](auth_headers, signer))

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert isinstance(response.json(), list)


@pytest.mark.parametrize("url", list(DOWNLOADS))
async def test_figures_download_as_csv_with_the_rows_columns(
    monitoring_client: httpx.AsyncClient, officials: dict[str, str], url: str
) -> None:
    response = await monitoring_client.get(url, params={"format": "csv"}, headers=officials)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="'), disposition
    assert disposition.endswith('.csv"'), disposition
    header = next(csv.reader(io.StringIO(response.text)))
    assert header == list(DOWNLOADS[url].model_fields)


async def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_downloaded_as_text(
    feed: Feed, monitoring_client: httpx.AsyncClient, officials: dict[str, str], year: int
) -> None:
    # Payments writes whatever source name a client asked for: a formula is one of them.
    tag = uuid.uuid4().hex[:6]
    sources = [f'=HYPERLINK("http://x/{tag}")', f"+1+{tag}", f"-2+{tag}", f"@SUM({tag})"]
    invoices = [Invoice(source, 10_000, due_at=day(year, 7, 9)) for source in sources]
    await publish(feed, [invoice.created(day(year, 7, 1)) for invoice in invoices])
    params = {"from": f"{year}-07-01", "to": f"{year}-07-31", "group_by": "source"}

    as_json = await monitoring_client.get(f"{PREFIX}/payments", params=params, headers=officials)
    as_csv = await monitoring_client.get(
        f"{PREFIX}/payments", params={**params, "format": "csv"}, headers=officials
    )

    assert as_json.status_code == 200, as_json.text
    assert as_csv.status_code == 200, as_csv.text
    header, *rows = csv.reader(io.StringIO(as_csv.text))
    assert sorted(row[header.index("source")] for row in rows) == sorted(
        f"'{source}" for source in sources
    )
    # Beside the neutralised names, the download is the rows the dashboard shows.
    shown = {row["source"]: row for row in as_json.json()}
    for row in rows:
        source = row[header.index("source")].removeprefix("'")
        assert row == [f"'{source}" if c == "source" else _cell(shown[source][c]) for c in header]


def _cell(value: object) -> str:
    """A JSON value as the CSV writes it: empty for none."""
    return "" if value is None else str(value)


@pytest.mark.parametrize("url", OVER_A_PERIOD)
async def test_a_period_that_ends_before_it_starts_is_refused(
    monitoring_client: httpx.AsyncClient, officials: dict[str, str], url: str
) -> None:
    response = await monitoring_client.get(
        url, params={"from": "2201-03-02", "to": "2201-03-01"}, headers=officials
    )

    assert_problem(response, 422, "invalid_period")


@pytest.mark.parametrize("url", OVER_A_PERIOD)
async def test_a_period_over_366_days_is_refused_and_366_days_are_not(
    monitoring_client: httpx.AsyncClient, officials: dict[str, str], url: str
) -> None:
    # 2204 is a leap year: its 366 days are the longest period there is.
    too_long = await monitoring_client.get(
        url, params={"from": "2203-12-31", "to": "2204-12-31"}, headers=officials
    )
    longest = await monitoring_client.get(
        url, params={"from": "2204-01-01", "to": "2204-12-31"}, headers=officials
    )

    assert_problem(too_long, 422, "invalid_period")
    assert longest.status_code == 200, longest.text


@pytest.mark.parametrize("url", BY_KECAMATAN)
@pytest.mark.parametrize("kecamatan", ["36.71", "3671.07", "36.71.07x", "36.71.7"])
async def test_a_district_not_written_as_its_dotted_code_is_refused(
    monitoring_client: httpx.AsyncClient, officials: dict[str, str], url: str, kecamatan: str
) -> None:
    response = await monitoring_client.get(url, params={"kecamatan": kecamatan}, headers=officials)
    well_formed = await monitoring_client.get(
        url, params={"kecamatan": "36.71.07"}, headers=officials
    )

    assert_problem(response, 422, "validation_failed")
    assert well_formed.status_code == 200, well_formed.text


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        encode_cursor(("2201-01-01", 1)),  # a cursor, but of another list's keys
        encode_cursor((datetime(2201, 1, 1), uuid.uuid4())),  # a time without its zone
        encode_cursor((datetime(2201, 1, 1, tzinfo=UTC),)),  # too short
    ],
)
async def test_an_alerts_page_link_that_is_not_ours_is_refused(
    monitoring_client: httpx.AsyncClient, officials: dict[str, str], cursor: str
) -> None:
    response = await monitoring_client.get(
        f"{PREFIX}/alerts", params={"cursor": cursor}, headers=officials
    )

    assert_problem(response, 400, "invalid_cursor")


@pytest.mark.parametrize("limit", ["0", "101", "1000000", "100000000000000000000000"])
async def test_an_alerts_page_size_out_of_bounds_is_refused(
    monitoring_client: httpx.AsyncClient, officials: dict[str, str], limit: str
) -> None:
    response = await monitoring_client.get(
        f"{PREFIX}/alerts", params={"limit": limit}, headers=officials
    )

    assert_problem(response, 422, "validation_failed")


@pytest.mark.parametrize(
    "params",
    [
        {"admission_year": "2101"},
        {"admission_year": "1999"},
        {"school": "1234567"},
        {"school": "1234567a"},
        {"level": "TK"},
    ],
)
async def test_school_registrations_out_of_bounds_are_refused(
    monitoring_client: httpx.AsyncClient, officials: dict[str, str], params: dict[str, str]
) -> None:
    response = await monitoring_client.get(
        f"{PREFIX}/education/registrations", params=params, headers=officials
    )

    assert_problem(response, 422, "validation_failed")
