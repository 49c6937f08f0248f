"""The command: options, the servers' and children's lifetime, the JSON on stdout."""

import argparse
import asyncio
import json
import logging
import shutil
import signal
import sys

from events_bench import servers
from gateway_bench.processes import Children

from information.config import InformationSettings

from . import __doc__ as package_doc
from .config import LOGS_KEPT, REPO, STATE_DIR, log, logger
from .run import run


def _default(field: str) -> object:
    """The service's own default for one of its settings (what a deployment runs with)."""
    return InformationSettings.model_fields[field].default


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(package_doc or "").split("\n\n")[0])
    add = parser.add_argument
    add("--citizens", type=int, default=1_000_000, help="citizens in the directory (1000000)")
    add(
        "--sends",
        type=int,
        default=5000,
        help="the sample the dispatcher sends and the bare loop repeats: the first citizens "
        "by id (5000; a multiple of --chunk keeps the sample's chunks its own; 0 skips)",
    )
    add(
        "--chunk",
        type=int,
        default=_default("announcement_fan_out_chunk"),
        help="INFORMATION_ANNOUNCEMENT_FAN_OUT_CHUNK (the service's default)",
    )
    add(
        "--dispatch-concurrency",
        type=int,
        default=_default("dispatch_concurrency"),
        help="INFORMATION_DISPATCH_CONCURRENCY, and the bare loop's (the service's default)",
    )
    add(
        "--dispatch-batch",
        type=int,
        default=_default("dispatch_batch_size"),
        help="INFORMATION_DISPATCH_BATCH_SIZE (the service's default)",
    )
    add(
        "--sms-rate",
        type=float,
        default=100_000.0,
        help="INFORMATION_SMS_SENDS_PER_SECOND, far above what is reached (100000)",
    )
    add(
        "--receipts",
        choices=("none", "service"),
        default="none",
        help="the simulator's receipts: held back past the run, or posted to the service "
        "while it dispatches (none)",
    )
    add("--poll-interval", type=float, default=0.5, help="seconds between polls (0.5)")
    add("--fan-out-timeout", type=float, default=1800.0, help="seconds for the fan-out (1800)")
    add("--dispatch-timeout", type=float, default=600.0, help="seconds for the sends (600)")
    add("--log-level", default="INFO", help="the processes' log level (INFO)")
    args = parser.parse_args(argv)
    if not 0 <= args.sends <= args.citizens:
        parser.error("--sends must be between 0 and --citizens")
    return args


class _Stop(Exception):
    """SIGTERM: stop everything in order, as Ctrl-C does."""


def _raise_stop(signum: int, _frame: object) -> None:
    raise _Stop(signal.Signals(signum).name)


def main() -> None:
    logging.basicConfig(
        stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(name)s %(message)s"
    )
    logger.setLevel(logging.INFO)
    for shared in ("bench.events", "bench.gateway"):  # the servers' and the children's
        logging.getLogger(shared).setLevel(logging.INFO)
    args = parse_args(sys.argv[1:])
    signal.signal(signal.SIGTERM, _raise_stop)
    # The event benchmark's servers, in a state directory of this benchmark's own, so that
    # one benchmark's start never stops the other's servers.
    servers.STATE_DIR = STATE_DIR  # type: ignore[attr-defined]  # its one seam for that
    Children.stop_leftovers(STATE_DIR)  # an interrupted run's processes, before its state goes
    shutil.rmtree(LOGS_KEPT, ignore_errors=True)
    try:
        with servers.infrastructure() as infra:
            STATE_DIR.mkdir(parents=True, exist_ok=True)
            children = Children(STATE_DIR)
            try:
                result = asyncio.run(run(args, infra, children))
            finally:
                children.stop_all()
    except (KeyboardInterrupt, _Stop) as stop:
        log("interrupted (%s): everything started was stopped", stop or "Ctrl-C")
        log("kept for reading: %s", STATE_DIR.relative_to(REPO))
        raise SystemExit(130) from None
    if not infra.started_here:
        shutil.rmtree(STATE_DIR, ignore_errors=True)
    sys.stdout.write(json.dumps(result, indent=2, default=str) + "\n")
