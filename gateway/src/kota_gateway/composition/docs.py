"""The API's docs pages (``/docs``: Swagger UI, ``/redoc``: ReDoc), served whole by the gateway.

FastAPI's own pages load their scripts from a CDN, with unpinned versions: on a city network
without internet they are blank, and what they run changes under us. Here the assets come
from a pinned package (``fastapi-offline``, which bundles Swagger UI 5 and ReDoc 2; its
version is fixed in the gateway's ``pyproject.toml``) and are served from ``/docs/assets``.
The pages have no inline script either, so they carry a Content-Security-Policy that lets
the browser load nothing from anywhere but the gateway itself.
"""

import json
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.routing import BaseRoute, Route

from kota_gateway.composition import catalogue, problem_pages

ASSETS_PACKAGE = "fastapi_offline"
ASSETS_URL = "/docs/assets"
OPENAPI_URL = "/openapi.json"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
DOCS_PATHS = frozenset({"/docs", "/redoc", OAUTH2_REDIRECT_URL})
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        # Both UIs set style attributes and inject <style> elements as they render.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        # ReDoc renders its search index in a worker started from a blob.
        "worker-src 'self' blob:",
        "frame-ancestors 'none'",
    )
)
SWAGGER_UI_PARAMETERS = {
    "url": OPENAPI_URL,
    "dom_id": "#swagger-ui",
    "deepLinking": True,
    "showExtensions": True,
    "showCommonExtensions": True,
    "displayRequestDuration": True,
    "persistAuthorization": False,
    "tryItOutEnabled": False,
}

REFERENCE = """\
**Reference** (served by this gateway, no internet needed):
[problem codes](/problems) — every `code` an error answer can carry, and what to do about it;
[event catalogue](/asyncapi.json) (AsyncAPI 3.0) — topics, event types, keys, ordering, headers;
[event schemas](/schemas/events) — the JSON Schema of each event's `data`;
[ReDoc](/redoc) — this document, for reading.
"""
"""Appended to the API's description, so the docs pages link to everything else."""

router = APIRouter(include_in_schema=False)


def assets_directory() -> Path:
    """The pinned package's static files: swagger-ui-bundle.js and .css, redoc.standalone.js."""
    return Path(str(files(ASSETS_PACKAGE) / "static"))


def _page(title: str, head: str, body: str) -> HTMLResponse:
    html = f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" type="image/png" href="{ASSETS_URL}/favicon.png">
{head}
</head>
<body>
{body}
</body>
</html>
"""
    return HTMLResponse(html, headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY})


@router.get("/docs")
async def swagger_ui() -> HTMLResponse:
    return _page(
        "Kota LIVE API — Swagger UI",
        f'<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">',
        '<div id="swagger-ui"></div>\n'
        f'<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>\n'
        '<script src="/docs/swagger-initializer.js"></script>',
    )


@router.get("/docs/swagger-initializer.js")
async def swagger_initializer() -> Response:
    """What FastAPI's page runs inline, as a script of its own (no ``'unsafe-inline'``)."""
    script = f"""window.ui = SwaggerUIBundle(Object.assign({json.dumps(SWAGGER_UI_PARAMETERS)}, {{
  oauth2RedirectUrl: window.location.origin + {json.dumps(OAUTH2_REDIRECT_URL)},
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  layout: "BaseLayout"
}}));
"""
    return Response(script, media_type="text/javascript")


@router.get(OAUTH2_REDIRECT_URL)
async def swagger_ui_oauth2_redirect() -> HTMLResponse:
    """Where an authorization-code sign-in returns to Swagger UI (FastAPI's page as is)."""
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
async def redoc() -> HTMLResponse:
    return _page(
        "Kota LIVE API — ReDoc",
        "",
        f'<redoc spec-url="{OPENAPI_URL}"></redoc>\n'
        f'<script src="{ASSETS_URL}/redoc.standalone.js"></script>',
    )


def serve_docs(app: FastAPI) -> None:
    """Replace FastAPI's CDN pages with these, mount the assets, and add the pages they
    link to: the problem codes and the event catalogue.

    FastAPI adds its own pages when the app is built, ahead of every router; a route
    matched first wins, so theirs are removed rather than shadowed.
    """
    app.router.routes[:] = [route for route in app.router.routes if not _is_default_docs(route)]
    for pages in (router, problem_pages.router, catalogue.router):
        app.include_router(pages)
    app.mount(ASSETS_URL, StaticFiles(directory=assets_directory()), name="docs-assets")


def _is_default_docs(route: BaseRoute) -> bool:
    return isinstance(route, Route) and route.path in DOCS_PATHS
