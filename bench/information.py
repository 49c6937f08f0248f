"""Information benchmark: an announcement to a million inboxes, the dispatcher's sends/s.

Run it from the repository root (``make bench-information`` does the same with the defaults):

    uv run python bench/information.py                                  # 1,000,000 citizens
    uv run python bench/information.py --citizens 20000 --sends 2000    # a quick run
    uv run python bench/information.py --help                           # every knob

What it measures and reports, and which module does what: bench/information_bench/ (its
__init__). This file is only the entry point: run as a script, it has bench/ on sys.path, so
the package (and ``benchkit``, ``events_bench``, ``gateway_bench`` and ``monitoring_bench``,
which it shares) imports with no install and no ``-m``.
"""

import sys
from pathlib import Path

# This file is named after the service it measures: with its folder first on sys.path,
# ``import information`` would find this script instead of the service. The folder goes
# last, behind the installed packages, where the benchmark's own packages are still found.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE] + [str(_HERE)]

from information_bench.cli import main  # noqa: E402 - after the path is put right

if __name__ == "__main__":
    main()
