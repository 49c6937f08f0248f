"""``kota up`` starts the services while Kafka comes up, and a broker that never answers stops
the start at once, named, instead of every service timing out on its readiness."""

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kota_dev.cli import _while_kafka_starts
from kota_dev.kafka import KafkaBroker
from kota_dev.ports import free_port
from kota_dev.processes import ServiceNotReady


def broker_that_exits(data_dir: Path) -> KafkaBroker:
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    return KafkaBroker(data_dir, free_port(), free_port(), process)


def broker_still_starting(data_dir: Path) -> KafkaBroker:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    return KafkaBroker(data_dir, free_port(), free_port(), process)


async def test_a_broker_that_dies_stops_the_start_naming_kafka(tmp_path: Path) -> None:
    services_cancelled = asyncio.Event()

    async def services_waiting_for_kafka() -> None:
        try:
            await asyncio.sleep(120)
        except asyncio.CancelledError:
            services_cancelled.set()
            raise

    began = time.monotonic()
    with pytest.raises(ServiceNotReady) as failed:
        await _while_kafka_starts(broker_that_exits(tmp_path), services_waiting_for_kafka())

    assert failed.value.service == "Kafka"
    assert "exited with code 3" in str(failed.value)
    assert services_cancelled.is_set()
    assert time.monotonic() - began < 30


async def test_the_services_failing_first_is_what_is_reported(tmp_path: Path) -> None:
    broker = broker_still_starting(tmp_path)

    async def a_service_that_dies() -> None:
        raise ServiceNotReady("permits", "exited with code 1", tail="boom")

    try:
        with pytest.raises(ServiceNotReady) as failed:
            await _while_kafka_starts(broker, a_service_that_dies())
    finally:
        assert broker.process is not None
        broker.process.kill()
        broker.process.wait()

    assert failed.value.service == "permits"
