"""Event delivery benchmark: outbox → relay → Kafka → idempotent consumer, beside raw aiokafka.

Run it from the repository root (``make bench`` does the same with the defaults):

    uv run python bench/events.py                  # 60 s at 1,000 events/s, 50,000 relay events
    uv run python bench/events.py --duration 10    # a quick run
    uv run python bench/events.py --help           # every knob

What it measures and reports, and which module does what: bench/events_bench/ (its __init__).
This file is only the entry point, for the benchmark and for its consumer child
(``events.py _consumer CONFIG``): run as a script, it has bench/ first on sys.path, so the
package imports with no install and no ``-m``, in every process.
"""

from events_bench.cli import main

if __name__ == "__main__":
    main()
