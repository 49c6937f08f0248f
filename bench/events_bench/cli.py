"""The command: options, the servers' lifetime, the JSON on stdout; and the consumer child.

``bench/events.py`` calls ``main``, as the benchmark and as its consumer child
(``_consumer CONFIG``, consumer.py).
"""

import argparse
import asyncio
import json
import logging
import sys

from . import __doc__ as package_doc
from .config import logger
from .consumer import child_main
from .run import run
from .servers import infrastructure


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(package_doc or "").split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=1000.0, help="events per second (1000)")
    parser.add_argument("--duration", type=float, default=60.0, help="measured seconds (60)")
    parser.add_argument("--warmup", type=float, default=5.0, help="unmeasured seconds first (5)")
    parser.add_argument(
        "--relay-events", type=int, default=50_000, help="outbox rows to drain (50000; 0 skips)"
    )
    parser.add_argument(
        "--relay-batch-size", type=int, default=500, help="OutboxRelay batch_size (500)"
    )
    parser.add_argument("--relay-timeout", type=float, default=600.0, help="seconds (600)")
    parser.add_argument(
        "--max-backlog",
        type=float,
        default=1.0,
        help="skip events due while this many seconds of events are queued (1)",
    )
    parser.add_argument(
        "--pool-size", type=int, default=10, help="writer connection pool and concurrency (10)"
    )
    return parser.parse_args(argv)


def main() -> None:
    """The benchmark, or its consumer child (consumer.ConsumerProcess starts it as the script)."""
    logging.basicConfig(
        stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(name)s %(message)s"
    )
    logger.setLevel(logging.INFO)
    if sys.argv[1:2] == ["_consumer"]:
        asyncio.run(child_main(json.loads(sys.argv[2])))
        return
    args = parse_args(sys.argv[1:])
    with infrastructure() as infra:
        result = asyncio.run(run(args, infra))
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
