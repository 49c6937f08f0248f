"""A single-node Apache Kafka broker (KRaft) for local development and tests, without Docker.

The jars come from Maven Central through devtools/kafka/pom.xml; everything the broker writes
(configuration, partitions, its log, its pid) lives in one data directory, so a broker can be
stopped and started again on the same data, from this process or another one.
"""

import asyncio
import base64
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from kota_dev.ports import free_port, wait_for_tcp

POM = Path(__file__).resolve().parents[2] / "kafka" / "pom.xml"
READY_TIMEOUT = 60.0
_PORTS_FILE = "ports.json"
_PID_FILE = "broker.pid"
_LOG_FILE = "broker.log"

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
    controller_port: int
    process: subprocess.Popen[bytes] | None  # None when another process started the broker

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"


def ensure_jars(cache_dir: Path) -> Path:
    """Resolve the broker's jars into cache_dir/libs (once per pom.xml version); return it."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    libs = cache_dir / "libs"
    marker = cache_dir / f"kafka-libs-{hashlib.sha256(POM.read_bytes()).hexdigest()[:16]}.ok"
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
            str(POM),
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
    data_dir: Path, *, port: int | None = None, cache_dir: Path, quick_start: bool = False
) -> KafkaBroker:
    """Start a broker on data_dir (formatting it the first time); return once clients work.

    Without `port`, the ports remembered in data_dir are reused, so a restarted broker keeps
    its address. If a broker already runs on data_dir, that one is returned.
    """
    broker = launch_broker(data_dir, port=port, cache_dir=cache_dir, quick_start=quick_start)
    wait_until_ready(broker)
    return broker


def launch_broker(
    data_dir: Path, *, port: int | None = None, cache_dir: Path, quick_start: bool = False
) -> KafkaBroker:
    """`start_broker` without the wait: the broker's JVM starts while the caller goes on
    (``kota up`` starts the services meanwhile); `wait_until_ready` before relying on it."""
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    ports_file = data_dir / _PORTS_FILE
    remembered = json.loads(ports_file.read_text()) if ports_file.exists() else {}

    if _running_broker_pid(data_dir) is not None:
        if port is not None and port != remembered["port"]:
            raise RuntimeError(
                f"a Kafka broker already runs on {data_dir} (port {remembered['port']}); "
                f"stop it first to move it to port {port}"
            )
        return KafkaBroker(data_dir, remembered["port"], remembered["controller_port"], None)

    port = port or remembered.get("port") or free_port()
    controller_port = remembered.get("controller_port") or free_port()
    ports_file.write_text(json.dumps({"port": port, "controller_port": controller_port}))
    libs = ensure_jars(cache_dir)
    config = _write_config(data_dir, port=port, controller_port=controller_port)
    java = ["java", "-Djava.awt.headless=true", f"-Dlog4j2.configurationFile={config.log4j2}"]
    classpath = ["-cp", f"{libs}/*"]
    quick = QUICK_START_JVM_OPTIONS if quick_start else ()

    if not (data_dir / "logs" / "meta.properties").exists():
        storage_format = ["kafka.tools.StorageTool", "format", "--config", str(config.server)]
        result = subprocess.run(
            [*java, *classpath, *storage_format, "--cluster-id", _random_cluster_id()],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"formatting Kafka storage failed:\n{result.stdout}{result.stderr}")

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
    return KafkaBroker(data_dir, port, controller_port, process)


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


@dataclass(frozen=True)
class _Config:
    server: Path
    log4j2: Path


def _write_config(data_dir: Path, *, port: int, controller_port: int) -> _Config:
    settings = {
        "process.roles": "broker,controller",
        "node.id": "1",
        # A static voter set keeps working if the controller port ever changes, unlike the
        # dynamic quorum that `format --standalone` records in the metadata log.
        "controller.quorum.voters": f"1@127.0.0.1:{controller_port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listeners": f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{port}",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs": str(data_dir / "logs"),
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
        # Consumers in tests and `kota up` should join at once, not after the default 3 s.
        "group.initial.rebalance.delay.ms": "0",
    }
    server = data_dir / "server.properties"
    server.write_text("".join(f"{key}={value}\n" for key, value in settings.items()))
    log4j2 = data_dir / "log4j2.properties"
    log4j2.write_text(_LOG4J2)
    return _Config(server=server, log4j2=log4j2)


def _random_cluster_id() -> str:
    # Kafka's own format (Uuid.randomUuid): URL-safe base64 of 16 random bytes, no padding,
    # never starting with "-" so that command lines cannot mistake it for an option.
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def wait_until_ready(broker: KafkaBroker) -> None:
    """Return once clients work; a broker that exits or never answers is stopped and raised."""
    try:
        _wait_until_answering(broker)
    except BaseException:
        if broker.process is not None:
            stop_broker(broker)
        raise


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
            if _answers_clients(broker.bootstrap_servers):
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


def _answers_clients(bootstrap_servers: str) -> bool:
    async def probe() -> bool:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=5000)
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

    # A thread of its own gives the probe a fresh event loop whether or not the caller
    # already runs one (pytest-asyncio, `kota up`), without touching the caller's loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, probe()).result()


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
