"""Pages rendered from Jinja2 templates, in the reader's language, with strict headers.

Templates are autoescaped (whatever a figure's key holds is written as text, never as
markup) and mark their words with ``_("English text")``, which ``uv run kota messages``
extracts into monitoring's catalogue like the code's messages.

Every page carries a Content-Security-Policy that lets the browser load scripts, styles and
images from monitoring's own address only, run no inline script or style, and post forms
only back to it; no page may be framed.
"""

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from kota_shared.i18n import Language, Message
from kota_shared.i18n.catalogue import render as render_text
from monitoring.messages import _
from monitoring.pages import assets, language
from monitoring.pages.formats import Formats

TEMPLATES = Path(__file__).parent / "templates"
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def page_headers(written_in: Language, *, cache: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "Content-Language": written_in,
        # The language follows the reader's cookie as well as Accept-Language.
        "Vary": "Accept-Language, Cookie",
        "Cache-Control": cache,
        "Referrer-Policy": "same-origin",
    }


def render(
    request: Request,
    template: str,
    *,
    written_in: Language,
    status: int = 200,
    cache: str = "no-store",
    **context: Any,
) -> HTMLResponse:
    """``template`` filled with ``context``, in ``written_in``.

    ``cache`` is the answer's ``Cache-Control``: ``no-store`` for what officials see (the
    default), something shorter-lived than a day for public figures.
    """
    settings = request.app.state.runtime.settings

    def translate(text: str, /, **parameters: Any) -> str:
        return Message(text, catalogue=_, parameters=parameters).render(written_in)

    def text(value: object) -> str:
        """A message (or a `Localized` label) made in the code, in the page's language."""
        return render_text(value, written_in)

    html = _environment.get_template(template).render(
        _=translate,
        text=text,
        lang=written_in,
        f=Formats(written_in, settings.timezone),
        asset=assets.url,
        here=request.url.path,
        switch_language={other: language.switch_to(request, other) for other in ("id", "en")},
        **context,
    )
    return HTMLResponse(html, status_code=status, headers=page_headers(written_in, cache=cache))
