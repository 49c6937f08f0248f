"""The pages' cookies: set only by monitoring, read only by monitoring, never by a script.

Every cookie is ``HttpOnly`` (no script reads it), ``SameSite=Strict`` (no other site's page
makes the browser send it) and scoped to ``Path=/v1/monitoring``, so neither the citizen
app's API calls nor any other service behind the gateway ever receives it. It is ``Secure``
when the browser came over HTTPS: the gateway says so in ``X-Forwarded-Proto``, or the
deployment says it always does (``MONITORING_DASHBOARD_SECURE_COOKIES``).

A page decides its cookies while it is being worked out (a renewed session, a language
chosen), before its response exists: it `keep`s them on the request, and `PageRoute` sets
them on whatever response the page ends with.
"""

from dataclasses import dataclass

from fastapi import Request, Response

PATH = "/v1/monitoring"


@dataclass(frozen=True)
class Cookie:
    name: str
    value: str
    max_age: int | None = None
    """Seconds; None: until the browser is closed; 0: removed."""
    secure: bool = False

    def set_on(self, response: Response) -> None:
        response.set_cookie(
            self.name,
            self.value,
            max_age=self.max_age,
            path=PATH,
            secure=self.secure,
            httponly=True,
            samesite="strict",
        )


def over_https(request: Request) -> bool:
    """Whether the browser reached us over HTTPS, as far as we can tell."""
    settings = request.app.state.runtime.settings
    proto = request.headers.get("x-forwarded-proto", request.url.scheme)
    return bool(settings.dashboard_secure_cookies) or proto.split(",")[0].strip() == "https"


def keep(request: Request, name: str, value: str, *, max_age: int | None = None) -> None:
    """Set cookie ``name`` on the page's response, whatever response that turns out to be."""
    pending(request)[name] = Cookie(name, value, max_age=max_age, secure=over_https(request))


def remove(request: Request, name: str) -> None:
    """Remove cookie ``name`` from the browser with the page's response."""
    keep(request, name, "", max_age=0)


def pending(request: Request) -> dict[str, Cookie]:
    """The cookies the page will set, by name (a later decision replaces an earlier one)."""
    cookies: dict[str, Cookie] | None = getattr(request.state, "page_cookies", None)
    if cookies is None:
        cookies = request.state.page_cookies = {}
    return cookies


def forget_pending(request: Request) -> None:
    """Set none of them: a refused form leaves the browser as it was."""
    request.state.page_cookies = {}
