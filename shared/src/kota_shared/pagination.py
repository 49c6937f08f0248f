"""One pagination convention for every list that can grow: keyset cursors, a capped ``limit``
and a ``Link: <...>; rel="next"`` header (RFC 8288).

The body stays a JSON array of the page's items, so a client that reads the first page only
(the app's home screen) needs nothing new; a client that wants more follows ``next``. The
cursor is opaque to clients: the sort key of the page's last item, so a page never skips or
repeats an item when rows are added meanwhile (as an offset would), and the database reads
from an index instead of counting past earlier pages.
"""

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request, Response

from kota_shared.messages import _
from kota_shared.problems import Problem

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
MAX_CURSOR_LENGTH = 512

Key = tuple[Any, ...]
"""A row's position in its list's order: the sort columns' values, the id last."""
Item = TypeVar("Item")


class InvalidCursor(Problem):
    status = 400
    code = "invalid_cursor"
    title = _("This page link is not valid: start again from the first page.")


@dataclass(frozen=True)
class PageRequest:
    """What a client asked for: how many items, and after which one (None: from the start)."""

    limit: int
    cursor: Key | None
    request: Request

    def after(self, *types: type) -> Key | None:
        """The key the page starts after, checked to be of ``types`` (the list's sort
        columns; a value may be null): a cursor from another list, or edited by hand, is
        `InvalidCursor`, never a database error."""
        if self.cursor is None:
            return None
        if len(self.cursor) != len(types) or not all(
            value is None
            or (isinstance(value, kind) and not (isinstance(value, datetime) and not value.tzinfo))
            for value, kind in zip(self.cursor, types, strict=False)
        ):
            raise InvalidCursor()
        return self.cursor

    def fetch_size(self) -> int:
        """One more than the page, so the repository's answer tells whether another follows."""
        return self.limit + 1

    def answer(
        self, rows: Sequence[Item], response: Response, *, key: Callable[[Item], Key]
    ) -> Sequence[Item]:
        """The page's rows, with ``Link: rel="next"`` on ``response`` when more follow."""
        page = rows[: self.limit]
        if len(rows) > self.limit:
            url = self.request.url.include_query_params(
                cursor=encode_cursor(key(page[-1])), limit=self.limit
            )
            response.headers["Link"] = f'<{url.path}?{url.query}>; rel="next"'
        return page


def encode_cursor(key: Key) -> str:
    text = json.dumps([_plain(value) for value in key], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return {"t": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {"u": str(value)}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"{type(value).__name__} cannot be a cursor's key")


def decode_cursor(cursor: str) -> Key:
    """The key a cursor holds; anything that is not one of ours is `InvalidCursor`."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or not values:
            raise ValueError("not a list of values")
        return tuple(_typed(value) for value in values)
    except (ValueError, TypeError, binascii.Error, RecursionError) as exc:
        raise InvalidCursor() from exc


def _typed(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"t"} and isinstance(value["t"], str):
            moment = value["t"]
            return datetime.fromisoformat(moment) if "T" in moment else date.fromisoformat(moment)
        if set(value) == {"u"} and isinstance(value["u"], str):
            return uuid.UUID(value["u"])
        raise ValueError("unknown value in a cursor")
    if isinstance(value, list):
        raise ValueError("nested value in a cursor")
    return value


def _page_request(
    request: Request,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT}).")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        Query(
            max_length=MAX_CURSOR_LENGTH,
            description="Where the page starts: the `cursor` of the previous page's "
            '`Link: rel="next"`.',
        ),
    ] = None,
) -> PageRequest:
    return PageRequest(
        limit=limit, cursor=decode_cursor(cursor) if cursor is not None else None, request=request
    )


Page = Annotated[PageRequest, Depends(_page_request)]
"""A list endpoint's ``limit`` and ``cursor``, read and checked."""

PAGINATION_DESCRIPTION = (
    " Paginated: `limit` items (default 50, at most 100); when more follow, the answer has a "
    '`Link: <...>; rel="next"` header to request the next page with.'
)
"""What each paginated operation appends to its description."""
