"""``kota new-service demo`` in a scratch copy of the workspace gives a service that is linted
clean, passes its own generated tests, and that ``kota up`` starts and the gateway routes to,
with no other file edited by hand.

Slow on purpose (a venv, a PostgreSQL and Kafka, then the whole suite): it is the proof that
a new service is added in one place.
"""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from kota_dev.suite import SERVICES
from kota_dev.suite_process import SuitePorts, running_suite, up_command

REPO = Path(__file__).resolve().parents[2]
NAME = "parkingpermits"
"""Long on purpose: a long name once made a template line too long for the linter."""
UP_WITHIN_SECONDS = 300


def _uv() -> str:
    """The uv that runs this test (``uv run`` sets ``UV``), else the one bootstrap installs."""
    return os.environ.get("UV") or str(Path.home() / ".local" / "bin" / "uv")


def _workspace_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    return [name for name in listed.decode().split("\0") if name and (REPO / name).is_file()]


def _run(scratch: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """``uv run`` in the scratch workspace. Not ``--offline``: the new member makes uv lock
    again, and a cache filled by ``uv sync`` from the lock file holds the packages, not the
    index pages resolving needs (a fresh machine has no others)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KOTA_TEST_", "VIRTUAL_ENV", "UV_PROJECT"))
    } | {"KOTA_CACHE_DIR": os.environ.get("KOTA_CACHE_DIR", str(REPO / ".kota" / "cache"))}
    return subprocess.run(
        [_uv(), "run", *args],
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


COPIED = "copied-files.json"
"""Beside the scratch workspace: each file copied into it and its digest, before the scaffold
ran."""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of this workspace (what git would commit) with the demo service scaffolded."""
    root = tmp_path_factory.mktemp("scratch") / "main"
    copied = {}
    for name in _workspace_files():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
        copied[name] = _digest(target)
    (root.parent / COPIED).write_text(json.dumps(copied))
    result = _run(root, "kota", "new-service", NAME)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def test_it_writes_only_the_new_service_and_the_places_that_declare_it(scratch: Path) -> None:
    copied: dict[str, str] = json.loads((scratch.parent / COPIED).read_text())
    before = set(copied)
    after = {
        str(path.relative_to(scratch))
        for path in scratch.rglob("*")
        if path.is_file()
        and not any(
            part.startswith(".") or part == "__pycache__"
            for part in path.relative_to(scratch).parts
        )
    }
    after |= {name for name in before if (scratch / name).is_file()}  # tracked dot-files
    changed = {name for name in before & after if _digest(scratch / name) != copied[name]}

    assert {name for name in after - before if not name.startswith(f"svc-{NAME}/")} == {
        f"contracts/src/kota_contracts/{NAME}.py"
    }
    assert changed <= {
        "contracts/src/kota_contracts/services.py",
        "pyproject.toml",
        "docker-compose.yml",
        "uv.lock",
    }
    compose_file = (scratch / "docker-compose.yml").read_text()
    assert f"SERVICE_PACKAGE: kota-{NAME}" in compose_file
    assert f'"{NAME}": "http://{NAME}:8000"' in compose_file


def test_the_new_service_is_lint_clean(scratch: Path) -> None:
    for command in (
        ["ruff", "check", f"svc-{NAME}", "contracts"],
        ["ruff", "format", "--check", f"svc-{NAME}", "contracts"],
        ["mypy", "-p", NAME, "-p", "kota_contracts"],
    ):
        result = _run(scratch, "python", "-m", *command)
        assert result.returncode == 0, f"{command}:\n{result.stdout}{result.stderr}"


def test_its_generated_tests_pass(scratch: Path) -> None:
    result = _run(
        scratch, "kota", "test", "--no-lint", f"svc-{NAME}/tests", "-q", "-p", "no:cacheprovider"
    )

    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    assert "3 passed" in result.stdout


def test_kota_up_starts_it_and_the_gateway_routes_to_it(scratch: Path) -> None:
    # The scratch suite has one more service than this one: its offset is the next free.
    ports = SuitePorts.free(max(s.port_offset for s in SERVICES) + 1)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KOTA_TEST_", "VIRTUAL_ENV"))}
    command = up_command(scratch / ".kota" / "run", ports, kota=(_uv(), "run", "--offline", "kota"))
    env |= {"KOTA_CACHE_DIR": str(REPO / ".kota" / "cache")}
    with running_suite(command, log=scratch / "kota-up.out", env=env, cwd=scratch):
        readiness = httpx.get(f"http://127.0.0.1:{ports.base}/readyz", timeout=10).json()
        assert readiness["checks"][f"upstream:{NAME}"]["status"] == "ready", readiness
        demo_port = ports.base + _declared_offset(scratch)
        assert httpx.get(f"http://127.0.0.1:{demo_port}/readyz", timeout=10).status_code == 200


def _declared_offset(scratch: Path) -> int:
    code = f"from kota_contracts.services import declared; print(declared({NAME!r}).port_offset)"
    result = _run(scratch, "python", "-c", code)
    assert result.returncode == 0, result.stderr
    return int(result.stdout)
