"""Who sees the dashboard and how they sign in; what the public page shows to anyone.

The monitoring app runs in-process on real PostgreSQL and Kafka; the gateway's token
endpoint is a stand-in on a loopback port (`token_desk`), signing with the key the app
verifies against. Each test talks through a client of its own, so cookies never carry over
from one test to the next, as they would not between two browsers.
"""

import re
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from monitoring_events import OFFICER, day, opened, step
from monitoring_feed import Feed
from token_desk import LOCKED, Account, TokenDesk

from kota_contracts.health import AppointmentBookedV2
from kota_shared.testing.servers import serve_app
from kota_shared.testing.tokens import TestSigner
from monitoring.config import MonitoringSettings
from monitoring.dashboard import csrf
from monitoring.dashboard.session import ACCESS_COOKIE, REFRESH_COOKIE

HOME = "/v1/monitoring/dashboard"
SIGN_IN = HOME + "/sign-in"
SIGN_OUT = HOME + "/sign-out"
PAGES = [
    HOME,
    *(f"{HOME}/{page}" for page in ("permits", "payments", "clinics", "schools", "alerts")),
]
PUBLIC = "/v1/monitoring/public"
VIEWER, VIEWER_PASSWORD = "pemantau", "Sandi-Pemantau-2026"
CITIZEN, CITIZEN_PASSWORD = "3671010101700001", "Sandi-Warga-2026"


@pytest.fixture(scope="module")
async def desk(signer: TestSigner) -> AsyncIterator[tuple[TokenDesk, str]]:
    desk = TokenDesk(
        signer,
        accounts={
            VIEWER: Account(VIEWER_PASSWORD, ["monitoring_viewer"]),
            CITIZEN: Account(CITIZEN_PASSWORD, ["citizen"]),
        },
    )
    async with serve_app(desk.app()) as url:
        yield desk, url


@pytest.fixture
def gateway(
    desk: tuple[TokenDesk, str], monitoring_settings: MonitoringSettings
) -> Iterator[TokenDesk]:
    """The app signs in at the stand-in for this test (its settings are read per request)."""
    token_desk, url = desk
    before = monitoring_settings.gateway_url, monitoring_settings.forward_client_address
    monitoring_settings.gateway_url = url
    yield token_desk
    monitoring_settings.gateway_url, monitoring_settings.forward_client_address = before


