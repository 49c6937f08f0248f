"""The dashboard's pages (``/v1/monitoring/dashboard...``), for officials signed in with the
accounts the gateway issues. HTML only: the same figures as JSON or CSV are the API's."""

from contextlib import suppress
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from kota_shared.auth import Principal, TokenVerifier
from kota_shared.clock import Now, local_date
from kota_shared.db import DbSession
from kota_shared.pagination import Page
from kota_shared.problems import Unauthorized
from monitoring import filters
from monitoring.dashboard import (
    alerts,
    bookings,
    csrf,
    overview,
    payments,
    permits,
    registrations,
    session,
)
from monitoring.dashboard.gateway import GatewayUnavailable, SignInLocked, SignInRefused
from monitoring.dashboard.session import HOME, SIGN_IN, Reader
from monitoring.dependencies import KECAMATAN
from monitoring.filters import Period, PeriodQuery
from monitoring.messages import _
from monitoring.pages import cookies, language
from monitoring.pages.rendering import render
from monitoring.pages.route import PageRoute

router = APIRouter(prefix=HOME, include_in_schema=False, route_class=PageRoute)

PermitType = Annotated[str | None, Query(max_length=40)]
CLINIC_DAYS_BEHIND, CLINIC_DAYS_AHEAD = 7, 30
"""The clinics page's default period of visit days: a week back, a month ahead."""
MAX_FORM_FIELDS = 8
MAX_TEXT = 200


def _dashboard(
    request: Request,
    template: str,
    *,
    reader: Principal,
    section: str,
    period: Period | None = None,
    **context: Any,
) -> Response:
    """A signed-in page: with its section in the menu, the period's form, and sign-out."""
    return render(
        request,
        template,
        written_in=language.of_page(request),
        section=section,
        period=period,
        roles=sorted(reader.roles),
        csrf_token=csrf.form_token(request),
        **context,
    )


@router.get("")
async def dashboard(
    request: Request, reader: Reader, db: DbSession, now: Now, period: PeriodQuery
) -> Response:
    settings = request.app.state.runtime.settings
    page = await overview.page(
        db,
        period=period,
        now=now,
        districts=settings.districts,
        admission_year=period.until.year,
    )
    return _dashboard(
        request, "dashboard/overview.html", reader=reader, section="overview", period=period,
        page=page,
    )  # fmt: skip


@router.get("/permits")
async def permits_page(
    request: Request,
    reader: Reader,
    db: DbSession,
    now: Now,
    period: PeriodQuery,
    permit_type: PermitType = None,
    kecamatan: KECAMATAN = None,
) -> Response:
    page = await permits.page(
        db,
        period=period,
        now=now,
        scope=permits.PermitScope(permit_type, kecamatan),
        districts=request.app.state.runtime.settings.districts,
    )
    return _dashboard(
        request, "dashboard/permits.html", reader=reader, section="permits", period=period,
        page=page,
    )  # fmt: skip


@router.get("/payments")
async def payments_page(
    request: Request, reader: Reader, db: DbSession, period: PeriodQuery
) -> Response:
    page = await payments.page(db, period=period)
    return _dashboard(
        request, "dashboard/payments.html", reader=reader, section="payments", period=period,
        page=page,
    )  # fmt: skip


@router.get("/clinics")
async def clinics_page(
    request: Request,
    reader: Reader,
    db: DbSession,
    now: Now,
    since: Annotated[date | None, Query(alias="from")] = None,
    until: Annotated[date | None, Query(alias="to")] = None,
) -> Response:
    if since is None and until is None:
        today = local_date(now, request.app.state.runtime.settings.timezone)
        since = today - timedelta(days=CLINIC_DAYS_BEHIND)
        until = today + timedelta(days=CLINIC_DAYS_AHEAD)
    period = filters.period(request, now, since, until)
    page = await bookings.page(db, period=period)
    return _dashboard(
        request, "dashboard/clinics.html", reader=reader, section="clinics", period=period,
        page=page,
    )  # fmt: skip


