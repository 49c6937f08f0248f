"""`kota up` brings up infrastructure, five services and the gateway; an event flows end to end.

Everything goes through the gateway's public HTTP API, as the mobile app does. The last test
stops the suite with Ctrl-C and checks nothing is left running.
"""

import signal
import socket

import httpx
import pytest
from e2e_suite import SERVICES, Suite, eventually

from kota_dev.suite import GATEWAY_METRICS_OFFSET

pytestmark = pytest.mark.e2e


def test_the_gateway_reports_every_upstream_ready(gateway: httpx.Client) -> None:
    response = gateway.get("/readyz")

    assert response.status_code == 200, response.text
    checks = response.json()["checks"]
    assert {f"upstream:{name}" for name in SERVICES} <= checks.keys()
    assert all(check["status"] == "ready" for check in checks.values())


def test_the_gateways_metrics_are_internal_only(gateway: httpx.Client, suite: Suite) -> None:
    public = gateway.get("/metrics")
    internal_port = int(suite.gateway.rsplit(":", 1)[1]) + GATEWAY_METRICS_OFFSET
    internal = httpx.get(f"http://127.0.0.1:{internal_port}/metrics", timeout=10)

    assert public.status_code == 404
    assert internal.status_code == 200
    assert 'service="gateway"' in internal.text


def test_a_drafted_application_is_counted_by_monitoring(
    gateway: httpx.Client, suite: Suite
) -> None:
    admin = suite.headers("admin-1", roles=["city_admin"])

    def drafted_count() -> int:
        counts = gateway.get("/v1/monitoring/event-counts", headers=admin).json()
        return next(
            (c["count"] for c in counts if c["event_type"] == "permits.application.drafted.v1"), 0
        )

    before = drafted_count()
    created = gateway.post(
        "/v1/permits/applications",
        json={"permit_type": "PBG", "district_code": "367105"},
        headers=suite.headers("citizen-e2e", roles=["citizen"]),
    )

    assert created.status_code == 201, created.text
    assert (
        eventually(
            drafted_count, until=lambda n: n == before + 1, what="monitoring to count the draft"
        )
        == before + 1
    )


def test_demo_data_is_seeded_and_public(gateway: httpx.Client) -> None:
    facilities = gateway.get("/v1/health/facilities")
    schools = gateway.get("/v1/education/schools", params={"level": "SMP"})

    assert facilities.status_code == 200
    assert len(facilities.json()) >= 3
    assert schools.status_code == 200
    assert schools.json()
    assert all(s["level"] == "SMP" for s in schools.json())


def test_a_citizen_sees_only_their_own_application(gateway: httpx.Client, suite: Suite) -> None:
    owner = suite.headers("citizen-a", roles=["citizen"])
    created = gateway.post("/v1/permits/applications", json={"permit_type": "PBG"}, headers=owner)
    url = f"/v1/permits/applications/{created.json()['id']}"

    assert gateway.get(url, headers=owner).status_code == 200
    assert (
        gateway.get(url, headers=suite.headers("citizen-b", roles=["citizen"])).status_code == 404
    )
    assert gateway.get(url).status_code == 401


@pytest.mark.parametrize(
    "path", ["/v1/nowhere", "/v1/nowhere/at/all", "/v1/permits/nothing-here", "/not-an-api"]
)
def test_unknown_routes_are_404_problems(gateway: httpx.Client, path: str) -> None:
    response = gateway.get(path)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_malformed_json_is_a_422_problem(gateway: httpx.Client, suite: Suite) -> None:
    response = gateway.post(
        "/v1/permits/applications",
        content=b'{"permit_type": ',
        headers={
            **suite.headers("citizen-c", roles=["citizen"]),
            "Content-Type": "application/json",
        },
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_docs_are_served(gateway: httpx.Client) -> None:
    assert gateway.get("/docs").status_code == 200
    assert gateway.get("/openapi.json").json()["info"]["title"] == "Kota LIVE"


def test_ctrl_c_stops_everything(suite: Suite) -> None:
    """Runs last in this file: afterwards nothing of the suite may still listen."""
    suite.process.send_signal(signal.SIGINT)
    assert suite.process.wait(120) == 0
    output = suite.log.read_text()
    assert "stopped." in output
    # Services drain into Kafka and PostgreSQL, so those stop last.
    assert output.index("stopping permits…") < output.index("stopping Kafka…")
    assert output.index("stopping Kafka…") < output.index("stopping PostgreSQL…")
    still_listening = []
    for port in suite.ports:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                still_listening.append(port)
    assert still_listening == []
    assert not (suite.state_dir / "postgres" / "postmaster.pid").exists()
    assert not (suite.state_dir / "kafka" / "broker.pid").exists()
