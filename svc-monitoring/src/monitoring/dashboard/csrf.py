"""CSRF protection of the dashboard's forms (sign in, sign out): signed double submit.

The browser holds a random nonce in an ``HttpOnly``, ``SameSite=Strict`` cookie; each form
carries a token that is the nonce signed with the service's key (itsdangerous, with a time
stamp). A form is accepted only when its token verifies, is younger than `MAX_AGE_SECONDS`,
and holds the nonce of the cookie the same browser sent. Another site can neither read the
cookie nor make the browser send it, and without the key cannot make a token for a nonce it
planted, so it cannot post a form in an official's name, nor sign a browser in to an account
of its choosing. A browser that says the form came from another site (``Sec-Fetch-Site:
cross-site``) is refused before any of that.
"""

import hmac
import secrets

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from monitoring.pages import cookies

COOKIE = "kota_monitoring_csrf"
FIELD = "csrf_token"
MAX_AGE_SECONDS = 12 * 3600
"""A form left open longer (a wall screen's sign-out button) is refused once, then reloaded."""
SALT = "monitoring.dashboard.csrf"

_KEY_OF_THIS_PROCESS = secrets.token_bytes(32)
"""Used when no key is configured: forms opened before a restart are refused once."""


def _signer(request: Request) -> URLSafeTimedSerializer:
    configured = request.app.state.runtime.settings.dashboard_secret_key
    key = configured.get_secret_value().encode() if configured else _KEY_OF_THIS_PROCESS
    return URLSafeTimedSerializer(key, salt=SALT)


def _nonce(request: Request) -> str | None:
    """The nonce the browser will hold once this page is answered."""
    planned = cookies.pending(request).get(COOKIE)
    return planned.value if planned is not None else request.cookies.get(COOKIE)


def form_token(request: Request) -> str:
    """The token for the page's forms, bound to this browser's nonce (made if it has none)."""
    nonce = _nonce(request)
    if not nonce:
        nonce = secrets.token_urlsafe(32)
        cookies.keep(request, COOKIE, nonce)
    return str(_signer(request).dumps(nonce))


def renew(request: Request) -> None:
    """A new nonce for the browser (at sign-in): tokens of the earlier one stop working."""
    cookies.keep(request, COOKIE, secrets.token_urlsafe(32))


def holds(request: Request, token: object) -> bool:
    """Whether a posted form's ``token`` is this browser's, signed by us, and fresh."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return False
    nonce = request.cookies.get(COOKIE)
    if not nonce or not isinstance(token, str) or not token:
        return False
    try:
        signed = _signer(request).loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:  # SignatureExpired is one
        return False
    return isinstance(signed, str) and hmac.compare_digest(signed, nonce)
