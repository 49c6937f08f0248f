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

from . import __doc__ as package_doc
from .config import REPO, STATE_DIR, log, logger
from .run import run


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(package_doc or "").split("\n\n")[0])
    add = parser.add_argument
    add("--events", type=int, default=1_000_000, help="events in the log, about (1000000)")
    add("--days", type=int, default=365, help="days the log spans, up to now (365)")
    add("--seed", type=int, default=1, help="the synthetic city's seed (1)")
    add(
        "--skip-envelope-baseline",
        action="store_true",
        help="no second baseline (parse_message of every event)",
    )
    add("--requests", type=int, default=200, help="measured requests per endpoint (200)")
    add(
        "--connections",
        type=lambda s: [int(x) for x in s.split(",") if x.strip()],
        default=[1, 4],
        help="keep-alive connections at once, one API run for each (1,4); the goal is "
        "judged at the last",
    )
    add("--api-warmup", type=int, default=10, help="unmeasured requests per endpoint (10)")
    add("--fresh-rate", type=float, default=200.0, help="freshness events per second (200)")
    add("--fresh-duration", type=float, default=60.0, help="freshness seconds (60; 0 skips)")
    add("--fresh-warmup", type=float, default=5.0, help="unmeasured seconds first (5)")
    add("--poll-interval", type=float, default=0.1, help="seconds between API polls (0.1)")
    add(
        "--fresh-timeout",
        type=float,
        default=30.0,
        help="seconds after the last event for the rest to be seen (30)",
    )
    add("--skip-app", action="store_true", help="no API and no freshness run")
    add(
        "--profile",
        action="store_true",
        help="a second rebuild under cProfile, summed up in the report",
    )
    add("--profile-top", type=int, default=20, help="functions listed by the profile (20)")
    add("--log-level", default="INFO", help="the monitoring app's log level (INFO)")
    return parser.parse_args(argv)


class _Stop(Exception):
    """SIGTERM: stop everything in order, as Ctrl-C does."""


def _raise_stop(signum: int, _frame: object) -> None:
    raise _Stop(signal.Signals(signum).name)


def main() -> None:
    logging.basicConfig(
        stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(name)s %(message)s"
    )
    logger.setLevel(logging.INFO)
    logging.getLogger("bench.events").setLevel(logging.INFO)  # the servers' and pacing's
    args = parse_args(sys.argv[1:])
    signal.signal(signal.SIGTERM, _raise_stop)
    # The event benchmark's servers, in a state directory of this benchmark's own, so that
    # one benchmark's start never stops the other's servers.
    servers.STATE_DIR = STATE_DIR  # type: ignore[attr-defined]  # its one seam for that
    Children.stop_leftovers(STATE_DIR)  # an interrupted run's app, before its state goes
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
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
