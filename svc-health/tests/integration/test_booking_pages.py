"""A citizen's bookings come in pages by visit date then queue number, each once."""

from datetime import timedelta
from typing import Any

from kota_shared.testing.pages import every_page

Clinic = Any  # the conftest driver


async def test_a_citizens_bookings_page_by_visit_date(clinic: Clinic) -> None:
    citizen = clinic.citizen()
    booked = []
    for days in (3, 1, 5):  # as many as a citizen may hold (HEALTH_MAX_ACTIVE_BOOKINGS)
        service = await clinic.open_service()
        visit = clinic.today + timedelta(days=days)
        booked.append(await clinic.booked(citizen, service, visit_date=visit))

    pages = await every_page(clinic.client, "/v1/health/bookings?limit=2", headers=citizen)

    assert [len(page) for page in pages] == [2, 1]
    in_visit_order = sorted(booked, key=lambda b: b["visit_date"])
    assert [b["id"] for page in pages for b in page] == [b["id"] for b in in_visit_order]
