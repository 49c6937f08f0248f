"""A parent's registrations come in pages, the newest first, each once."""

from typing import Any

from kota_shared.testing.pages import every_page

Admissions = Any  # the conftest driver


async def test_a_parents_registrations_page_newest_first(admissions: Admissions) -> None:
    parent = admissions.parent()
    registered = [await admissions.registered(parent) for _ in range(3)]

    pages = await every_page(admissions.client, f"{admissions.url}?limit=2", headers=parent)

    assert [len(page) for page in pages] == [2, 1]
    assert [r["id"] for page in pages for r in page] == [r["id"] for r in reversed(registered)]
