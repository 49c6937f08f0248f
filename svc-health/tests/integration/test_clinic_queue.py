"""The clinic officers' view of a day's queue: order, filters, and who may see it."""

import uuid
from datetime import timedelta
from typing import Any

Clinic = Any  # the conftest driver


def queue_url(facility_id: str) -> str:
    return f"/v1/health/facilities/{facility_id}/queue"


async def test_an_officer_sees_the_days_queue_in_order_with_its_gaps(clinic: Clinic) -> None:
    dental, general = await clinic.open_service(), await clinic.open_service()
    first = await clinic.booked(clinic.citizen(), general)
    leaver = clinic.citizen()
    gone = await clinic.booked(leaver, general)
    third = await clinic.booked(clinic.citizen(), general)
    await clinic.cancel(leaver, gone["id"])
    await clinic.booked(clinic.citizen(), dental)
    await clinic.booked(clinic.citizen(), general, visit_date=clinic.today + timedelta(days=2))
    officer = clinic.officer()
    url = queue_url(clinic.facility_id)
    day = clinic.tomorrow.isoformat()

    whole = await clinic.client.get(url, params={"date": day, "service": general}, headers=officer)
    waiting = await clinic.client.get(
        url, params={"date": day, "service": general, "status": "booked"}, headers=officer
    )
    both_services = await clinic.client.get(url, params={"date": day}, headers=officer)

    assert whole.status_code == 200, whole.text
    assert [(b["queue_label"], b["status"]) for b in whole.json()] == [
        (f"{general.upper()}-001", "booked"),
        (f"{general.upper()}-002", "cancelled"),
        (f"{general.upper()}-003", "booked"),
    ]
    assert [b["id"] for b in waiting.json()] == [first["id"], third["id"]]
    assert {b["service_code"] for b in both_services.json()} >= {dental, general}
    listed = [(b["service_code"], b["queue_number"]) for b in both_services.json()]
    assert listed == sorted(listed)


async def test_without_a_date_the_queue_is_todays(clinic: Clinic) -> None:
    service = await clinic.open_service()
    today = await clinic.booked(clinic.citizen(), service, visit_date=clinic.today)
    await clinic.booked(clinic.citizen(), service)

    response = await clinic.client.get(
        queue_url(clinic.facility_id), params={"service": service}, headers=clinic.officer()
    )

    assert [b["id"] for b in response.json()] == [today["id"]]


async def test_citizens_and_other_officers_may_not_see_the_queue(clinic: Clinic) -> None:
    url = queue_url(clinic.facility_id)

    citizen = await clinic.client.get(url, headers=clinic.citizen())
    permits_officer = await clinic.client.get(url, headers=clinic.officer("permits_officer"))
    anonymous = await clinic.client.get(url)

    assert citizen.status_code == 403
    assert citizen.json()["code"] == "forbidden"
    assert permits_officer.status_code == 403
    assert anonymous.status_code == 401


async def test_an_unknown_facility_or_service_is_said_so(clinic: Clinic) -> None:
    officer = clinic.officer()

    facility = await clinic.client.get(queue_url(str(uuid.uuid4())), headers=officer)
    service = await clinic.client.get(
        queue_url(clinic.facility_id), params={"service": "bedah"}, headers=officer
    )

    assert facility.status_code == 404
    assert facility.json()["code"] == "not_found"
    assert service.status_code == 422
    assert service.json()["code"] == "unknown_clinic_service"
