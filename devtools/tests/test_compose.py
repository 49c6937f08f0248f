"""docker-compose.yml and its PostgreSQL init script, checked without a Docker engine.

The file is rendered from the service registry (`kota_dev.compose`); compose itself validates
it and prints it normalised (anchors merged, variables
interpolated with their defaults); the tests read that output, so they see what
`docker compose up` would run. The init script runs for real against a throwaway cluster.
"""

import functools
import json
import os
import shutil
import subprocess
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from kota_contracts.services import EVERY_SERVICE, SERVICES
from kota_dev import compose
from kota_dev.postgres import PostgresCluster, server_bin_dir, start_cluster, stop_cluster

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
INIT_SCRIPT = REPO / "deploy" / "postgres" / "init.sh"
DOCKERFILE = "deploy/Dockerfile.service"

INFRASTRUCTURE = ("postgres", "kafka")
# Compose service name -> workspace folder, from the registry; the service name is also its
# database, its role and (upper-cased) its settings prefix.
APP_SERVICES = {service.name: service.folder for service in EVERY_SERVICE}
BACKENDS = [service.name for service in SERVICES]
JWKS_URL = "http://gateway:8000/.well-known/jwks.json"


def compose_command() -> list[str]:
    """Debian's `docker-compose` (v1), else the `docker compose` plugin (v2).

    Neither needs a Docker engine for `config`. Missing both fails the test: the CI script
    installs Debian's package, and a skipped check would pass a broken compose file.
    """
    standalone = shutil.which("docker-compose")
    if standalone:
        return [standalone]
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return [docker, "compose"]
    pytest.fail(
        "neither `docker-compose` nor the `docker compose` plugin is installed, so "
        "docker-compose.yml cannot be validated; install it (Debian/Ubuntu: "
        "`apt-get install docker-compose`)",
        pytrace=False,
    )


REQUIRED_SECRETS = {
    "KOTA_PERMITS_VERIFICATION_SECRET": "a-test-only-secret",
    "KOTA_PAYMENTS_CALLBACK_SECRET": "whsec_dGVzdC1vbmx5LXNlY3JldA==",
}
"""Variables the file refuses to default: an operator must choose them."""


