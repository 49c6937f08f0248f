"""The run: the directory filled, the fan-out measured, then the dispatcher and the bare loop
on the sample of its messages, then the report."""

import argparse
import asyncio
import uuid
from typing import Any

from benchkit.machine import MachineLoad
from events_bench.servers import Infrastructure
from gateway_bench.processes import Children
from monitoring_bench.api import log_warnings
from monitoring_bench.databases import Databases
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from kota_contracts.services import declared
from kota_dev.ports import free_port
from kota_shared.events.topics import ensure_topics
from kota_shared.migrations import upgrade_to_head
from kota_shared.testing.tokens import TestSigner, serve_jwks

from . import dispatch, gateway, notifysim, population, readings, service
from .apps import running
from .bare_loop import bare_loop
from .config import STATE_DIR, log
from .fan_out import fan_out
from .report import report

TABLES = ["directory", "notices", "messages", "preferences"]


async def run(
    args: argparse.Namespace, infra: Infrastructure, children: Children
) -> dict[str, Any]:
    run_id = uuid.uuid4().hex[:8]
    machine_before = MachineLoad.now()
    dbs = Databases(infra.postgres_url, run_id)
    logs: dict[str, Any] = {}
    delivery: dict[str, Any] | None = None
    try:
        postgres_version = await dbs.server_version()
        information = declared("information")
        topics = {*information.consumes, *filter(None, [information.publishes])}
        await ensure_topics(infra.kafka, sorted(topics))
        url = await dbs.create("information")
        await asyncio.to_thread(upgrade_to_head, "information:migrations", url)
        engine = create_async_engine(url)
        try:
            log("directory: %d citizens", args.citizens)
            directory = await population.fill_directory(engine, citizens=args.citizens)
            sample = await population.choose_sample(engine, sends=args.sends)
            signer = TestSigner()
            with serve_jwks(signer) as jwks_url:
                settings = service.fan_out_settings(
                    infra=infra,
                    database_url=url,
                    jwks_url=jwks_url,
                    signer=signer,
                    chunk=args.chunk,
                    log_level=args.log_level,
                )
                with running(
                    children,
                    "information-fan-out",
                    service.FACTORY,
                    port=free_port(),
                    prefix="INFORMATION_",
                    settings=settings,
                ) as app:
                    fanned = await fan_out(
                        app,
                        signer,
                        engine=engine,
                        citizens=args.citizens,
                        server_pids=infra.server_pids,
                        poll_interval=args.poll_interval,
                        give_up_after=args.fan_out_timeout,
                    )
                logs[app.name] = log_warnings(str(app.log_path))
                sizes = await readings.table_sizes(engine, TABLES)
                if sample and fanned["completed"]:
                    delivery = await _delivery(
                        args, infra, children, dbs, engine, sample, settings, logs
                    )
        finally:
            await engine.dispose()
    finally:
        if not infra.started_here:
            await dbs.drop_all()
    return report(
        args=args,
        infra=infra,
        postgres_version=postgres_version,
        machine_before=machine_before,
        directory=directory,
        fanned=fanned,
        sizes=sizes,
        delivery=delivery,
        logs=logs,
    )


async def _delivery(
    args: argparse.Namespace,
    infra: Infrastructure,
    children: Children,
    dbs: Databases,
    engine: AsyncEngine,
    sample: list[uuid.UUID],
    fan_out_settings: dict[str, str],
    logs: dict[str, Any],
) -> dict[str, Any]:
    """The dispatcher sending the sample through the simulator, then the bare loop."""
    gateway_url = await dbs.create("gateway")
    await gateway.migrate(gateway_url)
    accounts = create_async_engine(gateway_url)
    try:
        await population.add_accounts(accounts, sample)
    finally:
        await accounts.dispose()
    service_port, gateway_port = free_port(), free_port()
    api_key, webhook_secret = notifysim.credentials()
    receipt_url = (
        f"http://127.0.0.1:{service_port}{service.RECEIPTS_PATH}"
        if args.receipts == "service"
        else None
    )
    secret = gateway.client_secret()
    with running(
        children,
        "notifysim",
        notifysim.FACTORY,
        port=free_port(),
        prefix="NOTIFYSIM_",
        settings=notifysim.settings(
            api_key=api_key,
            webhook_secret=webhook_secret,
            receipt_url=receipt_url,
            inbox_size=max(100_000, 2 * len(sample)),
            log_level=args.log_level,
        ),
    ) as simulator_app:
        simulator = notifysim.Simulator(simulator_app, api_key, webhook_secret)
        with running(
            children,
            "gateway",
            gateway.FACTORY,
            port=gateway_port,
            prefix="GATEWAY_",
            settings=gateway.settings(
                infra=infra,
                database_url=gateway_url,
                port=gateway_port,
                key_dir=STATE_DIR / "gateway-keys",
                secret=secret,
                log_level=args.log_level,
            ),
        ) as gateway_app:
            settings = service.dispatch_settings(
                fan_out_settings,
                simulator=simulator,
                gateway_url=gateway_app.url,
                client_secret=secret,
                sends_per_second=args.sms_rate,
                concurrency=args.dispatch_concurrency,
                batch_size=args.dispatch_batch,
            )
            with running(
                children,
                "information-dispatch",
                service.FACTORY,
                port=service_port,
                prefix="INFORMATION_",
                settings=settings,
            ) as app:
                log("dispatcher: sending %d SMS through the simulator", len(sample))
                window = await dispatch.window(
                    engine=engine,
                    sends=len(sample),
                    pids={
                        "service": app.pid,
                        "gateway": gateway_app.pid,
                        "notifysim": simulator_app.pid,
                        **infra.server_pids,
                    },
                    poll_interval=args.poll_interval,
                    give_up_after=args.dispatch_timeout,
                )
            logs[app.name] = log_warnings(str(app.log_path))
        logs[gateway_app.name] = log_warnings(str(gateway_app.log_path))
        # Everything else has stopped: the simulator alone, for the same requests again.
        per_send, requests = await dispatch.per_send(engine, simulator)
        await notifysim.reset(simulator)
        if args.receipts == "service":
            await notifysim.withhold_receipts(simulator, [r["to"] for r in requests])
        log("bare loop: the same %d requests straight to the simulator", len(requests))
        bare = await bare_loop(simulator, requests, concurrency=args.dispatch_concurrency)
    logs[simulator_app.name] = log_warnings(str(simulator_app.log_path))
    return {"dispatcher": {**window, **per_send}, "bare_loop": bare}
