"""A single-node Apache Kafka broker (KRaft) for local development and tests, without Docker.

The jars come from Maven Central through devtools/kafka/pom.xml; everything the broker writes
(configuration, partitions, its log, its pid, its principals' passwords) lives in one data
directory, so a broker can be stopped and started again on the same data, from this process
or another one.

A *secured* broker (what ``kota up`` and the test suite run) authenticates every client with
SASL/SCRAM-SHA-512: one principal per declared service plus the tooling's super user
(`kafka_access.ADMIN`), their credentials created when the storage is formatted, and ACLs
derived from the service registry (`kota_dev.kafka_access`) applied each time it starts. An
open broker (no ``secured``) is for a test or benchmark about something else, such as an
outage. A secured broker started with ``harness`` also listens, unauthenticated and with every
right, on a second loopback port: the test suite's own, for test code that plays every party.
"""

import asyncio
import base64
import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Coroutine, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from kota_contracts.services import EVERY_SERVICE
from kota_dev import kafka_access
from kota_dev.kafka_access import ADMIN
from kota_dev.ports import free_port, wait_for_tcp
from kota_shared.events.kafka_security import UNAUTHENTICATED, KafkaSecurity
from kota_shared.events.topics import ensure_topics

POM = Path(__file__).resolve().parents[2] / "kafka" / "pom.xml"
TOOLS_POM = POM.with_name("tools-pom.xml")
"""The broker's jars and Kafka's command-line tools: for a test of compose's broker script."""
READY_TIMEOUT = 60.0
_PORTS_FILE = "ports.json"
_PID_FILE = "broker.pid"
_LOG_FILE = "broker.log"
_CREDENTIALS_FILE = "credentials.json"
"""Every principal's password (0600): the services' environments are made from it."""
_REGISTERED_FILE = "scram-registered.json"
"""The principals whose SCRAM credentials the broker holds; a service declared after the
storage was formatted is registered at the next start."""
_ADMIN_CONFIG = "admin.properties"
"""The super user's client configuration, for Kafka's command-line tools."""
_SCRAM = "SCRAM-SHA-512"

_LOG4J2 = """\
# Written by kota_dev.kafka: to stdout, which the broker's log file captures. At INFO a broker
# writes thousands of lines per start (one per partition and step), hiding what matters.
status = warn
shutdownHook = disable
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.out.ref = out
# "Kafka Server started" and shutdown, and consumers joining or leaving their groups.
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = info
logger.groups.name = org.apache.kafka.coordinator.group.GroupMetadataManager
logger.groups.level = info
"""


@dataclass
class KafkaBroker:
    data_dir: Path
    port: int
    """The clients' listener: SASL/SCRAM on a secured broker."""
    controller_port: int
    process: subprocess.Popen[bytes] | None  # None when another process started the broker
    harness_port: int | None = None
    credentials: Mapping[str, str] | None = field(default=None, repr=False)
    """Each principal's password (a secured broker), or None (an open one)."""
    libs: Path | None = None
    """The broker's jars, for Kafka's own tools."""

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def secured(self) -> bool:
        return self.credentials is not None

    @property
    def harness_bootstrap_servers(self) -> str:
        """The test harness's listener: no credentials asked, every right granted."""
        if self.harness_port is None:
            raise RuntimeError(f"the broker on {self.data_dir} was started without a harness")
        return f"127.0.0.1:{self.harness_port}"

    def security(self, principal: str = ADMIN) -> KafkaSecurity:
        """How ``principal`` (a service's name, or the tooling's `ADMIN`) authenticates."""
        if self.credentials is None:
            return UNAUTHENTICATED
        return KafkaSecurity.scram(principal, self.credentials[principal])


def principals() -> list[str]:
    """Who a secured broker knows: the tooling and every declared service."""
    return [ADMIN, *(service.name for service in EVERY_SERVICE)]


def credentials_at(data_dir: Path) -> dict[str, str]:
    """The principals' passwords of the secured broker on data_dir (what ``kota up`` gives
    each service); empty for an open broker or one never started."""
    path = data_dir / _CREDENTIALS_FILE
    if not path.exists():
        return {}
    saved: dict[str, str] = json.loads(path.read_text())
    return saved


