"""Permits' lists come in pages: a citizen's applications and the officers' queue honour
``limit`` and lead through every item once, in their order, by ``Link: rel="next"``."""

from typing import Any

from kota_shared.testing.pages import every_page

APPLICATIONS = "/v1/permits/applications"


async def test_a_citizens_applications_page_newest_first(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    drafted = [await permits.draft(citizen, permit_type) for _ in range(5)]

    pages = await every_page(permits.client, f"{APPLICATIONS}?limit=2", headers=citizen)

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [a["id"] for page in pages for a in page] == [a["id"] for a in reversed(drafted)]


async def test_the_queue_pages_by_deadline_with_undated_work_last(permits: Any) -> None:
    permit_type = await permits.define_type()
    submitted = [await permits.submitted(permits.citizen(), permit_type) for _ in range(3)]
    officer = permits.officer()

    pages = await every_page(
        permits.client, f"/v1/permits/queue?permit_type={permit_type}&limit=2", headers=officer
    )

    assert [len(page) for page in pages] == [2, 1]
    listed = [a["id"] for page in pages for a in page]
    assert sorted(listed) == sorted(a["id"] for a in submitted)
    deadlines = [a["stage_deadline_at"] for page in pages for a in page]
    assert deadlines == sorted(deadlines)
