"""The dashboard and the public page in a real browser, through the gateway, with every
process running: an official signs in with the form, watches the figures change as a permit
goes through the spine (applied, approved, paid at the bank, issued), drills down to its
district, switches to English, and reads it all on a 360 px phone and on a wall screen. The
public page opens without signing in.

Debian's Chromium, driven by Playwright (never a browser Playwright downloads), may reach
nothing but the suite on 127.0.0.1: every other request is refused and counted, so a page
that needed a CDN would fail here. Screenshots are kept as test artefacts in
``.kota/artefacts/dashboard/`` (``KOTA_ARTEFACTS_DIR`` moves them).
"""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from e2e_suite import Suite, apply, eventually, new_citizen, new_staff
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Request,
    Route,
    ViewportSize,
    sync_playwright,
)

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
ARTEFACTS = Path(os.environ.get("KOTA_ARTEFACTS_DIR", REPO / ".kota" / "artefacts")) / "dashboard"
LOOPBACK = "127.0.0.1"
DASHBOARD = "/v1/monitoring/dashboard"
APPLICATIONS = "/v1/permits/applications"
PERMIT_TYPE = "REKLAME"
DISTRICT = "36.71.01"  # the district `apply` names (367101): Kecamatan Tangerang
BILLBOARD = {
    "site_address": "Jl. Jenderal Sudirman No. 1, Tangerang",
    "ad_type": "billboard",
    "width_m": "4",
    "height_m": "8",
    "faces": 2,
    "content": "Festival Kuliner Kota Tangerang",
    "start_date": "2027-01-04",
    "end_date": "2027-03-31",
}
PHONE: ViewportSize = {"width": 360, "height": 780}
LAPTOP: ViewportSize = {"width": 1280, "height": 900}
WALL: ViewportSize = {"width": 1920, "height": 1080}
_POLICY_BLOCK = re.compile(r"violates the following Content Security Policy")


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Chromium is needed: apt-get install -y chromium (scripts/bootstrap.sh --test)"
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium(),
            headless=True,
            args=[f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {LOOPBACK}"],
        )
        try:
            yield browser
        finally:
            browser.close()


class Watched:
    """A browser context that may load from loopback only, and remembers what it tried."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.page = context.new_page()
        self.refused: list[str] = []
        self.errors: list[str] = []
        self.urls: list[str] = []
        context.route("**/*", self._guard)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _guard(self, route: Route, request: Request) -> None:
        self.urls.append(request.url)
        if urlsplit(request.url).hostname == LOOPBACK:
            route.continue_()
        else:
            self.refused.append(request.url)
            route.abort()

    def _console(self, message: object) -> None:
        text, kind = getattr(message, "text", ""), getattr(message, "type", "")
        if kind == "error" or _POLICY_BLOCK.search(text):
            self.errors.append(text)

    def shot(self, name: str, *, full_page: bool = True) -> Path:
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTEFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport=LAPTOP, locale="id-ID")
    try:
        yield Watched(context)
    finally:
        context.close()


def figure(page: Page, key: str) -> int:
    """A headline figure's raw value (its ``data-value``), as the page shows it now."""
    value = page.locator(f'.tiles [data-figure="{key}"]').first.get_attribute("data-value")
    return int(float(value or 0))


def charts_drawn(page: Page) -> bool:
    """Whether every chart the page holds was drawn by Chart.js on its canvas."""
    drawn: bool = page.evaluate(
        """() => [...document.querySelectorAll('canvas[data-chart]')]
              .every(c => window.Chart && window.Chart.getChart(c) && c.width > 0)"""
    )
    return drawn


def fits(page: Page, width: int) -> bool:
    """No sideways scrolling: the page is no wider than the screen."""
    scroll_width: int = page.evaluate("() => document.documentElement.scrollWidth")
    return scroll_width <= width