def run_compose(
    *args: str, secrets: dict[str, str] = REQUIRED_SECRETS
) -> subprocess.CompletedProcess[str]:
    # Interpolate the file's own defaults only: no variables from the caller's shell and an
    # empty env file instead of a developer's `.env`, so the result is the same everywhere.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KOTA_", "POSTGRES_", "COMPOSE_"))
    } | secrets
    with tempfile.NamedTemporaryFile(suffix=".env") as empty_env_file:
        return subprocess.run(
            [
                *compose_command(),
                "--project-directory",
                str(REPO),
                "--env-file",
                empty_env_file.name,
                "-f",
                str(COMPOSE_FILE),
                *args,
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )


@functools.cache
def normalized_config() -> dict[str, Any]:
    result = run_compose("config")
    assert result.returncode == 0, f"`config` failed:\n{result.stderr}"
    config: dict[str, Any] = yaml.safe_load(result.stdout)
    return config


def service(name: str) -> dict[str, Any]:
    services: dict[str, Any] = normalized_config()["services"]
    assert name in services, f"no service {name!r} in docker-compose.yml"
    definition: dict[str, Any] = services[name]
    return definition


def environment(name: str) -> dict[str, str]:
    # Compose v1 keeps YAML scalars (KAFKA_NODE_ID: 1), v2 prints strings.
    return {key: str(value) for key, value in service(name).get("environment", {}).items()}


def published_ports(definition: dict[str, Any]) -> list[tuple[int, int]]:
    ports: list[tuple[int, int]] = []
    for port in definition.get("ports", []):
        if isinstance(port, dict):  # normalised long syntax (v1 and v2)
            if port.get("published") is not None:
                ports.append((int(port["published"]), int(port["target"])))
        else:  # short syntax "HOST:CONTAINER", should a version print it unnormalised
            host, _, container = str(port).rpartition(":")
            if host:
                ports.append((int(host.rpartition(":")[2]), int(container)))
    return ports


def test_the_file_is_what_the_registry_renders() -> None:
    assert COMPOSE_FILE.read_text() == compose.render(), (
        "docker-compose.yml is stale: run `uv run kota compose` and review the difference"
    )


def test_compose_validates_the_file() -> None:
    result = run_compose("config", "-q")

    assert result.returncode == 0, f"docker-compose.yml is invalid:\n{result.stderr}"


@pytest.mark.parametrize("secret", sorted(REQUIRED_SECRETS))
def test_it_refuses_to_start_without_a_required_secret(secret: str) -> None:
    others = {name: value for name, value in REQUIRED_SECRETS.items() if name != secret}

    result = run_compose("config", "-q", secrets=others)

    assert result.returncode != 0
    assert secret in result.stderr


def test_it_runs_the_infrastructure_and_every_service() -> None:
    assert set(normalized_config()["services"]) == {*INFRASTRUCTURE, *APP_SERVICES}


def test_only_the_gateway_publishes_a_port() -> None:
    published = {
        name: published_ports(definition)
        for name, definition in normalized_config()["services"].items()
    }

    assert published.pop("gateway") == [(8000, 8000)]
    assert published == {name: [] for name in published}


def test_every_service_has_a_healthcheck() -> None:
    for name, definition in normalized_config()["services"].items():
        check = definition.get("healthcheck") or {}
        assert not check.get("disable"), name
        assert check.get("test"), f"{name} has no healthcheck"
        assert check["test"] != ["NONE"], f"{name} has its image's healthcheck turned off"


@pytest.mark.parametrize("name", list(APP_SERVICES))
def test_an_app_service_is_ready_only_when_its_readyz_answers(name: str) -> None:
    test = service(name)["healthcheck"]["test"]

    assert "http://127.0.0.1:8000/readyz" in " ".join(test)


@pytest.mark.parametrize("name", list(APP_SERVICES))
def test_an_app_service_waits_for_healthy_postgres_and_kafka(name: str) -> None:
    depends_on = service(name).get("depends_on", {})

    for dependency in INFRASTRUCTURE:
        assert depends_on.get(dependency, {}).get("condition") == "service_healthy", (
            f"{name} must wait for {dependency} to be healthy"
        )


def test_the_gateway_waits_for_every_backend_and_no_backend_for_it() -> None:
    depends_on = service("gateway")["depends_on"]

    for backend in BACKENDS:
        assert depends_on.get(backend, {}).get("condition") == "service_healthy", backend
        # Backends fetch the JWKS lazily; waiting for the gateway would be a cycle.
        assert "gateway" not in service(backend).get("depends_on", {})


@pytest.mark.parametrize("name", list(APP_SERVICES))
def test_an_app_service_uses_its_own_database_and_role(name: str) -> None:
    url = urlsplit(environment(name)[f"{name.upper()}_DATABASE_URL"])

    assert url.scheme == "postgresql+asyncpg"
    assert (url.hostname, url.port) == ("postgres", 5432)
    assert url.username == name
    assert url.path == f"/{name}"
    # The password the service connects with is the one the init script sets.
    init_password = environment("postgres")[f"KOTA_{name.upper()}_DB_PASSWORD"]
    assert unquote(url.password or "") == init_password


@pytest.mark.parametrize("name", list(APP_SERVICES))
def test_an_app_service_reaches_kafka_and_verifies_the_gateways_tokens(name: str) -> None:
    env = environment(name)
    prefix = name.upper()

    assert env[f"{prefix}_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    assert env[f"{prefix}_JWKS_URL"] == JWKS_URL
    assert env[f"{prefix}_TOKEN_AUDIENCE"] == "kota-live"
    assert env[f"{prefix}_TOKEN_ISSUER"] == environment("gateway")["GATEWAY_TOKEN_ISSUER"]
    assert f"{prefix}_LOG_LEVEL" in env


def test_the_gateway_routes_to_every_backend() -> None:
    upstreams = json.loads(environment("gateway")["GATEWAY_UPSTREAMS"])

    assert upstreams == {name: f"http://{name}:8000" for name in BACKENDS}


def test_the_gateway_keeps_its_signing_keys_on_a_named_volume() -> None:
    key_dir = Path(environment("gateway")["GATEWAY_SIGNING_KEY_DIR"])
    named_volumes = set(normalized_config().get("volumes") or {})
    mounts = []
    for volume in service("gateway").get("volumes", []):
        if isinstance(volume, dict):
            mounts.append((volume.get("source"), volume["target"]))
        else:
            source, target = str(volume).split(":")[:2]
            mounts.append((source, target))

    assert any(
        source in named_volumes and key_dir.is_relative_to(target) for source, target in mounts
    ), f"{key_dir} is not on a named volume: {mounts}"


@pytest.mark.parametrize(("name", "folder"), list(APP_SERVICES.items()))
def test_an_app_service_builds_its_own_member_from_the_shared_dockerfile(
    name: str, folder: str
) -> None:
    build = service(name)["build"]
    pyproject = tomllib.loads((REPO / folder / "pyproject.toml").read_text())
    member = pyproject["project"]["name"]
    (package_dir,) = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    package = Path(package_dir).name

    assert Path(build["context"]).resolve() == REPO
    assert build["dockerfile"] == DOCKERFILE
    assert build["args"] == {"SERVICE_PACKAGE": member, "PYTHON_PACKAGE": package}
    assert (REPO / folder / "src" / package / "__init__.py").is_file()


# --- the init script, for real ----------------------------------------------------------


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresCluster]:
    cluster = start_cluster(tmp_path_factory.mktemp("compose") / "postgres")
    yield cluster
    stop_cluster(cluster)


def psql(
    cluster: PostgresCluster, sql: str, *, user: str = "postgres", database: str = "postgres"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(server_bin_dir() / "psql"),
            "--no-psqlrc",
            "-XAt",
            "-h",
            cluster.host,
            "-p",
            str(cluster.port),
            "-U",
            user,
            "-d",
            database,
            "-c",
            sql,
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def run_init_script(cluster: PostgresCluster) -> None:
    # What the postgres image gives its init scripts: the container's environment (from
    # the compose file) plus the superuser's name; libpq variables point at our cluster.
    env = {
        "PATH": f"{server_bin_dir()}:{os.environ['PATH']}",
        "PGHOST": cluster.host,
        "PGPORT": str(cluster.port),
        **environment("postgres"),
    }
    result = subprocess.run(
        ["bash", str(INIT_SCRIPT)], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_init_script_creates_each_services_database_owned_by_its_role(
    cluster: PostgresCluster,
) -> None:
    run_init_script(cluster)
    run_init_script(cluster)  # idempotent: a manual re-run must not fail

    listed = psql(cluster, "SELECT datname, pg_get_userbyid(datdba) FROM pg_database")
    assert listed.returncode == 0, listed.stderr
    owners = dict(line.split("|") for line in listed.stdout.splitlines())
    for name in APP_SERVICES:
        database = urlsplit(environment(name)[f"{name.upper()}_DATABASE_URL"]).path.lstrip("/")
        assert owners.get(database) == name, f"database {database!r}: {owners}"

    passwords = psql(
        cluster, "SELECT rolname FROM pg_authid WHERE rolcanlogin AND rolpassword IS NOT NULL"
    )
    assert set(APP_SERVICES) <= set(passwords.stdout.splitlines())


def test_a_service_role_cannot_connect_to_another_services_database(
    cluster: PostgresCluster,
) -> None:
    run_init_script(cluster)

    assert psql(cluster, "SELECT 1", user="permits", database="permits").returncode == 0
    refused = psql(cluster, "SELECT 1", user="permits", database="payments")
    assert refused.returncode != 0
    assert "permission denied for database" in refused.stderr
