"""The route class of every page: what ends a page early becomes a page, not problem+json.

A browser shows what it is given, so a page that cannot be served answers with a page: a
reader who is not signed in is sent to the sign-in form, one whose account may not see the
dashboard gets a 403 page, and a problem (a period that ends before it starts, figures that
cannot be read just now) is written out as a page with the problem's status, title and
detail in the reader's language. Whatever the page ends with, the cookies it decided on
(`monitoring.pages.cookies`) are set on it.
"""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from kota_shared.i18n import Message
from kota_shared.problems import Problem
from monitoring.messages import _
from monitoring.pages import cookies, language
from monitoring.pages.rendering import render


class PageInterrupt(Exception):
    """Ends a page early with a response of its own (a redirect, a refusal)."""

    def response(self, request: Request) -> Response:
        raise NotImplementedError


def error_page(
    request: Request,
    *,
    status: int,
    title: Message,
    detail: Message | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A page that says what went wrong, with a way back."""
    response = render(
        request,
        "error.html",
        written_in=language.of_page(request),
        status=status,
        title=title,
        detail=detail,
    )
    response.headers.update(headers or {})
    return response


class PageRoute(APIRoute):
    """An `APIRoute` whose early endings are pages, and which sets the page's cookies."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                response = await handle(request)
            except PageInterrupt as interrupt:
                response = interrupt.response(request)
            except Problem as problem:
                response = error_page(
                    request,
                    status=problem.status,
                    title=problem.title,
                    detail=problem.detail,
                    headers=problem.headers,
                )
            except RequestValidationError:
                response = error_page(request, status=400, title=_("These filters are not valid."))
            setting = cookies.pending(request).values()
            for cookie in setting:
                cookie.set_on(response)
            if setting:
                # An answer that sets a cookie is this browser's alone: no cache keeps it.
                response.headers["Cache-Control"] = "no-store"
            return response

        return page