def issue_a_permit(gateway: httpx.Client, suite: Suite) -> str:
    """A billboard permit through the spine: applied for, approved, paid at the bank by
    virtual account, issued. Returns the application id."""
    officer = new_staff(gateway, suite, "petugas.dasbor", ["permits_officer"])
    citizen = new_citizen(gateway)
    application_id = apply(gateway, citizen, PERMIT_TYPE, BILLBOARD)
    claimed = gateway.post(f"{APPLICATIONS}/{application_id}/claim", headers=officer)
    assert claimed.status_code == 200, claimed.text
    approved = gateway.post(f"{APPLICATIONS}/{application_id}/approve", headers=officer)
    assert approved.status_code == 200, approved.text

    def invoice() -> list[dict[str, object]]:
        items = gateway.get("/v1/me/overview", headers=citizen).json()["sections"]
        return [
            item
            for item in items["unpaid_invoices"]["items"]
            if item["source_reference"] == f"permits:application:{application_id}"
        ]

    (unpaid,) = eventually(invoice, until=bool, what="the permit's invoice")
    paid = httpx.post(
        f"{suite.paysim}/simulator/va/{unpaid['va_number']}/payments",
        json={"amount": unpaid["amount_rupiah"]},
    )
    assert paid.status_code == 201, paid.text
    eventually(
        lambda: gateway.get(f"{APPLICATIONS}/{application_id}", headers=citizen).json()["status"],
        until=lambda status: status == "issued",
        within=60,
        what="the permit issued after payment",
    )
    return application_id


