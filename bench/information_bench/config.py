"""What every part of the information benchmark agrees on: paths, goals, the progress log."""

import logging
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO = PACKAGE_DIR.parents[1]
STATE_DIR = REPO / ".kota" / "bench-information"
"""The servers' data and the processes' logs: removed after a clean run."""
LOGS_KEPT = REPO / ".kota" / "bench-information-logs"
"""Each process's log of the last run, copied here when it stops (kept after the run)."""

# The goal (from the issue): an announcement in every inbox of a million within 5 minutes.
FAN_OUT_GOAL_S = 300.0
FAN_OUT_GOAL_CITIZENS = 1_000_000

# Progress goes to stderr under this name (cli.main sets it up); stdout is the JSON report.
logger = logging.getLogger("bench.information")


def log(message: str, *args: object) -> None:
    logger.info(message, *args)
