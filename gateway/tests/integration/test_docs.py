"""The docs pages work with no network beyond loopback, and what they link to is served.

A real gateway (real PostgreSQL and Kafka) is started over HTTP on a loopback port, with one
small upstream whose operation the merged document must show; Debian's Chromium, driven by
Playwright (never a browser Playwright downloads), opens ``/docs`` and ``/redoc`` and may
reach nothing but ``127.0.0.1``: every other request is refused and counted, and a
resolver rule makes any other host unresolvable besides.
"""

import json
import re
import shutil
from collections.abc import AsyncIterator
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from playwright.async_api import Browser, Page, Request, Route, async_playwright

from kota_dev.pytest_plugin import Infrastructure, migrated_database
from kota_gateway.config import GatewaySettings
from kota_gateway.main import create_app as create_gateway
from kota_shared.events.asyncapi import render
from kota_shared.testing.servers import serve_app

REPO = Path(__file__).resolve().parents[3]
EVENT_SCHEMAS = REPO / "schemas" / "events"
ASYNCAPI = REPO / "schemas" / "asyncapi.json"
PROBLEM_CATALOGUE = REPO / "gateway/src/kota_gateway/composition/problem_catalogue.json"
LOOPBACK = "127.0.0.1"
ADMIN_USERNAME = "docs.admin"
ADMIN_PASSWORD = "Sandi-Uji-Dokumen-2026"


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Chromium is needed: apt-get install -y chromium (scripts/bootstrap.sh --test)"
    return path


def demo_upstream() -> FastAPI:
    """A service with one operation, so the merged document has more than the gateway's."""
    app = FastAPI(title="Demo", description="A demonstration service.")

    @app.get("/v1/demo/things", summary="List the demo things")
    async def list_things() -> list[str]:
        return []

    return app


