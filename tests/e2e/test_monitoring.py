"""e-Monitoring through the gateway, on the suite as `kota up` runs it: the secured broker
lets monitoring see every group's lag and every service's health, and a permit that goes
through the spine moves the figures against its deadline."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from e2e_suite import Suite, apply, eventually, new_citizen, new_staff

from kota_contracts.services import EVERY_SERVICE

pytestmark = pytest.mark.e2e

LEVELS = "/v1/monitoring/permits/service-levels"
EVENT = {
    "event_name": "Pawai Budaya",
    "event_kind": "festival",
    "organiser": "Sanggar Seni Cikokol",
    "venue_address": "Jl. Perintis Kemerdekaan, Tangerang",
    "start_date": "2027-09-12",
    "duration_days": 1,
    "expected_attendance": 800,
}


@pytest.fixture(scope="module")
def viewer(gateway: httpx.Client, suite: Suite) -> dict[str, str]:
    return new_staff(gateway, suite, "pemantau.kota", ["monitoring_viewer"])


def test_monitoring_sees_every_service_ready_and_every_consumer_group(
    gateway: httpx.Client, viewer: dict[str, str]
) -> None:
    def health() -> dict[str, Any]:
        response = gateway.get("/v1/monitoring/system", headers=viewer)
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    def all_ready(found: dict[str, Any]) -> bool:
        ready = {s["service"] for s in found["services"] if s["ready"]}
        return ready == {service.name for service in EVERY_SERVICE}

    found = eventually(health, until=all_ready, within=60, what="every service seen ready")

    backlogs = {s["service"]: s["outbox_backlog"] for s in found["services"]}
    assert all(isinstance(backlog, int) for backlog in backlogs.values()), backlogs
    groups = {g["consumer_group"] for g in found["consumer_groups"]}
    # Other services' groups too: monitoring's principal may describe them, not read them.
    assert {"permits.payment-outcomes", "monitoring.read-models.g1"} <= groups


def test_a_permit_through_the_spine_moves_its_figures(
    gateway: httpx.Client, suite: Suite, viewer: dict[str, str]
) -> None:
    officer = new_staff(gateway, suite, "petugas.pemantauan", ["permits_officer"])
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()
    query = {"from": today, "to": today, "permit_type": "KERAMAIAN", "group_by": "kecamatan"}

    def figures() -> dict[str, Any]:
        response = gateway.get(LEVELS, params=query, headers=viewer)
        assert response.status_code == 200, response.text
        rows = {row["kecamatan"]: row for row in response.json()}
        nothing = dict.fromkeys(
            ("received", "decided", "verification_closed", "end_to_end_on_time"), 0
        )
        return rows.get("36.71.01", nothing)

    before = figures()
    citizen = new_citizen(gateway)
    application_id = apply(gateway, citizen, "KERAMAIAN", EVENT)
    claimed = gateway.post(f"/v1/permits/applications/{application_id}/claim", headers=officer)
    approved = gateway.post(f"/v1/permits/applications/{application_id}/approve", headers=officer)
    assert (claimed.status_code, approved.status_code) == (200, 200)

    after = eventually(
        figures,
        until=lambda now: now["decided"] == before["decided"] + 1,
        within=60,
        what="the decision in the figures",
    )

    assert after["received"] == before["received"] + 1
    assert after["verification_closed"] == before["verification_closed"] + 1
    # Decided at once: well within KERAMAIAN's deadlines.
    assert after["end_to_end_on_time"] == before["end_to_end_on_time"] + 1


def test_a_citizen_cannot_read_the_figures(gateway: httpx.Client) -> None:
    citizen = new_citizen(gateway)

    answer = gateway.get(LEVELS, headers=citizen)

    assert answer.status_code == 403
    assert answer.headers["content-type"] == "application/problem+json"
