"""What the benchmarks share (``bench/events.py`` and ``bench/gateway.py``), so it is written once.

Both entry points run as scripts with bench/ first on sys.path, so ``benchkit`` imports with no
install, as their own packages (``events_bench``, ``gateway_bench``) do.

- ``procfs``: what /proc says: CPU of named process trees, of the benchmark's own process and of
  the machine between two samples; a process tree's memory and its peak; process start times;
  CPU pressure;
- ``machine``: a report's ``machine``: what it is, and how loaded before and after the run.
"""
