"""The run: the three measurements in order, on databases and topics of the run's own."""

import argparse
import uuid
from typing import Any

from benchkit.machine import MachineLoad

from kota_shared import tracing

from .databases import Databases
from .latency import kota_latency, raw_latency
from .report import report
from .servers import Infrastructure
from .throughput import relay_throughput


async def run(args: argparse.Namespace, infra: Infrastructure) -> dict[str, Any]:
    """Outbox latency, raw latency, relay throughput, then the report; databases the run
    created on servers it did not start are dropped whatever happens."""
    tracing.setup_tracing("bench-writer")
    run_id = uuid.uuid4().hex[:8]
    dbs = Databases(infra.postgres_url, run_id)
    machine_before = MachineLoad.now()
    try:
        postgres_version = await dbs.server_version()
        kota = await kota_latency(args, infra, dbs, run_id)
        raw = await raw_latency(args, infra, run_id)
        throughput = (
            await relay_throughput(args, infra, dbs, run_id) if args.relay_events > 0 else None
        )
    finally:
        if not infra.started_here:
            await dbs.drop_all()
    return report(
        args=args,
        infra=infra,
        postgres_version=postgres_version,
        kota=kota,
        raw=raw,
        throughput=throughput,
        machine_before=machine_before,
    )
