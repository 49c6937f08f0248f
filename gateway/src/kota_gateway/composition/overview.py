"""``GET /v1/me/overview``: the app's home screen, gathered from the services at once.

Each section is one service call made with the caller's own token (the service decides what
the caller may see). Calls run concurrently with a deadline; a service that is down or slow
marks its section unavailable and the rest still answers 200, so one sick service never
blanks the citizen's home screen. The ``reason`` a section is unavailable is written for the
citizen, in their language.
"""

import asyncio
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from kota_contracts.access import Role
from kota_gateway.composition.settings import CompositionSettings, OverviewSection
from kota_gateway.edge.breaker import FAILING_STATUSES, CircuitOpen
from kota_gateway.edge.service_names import the_service
from kota_gateway.edge.upstreams import Upstreams
from kota_gateway.messages import _
from kota_shared.auth import Principal, Require
from kota_shared.i18n import Language, Message
from kota_shared.problems import request_language


class SectionResult(BaseModel):
    available: bool
    items: list[dict[str, Any]] = []
    reason: str | None = None


class Overview(BaseModel):
    sections: dict[str, SectionResult]


router = APIRouter(tags=["me"])
Citizen = Annotated[Principal, Depends(Require(roles={Role.CITIZEN}))]


def _settings(request: Request) -> CompositionSettings:
    settings = request.app.state.runtime.settings
    assert isinstance(settings, CompositionSettings)
    return settings


def _upstreams(request: Request) -> Upstreams:
    upstreams: Upstreams = request.app.state.upstreams
    return upstreams


Settings = Annotated[CompositionSettings, Depends(_settings)]
ServiceUpstreams = Annotated[Upstreams, Depends(_upstreams)]


def _unavailable(reason: Message, language: Language) -> SectionResult:
    return SectionResult(available=False, reason=reason.render(language))


async def _fetch(
    section: OverviewSection,
    *,
    upstreams: Upstreams,
    headers: dict[str, str],
    within: float,
    language: Language,
) -> SectionResult:
    """Read one section through its upstream's circuit breaker: an open circuit answers
    "unavailable" at once instead of spending the caller's time on a service known down."""
    service = the_service(section.service)
    upstream = upstreams.get(section.service)
    if upstream is None:
        return _unavailable(_("{service} is not available here.", service=service), language)
    try:
        admission = upstream.breaker.admit()
    except CircuitOpen:
        return _unavailable(_("{service} is unavailable right now.", service=service), language)
    try:
        response = await upstream.client.get(section.path, headers=headers, timeout=within)
    except httpx.HTTPError:
        upstream.breaker.failed(admission)
        return _unavailable(_("{service} is not answering right now.", service=service), language)
    except BaseException:
        upstream.breaker.abandoned(admission)
        raise
    if response.status_code in FAILING_STATUSES:
        upstream.breaker.failed(admission)
    else:
        upstream.breaker.succeeded(admission)
    if response.status_code != 200:
        return _unavailable(
            _(
                "{service} could not answer (status {status}).",
                service=service,
                status=response.status_code,
            ),
            language,
        )
    items = [
        item
        for item in response.json()
        if all(item.get(field) == value for field, value in section.only.items())
    ]
    return SectionResult(available=True, items=items)


@router.get(
    "/v1/me/overview",
    summary="Everything on the citizen's home screen",
    description=(
        "Who may call: a signed-in citizen, about themselves. Each section is read from its "
        "service with the caller's token; a section whose service is down or slow is marked "
        "`available: false` and the others are still returned."
    ),
)
async def overview(
    request: Request, _citizen: Citizen, settings: Settings, upstreams: ServiceUpstreams
) -> Overview:
    sections = settings.overview_sections
    headers = {
        name: value
        for name, value in request.headers.items()
        if name in ("authorization", "accept-language", "x-request-id")
    }
    within = settings.overview_timeout_seconds
    language = request_language(request)
    names = list(sections)
    results = await asyncio.gather(
        *(
            _fetch(
                sections[name],
                upstreams=upstreams,
                headers=headers,
                within=within,
                language=language,
            )
            for name in names
        )
    )
    return Overview(sections=dict(zip(names, results, strict=True)))
