"""Gateway benchmark: one real service endpoint direct, through nginx, and through the gateway.

Run it from the repository root (``make bench`` runs it after the event benchmark):

    uv run python bench/gateway.py                     # the full run, about 4 minutes
    uv run python bench/gateway.py --duration 3 --warmup 1 --profile-duration 3   # a quick run
    uv run python bench/gateway.py --scenarios nginx,gateway --skip-half-rate --profile-duration 0
    uv run python bench/gateway.py --help              # every knob

What it starts, measures and reports, and which module does what: bench/gateway_bench/
(its __init__). This file is only the entry point, for the benchmark and for its children
(``gateway.py _load CONFIG``, ``gateway.py _profile CONFIG``): run as a script, it has bench/
first on sys.path, so the package imports with no install and no ``-m``, in every process.
"""

from gateway_bench.cli import main

if __name__ == "__main__":
    main()