@pytest.fixture(scope="module")
async def gateway_url(
    infrastructure: Infrastructure,
    service_env: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[str]:
    database = await migrated_database(infrastructure, "kota_gateway:migrations", "gateway")
    async with serve_app(demo_upstream()) as demo:
        settings = GatewaySettings(
            **service_env,
            database_url=database,
            upstreams={"demo": demo},
            overview_sections={},
            signing_key_dir=tmp_path_factory.mktemp("keys"),
            first_admin_username=ADMIN_USERNAME,
            first_admin_password=ADMIN_PASSWORD,
        )
        async with serve_app(create_gateway(settings)) as url:
            yield url


@pytest.fixture(scope="module")
async def gateway(gateway_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=gateway_url) as client:
        yield client


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium(),
            headless=True,
            # Nothing but loopback resolves, whatever a page might try.
            args=[f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {LOOPBACK}"],
        )
        try:
            yield browser
        finally:
            await browser.close()


REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
"""ReDoc's bundle always tries to show its maker's logo; the page's CSP stops it before any
request is made (and the bundle then hides the image)."""
_POLICY_BLOCK = re.compile(r"Loading the \w+ '([^']+)' violates the following Content Security")


class OfflinePage:
    """A page that may load from loopback only; records what else it tried and its errors."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.refused: list[str] = []
        self.blocked_by_policy: list[str] = []
        self.errors: list[str] = []

    async def guard(self, route: Route, request: Request) -> None:
        if urlsplit(request.url).hostname == LOOPBACK:
            await route.continue_()
        else:
            self.refused.append(request.url)
            await route.abort()

    def console(self, kind: str, text: str) -> None:
        blocked = _POLICY_BLOCK.match(text)
        if blocked:
            self.blocked_by_policy.append(blocked.group(1))
        elif kind == "error":
            self.errors.append(text)


@pytest.fixture
async def offline(browser: Browser) -> AsyncIterator[OfflinePage]:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    offline = OfflinePage(page)
    await context.route("**/*", offline.guard)
    page.on("console", lambda message: offline.console(message.type, message.text))
    page.on("pageerror", lambda error: offline.errors.append(str(error)))
    try:
        yield offline
    finally:
        await context.close()


async def test_swagger_ui_lists_the_operations_with_no_network_beyond_loopback(
    offline: OfflinePage, gateway_url: str, tmp_path: Path
) -> None:
    page = offline.page

    await page.goto(f"{gateway_url}/docs")
    await page.locator(".opblock").first.wait_for(timeout=30_000)
    paths = await page.locator(".opblock-summary-path").all_inner_texts()
    screenshot = tmp_path / "docs.png"
    await page.screenshot(path=str(screenshot), full_page=False)

    normalised = {path.replace("\u200b", "") for path in paths}
    assert "/v1/auth/token" in normalised  # the gateway's own
    assert "/v1/demo/things" in normalised  # the upstream's, merged
    assert len(normalised) >= 10
    assert await page.locator('.info a[href="/asyncapi.json"]').count() == 1
    assert await page.locator('.info a[href="/problems"]').count() == 1
    assert offline.refused == []
    assert offline.blocked_by_policy == []
    assert offline.errors == []
    assert screenshot.stat().st_size > 10_000


async def test_the_authorize_button_signs_in_and_try_it_out_sends_the_token(
    offline: OfflinePage, gateway_url: str, tmp_path: Path
) -> None:
    """The document's OAuth2 password flow is what Swagger UI's Authorize dialog uses: an
    officer signs in there, and "Try it out" then calls an operation with the token."""
    page = offline.page
    calls: list[tuple[str, str | None]] = []
    page.on(
        "request",
        lambda request: calls.append((request.url, request.headers.get("authorization"))),
    )

    await page.goto(f"{gateway_url}/docs")
    await page.locator(".opblock").first.wait_for(timeout=30_000)
    await page.locator("button.authorize").first.click()
    dialog = page.locator(".auth-container", has=page.locator("#oauth_username"))
    await dialog.locator("#oauth_username").fill(ADMIN_USERNAME)
    await dialog.locator("#oauth_password").fill(ADMIN_PASSWORD)
    await dialog.locator("button.authorize").click()
    # Signed in, the dialog shows the flow as authorized, with a Logout button.
    logout = page.locator(".auth-container button.authorize", has_text="Logout")
    await logout.first.wait_for(timeout=15_000)
    await page.screenshot(path=str(tmp_path / "authorized.png"))
    await page.locator("button.close-modal").click()

    clients = page.locator(
        ".opblock-get", has=page.locator('.opblock-summary-path[data-path="/v1/auth/clients"]')
    )
    await clients.locator(".opblock-summary").click()
    await clients.locator("button.try-out__btn").click()
    await clients.locator("button.execute").click()
    status = clients.locator(".live-responses-table .response .response-col_status").first
    await status.wait_for(timeout=15_000)
    await page.screenshot(path=str(tmp_path / "tried.png"))

    assert (await status.inner_text()).strip() == "200"
    signed_in = [url for url, _ in calls if url.endswith("/v1/auth/token")]
    listed = [auth for url, auth in calls if "/v1/auth/clients" in url and "token" not in url]
    assert len(signed_in) == 1
    assert listed
    assert str(listed[-1]).startswith("Bearer ")
    assert offline.refused == []
    assert offline.errors == []


async def test_redoc_renders_the_operations_with_no_network_beyond_loopback(
    offline: OfflinePage, gateway_url: str, tmp_path: Path
) -> None:
    page = offline.page

    await page.goto(f"{gateway_url}/redoc")
    heading = page.locator("h2", has_text="List the demo things")
    await heading.first.wait_for(timeout=60_000)
    await page.screenshot(path=str(tmp_path / "redoc.png"))

    assert await page.locator("[data-section-id*='operation/']").count() >= 10
    assert offline.refused == []
    assert set(offline.blocked_by_policy) <= {REDOC_LOGO}
    assert offline.errors == []


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]
        self._in_script = tag == "script" and not dict(attrs).get("src")

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_docs_pages_load_everything_from_the_gateway_itself(
    gateway: httpx.AsyncClient, page: str
) -> None:
    response = await gateway.get(page)
    links = _Links()
    links.feed(response.text)

    assert response.status_code == 200
    assert links.urls
    assert all(url.startswith("/") and not url.startswith("//") for url in links.urls)
    assert links.inline_scripts == 0
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "script-src 'self';" in response.headers["content-security-policy"]
    for url in links.urls:
        asset = await gateway.get(url)
        assert asset.status_code == 200, url


async def test_the_pinned_assets_are_those_of_the_package(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/docs/assets/swagger-ui-bundle.js")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "SwaggerUIBundle" in response.text[:2000]


def _catalogue() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(PROBLEM_CATALOGUE.read_text())
    return entries


async def test_every_problem_code_has_its_page_indonesian_first(
    gateway: httpx.AsyncClient,
) -> None:
    entries = _catalogue()
    index = await gateway.get("/problems")

    assert index.status_code == 200
    assert len(entries) > 50
    for entry in entries:
        code = entry["code"]
        assert f'href="/problems/{code}"' in index.text
        page = await gateway.get(f"/problems/{code}")
        assert page.status_code == 200, code
        assert page.headers["content-type"].startswith("text/html")
        text = page.text
        title_id = text.find(escape(entry["title_id"]))
        title_en = text.find(escape(entry["title_en"]))
        assert 0 <= title_id < title_en, code
        assert f"HTTP {entry['status']}" in text


async def test_a_problem_answers_type_resolves_to_its_page_on_the_gateway(
    gateway: httpx.AsyncClient,
) -> None:
    problem = await gateway.get("/v1/me/overview")  # no token: 401 unauthorized

    assert problem.status_code == 401
    body = problem.json()
    page = await gateway.get(urlsplit(body["type"]).path)
    assert page.status_code == 200
    assert f"<code>{body['code']}</code>" in page.text


async def test_codes_made_from_an_http_status_have_a_page_and_unknown_codes_do_not(
    gateway: httpx.AsyncClient,
) -> None:
    made = await gateway.get("/problems/method_not_allowed")
    unknown = await gateway.get("/problems/no_such_code")

    assert made.status_code == 200
    assert "HTTP 405" in made.text
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"


async def test_every_event_schema_is_served_as_committed(gateway: httpx.AsyncClient) -> None:
    index = await gateway.get("/schemas/events")
    files = sorted(EVENT_SCHEMAS.glob("*.json"))

    assert index.status_code == 200
    listed = {event["type"]: event["schema"] for event in index.json()["events"]}
    assert set(listed) == {path.stem for path in files}
    for path in files:
        served = await gateway.get(listed[path.stem])
        assert served.status_code == 200
        assert served.headers["content-type"] == "application/schema+json"
        assert served.text == path.read_text()


async def test_an_unknown_event_schema_is_a_404_problem(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/schemas/events/permits.application.approved.v9.json")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_the_asyncapi_catalogue_is_served_as_committed(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/asyncapi.json")

    assert response.status_code == 200
    assert response.text == ASYNCAPI.read_text()
    assert response.text == render(response.json())


async def test_the_api_description_links_to_the_reference_pages(
    gateway: httpx.AsyncClient,
) -> None:
    description = (await gateway.get("/openapi.json")).json()["info"]["description"]

    linked = set(re.findall(r"\]\((/[^)]*)\)", description))
    assert {"/problems", "/asyncapi.json", "/schemas/events", "/redoc"} <= linked
    for path in linked:
        assert (await gateway.get(path)).status_code == 200, path