def ensure_jars(cache_dir: Path, *, pom: Path = POM) -> Path:
    """Resolve the broker's jars into cache_dir/libs (once per pom.xml version); return it.

    Another ``pom`` (`TOOLS_POM`) needs a cache_dir of its own."""
    cache_dir = cache_dir.resolve()  # Maven reads a relative path from the pom's folder
    cache_dir.mkdir(parents=True, exist_ok=True)
    libs = cache_dir / "libs"
    marker = cache_dir / f"kafka-libs-{hashlib.sha256(pom.read_bytes()).hexdigest()[:16]}.ok"
    # Parallel test workers and `kota up` may share the cache; one resolves, the others wait.
    with (cache_dir / "kafka-libs.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.exists() and libs.is_dir():
            return libs
        if shutil.which("mvn") is None or shutil.which("java") is None:
            raise RuntimeError("Kafka needs Java 17+ and Maven: `apt-get install maven`")
        # Jars of an older pom would end up on the same classpath as the new ones.
        shutil.rmtree(libs, ignore_errors=True)
        for old in cache_dir.glob("kafka-libs-*.ok"):
            old.unlink()
        command = [
            "mvn",
            "-q",
            "-B",
            "-Dstyle.color=never",
            "-f",
            str(pom),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={libs}",
            "-DincludeScope=runtime",
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            output = (result.stdout + result.stderr)[-4000:]
            raise RuntimeError(f"mvn could not fetch the Kafka jars:\n{output}")
        marker.touch()
    return libs


QUICK_START_JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
"""The JIT's first tier only and the simplest collector: on 2 cores a broker answers in 4 s
instead of 6 and leaves the CPU to the services starting beside it, at the cost of peak
throughput, which a development suite or a test run never reaches (benchmarks keep it)."""


def start_broker(
    data_dir: Path,
    *,
    port: int | None = None,
    cache_dir: Path,
    quick_start: bool = False,
    secured: bool = False,
    harness: bool = False,
) -> KafkaBroker:
    """Start a broker on data_dir (formatting it the first time); return once clients work
    (and, secured, once its principals and ACLs are in place).

    Without `port`, the ports remembered in data_dir are reused, so a restarted broker keeps
    its address. If a broker already runs on data_dir, that one is returned.
    """
    broker = launch_broker(
        data_dir,
        port=port,
        cache_dir=cache_dir,
        quick_start=quick_start,
        secured=secured,
        harness=harness,
    )
    wait_until_ready(broker)
    return broker


def launch_broker(
    data_dir: Path,
    *,
    port: int | None = None,
    cache_dir: Path,
    quick_start: bool = False,
    secured: bool = False,
    harness: bool = False,
) -> KafkaBroker:
    """`start_broker` without the wait: the broker's JVM starts while the caller goes on
    (``kota up`` starts the services meanwhile); `wait_until_ready` before relying on it.

    The principals' passwords are in data_dir (`credentials_at`) as soon as this returns.
    """
    if harness and not secured:
        raise ValueError("a harness listener is the unauthenticated way into a secured broker")
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    ports_file = data_dir / _PORTS_FILE
    remembered = json.loads(ports_file.read_text()) if ports_file.exists() else {}
    formatted = (data_dir / "logs" / "meta.properties").exists()
    if formatted and remembered.get("secured", False) != secured:
        raise RuntimeError(
            f"the Kafka storage in {data_dir} was formatted "
            f"{'with' if remembered.get('secured') else 'without'} authentication; remove "
            "that directory to start it the other way (the services' databases keep their "
            "data, but events already delivered are not replayed)"
        )
    libs = ensure_jars(cache_dir)

    if _running_broker_pid(data_dir) is not None:
        if port is not None and port != remembered["port"]:
            raise RuntimeError(
                f"a Kafka broker already runs on {data_dir} (port {remembered['port']}); "
                f"stop it first to move it to port {port}"
            )
        if harness and remembered.get("harness_port") is None:
            raise RuntimeError(f"the broker running on {data_dir} has no harness listener")
        return attach(data_dir, libs=libs)

    port = port or remembered.get("port") or free_port()
    controller_port = remembered.get("controller_port") or free_port()
    harness_port = (remembered.get("harness_port") or free_port()) if harness else None
    ports_file.write_text(
        json.dumps(
            {
                "port": port,
                "controller_port": controller_port,
                "harness_port": harness_port,
                "secured": secured,
            }
        )
    )
    credentials = _ensure_credentials(data_dir) if secured else None
    config = _write_config(
        data_dir,
        port=port,
        controller_port=controller_port,
        harness_port=harness_port,
        admin_password=credentials[ADMIN] if credentials else None,
    )
    java = ["java", "-Djava.awt.headless=true", f"-Dlog4j2.configurationFile={config.log4j2}"]
    classpath = ["-cp", f"{libs}/*"]
    quick = QUICK_START_JVM_OPTIONS if quick_start else ()

    if not formatted:
        storage_format = ["kafka.tools.StorageTool", "format", "--config", str(config.server)]
        # Credentials go into the metadata log with the format: the broker can then check
        # them from its first second, before any client (or the tooling) could add them.
        scram = [
            arg
            for name, password in (credentials or {}).items()
            for arg in ("--add-scram", f"{_SCRAM}=[name={name},password={password}]")
        ]
        result = subprocess.run(
            [*java, *classpath, *storage_format, "--cluster-id", _random_cluster_id(), *scram],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"formatting Kafka storage failed:\n{result.stdout}{result.stderr}")
        if credentials is not None:
            _write_private(data_dir / _REGISTERED_FILE, json.dumps(sorted(credentials)))

    with (data_dir / _LOG_FILE).open("ab") as log:
        process = subprocess.Popen(
            [*java, "-Xms256m", "-Xmx512m", *quick, *classpath, "kafka.Kafka", str(config.server)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: Ctrl-C in `kota up` or pytest must not kill it half-way,
            # and stopping it signals the JVM alone, not whoever started it.
            start_new_session=True,
        )
    (data_dir / _PID_FILE).write_text(f"{process.pid}\n")
    return KafkaBroker(
        data_dir,
        port,
        controller_port,
        process,
        harness_port=harness_port,
        credentials=credentials,
        libs=libs,
    )


def attach(data_dir: Path, *, libs: Path | None = None) -> KafkaBroker:
    """The broker another process started on data_dir (``kota test`` for its pytest run)."""
    data_dir = data_dir.resolve()
    if _running_broker_pid(data_dir) is None:
        raise RuntimeError(f"no Kafka broker runs on {data_dir}")
    remembered = json.loads((data_dir / _PORTS_FILE).read_text())
    return KafkaBroker(
        data_dir,
        remembered["port"],
        remembered["controller_port"],
        None,
        harness_port=remembered.get("harness_port"),
        credentials=credentials_at(data_dir) if remembered.get("secured") else None,
        libs=libs,
    )


def _ensure_credentials(data_dir: Path) -> dict[str, str]:
    """A random password per principal, made once per data directory (a service declared
    later gets one too)."""
    saved = credentials_at(data_dir)
    passwords = {name: saved.get(name) or secrets.token_urlsafe(18) for name in principals()}
    if passwords != saved:
        _write_private(data_dir / _CREDENTIALS_FILE, json.dumps({**saved, **passwords}))
    return {**saved, **passwords}


def _write_private(path: Path, text: str) -> None:
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(text)


def stop_broker(broker: KafkaBroker, *, timeout: float = 30) -> None:
    """Shut the broker down cleanly (SIGTERM), killing it if it takes longer than timeout."""
    process = broker.process
    if process is None:
        stop_broker_at(broker.data_dir, timeout=timeout)
        return
    _terminate(process.pid, lambda: process.poll() is None, timeout)
    (broker.data_dir / _PID_FILE).unlink(missing_ok=True)


def stop_broker_at(data_dir: Path, *, timeout: float = 30) -> None:
    """Stop the broker running on data_dir, whichever process started it; no-op if none."""
    data_dir = data_dir.resolve()
    pid = _running_broker_pid(data_dir)
    if pid is not None:
        _terminate(pid, lambda: _is_alive(pid), timeout)
    (data_dir / _PID_FILE).unlink(missing_ok=True)


SINGLE_NODE_SETTINGS = {
    # One broker: internal topics cannot have more than one replica.
    "offsets.topic.replication.factor": "1",
    "transaction.state.log.replication.factor": "1",
    "transaction.state.log.min.isr": "1",
    # Fifty partitions each (the default) only make a one-node broker slower to start.
    "offsets.topic.num.partitions": "5",
    "transaction.state.log.num.partitions": "5",
    "share.coordinator.state.topic.replication.factor": "1",
    "share.coordinator.state.topic.min.isr": "1",
    "num.partitions": "3",
    "auto.create.topics.enable": "true",
}
"""What a one-node broker needs, here and in compose."""


@dataclass(frozen=True)
class _Config:
    server: Path
    log4j2: Path


def _write_config(
    data_dir: Path,
    *,
    port: int,
    controller_port: int,
    harness_port: int | None,
    admin_password: str | None,
) -> _Config:
    if admin_password is None:
        listeners = {"PLAINTEXT": port, "CONTROLLER": controller_port}
        protocols = {"PLAINTEXT": "PLAINTEXT", "CONTROLLER": "PLAINTEXT"}
        security: dict[str, str] = {"inter.broker.listener.name": "PLAINTEXT"}
    else:
        listeners = {"CLIENTS": port, "CONTROLLER": controller_port}
        protocols = {"CLIENTS": "SASL_PLAINTEXT", "CONTROLLER": "SASL_PLAINTEXT"}
        if harness_port is not None:
            listeners["HARNESS"] = harness_port
            protocols["HARNESS"] = "PLAINTEXT"
        security = secured_listener_settings(
            admin_password=admin_password, harness=harness_port is not None
        )
    settings = {
        "process.roles": "broker,controller",
        "node.id": "1",
        # A static voter set keeps working if the controller port ever changes, unlike the
        # dynamic quorum that `format --standalone` records in the metadata log.
        "controller.quorum.voters": f"1@127.0.0.1:{controller_port}",
        "controller.listener.names": "CONTROLLER",
        "listeners": ",".join(f"{name}://127.0.0.1:{p}" for name, p in listeners.items()),
        "advertised.listeners": ",".join(
            f"{name}://127.0.0.1:{p}" for name, p in listeners.items() if name != "CONTROLLER"
        ),
        "listener.security.protocol.map": ",".join(f"{k}:{v}" for k, v in protocols.items()),
        **security,
        "log.dirs": str(data_dir / "logs"),
        **SINGLE_NODE_SETTINGS,
        # Consumers in tests and `kota up` should join at once, not after the default 3 s.
        "group.initial.rebalance.delay.ms": "0",
    }
    server = data_dir / "server.properties"
    # It holds the super user's password when secured.
    _write_private(server, "".join(f"{key}={value}\n" for key, value in settings.items()))
    if admin_password is not None:
        _write_private(data_dir / _ADMIN_CONFIG, admin_client_properties(admin_password))
    log4j2 = data_dir / "log4j2.properties"
    log4j2.write_text(_LOG4J2)
    return _Config(server=server, log4j2=log4j2)


def secured_listener_settings(*, admin_password: str, harness: bool = False) -> dict[str, str]:
    """The broker settings that make its CLIENTS listener authenticate (SCRAM-SHA-512) and
    its authorizer refuse what no ACL allows; compose's broker uses the same.

    The controller listener uses PLAIN with the super user alone: KRaft cannot check SCRAM
    there, since SCRAM credentials live in the metadata log the controller serves.
    """
    admin_scram = _jaas("scram.ScramLoginModule", username=ADMIN, password=admin_password)
    admin_plain = _jaas(
        "plain.PlainLoginModule",
        username=ADMIN,
        password=admin_password,
        **{f"user_{ADMIN}": admin_password},
    )
    return {
        "inter.broker.listener.name": "CLIENTS",
        "sasl.enabled.mechanisms": _SCRAM,
        "sasl.mechanism.inter.broker.protocol": _SCRAM,
        "listener.name.clients.sasl.enabled.mechanisms": _SCRAM,
        f"listener.name.clients.{_SCRAM.lower()}.sasl.jaas.config": admin_scram,
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        "listener.name.controller.plain.sasl.jaas.config": admin_plain,
        "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        # The harness listener's clients are User:ANONYMOUS; nowhere else can one be.
        "super.users": f"User:{ADMIN}" + (";User:ANONYMOUS" if harness else ""),
        "allow.everyone.if.no.acl.found": "false",
    }


def admin_client_properties(admin_password: str) -> str:
    """A client configuration file for Kafka's tools (``--command-config``) as the super user."""
    jaas = _jaas("scram.ScramLoginModule", username=ADMIN, password=admin_password)
    return f"security.protocol=SASL_PLAINTEXT\nsasl.mechanism={_SCRAM}\nsasl.jaas.config={jaas}\n"


def _jaas(module: str, **options: str) -> str:
    # Generated passwords are URL-safe base64: nothing in them needs quoting here.
    values = " ".join(f'{key}="{value}"' for key, value in options.items())
    return f"org.apache.kafka.common.security.{module} required {values};"


def _random_cluster_id() -> str:
    # Kafka's own format (Uuid.randomUuid): URL-safe base64 of 16 random bytes, no padding,
    # never starting with "-" so that command lines cannot mistake it for an option.
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def wait_until_ready(broker: KafkaBroker) -> None:
    """Return once clients work; a broker that exits or never answers is stopped and raised.

    A secured broker is ready once every principal can authenticate, the registry's ACLs
    are in place and the published topics exist: a service that connects before that is
    refused, and waits.
    """
    try:
        _wait_until_answering(broker)
        if broker.secured:
            _register_new_principals(broker)
            _in_fresh_loop(lambda: _grant_access(broker))
    except BaseException:
        if broker.process is not None:
            stop_broker(broker)
        raise


async def _grant_access(broker: KafkaBroker) -> None:
    admin = broker.security(ADMIN)
    await kafka_access.apply(broker.bootstrap_servers, admin, kafka_access.grants())
    await ensure_topics(broker.bootstrap_servers, kafka_access.published_topics(), security=admin)


def _register_new_principals(broker: KafkaBroker) -> None:
    """SCRAM credentials for principals declared since the storage was formatted (a service
    added with ``kota new-service``), through Kafka's own tool, as the super user."""
    registered_file = broker.data_dir / _REGISTERED_FILE
    registered = set(json.loads(registered_file.read_text())) if registered_file.exists() else set()
    assert broker.credentials is not None
    missing = sorted(set(broker.credentials) - registered)
    if not missing:
        return
    if broker.libs is None:
        raise RuntimeError(f"cannot register {missing} on {broker.data_dir}: jars unknown")
    for name in missing:
        result = subprocess.run(
            [
                "java",
                "-cp",
                f"{broker.libs}/*",
                "kafka.admin.ConfigCommand",
                "--bootstrap-server",
                broker.bootstrap_servers,
                "--command-config",
                str(broker.data_dir / _ADMIN_CONFIG),
                "--alter",
                "--add-config",
                f"{_SCRAM}=[password={broker.credentials[name]}]",
                "--entity-type",
                "users",
                "--entity-name",
                name,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"registering Kafka principal {name} failed:\n{result.stderr}")
        registered.add(name)
        _write_private(registered_file, json.dumps(sorted(registered)))


def _wait_until_answering(broker: KafkaBroker) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while True:
        if broker.process is not None and broker.process.poll() is not None:
            problem = f"the broker exited with code {broker.process.returncode}"
            break
        try:
            wait_for_tcp("127.0.0.1", broker.port, timeout=1.0)
            # The port opens before the broker has joined its own controller, and the first
            # consumer group waits for the offsets topic; ready means both are done.
            if _answers_clients(broker.bootstrap_servers, broker.security(ADMIN)):
                return
        except TimeoutError:
            pass
        if time.monotonic() >= deadline:
            problem = f"clients got no answer within {READY_TIMEOUT:g} s"
            break
        time.sleep(0.2)
    raise RuntimeError(
        f"Kafka on {broker.bootstrap_servers} did not become ready: {problem}\n"
        f"--- last lines of {broker.data_dir / _LOG_FILE} ---\n{_log_tail(broker.data_dir)}"
    )


def _answers_clients(bootstrap_servers: str, security: KafkaSecurity) -> bool:
    async def probe() -> bool:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=bootstrap_servers,
            request_timeout_ms=5000,
            **security.client_options(),
        )
        try:
            await admin.start()
            cluster = await admin.describe_cluster()
            if not cluster["brokers"]:
                return False
            # Creates the offsets topic now, rather than while services' consumers join.
            await admin.find_coordinator("kota-dev-readiness")
            return True
        except KafkaError:
            return False
        finally:
            await admin.close()

    return _in_fresh_loop(probe)


_T = TypeVar("_T")


def _in_fresh_loop(work: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    # A thread of its own gives the work a fresh event loop whether or not the caller
    # already runs one (pytest-asyncio, `kota up`), without touching the caller's loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(work())).result()


def _running_broker_pid(data_dir: Path) -> int | None:
    """The pid in data_dir's pid file, if that process is alive and is this data's broker."""
    try:
        pid = int((data_dir / _PID_FILE).read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ValueError):
        return None
    # A stale pid file may name a pid the system has since given to another program.
    if str(data_dir / "server.properties").encode() not in cmdline or not _is_alive(pid):
        return None
    return pid


def _is_alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    # A zombie has exited and only waits for its parent to reap it.
    return stat.rpartition(")")[2].split()[0] != "Z"


def _terminate(pid: int, alive: Callable[[], bool], timeout: float) -> None:
    for sig, grace in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, sig)
        deadline = time.monotonic() + grace
        while alive():
            if time.monotonic() >= deadline:
                break
            time.sleep(0.1)
        else:
            return
    raise TimeoutError(f"Kafka broker (pid {pid}) survived SIGKILL")


def _log_tail(data_dir: Path, lines: int = 40) -> str:
    try:
        text = (data_dir / _LOG_FILE).read_text(errors="replace")
    except FileNotFoundError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])
