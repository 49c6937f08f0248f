"""A whole suite started as a developer starts it (``kota up``), for tests that drive it from
outside: the end-to-end suite, the README's walk-through, a scaffolded service.

Free ports for every process, the ``kota up`` command line, waiting for its banner (or
failing with its log's tail), and Ctrl-C on the way out.
"""

import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kota_dev.ports import free_port, free_ports_from
from kota_dev.suite import GATEWAY_METRICS_OFFSET, STARTED

BANNER = "Kota LIVE is up."
KOTA = (sys.executable, "-m", "kota_dev.cli")
"""This interpreter's ``kota``; a scratch workspace passes its own (``uv run kota``)."""


@dataclass(frozen=True)
class SuitePorts:
    """Where a suite listens: its processes from ``base``, PostgreSQL and Kafka apart."""

    base: int
    postgres: int
    kafka: int
    offsets: Sequence[int] = field(default_factory=tuple)

    @classmethod
    def free(cls, *extra_offsets: int) -> "SuitePorts":
        """Ports nothing listens on now, for every process of the suite (and ``extra``)."""
        offsets = sorted(
            {*(s.port_offset for s in STARTED), GATEWAY_METRICS_OFFSET, *extra_offsets}
        )
        return cls(free_ports_from(offsets), free_port(), free_port(), tuple(offsets))

    def listening(self) -> list[int]:
        """Every port the suite listens on while it runs."""
        return [*(self.base + offset for offset in self.offsets), self.postgres, self.kafka]


def up_command(state_dir: Path, ports: SuitePorts, *, kota: Sequence[str] = KOTA) -> list[str]:
    return [
        *kota,
        "up",
        "--state-dir",
        str(state_dir),
        "--port-base",
        str(ports.base),
        "--postgres-port",
        str(ports.postgres),
        "--kafka-port",
        str(ports.kafka),
    ]


@contextmanager
def running_suite(
    command: Sequence[str],
    *,
    log: Path,
    env: Mapping[str, str],
    cwd: Path | None = None,
    within: float = 300,
) -> Iterator[subprocess.Popen[bytes]]:
    """``kota up`` run until it prints its banner (its output in ``log``); stopped with
    Ctrl-C on the way out unless the caller stopped it already."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _wait_for_banner(process, log, within=within)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(120)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for_banner(process: subprocess.Popen[bytes], log: Path, *, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and process.poll() is None:
        if BANNER in log.read_text(errors="replace"):
            return
        time.sleep(0.5)
    raise AssertionError(f"`kota up` did not come up:\n{log.read_text(errors='replace')[-5000:]}")
