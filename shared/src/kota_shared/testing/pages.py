"""Follow a paginated list the way a client does: page after page by its ``Link: rel="next"``."""

import re
from typing import Any

import httpx

_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


def next_link(response: httpx.Response) -> str | None:
    found = _NEXT.search(response.headers.get("link", ""))
    return found.group(1) if found else None


async def every_page(
    client: httpx.AsyncClient, url: str, *, headers: dict[str, str], max_pages: int = 50
) -> list[list[dict[str, Any]]]:
    """Each page's items, from ``url`` until a page has no next link."""
    pages: list[list[dict[str, Any]]] = []
    link: str | None = url
    while link is not None:
        assert len(pages) < max_pages, f"more than {max_pages} pages: the cursor does not advance"
        response = await client.get(link, headers=headers)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        link = next_link(response)
    return pages
