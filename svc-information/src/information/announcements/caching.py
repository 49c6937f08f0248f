"""Conditional answers for the public feed (RFC 9110 §13): a reader that already holds the
current feed gets a 304 without a body.

The ETag is the answer's own hash, so it changes exactly when its bytes do; Last-Modified is
the last moment the feed changed (`repository.feed_changed_at`), for readers that only send
``If-Modified-Since``. ``If-None-Match`` wins when both are sent, as the RFC says.
"""

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Request, Response

FEED_CACHE = "public, max-age=60"
"""Shared caches and the app may keep a feed a minute: a new announcement waits at most that."""
IMAGE_CACHE = "public, max-age=3600"
"""An image never changes once published (a draft's can, but drafts are not served)."""


def entity_tag(content: bytes, headers: Mapping[str, str]) -> str:
    """The answer's hash: its body and the headers that are part of it (a page's Link)."""
    digest = hashlib.sha256(content)
    for name, value in sorted(headers.items()):
        digest.update(f"\n{name}: {value}".encode())
    return '"' + digest.hexdigest()[:32] + '"'


def _matches(header: str, tag: str) -> bool:
    """Weak comparison, as ``If-None-Match`` uses: ``W/"x"`` matches ``"x"``."""
    candidates = [part.strip().removeprefix("W/") for part in header.split(",")]
    return "*" in candidates or tag in candidates


def _not_modified_since(header: str, last_modified: datetime) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as the RFC says
    if since.tzinfo is None:
        return False
    return last_modified.replace(microsecond=0) <= since


def conditional(
    request: Request,
    *,
    content: bytes,
    media_type: str,
    last_modified: datetime | None,
    cache_control: str,
    vary: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """``content`` (with ``headers``) as a 200, or a 304 when the request's validators show
    the reader has it."""
    tag = entity_tag(content, headers or {})
    answer_headers = {
        **(headers or {}),
        "ETag": tag,
        "Cache-Control": cache_control,
        "X-Content-Type-Options": "nosniff",
    }
    if vary:
        answer_headers["Vary"] = vary
    if last_modified is not None:
        answer_headers["Last-Modified"] = format_datetime(
            last_modified.astimezone(UTC), usegmt=True
        )
    if_none_match = request.headers.get("if-none-match")
    if_modified_since = request.headers.get("if-modified-since")
    if if_none_match is not None:
        unchanged = _matches(if_none_match, tag)
    else:
        unchanged = (
            if_modified_since is not None
            and last_modified is not None
            and _not_modified_since(if_modified_since, last_modified)
        )
    if unchanged:
        return Response(status_code=304, headers=answer_headers)
    return Response(content, media_type=media_type, headers=answer_headers)
