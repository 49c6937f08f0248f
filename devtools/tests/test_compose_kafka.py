"""Compose's Kafka authenticates every service and holds each to the registry's ACLs.

Checked without a Docker engine: the services' settings in the normalised compose file, and
the script the broker's container runs, run here for real, with Kafka's own command-line
tools (the jars of devtools/kafka/tools-pom.xml) standing in for the image's /opt/kafka/bin.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaConnectionError, TopicAuthorizationFailedError

from kota_contracts.services import EVERY_SERVICE
from kota_dev import compose, kafka_access
from kota_dev.kafka import TOOLS_POM, ensure_jars
from kota_dev.kafka_access import ADMIN
from kota_dev.ports import free_port
from kota_dev.pytest_plugin import kafka_cache_dir
from kota_shared.events.kafka_security import UNAUTHENTICATED, KafkaSecurity
from kota_shared.testing.waiting import eventually

REPO = Path(__file__).resolve().parents[2]
SECRETS = {
    "KOTA_PERMITS_VERIFICATION_SECRET": "a-test-only-secret",
    "KOTA_PAYMENTS_CALLBACK_SECRET": "whsec_dGVzdC1vbmx5LXNlY3JldA==",
}
TOOLS = {
    "kafka-storage.sh": "kafka.tools.StorageTool",
    "kafka-server-start.sh": "kafka.Kafka",
    "kafka-topics.sh": "org.apache.kafka.tools.TopicCommand",
    "kafka-acls.sh": "org.apache.kafka.tools.AclCommand",
    "kafka-broker-api-versions.sh": "org.apache.kafka.tools.BrokerApiVersionsCommand",
}
"""The image's scripts, each a `kafka-run-class.sh` of one of these classes."""


def normalized_config() -> dict[str, Any]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("KOTA_", "POSTGRES_", "COMPOSE_"))
    } | SECRETS
    with tempfile.NamedTemporaryFile(suffix=".env") as empty_env_file:
        result = subprocess.run(
            [
                "docker-compose",
                "--project-directory",
                str(REPO),
                "--env-file",
                empty_env_file.name,
                "-f",
                str(REPO / "docker-compose.yml"),
                "config",
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    config: dict[str, Any] = yaml.safe_load(result.stdout)
    return config


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    if shutil.which("docker-compose") is None:
        pytest.fail("docker-compose is not installed (apt-get install docker-compose)")
    found: dict[str, Any] = normalized_config()["services"]
    return found


def env_of(services: dict[str, Any], name: str) -> dict[str, str]:
    return {k: str(v) for k, v in services[name].get("environment", {}).items()}


@pytest.mark.parametrize("name", [service.name for service in EVERY_SERVICE])
def test_each_service_connects_to_kafka_as_itself(services: dict[str, Any], name: str) -> None:
    env = env_of(services, name)
    prefix = name.upper()

    assert env[f"{prefix}_KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT"
    assert env[f"{prefix}_KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    assert env[f"{prefix}_KAFKA_USERNAME"] == name
    # The password the service sends is the one the broker was given for it.
    broker_env = env_of(services, "kafka")
    assert env[f"{prefix}_KAFKA_PASSWORD"] == broker_env[f"KOTA_{prefix}_KAFKA_PASSWORD"]


def test_the_broker_runs_the_script_that_is_tested_below(services: dict[str, Any]) -> None:
    command = services["kafka"]["command"]

    # The normalised file escapes `$` as `$$` again, as the source does.
    assert command[:2] == ["bash", "-c"]
    assert command[2].replace("$$", "$") == compose.kafka_start_script()


@pytest.fixture(scope="module")
def kafka_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    libs = ensure_jars(kafka_cache_dir() / "kafka-tools", pom=TOOLS_POM)
    bin_dir = tmp_path_factory.mktemp("opt-kafka") / "bin"
    bin_dir.mkdir()
    for script, main_class in TOOLS.items():
        path = bin_dir / script
        path.write_text(
            "#!/usr/bin/env bash\n"
            "exec java ${KAFKA_HEAP_OPTS:-} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "
            f'-cp "{libs}/*" {main_class} "$@"\n'
        )
        path.chmod(0o755)
    return bin_dir


@dataclass
class StartedScript:
    bootstrap_servers: str
    passwords: dict[str, str]
    ready: Path
    process: subprocess.Popen[bytes]
    log: Path

    def principal(self, name: str) -> KafkaSecurity:
        return KafkaSecurity.scram(name, self.passwords[compose._kafka_password_variable(name)])

    async def is_ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(
                f"the script exited with {self.process.returncode}:\n{self.log.read_text()[-4000:]}"
            )
        return self.ready.exists()


@pytest.fixture
def broker_script(kafka_bin: Path, tmp_path: Path) -> Iterator[StartedScript]:
    port, controller_port = free_port(), free_port()
    work = tmp_path / "work"
    script = compose.kafka_start_script(
        bin_dir=str(kafka_bin),
        work_dir=str(work),
        data_dir=str(tmp_path / "data"),
        host="127.0.0.1",
        port=port,
        controller_port=controller_port,
    )
    passwords = {
        compose._kafka_password_variable(name): f"pw-{name}-{os.getpid()}"
        for name in [ADMIN, *(service.name for service in EVERY_SERVICE)]
    }
    env = {"PATH": os.environ["PATH"], "CLUSTER_ID": "a290YS1saXZlLWthZmthMQ", **passwords}
    log = tmp_path / "broker.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["bash", "-c", script],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield StartedScript(f"127.0.0.1:{port}", passwords, work / "ready", process, log)
    finally:
        # The whole group: the script, and the broker it started in the background.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


async def _writes(bootstrap_servers: str, security: KafkaSecurity, topic: str) -> bool:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, **security.client_options())
    try:
        await producer.start()
        await producer.send_and_wait(topic, b"probe", key=b"probe")
        return True
    except (KafkaConnectionError, TopicAuthorizationFailedError):
        return False
    finally:
        await producer.stop()


async def test_the_brokers_script_sets_up_principals_topics_and_acls(
    broker_script: StartedScript,
) -> None:
    await eventually(
        broker_script.is_ready,
        within=300,
        interval=1,
        what="the broker's start script to mark itself ready",
    )
    bootstrap = broker_script.bootstrap_servers
    admin_security = broker_script.principal(ADMIN)

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **admin_security.client_options())
    await admin.start()
    try:
        topics = set(await admin.list_topics())
    finally:
        await admin.close()
    assert set(kafka_access.published_topics()) <= topics
    assert await kafka_access.described_acls(bootstrap, admin_security) == (
        kafka_access.wanted_acls(kafka_access.grants())
    )
    assert await _writes(bootstrap, broker_script.principal("permits"), "permits.events")
    assert not await _writes(bootstrap, broker_script.principal("payments"), "permits.events")
    assert not await _writes(bootstrap, UNAUTHENTICATED, "permits.events")

    # Stopped as `docker compose stop` stops it: the broker shuts down, and the script ends.
    os.killpg(broker_script.process.pid, signal.SIGTERM)
    assert broker_script.process.wait(timeout=60) is not None
