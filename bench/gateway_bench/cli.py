"""The command: options, signals, the state directory's lifetime, the JSON on stdout.

``bench/gateway.py`` calls ``main``, as the benchmark and as its children: ``_load CONFIG`` is
the load generator (load.py), ``_profile CONFIG`` the profiled gateway (profiler.py).
"""

import argparse
import json
import logging
import shutil
import signal
import sys

from . import __doc__ as package_doc
from .config import REPO, SCENARIOS, STATE_DIR, log, logger
from .load import load_main
from .processes import Children
from .profiler import profile_main
from .scenarios import run


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The options (``--help`` lists them); the scenarios as run: direct first, then as given."""
    parser = argparse.ArgumentParser(description=(package_doc or "").split("\n\n")[0])
    parser.add_argument(
        "--duration", type=float, default=15.0, help="measured seconds per run (15)"
    )
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds first (3)")
    parser.add_argument("--concurrency", type=int, default=32, help="keep-alive connections (32)")
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="open-loop rate (default: half of direct's maximum)",
    )
    parser.add_argument("--skip-half-rate", action="store_true", help="no open-loop runs")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="gateway uvicorn processes = nginx worker_processes (1)",
    )
    parser.add_argument(
        "--service-workers", type=int, default=1, help="health service processes (1)"
    )
    parser.add_argument("--tokens", type=int, default=200, help="distinct citizen tokens (200)")
    parser.add_argument(
        "--scenarios",
        type=lambda s: [x.strip() for x in s.split(",") if x.strip()],
        default=list(SCENARIOS),
        help=f"comma-separated subset of {','.join(SCENARIOS)}, run in that order (direct first)",
    )
    parser.add_argument(
        "--profile-duration", type=float, default=10.0, help="profiled seconds (10; 0 skips)"
    )
    parser.add_argument("--profile-top", type=int, default=15, help="functions listed (15)")
    parser.add_argument(
        "--sample-interval", type=float, default=0.001, help="CPU seconds between samples (0.001)"
    )
    parser.add_argument(
        "--log-level", default="INFO", help="services' and gateways' log level (INFO)"
    )
    parser.add_argument("--kafka", action="store_true", help="start a Kafka broker for the relays")
    parser.add_argument(
        "--keep-state",
        action="store_true",
        help=f"keep {STATE_DIR.relative_to(REPO)} (logs, nginx.conf, gateway.pstats) after the run",
    )
    args = parser.parse_args(argv)
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    # direct first: the baseline of every comparison, and the half rate's reference
    args.scenarios = ["direct", *dict.fromkeys(s for s in args.scenarios if s != "direct")]
    return args


class _Stop(Exception):
    """SIGINT (Ctrl-C) or SIGTERM: stop everything in order."""


def _raise_stop(signum: int, _frame: object) -> None:
    raise _Stop(signal.Signals(signum).name)


def main() -> None:
    """The benchmark, or one of its children's roles (measure.Bench starts them as the script)."""
    if sys.argv[1:2] == ["_load"]:
        load_main(sys.argv[2])
        return
    if sys.argv[1:2] == ["_profile"]:
        profile_main(sys.argv[2])
        return
    logging.basicConfig(
        stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(name)s %(message)s"
    )
    logger.setLevel(logging.INFO)
    args = parse_args(sys.argv[1:])
    # Both stop everything in order (SIGINT explicitly: a shell may start us with it ignored).
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    children = Children(STATE_DIR)
    failed = True
    try:
        result = run(args, children)
        # A run with failed requests keeps its servers' logs to read, like a failed run.
        failed = not result["goals"]["no_errors"] or args.keep_state
    except (KeyboardInterrupt, _Stop) as stop:
        log("interrupted (%s): everything started was stopped", stop)
        raise SystemExit(130) from None
    finally:
        # run() stops what it started; this is for a failure before it got that far.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        children.stop_all()
        if not failed:
            shutil.rmtree(STATE_DIR, ignore_errors=True)
        else:
            log("kept for reading: %s (servers' logs in logs/)", STATE_DIR)
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
