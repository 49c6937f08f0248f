"""What every part of the event benchmark agrees on: where it runs from, where its state goes."""

import logging
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# The entry point: the benchmark runs as it, and so does its consumer child (``_consumer``),
# which keeps bench/ first on the child's sys.path, and this package importable, as in the parent.
SCRIPT = PACKAGE_DIR.parent / "events.py"
REPO = PACKAGE_DIR.parents[1]
STATE_DIR = REPO / ".kota" / "bench"

# Progress goes to stderr under this name (cli.main sets it up); stdout is the JSON report.
logger = logging.getLogger("bench.events")


def log(message: str, *args: object) -> None:
    logger.info(message, *args)