@router.get("/schools")
async def schools_page(
    request: Request,
    reader: Reader,
    db: DbSession,
    now: Now,
    admission_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    year = admission_year or local_date(now, request.app.state.runtime.settings.timezone).year
    page = await registrations.page(db, admission_year=year)
    return _dashboard(
        request, "dashboard/schools.html", reader=reader, section="schools", page=page
    )


@router.get("/alerts")
async def alerts_page(
    request: Request,
    reader: Reader,
    db: DbSession,
    page: Page,
    kind: Literal["at_risk", "breached"] | None = None,
    permit_type: PermitType = None,
    kecamatan: KECAMATAN = None,
) -> Response:
    found = await alerts.page(
        db, page=page, kind=kind, permit_type=permit_type, kecamatan=kecamatan
    )
    older = None
    if found.older is not None:
        url = request.url.include_query_params(cursor=found.older)
        older = f"{url.path}?{url.query}"
    return _dashboard(
        request,
        "dashboard/alerts.html",
        reader=reader,
        section="alerts",
        page=found,
        older=older,
        kind=kind,
        permit_type=permit_type,
        kecamatan=kecamatan,
        districts=request.app.state.runtime.settings.districts,
    )


def _sign_in_form(
    request: Request,
    *,
    back_to: str,
    status: int = 200,
    error: Any = None,
    username: str = "",
    notice: Any = None,
) -> Response:
    return render(
        request,
        "dashboard/sign_in.html",
        written_in=language.of_page(request),
        status=status,
        csrf_token=csrf.form_token(request),
        back_to=back_to,
        error=error,
        notice=notice,
        username=username,
    )


def _refused(request: Request) -> Response:
    """A form without this browser's CSRF token: refused, and the browser left as it was."""
    cookies.forget_pending(request)
    return render(
        request, "dashboard/refused.html", written_in=language.of_page(request), status=403
    )


@router.get("/sign-in")
async def sign_in_form(
    request: Request,
    back_to: Annotated[str | None, Query(alias="next", max_length=2000)] = None,
    signed_out: Annotated[bool, Query()] = False,
) -> Response:
    target = session.safe_next(back_to)
    if await session.signed_in_already(request):
        return RedirectResponse(target, status_code=303)
    notice = _("You have signed out.") if signed_out else None
    return _sign_in_form(request, back_to=target, notice=notice)


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await request.form(max_fields=MAX_FORM_FIELDS, max_files=0)
    if not csrf.holds(request, form.get(csrf.FIELD)):
        return _refused(request)
    username = str(form.get("username") or "").strip()[:MAX_TEXT]
    password = str(form.get("password") or "")[:MAX_TEXT]
    target = session.safe_next(str(form.get("next") or ""))
    if not username or not password:
        return _sign_in_form(
            request,
            back_to=target,
            status=400,
            username=username,
            error=_("Enter your username and password."),
        )
    settings = request.app.state.runtime.settings
    desk = session.token_desk(request)
    try:
        tokens = await desk.sign_in(
            username=username,
            password=password,
            forwarded_for=request.headers.get("x-forwarded-for")
            if settings.forward_client_address
            else None,
        )
    except SignInRefused:
        return _sign_in_form(
            request,
            back_to=target,
            status=400,
            username=username,
            error=_("The username or password is not correct."),
        )
    except SignInLocked as locked:
        response = _sign_in_form(
            request,
            back_to=target,
            status=429,
            username=username,
            error=_(
                "Too many failed sign-ins with this name. Try again in {minutes} minutes.",
                minutes=max(1, -(-locked.retry_after // 60)),
            ),
        )
        response.headers["Retry-After"] = str(locked.retry_after)
        return response
    except GatewayUnavailable:
        return _sign_in_form(
            request,
            back_to=target,
            status=503,
            username=username,
            error=_("Signing in is not possible right now. Please try again shortly."),
        )
    verifier: TokenVerifier = request.app.state.token_verifier
    try:
        principal = await verifier.verify(tokens.access_token)
    except Unauthorized:
        principal = None
    if principal is None or not await session.admitted(principal):
        # Not an official's account: its session is ended at once, and never kept here.
        with suppress(GatewayUnavailable):
            await desk.sign_out(tokens.refresh_token)
        raise session.NotAReader()
    session.keep_tokens(request, tokens)
    csrf.renew(request)
    return RedirectResponse(target, status_code=303)


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    form = await request.form(max_fields=MAX_FORM_FIELDS, max_files=0)
    if not csrf.holds(request, form.get(csrf.FIELD)):
        return _refused(request)
    refresh_token = request.cookies.get(session.REFRESH_COOKIE)
    if refresh_token:
        # If the gateway cannot be told, the cookies go all the same, and the session ends
        # when its refresh token does.
        with suppress(GatewayUnavailable):
            await session.token_desk(request).sign_out(refresh_token)
    session.forget_tokens(request)
    return RedirectResponse(f"{SIGN_IN}?signed_out=true", status_code=303)
