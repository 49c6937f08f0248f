"""The whole suite as ``kota up`` starts it, driven only through the gateway's public HTTP API."""

import os
from collections.abc import Iterator

import httpx
import pytest
from e2e_suite import Suite

from kota_dev.suite_process import SuitePorts, running_suite, up_command

CLIENT_TIMEOUT_SECONDS = 10
"""How long a test waits for any one answer from the gateway."""
OVERVIEW_TIMEOUT_SECONDS = 8
"""What this suite allows each section of the home screen (``GET /v1/me/overview``), for a
loaded 2-core CI machine: the whole suite, Kafka and PostgreSQL share its cores with other
jobs, and a section has been seen to take more than production's 2 s there
(``GatewaySettings.overview_timeout_seconds``, kept tight: a phone should not wait on one
slow service). Below ``CLIENT_TIMEOUT_SECONDS``, so a section later than this still comes back
as the overview's partial answer (``available: false`` with a reason), not a client timeout."""


E2E_RATE_LIMITS = '{"auth": "6000/minute", "read": "6000/minute", "write": "6000/minute"}'
"""Every client of this suite is 127.0.0.1: the contract test's fuzzing of sign-in alone would
spend a real city's per-address budget (60 sign-ins a minute) for the tests after it. The
limits themselves are tested in the gateway's own tests."""


@pytest.fixture(scope="package")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    state_dir = tmp_path_factory.mktemp("suite")
    ports = SuitePorts.free()
    log = state_dir / "kota-up.out"
    # `kota up` passes its environment on to every service.
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOTA_TEST_")} | {
        "GATEWAY_OVERVIEW_TIMEOUT_SECONDS": str(OVERVIEW_TIMEOUT_SECONDS),
        "GATEWAY_RATE_LIMITS": E2E_RATE_LIMITS,
        # Monitoring reads the suite's health every 2 s instead of 15, so tests see it soon.
        "MONITORING_SYSTEM_PROBE_SECONDS": "2",
        # A send the SMS or WhatsApp provider did not take is tried again after 0.5 s, then
        # at most every 2 s instead of 5 s doubling to 5 min, so a test that takes a
        # provider down for a while sees its message go soon after it is back.
        "INFORMATION_SEND_RETRY_FIRST_SECONDS": "0.5",
        "INFORMATION_SEND_RETRY_MAX_SECONDS": "2",
    }
    with running_suite(up_command(state_dir, ports), log=log, env=env) as process:
        yield Suite(
            gateway=f"http://127.0.0.1:{ports.base}",
            state_dir=state_dir,
            process=process,
            ports=ports.listening(),
            log=log,
        )


@pytest.fixture(scope="package")
def gateway(suite: Suite) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=suite.gateway, timeout=CLIENT_TIMEOUT_SECONDS) as client:
        yield client
