"""An official's session on the dashboard: the gateway's tokens, kept in cookies.

The access token (15 minutes) and the refresh token live in two ``HttpOnly``,
``SameSite=Strict`` cookies scoped to ``/v1/monitoring`` (`monitoring.pages.cookies`);
never in a URL, never in a page. Every page verifies the access token as the API does
(`TokenVerifier`: the gateway's signature, issuer, audience, expiry) and admits the same
readers as the API (`monitoring.dependencies.READERS`). An access token that has expired is
renewed with the refresh token, at the gateway, on the page that finds it so; a session the
gateway has ended sends the reader to the sign-in form.

Two pages renewing the same session at once (two tabs reloaded together) present the same
refresh token twice; the gateway takes the second as a stolen token and ends the session,
and the reader signs in again. A wall screen reloading one page is never affected.
"""

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request, Response
from fastapi.responses import RedirectResponse

from kota_shared.auth import Principal, TokenVerifier
from kota_shared.problems import Forbidden, ServiceUnavailable, Unauthorized
from monitoring.dashboard import csrf
from monitoring.dashboard.gateway import GatewayUnavailable, TokenDesk, Tokens
from monitoring.dependencies import READERS
from monitoring.messages import _
from monitoring.pages import cookies, language
from monitoring.pages.rendering import render
from monitoring.pages.route import PageInterrupt

ACCESS_COOKIE = "kota_monitoring_access"
REFRESH_COOKIE = "kota_monitoring_refresh"
HOME = "/v1/monitoring/dashboard"
SIGN_IN = HOME + "/sign-in"


def token_desk(request: Request) -> TokenDesk:
    runtime = request.app.state.runtime
    return TokenDesk(http=runtime.http, gateway_url=runtime.settings.gateway_url)


def keep_tokens(request: Request, tokens: Tokens) -> None:
    """Hold the session's tokens in the browser's cookies (the refresh token until the
    browser is closed: the gateway bounds how long it works)."""
    cookies.keep(request, ACCESS_COOKIE, tokens.access_token, max_age=tokens.expires_in)
    cookies.keep(request, REFRESH_COOKIE, tokens.refresh_token)


def forget_tokens(request: Request) -> None:
    cookies.remove(request, ACCESS_COOKIE)
    cookies.remove(request, REFRESH_COOKIE)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a dashboard page of ours, never another site."""
    if (
        target
        and (target == HOME or target.startswith((HOME + "/", HOME + "?")))
        and not target.startswith(SIGN_IN)
        and "\\" not in target
        and ".." not in target
        and target.isprintable()
    ):
        return target
    return HOME


@dataclass
class SignInRequired(PageInterrupt):
    """No session, or one that has ended: to the sign-in form, then back to this page."""

    back_to: str

    def response(self, request: Request) -> Response:
        return RedirectResponse(f"{SIGN_IN}?{urlencode({'next': self.back_to})}", status_code=303)


class NotAReader(PageInterrupt):
    """Signed in, with an account that may not see the dashboard (a citizen's): a 403 page
    that offers to sign out, so another account can sign in."""

    def response(self, request: Request) -> Response:
        return render(
            request,
            "dashboard/forbidden.html",
            written_in=language.of_page(request),
            status=403,
            csrf_token=csrf.form_token(request),
        )


async def _verified(request: Request, token: str | None) -> Principal | None:
    if not token:
        return None
    verifier: TokenVerifier = request.app.state.token_verifier
    try:
        return await verifier.verify(token)
    except Unauthorized:
        return None


async def _renewed(request: Request) -> Principal | None:
    refresh_token = request.cookies.get(REFRESH_COOKIE)
    if not refresh_token:
        return None
    try:
        tokens = await token_desk(request).renew(refresh_token)
    except GatewayUnavailable as exc:
        # The session may well be good: keep its cookies, and say to try again shortly.
        raise ServiceUnavailable(_("Sign-in cannot be checked right now.")) from exc
    if tokens is None:
        return None
    keep_tokens(request, tokens)
    return await _verified(request, tokens.access_token)


async def admitted(principal: Principal) -> bool:
    """The API's rule: city administrators and monitoring viewers (and agency clients with
    ``monitoring:read``, who have no password to sign in here with)."""
    try:
        await READERS(principal)
    except Forbidden:
        return False
    return True


async def signed_in_already(request: Request) -> bool:
    """Whether the browser holds a live official's session (not renewed: only looked at)."""
    principal = await _verified(request, request.cookies.get(ACCESS_COOKIE))
    return principal is not None and await admitted(principal)


async def current_reader(request: Request) -> Principal:
    """The signed-in official this page is for; else to the sign-in form, or a 403 page."""
    principal = await _verified(request, request.cookies.get(ACCESS_COOKIE))
    if principal is None:
        principal = await _renewed(request)
    if principal is None:
        if request.cookies.get(ACCESS_COOKIE) or request.cookies.get(REFRESH_COOKIE):
            forget_tokens(request)
        query = f"?{request.url.query}" if request.url.query else ""
        raise SignInRequired(back_to=safe_next(request.url.path + query))
    if not await admitted(principal):
        raise NotAReader()
    return principal


Reader = Annotated[Principal, Depends(current_reader)]
"""The official reading the page: signed in, with an account the figures are for."""