def test_an_official_signs_in_watches_a_permit_counted_and_drills_down(
    watched: Watched, gateway: httpx.Client, suite: Suite
) -> None:
    new_staff(gateway, suite, "pemantau.dasbor", ["monitoring_viewer"])
    page = watched.page

    # Not signed in: the dashboard sends the browser to the sign-in form, then back.
    page.goto(f"{suite.gateway}{DASHBOARD}/permits")
    assert urlsplit(page.url).path == f"{DASHBOARD}/sign-in"
    assert page.locator("html").get_attribute("lang") == "id"
    watched.shot("sign-in")
    page.fill("#username", "pemantau.dasbor")
    page.fill("#password", "pemantau.dasbor-rahasia-1")
    page.click("form.sign-in button[type=submit]")
    page.wait_for_url(re.compile(rf".*{DASHBOARD}/permits\b.*"))
    assert page.locator("h1").inner_text().startswith("Perizinan")

    (access,) = [c for c in watched.context.cookies() if c["name"] == "kota_monitoring_access"]
    assert access["httpOnly"] is True
    assert access["sameSite"] == "Strict"
    assert access["path"] == "/v1/monitoring"
    issued_before = figure(page, "issued")

    application_id = issue_a_permit(gateway, suite)

    def issued_now() -> int:
        page.reload()
        return figure(page, "issued")

    eventually(
        issued_now,
        until=lambda issued: issued >= issued_before + 1,
        within=60,
        what="the dashboard to count the issued permit",
    )
    assert charts_drawn(page)
    watched.shot("permits")

    # Drill down: the permit type, then its district.
    page.click(f'table.breakdown a[data-drill="{PERMIT_TYPE}"]')
    page.wait_for_url(re.compile(rf".*permit_type={PERMIT_TYPE}.*"))
    assert figure(page, "issued") >= 1
    page.click(f'table.breakdown a[data-drill="{DISTRICT}"]')
    page.wait_for_url(re.compile(r".*kecamatan=36\.71\.01.*"))
    query = parse_qs(urlsplit(page.url).query)
    assert (query["permit_type"], query["kecamatan"]) == ([PERMIT_TYPE], [DISTRICT])
    heading = page.locator("h1").inner_text()
    assert PERMIT_TYPE in heading
    assert "Tangerang" in heading
    assert figure(page, "issued") >= 1
    assert charts_drawn(page)
    watched.shot("district")

    # The language switch: the same page, in English, and it stays so.
    page.click('.languages a[data-lang="en"]')
    page.wait_for_url(re.compile(r".*lang=en.*"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith(f"Permit type {PERMIT_TYPE} in")
    page.click('.menu a[href="/v1/monitoring/dashboard"]')
    page.wait_for_url(re.compile(rf".*{DASHBOARD}$"))
    assert page.locator("h1").inner_text() == "How the city serves"
    assert charts_drawn(page)
    watched.shot("overview-english")

    # A wall screen, and a 360 px phone: nothing scrolls sideways.
    page.set_viewport_size(WALL)
    page.reload()
    assert charts_drawn(page)
    watched.shot("overview-wall", full_page=False)
    for path in (DASHBOARD, f"{DASHBOARD}/permits", f"{DASHBOARD}/alerts"):
        page.set_viewport_size(PHONE)
        page.goto(f"{suite.gateway}{path}")
        assert fits(page, PHONE["width"]), path
        assert charts_drawn(page)
    page.goto(f"{suite.gateway}{DASHBOARD}/permits?permit_type={PERMIT_TYPE}")
    assert fits(page, PHONE["width"])
    watched.shot("permits-phone")

    # Signing out ends the session: the dashboard asks to sign in again.
    page.click("form.sign-out button")
    page.wait_for_url(re.compile(rf".*{DASHBOARD}/sign-in\?signed_out=true.*"))
    page.goto(f"{suite.gateway}{DASHBOARD}")
    assert urlsplit(page.url).path == f"{DASHBOARD}/sign-in"

    assert all(access["value"] not in url for url in watched.urls)  # no token in a URL
    assert application_id not in page.content()
    assert watched.refused == []
    assert watched.errors == []


def test_kota_up_prints_where_the_dashboard_and_the_public_page_are(suite: Suite) -> None:
    banner = suite.log.read_text()

    assert f"dashboard: {suite.gateway}{DASHBOARD}" in banner
    assert f"{suite.gateway}/v1/monitoring/public" in banner


def test_the_public_page_opens_without_signing_in_on_a_phone(
    watched: Watched, suite: Suite
) -> None:
    page = watched.page
    page.set_viewport_size(PHONE)

    page.goto(f"{suite.gateway}/v1/monitoring/public")

    assert urlsplit(page.url).path == "/v1/monitoring/public"
    assert page.locator("h1").inner_text().startswith("Kinerja layanan kota")
    assert page.locator("#open-data a[data-download=csv]").count() >= 4
    assert charts_drawn(page)
    assert fits(page, PHONE["width"])
    watched.shot("public-phone")
    page.set_viewport_size(LAPTOP)
    page.reload()
    watched.shot("public")
    csv = page.request.get(f"{suite.gateway}/v1/monitoring/public/data/permits-by-type-monthly.csv")
    assert csv.status == 200
    assert csv.text().splitlines()[0].startswith("month,permit_type,received")
    assert watched.context.cookies() == []  # nothing set: no session, no choice made
    assert watched.refused == []
    assert watched.errors == []


def test_a_citizen_signing_in_gets_the_403_page(
    watched: Watched, gateway: httpx.Client, suite: Suite
) -> None:
    page = watched.page
    citizen_nik = _registered_citizen(gateway)

    page.goto(f"{suite.gateway}{DASHBOARD}/sign-in")
    page.fill("#username", citizen_nik)
    page.fill("#password", "kota-live-rahasia")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("form.sign-in button[type=submit]")

    assert answer.value.status == 403
    assert "bukan untuk akun ini" in page.content()
    assert [c["name"] for c in watched.context.cookies()] == ["kota_monitoring_csrf"]
    watched.shot("citizen-refused")
    # The browser reports the 403 itself; nothing else may have gone wrong.
    assert [e for e in watched.errors if "status of 403" not in e] == []


def _registered_citizen(gateway: httpx.Client) -> str:
    """A citizen's sign-in name (the NIK `new_citizen` registers), read back from /v1/me."""
    headers = new_citizen(gateway)
    return str(gateway.get("/v1/me", headers=headers).json()["nik"])
