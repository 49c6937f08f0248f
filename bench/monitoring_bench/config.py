"""What every part of the monitoring benchmark agrees on: paths, progress, the goals."""

import logging
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO = PACKAGE_DIR.parents[1]
STATE_DIR = REPO / ".kota" / "bench-monitoring"
"""The servers' data, the app's log and the profile: removed after a clean run."""

# The goals (from the issue).
INGESTION_GOAL_EVENTS_PER_S = 2000.0
API_P95_GOAL_MS = 200.0
FRESHNESS_P99_GOAL_S = 5.0
FRESHNESS_GOAL_RATE = 200.0

# Progress goes to stderr under this name (cli.main sets it up); stdout is the JSON report.
logger = logging.getLogger("bench.monitoring")


def log(message: str, *args: object) -> None:
    logger.info(message, *args)
