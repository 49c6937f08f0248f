"""Schemathesis drives every operation of every service, from its OpenAPI document, with a
citizen's token and with an officer's: no answer is a server error, and every documented
answer matches its documented schema. The document is the contract an integrator codes
against; this is what holds it to the truth.

Each service is tested where it listens (its rate limits are the gateway's business), and
the gateway's own operations through the gateway. Bounded: a few examples per operation.
"""

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from e2e_suite import Suite

from kota_contracts.access import Role
from kota_contracts.services import SERVICES

CHECKS = "not_a_server_error,response_schema_conformance"
EXAMPLES_PER_OPERATION = "6"
STAFF = [role.value for role in Role if role is not Role.CITIZEN]
"""An officer holding every staff role, so each service's officer operations are reached."""


def schemathesis(
    url: str, token: str, *extra: str, workdir: Path
) -> subprocess.CompletedProcess[str]:
    executable = Path(sys.executable).with_name("st")
    return subprocess.run(
        [
            str(executable),
            "run",
            f"{url}/openapi.json",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            CHECKS,
            "--max-examples",
            EXAMPLES_PER_OPERATION,
            "--seed",
            "20261203",
            "--phases",
            "examples,coverage,fuzzing",
            "--request-timeout",
            "10",
            "--no-color",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=workdir,  # where it keeps its example database, not the repository
        check=False,
    )


@pytest.mark.parametrize("service", [s.name for s in SERVICES])
@pytest.mark.parametrize("who", ["citizen", "officer"])
def test_every_operation_keeps_its_contract(
    suite: Suite, service: str, who: str, tmp_path: Path
) -> None:
    roles = [Role.CITIZEN.value] if who == "citizen" else STAFF
    # An account id as the gateway's sign-in makes them (information's inbox needs one).
    token = suite.token(
        str(uuid.uuid5(uuid.NAMESPACE_URL, f"contract-{who}")), roles=roles, ttl=1800
    )

    result = schemathesis(suite.service_url(service), token, workdir=tmp_path)

    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]


def test_the_gateways_own_operations_keep_their_contract(suite: Suite, tmp_path: Path) -> None:
    token = suite.token("contract-citizen", roles=[Role.CITIZEN.value], ttl=1800)

    result = schemathesis(
        suite.gateway,
        token,
        "--include-path-regex",
        r"^/(v1/(auth|me)|\.well-known)",
        workdir=tmp_path,
    )

    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
