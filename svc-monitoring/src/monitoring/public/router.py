"""The public transparency page (``/v1/monitoring/public``): anyone, no sign-in."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from kota_shared.db import DbSession
from monitoring.pages import language
from monitoring.pages.rendering import render
from monitoring.pages.route import PageRoute
from monitoring.public import metadata, transparency
from monitoring.public.datasets import Scope
from monitoring.public.scope import Year, public_scope
from monitoring.public.suppression import marker

router = APIRouter(include_in_schema=False, route_class=PageRoute)

PUBLIC_CACHE = "public, max-age=300"


@router.get("/v1/monitoring/public")
async def transparency_page(
    request: Request,
    db: DbSession,
    scope: Annotated[Scope, Depends(public_scope)],
    year: Year = None,
) -> Response:
    page = await transparency.page(db, scope=scope)
    return render(
        request,
        "public/transparency.html",
        written_in=language.of_page(request),
        cache=PUBLIC_CACHE,
        page=page,
        suppressed=marker(scope.minimum),
        urls=metadata.urls,
        year=year,
    )
