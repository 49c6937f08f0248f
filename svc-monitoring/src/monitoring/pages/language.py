"""Which language a page is in: Bahasa Indonesia unless the reader chose English.

A visible switch on every page links to the same page with ``?lang=en`` (or ``id``); the
choice is kept in a cookie, so the pages that follow stay in it. Without a choice, the
browser's ``Accept-Language`` decides as it does for the API (`kota_shared.i18n.negotiate`),
which gives Indonesian to anyone who does not rank English first.
"""

from fastapi import Request

from kota_shared.i18n import LANGUAGES, Language, negotiate
from monitoring.pages import cookies

COOKIE = "kota_monitoring_lang"
PARAMETER = "lang"
KEPT_FOR_SECONDS = 365 * 24 * 3600


def _known(value: str | None) -> Language | None:
    return next((language for language in LANGUAGES if language == value), None)


def of_page(request: Request) -> Language:
    """The page's language; a ``lang`` the reader just chose is kept for the next pages.

    Tolerant by design: an unknown ``lang`` is ignored, never an error, so even the page
    that reports an error can be written in the reader's language."""
    chosen = _known(request.query_params.get(PARAMETER))
    kept = _known(request.cookies.get(COOKIE))
    if chosen is not None:
        if chosen != kept:
            cookies.keep(request, COOKIE, chosen, max_age=KEPT_FOR_SECONDS)
        return chosen
    if kept is not None:
        return kept
    return negotiate(request.headers.get("accept-language"))


def switch_to(request: Request, language: Language) -> str:
    """This page's address (path and query only) in ``language``."""
    url = request.url.include_query_params(**{PARAMETER: language})
    return f"{url.path}?{url.query}"