@pytest.fixture
async def browser(
    monitoring_app: FastAPI, monitoring_client: httpx.AsyncClient
) -> AsyncIterator[httpx.AsyncClient]:
    """A browser of its own: its own cookies, redirects not followed (they are checked)."""
    transport = httpx.ASGITransport(app=monitoring_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def cookies_set(response: httpx.Response) -> dict[str, SimpleCookie]:
    """Each cookie the response sets, by name, with its attributes."""
    found = {}
    for header in response.headers.get_list("set-cookie"):
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        (name,) = cookie.keys()
        found[name] = cookie
    return found


def attributes(header: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}


def set_cookie_header(response: httpx.Response, name: str) -> str:
    (header,) = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    return header


class _Page(HTMLParser):
    """What a page links and runs: its URLs, scripts, and its forms' hidden fields."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.inline_code = 0
        self.inline_styles = 0
        self.hidden: dict[str, str] = {}
        self.drills: dict[str, str] = {}
        """Each drill-down link's target, by what it narrows to."""
        self.figures: dict[str, str] = {}
        """Each headline figure's raw value, by its name."""
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        self.urls += [value for name, value in attrs if name in ("src", "href", "action") and value]
        self.inline_styles += "style" in named or tag == "style"
        if tag == "script":
            self._script = named
            self.scripts.append(named)
        if tag == "a" and named.get("data-drill"):
            self.drills[str(named["data-drill"])] = str(named.get("href"))
        if tag == "strong" and named.get("data-figure"):
            self.figures.setdefault(str(named["data-figure"]), str(named.get("data-value")))
        if tag == "input" and named.get("type") == "hidden" and named.get("name"):
            self.hidden[str(named["name"])] = str(named.get("value") or "")

    def handle_data(self, data: str) -> None:
        script = self._script
        runs = script is not None and script.get("type") != "application/json"
        if runs and script is not None and not script.get("src") and data.strip():
            self.inline_code += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def page_of(response: httpx.Response) -> _Page:
    page = _Page()
    page.feed(response.text)
    return page


def signed_in_as(browser: httpx.AsyncClient, token: str) -> None:
    browser.cookies.set(ACCESS_COOKIE, token, path="/v1/monitoring")


async def sign_in_form(browser: httpx.AsyncClient) -> str:
    """Open the sign-in form; its CSRF token."""
    form = await browser.get(SIGN_IN)
    assert form.status_code == 200, form.text
    return page_of(form).hidden[csrf.FIELD]


# Who may see the dashboard.


async def test_without_a_session_every_page_sends_to_the_sign_in_form(
    browser: httpx.AsyncClient,
) -> None:
    for path in PAGES:
        response = await browser.get(path, params={"from": "2026-03-01", "to": "2026-03-31"})

        assert response.status_code == 303, path
        location = response.headers["location"]
        assert location.startswith(f"{SIGN_IN}?next=%2Fv1%2Fmonitoring%2Fdashboard"), location
        assert "from%3D2026-03-01" in location  # back to the same page after signing in


async def test_a_citizens_token_gets_a_403_page_on_the_dashboard_and_the_api(
    browser: httpx.AsyncClient, signer: TestSigner
) -> None:
    token = signer.issue("citizen-dashboard", roles=["citizen"])
    signed_in_as(browser, token)

    for path in PAGES:
        page = await browser.get(path)

        assert page.status_code == 403, path
        assert page.headers["content-type"].startswith("text/html")
        assert "bukan untuk akun ini" in page.text
        assert token not in page.text
    api = await browser.get(
        "/v1/monitoring/permits/service-levels", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 403


async def test_forged_and_expired_tokens_send_to_the_sign_in_form(
    browser: httpx.AsyncClient, signer: TestSigner
) -> None:
    forger = TestSigner()
    forger.kid = signer.kid  # the right key's name, someone else's key
    forged = forger.issue("viewer-forged", roles=["monitoring_viewer"])
    expired = signer.issue("viewer-expired", roles=["monitoring_viewer"], ttl_seconds=-60)

    for token in (forged, expired, "not-a-token"):
        signed_in_as(browser, token)
        response = await browser.get(HOME)

        assert response.status_code == 303
        assert response.headers["location"].startswith(SIGN_IN)
        # The useless cookie is taken back.
        assert cookies_set(response)[ACCESS_COOKIE][ACCESS_COOKIE]["max-age"] == "0"


async def test_an_officials_token_opens_every_page_with_a_strict_policy(
    browser: httpx.AsyncClient, signer: TestSigner
) -> None:
    for role in ("monitoring_viewer", "city_admin"):
        token = signer.issue(f"{role}-pages", roles=[role])
        signed_in_as(browser, token)
        for path in PAGES:
            response = await browser.get(path)

            assert response.status_code == 200, (path, response.text[:500])
            policy = response.headers["content-security-policy"]
            assert "script-src 'self'" in policy
            assert "unsafe-inline" not in policy
            assert "unsafe-eval" not in policy
            assert "frame-ancestors 'none'" in policy
            assert response.headers["cache-control"] == "no-store"
            page = page_of(response)
            assert page.inline_code == 0
            assert page.inline_styles == 0
            elsewhere = [u for u in page.urls if not u.startswith(("/", "#")) or u[:2] == "//"]
            assert elsewhere == []
            assert token not in response.text


async def test_a_period_that_ends_before_it_starts_is_a_page_that_says_so(
    browser: httpx.AsyncClient, signer: TestSigner
) -> None:
    signed_in_as(browser, signer.issue("viewer-period", roles=["monitoring_viewer"]))

    page = await browser.get(f"{HOME}/permits", params={"from": "2026-03-31", "to": "2026-03-01"})
    typo = await browser.get(f"{HOME}/permits", params={"from": "kemarin"})

    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "Periode yang diminta tidak valid." in page.text
    assert typo.status_code == 400
    assert "Filter ini tidak valid." in typo.text


async def test_every_asset_a_page_links_is_served_by_monitoring(
    browser: httpx.AsyncClient, signer: TestSigner
) -> None:
    signed_in_as(browser, signer.issue("viewer-assets", roles=["monitoring_viewer"]))
    page = page_of(await browser.get(HOME))
    assets = [url for url in page.urls if url.startswith("/v1/monitoring/assets/")]

    assert any("chart.umd.min.js" in url for url in assets)
    assert any(url.split("?")[0].endswith(".css") for url in assets)
    for url in assets:
        asset = await browser.get(url)
        assert asset.status_code == 200, url
        assert "immutable" in asset.headers["cache-control"]
    unknown = await browser.get("/v1/monitoring/assets/../config.py")
    assert unknown.status_code == 404


async def test_an_official_drills_down_from_the_permit_types_to_a_district(
    browser: httpx.AsyncClient, signer: TestSigner, feed: Feed, year: int
) -> None:
    permit_type = f"D{uuid.uuid4().hex[:6].upper()}"
    story = [submitted(year, permit_type, "36.71.01") for _ in range(6)]
    story.append(submitted(year, permit_type, "36.71.02"))
    await feed.applied([await feed.send(data, subject=a, at=data.at) for a, data in story])
    signed_in_as(browser, signer.issue("viewer-drills", roles=["monitoring_viewer"]))
    march = {"from": f"{year}-03-01", "to": f"{year}-03-31"}

    city = page_of(await browser.get(f"{HOME}/permits", params=march))
    of_type = await browser.get(city.drills[permit_type])
    districts = page_of(of_type)
    in_district = await browser.get(districts.drills["36.71.01"])
    district_only = await browser.get(f"{HOME}/permits", params={**march, "kecamatan": "36.71.02"})
    overview = page_of(await browser.get(HOME, params=march))

    assert of_type.status_code == 200
    assert set(districts.drills) == {"36.71.01", "36.71.02"}
    assert districts.figures["received"] == "7"
    assert in_district.status_code == 200
    assert "36.71.01 Tangerang" in in_district.text
    assert page_of(in_district).figures["received"] == "6"
    assert "Verifikasi" in in_district.text  # the per-stage table of one type in one district
    assert district_only.status_code == 200
    assert permit_type in page_of(district_only).drills
    assert int(overview.figures["received"]) >= 7
    assert int(overview.figures["open"]) >= 7


async def test_the_clinics_page_shows_the_places_held_of_those_offered(
    browser: httpx.AsyncClient, signer: TestSigner, feed: Feed, year: int
) -> None:
    facility = f"PKM{uuid.uuid4().hex[:5].upper()}"
    visit = date(year, 3, 16)
    sent = [
        await feed.send(
            AppointmentBookedV2(
                booking_id=uuid.uuid4(),
                citizen_id=f"citizen-{number}",
                facility_id=uuid.uuid4(),
                facility_code=facility,
                kecamatan_code="36.71.01",
                service_code="UMUM",
                visit_date=visit,
                daily_quota=8,
                queue_number=number,
                queue_label=f"A-{number:03d}",
                assisted_by=None,
                booked_at=day(year, 3, 14),
            ),
            subject=uuid.uuid4(),
            at=day(year, 3, 14),
        )
        for number in range(1, 7)
    ]
    await feed.applied(sent)
    signed_in_as(browser, signer.issue("viewer-clinics", roles=["monitoring_viewer"]))

    page = await browser.get(
        f"{HOME}/clinics", params={"from": visit.isoformat(), "to": visit.isoformat()}
    )

    assert page.status_code == 200
    figures = page_of(page).figures
    assert (figures["booked"], figures["places"], figures["fill_rate"]) == ("6", "8", "0.75")
    assert "75,0%" in page.text
    assert "citizen-1" not in page.text


# Signing in through the form.


async def test_the_sign_in_form_refuses_a_post_without_this_browsers_csrf_token(
    browser: httpx.AsyncClient, gateway: TokenDesk, monitoring_app: FastAPI
) -> None:
    form = await browser.get(SIGN_IN)
    nonce_header = set_cookie_header(form, csrf.COOKIE)
    token = page_of(form).hidden[csrf.FIELD]
    credentials = {"username": VIEWER, "password": VIEWER_PASSWORD}
    transport = httpx.ASGITransport(app=monitoring_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        await other.get(SIGN_IN)  # another browser, with a nonce of its own
        posted_elsewhere = await other.post(SIGN_IN, data={**credentials, csrf.FIELD: token})

    without = await browser.post(SIGN_IN, data=credentials)
    wrong = await browser.post(SIGN_IN, data={**credentials, csrf.FIELD: token[:-4] + "AAAA"})
    cross_site = await browser.post(
        SIGN_IN, data={**credentials, csrf.FIELD: token}, headers={"Sec-Fetch-Site": "cross-site"}
    )

    assert {"httponly", "samesite", "path"} <= attributes(nonce_header)
    assert "SameSite=strict" in nonce_header or "SameSite=Strict" in nonce_header
    for refused in (without, wrong, posted_elsewhere, cross_site):
        assert refused.status_code == 403
        assert refused.headers.get_list("set-cookie") == []
    assert gateway.forwarded_for == []  # no sign-in was even tried


async def test_an_official_signs_in_with_the_form_and_gets_strict_session_cookies(
    browser: httpx.AsyncClient, gateway: TokenDesk
) -> None:
    token = await sign_in_form(browser)

    signed = await browser.post(
        SIGN_IN,
        data={
            "username": VIEWER,
            "password": VIEWER_PASSWORD,
            csrf.FIELD: token,
            "next": f"{HOME}/permits?from=2026-03-01&to=2026-03-31",
        },
    )

    assert signed.status_code == 303
    assert signed.headers["location"] == f"{HOME}/permits?from=2026-03-01&to=2026-03-31"
    for name in (ACCESS_COOKIE, REFRESH_COOKIE):
        header = set_cookie_header(signed, name)
        assert {"httponly", "samesite", "path"} <= attributes(header)
        assert "samesite=strict" in header.lower()
        assert "path=/v1/monitoring" in header.lower()
        assert "secure" not in attributes(header)  # plain HTTP here
    access = cookies_set(signed)[ACCESS_COOKIE][ACCESS_COOKIE].value
    assert access not in signed.headers["location"]
    page = await browser.get(signed.headers["location"])
    assert page.status_code == 200
    assert access not in page.text
    assert all(access not in url for url in page_of(page).urls)


async def test_cookies_are_secure_when_the_browser_came_over_https(
    browser: httpx.AsyncClient, gateway: TokenDesk
) -> None:
    https = {"X-Forwarded-Proto": "https"}
    form = await browser.get(SIGN_IN, headers=https)
    token = page_of(form).hidden[csrf.FIELD]
    browser.cookies.set(csrf.COOKIE, cookies_set(form)[csrf.COOKIE][csrf.COOKIE].value)

    signed = await browser.post(
        SIGN_IN,
        data={"username": VIEWER, "password": VIEWER_PASSWORD, csrf.FIELD: token},
        headers=https,
    )

    assert "secure" in attributes(set_cookie_header(form, csrf.COOKIE))
    assert signed.status_code == 303
    for name in (ACCESS_COOKIE, REFRESH_COOKIE, csrf.COOKIE):
        assert "secure" in attributes(set_cookie_header(signed, name)), name


async def test_a_wrong_password_or_a_lock_shows_the_form_again_without_a_session(
    browser: httpx.AsyncClient, gateway: TokenDesk
) -> None:
    token = await sign_in_form(browser)

    wrong = await browser.post(
        SIGN_IN, data={"username": VIEWER, "password": "tebakan", csrf.FIELD: token}
    )
    locked = await browser.post(
        SIGN_IN, data={"username": LOCKED, "password": "apa saja", csrf.FIELD: token}
    )

    assert wrong.status_code == 400
    assert "Nama pengguna atau kata sandi salah" in wrong.text
    assert locked.status_code == 429
    assert locked.headers["retry-after"] == "300"
    assert "5 menit" in locked.text
    for answer in (wrong, locked):
        assert ACCESS_COOKIE not in cookies_set(answer)
        assert REFRESH_COOKIE not in cookies_set(answer)


async def test_a_citizen_signing_in_gets_a_403_page_and_no_session(
    browser: httpx.AsyncClient, gateway: TokenDesk
) -> None:
    token = await sign_in_form(browser)

    answer = await browser.post(
        SIGN_IN, data={"username": CITIZEN, "password": CITIZEN_PASSWORD, csrf.FIELD: token}
    )

    assert answer.status_code == 403
    assert "bukan untuk akun ini" in answer.text
    assert ACCESS_COOKIE not in cookies_set(answer)
    assert REFRESH_COOKIE not in cookies_set(answer)
    assert gateway.signed_out  # its session ended at once at the gateway


async def test_an_expired_access_token_is_renewed_with_the_refresh_token(
    browser: httpx.AsyncClient, gateway: TokenDesk, signer: TestSigner
) -> None:
    refresh_token = str(gateway.tokens(VIEWER)["refresh_token"])
    signed_in_as(browser, signer.issue("viewer-renewed", ttl_seconds=-60))
    browser.cookies.set(REFRESH_COOKIE, refresh_token, path="/v1/monitoring")

    page = await browser.get(HOME)

    assert page.status_code == 200
    assert gateway.renewed[-1] == VIEWER
    renewed = cookies_set(page)
    assert renewed[REFRESH_COOKIE][REFRESH_COOKIE].value != refresh_token
    assert renewed[ACCESS_COOKIE][ACCESS_COOKIE].value
    # The used refresh token is spent: with it alone, the next page is the sign-in form.
    browser.cookies.clear()
    browser.cookies.set(REFRESH_COOKIE, refresh_token, path="/v1/monitoring")
    assert (await browser.get(HOME)).status_code == 303


async def test_signing_out_needs_the_csrf_token_and_ends_the_session(
    browser: httpx.AsyncClient, gateway: TokenDesk
) -> None:
    token = await sign_in_form(browser)
    signed = await browser.post(
        SIGN_IN, data={"username": VIEWER, "password": VIEWER_PASSWORD, csrf.FIELD: token}
    )
    refresh_token = cookies_set(signed)[REFRESH_COOKIE][REFRESH_COOKIE].value
    page = await browser.get(HOME)
    sign_out_token = page_of(page).hidden[csrf.FIELD]

    refused = await browser.post(SIGN_OUT, data={})
    out = await browser.post(SIGN_OUT, data={csrf.FIELD: sign_out_token})

    assert refused.status_code == 403
    assert out.status_code == 303
    assert out.headers["location"].startswith(SIGN_IN)
    for name in (ACCESS_COOKIE, REFRESH_COOKIE):
        assert cookies_set(out)[name][name]["max-age"] == "0"
    assert refresh_token in gateway.signed_out
    assert (await browser.get(HOME)).status_code == 303


async def test_the_browsers_address_is_passed_on_only_when_the_gateway_trusts_monitoring(
    browser: httpx.AsyncClient, gateway: TokenDesk, monitoring_settings: MonitoringSettings
) -> None:
    forwarded = {"X-Forwarded-For": "203.0.113.7"}
    credentials = {"username": VIEWER, "password": VIEWER_PASSWORD}

    token = await sign_in_form(browser)
    await browser.post(SIGN_IN, data={**credentials, csrf.FIELD: token}, headers=forwarded)
    browser.cookies.clear()
    monitoring_settings.forward_client_address = True
    token = await sign_in_form(browser)
    await browser.post(SIGN_IN, data={**credentials, csrf.FIELD: token}, headers=forwarded)

    assert gateway.forwarded_for[-2:] == [None, "203.0.113.7"]


# The language.


async def test_pages_are_indonesian_unless_english_is_chosen_and_the_choice_is_kept(
    browser: httpx.AsyncClient,
) -> None:
    default = await browser.get(SIGN_IN)
    chosen = await browser.get(SIGN_IN, params={"lang": "en"})
    kept = await browser.get(SIGN_IN)

    assert '<html lang="id">' in default.text
    assert "Masuk ke dasbor" in default.text
    assert default.headers["content-language"] == "id"
    assert '<html lang="en">' in chosen.text
    assert "Sign in to the dashboard" in chosen.text
    assert chosen.headers["content-language"] == "en"
    assert "samesite=strict" in set_cookie_header(chosen, "kota_monitoring_lang").lower()
    assert '<html lang="en">' in kept.text
    assert 'href="/v1/monitoring/dashboard/sign-in?lang=id"' in kept.text  # the switch back


# The public page and open data.


def submitted(year: int, permit_type: str, kecamatan: str) -> tuple[uuid.UUID, Any]:
    application_id = uuid.uuid4()
    at = day(year, 3, 10)
    return application_id, step(
        application_id,
        "submit",
        "draft",
        "submitted",
        at,
        permit_type=permit_type,
        kecamatan=kecamatan,
        assisted_by=OFFICER,
        opens=opened("verification", at, day(year, 3, 12)),
    )


async def test_the_public_page_and_open_data_need_no_sign_in_and_suppress_small_cells(
    browser: httpx.AsyncClient, feed: Feed, year: int
) -> None:
    # Three permit types in one March: 7, 6 and 2 applications.
    big, middle, small = (f"P{uuid.uuid4().hex[:6].upper()}" for _ in range(3))
    story = [
        submitted(year, permit_type, "36.71.01")
        for permit_type, count in ((big, 7), (middle, 6), (small, 2))
        for _ in range(count)
    ]
    await feed.applied([await feed.send(data, subject=a, at=data.at) for a, data in story])

    page = await browser.get(PUBLIC, params={"year": year})
    csv = await browser.get(f"{PUBLIC}/data/permits-by-type-monthly.csv", params={"year": year})
    data = await browser.get(f"{PUBLIC}/data/permits-by-type-monthly.json", params={"year": year})
    districts = await browser.get(
        f"{PUBLIC}/data/permits-by-district-monthly.json", params={"year": year}
    )

    for answer in (page, csv, data, districts):
        assert answer.status_code == 200, answer.text
        for application_id, _data in story:
            assert str(application_id) not in answer.text
        assert OFFICER not in answer.text
    received = {
        permit_type: re.search(
            rf'data-permit-type="{permit_type}">.*?data-column="received">([^<]+)<',
            page.text,
            re.DOTALL,
        )
        for permit_type in (big, middle, small)
    }
    assert {t: m.group(1) if m else None for t, m in received.items()} == {
        big: "7",
        # 2 is under the minimum; 6 goes with it, or the total (15) minus 7 would give it.
        small: "&lt;5",
        middle: "&lt;5",
    }
    rows = {row["permit_type"]: row for row in data.json()["data"]}
    assert rows[big]["received"] == 7
    assert rows[small]["received"] == "<5"
    assert rows[middle]["received"] == "<5"
    assert f"{year}-03-01,{big},7," in csv.text
    assert f"{year}-03-01,{small},<5," in csv.text
    assert csv.headers["content-type"].startswith("text/csv")
    (district,) = [r for r in districts.json()["data"] if r["month"] == f"{year}-03-01"]
    assert (district["kecamatan_code"], district["received"]) == ("36.71.01", 15)


async def test_every_dataset_has_its_metadata_with_kemendagri_codes(
    browser: httpx.AsyncClient,
) -> None:
    catalogue = await browser.get(f"{PUBLIC}/data")

    assert catalogue.status_code == 200
    documents = catalogue.json()["datasets"]
    assert len(documents) >= 4
    for document in documents:
        assert {"id", "en"} <= set(document["title"])
        assert document["licence"]["id"] == "CC-BY-4.0"
        assert document["publisher"]
        assert document["update_frequency"]["code"] == "daily"
        assert "Satu Data Indonesia" in document["data_standard"]["id"]
        assert document["suppression"]["minimum_count"] == 5
        assert all(column["description"]["id"] for column in document["columns"])
        for distribution in document["distributions"]:
            download = await browser.get(distribution["url"])
            assert download.status_code == 200, distribution["url"]
        metadata = await browser.get(document["metadata_url"])
        assert metadata.json()["identifier"] == document["identifier"]
    (by_district,) = [d for d in documents if d["identifier"] == "permits-by-district-monthly"]
    (codes,) = by_district["reference_codes"]
    assert codes["column"] == "kecamatan_code"
    assert {"code": "36.71.01", "name": "Tangerang"} in codes["codes"]
    assert "Kemendagri" in codes["code_list"]
    unknown = await browser.get(f"{PUBLIC}/data/no-such-dataset.csv")
    assert unknown.status_code == 404


async def test_the_public_page_needs_no_sign_in_and_runs_no_inline_script(
    browser: httpx.AsyncClient,
) -> None:
    response = await browser.get(PUBLIC)

    assert response.status_code == 200
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page = page_of(response)
    assert page.inline_code == 0
    assert page.inline_styles == 0
    assert any(url.endswith(".csv") for url in page.urls)
    assert response.headers.get_list("set-cookie") == []
